"""The five adaptation steps and the work plan: intended outcomes, the needs and issues register,
prioritization by dot vote, action areas → objectives → actions, indicators and progress updates.

Visibility (DESIGN.md, "Visibility"):
- `Need`, `ActionArea` and `Action` are `VisibleRecord`s, each with its own grants, so that a need
  raised in a caucus, a caucus action area and a caucus action can all exist.
- An `Objective` has no visibility of its own: it is visible exactly when its action area is.
- An `Action` is visible when its own visibility lets the viewer see it **and** its action area
  is visible to them: a record is never reachable through a parent the viewer cannot see.
- `Indicator`s and `ProgressUpdate`s are visible exactly when their action is; a `NeedVote`
  counts, in anything a viewer is shown, only when its need is visible to that viewer.
- `IntendedOutcome` and `Prioritization` belong to the whole committee of a
  community: every committee member of that community sees them (administrators do not).

Approval: an action reaches "approved" (and the statuses after it) only with the agreed consensus
proposal that approved it (`approved_by`); the database refuses an action in progress, done or
stalled without one, and the services are the only way to set it (`services.approve_actions`).
An action area counts as agreed when `agreed_by` names the agreed proposal that agreed it."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase

from committee.models import Proposal
from stakeholders.models import Community, Organization, Person, Sector, Visibility, VisibleRecord

# The seed's four intended outcomes (section 2, step 2), offered to every community by key.
# The key lets the platform show the title in the reader's language; a community's own outcomes
# have no key and show the title it wrote.
MODEL_OUTCOMES: dict[str, str] = {
    "sex-worker-safety": _("Improve the safety and health of sex workers"),
    "community-safety": _(
        "Reduce safety concerns for residents, businesses, and visitors related to the sex trade"
    ),
    "youth-healthy-choices": _("Improve healthy choices by children and youth"),
    "youth-exploitation": _("Reduce sexual exploitation of youth"),
}

# What the work plan and the community profile may share with the public: agreed action areas,
# approved actions, and profile entries a coordinator chose to share.
PLAN_VISIBILITIES = frozenset(
    {
        Visibility.PUBLIC,
        Visibility.COMMITTEE,
        Visibility.SECTORS,
        Visibility.ORGANIZATION,
        Visibility.COORDINATORS,
    }
)


# --- step 1: current reality -------------------------------------------------------------------


class RealityKind(models.TextChoices):
    """The three things the community profile records (step 1, "understand sex work in the
    community")."""

    PRESENCE = "presence", _("Where and how sex work and sexual exploitation show up")
    SERVICES = "services", _("Services that exist")
    CONCERN = "concern", _("A sector's concerns")


class RealityEntry(VisibleRecord):
    """A dated observation in the community profile, from one sector. Like a need, it says who
    may see it: an experiential member's account can stay in the experiential caucus, and a
    coordinator may share an entry with the public."""

    kind = models.CharField(_("what it is about"), max_length=20, choices=RealityKind.choices)
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        related_name="reality_entries",
        verbose_name=_("from the sector"),
    )
    observed_on = models.DateField(_("observed on"))
    text = models.TextField(_("what we see"))
    sources = models.TextField(
        _("sources"),
        blank=True,
        help_text=_("Where this comes from: a meeting, a report, outreach notes, a count."),
    )

    allowed_visibilities = PLAN_VISIBILITIES

    class Meta:
        verbose_name = _("community profile entry")
        verbose_name_plural = _("community profile entries")
        ordering = ["-observed_on", "-id"]
        indexes = [models.Index(fields=["community", "visibility"])]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="reality_entry_has_text"),
            models.CheckConstraint(
                condition=Q(kind__in=["presence", "services", "concern"]),
                name="reality_entry_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.observed_on}"

    @property
    def title(self) -> str:
        """A one-line name for lists and the audit trail: the text's first line."""
        first = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return first if len(first) <= 80 else first[:79].rstrip() + "…"


class RealityEntryGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(RealityEntry, on_delete=models.CASCADE)


RealityEntry.grant_model = RealityEntryGrant


# --- step 2: intention -------------------------------------------------------------------------


class IntendedOutcome(models.Model):
    """An outcome a community may focus on: one of the seed's four (offered, with a `key`) or
    one of its own (no key). The community's intention is the outcomes it has `chosen`."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="intended_outcomes"
    )
    key = models.SlugField(max_length=60, blank=True)
    title = models.CharField(_("outcome"), max_length=200)
    description = models.TextField(_("what it means for us"), blank=True)
    chosen = models.BooleanField(_("chosen"), default=False)
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("intended outcome")
        ordering = ["community", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "key"],
                condition=~Q(key=""),
                name="intended_outcome_model_key_once",
            ),
            models.UniqueConstraint(
                "community", Lower("title"), name="intended_outcome_title_unique"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="intended_outcome_has_a_title"),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def is_from_model(self) -> bool:
        return bool(self.key)

    @property
    def label(self) -> str:
        """The title in the reader's language for the seed's four; the community's own words
        otherwise."""
        return MODEL_OUTCOMES.get(self.key, self.title)


# --- step 4: needs and priorities --------------------------------------------------------------


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ADDRESSED = "addressed", _("Addressed")


class Need(VisibleRecord):
    """A need or issue a committee member sees in the community, raised for a sector."""

    title = models.CharField(_("need or issue"), max_length=200)
    description = models.TextField(_("what we see"), blank=True)
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("raised by the sector"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )

    class Meta:
        verbose_name = _("need")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "visibility"])]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="need_has_a_title"),
        ]

    def __str__(self) -> str:
        return self.title


class NeedGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Need, on_delete=models.CASCADE)


Need.grant_model = NeedGrant


class PrioritizationStatus(models.TextChoices):
    OPEN = "open", _("Open for dots")
    CLOSED = "closed", pgettext_lazy("round of dots", "Closed")


DEFAULT_DOTS_PER_MEMBER = 3


class Prioritization(models.Model):
    """A round of dot voting on the open needs. Each committee member who may give positions
    (not observers, not administrators) has `dots_per_member` dots to spread over the needs they
    can see, several on one need if they like. A community has at most one open round."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="prioritizations"
    )
    title = models.CharField(_("title"), max_length=200)
    dots_per_member = models.PositiveSmallIntegerField(
        _("dots per member"), default=DEFAULT_DOTS_PER_MEMBER
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PrioritizationStatus.choices,
        default=PrioritizationStatus.OPEN,
    )
    opened_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("prioritization")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(status="open"),
                name="one_open_prioritization_per_community",
            ),
            models.CheckConstraint(
                condition=Q(dots_per_member__gte=1, dots_per_member__lte=20),
                name="prioritization_dots_between_1_and_20",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="prioritization_closed_at_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NeedVote(models.Model):
    """The dots one member put on one need in one round. The sum of a member's dots in a round
    never exceeds the round's `dots_per_member` (checked under a lock by the service)."""

    prioritization = models.ForeignKey(
        Prioritization, on_delete=models.CASCADE, related_name="votes"
    )
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="need_votes")
    dots = models.PositiveSmallIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prioritization", "need", "person"], name="one_vote_row_per_need_and_person"
            ),
            models.CheckConstraint(condition=Q(dots__gte=1), name="need_vote_has_a_dot"),
        ]
        indexes = [models.Index(fields=["prioritization", "person"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.need_id}: {self.dots}"


# --- the work plan: action areas → objectives → actions ----------------------------------------


class ActionArea(VisibleRecord):
    """An area the committee has prioritized, answering some needs. It counts as agreed when
    `agreed_by` names the closed, agreed proposal that agreed it (`services.agree_action_area`).
    `proposal` is the consensus proposal drafted to agree it (`services.draft_area_proposal`):
    a real link, so that the plan finds it while it is discussed, revised or retitled."""

    title = models.CharField(_("action area"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    needs = models.ManyToManyField(
        Need, blank=True, related_name="action_areas", verbose_name=_("needs it answers")
    )
    agreed_by = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreed_action_areas",
        verbose_name=_("agreed by the proposal"),
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    proposal = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafted_action_areas",
        verbose_name=_("the proposal drafted to agree it"),
    )
    intended_outcomes = models.ManyToManyField(
        IntendedOutcome,
        blank=True,
        related_name="action_areas",
        verbose_name=_("intended outcomes it serves"),
    )
    position = models.PositiveIntegerField(default=0)

    allowed_visibilities = PLAN_VISIBILITIES

    class Meta:
        verbose_name = _("action area")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["community", "visibility"])]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="action_area_has_a_title"),
            models.CheckConstraint(
                condition=Q(agreed_by__isnull=True, agreed_at__isnull=True)
                | Q(agreed_by__isnull=False, agreed_at__isnull=False),
                name="action_area_agreed_at_iff_agreed_by",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_agreed(self) -> bool:
        return self.agreed_by_id is not None


class ActionAreaGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ActionArea, on_delete=models.CASCADE)


