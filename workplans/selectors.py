"""Every read in `workplans` that depends on who is asking. Pages, exports, charts, the API and
the services get work-plan records only from here.

The rules (see `models` for the why):
- community profile entries, needs, action areas and actions through
  `stakeholders.selectors.visible_to`;
- objectives through their visible area, actions only under a visible area, indicators and
  progress updates only through a visible action;
- a linked proposal (`agreed_by`, `approved_by`, an area's drafted `proposal`) is loaded through
  `committee.selectors.proposals_for`: where the viewer may not see it, the attribute reads None
  (`agreed_by_id` stays set, so the area still counts as agreed, but nothing about the proposal
  is shown);
- an area's linked needs are only those the viewer may see;
- votes count only on needs the viewer may see, in every total;
- the committee-wide records (intended outcomes, prioritization rounds, checklist ticks) are for
  committee members of the community; administrators and other communities get nothing.

Every selector scopes to the viewer's own community. The plan and community profile selectors
take an optional `community`, with which an anonymous visitor gets that community's public
areas, actions and profile entries (the `public` app's page)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import selectors as committee_selectors
from committee.models import Proposal
from stakeholders.models import Community, Person, Sector
from stakeholders.selectors import Viewer, person_of, stakeholder_map, visible_to

from . import adaptation
from .models import (
    MODEL_OUTCOMES,
    OPEN_STATUSES,
    Action,
    ActionArea,
    CharterLink,
    Indicator,
    IntendedOutcome,
    Need,
    NeedStatus,
    NeedVote,
    Objective,
    Prioritization,
    PrioritizationStatus,
    ProgressUpdate,
    RealityEntry,
)
from .rollup import rollup

# --- helpers -----------------------------------------------------------------------------------


def _member(user: Viewer) -> Person | None:
    """The viewer's profile if they take part in the committee (members and coordinators)."""
    person = person_of(user)
    if person is None or not person.is_committee_member:
        return None
    return person


def _community_id(user: Viewer, community: Community | None) -> int | None:
    if community is not None:
        return community.pk
    person = person_of(user)
    return person.community_id if person is not None else None


def _int_pk(pk: int | str) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def _first_or_404(queryset: QuerySet, pk: int | str):
    record = queryset.filter(pk=_int_pk(pk)).first()
    if record is None:
        raise Http404
    return record


def _proposal_links(user: Viewer) -> QuerySet[Proposal]:
    """The proposals a link may show: those the viewer may see, without their own joins."""
    return committee_selectors.proposals_for(user).select_related(None).prefetch_related(None)


def today_for(user: Viewer, community: Community | None = None) -> date:
    """Today in the community's time zone (the viewer's community by default)."""
    if community is None:
        person = person_of(user)
        community = person.community if person is not None else None
    if community is None:
        return timezone.localdate()
    return community.today()


# --- step 1: the community profile ------------------------------------------------------------


def reality_entries_for(user: Viewer, community: Community | None = None) -> QuerySet[RealityEntry]:
    """The community profile's entries the viewer may see, the latest observed first, with
    their sector and author. With `community`, an anonymous visitor gets that community's
    public entries (the public page)."""
    community_id = _community_id(user, community)
    if community_id is None:
        return RealityEntry.objects.none()
    return visible_to(
        user,
        RealityEntry.objects.filter(community_id=community_id)
        .select_related("sector__template", "author")
        .prefetch_related("visible_sectors"),
    )


def get_reality_entry(
    user: Viewer, pk: int | str, community: Community | None = None
) -> RealityEntry:
    return _first_or_404(reality_entries_for(user, community), pk)


# --- step 2: intended outcomes -----------------------------------------------------------------


def intended_outcomes_for(user: Viewer) -> QuerySet[IntendedOutcome]:
    """Every outcome recorded for the viewer's community, chosen or not, in order."""
    person = _member(user)
    if person is None:
        return IntendedOutcome.objects.none()
    return IntendedOutcome.objects.filter(community_id=person.community_id)


