"""The work-plan REST API as its callers meet it: each person reads exactly the needs, action
areas, objectives, actions, indicators and progress updates their visibility allows, in every
list, every detail, every address under a record and the dot-vote results; a hidden record reads
exactly like a missing one; the work plan as a tree with its roll-ups; the rules (approval only
through an agreed proposal, never "approved" by a status change, progress a percentage) hold
through the API and a refusal changes nothing; filters that say what is wrong with them; no
position numbers and no hidden proposal ids in any answer; lists that do not grow in queries."""

from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from committee import services as committee_services
from stakeholders.models import Person, Visibility
from tests.conftest import make_person, make_proposal
from tests.workplans.conftest import (
    agreed_proposal,
    blocked_proposal,
    caucus_agreed_proposal,
    community_today,
)
from workplans import services
from workplans.models import Action, ActionArea, NeedVote, Objective, ProgressUpdate

MISSING = 999_999

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
# Outside the caucus: a committee member, the coordinator, the administrator, another community.
OUTSIDE_THE_CAUCUS = ["police", "coordinator", "admin", "outsider"]


def api_as(person: Person | None) -> APIClient:
    client = APIClient()
    if person is not None:
        client.force_login(person.user)
    return client


def who_is(personas, seated, who: str) -> Person:
    return seated.observer if who == "observer" else getattr(personas, who)


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def titles(response) -> list[str]:
    return [row["title"] for row in rows(response)]


def keys_in(data) -> set[str]:
    """Every key of every object in a JSON answer, however deep."""
    if isinstance(data, dict):
        return set(data).union(*(keys_in(value) for value in data.values()))
    if isinstance(data, list):
        return set().union(*(keys_in(value) for value in data))
    return set()


def reloaded(record):
    return type(record).objects.get(pk=record.pk)


@pytest.fixture
def spring(personas):
    """An open round of dots: the caucus puts two on its own need and one on the committee's,
    the police officer one on the committee's."""
    return services.open_prioritization(actor=personas.coordinator, title="Spring priorities")


@pytest.fixture
def voted(personas, plan, spring):
    p = personas
    services.set_dots(actor=p.experiential, prioritization=spring, need=plan.caucus_need, dots=2)
    services.set_dots(actor=p.experiential, prioritization=spring, need=plan.need, dots=1)
    services.set_dots(actor=p.police, prioritization=spring, need=plan.need, dots=1)
    return spring


# --- who sees what, in every list --------------------------------------------------------------


def seen_through_lists(client: APIClient) -> set[str]:
    """Every title, indicator name and update note that any list-shaped answer shows."""
    seen: set[str] = set()
    seen |= set(titles(client.get("/api/v1/needs/")))
    for area in rows(client.get("/api/v1/action-areas/")):
        seen |= {area["title"], *(need["title"] for need in area["needs"])}
    seen |= set(titles(client.get("/api/v1/objectives/")))
    for query in ["", "?overdue=true", "?overdue=false"]:
        for action in rows(client.get(f"/api/v1/actions/{query}")):
            seen |= {action["title"], *(indicator["name"] for indicator in action["indicators"])}
            updates = client.get(f"/api/v1/actions/{action['id']}/updates/")
            assert updates.status_code == 200
            seen |= {update["note"] for update in updates.json()}
    for workplan in rows(client.get("/api/v1/workplans/")):
        for area in workplan["areas"]:
            seen |= {area["title"], *(need["title"] for need in area["needs"])}
            for objective in area["objectives"]:
                seen.add(objective["title"])
                for action in objective["actions"]:
                    seen.add(action["title"])
                    seen |= {indicator["name"] for indicator in action["indicators"]}
    results = client.get("/api/v1/needs/results/")
    assert results.status_code == 200
    seen |= {tally["need"]["title"] for tally in results.json()["needs"]}
    return seen


@pytest.mark.parametrize("who", PERSONAS)
def test_each_person_sees_exactly_the_records_their_visibility_allows_in_every_list(
    personas, seated, plan, voted, who
):
    seen = seen_through_lists(api_as(who_is(personas, seated, who)))

    expected = {label for label, people in EXPECTED.items() if who in people}
    assert {label for label in EXPECTED if label in seen} == expected


def detail_urls(plan) -> dict[str, str]:
    return {
        "need:committee": f"/api/v1/needs/{plan.need.pk}/",
        "need:caucus": f"/api/v1/needs/{plan.caucus_need.pk}/",
        "area:committee": f"/api/v1/action-areas/{plan.area.pk}/",
        "area:caucus": f"/api/v1/action-areas/{plan.caucus_area.pk}/",
        "objective:1": f"/api/v1/objectives/{plan.objective.pk}/",
        "objective:caucus": f"/api/v1/objectives/{plan.caucus_objective.pk}/",
        "action:committee": f"/api/v1/actions/{plan.action.pk}/",
        "action:in-caucus-area": f"/api/v1/actions/{plan.caucus_area_action.pk}/",
        "action:caucus": f"/api/v1/actions/{plan.caucus_action.pk}/",
        "update:committee": f"/api/v1/actions/{plan.action.pk}/updates/",
        "update:caucus": f"/api/v1/actions/{plan.caucus_action.pk}/updates/",
    }


def as_missing(url: str, record_id: int) -> str:
    return url.replace(f"/{record_id}/", f"/{MISSING}/")


@pytest.mark.parametrize("who", PERSONAS)
def test_a_record_you_may_not_see_reads_exactly_like_a_missing_one(personas, seated, plan, who):
    client = api_as(who_is(personas, seated, who))

    for label, url in detail_urls(plan).items():
        response = client.get(url)
        record_id = int(url.strip("/").split("/")[3])
        missing = client.get(as_missing(url, record_id))
        assert missing.status_code == 404
        if who in EXPECTED[label]:
            assert response.status_code == 200, (label, response.content)
        else:
            assert response.status_code == 404, label
            assert response.content == missing.content, label