ActionArea.grant_model = ActionAreaGrant


class Objective(models.Model):
    """A common objective within an action area; visible exactly when its area is."""

    area = models.ForeignKey(ActionArea, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("objective")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="objective_has_a_title"),
        ]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", pgettext_lazy("action status", "Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    STALLED = "stalled", _("Stalled")
    DROPPED = "dropped", _("Dropped")


# Statuses an action can only have once an agreed proposal approved it.
APPROVED_STATUSES = frozenset(
    {ActionStatus.APPROVED, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.STALLED}
)
# Statuses in which an action still has work to do (so it can be overdue).
OPEN_STATUSES = frozenset(
    {
        ActionStatus.PROPOSED,
        ActionStatus.APPROVED,
        ActionStatus.IN_PROGRESS,
        ActionStatus.STALLED,
    }
)


class Action(VisibleRecord):
    """One action under an objective: who leads it, who is responsible, when, how far along.
    See the module docstring for when it is visible and how it is approved."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead_organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_actions",
        verbose_name=_("lead organization"),
    )
    partner_organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="partner_actions",
        verbose_name=_("partner organizations"),
    )
    responsible = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_actions",
        verbose_name=_("responsible person"),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PROPOSED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    approved_by = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_actions",
        verbose_name=_("approved by the proposal"),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    intended_outcomes = models.ManyToManyField(
        IntendedOutcome,
        blank=True,
        related_name="actions",
        verbose_name=_("intended outcomes it serves"),
    )
    position = models.PositiveIntegerField(default=0)

    allowed_visibilities = PLAN_VISIBILITIES

    class Meta:
        verbose_name = _("action")
        ordering = ["position", "pk"]
        indexes = [
            models.Index(fields=["community", "visibility"]),
            models.Index(fields=["community", "status", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="action_has_a_title"),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="action_progress_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(due_on__gte=F("starts_on")),
                name="action_due_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(APPROVED_STATUSES)) | Q(approved_by__isnull=False),
                name="action_approved_only_through_a_proposal",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="action_approved_at_iff_approved_by",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_approved(self) -> bool:
        return self.approved_by_id is not None


class ActionGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Action, on_delete=models.CASCADE)


Action.grant_model = ActionGrant


class CharterLink(models.Model):
    """An action area or an action serves an objective of the community's charter, named by the
    objective's stable key (`committee.governing_texts`), so that the link holds while the
    charter's words change through agreed proposals. A link to an objective a later charter
    removed stays, shown as no longer in the charter. Visible exactly when its area or action
    is; an action also counts under the objectives its area serves."""

    area = models.ForeignKey(
        ActionArea, null=True, blank=True, on_delete=models.CASCADE, related_name="charter_links"
    )
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="charter_links"
    )
    objective_key = models.SlugField(max_length=60)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=False, action__isnull=True)
                | Q(area__isnull=True, action__isnull=False),
                name="charter_link_has_one_record",
            ),
            models.UniqueConstraint(
                fields=["area", "objective_key"],
                condition=Q(area__isnull=False),
                name="charter_link_once_per_area",
            ),
            models.UniqueConstraint(
                fields=["action", "objective_key"],
                condition=Q(action__isnull=False),
                name="charter_link_once_per_action",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id or self.action_id} → {self.objective_key}"


class Indicator(models.Model):
    """How an action's result is measured: a name, a target and a unit. Its values over time
    come from progress updates."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator")
        ordering = ["action", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="indicator_has_a_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ProgressUpdate(models.Model):
    """A report on an action on a date: its progress in percent, and/or a value of one of its
    indicators, and/or a note. The action's own `progress` follows the latest-dated update that
    gives one."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="progress_updates")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        ordering = ["action", "-date", "-pk"]
        indexes = [models.Index(fields=["action", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__gte=0, progress__lte=100),
                name="progress_update_progress_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(indicator__isnull=True, value__isnull=True)
                | Q(indicator__isnull=False, value__isnull=False),
                name="progress_update_value_iff_indicator",
            ),
            models.CheckConstraint(
                condition=Q(progress__isnull=False) | Q(indicator__isnull=False) | ~Q(note=""),
                name="progress_update_says_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} on {self.date}"
