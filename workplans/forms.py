"""Forms for the work plan's pages. They check the shape of the input only; the rules (who may
do what, which proposal can approve, who may be responsible) are the services' and come back as
ValidationErrors that the views attach to these forms. Every choice (needs, proposals,
organizations, people, indicators) comes from a selector, so a form never offers what its user
may not see."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from committee.forms.proposals import BODY_HELP
from committee.models import Proposal
from stakeholders.forms import OrganizationNoteForm
from stakeholders.models import Organization, Person, Sector

from .models import (
    DEFAULT_DOTS_PER_MEMBER,
    Action,
    ActionArea,
    ActionStatus,
    Indicator,
    IntendedOutcome,
    Need,
    NeedStatus,
    RealityEntry,
    RealityKind,
)
from .selectors import OutcomeOption

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _title(label) -> forms.CharField:
    return forms.CharField(label=label, max_length=200)


def _description(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _sector():
    return forms.ModelChoiceField(label=_("Raised for the sector"), queryset=Sector.objects.none())


class _VisibleRecordForm(OrganizationNoteForm):
    """A new record with who may see it, chosen exactly as for a note or a proposal: the
    choices are limited to what the author may pick, caucus sectors to the author's own."""

    body = None
    visibility = forms.ChoiceField(label=_("Who can see this"), widget=forms.RadioSelect)
    record_type: type

    def __init__(self, *args, author: Person, **kwargs):
        super().__init__(*args, author=author, record_type=self.record_type, **kwargs)

    def visible_sectors_chosen(self) -> list[Sector]:
        """Sectors count only when sharing with sectors (a box left ticked after choosing
        another option is ignored, as the page cannot untick it without JavaScript)."""
        if self.cleaned_data.get("visibility") != "sectors":
            return []
        return list(self.cleaned_data.get("visible_sectors") or [])


# --- step 1: the community profile ------------------------------------------------------------