@pytest.mark.parametrize("who", OUTSIDE_THE_CAUCUS)
def test_every_write_under_a_hidden_record_is_a_404_like_a_missing_one_and_changes_nothing(
    personas, seated, plan, spring, who
):
    p = personas
    client = api_as(getattr(p, who))
    today = community_today().isoformat()
    writes = [
        (f"/api/v1/actions/{plan.caucus_action.pk}/status/", {"status": "dropped"}),
        (f"/api/v1/actions/{plan.caucus_action.pk}/status/", {"progress": 10}),
        (f"/api/v1/actions/{plan.caucus_action.pk}/approve/", {"proposal": plan.proposal.pk}),
        (f"/api/v1/actions/{plan.caucus_action.pk}/updates/", {"date": today, "note": "x"}),
        (f"/api/v1/actions/{plan.caucus_area_action.pk}/status/", {"status": "dropped"}),
        (f"/api/v1/needs/{plan.caucus_need.pk}/vote/", {}),
        (f"/api/v1/needs/{plan.caucus_need.pk}/unvote/", {}),
        (f"/api/v1/action-areas/{plan.caucus_area.pk}/agree/", {"proposal": plan.proposal.pk}),
    ]
    for url, body in writes:
        record_id = int(url.strip("/").split("/")[3])
        hidden = client.post(url, body, format="json")
        missing = client.post(as_missing(url, record_id), body, format="json")
        assert hidden.status_code == missing.status_code == 404, url
        assert hidden.content == missing.content, url

    caucus_action = reloaded(plan.caucus_action)
    assert (caucus_action.status, caucus_action.progress) == ("proposed", 0)
    assert caucus_action.approved_by_id is None
    assert ProgressUpdate.objects.filter(action=plan.caucus_action).count() == 1
    assert reloaded(plan.caucus_area_action).status == "proposed"
    assert not NeedVote.objects.filter(need=plan.caucus_need).exists()
    assert reloaded(plan.caucus_area).agreed_by_id is None


def test_a_hidden_parent_or_link_in_a_request_is_refused_exactly_like_a_missing_one(personas, plan):
    """Sam, a coordinator outside the caucus, names the caucus's records when writing."""
    client = api_as(personas.coordinator)
    named = {"title": "x", "visibility": "committee"}
    cases = [
        ("/api/v1/objectives/", "area", plan.caucus_area.pk, lambda pk: pk),
        ("/api/v1/actions/", "objective", plan.caucus_objective.pk, lambda pk: pk),
        ("/api/v1/action-areas/", "needs", plan.caucus_need.pk, lambda pk: [pk]),
    ]
    for url, field, hidden_id, value in cases:
        hidden = client.post(url, {**named, field: value(hidden_id)}, format="json")
        missing = client.post(url, {**named, field: value(MISSING)}, format="json")
        assert hidden.status_code == missing.status_code == 400, url
        assert hidden.content.replace(str(hidden_id).encode(), b"ID") == missing.content.replace(
            str(MISSING).encode(), b"ID"
        )
    assert not ActionArea.objects.filter(title="x").exists()
    assert not Objective.objects.filter(title="x").exists()
    assert not Action.objects.filter(title="x").exists()


@pytest.mark.parametrize("who", ["police", "admin", "outsider"])
def test_outside_the_caucus_its_need_and_its_dots_are_nowhere_in_the_results(
    personas, seated, plan, voted, who
):
    results = api_as(getattr(personas, who)).get("/api/v1/needs/results/").json()

    assert "need:caucus" not in {tally["need"]["title"] for tally in results["needs"]}
    if who == "police":
        [tally] = results["needs"]
        assert (tally["need"]["title"], tally["total"]) == ("need:committee", 2)
        assert results["total"] == 2
        by_sector = {row["sector_name"]: row["dots"] for row in results["sectors"]}
        experiential = personas.sector("experiential").name
        assert by_sector[experiential] == 1  # the caucus's two dots on its own need are hidden
    else:
        assert results == {
            "prioritization": None,
            "total": 0,
            "sectors": [],
            "needs": [],
            "my_dots": {"used": 0, "remaining": 0, "allowed": 0},
        }


def test_the_caucus_sees_its_need_first_with_its_dots_per_sector(personas, plan, voted):
    p = personas
    results = api_as(p.experiential_peer).get("/api/v1/needs/results/").json()

    assert results["prioritization"]["id"] == voted.pk
    assert [(row["need"]["title"], row["total"]) for row in results["needs"]] == [
        ("need:caucus", 2),
        ("need:committee", 2),
    ]
    assert results["total"] == 4
    experiential, police = p.sector("experiential").pk, p.sector("law-enforcement").pk
    committee_need = results["needs"][1]
    per_sector = {row["sector_id"]: row["dots"] for row in committee_need["by_sector"]}
    assert (per_sector[experiential], per_sector[police]) == (1, 1)
    assert {row["sector_id"]: row["dots"] for row in results["sectors"]}[experiential] == 3
    assert results["my_dots"] == {"used": 0, "remaining": 3, "allowed": 3}


def test_another_communitys_round_reads_like_a_missing_one(personas, plan, voted):
    client = api_as(personas.outsider)
    hidden = client.get(f"/api/v1/needs/results/?prioritization={voted.pk}")
    missing = client.get(f"/api/v1/needs/results/?prioritization={MISSING}")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    bad = client.get("/api/v1/needs/results/?prioritization=spring")
    assert bad.status_code == 400
    assert "prioritization" in bad.json()


# --- the work plan as a tree -------------------------------------------------------------------


