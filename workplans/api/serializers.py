"""The work-plan API's serializers: fields that choose among what the caller may see, output
serializers (what a caller reads) and input serializers (what a caller sends), kept apart."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from committee import selectors as committee_selectors
from committee.api import PersonRefSerializer, SectorRefSerializer
from stakeholders import selectors as stakeholder_selectors
from stakeholders.api import CommunitySerializer, OrganizationField, SectorField
from stakeholders.models import Visibility

from .. import selectors
from ..models import (
    MODEL_OUTCOMES,
    OPEN_STATUSES,
    Action,
    ActionArea,
    ActionStatus,
    Need,
    Objective,
    Prioritization,
    ProgressUpdate,
    RealityEntry,
    RealityKind,
)

# --- fields that choose among what the caller may see ------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class NeedField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.needs_for(self.context["request"].user).prefetch_related(None)


@extend_schema_field(OpenApiTypes.INT)
class ActionAreaField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.action_areas_for(self.context["request"].user).prefetch_related(None)


@extend_schema_field(OpenApiTypes.INT)
class ObjectiveField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.objectives_for(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class PersonField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return stakeholder_selectors.people_for(self.context["request"].user).prefetch_related(None)


@extend_schema_field(OpenApiTypes.INT)
class ProposalField(serializers.PrimaryKeyRelatedField):
    """A proposal the caller may see; a hidden one does not exist, like a missing one."""

    def get_queryset(self):
        return committee_selectors.proposals_for(self.context["request"].user).prefetch_related(
            None
        )


@extend_schema_field(OpenApiTypes.INT)
class IndicatorField(serializers.PrimaryKeyRelatedField):
    """An indicator of the action in the context (which the caller got from `get_action`)."""

    def get_queryset(self):
        return selectors.indicators_of(self.context["action"])


@extend_schema_field(OpenApiTypes.INT)
class IntendedOutcomeField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.intended_outcomes_for(self.context["request"].user)


# --- output ------------------------------------------------------------------------------------


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class NameRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class NeedSerializer(serializers.ModelSerializer):
    sector = SectorRefSerializer(read_only=True)
    author = serializers.CharField(source="author.display_name", read_only=True, default=None)
    visible_sectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Need
        fields = [
            "id",
            "title",
            "description",
            "sector",
            "status",
            "visibility",
            "visible_sectors",
            "author",
            "created_at",
            "updated_at",
        ]


class RealityEntrySerializer(serializers.ModelSerializer):
    """An entry of the community profile; `text` is Markdown, as written."""

    sector = SectorRefSerializer(read_only=True)
    author = serializers.CharField(source="author.display_name", read_only=True, default=None)
    visible_sectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = RealityEntry
        fields = [
            "id",
            "kind",
            "sector",
            "observed_on",
            "text",
            "sources",
            "visibility",
            "visible_sectors",
            "author",
            "created_at",
            "updated_at",
        ]


class ActionAreaSerializer(serializers.ModelSerializer):
    """The needs it answers are those the caller may see; `agreed_by` and `agreed_at` are null
    unless the caller may see the proposal that agreed it, `drafted_proposal` (the proposal
    drafted to agree it) unless the caller may see that one."""

    visible_sectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    needs = RefSerializer(many=True, read_only=True)
    is_agreed = serializers.BooleanField(read_only=True)
    agreed_by = RefSerializer(read_only=True, allow_null=True)
    agreed_at = serializers.SerializerMethodField()
    drafted_proposal = RefSerializer(source="proposal", read_only=True, allow_null=True)

    class Meta:
        model = ActionArea
        fields = [
            "id",
            "title",
            "description",
            "visibility",
            "visible_sectors",
            "needs",
            "is_agreed",
            "agreed_by",
            "agreed_at",
            "drafted_proposal",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_agreed_at(self, area: ActionArea) -> str | None:
        if area.agreed_by is None:  # not agreed, or by a proposal hidden from the caller
            return None
        return serializers.DateTimeField().to_representation(area.agreed_at)


class ObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objective
        fields = ["id", "area", "title", "description", "created_at"]


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    target = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, allow_null=True
    )
    unit = serializers.CharField(read_only=True)


class ActionSerializer(serializers.ModelSerializer):
    """`approved_by` and `approved_at` are null unless the caller may see the proposal that
    approved it. `is_overdue` compares `due_on` with today in the community (the context's
    `today`)."""

    area = serializers.IntegerField(source="objective.area_id", read_only=True)
    lead_organization = NameRefSerializer(read_only=True, allow_null=True)
    partner_organizations = NameRefSerializer(many=True, read_only=True)
    responsible = PersonRefSerializer(read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()
    is_approved = serializers.BooleanField(read_only=True)
    approved_by = RefSerializer(read_only=True, allow_null=True)
    approved_at = serializers.SerializerMethodField()
    visible_sectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "area",
            "objective",
            "title",
            "description",
            "lead_organization",
            "partner_organizations",
            "responsible",
            "starts_on",
            "due_on",
            "status",
            "progress",
            "is_overdue",
            "is_approved",
            "approved_by",
            "approved_at",
            "visibility",
            "visible_sectors",
            "indicators",
            "created_at",
            "updated_at",
        ]

    def get_is_overdue(self, action: Action) -> bool:
        return (
            action.due_on is not None
            and action.due_on < self.context["today"]
            and action.status in OPEN_STATUSES
        )

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_approved_at(self, action: Action) -> str | None:
        if action.approved_by is None:  # not approved, or by a proposal hidden from the caller
            return None
        return serializers.DateTimeField().to_representation(action.approved_at)


class ProgressUpdateSerializer(serializers.ModelSerializer):
    indicator = NameRefSerializer(read_only=True, allow_null=True)
    by = PersonRefSerializer(read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = ["id", "date", "progress", "indicator", "value", "note", "by", "created_at"]


class ObjectivePlanSerializer(ObjectiveSerializer):
    """An objective in the work plan, with its visible actions in order and their roll-up."""

    progress = serializers.IntegerField(read_only=True, allow_null=True)
    actions = ActionSerializer(many=True, read_only=True)

    class Meta(ObjectiveSerializer.Meta):
        fields = [*ObjectiveSerializer.Meta.fields, "progress", "actions"]

    def to_representation(self, plan: selectors.ObjectivePlan) -> dict:
        return {
            **ObjectiveSerializer(plan.objective, context=self.context).data,
            "progress": plan.progress,
            "actions": ActionSerializer(plan.actions, many=True, context=self.context).data,
        }


class AreaPlanSerializer(ActionAreaSerializer):
    """An action area in the work plan, with its objectives in order and its roll-up over all
    its visible actions."""

    progress = serializers.IntegerField(read_only=True, allow_null=True)
    objectives = ObjectivePlanSerializer(many=True, read_only=True)

    class Meta(ActionAreaSerializer.Meta):
        fields = [*ActionAreaSerializer.Meta.fields, "progress", "objectives"]

    def to_representation(self, plan: selectors.AreaPlan) -> dict:
        objectives = ObjectivePlanSerializer(plan.objectives, many=True, context=self.context)
        return {
            **ActionAreaSerializer(plan.area, context=self.context).data,
            "progress": plan.progress,
            "objectives": objectives.data,
        }


class WorkPlanSerializer(serializers.Serializer):
    """A community's work plan as the caller may see it: action areas → objectives → actions,
    each level with its progress rolled up from the visible actions (null: nothing to count)."""

    id = serializers.IntegerField(source="community.pk", read_only=True)
    community = CommunitySerializer(read_only=True)
    progress = serializers.IntegerField(read_only=True, allow_null=True)
    areas = AreaPlanSerializer(many=True, read_only=True)


class SectorDotsSerializer(serializers.Serializer):
    sector_id = serializers.IntegerField()
    dots = serializers.IntegerField()


class SectorTotalSerializer(serializers.Serializer):
    sector_id = serializers.IntegerField()
    sector_name = serializers.CharField()
    dots = serializers.IntegerField()


class NeedTallySerializer(serializers.Serializer):
    need = RefSerializer()
    sector = SectorRefSerializer(source="need.sector")
    status = serializers.CharField(source="need.status")
    total = serializers.IntegerField()
    by_sector = SectorDotsSerializer(many=True)


class PrioritizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Prioritization
        fields = ["id", "title", "status", "dots_per_member", "opened_at", "closed_at"]


class MyDotsSerializer(serializers.Serializer):
    used = serializers.IntegerField()
    remaining = serializers.IntegerField()
    allowed = serializers.IntegerField()


class ResultsSerializer(serializers.Serializer):
    """A round's dots over the needs the caller may see: per need (most dots first) overall and
    per sector of the people who placed them, and per sector over all those needs. Who placed
    which dot is never shown. `prioritization` is null when the community has had no round."""

    prioritization = PrioritizationSerializer(allow_null=True)
    total = serializers.IntegerField()
    sectors = SectorTotalSerializer(many=True)
    needs = NeedTallySerializer(many=True)
    my_dots = MyDotsSerializer()


class VoteResultSerializer(serializers.Serializer):
    need = serializers.IntegerField()
    prioritization = serializers.IntegerField()
    dots = serializers.IntegerField(help_text="Your dots on this need now.")
    used = serializers.IntegerField()
    remaining = serializers.IntegerField()
    allowed = serializers.IntegerField()


class IntendedOutcomeSerializer(serializers.Serializer):
    """A line of the outcomes menu: the seed's four first (`id` null until one is chosen once),
    then the community's own. `title` is in the caller's language for the seed's four."""

    id = serializers.SerializerMethodField()
    key = serializers.CharField(help_text="The seed's key; empty for the community's own.")
    title = serializers.CharField(source="label")
    description = serializers.SerializerMethodField()
    chosen = serializers.BooleanField()
    is_from_model = serializers.BooleanField()

    def get_id(self, option: selectors.OutcomeOption) -> int | None:
        return option.outcome.pk if option.outcome is not None else None

    def get_description(self, option: selectors.OutcomeOption) -> str:
        return option.outcome.description if option.outcome is not None else ""


