"""Every read of the public page, for the page and its API alike. Records come only from the
apps' own selectors, asked as an anonymous visitor: the page can hold nothing that an anonymous
visitor may not see, whoever is looking at it (a member previewing it sees the same).

Besides the public records, the page shows which sectors take part, as sector names and counts
of active organizations: never a person, never an organization's name."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.http import Http404

from committee import selectors as committee_selectors
from committee.governing_texts import Charter
from stakeholders.models import Community, Organization, Sector
from stakeholders.selectors import Viewer, person_of
from workplans import selectors as workplan_selectors
from workplans.models import Action, ActionStatus, ProgressUpdate, RealityEntry, RealityKind
from workplans.rollup import action_progress

# Whoever asks, the public page is read as nobody in particular.
VISITOR = AnonymousUser()


def is_member(user: Viewer, community_slug: str) -> bool:
    """Whether the viewer has an open profile in this community (members, coordinators and
    administrators): for them /c/<slug>/ is the community's own home."""
    person = person_of(user)
    return person is not None and person.community.slug == community_slug


def community_for_page(user: Viewer, slug: str) -> Community:
    """The community whose public page this is. It exists for everyone when the page is on; for
    its own members also when off (a preview); for anyone else an off page does not exist
    (404, exactly like an unknown address)."""
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise Http404
    if not community.public_page and not is_member(user, slug):
        raise Http404
    return community


def published_community(slug: str) -> Community:
    """For the API, which answers the same to everyone: the community if its page is on."""
    community = Community.objects.filter(slug=slug, public_page=True).first()
    if community is None:
        raise Http404
    return community


# --- what the page holds -----------------------------------------------------------------------


@dataclass(frozen=True)
class SectorTakingPart:
    sector: Sector
    organizations: int

    @property
    def label(self) -> str:
        return self.sector.localized_name


def sectors_taking_part(community: Community) -> list[SectorTakingPart]:
    """The sectors with at least one active organization, in the model's order, with how many
    organizations each has."""
    sectors = (
        Sector.objects.filter(community=community)
        .select_related("template")
        .annotate(
            active=Count(
                "organizations", filter=Q(organizations__status=Organization.Status.ACTIVE)
            )
        )
        .filter(active__gt=0)
        .order_by("position", "name")
    )
    return [SectorTakingPart(sector, sector.active) for sector in sectors]


@dataclass
class RealityGroup:
    kind: str
    label: str
    entries: list[RealityEntry]


def public_reality(community: Community, year: int | None = None) -> list[RealityGroup]:
    """The public entries of the community profile by kind (only kinds that have some), the
    latest observed first; with `year`, those observed that year."""
    entries = workplan_selectors.reality_entries_for(VISITOR, community)
    if year is not None:
        entries = entries.filter(observed_on__year=year)
    entries = list(entries)
    groups = [
        RealityGroup(kind, label, [entry for entry in entries if entry.kind == kind])
        for kind, label in RealityKind.choices
    ]
    return [group for group in groups if group.entries]


@dataclass
class PublicPage:
    community: Community
    charter: Charter  # in force: the model's own until the committee agrees a change
    sectors: list[SectorTakingPart]
    workplan: workplan_selectors.WorkPlan
    reality: list[RealityGroup]
    years: list[int]


def public_page(community: Community) -> PublicPage:
    workplan = workplan_selectors.workplan_for(VISITOR, community)
    return PublicPage(
        community=community,
        charter=committee_selectors.current_charter(community),
        sectors=sectors_taking_part(community),
        workplan=workplan,
        reality=public_reality(community),
        years=years_with_records(community, workplan.actions),
    )


def years_with_records(community: Community, actions: list[Action]) -> list[int]:
    """The years a summary can be printed for, the latest first: this year, and every year in
    which a public action was approved, started, was due or was reported on, or a public profile
    entry was observed."""
    today = workplan_selectors.today_for(VISITOR, community)
    years = {today.year}
    for action in actions:
        years |= {day.year for day in (action.starts_on, action.due_on, action.approved_at) if day}
    years |= {
        day.year
        for day in ProgressUpdate.objects.filter(action__in=[a.pk for a in actions]).values_list(
            "date", flat=True
        )
    }
    years |= {
        day.year
        for day in workplan_selectors.reality_entries_for(VISITOR, community).values_list(
            "observed_on", flat=True
        )
    }
    return sorted(years, reverse=True)


# --- the yearly summary ------------------------------------------------------------------------


@dataclass
class ActionYear:
    """A public action in one year: its progress at the end of the year (the latest figure
    reported by then; today's for the current year), and what was reported during the year."""

    action: Action
    area_title: str
    progress_at_end: int | None
    updates: list[ProgressUpdate] = field(default_factory=list)


@dataclass
class YearSummary:
    community: Community
    year: int
    charter: Charter  # in force today, as on the page
    sectors: list[SectorTakingPart]
    actions: list[ActionYear]
    reality: list[RealityGroup]
    progress: int | None  # the mean over the year's actions, as the roll-up counts it


def year_summary(community: Community, year: int) -> YearSummary:
    """What the committee shared about one year: the public actions approved, started, due or
    reported on in it, and the public profile entries observed in it."""
    today = workplan_selectors.today_for(VISITOR, community)
    if not 1900 <= year <= today.year:
        raise Http404
    workplan = workplan_selectors.workplan_for(VISITOR, community)
    actions = workplan.actions
    updates = ProgressUpdate.objects.filter(
        action__in=[a.pk for a in actions], date__lte=date(year, 12, 31)
    ).order_by("date", "pk")
    by_action: dict[int, list[ProgressUpdate]] = {}
    for update in updates.select_related("indicator"):
        by_action.setdefault(update.action_id, []).append(update)
    rows = []
    for area in workplan.areas:
        for action in area.actions:
            history = by_action.get(action.pk, [])
            during = [update for update in history if update.date.year == year]
            touched = during or any(
                day and day.year == year
                for day in (action.starts_on, action.due_on, action.approved_at)
            )
            if not touched:
                continue
            at_end = _progress_at_end(action, history, year, today)
            rows.append(ActionYear(action, area.area.title, at_end, during))
    counted = [
        row.progress_at_end
        for row in rows
        if row.progress_at_end is not None and row.action.status != ActionStatus.DROPPED
    ]
    mean = None
    if counted:
        mean = int((Decimal(sum(counted)) / len(counted)).quantize(Decimal(1), ROUND_HALF_UP))
    return YearSummary(
        community=community,
        year=year,
        charter=committee_selectors.current_charter(community),
        sectors=sectors_taking_part(community),
        actions=rows,
        reality=public_reality(community, year),
        progress=mean,
    )


def _progress_at_end(
    action: Action, history: list[ProgressUpdate], year: int, today: date
) -> int | None:
    if year == today.year:
        return action_progress(action.status, action.progress)
    figures = [update.progress for update in history if update.progress is not None]
    return figures[-1] if figures else None
