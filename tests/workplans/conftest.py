"""The work plan's test fixtures: proposals taken to an outcome through the committee's own
services (so an "agreed" proposal is really agreed), and a small work plan with a committee
branch and a caucus branch."""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from committee import services as committee_services
from committee.consensus import Stance
from committee.models import Proposal
from stakeholders.models import Person, Visibility
from tests.conftest import Personas, make_proposal
from workplans import services
from workplans.models import Action, ActionArea, Indicator, Need, Objective


def everyone_seated(p: Personas) -> list[Person]:
    return [p.experiential, p.police, p.resident, p.business, p.health, p.coordinator]


def agreed_proposal(
    p: Personas,
    title: str = "Agree the outreach area",
    *,
    author: Person | None = None,
    visibility: str = Visibility.COMMITTEE,
    sectors=(),
) -> Proposal:
    """Open for positions, every seat agrees, closed: agreed."""
    author = author or p.coordinator
    proposal = make_proposal(
        author, title, status="decision", visibility=visibility, sectors=sectors
    )
    for person in everyone_seated(p):
        committee_services.cast_position(person=person, proposal=proposal, stance=Stance.AGREE)
    return committee_services.close_proposal(actor=author, proposal=proposal)


def blocked_proposal(p: Personas, title: str = "A blocked proposal") -> Proposal:
    proposal = make_proposal(p.coordinator, title, status="decision")
    for person in everyone_seated(p):
        if person == p.police:
            committee_services.cast_position(
                person=person, proposal=proposal, stance=Stance.BLOCK, reason="Not like this"
            )
        else:
            committee_services.cast_position(person=person, proposal=proposal, stance=Stance.AGREE)
    return committee_services.close_proposal(actor=p.coordinator, proposal=proposal)


def caucus_agreed_proposal(p: Personas, title: str = "Caucus agreement") -> Proposal:
    """Agreed in the experiential caucus: the committee's rule asks only the experiential sector
    to answer, so the caucus alone can agree it. Hidden from everyone outside the caucus."""
    committee = committee_services.ensure_committee(community=p.community)
    committee_services.update_committee(
        actor=p.coordinator,
        committee=committee,
        name=committee.name,
        terms_of_reference=committee.terms_of_reference,
        sectors_that_must_answer=[p.sector("experiential")],
        minimum_participation=0,
    )
    proposal = make_proposal(
        p.experiential,
        title,
        status="decision",
        visibility=Visibility.SECTORS,
        sectors=[p.sector("experiential")],
    )
    committee_services.cast_position(person=p.experiential, proposal=proposal, stance=Stance.AGREE)
    proposal = committee_services.close_proposal(actor=p.experiential, proposal=proposal)
    committee_services.update_committee(
        actor=p.coordinator,
        committee=committee,
        name=committee.name,
        terms_of_reference=committee.terms_of_reference,
        sectors_that_must_answer=[],
        minimum_participation=0,
    )
    return proposal


@dataclass
class Plan:
    """A committee branch (need → area → objective → action with an indicator, approved and in
    progress, overdue) and a caucus branch: a caucus need, a caucus area with its objective and
    action, and a caucus action under the committee objective."""

    need: Need
    caucus_need: Need
    area: ActionArea
    objective: Objective
    action: Action
    indicator: Indicator
    proposal: Proposal
    caucus_area: ActionArea
    caucus_objective: Objective
    caucus_area_action: Action
    caucus_action: Action


def community_today() -> date:
    """Today in Riverside (the personas' community, America/Vancouver)."""
    return timezone.localdate(timezone=ZoneInfo("America/Vancouver"))


@pytest.fixture
def plan(personas, seated) -> Plan:
    p = personas
    today = community_today()
    experiential = [p.sector("experiential")]
    need = services.record_need(
        author=p.resident,
        title="need:committee",
        sector=p.sector("residents"),
        visibility=Visibility.COMMITTEE,
    )
    caucus_need = services.record_need(
        author=p.experiential,
        title="need:caucus",
        sector=p.sector("experiential"),
        visibility=Visibility.SECTORS,
        sectors=experiential,
    )
    area = services.create_action_area(
        actor=p.coordinator, title="area:committee", visibility=Visibility.COMMITTEE, needs=[need]
    )
    objective = services.create_objective(actor=p.coordinator, area=area, title="objective:1")
    action = services.create_action(
        actor=p.coordinator,
        objective=objective,
        title="action:committee",
        visibility=Visibility.COMMITTEE,
        lead_organization=p.coordinator.organization,
        partner_organizations=[p.health.organization],
        responsible=p.health,
        starts_on=today - timedelta(days=60),
        due_on=today - timedelta(days=3),
    )
    indicator = services.add_indicator(
        actor=p.coordinator, action=action, name="indicator:nights", target=36, unit="nights"
    )
    proposal = agreed_proposal(p)
    services.agree_action_area(actor=p.coordinator, area=area, proposal=proposal)
    services.approve_actions(actor=p.coordinator, proposal=proposal, actions=[action])
    services.set_action_status(actor=p.health, action=action, status="in_progress")
    services.add_progress_update(
        actor=p.health,
        action=action,
        on=today - timedelta(days=7),
        progress=40,
        indicator=indicator,
        value=12,
        note="update:committee",
    )

    caucus_area = services.create_action_area(
        actor=p.experiential,
        title="area:caucus",
        visibility=Visibility.SECTORS,
        sectors=experiential,
        needs=[caucus_need],
    )
    caucus_objective = services.create_objective(
        actor=p.experiential, area=caucus_area, title="objective:caucus"
    )
    caucus_area_action = services.create_action(
        actor=p.experiential,
        objective=caucus_objective,
        title="action:in-caucus-area",
        visibility=Visibility.COMMITTEE,
        due_on=today - timedelta(days=1),
    )
    caucus_action = services.create_action(
        actor=p.experiential,
        objective=objective,
        title="action:caucus",
        visibility=Visibility.SECTORS,
        sectors=experiential,
        responsible=p.experiential_peer,
        due_on=today - timedelta(days=2),
    )
    services.add_indicator(actor=p.experiential, action=caucus_action, name="indicator:caucus")
    services.add_progress_update(
        actor=p.experiential_peer, action=caucus_action, on=today, note="update:caucus"
    )
    return Plan(
        need=need,
        caucus_need=caucus_need,
        area=area,
        objective=objective,
        action=action,
        indicator=indicator,
        proposal=proposal,
        caucus_area=caucus_area,
        caucus_objective=caucus_objective,
        caucus_area_action=caucus_area_action,
        caucus_action=caucus_action,
    )
