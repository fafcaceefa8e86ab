"""The work-plan API's viewsets: querysets from the selectors, writes through the services,
every record under a URL fetched through its selector's `get_…` first (see the package's
docstring)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from stakeholders import selectors as stakeholder_selectors
from stakeholders.api import _committee_actor, _create, _raise_as_api_error
from stakeholders.models import Community

from .. import selectors, services
from ..models import (
    OPEN_STATUSES,
    Action,
    ActionArea,
    ActionStatus,
    Need,
    Objective,
    RealityEntry,
    RealityKind,
)
from .serializers import (
    ActionAreaInput,
    ActionAreaSerializer,
    ActionInput,
    ActionSerializer,
    ActionStatusInput,
    AgreementInput,
    ChooseOutcomeInput,
    IntendedOutcomeInput,
    IntendedOutcomeSerializer,
    NeedChangeInput,
    NeedInput,
    NeedSerializer,
    ObjectiveInput,
    ObjectiveSerializer,
    ProgressUpdateInput,
    ProgressUpdateSerializer,
    RealityEntryInput,
    RealityEntrySerializer,
    ResultsSerializer,
    VoteResultSerializer,
    WorkPlanSerializer,
)

# --- helpers -----------------------------------------------------------------------------------


def _positive_int(params, name: str, message: str) -> int | None:
    """An id given as a query parameter, or None when absent; 400 when it is not one."""
    if name not in params:
        return None
    try:
        value = int(params[name])
    except ValueError:
        value = -1
    if value < 0:
        raise ValidationError({name: [message]})
    return value


def _served(call, *args, **kwargs) -> Any:
    """Call a service; its refusal is a 400 with its messages."""
    try:
        return call(*args, **kwargs)
    except DjangoValidationError as error:
        _raise_as_api_error(error)


TRUE_FALSE = {"true": True, "1": True, "false": False, "0": False}


# --- viewsets ----------------------------------------------------------------------------------


class WorkPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's community's work plan (a list of at most one; its id is the community's)."""

    serializer_class = WorkPlanSerializer

    def get_queryset(self):
        person = stakeholder_selectors.person_of(self.request.user)
        if person is None:
            return Community.objects.none()
        return Community.objects.filter(pk=person.community_id).order_by("pk")

    def plan_data(self, community: Community) -> dict:
        user = self.request.user
        workplan = selectors.workplan_for(user, community)
        return {"community": community, "progress": workplan.progress, "areas": workplan.areas}

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": selectors.today_for(self.request.user)}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        plans = [self.plan_data(community) for community in page]
        return self.get_paginated_response(self.get_serializer(plans, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.plan_data(self.get_object())).data)