@dataclass(frozen=True)
class OutcomeOption:
    """A line of the "what outcomes do we want" form: the seed's four first (whether or not a
    row exists yet), then the community's own."""

    key: str  # "" for the community's own
    label: str
    outcome: IntendedOutcome | None
    chosen: bool

    @property
    def is_from_model(self) -> bool:
        return bool(self.key)


def outcome_menu(user: Viewer) -> list[OutcomeOption]:
    if _member(user) is None:
        return []
    rows = list(intended_outcomes_for(user))
    by_key = {row.key: row for row in rows if row.key}
    options = [
        OutcomeOption(key, label, by_key.get(key), bool(by_key.get(key) and by_key[key].chosen))
        for key, label in MODEL_OUTCOMES.items()
    ]
    options += [OutcomeOption("", row.label, row, row.chosen) for row in rows if not row.key]
    return options


# --- step 4: needs and prioritization ----------------------------------------------------------


def needs_for(user: Viewer) -> QuerySet[Need]:
    """The needs the viewer may see, newest first, with their sector and author."""
    community_id = _community_id(user, None)
    if community_id is None:
        return Need.objects.none()
    return visible_to(
        user,
        Need.objects.filter(community_id=community_id)
        .select_related("sector", "author")
        .prefetch_related("visible_sectors"),
    )


def get_need(user: Viewer, pk: int | str) -> Need:
    return _first_or_404(needs_for(user), pk)


def prioritizations_for(user: Viewer) -> QuerySet[Prioritization]:
    person = _member(user)
    if person is None:
        return Prioritization.objects.none()
    return Prioritization.objects.filter(community_id=person.community_id)


def get_prioritization(user: Viewer, pk: int | str) -> Prioritization:
    return _first_or_404(prioritizations_for(user), pk)


def open_prioritization(user: Viewer) -> Prioritization | None:
    return prioritizations_for(user).filter(status=PrioritizationStatus.OPEN).first()


@dataclass
class NeedTally:
    need: Need
    total: int = 0
    by_sector: dict[int, int] = field(default_factory=dict)  # sector id -> dots


@dataclass
class PrioritizationResults:
    """A round's dots as one viewer may see them: per visible need, in total and per sector of
    the people who placed them (someone in two sectors counts in both sectors' columns, once in
    the total); totals over the visible needs only. Who placed which dot is never shown."""

    prioritization: Prioritization
    sectors: list[Sector]
    needs: list[NeedTally]  # most dots first
    total: int
    totals_by_sector: dict[int, int]

    def top(self, count: int) -> list[NeedTally]:
        return [tally for tally in self.needs if tally.total > 0][:count]


def prioritization_results(user: Viewer, prioritization: Prioritization) -> PrioritizationResults:
    """The results of a round the caller got from `get_prioritization`. Lists every visible need
    that is open or has dots in this round."""
    visible = needs_for(user).prefetch_related(None)
    votes = NeedVote.objects.filter(prioritization=prioritization, need__in=visible.values("pk"))
    totals = dict(votes.values_list("need_id").annotate(dots=Sum("dots")).order_by())
    per_sector = (
        votes.filter(person__sectors__isnull=False)
        .values_list("need_id", "person__sectors")
        .annotate(dots=Sum("dots"))
        .order_by()
    )
    by_need: dict[int, dict[int, int]] = defaultdict(dict)
    totals_by_sector: dict[int, int] = defaultdict(int)
    for need_id, sector_id, dots in per_sector:
        by_need[need_id][sector_id] = dots
        totals_by_sector[sector_id] += dots
    listed = visible.filter(Q(status=NeedStatus.OPEN) | Q(pk__in=list(totals)))
    tallies = [NeedTally(need, totals.get(need.pk, 0), by_need.get(need.pk, {})) for need in listed]
    tallies.sort(key=lambda tally: (-tally.total, tally.need.title.casefold(), tally.need.pk))
    sectors = list(
        Sector.objects.filter(community_id=prioritization.community_id).order_by("position", "name")
    )
    return PrioritizationResults(
        prioritization=prioritization,
        sectors=sectors,
        needs=tallies,
        total=sum(totals.values()),
        totals_by_sector=dict(totals_by_sector),
    )


