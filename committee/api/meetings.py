"""Meetings through the API: the list (upcoming first, then past ones), one meeting with its
agenda, the caller's answer, the quorum by sector and the minutes, and the writes the meeting
pages offer: schedule, reschedule, cancel, answer (RSVP), record attendance, add or suggest an
agenda item.

Everything under a meeting goes through `selectors.get_meeting` first, so a meeting the caller
cannot see answers 404 at every URL under it, exactly as a missing one does. What the caller sees
of it is what the meeting page shows them:
- the agenda as `selectors.agenda_for` gives it: an item about a proposal the caller cannot see
  is `hidden`, with no title, no proposal and no suggester; who suggested an item is shown to
  coordinators only;
- the quorum names sectors, never people;
- the minutes only when their own visibility lets the caller read them (else null, as when they
  are not written), with decisions that link only proposals the caller can see.

Who may act follows the pages. The endpoints for coordinators only (schedule, reschedule, cancel,
attendance) do not exist for anyone else: 404, as the coordinator pages (schedule, change, cancel)
are, with the same body as a missing meeting. `agenda` is for every committee member:
coordinators add an item, others suggest one, as on the page. The rules about the meeting as it
is now (cancelled, ended, not started) are the services': 400 with their message, nothing
changed."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, F, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from lic.markdown import render_markdown
from stakeholders.api import SectorField, _committee_actor, _create, _raise_as_api_error
from stakeholders.models import Person, Visibility
from stakeholders.selectors import people_for, person_of

from .. import selectors, services
from ..models import (
    AgendaItemStatus,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesActionItem,
    Rsvp,
    RsvpAnswer,
)
from .proposals import PersonRefSerializer, SectorRefSerializer

# --- output ------------------------------------------------------------------------------------


class TitledRefSerializer(serializers.Serializer):
    """A meeting or proposal that the caller may see, by id and title."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class RsvpSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rsvp
        fields = ["answer", "answered_at"]


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting in a list. The view puts the caller's answers (`my_rsvps`, by meeting id) in
    the context."""

    visible_sectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    my_rsvp = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "status",
            "visibility",
            "visible_sectors",
            "uid",
            "sequence",
            "my_rsvp",
        ]

    @extend_schema_field(RsvpSerializer(allow_null=True))
    def get_my_rsvp(self, meeting: Meeting) -> dict | None:
        answer = self.context["my_rsvps"].get(meeting.pk)
        return RsvpSerializer(answer).data if answer is not None else None


class AgendaRowSerializer(serializers.Serializer):
    """An agenda item as `selectors.agenda_for` gives it to the caller. The context says
    whether the caller is a coordinator (`is_coordinator`), who alone see who suggested it."""

    id = serializers.IntegerField(source="pk", read_only=True)
    status = serializers.ChoiceField(choices=AgendaItemStatus.choices, read_only=True)
    title = serializers.CharField(
        read_only=True, allow_null=True, help_text="Null when the item is hidden."
    )
    proposal = TitledRefSerializer(
        read_only=True, allow_null=True, help_text="Only a proposal the caller can see."
    )
    duration_minutes = serializers.IntegerField(read_only=True, allow_null=True)
    suggested_by = serializers.SerializerMethodField(
        help_text="Shown to coordinators only; null when the item is hidden."
    )
    is_mine = serializers.BooleanField(read_only=True, help_text="The caller suggested it.")
    hidden = serializers.BooleanField(
        read_only=True, help_text="About a proposal the caller cannot see."
    )

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_suggested_by(self, row: selectors.AgendaRow) -> dict | None:
        if row.suggested_by is None or not self.context.get("is_coordinator"):
            return None
        return PersonRefSerializer(row.suggested_by).data


class QuorumRowSerializer(serializers.Serializer):
    """How one seated sector stands for the meeting. Sectors only, never names."""

    sector = SectorRefSerializer(read_only=True)
    presence = serializers.ChoiceField(choices=selectors.Presence.choices, read_only=True)
    label = serializers.CharField(read_only=True)


class DecisionSerializer(serializers.Serializer):
    text = serializers.CharField(read_only=True)
    proposal = TitledRefSerializer(
        read_only=True, allow_null=True, help_text="Only a proposal the caller can see."
    )


class ActionItemSerializer(serializers.ModelSerializer):
    owner = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = MinutesActionItem
        fields = ["text", "owner", "due_on", "done"]


class MinutesSerializer(serializers.ModelSerializer):
    """Minutes that `selectors.minutes_for` gave the caller (`request` in the context)."""

    visible_sectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    body_html = serializers.SerializerMethodField()
    approved_at_meeting = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    action_items = ActionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Minutes
        fields = [
            "body",
            "body_html",
            "status",
            "visibility",
            "visible_sectors",
            "approved_at",
            "approved_at_meeting",
            "decisions",
            "action_items",
        ]

    def get_body_html(self, minutes: Minutes) -> str:
        return render_markdown(minutes.body)

    @extend_schema_field(TitledRefSerializer(allow_null=True))
    def get_approved_at_meeting(self, minutes: Minutes) -> dict | None:
        """The meeting they were approved at, if the caller may see it."""
        if minutes.approved_at_meeting_id is None:
            return None
        user = self.context["request"].user
        at = selectors.meetings_for(user).filter(pk=minutes.approved_at_meeting_id).first()
        return TitledRefSerializer(at).data if at is not None else None

    @extend_schema_field(DecisionSerializer(many=True))
    def get_decisions(self, minutes: Minutes) -> list[dict]:
        rows = selectors.decisions_of(self.context["request"].user, minutes)
        return DecisionSerializer(rows, many=True).data


class MeetingDetailSerializer(MeetingSerializer):
    """One meeting as its page shows it to the caller (`request` in the context)."""

    steps = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()
    quorum = serializers.SerializerMethodField()
    attendance_recorded = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "steps",
            "agenda",
            "quorum",
            "attendance_recorded",
            "minutes",
        ]

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_steps(self, meeting: Meeting) -> list[str]:
        """What the caller may do now: edit, cancel, held, agenda, attendance, minutes (for
        coordinators), rsvp and suggest (for committee members)."""
        return sorted(services.meeting_steps(person_of(self._user()), meeting))

    @extend_schema_field(AgendaRowSerializer(many=True))
    def get_agenda(self, meeting: Meeting) -> list[dict]:
        """On the agenda in order, then suggestions, then those not taken up (each only for
        coordinators and for its suggester)."""
        rows = selectors.agenda_for(self._user(), meeting)
        return AgendaRowSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(QuorumRowSerializer(many=True))
    def get_quorum(self, meeting: Meeting) -> list[dict]:
        return QuorumRowSerializer(selectors.quorum(meeting), many=True).data

    def get_attendance_recorded(self, meeting: Meeting) -> bool:
        """Whether the quorum comes from recorded attendance (else from the answers)."""
        return selectors.attendance_of(meeting).exists()

    @extend_schema_field(MinutesSerializer(allow_null=True))
    def get_minutes(self, meeting: Meeting) -> dict | None:
        """Null when not written, or when their visibility hides them from the caller."""
        minutes = selectors.minutes_for(self._user(), meeting)
        if minutes is None:
            return None
        return MinutesSerializer(minutes, context=self.context).data


class AttendanceRowSerializer(serializers.Serializer):
    """Someone the meeting is for, whether they were there (null: not recorded) and what they
    answered (null: no answer)."""

    person = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    present = serializers.BooleanField(read_only=True, allow_null=True)
    answer = serializers.ChoiceField(choices=RsvpAnswer.choices, read_only=True, allow_null=True)


# --- input -------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class ProposalField(serializers.PrimaryKeyRelatedField):
    """A proposal the caller may see; a hidden one is refused exactly as a missing one."""

    def get_queryset(self):
        return selectors.proposals_for(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class PersonField(serializers.PrimaryKeyRelatedField):
    """Someone of the caller's own community."""

    def get_queryset(self):
        return people_for(self.context["request"].user)