class _RealityFields(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it about?"), choices=RealityKind.choices, widget=forms.RadioSelect
    )
    sector = forms.ModelChoiceField(label=_("From the sector"), queryset=Sector.objects.none())
    observed_on = forms.DateField(label=_("Observed on"), widget=DATE_WIDGET)
    text = forms.CharField(
        label=_("What we see"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=BODY_HELP,
    )
    sources = forms.CharField(
        label=_("Sources"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where this comes from: a meeting, a report, outreach notes, a count."),
    )

    def _set_sectors(self, sectors: QuerySet[Sector]) -> None:
        self.fields["sector"].queryset = sectors


class RealityEntryForm(_RealityFields, _VisibleRecordForm):
    """A new entry of the community profile, with who may see it (an experiential member's
    account can stay in the caucus; only coordinators are offered `public`)."""

    record_type = RealityEntry
    field_order = [
        "kind",
        "sector",
        "observed_on",
        "text",
        "sources",
        "visibility",
        "visible_sectors",
    ]

    def __init__(self, *args, author: Person, sectors: QuerySet[Sector], **kwargs):
        super().__init__(*args, author=author, **kwargs)
        self._set_sectors(sectors)


class RealityEntryEditForm(_RealityFields):
    def __init__(self, *args, sectors: QuerySet[Sector], **kwargs):
        super().__init__(*args, **kwargs)
        self._set_sectors(sectors)


class PublishForm(forms.Form):
    """A coordinator's button: share a record on the public page, or take it off."""

    kind = forms.ChoiceField(
        choices=[("area", "area"), ("action", "action"), ("reality", "reality")]
    )
    pk = forms.IntegerField(min_value=1)
    public = forms.TypedChoiceField(
        choices=[("yes", _("Share on the public page")), ("no", _("Take off the public page"))],
        coerce=lambda value: value == "yes",
    )


# --- step 2: intended outcomes -----------------------------------------------------------------


def outcome_value(option: OutcomeOption) -> str:
    """How an outcome is named in the choosing form: the seed's by key, the community's own by
    id."""
    return f"key:{option.key}" if option.key else f"id:{option.outcome.pk}"


class OutcomeChoiceForm(forms.Form):
    chosen = forms.MultipleChoiceField(
        label=_("The outcomes we focus on"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, options: list[OutcomeOption], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [(outcome_value(o), o.label) for o in options]
        self.fields["chosen"].initial = [outcome_value(o) for o in options if o.chosen]


class OwnOutcomeForm(forms.Form):
    title = _title(_("Another outcome we want"))
    description = _description(_("What it means for us"))


# --- step 4: needs and prioritization ----------------------------------------------------------


class NeedForm(_VisibleRecordForm):
    """A need or issue, raised for one of the author's sectors (a coordinator may raise it for
    any sector, writing down what was said at a meeting)."""

    title = _title(_("Need or issue"))
    description = _description(_("What you see"))
    sector = _sector()
    record_type = Need

    field_order = ["title", "description", "sector", "visibility", "visible_sectors"]

    def __init__(self, *args, author: Person, sectors: QuerySet[Sector], **kwargs):
        super().__init__(*args, author=author, **kwargs)
        self.fields["sector"].queryset = sectors
        if sectors.count() == 1:
            self.fields["sector"].initial = sectors.first()


class NeedEditForm(forms.Form):
    title = _title(_("Need or issue"))
    description = _description(_("What you see"))
    sector = _sector()

    def __init__(self, *args, sectors: QuerySet[Sector], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = sectors


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(choices=NeedStatus.choices)


class PrioritizationForm(forms.Form):
    title = _title(_("Title of the round"))
    dots_per_member = forms.IntegerField(
        label=_("Dots per member"),
        min_value=1,
        max_value=20,
        initial=DEFAULT_DOTS_PER_MEMBER,
        help_text=_("Each member spreads these over the needs, several on one need if they like."),
    )


class DotsForm(forms.Form):
    change = forms.ChoiceField(choices=[("add", "+1"), ("remove", "-1")])


# --- the work plan -----------------------------------------------------------------------------


def _needs_field(needs: QuerySet[Need]) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Needs it answers"),
        queryset=needs,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class _IntentionFields(forms.Form):
    """What an area or an action is for: the charter objectives and intended outcomes it
    serves. The view offers the choices (`offer_intentions`)."""

    charter_objectives = forms.MultipleChoiceField(
        label=_("Charter objectives it serves"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    intended_outcomes = forms.ModelMultipleChoiceField(
        label=_("Intended outcomes it serves"),
        queryset=IntendedOutcome.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def offer_intentions(
        self, objectives: list[tuple[str, str]], outcomes: QuerySet[IntendedOutcome]
    ) -> None:
        self.fields["charter_objectives"].choices = objectives
        self.fields["intended_outcomes"].queryset = outcomes

    def intentions(self) -> dict:
        """The keyword arguments of `services.link_intentions` after actor and record."""
        return {
            "objective_keys": self.cleaned_data["charter_objectives"],
            "outcomes": list(self.cleaned_data["intended_outcomes"]),
        }


INTENTION_FIELDS = ["charter_objectives", "intended_outcomes"]


class ActionAreaForm(_IntentionFields, _VisibleRecordForm):
    title = _title(_("Action area"))
    description = _description()
    needs = _needs_field(Need.objects.none())
    record_type = ActionArea

    field_order = [
        "title",
        "description",
        "needs",
        *INTENTION_FIELDS,
        "visibility",
        "visible_sectors",
    ]

    def __init__(self, *args, author: Person, needs: QuerySet[Need], **kwargs):
        super().__init__(*args, author=author, **kwargs)
        self.fields["needs"].queryset = needs


class ActionAreaEditForm(_IntentionFields):
    title = _title(_("Action area"))
    description = _description()
    needs = _needs_field(Need.objects.none())

    field_order = ["title", "description", "needs", *INTENTION_FIELDS]

    def __init__(self, *args, needs: QuerySet[Need], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = needs


class ObjectiveForm(forms.Form):
    title = _title(_("Objective"))
    description = _description()


class _ActionFields(_IntentionFields):
    title = _title(_("Action"))
    description = _description()
    lead_organization = forms.ModelChoiceField(
        label=_("Lead organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("None yet"),
    )
    partner_organizations = forms.ModelMultipleChoiceField(
        label=_("Partner organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
        help_text=_("Someone on the committee who can see this action. They report its progress."),
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE_WIDGET)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE_WIDGET)

    field_order = [
        "title",
        "description",
        "lead_organization",
        "partner_organizations",
        "responsible",
        "starts_on",
        "due_on",
        *INTENTION_FIELDS,
    ]

    def _set_choices(self, organizations: QuerySet[Organization], people: QuerySet[Person]):
        self.fields["lead_organization"].queryset = organizations
        self.fields["partner_organizations"].queryset = organizations
        self.fields["responsible"].queryset = people

    def action_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "lead_organization": data["lead_organization"],
            "partner_organizations": list(data["partner_organizations"]),
            "responsible": data["responsible"],
            "starts_on": data["starts_on"],
            "due_on": data["due_on"],
        }


class ActionForm(_ActionFields, _VisibleRecordForm):
    record_type = Action

    field_order = [*_ActionFields.field_order, "visibility", "visible_sectors"]

    def __init__(self, *args, author, organizations, people, **kwargs):
        super().__init__(*args, author=author, **kwargs)
        self._set_choices(organizations, people)


class ActionEditForm(_ActionFields):
    def __init__(self, *args, organizations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_choices(organizations, people)


# The statuses a person sets by hand: "approved" only comes through an agreed proposal.
STATUS_CHOICES = [
    (value, label) for value, label in ActionStatus.choices if value != ActionStatus.APPROVED
]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES)


class ActionProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Move up")), ("down", _("Move down"))])


def _proposal_field(proposals: QuerySet[Proposal]) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("The agreed proposal"),
        queryset=proposals,
        empty_label=None,
        help_text=_("Only proposals the committee has agreed are listed."),
    )


class AgreeAreaForm(forms.Form):
    proposal = _proposal_field(Proposal.objects.none())

    def __init__(self, *args, proposals: QuerySet[Proposal], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals


class ApproveActionsForm(forms.Form):
    proposal = _proposal_field(Proposal.objects.none())
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions the proposal approved"),
        queryset=Action.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, proposals: QuerySet[Proposal], actions: QuerySet[Action], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals
        self.fields["actions"].queryset = actions


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    target = forms.DecimalField(
        label=_("Target"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)


class ProgressUpdateForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    progress = forms.IntegerField(
        label=_("Progress (%)"), required=False, min_value=0, max_value=100
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    value = forms.DecimalField(label=_("Value"), required=False, max_digits=12, decimal_places=2)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, indicators: QuerySet[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        if not indicators.exists():
            del self.fields["indicator"]
            del self.fields["value"]