@dataclass(frozen=True)
class MyDots:
    """The viewer's own dots in a round: where they are (on needs the viewer can see) and how
    many are left. Dots once placed on a need now hidden from the viewer still count against
    their budget."""

    by_need: dict[int, int]
    used: int
    allowed: int

    @property
    def remaining(self) -> int:
        return max(self.allowed - self.used, 0)


def my_dots(user: Viewer, prioritization: Prioritization) -> MyDots:
    person = _member(user)
    if person is None:
        return MyDots({}, 0, 0)
    mine = NeedVote.objects.filter(prioritization=prioritization, person=person)
    visible = needs_for(user).prefetch_related(None).values("pk")
    by_need = dict(mine.filter(need__in=visible).values_list("need_id", "dots"))
    used = mine.aggregate(used=Sum("dots"))["used"] or 0
    return MyDots(by_need=by_need, used=used, allowed=prioritization.dots_per_member)


# --- the work plan -----------------------------------------------------------------------------


def _visible_areas(user: Viewer, community: Community | None) -> QuerySet[ActionArea]:
    community_id = _community_id(user, community)
    if community_id is None:
        return ActionArea.objects.none()
    return visible_to(user, ActionArea.objects.filter(community_id=community_id))


def _visible_actions(user: Viewer, community: Community | None) -> QuerySet[Action]:
    community_id = _community_id(user, community)
    if community_id is None:
        return Action.objects.none()
    areas = _visible_areas(user, community).values("pk")
    return visible_to(
        user, Action.objects.filter(community_id=community_id, objective__area__in=areas)
    )


def action_areas_for(user: Viewer, community: Community | None = None) -> QuerySet[ActionArea]:
    """The action areas the viewer may see, in order, with the needs they answer (those the
    viewer may see), the proposal that agreed them and the one drafted to agree them (each None
    where hidden from the viewer)."""
    return _visible_areas(user, community).prefetch_related(
        "visible_sectors",
        Prefetch("needs", queryset=needs_for(user).prefetch_related(None)),
        Prefetch("agreed_by", queryset=_proposal_links(user)),
        Prefetch("proposal", queryset=_proposal_links(user)),
    )


def get_action_area(user: Viewer, pk: int | str, community: Community | None = None) -> ActionArea:
    return _first_or_404(action_areas_for(user, community), pk)


def objectives_for(user: Viewer, community: Community | None = None) -> QuerySet[Objective]:
    """Objectives of the areas the viewer may see."""
    return Objective.objects.filter(
        area__in=_visible_areas(user, community).values("pk")
    ).select_related("area")


def get_objective(user: Viewer, pk: int | str, community: Community | None = None) -> Objective:
    return _first_or_404(objectives_for(user, community), pk)


def actions_for(user: Viewer, community: Community | None = None) -> QuerySet[Action]:
    """The actions the viewer may see (their own visibility and their area's both let them),
    with their objective, area, organizations, responsible person, indicators and the proposal
    that approved them (None where hidden from the viewer)."""
    return (
        _visible_actions(user, community)
        .select_related("objective__area", "lead_organization", "responsible")
        .prefetch_related(
            "visible_sectors",
            "partner_organizations",
            "indicators",
            Prefetch("approved_by", queryset=_proposal_links(user)),
        )
    )