def test_the_work_plan_is_a_tree_with_progress_rolled_up_from_what_the_viewer_sees(personas, plan):
    p = personas
    [as_police] = rows(api_as(p.police).get("/api/v1/workplans/"))

    assert as_police["id"] == as_police["community"]["id"] == p.community.pk
    assert as_police["progress"] == 40
    [area] = as_police["areas"]
    assert (area["title"], area["progress"], area["is_agreed"]) == ("area:committee", 40, True)
    assert area["agreed_by"] == {"id": plan.proposal.pk, "title": plan.proposal.title}
    assert [need["title"] for need in area["needs"]] == ["need:committee"]
    [objective] = area["objectives"]
    assert (objective["title"], objective["progress"]) == ("objective:1", 40)
    [action] = objective["actions"]
    assert action["title"] == "action:committee"
    assert (action["status"], action["progress"], action["is_overdue"]) == (
        "in_progress",
        40,
        True,
    )
    assert action["responsible"] == {"id": p.health.pk, "display_name": p.health.display_name}
    assert action["lead_organization"]["name"] == p.coordinator.organization.name
    assert [org["name"] for org in action["partner_organizations"]] == [p.health.organization.name]
    assert [(i["name"], i["target"], i["unit"]) for i in action["indicators"]] == [
        ("indicator:nights", "36.00", "nights")
    ]

    # The caucus also sees its own action (0 %) beside the committee's (40 %).
    [as_caucus] = rows(api_as(p.experiential).get("/api/v1/workplans/"))
    committee_area = next(a for a in as_caucus["areas"] if a["title"] == "area:committee")
    assert committee_area["objectives"][0]["progress"] == 20
    assert [a["title"] for a in committee_area["objectives"][0]["actions"]] == [
        "action:committee",
        "action:caucus",
    ]


def test_the_work_plan_of_another_community_reads_like_a_missing_one(personas, plan):
    p = personas
    client = api_as(p.outsider)
    hidden = client.get(f"/api/v1/workplans/{p.community.pk}/")
    missing = client.get(f"/api/v1/workplans/{MISSING}/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert client.get("/api/v1/workplans/riverside/").status_code == 404
    [own] = rows(client.get("/api/v1/workplans/"))
    assert (own["id"], own["areas"]) == (p.other_community.pk, [])


def test_an_administrator_reads_an_empty_work_plan_until_something_is_public(personas, plan):
    p = personas
    client = api_as(p.admin)
    assert client.get(f"/api/v1/workplans/{p.community.pk}/").json()["areas"] == []

    services.change_visibility(actor=p.coordinator, record=plan.area, visibility="public")
    services.change_visibility(actor=p.coordinator, record=plan.action, visibility="public")

    [area] = client.get(f"/api/v1/workplans/{p.community.pk}/").json()["areas"]
    assert area["title"] == "area:committee"
    # Its needs and the committee proposal that agreed it are not public.
    assert (area["needs"], area["is_agreed"], area["agreed_by"]) == ([], True, None)
    assert [a["title"] for a in area["objectives"][0]["actions"]] == ["action:committee"]


def test_no_answer_carries_position_numbers_or_raw_proposal_ids(personas, plan, voted):
    client = api_as(personas.experiential)
    services.choose_model_outcome(actor=personas.coordinator, key="youth-exploitation")
    answers = [
        client.get(url).json()
        for url in [
            "/api/v1/workplans/",
            "/api/v1/needs/",
            "/api/v1/needs/results/",
            "/api/v1/action-areas/",
            f"/api/v1/action-areas/{plan.area.pk}/",
            "/api/v1/objectives/",
            "/api/v1/actions/",
            f"/api/v1/actions/{plan.action.pk}/",
            f"/api/v1/actions/{plan.action.pk}/updates/",
            "/api/v1/intended-outcomes/",
        ]
    ]
    keys = keys_in(answers)
    assert "title" in keys and "is_agreed" in keys and "is_approved" in keys
    assert not keys & {"position", "agreed_by_id", "approved_by_id"}


def test_lists_follow_the_plans_order_without_revealing_hidden_siblings(personas, plan):
    """The caucus area sits between the two committee areas; the police officer sees the two
    in order, and in the new order after Sam moves the last one first."""
    p = personas
    last = services.create_action_area(
        actor=p.coordinator, title="area:last", visibility=Visibility.COMMITTEE
    )
    client = api_as(p.police)
    assert titles(client.get("/api/v1/action-areas/")) == ["area:committee", "area:last"]

    services.reorder_action_areas(actor=p.coordinator, areas=[last, plan.area])

    assert titles(client.get("/api/v1/action-areas/")) == ["area:last", "area:committee"]
    [workplan] = rows(client.get("/api/v1/workplans/"))
    assert [area["title"] for area in workplan["areas"]] == ["area:last", "area:committee"]


def test_a_proposal_the_viewer_cannot_see_is_never_named_as_the_agreement(personas, plan):
    """Kim, a coordinator in the caucus, agrees a committee area and approves its action through
    a caucus proposal: Sam sees both agreed, but not by which proposal, nor when."""
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

    sam = api_as(p.coordinator)
    as_sam = sam.get(f"/api/v1/action-areas/{area.pk}/").json()
    assert (as_sam["is_agreed"], as_sam["agreed_by"], as_sam["agreed_at"]) == (True, None, None)
    as_sam = sam.get(f"/api/v1/actions/{action.pk}/").json()
    assert (as_sam["is_approved"], as_sam["approved_by"], as_sam["approved_at"]) == (
        True,
        None,
        None,
    )
    [workplan] = rows(sam.get("/api/v1/workplans/"))
    in_plan = next(row for row in workplan["areas"] if row["title"] == "area:kim")
    assert (in_plan["agreed_by"], in_plan["agreed_at"]) == (None, None)
    in_plan_action = in_plan["objectives"][0]["actions"][0]
    assert (in_plan_action["approved_by"], in_plan_action["approved_at"]) == (None, None)
    as_kim = api_as(kim).get(f"/api/v1/actions/{action.pk}/").json()
    assert as_kim["approved_by"] == {"id": hidden.pk, "title": hidden.title}
    assert as_kim["approved_at"] is not None


# --- actions: filters --------------------------------------------------------------------------


def test_actions_are_filtered_by_status_lead_organization_and_overdue(personas, plan):
    p = personas
    coordinator, caucus = api_as(p.coordinator), api_as(p.experiential)
    on_time = services.create_action(
        actor=p.coordinator,
        objective=plan.objective,
        title="action:on-time",
        visibility=Visibility.COMMITTEE,
        due_on=community_today() + timedelta(days=5),
    )

    assert titles(coordinator.get("/api/v1/actions/")) == ["action:committee", "action:on-time"]
    assert titles(coordinator.get("/api/v1/actions/?status=in_progress")) == ["action:committee"]
    assert titles(coordinator.get("/api/v1/actions/?status=proposed")) == [on_time.title]
    lead = p.coordinator.organization.pk
    assert titles(coordinator.get(f"/api/v1/actions/?lead_organization={lead}")) == [
        "action:committee"
    ]
    assert titles(coordinator.get(f"/api/v1/actions/?lead_organization={MISSING}")) == []
    assert titles(coordinator.get("/api/v1/actions/?overdue=true")) == ["action:committee"]
    assert titles(coordinator.get("/api/v1/actions/?overdue=false")) == ["action:on-time"]
    assert set(titles(caucus.get("/api/v1/actions/?overdue=true"))) == {
        "action:committee",
        "action:in-caucus-area",
        "action:caucus",
    }
    assert titles(coordinator.get("/api/v1/actions/?status=proposed&overdue=true")) == []


@pytest.mark.parametrize(
    ("query", "field", "says"),
    [
        ("status=approvd", "status", "Unknown status “approvd”"),
        ("status=", "status", "Unknown status"),
        ("lead_organization=police", "lead_organization", "whole number"),
        ("lead_organization=-3", "lead_organization", "whole number"),
        ("overdue=maybe", "overdue", "true or false"),
    ],
)
def test_an_invalid_filter_is_a_400_that_says_what_is_wrong(personas, plan, query, field, says):
    response = api_as(personas.coordinator).get(f"/api/v1/actions/?{query}")

    assert response.status_code == 400
    assert says in response.json()[field][0]


def test_objectives_are_filtered_by_area(personas, plan):
    client = api_as(personas.experiential)
    assert titles(client.get(f"/api/v1/objectives/?area={plan.caucus_area.pk}")) == [
        "objective:caucus"
    ]
    assert (
        titles(api_as(personas.police).get(f"/api/v1/objectives/?area={plan.caucus_area.pk}")) == []
    )
    assert client.get("/api/v1/objectives/?area=caucus").status_code == 400


# --- actions: approval, status and progress ----------------------------------------------------


@pytest.fixture
def proposed(personas, plan) -> Action:
    return services.create_action(
        actor=personas.coordinator,
        objective=plan.objective,
        title="action:proposed",
        visibility=Visibility.COMMITTEE,
    )


def approve(client: APIClient, action: Action, proposal_id: int):
    return client.post(
        f"/api/v1/actions/{action.pk}/approve/", {"proposal": proposal_id}, format="json"
    )


def test_an_action_is_approved_through_a_proposal_the_committee_agreed(personas, plan, proposed):
    response = approve(api_as(personas.coordinator), proposed, plan.proposal.pk)

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["is_approved"]) == ("approved", True)
    assert data["approved_by"] == {"id": plan.proposal.pk, "title": plan.proposal.title}
    assert data["approved_at"] is not None
    assert reloaded(proposed).approved_by == plan.proposal


