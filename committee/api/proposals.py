"""The committee REST API: the committee with its seats, and proposals with their positions,
discussion, moves and history. Querysets come from selectors; writes go through services.
Input and output serializers are kept apart.

Everything under a proposal goes through `selectors.get_proposal` first, so a proposal the caller
cannot see answers 404 at every URL under it, exactly as a missing one does. An anonymous
proposal never says who gave a position, nor which seat (seats are listed with their holders
in /committees/), except for the caller's own seat."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from lic import ratelimit
from lic.markdown import render_markdown
from lic.schema import TOO_MANY_REQUESTS
from stakeholders.api import SectorField, _committee_actor, _create, _raise_as_api_error
from stakeholders.models import Visibility
from stakeholders.selectors import person_of

from .. import selectors, services
from ..consensus import Outcome, Stance
from ..models import (
    Comment,
    Committee,
    CommitteeMember,
    Position,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Seat,
)

# --- output ------------------------------------------------------------------------------------


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(read_only=True)


class SectorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class SeatSerializer(serializers.ModelSerializer):
    sector = SectorRefSerializer(read_only=True)
    primary = PersonRefSerializer(read_only=True)
    alternate = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Seat
        fields = ["id", "sector", "organization", "primary", "alternate", "started_on"]


class CommitteeRoleSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", read_only=True)
    display_name = serializers.CharField(source="person.display_name", read_only=True)

    class Meta:
        model = CommitteeMember
        fields = ["person", "display_name", "role"]


class CommitteeSerializer(serializers.ModelSerializer):
    """The view fills `seats` and `roles` in the context from the selectors."""

    sectors_that_must_answer = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    seats = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Committee
        fields = [
            "id",
            "name",
            "terms_of_reference",
            "sectors_that_must_answer",
            "minimum_participation",
            "seats",
            "roles",
        ]

    @extend_schema_field(SeatSerializer(many=True))
    def get_seats(self, committee: Committee) -> list[dict]:
        seats = [seat for seat in self.context["seats"] if seat.committee_id == committee.pk]
        return SeatSerializer(seats, many=True).data

    @extend_schema_field(CommitteeRoleSerializer(many=True))
    def get_roles(self, committee: Committee) -> list[dict]:
        roles = [role for role in self.context["roles"] if role.committee_id == committee.pk]
        return CommitteeRoleSerializer(roles, many=True).data


class PositionSerializer(serializers.ModelSerializer):
    """Who gave a position (and for which seat) is shown when the context says names are
    visible, or when it is the caller's own seat (`own_seat_id`); otherwise both are null."""

    sector = SectorRefSerializer(source="seat.sector", read_only=True)
    given_by = serializers.SerializerMethodField()
    organization = serializers.SerializerMethodField()

    class Meta:
        model = Position
        fields = [
            "id",
            "version",
            "seat",
            "sector",
            "stance",
            "reason",
            "given_by",
            "organization",
            "given_at",
        ]

    def _shows_names(self, position: Position) -> bool:
        own_seat_id = self.context.get("own_seat_id")
        return self.context.get("names_visible", False) or position.seat_id == own_seat_id

    def to_representation(self, instance: Position) -> dict:
        data = super().to_representation(instance)
        if not self._shows_names(instance):
            data["seat"] = None
        return data

    def get_given_by(self, position: Position) -> str | None:
        return position.given_by.display_name if self._shows_names(position) else None

    def get_organization(self, position: Position) -> str | None:
        if not self._shows_names(position) or position.seat.organization_id is None:
            return None
        return position.seat.organization.name


class ConcernSerializer(serializers.Serializer):
    seat_id = serializers.IntegerField(allow_null=True, help_text="Null when names are hidden.")
    sector_id = serializers.IntegerField()
    sector_name = serializers.CharField()
    holder = serializers.CharField(allow_null=True, help_text="Null when names are hidden.")
    reason = serializers.CharField()


class MissingSectorSerializer(serializers.Serializer):
    sector_id = serializers.IntegerField()
    sector_name = serializers.CharField()


class SectorTallySerializer(serializers.Serializer):
    sector_id = serializers.IntegerField()
    sector_name = serializers.CharField()
    sector_position = serializers.IntegerField()
    agree = serializers.IntegerField()
    reservations = serializers.IntegerField()
    stand_aside = serializers.IntegerField()
    block = serializers.IntegerField()
    not_answered = serializers.IntegerField()