def get_action(user: Viewer, pk: int | str, community: Community | None = None) -> Action:
    """One action with its progress updates (newest first, with who gave them and the
    indicator they report on)."""
    updates = ProgressUpdate.objects.select_related("by", "indicator").order_by("-date", "-pk")
    return _first_or_404(
        actions_for(user, community).prefetch_related(Prefetch("updates", queryset=updates)), pk
    )


def updates_of(action: Action) -> QuerySet[ProgressUpdate]:
    """The progress updates of an action the caller got from `get_action`/`actions_for`."""
    return (
        ProgressUpdate.objects.filter(action=action)
        .select_related("by", "indicator")
        .order_by("-date", "-pk")
    )


def indicators_of(action: Action) -> QuerySet[Indicator]:
    """The indicators of an action the caller got from `get_action`/`actions_for`."""
    return Indicator.objects.filter(action=action)


@dataclass(frozen=True)
class IndicatorSeries:
    """An indicator's reported values in date order, for a chart."""

    indicator: Indicator
    points: list[tuple[date, Decimal]]


def indicator_series(action: Action) -> list[IndicatorSeries]:
    """For an action the caller got from `get_action`/`actions_for`: each indicator with its
    values over time (on one date, the latest report counts)."""
    return indicator_series_of([action]).get(action.pk, [])


def indicator_series_of(actions: Iterable[Action]) -> dict[int, list[IndicatorSeries]]:
    """`indicator_series` for many actions at once, by action id, in one query for all their
    values: for actions the caller got from `actions_for`/`workplan_for` (indicators prefetched).
    An action without indicators is left out."""
    measured = [action for action in actions if action.indicators.all()]
    if not measured:
        return {}
    points: dict[int, dict[date, Decimal]] = defaultdict(dict)
    values = (
        ProgressUpdate.objects.filter(action__in=measured, indicator__isnull=False)
        .order_by("date", "pk")
        .values_list("indicator_id", "date", "value")
    )
    for indicator_id, on, value in values:
        points[indicator_id][on] = value
    return {
        action.pk: [
            IndicatorSeries(indicator, sorted(points[indicator.pk].items()))
            for indicator in action.indicators.all()
        ]
        for action in measured
    }


def overdue_actions_for(
    user: Viewer, *, today: date | None = None, community: Community | None = None
) -> QuerySet[Action]:
    """Visible actions past their due date and not done or dropped, the most overdue first."""
    today = today or today_for(user, community)
    return (
        actions_for(user, community)
        .filter(due_on__lt=today, status__in=sorted(OPEN_STATUSES))
        .order_by("due_on", "pk")
    )


@dataclass
class ObjectivePlan:
    objective: Objective
    actions: list[Action]
    progress: int | None  # see `rollup`


@dataclass
class AreaPlan:
    area: ActionArea
    objectives: list[ObjectivePlan]
    progress: int | None  # over all the area's visible actions

    @property
    def actions(self) -> list[Action]:
        return [action for objective in self.objectives for action in objective.actions]


@dataclass
class WorkPlan:
    areas: list[AreaPlan]
    progress: int | None  # over every visible action of the plan

    @property
    def actions(self) -> list[Action]:
        return [action for area in self.areas for action in area.actions]


def workplan_for(user: Viewer, community: Community | None = None) -> WorkPlan:
    """The work plan as the viewer may see it: areas → objectives → actions in order, each
    level with its progress rolled up from the visible actions, in a fixed number of queries."""
    objectives = Objective.objects.order_by("position", "pk").prefetch_related(
        Prefetch("actions", queryset=actions_for(user, community))
    )
    areas = action_areas_for(user, community).prefetch_related(
        Prefetch("objectives", queryset=objectives)
    )
    plans = []
    for area in areas:
        objective_plans = [
            ObjectivePlan(objective, list(objective.actions.all()), None)
            for objective in area.objectives.all()
        ]
        for plan in objective_plans:
            plan.progress = rollup(plan.actions)
        area_plan = AreaPlan(area, objective_plans, None)
        area_plan.progress = rollup(area_plan.actions)
        plans.append(area_plan)
    workplan = WorkPlan(plans, None)
    workplan.progress = rollup(workplan.actions)
    return workplan


