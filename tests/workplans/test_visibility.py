"""Who sees which work-plan record, through every selector pages, exports, charts and the API
are built on: a record you may not see does not exist for you — absent from every list and
total, a 404 by id, and never reachable through a parent (an objective or action under a caucus
area, the updates and indicators of a caucus action) or a link (the needs an area answers, the
proposal that agreed an area or approved an action)."""

import pytest
from django.http import Http404

from tests.conftest import make_person
from tests.workplans.conftest import caucus_agreed_proposal
from workplans import selectors, services

PERSONAS = [
    "experiential",
    "experiential_peer",
    "police",
    "police_colleague",
    "resident",
    "business",
    "health",
    "coordinator",
    "observer",
    "admin",
    "outsider",
]
COMMITTEE = set(PERSONAS) - {"admin", "outsider"}
CAUCUS = {"experiential", "experiential_peer"}

EXPECTED = {
    "need:committee": COMMITTEE,
    "need:caucus": CAUCUS,
    "area:committee": COMMITTEE,
    "area:caucus": CAUCUS,
    "objective:1": COMMITTEE,
    "objective:caucus": CAUCUS,
    "action:committee": COMMITTEE,
    "action:in-caucus-area": CAUCUS,  # committee visibility, but under a caucus area
    "action:caucus": CAUCUS,
    "indicator:nights": COMMITTEE,
    "indicator:caucus": CAUCUS,
    "update:committee": COMMITTEE,
    "update:caucus": CAUCUS,
}


def person(personas, seated, who):
    return seated.observer if who == "observer" else getattr(personas, who)


def records(plan):
    return {
        "need:committee": plan.need,
        "need:caucus": plan.caucus_need,
        "area:committee": plan.area,
        "area:caucus": plan.caucus_area,
        "objective:1": plan.objective,
        "objective:caucus": plan.caucus_objective,
        "action:committee": plan.action,
        "action:in-caucus-area": plan.caucus_area_action,
        "action:caucus": plan.caucus_action,
    }


def through_lists(user) -> dict[str, set[str]]:
    """Every title each list-shaped way in shows the user."""
    workplan = selectors.workplan_for(user)
    plan_titles = set()
    for area in workplan.areas:
        plan_titles.add(area.area.title)
        plan_titles |= {need.title for need in area.area.needs.all()}
        for objective in area.objectives:
            plan_titles.add(objective.objective.title)
            for action in objective.actions:
                plan_titles.add(action.title)
                plan_titles |= {indicator.name for indicator in action.indicators.all()}
    action_parts = set()
    for action in selectors.actions_for(user):
        action_parts.add(action.title)
        detail = selectors.get_action(user, action.pk)
        action_parts |= {update.note for update in detail.updates.all()}
        action_parts |= {series.indicator.name for series in selectors.indicator_series(detail)}
    return {
        "needs": {need.title for need in selectors.needs_for(user)},
        "areas": {area.title for area in selectors.action_areas_for(user)},
        "area needs": {
            need.title for area in selectors.action_areas_for(user) for need in area.needs.all()
        },
        "objectives": {objective.title for objective in selectors.objectives_for(user)},
        "actions": {action.title for action in selectors.actions_for(user)},
        "overdue": {action.title for action in selectors.overdue_actions_for(user)},
        "workplan": plan_titles,
        "action details": action_parts,
    }


@pytest.mark.parametrize("who", PERSONAS)
def test_each_person_sees_exactly_the_records_their_visibility_allows(personas, seated, plan, who):
    user = person(personas, seated, who).user
    seen = set().union(*through_lists(user).values())
    expected = {label for label, people in EXPECTED.items() if who in people}
    assert {label for label in EXPECTED if label in seen} == expected


@pytest.mark.parametrize("who", PERSONAS)
def test_a_record_you_may_not_see_is_a_404_by_id_like_a_missing_one(personas, seated, plan, who):
    user = person(personas, seated, who).user
    getters = {
        "need": selectors.get_need,
        "area": selectors.get_action_area,
        "objective": selectors.get_objective,
        "action": selectors.get_action,
    }
    for label, record in records(plan).items():
        get = getters[label.split(":")[0]]
        if who in EXPECTED[label]:
            assert get(user, record.pk).pk == record.pk
        else:
            with pytest.raises(Http404):
                get(user, record.pk)
        with pytest.raises(Http404):
            get(user, 999_999)
        with pytest.raises(Http404):
            get(user, "not-a-number")


