"""A world with one record of every kind under every visibility it may have, each titled
`<kind>-<visibility>-zq` so that a page or a JSON answer can be searched for every one of them.

Public records are of the three kinds that may be public (an agreed action area, an approved
action under it with an indicator and progress, a community profile entry), shared by the
coordinator; every other record (needs, notes, proposals and their comments, meetings and
minutes, and the three kinds under every other visibility) must never reach the public page."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.utils import timezone

from committee import services as committee_services
from committee.models import Meeting
from stakeholders import services as stakeholder_services
from stakeholders.models import Visibility
from tests.conftest import Personas, make_proposal
from tests.workplans.conftest import agreed_proposal
from workplans import services

RESTRICTED = [
    Visibility.COMMITTEE,
    Visibility.SECTORS,
    Visibility.ORGANIZATION,
    Visibility.COORDINATORS,
]


def title(kind: str, visibility: str) -> str:
    return f"{kind}-{visibility}-zq"


@dataclass
class World:
    public: list[str] = field(default_factory=list)  # every title that must be on the page
    hidden: list[str] = field(default_factory=list)  # every title that must never be
    records: dict[str, object] = field(default_factory=dict)  # by title


def _author(p: Personas, visibility: str, *, plan: bool = False):
    """Who writes a record with this visibility: the caucus writes its own (the experiential
    sector); plan records other than caucus ones are the coordinator's."""
    if visibility == Visibility.SECTORS:
        return p.experiential
    if plan or visibility == Visibility.COORDINATORS:
        return p.coordinator
    return p.police if visibility == Visibility.ORGANIZATION else p.resident


def _sectors(p: Personas, visibility: str, author) -> list:
    return [author.sectors.first()] if visibility == Visibility.SECTORS else []


@pytest.fixture
def world(personas, seated) -> World:
    p = personas
    w = World()

    def keep(name: str, record, public: bool = False) -> None:
        (w.public if public else w.hidden).append(name)
        w.records[name] = record

    # --- the three kinds that may be public, shared by the coordinator ---
    proposal = agreed_proposal(p, title("proposal", "agreeing"))
    w.hidden.append(proposal.title)
    area = services.create_action_area(
        actor=p.coordinator, title=title("area", "public"), visibility=Visibility.COMMITTEE
    )
    services.agree_action_area(actor=p.coordinator, area=area, proposal=proposal)
    objective = services.create_objective(
        actor=p.coordinator, area=area, title=title("objective", "public")
    )
    action = services.create_action(
        actor=p.coordinator,
        objective=objective,
        title=title("action", "public"),
        visibility=Visibility.COMMITTEE,
        responsible=p.health,
        lead_organization=p.health.organization,
        starts_on=date(2026, 1, 5),
        due_on=date(2026, 11, 30),
    )
    services.approve_actions(actor=p.coordinator, proposal=proposal, actions=[action])
    indicator = services.add_indicator(
        actor=p.coordinator, action=action, name=title("indicator", "public"), unit="nights"
    )
    services.add_progress_update(
        actor=p.health,
        action=action,
        on=date(2026, 2, 1),
        progress=30,
        indicator=indicator,
        value=12,
        note="a note by a person",
    )
    services.set_public(actor=p.coordinator, record=area, public=True)
    services.set_public(actor=p.coordinator, record=action, public=True)
    keep(area.title, area, public=True)
    keep(objective.title, objective, public=True)
    keep(action.title, action, public=True)
    keep(indicator.name, indicator, public=True)
    reality = services.record_reality_entry(
        author=p.coordinator,
        kind="services",
        sector=p.sector("sex-worker-services"),
        observed_on=date(2026, 3, 1),
        text=title("reality", "public"),
        visibility=Visibility.PUBLIC,
    )
    keep(reality.text, reality, public=True)

    # --- the same kinds under every other visibility, and under the public area ---
    for visibility in RESTRICTED:
        planner = _author(p, visibility, plan=True)
        sectors = _sectors(p, visibility, planner)
        keep(
            title("area", visibility),
            services.create_action_area(
                actor=planner,
                title=title("area", visibility),
                visibility=visibility,
                sectors=sectors,
            ),
        )
        keep(
            title("action", visibility),
            services.create_action(
                actor=planner,
                objective=objective,
                title=title("action", visibility),
                visibility=visibility,
                sectors=sectors,
            ),
        )
        author = _author(p, visibility)
        keep(
            title("reality", visibility),
            services.record_reality_entry(
                author=author,
                kind="concern",
                sector=author.sectors.first(),
                observed_on=date(2026, 3, 2),
                text=title("reality", visibility),
                visibility=visibility,
                sectors=_sectors(p, visibility, author),
            ),
        )

    # --- kinds that are never public ---
    meeting_starts = timezone.now() + timedelta(days=3)
    for visibility in RESTRICTED:
        author = _author(p, visibility)
        sectors = _sectors(p, visibility, author)
        keep(
            title("need", visibility),
            services.record_need(
                author=author,
                title=title("need", visibility),
                sector=author.sectors.first(),
                visibility=visibility,
                sectors=sectors,
            ),
        )
        keep(
            title("note", visibility),
            stakeholder_services.write_organization_note(
                author=author,
                organization=p.health.organization,
                body=title("note", visibility),
                visibility=visibility,
                sectors=sectors,
            ),
        )
        proposal = make_proposal(
            author,
            title("proposal", visibility),
            status="discussion",
            visibility=visibility,
            sectors=sectors,
        )
        keep(proposal.title, proposal)
        keep(
            title("comment", visibility),
            committee_services.add_comment(
                author=author, proposal=proposal, body=title("comment", visibility)
            ),
        )
        # Meetings and minutes are the coordinators'; a caucus meeting is one of their sectors.
        coordinator_sectors = (
            [p.sector("sex-worker-services")] if visibility == Visibility.SECTORS else []
        )
        meeting = committee_services.schedule_meeting(
            actor=p.coordinator,
            title=title("meeting", visibility),
            starts_at=meeting_starts,
            ends_at=meeting_starts + timedelta(hours=1),
            place="Community hall",
            visibility=visibility,
            sectors=coordinator_sectors,
        )
        keep(meeting.title, meeting)
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=timezone.now() - timedelta(hours=2),
            ends_at=timezone.now() - timedelta(hours=1),
        )
        meeting.refresh_from_db()
        keep(
            title("minutes", visibility),
            committee_services.write_minutes(
                actor=p.coordinator,
                meeting=meeting,
                body=title("minutes", visibility),
                visibility=visibility,
                sectors=coordinator_sectors,
            ),
        )
    # People, their contact details and organizations' names are never on the public page.
    for person in (p.experiential, p.police, p.coordinator, p.health, p.resident):
        w.hidden += [person.display_name, person.email, person.phone]
    w.hidden += [p.health.organization.name, p.coordinator.organization.name, "a note by a person"]
    return w


@pytest.fixture
def public_world(world, personas) -> World:
    """The world, with the community's public page switched on."""
    stakeholder_services.set_public_page(actor=personas.coordinator, enabled=True, indexed=False)
    return world