# --- input -------------------------------------------------------------------------------------


class NeedInput(serializers.Serializer):
    # Blank text passes through so that the service gives its own message.
    title = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    sector = SectorField()
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    visible_sectors = SectorField(many=True, required=False, default=list, source="sectors")


class NeedChangeInput(serializers.Serializer):
    """What a PATCH changes; what it leaves out stays as it is."""

    title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    sector = SectorField(required=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    visible_sectors = SectorField(many=True, required=False, source="sectors")


class RealityEntryInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RealityKind.choices)
    sector = SectorField()
    observed_on = serializers.DateField()
    # Blank text passes through so that the service gives its own message.
    text = serializers.CharField(allow_blank=True)
    sources = serializers.CharField(required=False, allow_blank=True, default="")
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    visible_sectors = SectorField(many=True, required=False, default=list, source="sectors")


class ActionAreaInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    visible_sectors = SectorField(many=True, required=False, default=list, source="sectors")
    needs = NeedField(many=True, required=False, default=list)


class ObjectiveInput(serializers.Serializer):
    area = ActionAreaField()
    title = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ActionInput(serializers.Serializer):
    objective = ObjectiveField()
    title = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    visible_sectors = SectorField(many=True, required=False, default=list, source="sectors")
    lead_organization = OrganizationField(required=False, allow_null=True, default=None)
    partner_organizations = OrganizationField(many=True, required=False, default=list)
    responsible = PersonField(required=False, allow_null=True, default=None)
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class ActionStatusInput(serializers.Serializer):
    # Every status is accepted here so that the service says why "approved" is refused.
    status = serializers.ChoiceField(
        choices=ActionStatus.choices,
        required=False,
        help_text='The new status. "approved" is set only through `approve`.',
    )
    progress = serializers.IntegerField(
        required=False, help_text="The progress in percent, from 0 to 100."
    )

    def validate(self, attrs: dict) -> dict:
        if "status" not in attrs and "progress" not in attrs:
            raise ValidationError(_("Give a status, a progress or both."))
        return attrs


class AgreementInput(serializers.Serializer):
    proposal = ProposalField(help_text="The closed proposal the committee agreed.")


class ProgressUpdateInput(serializers.Serializer):
    date = serializers.DateField(source="on")
    progress = serializers.IntegerField(required=False, allow_null=True, default=None)
    indicator = IndicatorField(required=False, allow_null=True, default=None)
    value = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IntendedOutcomeInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ChooseOutcomeInput(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=list(MODEL_OUTCOMES.items()),
        required=False,
        help_text="One of the seed's four outcomes, by its key.",
    )
    outcome = IntendedOutcomeField(
        required=False, help_text="An outcome of the list by its id (the community's own)."
    )
    chosen = serializers.BooleanField(default=True)

    def validate(self, attrs: dict) -> dict:
        if ("key" in attrs) == ("outcome" in attrs):
            raise ValidationError(_("Name the outcome either by its key or by its id."))
        return attrs