def test_each_list_shows_the_police_officer_only_the_committees_records(personas, plan):
    assert through_lists(personas.police.user) == {
        "needs": {"need:committee"},
        "areas": {"area:committee"},
        "area needs": {"need:committee"},
        "objectives": {"objective:1"},
        "actions": {"action:committee"},
        "overdue": {"action:committee"},
        "workplan": {
            "area:committee",
            "need:committee",
            "objective:1",
            "action:committee",
            "indicator:nights",
        },
        "action details": {"action:committee", "update:committee", "indicator:nights"},
    }


def test_roll_ups_count_only_the_actions_the_viewer_sees(personas, plan):
    """The caucus action (0 %) sits under the committee objective beside the committee action
    (40 %): police see 40 %, the caucus 20 %."""
    police = selectors.workplan_for(personas.police.user)
    caucus = selectors.workplan_for(personas.experiential.user)
    assert [(a.area.title, a.progress) for a in police.areas] == [("area:committee", 40)]
    assert police.progress == 40
    committee_area = next(a for a in caucus.areas if a.area.title == "area:committee")
    assert committee_area.objectives[0].progress == 20


def test_a_proposal_the_viewer_cannot_see_is_not_shown_as_the_areas_agreement(personas, plan):
    """Kim (a coordinator in the experiential caucus) agrees a committee area through a caucus
    proposal: Sam sees the area agreed, but not by which proposal."""
    p = personas
    kim = make_person(
        p.community, "kim", sector_keys=("experiential", "sex-worker-services"), role="coordinator"
    )
    area = services.create_action_area(actor=kim, title="area:kim", visibility="committee")
    objective = services.create_objective(actor=kim, area=area, title="objective:kim")
    action = services.create_action(
        actor=kim, objective=objective, title="action:kim", visibility="committee"
    )
    hidden = caucus_agreed_proposal(p)
    services.agree_action_area(actor=kim, area=area, proposal=hidden)
    services.approve_actions(actor=kim, proposal=hidden, actions=[action])

    as_sam = selectors.get_action_area(p.coordinator.user, area.pk)
    assert (as_sam.is_agreed, as_sam.agreed_by) == (True, None)
    as_sam_action = selectors.get_action(p.coordinator.user, action.pk)
    assert (as_sam_action.is_approved, as_sam_action.approved_by) == (True, None)
    as_kim = selectors.get_action_area(kim.user, area.pk)
    assert as_kim.agreed_by == hidden
    assert selectors.get_action(kim.user, action.pk).approved_by == hidden
    # The committee's own proposal stays visible to the police officer through its area.
    assert selectors.get_action_area(p.police.user, plan.area.pk).agreed_by == plan.proposal


def test_an_anonymous_visitor_sees_only_what_is_public_and_only_when_asked_for_a_community(
    personas, plan, client
):
    from django.contrib.auth.models import AnonymousUser

    p = personas
    visitor = AnonymousUser()
    assert list(selectors.actions_for(visitor)) == []
    assert list(selectors.actions_for(visitor, p.community)) == []
    services.change_visibility(actor=p.coordinator, record=plan.area, visibility="public")
    services.change_visibility(actor=p.coordinator, record=plan.action, visibility="public")
    assert [a.title for a in selectors.actions_for(visitor, p.community)] == ["action:committee"]
    assert [a.title for a in selectors.action_areas_for(visitor, p.community)] == ["area:committee"]
    # Its needs and the proposal that agreed it are not public.
    area = selectors.get_action_area(visitor, plan.area.pk, p.community)
    assert (list(area.needs.all()), area.agreed_by) == ([], None)
    assert list(selectors.needs_for(visitor)) == []
    assert list(selectors.actions_for(visitor, p.other_community)) == []


def test_the_work_plan_is_read_in_a_fixed_number_of_queries(
    personas, plan, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = personas.experiential.user
    selectors.workplan_for(user)  # warm the viewer's profile cache
    with CaptureQueriesContext(connection) as few:
        selectors.workplan_for(user)
    for number in range(3):
        services.create_action(
            actor=personas.coordinator,
            objective=plan.objective,
            title=f"more:{number}",
            visibility="committee",
            partner_organizations=[personas.health.organization],
        )
    with django_assert_max_num_queries(len(few)):
        workplan = selectors.workplan_for(user)
        for action in workplan.actions:
            _ = (action.lead_organization, action.responsible, action.approved_by)
            _ = (list(action.partner_organizations.all()), list(action.indicators.all()))