class MeetingInput(serializers.Serializer):
    # Blank text passes through so that the service gives its own message.
    title = serializers.CharField(max_length=200, allow_blank=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    online_link = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    visible_sectors = SectorField(many=True, required=False, default=list, source="sectors")


class RescheduleInput(serializers.Serializer):
    """What changes; a field left out keeps its value."""

    title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=300, allow_blank=True, required=False)
    online_link = serializers.URLField(max_length=200, allow_blank=True, required=False)


class RsvpInput(serializers.Serializer):
    answer = serializers.ChoiceField(choices=RsvpAnswer.choices)


class AttendanceInput(serializers.Serializer):
    person = PersonField(help_text="Someone the meeting is for.")
    present = serializers.BooleanField()


class AgendaInput(serializers.Serializer):
    title = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Leave it empty to use the proposal's title.",
    )
    duration_minutes = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Coordinators only: members suggest an item without its length.",
    )
    proposal = ProposalField(required=False, allow_null=True, default=None)


# --- the viewset -------------------------------------------------------------------------------


def _attendance_rows(meeting: Meeting, people=None) -> list[dict]:
    """Everyone the meeting is for (or `people`), with what `AttendanceRowSerializer` shows."""
    recorded = dict(selectors.attendance_of(meeting).values_list("person_id", "present"))
    answers = {rsvp.person_id: rsvp.answer for rsvp in selectors.rsvps_of(meeting)}
    return [
        {
            "person": person.pk,
            "display_name": person.display_name,
            "present": recorded.get(person.pk),
            "answer": answers.get(person.pk),
        }
        for person in (people if people is not None else selectors.invitees_of(meeting))
    ]