class OutcomeSerializer(serializers.Serializer):
    """Documents the shape of `outcome_data` (which builds it)."""

    result = serializers.CharField()
    blocks = ConcernSerializer(many=True)
    reservations = ConcernSerializer(many=True)
    missing_sectors = MissingSectorSerializer(many=True)
    answered_seats = serializers.IntegerField()
    total_seats = serializers.IntegerField()
    minimum_participation = serializers.IntegerField()
    below_minimum = serializers.BooleanField()
    participation_percent = serializers.IntegerField()
    tallies = SectorTallySerializer(many=True)


def outcome_data(outcome: Outcome, *, names_visible: bool) -> dict:
    """The outcome as JSON. On an anonymous proposal a concern keeps its sector but neither
    its holder nor a seat id (the caller's own position is in `my_position`)."""
    data = outcome.to_dict()
    data["below_minimum"] = outcome.below_minimum
    data["participation_percent"] = outcome.participation_percent
    if not names_visible:
        for concern in (*data["blocks"], *data["reservations"]):
            concern["holder"] = None
            concern["seat_id"] = None
    return data


class ProposalSerializer(serializers.ModelSerializer):
    """A proposal in a list. The view annotates `awaits_me` and puts the caller's positions
    (`my_positions`, by proposal id) in the context. The outcome is on the detail only."""

    author = serializers.CharField(source="author.display_name", read_only=True, default=None)
    visible_sectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    body_html = serializers.SerializerMethodField()
    my_position = serializers.SerializerMethodField()
    awaits_me = serializers.BooleanField(read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "committee",
            "title",
            "body",
            "body_html",
            "status",
            "version",
            "visibility",
            "visible_sectors",
            "anonymous",
            "author",
            "created_at",
            "opened_at",
            "closes_at",
            "closed_at",
            "result",
            "outcome_statement",
            "my_position",
            "awaits_me",
        ]

    def get_body_html(self, proposal: Proposal) -> str:
        return render_markdown(proposal.body)

    @extend_schema_field(PositionSerializer(allow_null=True))
    def get_my_position(self, proposal: Proposal) -> dict | None:
        position = self.context["my_positions"].get(proposal.pk)
        if position is None:
            return None
        return PositionSerializer(position, context={"own_seat_id": position.seat_id}).data


class AmendmentSerializer(serializers.Serializer):
    """The new charter or trust agreement a proposal carries (see `/communities/{id}/charter/`
    and `/agreements/` for the shape of `content`)."""

    text = serializers.CharField(source="amendment.text", help_text="charter or agreement")
    base = serializers.IntegerField(
        source="amendment.base_number", help_text="The version it was written against."
    )
    content = serializers.JSONField(source="amendment.content", help_text="In en and fr.")
    version = serializers.IntegerField(
        source="amendment.number", allow_null=True, help_text="The version it became, if applied."
    )
    is_outdated = serializers.BooleanField(
        help_text="The text changed since it was written: it will not apply as it is."
    )


class ProposalDetailSerializer(ProposalSerializer):
    """One proposal, with its outcome: frozen once closed, otherwise what it would be if it
    closed now; and the change to the charter or the trust agreement it carries, if any."""

    outcome = serializers.SerializerMethodField()
    amendment = serializers.SerializerMethodField()

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "outcome", "amendment"]

    @extend_schema_field(AmendmentSerializer(allow_null=True))
    def get_amendment(self, proposal: Proposal) -> dict | None:
        view = selectors.amendment_view(proposal)
        return AmendmentSerializer(view).data if view else None

    @extend_schema_field(OutcomeSerializer)
    def get_outcome(self, proposal: Proposal) -> dict:
        return outcome_data(
            selectors.outcome_of(proposal),
            names_visible=selectors.names_visible(proposal),
        )


class EarlierTextSerializer(serializers.Serializer):
    body = serializers.CharField()
    body_html = serializers.SerializerMethodField()
    replaced_at = serializers.DateTimeField(source="changed_at")

    def get_body_html(self, revision) -> str:
        return render_markdown(revision.body)


class CommentSerializer(serializers.ModelSerializer):
    """A deleted comment stays in the thread with an empty body and `deleted` true; an edited
    one lists its earlier texts, oldest first, as the page shows them (the text of a deleted
    comment is kept for the record but not shown)."""

    author = serializers.CharField(source="author.display_name", read_only=True)
    body_html = serializers.SerializerMethodField()
    deleted = serializers.SerializerMethodField()
    earlier_texts = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "author",
            "body",
            "body_html",
            "created_at",
            "edited_at",
            "deleted",
            "earlier_texts",
        ]

    def get_body_html(self, comment: Comment) -> str:
        return render_markdown(comment.body)

    def get_deleted(self, comment: Comment) -> bool:
        return comment.deleted_at is not None

    @extend_schema_field(EarlierTextSerializer(many=True))
    def get_earlier_texts(self, comment: Comment) -> list[dict]:
        if comment.deleted_at is not None:
            return []
        earlier = [revision for revision in comment.revisions.all() if not revision.was_deleted]
        return EarlierTextSerializer(earlier, many=True).data


