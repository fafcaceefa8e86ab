"""The five steps of adapting the model, each with its checklist, marked done from the data:
first as a pure decision over facts (table), then step by step as a community does the work,
with what each person may see."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.utils import timezone

from committee import services as committee_services
from committee.consensus import Stance
from committee.governing_texts import Bilingual
from stakeholders import services as stakeholder_services
from stakeholders.models import Sector, Visibility
from tests.conftest import make_community, make_organization, make_person, make_proposal
from workplans import selectors, services
from workplans.adaptation import AdaptationFacts, current_step, steps_from

EVERYTHING = AdaptationFacts(
    reality_entries=1,
    sectors_with_organizations=3,
    experiential_members=1,
    outcomes_chosen=1,
    required_sectors_missing=(),
    experiential_seated=True,
    trust_agreement_agreed=True,
    needs_recorded=1,
    areas_agreed=1,
    actions=1,
    actions_approved=1,
)


def done(facts: AdaptationFacts) -> dict[str, bool]:
    return {step.key: step.done for step in steps_from(facts)}


def items(facts: AdaptationFacts) -> dict[str, bool]:
    return {item.key: item.done for step in steps_from(facts) for item in step.items}


def test_with_everything_in_place_all_five_steps_are_done_in_the_seeds_order():
    steps = steps_from(EVERYTHING)
    assert [(step.number, step.key, step.done) for step in steps] == [
        (1, "reality", True),
        (2, "intention", True),
        (3, "committee", True),
        (4, "needs", True),
        (5, "workplan", True),
    ]
    assert current_step(steps) is None


@pytest.mark.parametrize(
    ("missing", "undone", "step"),
    [
        ({"reality_entries": 0}, "understand", "reality"),
        ({"sectors_with_organizations": 2}, "map", "reality"),
        ({"experiential_members": 0}, "experiential", "reality"),
        ({"outcomes_chosen": 0}, "outcomes", "intention"),
        ({"required_sectors_missing": ("Youth",)}, "voices", "committee"),
        ({"experiential_seated": False}, "voices", "committee"),
        ({"trust_agreement_agreed": False}, "safe_space", "committee"),
        ({"needs_recorded": 0}, "needs", "needs"),
        ({"areas_agreed": 0}, "areas_agreed", "needs"),
        ({"actions": 0, "actions_approved": 0}, "actions plan_approved", "workplan"),
        ({"actions_approved": 0}, "plan_approved", "workplan"),
    ],
)
def test_each_missing_fact_undoes_exactly_its_items_and_its_step(missing, undone, step):
    facts = replace(EVERYTHING, **missing)
    assert [key for key, is_done in items(facts).items() if not is_done] == undone.split()
    assert [key for key, is_done in done(facts).items() if not is_done] == [step]
    assert current_step(steps_from(facts)).key == step


def test_understanding_the_community_is_told_by_the_community_profile():
    understand = next(i for s in steps_from(EVERYTHING) for i in s.items if i.key == "understand")
    assert understand.detail == "The community profile holds 1 entry."
    facts = replace(EVERYTHING, reality_entries=0)
    assert done(facts)["reality"] is False


def test_the_committee_step_names_the_sectors_still_missing():
    facts = replace(EVERYTHING, required_sectors_missing=("Youth", "Business"))
    voices = next(i for s in steps_from(facts) for i in s.items if i.key == "voices")
    assert voices.detail == "Not yet seated: Youth, Business"


def test_step_4_names_each_agreed_area_with_the_proposal_that_agreed_it():
    facts = replace(
        EVERYTHING,
        areas_agreed=2,
        agreed_areas=(("Safer nights", "Action area: safer nights"), ("Caucus safety", "")),
    )
    agreed = next(i for s in steps_from(facts) for i in s.items if i.key == "areas_agreed")
    assert agreed.detail == (
        "Safer nights (agreed through “Action area: safer nights”); "
        "Caucus safety (agreed by the committee)"
    )


def test_step_4_names_the_proposal_only_to_whoever_may_see_it(personas, plan):
    """The committee area was agreed through a committee proposal; a caucus area agreed in the
    caucus shows its proposal to the caucus, and is not there at all for the police."""
    from tests.workplans.conftest import caucus_agreed_proposal

    p = personas
    caucus = caucus_agreed_proposal(p, "Our caucus agrees")
    services.agree_action_area(actor=p.experiential, area=plan.caucus_area, proposal=caucus)
    kim = make_person(
        p.community, "kim", sector_keys=("experiential", "sex-worker-services"), role="coordinator"
    )
    shared = services.create_action_area(actor=kim, title="Shared", visibility="committee")
    services.agree_action_area(actor=kim, area=shared, proposal=caucus)
    police = selectors.adaptation_facts(p.police.user)
    assert police.agreed_areas == (
        ("area:committee", "Agree the outreach area"),
        ("Shared", ""),  # agreed, through a proposal the police member may not see
    )
    steps = selectors.adaptation_steps(p.police.user)
    detail = next(i for s in steps for i in s.items if i.key == "areas_agreed").detail
    assert "Our caucus agrees" not in detail
    mine = selectors.adaptation_facts(p.experiential.user)
    assert set(mine.agreed_areas) == {
        ("area:committee", "Agree the outreach area"),
        ("area:caucus", "Our caucus agrees"),
        ("Shared", "Our caucus agrees"),
    }


# --- step by step, from the data ---------------------------------------------------------------


def step_state(user) -> dict[str, bool]:
    return {step.key: step.done for step in selectors.adaptation_steps(user)}


def item_state(user) -> dict[str, bool]:
    return {item.key: item.done for step in selectors.adaptation_steps(user) for item in step.items}


def test_the_steps_flip_as_a_community_does_the_work(personas):
    p = personas
    coordinator = p.coordinator
    user = coordinator.user
    # The personas' fixture registers organizations in 5 sectors and seats nobody yet.
    assert item_state(user) == {
        "understand": False,
        "map": True,
        "experiential": True,
        "outcomes": False,
        "voices": False,
        "safe_space": False,
        "needs": False,
        "areas_agreed": False,
        "actions": False,
        "plan_approved": False,
    }
    assert selectors.adaptation_steps(user)[0].done is False

    services.record_reality_entry(
        author=coordinator,
        kind="services",
        sector=p.sector("sex-worker-services"),
        observed_on=date(2026, 3, 1),
        text="A drop-in centre opens on weekday evenings.",
        visibility=Visibility.COMMITTEE,
    )
    assert step_state(user)["reality"] is True

    services.choose_model_outcome(actor=coordinator, key="sex-worker-safety")
    assert step_state(user)["intention"] is True
    services.choose_model_outcome(actor=coordinator, key="sex-worker-safety", chosen=False)
    assert step_state(user)["intention"] is False
    services.add_intended_outcome(actor=coordinator, title="Safer laneways for everyone")
    assert step_state(user)["intention"] is True

    # Only the seated sectors are required; the experiential sector is seated among them.
    committee = committee_services.ensure_committee(community=p.community)
    seated_keys = {"experiential", "law-enforcement", "residents", "sex-worker-services"}
    Sector.objects.filter(community=p.community).exclude(key__in=seated_keys).update(
        is_required=False
    )
    for person in (p.police, p.resident, p.coordinator):
        committee_services.create_seat(
            actor=None, committee=committee, sector=person.sectors.get(), primary=person
        )
    steps = selectors.adaptation_steps(user)
    voices = next(item for item in steps[2].items if item.key == "voices")
    assert voices.done is False
    assert voices.detail == "Not yet seated: Current and former sex workers"
    committee_services.create_seat(
        actor=None, committee=committee, sector=p.sector("experiential"), primary=p.experiential
    )
    assert item_state(user)["voices"] is True
    assert step_state(user)["committee"] is False
    committee_services.update_committee(
        actor=coordinator,
        committee=committee,
        name=committee.name,
        terms_of_reference="What is said in a caucus stays in the caucus.",
        sectors_that_must_answer=[],
        minimum_participation=0,
    )
    assert step_state(user)["committee"] is False  # terms of reference are not the agreement
    seated_people = [p.experiential, p.police, p.resident, coordinator]
    agreement = committee_services.propose_agreement(
        author=coordinator,
        title="Our trust agreement",
        body="How we work together.",
        text=Bilingual(en="What is said in a caucus stays in the caucus. No recording."),
    )
    committee_services.open_for_positions(
        actor=coordinator, proposal=agreement, closes_at=timezone.now() + timedelta(days=1)
    )
    for person in seated_people:
        committee_services.cast_position(person=person, proposal=agreement, stance=Stance.AGREE)
    assert step_state(user)["committee"] is False  # proposed is not agreed
    committee_services.close_proposal(actor=coordinator, proposal=agreement)
    assert step_state(user)["committee"] is True
    for person in seated_people:
        committee_services.accept_agreement(person=person, number=1)

    need = services.record_need(
        author=p.police,
        title="Safety at night",
        sector=p.sector("law-enforcement"),
        visibility=Visibility.COMMITTEE,
    )
    assert item_state(user)["needs"] is True
    area = services.create_action_area(
        actor=coordinator, title="Safer nights", visibility=Visibility.COMMITTEE, needs=[need]
    )
    assert step_state(user)["needs"] is False  # recorded, but no area agreed yet
    proposal = agreed_proposal_for_seats(p, [p.experiential, p.police, p.resident, coordinator])
    services.agree_action_area(actor=coordinator, area=area, proposal=proposal)
    assert step_state(user)["needs"] is True

    objective = services.create_objective(actor=coordinator, area=area, title="Night outreach")
    action = services.create_action(
        actor=coordinator, objective=objective, title="Van", visibility=Visibility.COMMITTEE
    )
    assert item_state(user)["actions"] is True
    assert step_state(user)["workplan"] is False
    services.approve_actions(actor=coordinator, proposal=proposal, actions=[action])
    assert step_state(user) == dict.fromkeys(
        ["reality", "intention", "committee", "needs", "workplan"], True
    )


def agreed_proposal_for_seats(p, people):
    proposal = make_proposal(p.coordinator, "Agree the area", status="decision")
    for person in people:
        committee_services.cast_position(person=person, proposal=proposal, stance=Stance.AGREE)
    return committee_services.close_proposal(actor=p.coordinator, proposal=proposal)


def test_the_stakeholder_map_counts_as_done_from_three_sectors_with_organizations(db):
    community = make_community("Lakeside", "lakeside")
    coordinator = make_person(community, "lee", sector_keys=("health",), role="coordinator")
    for key in ("health", "business"):
        make_organization(community, key, f"Org {key}")
    assert item_state(coordinator.user)["map"] is False
    assert item_state(coordinator.user)["experiential"] is False
    make_organization(community, "youth", "Org youth")
    assert item_state(coordinator.user)["map"] is True
    make_person(community, "kai", sector_keys=("experiential",))
    assert item_state(coordinator.user)["experiential"] is True


def test_a_caucus_area_and_its_actions_count_only_for_the_caucus(personas, plan):
    """Police see the committee area agreed and 1 of 2 actions approved; the caucus sees the
    caucus's own actions as well."""
    police = selectors.adaptation_facts(personas.police.user)
    caucus = selectors.adaptation_facts(personas.experiential.user)
    assert (police.needs_recorded, police.areas_agreed) == (1, 1)
    assert (police.actions, police.actions_approved) == (1, 1)
    assert (caucus.needs_recorded, caucus.areas_agreed) == (2, 1)
    assert (caucus.actions, caucus.actions_approved) == (3, 1)


def test_administrators_and_other_communities_get_no_steps(personas, plan):
    assert selectors.adaptation_steps(personas.admin.user) == []
    outsider = item_state(personas.outsider.user)
    assert outsider["needs"] is False and outsider["areas_agreed"] is False


def test_a_caucus_entry_of_the_profile_counts_only_for_the_caucus(personas):
    p = personas
    services.record_reality_entry(
        author=p.experiential,
        kind="concern",
        sector=p.sector("experiential"),
        observed_on=date(2026, 3, 1),
        text="Bad-date reports travel by word of mouth only.",
        visibility=Visibility.SECTORS,
        sectors=[p.sector("experiential")],
    )
    assert item_state(p.experiential.user)["understand"] is True
    assert item_state(p.police.user)["understand"] is False
    assert item_state(p.coordinator.user)["understand"] is False


def test_an_organization_registered_elsewhere_does_not_map_this_community(personas):
    stakeholder_services.create_organization(
        community=personas.other_community,
        sector=Sector.objects.get(community=personas.other_community, key="youth"),
        name="Harbour Youth",
    )
    facts = selectors.adaptation_facts(personas.coordinator.user)
    assert facts.sectors_with_organizations == 5