# --- what the plan is for: charter objectives and intended outcomes ---------------------------


def _objective_label(label: committee_selectors.ObjectiveLabel) -> str:
    if label.in_current_charter:
        return str(label.text)
    return _("%(objective)s (no longer in the charter)") % {"objective": label.text}


def intention_options(
    user: Viewer, community: Community, record: ActionArea | Action | None = None
) -> tuple[list[tuple[str, str]], QuerySet[IntendedOutcome]]:
    """What an area or an action can be linked to: the current charter's objectives and the
    chosen intended outcomes, plus any the record is still linked to (an objective a later
    charter removed, an outcome no longer chosen), so that editing never drops them unseen."""
    linked_keys: set[str] = set()
    linked_outcomes: list[int] = []
    if record is not None:
        linked_keys = set(record.charter_links.values_list("objective_key", flat=True))
        linked_outcomes = list(record.intended_outcomes.values_list("pk", flat=True))
    objectives = [
        (key, _objective_label(label))
        for key, label in committee_selectors.charter_objective_labels(community).items()
        if label.in_current_charter or key in linked_keys
    ]
    outcomes = intended_outcomes_for(user).filter(Q(chosen=True) | Q(pk__in=linked_outcomes))
    return objectives, outcomes


def what_it_serves(action: Action, community: Community) -> tuple[list[str], list[str]]:
    """The charter objectives and intended outcomes an action serves, itself or through its
    area (the caller has the action and its area from the selectors), as labels."""
    area = action.objective.area
    keys = set(
        CharterLink.objects.filter(Q(action=action) | Q(area=area)).values_list(
            "objective_key", flat=True
        )
    )
    labels = committee_selectors.charter_objective_labels(community)
    objectives = [_objective_label(label) for key, label in labels.items() if key in keys]
    outcomes = IntendedOutcome.objects.filter(Q(actions=action) | Q(action_areas=area)).distinct()
    return objectives, [outcome.label for outcome in outcomes.order_by("position", "pk")]


@dataclass
class ProgressGroup:
    label: str
    actions: list[Action]
    progress: int | None  # see `rollup`


PROGRESS_GROUPINGS = ("area", "objective", "outcome")


def progress_groups(
    user: Viewer, community: Community, workplan: WorkPlan, by: str = "area"
) -> list[ProgressGroup]:
    """The plan's visible actions grouped `by` action area (the plan's own order), by charter
    objective, or by intended outcome. An action counts under what it serves and what its
    area serves; it may count in several groups, and the last group holds the actions linked
    to none (when there are any)."""
    if by == "area":
        return [
            ProgressGroup(area.area.title, area.actions, area.progress) for area in workplan.areas
        ]
    area_of = {action.pk: area.area.pk for area in workplan.areas for action in area.actions}
    if by == "objective":
        labels, unlinked = _objective_groups(community, workplan, area_of)
    else:
        labels, unlinked = _outcome_groups(user, workplan, area_of)
    groups = [ProgressGroup(label, actions, rollup(actions)) for label, actions in labels]
    served = {action.pk for _label, actions in labels for action in actions}
    rest = [action for action in workplan.actions if action.pk not in served]
    if rest:
        groups.append(ProgressGroup(unlinked, rest, rollup(rest)))
    return groups


def _serving(workplan: WorkPlan, area_of: dict[int, int], pairs) -> dict:
    """For each group key, the plan's actions that serve it (themselves or through their
    area), in the plan's order. `pairs` are (area id, action id, group key) links."""
    by_area, by_action = defaultdict(set), defaultdict(set)
    for area_id, action_id, key in pairs:
        (by_area[area_id] if area_id else by_action[action_id]).add(key)
    serving = defaultdict(list)
    for action in workplan.actions:
        for key in by_action[action.pk] | by_area[area_of[action.pk]]:
            serving[key].append(action)
    return serving