@pytest.mark.parametrize("kind", ["open", "blocked"])
def test_an_open_or_blocked_proposal_approves_nothing(personas, plan, proposed, kind):
    p = personas
    proposal = (
        make_proposal(p.coordinator, "Still open", status="decision")
        if kind == "open"
        else blocked_proposal(p)
    )

    response = approve(api_as(p.coordinator), proposed, proposal.pk)

    assert response.status_code == 400
    assert response.json() == {
        "proposal": ["Only a proposal that the committee has agreed can do this."]
    }
    action = reloaded(proposed)
    assert (action.status, action.approved_by_id, action.approved_at) == ("proposed", None, None)


def test_a_proposal_the_approver_cannot_see_is_refused_like_a_missing_one(personas, plan, proposed):
    """Agreed in the caucus, so hidden from Sam: for Sam it does not exist."""
    hidden = caucus_agreed_proposal(personas)
    client = api_as(personas.coordinator)

    refused = approve(client, proposed, hidden.pk)
    missing = approve(client, proposed, MISSING)

    assert refused.status_code == missing.status_code == 400
    assert refused.json()["proposal"][0].replace(str(hidden.pk), "ID") == missing.json()[
        "proposal"
    ][0].replace(str(MISSING), "ID")
    assert reloaded(proposed).status == "proposed"


def test_an_action_area_is_agreed_only_through_an_agreed_proposal(personas, plan):
    p = personas
    area = services.create_action_area(
        actor=p.coordinator, title="area:new", visibility=Visibility.COMMITTEE
    )
    client = api_as(p.coordinator)
    url = f"/api/v1/action-areas/{area.pk}/agree/"

    refused = client.post(url, {"proposal": blocked_proposal(p).pk}, format="json")
    assert refused.status_code == 400
    assert reloaded(area).agreed_by_id is None
    assert api_as(p.police).post(url, {"proposal": plan.proposal.pk}, format="json").json() == {
        "detail": [
            "Only coordinators, or the caucus for its own records, can change the work plan."
        ]
    }

    agreed = client.post(url, {"proposal": plan.proposal.pk}, format="json")

    assert agreed.status_code == 200, agreed.content
    assert agreed.json()["agreed_by"] == {"id": plan.proposal.pk, "title": plan.proposal.title}
    assert reloaded(area).agreed_by == plan.proposal