class ProposalVersionSerializer(serializers.ModelSerializer):
    """An earlier version with its frozen outcome and the positions given on it. The context
    holds the `proposal`, `names_visible` and `own_seat_id`."""

    body_html = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()
    positions = serializers.SerializerMethodField()

    class Meta:
        model = ProposalVersion
        fields = [
            "number",
            "title",
            "body",
            "body_html",
            "opened_at",
            "closes_at",
            "closed_at",
            "result",
            "outcome",
            "outcome_statement",
            "revised_at",
            "positions",
        ]

    def get_body_html(self, version: ProposalVersion) -> str:
        return render_markdown(version.body)

    @extend_schema_field(OutcomeSerializer)
    def get_outcome(self, version: ProposalVersion) -> dict:
        return outcome_data(
            selectors.outcome_of(self.context["proposal"], version=version.number),
            names_visible=self.context["names_visible"],
        )

    @extend_schema_field(PositionSerializer(many=True))
    def get_positions(self, version: ProposalVersion) -> list[dict]:
        positions = selectors.positions_of(self.context["proposal"], version=version.number)
        return PositionSerializer(positions, many=True, context=self.context).data


# --- input -------------------------------------------------------------------------------------


class ProposalInput(serializers.Serializer):
    # Blank text passes through so that the service gives its own message.
    title = serializers.CharField(max_length=200, allow_blank=True)
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    visible_sectors = SectorField(many=True, required=False, default=list, source="sectors")
    anonymous = serializers.BooleanField(default=False)


class ReviseInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)


class PositionInput(serializers.Serializer):
    stance = serializers.ChoiceField(choices=Stance.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CommentInput(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)


MOVES = [
    ProposalStatus.DISCUSSION,
    ProposalStatus.DECISION,
    ProposalStatus.CLOSED,
    ProposalStatus.WITHDRAWN,
]


class TransitionInput(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[(status.value, status.label) for status in MOVES],
        help_text="The status to move the proposal to.",
    )
    closes_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Required to open a decision."
    )
    statement = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The outcome statement, when a coordinator closes the decision.",
    )


# --- viewsets ----------------------------------------------------------------------------------


class CommitteeViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's community's steering committee (a list of at most one)."""

    serializer_class = CommitteeSerializer

    def get_queryset(self):
        committee = selectors.committee_for(self.request.user)
        if committee is None:
            return Committee.objects.none()
        return (
            Committee.objects.filter(pk=committee.pk)
            .prefetch_related("sectors_that_must_answer")
            .order_by("pk")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "seats": selectors.seats_for(self.request.user),
            "roles": selectors.committee_roles_for(self.request.user),
        }


STATUS_FILTER = OpenApiParameter(
    "status", OpenApiTypes.STR, enum=ProposalStatus.values, description="Only this status."
)
COMMITTEE_FILTER = OpenApiParameter(
    "committee", OpenApiTypes.INT, description="Only this committee's proposals."
)


class ProposalViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProposalSerializer

    def visible(self):
        """The proposals of the caller's own community that they may see: a token or session
        of one community reads nothing of another, and PostgreSQL starts from the community's
        index instead of every community's proposals."""
        user = self.request.user
        proposals = selectors.proposals_for(user)
        person = person_of(user)
        if person is not None:
            proposals = proposals.filter(community_id=person.community_id)
        return selectors.awaiting_my_position(user, proposals)

    def get_queryset(self):
        queryset = self.visible()
        params = self.request.query_params
        if "status" in params:
            if params["status"] not in ProposalStatus.values:
                raise ValidationError(
                    {
                        "status": _("Unknown status “%(value)s”. Choose one of: %(choices)s.")
                        % {"value": params["status"], "choices": ", ".join(ProposalStatus.values)}
                    }
                )
            queryset = queryset.filter(status=params["status"])
        if "committee" in params:
            try:
                committee_id = int(params["committee"])
            except ValueError:
                raise ValidationError(
                    {"committee": _("Give the committee's id, a whole number.")}
                ) from None
            queryset = queryset.filter(committee_id=committee_id)
        return queryset

    def get_object(self) -> Proposal:
        proposal = selectors.get_proposal(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, proposal)
        return proposal

    def own_seat_id(self) -> int | None:
        if not hasattr(self, "_own_seat_id"):
            person = person_of(self.request.user)
            committee = selectors.committee_for(self.request.user)
            seat = selectors.seat_of(person, committee) if person and committee else None
            self._own_seat_id = seat.pk if seat else None
        return self._own_seat_id

    def detail_serializer(self, proposal: Proposal) -> ProposalDetailSerializer:
        """The proposal as the caller sees it now (read again after a write)."""
        proposal = self.visible().filter(pk=proposal.pk).first()
        if proposal is None:
            raise Http404
        my_position = selectors.my_position(person_of(self.request.user), proposal)
        context = {
            **self.get_serializer_context(),
            "my_positions": {proposal.pk: my_position} if my_position else {},
            "own_seat_id": self.own_seat_id(),
        }
        return ProposalDetailSerializer(proposal, context=context)

    def names_context(self, proposal: Proposal) -> dict[str, Any]:
        return {
            "names_visible": selectors.names_visible(proposal),
            "own_seat_id": self.own_seat_id(),
        }

    @extend_schema(parameters=[STATUS_FILTER, COMMITTEE_FILTER])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {
            **self.get_serializer_context(),
            "my_positions": selectors.my_positions(request.user, page),
        }
        return self.get_paginated_response(
            ProposalSerializer(page, many=True, context=context).data
        )

    @extend_schema(responses=ProposalDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return Response(self.detail_serializer(self.get_object()).data)

    @extend_schema(request=ProposalInput, responses={201: ProposalDetailSerializer})
    def create(self, request, *args, **kwargs):
        return _create(
            request,
            ProposalInput,
            services.create_proposal,
            self.detail_serializer,
            author=_committee_actor(request),
        )

    @extend_schema(
        methods=["GET"],
        responses=PositionSerializer(many=True),
        description="The current position of each seat on the current version.",
    )
    @extend_schema(
        methods=["POST"],
        request=PositionInput,
        responses={201: PositionSerializer, 429: TOO_MANY_REQUESTS},
        description=(
            "State or change the position of the seat you answer for. Each person may do so "
            "a limited number of times in a while (429 past it)."
        ),
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def positions(self, request, pk=None):
        proposal = self.get_object()
        context = self.names_context(proposal)
        if request.method == "GET":
            positions = selectors.positions_of(proposal)
            return Response(PositionSerializer(positions, many=True, context=context).data)
        ratelimit.hit(ratelimit.POSITIONS, ratelimit.per_person(request))
        return _create(
            request,
            PositionInput,
            services.cast_position,
            lambda position: PositionSerializer(position, context=context),
            person=_committee_actor(request),
            proposal=proposal,
        )

    @extend_schema(methods=["GET"], responses=CommentSerializer(many=True))
    @extend_schema(methods=["POST"], request=CommentInput, responses={201: CommentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def comments(self, request, pk=None):
        proposal = self.get_object()
        if request.method == "GET":
            return Response(CommentSerializer(selectors.comments_of(proposal), many=True).data)
        return _create(
            request,
            CommentInput,
            services.add_comment,
            CommentSerializer,
            author=_committee_actor(request),
            proposal=proposal,
        )

    @extend_schema(request=TransitionInput, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        proposal = self.get_object()
        actor = _committee_actor(request)
        serializer = TransitionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            match data["to"]:
                case ProposalStatus.DISCUSSION:
                    services.start_discussion(actor=actor, proposal=proposal)
                case ProposalStatus.DECISION:
                    services.open_for_positions(
                        actor=actor, proposal=proposal, closes_at=data["closes_at"]
                    )
                case ProposalStatus.CLOSED:
                    services.close_proposal(
                        actor=actor, proposal=proposal, statement=data["statement"]
                    )
                case ProposalStatus.WITHDRAWN:
                    services.withdraw_proposal(actor=actor, proposal=proposal)
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        return Response(self.detail_serializer(proposal).data)

    @extend_schema(request=ReviseInput, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        proposal = self.get_object()
        actor = _committee_actor(request)
        serializer = ReviseInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.revise_proposal(actor=actor, proposal=proposal, **serializer.validated_data)
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        return Response(self.detail_serializer(proposal).data)

    @extend_schema(
        responses=ProposalVersionSerializer(many=True),
        description="Earlier versions, newest first, with their frozen outcome and positions.",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        proposal = self.get_object()
        context = {"proposal": proposal, **self.names_context(proposal)}
        versions = selectors.versions_of(proposal)
        return Response(ProposalVersionSerializer(versions, many=True, context=context).data)