def _objective_groups(community, workplan, area_of):
    links = CharterLink.objects.filter(
        Q(area_id__in=set(area_of.values())) | Q(action_id__in=set(area_of))
    ).values_list("area_id", "action_id", "objective_key")
    serving = _serving(workplan, area_of, links)
    labels = committee_selectors.charter_objective_labels(community)
    groups = [
        (_objective_label(label), serving.get(key, []))
        for key, label in labels.items()
        if label.in_current_charter or serving.get(key)
    ]
    return groups, _("Not linked to a charter objective")


def _outcome_groups(user, workplan, area_of):
    area_links = ActionArea.intended_outcomes.through.objects.filter(
        actionarea_id__in=set(area_of.values())
    ).values_list("actionarea_id", "intendedoutcome_id")
    action_links = Action.intended_outcomes.through.objects.filter(
        action_id__in=set(area_of)
    ).values_list("action_id", "intendedoutcome_id")
    pairs = [(area, None, outcome) for area, outcome in area_links]
    pairs += [(None, action, outcome) for action, outcome in action_links]
    serving = _serving(workplan, area_of, pairs)
    outcomes = intended_outcomes_for(user).filter(Q(chosen=True) | Q(pk__in=list(serving)))
    groups = [(outcome.label, serving.get(outcome.pk, [])) for outcome in outcomes]
    return groups, _("Not linked to an intended outcome")


# --- the guided path ---------------------------------------------------------------------------


def adaptation_facts(user: Viewer) -> adaptation.AdaptationFacts | None:
    """What the five steps are decided from, counted over what the viewer may see; None for
    someone who does not take part in a committee."""
    person = _member(user)
    if person is None:
        return None
    community_id = person.community_id
    sector_rows = stakeholder_map(user)
    committee = committee_selectors.committee_for(user)
    representation = committee_selectors.representation(user)
    actions = _visible_actions(user, None)
    action_counts = actions.aggregate(
        total=Count("pk"), approved=Count("pk", filter=Q(approved_by__isnull=False))
    )
    agreed_areas = list(
        _visible_areas(user, None)
        .filter(agreed_by__isnull=False)
        .prefetch_related(Prefetch("agreed_by", queryset=_proposal_links(user)))
    )
    if committee is None:
        missing = tuple(
            sector.localized_name
            for sector in Sector.objects.filter(
                community_id=community_id, is_required=True
            ).order_by("position", "name")
        )
    else:
        missing = tuple(
            row.sector.localized_name
            for row in representation
            if row.sector.is_required and row.is_missing
        )
    return adaptation.AdaptationFacts(
        reality_entries=reality_entries_for(user).count(),
        sectors_with_organizations=sum(1 for row in sector_rows if row["organizations"]),
        experiential_members=sum(
            row["committee_members"] for row in sector_rows if row["sector"].is_experiential
        ),
        outcomes_chosen=intended_outcomes_for(user).filter(chosen=True).count(),
        required_sectors_missing=missing,
        experiential_seated=any(
            row.sector.is_experiential and not row.is_missing for row in representation
        ),
        trust_agreement_agreed=committee_selectors.current_agreement(community_id) is not None,
        needs_recorded=needs_for(user).count(),
        areas_agreed=len(agreed_areas),
        agreed_areas=tuple(
            (area.title, area.agreed_by.title if area.agreed_by else "") for area in agreed_areas
        ),
        actions=action_counts["total"],
        actions_approved=action_counts["approved"],
    )


def adaptation_steps(user: Viewer) -> list[adaptation.Step]:
    """The five steps with their checklists for the viewer's community, as the viewer may see
    it; empty for someone who does not take part in a committee (administrators, visitors)."""
    facts = adaptation_facts(user)
    return adaptation.steps_from(facts) if facts is not None else []