def test_approved_is_never_set_by_a_status_change(personas, plan, proposed):
    client = api_as(personas.coordinator)

    for action in [proposed, plan.action]:
        before = reloaded(action).status
        response = client.post(
            f"/api/v1/actions/{action.pk}/status/", {"status": "approved"}, format="json"
        )
        assert response.status_code == 400
        assert response.json() == {
            "status": ["An action is approved only through a proposal the committee agreed."]
        }
        assert reloaded(action).status == before


def test_a_proposed_action_cannot_start_before_it_is_approved(personas, plan, proposed):
    response = api_as(personas.coordinator).post(
        f"/api/v1/actions/{proposed.pk}/status/", {"status": "in_progress"}, format="json"
    )

    assert response.status_code == 400
    assert "Approve this action" in response.json()["status"][0]
    assert reloaded(proposed).status == "proposed"


@pytest.mark.parametrize("progress", [101, -1, 250])
def test_progress_outside_0_to_100_is_refused(personas, plan, progress):
    response = api_as(personas.health).post(
        f"/api/v1/actions/{plan.action.pk}/status/", {"progress": progress}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"progress": ["Give the progress as a percentage from 0 to 100."]}
    assert reloaded(plan.action).progress == 40


def test_a_status_and_a_progress_change_together_or_not_at_all(personas, plan):
    client = api_as(personas.health)
    url = f"/api/v1/actions/{plan.action.pk}/status/"

    refused = client.post(url, {"status": "stalled", "progress": 150}, format="json")
    assert refused.status_code == 400
    action = reloaded(plan.action)
    assert (action.status, action.progress) == ("in_progress", 40)

    moved = client.post(url, {"status": "stalled", "progress": 45}, format="json")
    assert moved.status_code == 200, moved.content
    assert (moved.json()["status"], moved.json()["progress"]) == ("stalled", 45)

    done = client.post(url, {"status": "done", "progress": 100}, format="json")
    assert (done.json()["status"], done.json()["progress"], done.json()["is_overdue"]) == (
        "done",
        100,
        False,
    )
    assert client.post(url, {}, format="json").status_code == 400


def test_only_the_responsible_person_or_a_planner_reports_on_an_action(personas, plan):
    url = f"/api/v1/actions/{plan.action.pk}/status/"

    refused = api_as(personas.police).post(url, {"progress": 90}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": ["Only its responsible person or a coordinator can report on this action."]
    }
    assert reloaded(plan.action).progress == 40

    by_health = api_as(personas.health).post(url, {"progress": 55}, format="json")
    assert (by_health.status_code, by_health.json()["progress"]) == (200, 55)


# --- progress updates --------------------------------------------------------------------------