@extend_schema(
    parameters=[
        OpenApiParameter("kind", str, description="presence, services or concern"),
        OpenApiParameter("sector", int, description="entries from this sector"),
    ]
)
class RealityEntryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The community profile: the entries the caller may see, the latest observed first."""

    serializer_class = RealityEntrySerializer

    def get_queryset(self):
        entries = selectors.reality_entries_for(self.request.user)
        params = self.request.query_params
        kind = params.get("kind")
        if kind is not None:
            if kind not in RealityKind.values:
                raise ValidationError({"kind": [_("Choose presence, services or concern.")]})
            entries = entries.filter(kind=kind)
        sector = _positive_int(params, "sector", _("Give a sector id."))
        if sector is not None:
            entries = entries.filter(sector_id=sector)
        return entries

    def get_object(self) -> RealityEntry:
        entry = selectors.get_reality_entry(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, entry)
        return entry

    def detail_serializer(self, entry: RealityEntry) -> RealityEntrySerializer:
        return RealityEntrySerializer(selectors.get_reality_entry(self.request.user, entry.pk))

    @extend_schema(request=RealityEntryInput, responses={201: RealityEntrySerializer})
    def create(self, request, *args, **kwargs):
        return _create(
            request,
            RealityEntryInput,
            services.record_reality_entry,
            self.detail_serializer,
            author=_committee_actor(request),
        )


class NeedViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Needs the caller may see. Its author or a coordinator changes a need's words and sector
    (PATCH); who sees it only its author changes (`services.update_need`)."""

    serializer_class = NeedSerializer

    def get_queryset(self):
        return selectors.needs_for(self.request.user)

    def get_object(self) -> Need:
        need = selectors.get_need(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, need)
        return need

    def detail_serializer(self, need: Need) -> NeedSerializer:
        return NeedSerializer(selectors.get_need(self.request.user, need.pk))

    @extend_schema(request=NeedInput, responses={201: NeedSerializer})
    def create(self, request, *args, **kwargs):
        return _create(
            request,
            NeedInput,
            services.record_need,
            self.detail_serializer,
            author=_committee_actor(request),
        )

    @extend_schema(
        request=NeedChangeInput,
        responses=NeedSerializer,
        description="Change what a need says, its sector, or (its author only) who sees it; "
        "fields left out stay as they are.",
    )
    def partial_update(self, request, *args, **kwargs):
        need = self.get_object()
        actor = _committee_actor(request)
        serializer = NeedChangeInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        changes = serializer.validated_data
        if "sectors" in changes:
            changes.setdefault("visibility", need.visibility)
        elif "visibility" in changes:
            changes["sectors"] = []
        _served(
            services.update_need,
            actor=actor,
            need=need,
            **{
                "title": need.title,
                "description": need.description,
                "sector": need.sector,
                **changes,
            },
        )
        return Response(self.detail_serializer(need).data)

    def _dots(self, request, service) -> Response:
        need = self.get_object()
        actor = _committee_actor(request)
        prioritization = selectors.open_prioritization(request.user)
        if prioritization is None:
            raise ValidationError(
                {"detail": [_("Dots are placed while a prioritization is open; none is open.")]}
            )
        _served(service, actor=actor, prioritization=prioritization, need=need)
        dots = selectors.my_dots(request.user, prioritization)
        data = {
            "need": need.pk,
            "prioritization": prioritization.pk,
            "dots": dots.by_need.get(need.pk, 0),
            "used": dots.used,
            "remaining": dots.remaining,
            "allowed": dots.allowed,
        }
        return Response(VoteResultSerializer(data).data)

    @extend_schema(
        request=None,
        responses=VoteResultSerializer,
        description="Place one more of your dots on this need in the open prioritization.",
    )
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        return self._dots(request, services.vote)

    @extend_schema(
        request=None,
        responses=VoteResultSerializer,
        description="Take one of your dots back from this need in the open prioritization.",
    )
    @action(detail=True, methods=["post"])
    def unvote(self, request, pk=None):
        return self._dots(request, services.unvote)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "prioritization",
                OpenApiTypes.INT,
                description="A round by its id; by default the open one, else the latest.",
            )
        ],
        responses=ResultsSerializer,
        description="The dots of a prioritization round per need, overall and per sector.",
    )
    @action(detail=False, methods=["get"])
    def results(self, request):
        user = request.user
        round_id = _positive_int(
            request.query_params,
            "prioritization",
            _("Give the prioritization's id, a whole number."),
        )
        if round_id is not None:
            prioritization = selectors.get_prioritization(user, round_id)
        else:
            prioritization = (
                selectors.open_prioritization(user) or selectors.prioritizations_for(user).first()
            )
        if prioritization is None:
            empty = {"prioritization": None, "total": 0, "sectors": [], "needs": []}
            empty["my_dots"] = {"used": 0, "remaining": 0, "allowed": 0}
            return Response(ResultsSerializer(empty).data)
        results = selectors.prioritization_results(user, prioritization)
        mine = selectors.my_dots(user, prioritization)
        data = {
            "prioritization": prioritization,
            "total": results.total,
            "sectors": [
                {
                    "sector_id": sector.pk,
                    "sector_name": sector.localized_name,
                    "dots": results.totals_by_sector.get(sector.pk, 0),
                }
                for sector in results.sectors
            ],
            "needs": [
                {
                    "need": tally.need,
                    "total": tally.total,
                    "by_sector": [
                        {"sector_id": sector.pk, "dots": tally.by_sector.get(sector.pk, 0)}
                        for sector in results.sectors
                    ],
                }
                for tally in results.needs
            ],
            "my_dots": {"used": mine.used, "remaining": mine.remaining, "allowed": mine.allowed},
        }
        return Response(ResultsSerializer(data).data)


class ActionAreaViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ActionAreaSerializer

    def get_queryset(self):
        return selectors.action_areas_for(self.request.user)

    def get_object(self) -> ActionArea:
        area = selectors.get_action_area(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, area)
        return area

    def detail_serializer(self, area: ActionArea) -> ActionAreaSerializer:
        return ActionAreaSerializer(selectors.get_action_area(self.request.user, area.pk))

    @extend_schema(request=ActionAreaInput, responses={201: ActionAreaSerializer})
    def create(self, request, *args, **kwargs):
        return _create(
            request,
            ActionAreaInput,
            services.create_action_area,
            self.detail_serializer,
            actor=_committee_actor(request),
        )

    @extend_schema(
        request=AgreementInput,
        responses=ActionAreaSerializer,
        description="Record the closed, agreed proposal that agreed this action area.",
    )
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        area = self.get_object()
        actor = _committee_actor(request)
        serializer = AgreementInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        _served(
            services.agree_action_area,
            actor=actor,
            area=area,
            proposal=serializer.validated_data["proposal"],
        )
        return Response(self.detail_serializer(area).data)


AREA_FILTER = OpenApiParameter(
    "area", OpenApiTypes.INT, description="Only the objectives of this action area."
)


class ObjectiveViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ObjectiveSerializer

    def get_queryset(self):
        queryset = selectors.objectives_for(self.request.user).order_by(
            "area__position", "area_id", "position", "pk"
        )
        area_id = _positive_int(
            self.request.query_params, "area", _("Give the action area's id, a whole number.")
        )
        if area_id is not None:
            queryset = queryset.filter(area_id=area_id)
        return queryset

    def get_object(self) -> Objective:
        objective = selectors.get_objective(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, objective)
        return objective

    @extend_schema(parameters=[AREA_FILTER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ObjectiveInput, responses={201: ObjectiveSerializer})
    def create(self, request, *args, **kwargs):
        return _create(
            request,
            ObjectiveInput,
            services.create_objective,
            ObjectiveSerializer,
            actor=_committee_actor(request),
        )


ACTION_FILTERS = [
    OpenApiParameter(
        "status", OpenApiTypes.STR, enum=ActionStatus.values, description="Only this status."
    ),
    OpenApiParameter(
        "lead_organization", OpenApiTypes.INT, description="Only actions this organization leads."
    ),
    OpenApiParameter(
        "overdue",
        OpenApiTypes.BOOL,
        description="true: only actions past their due date and not done or dropped; "
        "false: only the others.",
    ),
]


class ActionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Actions in the order of the plan: by action area, objective, then their own order."""

    serializer_class = ActionSerializer

    def today(self):
        return selectors.today_for(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": self.today()}

    def get_queryset(self):
        queryset = selectors.actions_for(self.request.user).order_by(
            "objective__area__position",
            "objective__area_id",
            "objective__position",
            "objective_id",
            "position",
            "pk",
        )
        params = self.request.query_params
        if "status" in params:
            if params["status"] not in ActionStatus.values:
                message = _("Unknown status “%(value)s”. Choose one of: %(choices)s.") % {
                    "value": params["status"],
                    "choices": ", ".join(ActionStatus.values),
                }
                raise ValidationError({"status": [message]})
            queryset = queryset.filter(status=params["status"])
        organization_id = _positive_int(
            params, "lead_organization", _("Give the organization's id, a whole number.")
        )
        if organization_id is not None:
            queryset = queryset.filter(lead_organization_id=organization_id)
        if "overdue" in params:
            overdue = TRUE_FALSE.get(params["overdue"].lower())
            if overdue is None:
                raise ValidationError({"overdue": [_("Give true or false.")]})
            late = {"due_on__lt": self.today(), "status__in": sorted(OPEN_STATUSES)}
            queryset = queryset.filter(**late) if overdue else queryset.exclude(**late)
        return queryset

    def get_object(self) -> Action:
        record = selectors.get_action(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, record)
        return record

    def detail_serializer(self, record: Action) -> ActionSerializer:
        """The action as the caller sees it now (read again after a write)."""
        record = selectors.get_action(self.request.user, record.pk)
        return ActionSerializer(record, context=self.get_serializer_context())

    @extend_schema(parameters=ACTION_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ActionInput, responses={201: ActionSerializer})
    def create(self, request, *args, **kwargs):
        return _create(
            request,
            ActionInput,
            services.create_action,
            self.detail_serializer,
            actor=_committee_actor(request),
        )

    @extend_schema(
        request=ActionStatusInput,
        responses=ActionSerializer,
        description="Change the status, the progress, or both at once (all or nothing). "
        'By the responsible person or whoever may plan the action; "approved" only through '
        "`approve`.",
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def change_status(self, request, pk=None):
        record = self.get_object()
        actor = _committee_actor(request)
        serializer = ActionStatusInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            with transaction.atomic():
                if "status" in data:
                    record = services.set_action_status(
                        actor=actor, action=record, status=data["status"]
                    )
                # Marking an action done sets it to 100 %: that same figure is no change.
                if "progress" in data and data["progress"] != record.progress:
                    services.set_action_progress(
                        actor=actor, action=record, progress=data["progress"]
                    )
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        return Response(self.detail_serializer(record).data)

    @extend_schema(
        request=AgreementInput,
        responses=ActionSerializer,
        description="Approve this proposed action through the closed proposal that the "
        "committee agreed.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        record = self.get_object()
        actor = _committee_actor(request)
        serializer = AgreementInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        _served(
            services.approve_actions,
            actor=actor,
            proposal=serializer.validated_data["proposal"],
            actions=[record],
        )
        return Response(self.detail_serializer(record).data)

    @extend_schema(
        methods=["GET"],
        responses=ProgressUpdateSerializer(many=True),
        description="The progress updates, newest first.",
    )
    @extend_schema(
        methods=["POST"],
        request=ProgressUpdateInput,
        responses={201: ProgressUpdateSerializer},
        description="Report on the action: a progress, a value of one of its indicators, a "
        "note, or several of these.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def updates(self, request, pk=None):
        record = self.get_object()
        if request.method == "GET":
            return Response(ProgressUpdateSerializer(selectors.updates_of(record), many=True).data)
        serializer = ProgressUpdateInput(
            data=request.data, context={"request": request, "action": record}
        )
        serializer.is_valid(raise_exception=True)
        update = _served(
            services.add_progress_update,
            actor=_committee_actor(request),
            action=record,
            **serializer.validated_data,
        )
        return Response(ProgressUpdateSerializer(update).data, status=status.HTTP_201_CREATED)


class IntendedOutcomeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The outcomes the community may focus on: the seed's four, then its own, each chosen or
    not. Committee members read them; coordinators choose and add."""

    serializer_class = IntendedOutcomeSerializer

    def get_queryset(self):
        return selectors.intended_outcomes_for(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(selectors.outcome_menu(request.user))
        return self.get_paginated_response(IntendedOutcomeSerializer(page, many=True).data)

    @extend_schema(request=IntendedOutcomeInput, responses={201: IntendedOutcomeSerializer})
    def create(self, request, *args, **kwargs):
        return _create(
            request,
            IntendedOutcomeInput,
            services.add_intended_outcome,
            _outcome_option_serializer,
            actor=_committee_actor(request),
        )

    @extend_schema(
        request=ChooseOutcomeInput,
        responses=IntendedOutcomeSerializer,
        description="Choose (or set aside, with chosen=false) an outcome: one of the seed's "
        "four by its key, or one of the community's own by its id.",
    )
    @action(detail=False, methods=["post"])
    def choose(self, request):
        actor = _committee_actor(request)
        serializer = ChooseOutcomeInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "key" in data:
            outcome = _served(
                services.choose_model_outcome, actor=actor, key=data["key"], chosen=data["chosen"]
            )
        else:
            outcome = _served(
                services.set_outcome_chosen,
                actor=actor,
                outcome=data["outcome"],
                chosen=data["chosen"],
            )
        return Response(_outcome_option_serializer(outcome).data)


def _outcome_option_serializer(outcome) -> IntendedOutcomeSerializer:
    option = selectors.OutcomeOption(outcome.key, outcome.label, outcome, outcome.chosen)
    return IntendedOutcomeSerializer(option)
