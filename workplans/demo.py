"""The demo work plan that `manage.py seed_demo` adds after the committee (see `committee.demo`):
the seed's four intended outcomes chosen, needs raised by several sectors (one kept in the
experiential caucus), a prioritization with dots placed, two action areas agreed through
proposals the whole committee agreed, and seven actions across every status, with indicators,
progress updates and one overdue. Everything goes through the services, so the demo obeys the
same rules as the pages. Safe to run again: it only adds what is missing."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from committee import selectors as committee_selectors
from committee import services as committee_services
from committee.consensus import Stance
from committee.models import Proposal
from stakeholders.demo import DemoStakeholders
from stakeholders.models import Person, Visibility

from . import services
from .models import (
    MODEL_OUTCOMES,
    Action,
    ActionArea,
    Indicator,
    IntendedOutcome,
    Need,
    Objective,
    Prioritization,
    RealityEntry,
)

# author (display name), sector key, caucus only?, title, description
NEEDS = [
    (
        "Sgt. Alex Chen",
        "law-enforcement",
        False,
        "Violence against sex workers goes unreported",
        "Few reports reach us. People fear being moved along or charged if they come forward.",
    ),
    (
        "Marguerite Lavoie",
        "residents",
        False,
        "Needles and condoms in the laneway behind Main Street",
        "Found most mornings near the school route.",
    ),
    (
        "Priya Natarajan",
        "business",
        False,
        "Customers feel unsafe near the Eastside stops after dark",
        "Two shops now close early in winter.",
    ),
    (
        "Dr. Omar Haddad",
        "health",
        False,
        "No nurse on the outreach van most nights",
        "Wound care and STI testing wait until the clinic opens.",
    ),
    (
        "Tasha Green",
        "youth",
        False,
        "Young people recruited through social media",
        "Youth workers see the same accounts contacting several teens.",
    ),
    (
        "Jade",
        "experiential",
        True,
        "Bad-date warnings travel too slowly between us",
        "Caucus only: by the time a warning reaches the Eastside, the same man has been back.",
    ),
]

PRIORITIZATION = "Spring priorities"
# voter -> [(need title prefix, dots)]
DOTS = {
    "Jade": [("Bad-date", 2), ("No nurse", 1)],
    "Rosa": [("Bad-date", 3)],
    "Sgt. Alex Chen": [("Violence", 2), ("Needles", 1)],
    "Marguerite Lavoie": [("Needles", 2), ("Customers", 1)],
    "Priya Natarajan": [("Customers", 2), ("Needles", 1)],
    "Dr. Omar Haddad": [("No nurse", 3)],
    "Tasha Green": [("Young people", 3)],
    "Sam Rivera": [("No nurse", 1), ("Violence", 1), ("Young people", 1)],
}

SERVICES_AREA = "Enhance and coordinate local services for sex workers"
CAPACITY_AREA = "Increase the capacities of residents and businesses to address local challenges"
DIALOGUE_PROPOSAL = "Hold a community dialogue on safety in Old Mill"  # agreed in committee.demo

# proposal title -> (body, outcome statement)
AREA_PROPOSALS = {
    f"Action area: {SERVICES_AREA.lower()}": (
        "Make **services for sex workers** an action area of our work plan, answering the needs "
        "raised about the van's nurse and unreported violence, with its first actions: the "
        "outreach van three nights a week, a nurse on the van, and the peer safety work the "
        "experiential caucus plans.",
        "Agreed. The coordinators add the area and its first actions to the work plan.",
    ),
    f"Action area: {CAPACITY_AREA.lower()}": (
        "Make **the capacities of residents and businesses** an action area, answering the "
        "needs raised about the laneway and the Eastside after dark, with a laneway clean-up "
        "and a shared contact list for neighbourhood concerns.",
        "Agreed, with the business association leading the clean-up.",
    ),
}


@dataclass
class DemoAction:
    title: str
    description: str
    lead: str | None
    partners: list[str]
    responsible: str
    starts: int | None  # days from today
    due: int | None
    status: str  # the status to end in
    approved_by: str | None  # proposal title
    # (days from today, progress, indicator value, note), reported before / after the last move
    updates: list[tuple[int, int | None, Decimal | None, str]] = field(default_factory=list)
    updates_after: list[tuple[int, int | None, Decimal | None, str]] = field(default_factory=list)
    indicator: tuple[str, Decimal, str] | None = None  # name, target, unit
    caucus: bool = False  # planned by the experiential caucus (Jade), for the caucus only


SERVICES_PROPOSAL, CAPACITY_PROPOSAL = AREA_PROPOSALS

# area -> objective -> actions
PLAN = {
    SERVICES_AREA: (
        ["No nurse", "Violence"],
        SERVICES_PROPOSAL,
        {
            "Safer nights on the Eastside": [
                DemoAction(
                    "Run the outreach van three nights a week",
                    "Three stops on the Eastside from 10 pm to 2 am.",
                    "Safe Harbour Outreach",
                    ["Riverside Community Health", "Street Light Drop-in"],
                    "Sam Rivera",
                    -90,
                    60,
                    "in_progress",
                    SERVICES_PROPOSAL,
                    updates=[
                        (-60, 20, Decimal(8), "The van runs Tuesdays and Fridays."),
                        (-30, 45, Decimal(19), "Thursdays added."),
                        (-5, 60, Decimal(27), "Three nights a week since the start of the month."),
                    ],
                    indicator=("Nights the van ran", Decimal(36), "nights"),
                ),
                DemoAction(
                    "Peer-run bad-date alert sheet",
                    "Caucus only: a weekly sheet, shared by hand and by text among peers.",
                    "Peers Riverside",
                    [],
                    "Jade",
                    -30,
                    30,
                    "in_progress",
                    SERVICES_PROPOSAL,
                    updates=[(-3, 30, None, "Four issues so far; Rosa prints them.")],
                    caucus=True,
                ),
            ],
            "Health care that reaches people where they are": [
                DemoAction(
                    "A nurse on the van two nights a week",
                    "Wound care, testing and referrals from the van.",
                    "Riverside Community Health",
                    ["Harm Reduction Nurses Network"],
                    "Dr. Omar Haddad",
                    -45,
                    -10,
                    "approved",
                    SERVICES_PROPOSAL,
                    indicator=("Nurse shifts on the van", Decimal(24), "shifts"),
                ),
                DemoAction(
                    "Violence reports through a peer, with consent",
                    "A peer worker takes reports and passes them to the police liaison only "
                    "when the person says yes.",
                    "Riverside Police Service",
                    ["Peers Riverside"],
                    "Sgt. Alex Chen",
                    None,
                    90,
                    "proposed",
                    None,
                ),
            ],
        },
    ),
    CAPACITY_AREA: (
        ["Needles", "Customers"],
        CAPACITY_PROPOSAL,
        {
            "Residents and businesses know how to respond": [
                DemoAction(
                    "Community dialogue on safety in Old Mill",
                    "A public evening where residents, businesses and sex workers speak about "
                    "safety together.",
                    "Old Mill Neighbourhood House",
                    ["Main Street Merchants", "Riverside Business Association"],
                    "Hannah Kowalski",
                    -40,
                    -20,
                    "done",
                    DIALOGUE_PROPOSAL,
                    updates=[(-30, 50, None, "Venue booked; posters up on Main Street.")],
                    updates_after=[(-20, None, Decimal(64), "64 people came, from every sector.")],
                    indicator=("People who came", Decimal(50), "people"),
                ),
                DemoAction(
                    "Laneway clean-up and sharps boxes behind Main Street",
                    "Monthly clean-up with two sharps boxes along the laneway.",
                    "Riverside Business Association",
                    ["City of Riverside Social Planning", "Harm Reduction Nurses Network"],
                    "Priya Natarajan",
                    -30,
                    30,
                    "stalled",
                    CAPACITY_PROPOSAL,
                    updates=[(-14, 20, None, "First clean-up done; the city's permit is late.")],
                ),
            ],
            "Neighbours get answers fast": [
                DemoAction(
                    "A shared contact list for neighbourhood concerns",
                    "Who to call, day and night, for concerns about the sex trade.",
                    "Eastside Community Policing Centre",
                    [],
                    "Greg Fraser",
                    -20,
                    -5,
                    "dropped",
                    CAPACITY_PROPOSAL,
                    updates=[(-6, None, None, "Dropped: the city's new 311 line does this.")],
                ),
            ],
        },
    ),
}


def seed_workplan(demo: DemoStakeholders) -> None:
    coordinator = demo.logins["coordinator"]
    community = demo.community
    if not IntendedOutcome.objects.filter(community=community, chosen=True).exists():
        for key in MODEL_OUTCOMES:
            services.choose_model_outcome(actor=coordinator, key=key)
    if not RealityEntry.objects.filter(community=community).exists():
        _reality(demo)
    needs = _needs(demo)
    if not Prioritization.objects.filter(community=community).exists():
        _prioritization(demo, needs)
    if not ActionArea.objects.filter(community=community).exists():
        _plan(demo, needs)


# The community profile: (login, sector key, kind, days ago, visibility, text, sources).
REALITY = [
    (
        "coordinator",
        "sex-worker-services",
        "services",
        40,
        Visibility.PUBLIC,
        "A drop-in centre on Main Street is open **weekday evenings**, with a nurse twice a week."
        "\n\nNo service is open after midnight.",
        "Service map drawn at the March committee meeting",
    ),
    (
        "police",
        "law-enforcement",
        "presence",
        30,
        Visibility.COMMITTEE,
        "Street-based sex work is concentrated in the industrial blocks east of the rail yard, "
        "mostly between 10 pm and 4 am.",
        "Patrol notes, January to March",
    ),
    (
        "experiential",
        "experiential",
        "concern",
        21,
        Visibility.SECTORS,
        "Bad-date reports are shared by word of mouth only; several of us were turned away "
        "from the shelter after midnight.",
        "Caucus meeting",
    ),
    (
        "resident",
        "residents",
        "concern",
        14,
        Visibility.COMMITTEE,
        "Residents near the laneway behind Main Street worry about needles and about cars "
        "circling at night.",
        "Neighbourhood association survey (62 answers)",
    ),
]


def _reality(demo: DemoStakeholders) -> None:
    today = demo.community.today()
    for login, sector_key, kind, days_ago, visibility, text, sources in REALITY:
        author = demo.logins[login]
        sector = demo.community.sectors.get(key=sector_key)
        services.record_reality_entry(
            author=author,
            kind=kind,
            sector=sector,
            observed_on=today - timedelta(days=days_ago),
            text=text,
            sources=sources,
            visibility=visibility,
            sectors=[sector] if visibility == Visibility.SECTORS else [],
        )


def _needs(demo: DemoStakeholders) -> dict[str, Need]:
    community, people = demo.community, demo.people
    needs = {}
    for author, sector_key, caucus_only, title, description in NEEDS:
        need = Need.objects.filter(community=community, title=title).first()
        if need is None:
            sector = community.sectors.get(key=sector_key)
            need = services.record_need(
                author=people[author],
                title=title,
                description=description,
                sector=sector,
                visibility=Visibility.SECTORS if caucus_only else Visibility.COMMITTEE,
                sectors=[sector] if caucus_only else [],
            )
        needs[title] = need
    return needs


def _find(needs: dict[str, Need], prefix: str) -> Need:
    return next(need for title, need in needs.items() if title.startswith(prefix))


def _prioritization(demo: DemoStakeholders, needs: dict[str, Need]) -> None:
    prioritization = services.open_prioritization(
        actor=demo.logins["coordinator"], title=PRIORITIZATION
    )
    for voter, spread in DOTS.items():
        for prefix, dots in spread:
            services.set_dots(
                actor=demo.people[voter],
                prioritization=prioritization,
                need=_find(needs, prefix),
                dots=dots,
            )


def _agreed_proposal(demo: DemoStakeholders, title: str, body: str, statement: str) -> Proposal:
    """A committee proposal every seat agrees to, closed: really agreed, as at a meeting."""
    existing = Proposal.objects.filter(community=demo.community, title=title).first()
    if existing is not None:
        return existing
    coordinator = demo.logins["coordinator"]
    proposal = committee_services.create_proposal(
        author=coordinator, title=title, body=body, visibility=Visibility.COMMITTEE
    )
    committee_services.open_for_positions(
        actor=coordinator, proposal=proposal, closes_at=timezone.now() + timedelta(days=5)
    )
    for seat in committee_selectors.current_seats(proposal.committee):
        committee_services.cast_position(
            person=seat.primary, proposal=proposal, stance=Stance.AGREE
        )
    return committee_services.close_proposal(
        actor=coordinator, proposal=proposal, statement=statement
    )


def _plan(demo: DemoStakeholders, needs: dict[str, Need]) -> None:
    community = demo.community
    coordinator = demo.logins["coordinator"]
    today = community.today()
    proposals = {
        title: _agreed_proposal(demo, title, body, statement)
        for title, (body, statement) in AREA_PROPOSALS.items()
    }
    proposals[DIALOGUE_PROPOSAL] = Proposal.objects.get(
        community=community, title=DIALOGUE_PROPOSAL
    )
    for area_title, (need_prefixes, proposal_title, objectives) in PLAN.items():
        area = services.create_action_area(
            actor=coordinator,
            title=area_title,
            visibility=Visibility.COMMITTEE,
            needs=[_find(needs, prefix) for prefix in need_prefixes],
        )
        services.agree_action_area(actor=coordinator, area=area, proposal=proposals[proposal_title])
        for objective_title, actions in objectives.items():
            objective = services.create_objective(
                actor=coordinator, area=area, title=objective_title
            )
            for spec in actions:
                _action(demo, objective, spec, proposals, today)


def _day(today: date, offset: int | None) -> date | None:
    return today + timedelta(days=offset) if offset is not None else None


def _action(
    demo: DemoStakeholders,
    objective: Objective,
    spec: DemoAction,
    proposals: dict[str, Proposal],
    today: date,
) -> Action:
    organizations, people = demo.organizations, demo.people
    planner: Person = people["Jade"] if spec.caucus else demo.logins["coordinator"]
    experiential = [planner.sectors.get()] if spec.caucus else []
    action = services.create_action(
        actor=planner,
        objective=objective,
        title=spec.title,
        description=spec.description,
        visibility=Visibility.SECTORS if spec.caucus else Visibility.COMMITTEE,
        sectors=experiential,
        lead_organization=organizations[spec.lead] if spec.lead else None,
        partner_organizations=[organizations[name] for name in spec.partners],
        responsible=people[spec.responsible],
        starts_on=_day(today, spec.starts),
        due_on=_day(today, spec.due),
    )
    indicator = None
    if spec.indicator:
        name, target, unit = spec.indicator
        indicator = services.add_indicator(
            actor=planner, action=action, name=name, target=target, unit=unit
        )
    if spec.approved_by:
        services.approve_actions(
            actor=planner, proposal=proposals[spec.approved_by], actions=[action]
        )
    if spec.status in {"in_progress", "done", "stalled"}:
        services.set_action_status(actor=planner, action=action, status="in_progress")
    _report(people[spec.responsible], action, indicator, spec.updates, today)
    if spec.status in {"done", "stalled", "dropped"}:
        services.set_action_status(actor=planner, action=action, status=spec.status)
    _report(people[spec.responsible], action, indicator, spec.updates_after, today)
    return action


def _report(
    reporter: Person,
    action: Action,
    indicator: Indicator | None,
    updates: list[tuple[int, int | None, Decimal | None, str]],
    today: date,
) -> None:
    for offset, progress, value, note in updates:
        services.add_progress_update(
            actor=reporter,
            action=action,
            on=_day(today, offset),
            progress=progress,
            indicator=indicator if value is not None else None,
            value=value,
            note=note,
        )