STATUS_FILTER = OpenApiParameter(
    "status", OpenApiTypes.STR, enum=MeetingStatus.values, description="Only this status."
)


class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer

    def get_queryset(self):
        """The meetings of the caller's own community that they may see: those that have not
        ended, soonest first, then those that have, latest first."""
        person = person_of(self.request.user)
        if person is None:
            return Meeting.objects.none()
        queryset = selectors.meetings_for(self.request.user).filter(
            community_id=person.community_id
        )
        params = self.request.query_params
        if "status" in params:
            if params["status"] not in MeetingStatus.values:
                raise ValidationError(
                    {
                        "status": _("Unknown status “%(value)s”. Choose one of: %(choices)s.")
                        % {"value": params["status"], "choices": ", ".join(MeetingStatus.values)}
                    }
                )
            queryset = queryset.filter(status=params["status"])
        upcoming_start = Case(When(ends_at__gt=timezone.now(), then=F("starts_at")))
        return queryset.annotate(upcoming_start=upcoming_start).order_by(
            F("upcoming_start").asc(nulls_last=True), "-starts_at", "pk"
        )

    def get_object(self) -> Meeting:
        meeting = selectors.get_meeting(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, meeting)
        return meeting

    def coordinator(self, community_id: int | None = None) -> Person:
        """The caller, when a coordinator of the community (their own by default). Endpoints for
        coordinators do not exist for anyone else, as the coordinator pages do not."""
        person = person_of(self.request.user)
        if person is None or not services.is_coordinator_of(
            person, community_id or person.community_id
        ):
            raise Http404
        return person

    def detail_context(self, meeting: Meeting) -> dict[str, Any]:
        person = person_of(self.request.user)
        return {
            **self.get_serializer_context(),
            "my_rsvps": selectors.my_rsvps(self.request.user, [meeting]),
            "is_coordinator": person is not None
            and services.is_coordinator_of(person, meeting.community_id),
        }

    def detail_serializer(self, meeting: Meeting) -> MeetingDetailSerializer:
        """The meeting as the caller sees it now (read again after a write)."""
        meeting = selectors.get_meeting(self.request.user, meeting.pk)
        return MeetingDetailSerializer(meeting, context=self.detail_context(meeting))

    @extend_schema(parameters=[STATUS_FILTER])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {
            **self.get_serializer_context(),
            "my_rsvps": selectors.my_rsvps(request.user, page),
        }
        return self.get_paginated_response(MeetingSerializer(page, many=True, context=context).data)

    @extend_schema(responses=MeetingDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return Response(self.detail_serializer(self.get_object()).data)

    @extend_schema(
        request=MeetingInput,
        responses={201: MeetingDetailSerializer},
        description="Coordinators schedule a meeting of their committee (404 for anyone else).",
    )
    def create(self, request, *args, **kwargs):
        return _create(
            request,
            MeetingInput,
            services.schedule_meeting,
            self.detail_serializer,
            actor=self.coordinator(),
        )

    @extend_schema(
        request=RescheduleInput,
        responses=MeetingDetailSerializer,
        description="Coordinators change a scheduled meeting's time, place, link or title; a "
        "new time tells its people and replaces the reminders. Fields left out keep their value.",
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        meeting = self.get_object()
        actor = self.coordinator(meeting.community_id)
        serializer = RescheduleInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = {
            "title": meeting.title,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "place": meeting.place,
            "online_link": meeting.online_link,
            **serializer.validated_data,
        }
        try:
            services.reschedule_meeting(actor=actor, meeting=meeting, **fields)
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        return Response(self.detail_serializer(meeting).data)

    @extend_schema(
        request=None,
        responses=MeetingDetailSerializer,
        description="Coordinators call off a scheduled meeting; its people are told.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self.get_object()
        actor = self.coordinator(meeting.community_id)
        try:
            services.cancel_meeting(actor=actor, meeting=meeting)
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        return Response(self.detail_serializer(meeting).data)

    @extend_schema(
        request=RsvpInput,
        responses=RsvpSerializer,
        description="Say whether you will come, while the meeting is scheduled and until it ends.",
    )
    @action(detail=True, methods=["post"])
    def rsvp(self, request, pk=None):
        meeting = self.get_object()
        person = _committee_actor(request)
        serializer = RsvpInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            answer = services.rsvp(person=person, meeting=meeting, **serializer.validated_data)
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        return Response(RsvpSerializer(answer).data)

    @extend_schema(
        methods=["GET"],
        responses=AttendanceRowSerializer(many=True),
        description="Coordinators: everyone the meeting is for, whether they were there and "
        "what they answered.",
    )
    @extend_schema(
        methods=["POST"],
        request=AttendanceInput,
        responses=AttendanceRowSerializer,
        description="Coordinators record whether someone was there, once the meeting has started.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        actor = self.coordinator(meeting.community_id)
        if request.method == "GET":
            return Response(AttendanceRowSerializer(_attendance_rows(meeting), many=True).data)
        serializer = AttendanceInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        person = serializer.validated_data["person"]
        try:
            services.record_attendance(actor=actor, meeting=meeting, **serializer.validated_data)
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        [row] = _attendance_rows(meeting, [person])
        return Response(AttendanceRowSerializer(row).data)

    @extend_schema(
        request=AgendaInput,
        responses={201: AgendaRowSerializer},
        description="Coordinators add an item at the end of the agenda; other committee "
        "members suggest one, which coordinators accept or not.",
    )
    @action(detail=True, methods=["post"])
    def agenda(self, request, pk=None):
        meeting = self.get_object()
        person = _committee_actor(request)
        serializer = AgendaInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        is_coordinator = services.is_coordinator_of(person, meeting.community_id)
        if not is_coordinator and data["duration_minutes"] is not None:
            raise ValidationError(
                {"duration_minutes": [_("Coordinators set how long an item takes.")]}
            )
        try:
            if is_coordinator:
                item = services.add_agenda_item(actor=person, meeting=meeting, **data)
            else:
                item = services.suggest_agenda_item(
                    person=person, meeting=meeting, title=data["title"], proposal=data["proposal"]
                )
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        [row] = [row for row in selectors.agenda_for(request.user, meeting) if row.pk == item.pk]
        context = {**self.get_serializer_context(), "is_coordinator": is_coordinator}
        return Response(AgendaRowSerializer(row, context=context).data, status.HTTP_201_CREATED)