def test_the_responsible_person_reports_progress_and_an_indicator_value(personas, plan):
    p = personas
    client = api_as(p.health)
    url = f"/api/v1/actions/{plan.action.pk}/updates/"
    today = community_today()

    response = client.post(
        url,
        {
            "date": today.isoformat(),
            "progress": 60,
            "indicator": plan.indicator.pk,
            "value": "18",
            "note": "Six more nights",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["by"] == {"id": p.health.pk, "display_name": p.health.display_name}
    assert response.json()["indicator"] == {"id": plan.indicator.pk, "name": "indicator:nights"}
    listed = api_as(p.police).get(url).json()
    assert [(u["date"], u["progress"], u["value"], u["note"]) for u in listed] == [
        (today.isoformat(), 60, "18.00", "Six more nights"),
        ((today - timedelta(days=7)).isoformat(), 40, "12.00", "update:committee"),
    ]
    assert reloaded(plan.action).progress == 60


def test_an_update_is_refused_for_a_future_date_another_actions_indicator_or_a_stranger(
    personas, plan
):
    p = personas
    url = f"/api/v1/actions/{plan.action.pk}/updates/"
    tomorrow = (community_today() + timedelta(days=1)).isoformat()
    today = community_today().isoformat()
    caucus_indicator = plan.caucus_action.indicators.get()

    future = api_as(p.health).post(url, {"date": tomorrow, "note": "soon"}, format="json")
    assert future.status_code == 400
    assert "date" in future.json()
    elsewhere = api_as(p.experiential).post(
        url, {"date": today, "indicator": caucus_indicator.pk, "value": "1"}, format="json"
    )
    assert elsewhere.status_code == 400
    assert "indicator" in elsewhere.json()
    stranger = api_as(p.police).post(url, {"date": today, "note": "hi"}, format="json")
    assert stranger.status_code == 400
    nothing = api_as(p.health).post(url, {"date": today}, format="json")
    assert nothing.status_code == 400
    assert ProgressUpdate.objects.filter(action=plan.action).count() == 1


# --- creating the plan through the API ---------------------------------------------------------


def test_a_coordinator_builds_an_area_an_objective_and_an_action(personas, plan):
    p = personas
    client = api_as(p.coordinator)

    area = client.post(
        "/api/v1/action-areas/",
        {"title": "Safer nights", "visibility": "committee", "needs": [plan.need.pk]},
        format="json",
    )
    assert area.status_code == 201, area.content
    assert [need["title"] for need in area.json()["needs"]] == ["need:committee"]
    assert area.json()["is_agreed"] is False
    objective = client.post(
        "/api/v1/objectives/",
        {"area": area.json()["id"], "title": "Keep the van running"},
        format="json",
    )
    assert objective.status_code == 201, objective.content
    action = client.post(
        "/api/v1/actions/",
        {
            "objective": objective.json()["id"],
            "title": "Night van",
            "visibility": "committee",
            "lead_organization": p.health.organization.pk,
            "partner_organizations": [p.police.organization.pk],
            "responsible": p.health.pk,
            "starts_on": "2026-01-01",
            "due_on": "2026-06-30",
        },
        format="json",
    )

    assert action.status_code == 201, action.content
    data = action.json()
    assert (data["status"], data["is_approved"], data["approved_by"]) == ("proposed", False, None)
    assert data["area"] == area.json()["id"]
    assert data["responsible"]["id"] == p.health.pk
    assert [org["id"] for org in data["partner_organizations"]] == [p.police.organization.pk]
    assert "Night van" in titles(api_as(p.police).get("/api/v1/actions/"))


def test_a_member_plans_only_their_caucus_records(personas, plan):
    p = personas
    refused = api_as(p.police).post(
        "/api/v1/action-areas/", {"title": "Police area", "visibility": "committee"}, format="json"
    )
    assert refused.status_code == 400
    assert not ActionArea.objects.filter(title="Police area").exists()

    caucus = api_as(p.experiential).post(
        "/api/v1/action-areas/",
        {
            "title": "Peer safety",
            "visibility": "sectors",
            "visible_sectors": [p.sector("experiential").pk],
        },
        format="json",
    )
    assert caucus.status_code == 201, caucus.content
    assert caucus.json()["visibility"] == "sectors"
    assert "Peer safety" not in titles(api_as(p.coordinator).get("/api/v1/action-areas/"))


def test_a_member_records_a_need_for_their_own_sector_only(personas, plan):
    p = personas
    client = api_as(p.police)

    own = client.post(
        "/api/v1/needs/",
        {"title": "Lighting", "sector": p.sector("law-enforcement").pk, "visibility": "committee"},
        format="json",
    )
    assert own.status_code == 201, own.content
    assert (own.json()["author"], own.json()["status"]) == (p.police.display_name, "open")
    other = client.post(
        "/api/v1/needs/",
        {"title": "Parking", "sector": p.sector("residents").pk, "visibility": "committee"},
        format="json",
    )
    assert other.status_code == 400
    assert other.json() == {"sector": ["Raise a need for a sector you belong to."]}
    outsider = api_as(p.outsider).post(
        "/api/v1/needs/",
        {"title": "x", "sector": p.sector("residents").pk, "visibility": "committee"},
        format="json",
    )
    assert outsider.status_code == 400
    assert "sector" in outsider.json()


# --- dots --------------------------------------------------------------------------------------


def test_a_member_places_and_takes_back_dots_within_their_budget(personas, plan, spring):
    client = api_as(personas.police)
    vote = f"/api/v1/needs/{plan.need.pk}/vote/"

    first = client.post(vote)
    assert first.status_code == 200, first.content
    assert first.json() == {
        "need": plan.need.pk,
        "prioritization": spring.pk,
        "dots": 1,
        "used": 1,
        "remaining": 2,
        "allowed": 3,
    }
    client.post(vote)
    client.post(vote)
    over = client.post(vote)
    assert over.status_code == 400
    assert over.json() == {"dots": ["You have 0 dots left to place."]}
    back = client.post(f"/api/v1/needs/{plan.need.pk}/unvote/")
    assert (back.json()["dots"], back.json()["remaining"]) == (2, 1)


def test_no_dots_without_an_open_round_and_none_for_observers(personas, seated, plan):
    url = f"/api/v1/needs/{plan.need.pk}/vote/"
    closed = api_as(personas.police).post(url)
    assert closed.status_code == 400
    assert "none is open" in closed.json()["detail"][0]

    services.open_prioritization(actor=personas.coordinator, title="Round")
    observer = api_as(seated.observer).post(url)
    assert observer.status_code == 400
    assert observer.json() == {"detail": ["Observers take part in the discussion but do not vote."]}
    assert not NeedVote.objects.exists()


# --- intended outcomes -------------------------------------------------------------------------


def test_members_read_the_outcomes_and_coordinators_choose_and_add_them(personas, plan):
    p = personas
    coordinator = api_as(p.coordinator)
    url = "/api/v1/intended-outcomes/"

    offered = rows(api_as(p.police).get(url))
    assert [(o["id"], o["key"], o["chosen"]) for o in offered][0] == (
        None,
        "sex-worker-safety",
        False,
    )
    assert len(offered) == 4
    chosen = coordinator.post(f"{url}choose/", {"key": "youth-exploitation"}, format="json")
    assert chosen.status_code == 200, chosen.content
    assert (chosen.json()["chosen"], chosen.json()["is_from_model"]) == (True, True)
    assert chosen.json()["title"] == "Reduce sexual exploitation of youth"
    own = coordinator.post(url, {"title": "Safer laneways"}, format="json")
    assert own.status_code == 201, own.content
    set_aside = coordinator.post(
        f"{url}choose/", {"outcome": own.json()["id"], "chosen": False}, format="json"
    )
    assert set_aside.json()["chosen"] is False

    listed = rows(api_as(p.police).get(url))
    assert [(o["title"], o["chosen"]) for o in listed][3:] == [
        ("Reduce sexual exploitation of youth", True),
        ("Safer laneways", False),
    ]
    assert rows(api_as(p.admin).get(url)) == []
    assert "Safer laneways" not in titles(api_as(p.outsider).get(url))


def test_only_coordinators_choose_outcomes_and_only_their_own_communitys(personas, plan):
    p = personas
    url = "/api/v1/intended-outcomes/"
    refused = api_as(p.police).post(f"{url}choose/", {"key": "youth-exploitation"}, format="json")
    assert refused.status_code == 400
    assert api_as(p.police).post(url, {"title": "Mine"}, format="json").status_code == 400
    own = services.add_intended_outcome(actor=p.coordinator, title="Safer laneways")
    elsewhere = api_as(p.outsider).post(
        f"{url}choose/", {"outcome": own.pk, "chosen": False}, format="json"
    )
    assert elsewhere.status_code == 400
    assert "outcome" in elsewhere.json()
    both = api_as(p.coordinator).post(
        f"{url}choose/", {"key": "youth-exploitation", "outcome": own.pk}, format="json"
    )
    assert both.status_code == 400
    assert rows(api_as(p.police).get(url))[3]["chosen"] is False
    assert reloaded(own).chosen is True


# --- anonymous callers, schema -----------------------------------------------------------------

LISTS = [
    "workplans",
    "needs",
    "needs/results",
    "action-areas",
    "objectives",
    "actions",
    "intended-outcomes",
]


@pytest.mark.parametrize("kind", LISTS)
def test_an_anonymous_caller_is_refused_every_list(personas, plan, kind):
    response = APIClient().get(f"/api/v1/{kind}/")

    assert response.status_code in {401, 403}
    assert b"area:committee" not in response.content
    assert b"need:committee" not in response.content


def test_an_anonymous_caller_reads_and_writes_nothing_under_a_record(personas, plan):
    client = APIClient()
    for url in detail_urls(plan).values():
        assert client.get(url).status_code in {401, 403}, url
    writes = [
        f"/api/v1/actions/{plan.action.pk}/status/",
        f"/api/v1/actions/{plan.action.pk}/approve/",
        f"/api/v1/needs/{plan.need.pk}/vote/",
        f"/api/v1/action-areas/{plan.area.pk}/agree/",
    ]
    for url in writes:
        assert client.post(url, {"status": "dropped"}, format="json").status_code in {401, 403}
    assert reloaded(plan.action).status == "in_progress"


def test_the_schema_lists_the_work_plan_endpoints_without_warnings(db, tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    paths = yaml.safe_load((tmp_path / "schema.yaml").read_text())["paths"]
    for path in [
        "/api/v1/workplans/",
        "/api/v1/workplans/{id}/",
        "/api/v1/actions/",
        "/api/v1/actions/{id}/status/",
        "/api/v1/actions/{id}/approve/",
        "/api/v1/actions/{id}/updates/",
        "/api/v1/needs/",
        "/api/v1/needs/{id}/vote/",
        "/api/v1/needs/{id}/unvote/",
        "/api/v1/needs/results/",
        "/api/v1/action-areas/",
        "/api/v1/action-areas/{id}/agree/",
        "/api/v1/objectives/",
        "/api/v1/intended-outcomes/",
        "/api/v1/intended-outcomes/choose/",
    ]:
        assert path in paths, path


# --- query counts ------------------------------------------------------------------------------


@pytest.fixture
def base(personas, seated):
    """An agreed area with an objective, an approved action to report on, an open round."""
    p = personas
    proposal = agreed_proposal(p)
    area = services.create_action_area(
        actor=p.coordinator, title="area:base", visibility=Visibility.COMMITTEE
    )
    objective = services.create_objective(actor=p.coordinator, area=area, title="objective:base")
    action = services.create_action(
        actor=p.coordinator, objective=objective, title="action:base", visibility="committee"
    )
    services.approve_actions(actor=p.coordinator, proposal=proposal, actions=[action])
    spring = services.open_prioritization(actor=p.coordinator, title="Round")
    return {
        "proposal": proposal,
        "area": area,
        "objective": objective,
        "action": action,
        "round": spring,
    }


def add_records(p, base, kind: str, start: int, count: int) -> None:
    """`count` more records of a kind, each with everything its list shows (partners,
    indicators, linked needs, the agreeing proposal…)."""
    for number in range(start, start + count):
        match kind:
            case "needs" | "needs/results":
                need = services.record_need(
                    author=p.police,
                    title=f"need {number}",
                    sector=p.sector("law-enforcement"),
                    visibility=Visibility.COMMITTEE,
                )
                if number < 3:
                    services.vote(actor=p.police, prioritization=base["round"], need=need)
            case "objectives":
                services.create_objective(
                    actor=p.coordinator, area=base["area"], title=f"objective {number}"
                )
            case "intended-outcomes":
                services.add_intended_outcome(actor=p.coordinator, title=f"Outcome {number}")
            case "updates":
                services.add_progress_update(
                    actor=p.coordinator,
                    action=base["action"],
                    on=community_today() - timedelta(days=number),
                    progress=number,
                    note=f"update {number}",
                )
            case "action-areas" | "workplans":
                need = services.record_need(
                    author=p.police,
                    title=f"need {number}",
                    sector=p.sector("law-enforcement"),
                    visibility=Visibility.COMMITTEE,
                )
                area = services.create_action_area(
                    actor=p.coordinator,
                    title=f"area {number}",
                    visibility=Visibility.COMMITTEE,
                    needs=[need],
                )
                services.agree_action_area(
                    actor=p.coordinator, area=area, proposal=base["proposal"]
                )
                if kind == "workplans":
                    objective = services.create_objective(
                        actor=p.coordinator, area=area, title=f"objective {number}"
                    )
                    add_action(p, base, objective, number)
            case "actions":
                add_action(p, base, base["objective"], number)


def add_action(p, base, objective, number: int) -> None:
    action = services.create_action(
        actor=p.coordinator,
        objective=objective,
        title=f"action {number}",
        visibility=Visibility.COMMITTEE,
        lead_organization=p.health.organization,
        partner_organizations=[p.police.organization, p.experiential.organization],
        responsible=p.health,
        due_on=community_today() - timedelta(days=1),
    )
    services.add_indicator(actor=p.coordinator, action=action, name=f"indicator {number}")
    services.approve_actions(actor=p.coordinator, proposal=base["proposal"], actions=[action])


def rows_in(kind: str, data) -> int:
    if kind == "updates":
        return len(data)
    if kind == "needs/results":
        return len(data["needs"])
    if kind == "workplans":
        return sum(len(area["objectives"]) for area in data["results"][0]["areas"])
    return len(data["results"])


def queries_for(client: APIClient, url: str, kind: str, expected_rows: int) -> int:
    client.get(url)  # warm per-process caches (content types, permission ids)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert rows_in(kind, response.json()) == expected_rows
    return len(queries)


# The queries each list costs, whatever its length: the budget a change must not exceed.
QUERY_BUDGETS = {
    # community count and row; areas with their sectors, needs, agreeing and drafted proposals;
    # objectives; actions with their sectors, partners, indicators and approving proposal
    "workplans": 13,
    # count; actions with their sectors, partners, indicators and approving proposal
    "actions": 6,
    # the action with its five prefetches; its updates with who gave them and the indicator
    "updates": 7,
    # count; needs with their sector and author; their sectors
    "needs": 3,
    # the open round; the dots per need, and per need and sector; the needs listed; the
    # sectors; my dots (on which needs, and how many in all)
    "needs/results": 7,
    # count; areas; their sectors, needs, agreeing and drafted proposals
    "action-areas": 6,
    # count; objectives
    "objectives": 2,
    # the community's outcomes
    "intended-outcomes": 1,
}


@pytest.mark.parametrize("kind", list(QUERY_BUDGETS))
def test_each_list_costs_the_same_queries_for_1_and_for_10_records(personas, base, kind):
    p = personas
    url = (
        f"/api/v1/actions/{base['action'].pk}/updates/" if kind == "updates" else f"/api/v1/{kind}/"
    )
    # The base plan already holds one objective (in the work plan, one objective per area).
    already = {"objectives": 1, "workplans": 1, "action-areas": 1, "actions": 1}.get(kind, 0)
    if kind == "intended-outcomes":
        already = 4  # the seed's four are always offered
    client = APIClient()
    client.force_authenticate(p.experiential.user)

    add_records(p, base, kind, 0, 1)
    one = queries_for(client, url, kind, already + 1)
    add_records(p, base, kind, 1, 9)
    ten = queries_for(client, url, kind, already + 10)

    assert (one, ten) == (QUERY_BUDGETS[kind], QUERY_BUDGETS[kind])


# --- changing a need ---------------------------------------------------------------------------


def test_its_author_changes_a_needs_words_and_who_sees_it_and_the_rest_stays(personas, plan):
    p = personas
    url = f"/api/v1/needs/{plan.need.pk}/"

    renamed = api_as(p.resident).patch(url, {"title": "Lighting on 5th"}, format="json")
    assert renamed.status_code == 200, renamed.content
    assert (renamed.json()["title"], renamed.json()["visibility"]) == (
        "Lighting on 5th",
        "committee",
    )
    narrowed = api_as(p.resident).patch(
        url,
        {"visibility": "sectors", "visible_sectors": [p.sector("residents").pk]},
        format="json",
    )
    assert narrowed.status_code == 200, narrowed.content
    need = reloaded(plan.need)
    assert (need.title, need.sector, need.visibility) == (
        "Lighting on 5th",
        p.sector("residents"),
        "sectors",
    )
    assert list(need.visible_sectors.all()) == [p.sector("residents")]
    assert api_as(p.police).get(url).status_code == 404  # no longer the police's to see


def test_a_coordinator_changes_a_needs_words_but_not_who_sees_it(personas, plan):
    p = personas
    url = f"/api/v1/needs/{plan.need.pk}/"
    client = api_as(p.coordinator)

    words = client.patch(url, {"description": "Raised at the June meeting."}, format="json")
    assert words.status_code == 200, words.content
    audience = client.patch(url, {"visibility": "coordinators"}, format="json")
    assert audience.status_code == 400
    assert audience.json() == {"detail": ["Only its author can change who sees this."]}
    need = reloaded(plan.need)
    assert (need.title, need.description, need.visibility) == (
        "need:committee",
        "Raised at the June meeting.",
        "committee",
    )


def test_someone_else_cannot_change_a_need_and_a_hidden_one_reads_like_a_missing_one(
    personas, plan
):
    p = personas
    other = api_as(p.police).patch(
        f"/api/v1/needs/{plan.need.pk}/", {"title": "Mine now"}, format="json"
    )
    assert other.status_code == 400
    assert "Only its author or a coordinator" in str(other.json())
    client = api_as(p.resident)  # outside the experiential caucus
    hidden = client.patch(f"/api/v1/needs/{plan.caucus_need.pk}/", {"title": "x"}, format="json")
    missing = client.patch(f"/api/v1/needs/{MISSING}/", {"title": "x"}, format="json")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert reloaded(plan.need).title == "need:committee"
    assert reloaded(plan.caucus_need).title == "need:caucus"


def test_a_need_change_that_fails_changes_nothing(personas, plan):
    response = api_as(personas.resident).patch(
        f"/api/v1/needs/{plan.need.pk}/",
        {"title": "New words", "sector": personas.sector("health").pk},
        format="json",
    )
    assert response.status_code == 400
    assert "sector" in response.json()
    assert reloaded(plan.need).title == "need:committee"


# --- an area's drafted proposal ----------------------------------------------------------------


def test_an_area_names_its_drafted_proposal_only_to_those_who_may_see_it(personas, plan):
    p = personas
    area = services.create_action_area(
        actor=p.coordinator, title="area:to-agree", visibility=Visibility.COMMITTEE
    )
    drafted = services.draft_area_proposal(actor=p.coordinator, area=area)
    url = f"/api/v1/action-areas/{area.pk}/"

    assert api_as(p.police).get(url).json()["drafted_proposal"] is None  # a draft: not yet
    assert api_as(p.coordinator).get(url).json()["drafted_proposal"]["id"] == drafted.pk
    committee_services.start_discussion(actor=p.coordinator, proposal=drafted)
    seen = api_as(p.police).get(url).json()
    assert seen["drafted_proposal"] == {"id": drafted.pk, "title": drafted.title}
    assert seen["agreed_by"] is None

    caucus = make_proposal(
        p.experiential,
        "caucus:proposal",
        visibility=Visibility.SECTORS,
        sectors=[p.sector("experiential")],
    )
    ActionArea.objects.filter(pk=area.pk).update(proposal=caucus)
    assert api_as(p.police).get(url).json()["drafted_proposal"] is None
    assert api_as(p.experiential).get(url).json()["drafted_proposal"] == {
        "id": caucus.pk,
        "title": "caucus:proposal",
    }
