"""The committee REST API as its callers meet it: the committee and its seats for its own
community only; proposals listed and read exactly as their visibility allows, and 404 at every
address under one the caller may not see; positions given, refused and changed; anonymous
proposals that never say who answered; moves only by the author and coordinators; revisions
that keep the earlier version readable; a list that does not grow in queries; a clean schema."""

from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from committee import services
from committee.models import Comment, Position, Proposal, ProposalStatus
from stakeholders.models import Person, Visibility
from tests.conftest import make_community, make_person, make_proposal

MISSING = 999_999


def api_as(person: Person | None) -> APIClient:
    client = APIClient()
    if person is not None:
        client.force_login(person.user)
    return client


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def propose(
    author: Person,
    title: str = "Open the drop-in centre at night",
    *,
    to=ProposalStatus.DRAFT,
    **options,
) -> Proposal:
    return make_proposal(author, title, status=to, **options)


def position_url(proposal: Proposal) -> str:
    return f"/api/v1/proposals/{proposal.pk}/positions/"


# --- the committee -----------------------------------------------------------------------------


def test_a_member_reads_the_committee_with_its_seats_and_roles(personas, seated):
    p = personas
    response = api_as(p.experiential).get("/api/v1/committees/")

    assert response.status_code == 200
    [committee] = response.json()["results"]
    assert committee["id"] == seated.committee.pk
    police_seat = next(seat for seat in committee["seats"] if seat["primary"]["id"] == p.police.pk)
    assert police_seat["sector"]["name"] == p.sector("law-enforcement").name
    assert police_seat["organization"] == p.police.organization_id
    assert police_seat["alternate"] == {
        "id": p.police_colleague.pk,
        "display_name": p.police_colleague.display_name,
    }
    resident_seat = next(
        seat for seat in committee["seats"] if seat["primary"]["id"] == p.resident.pk
    )
    assert resident_seat["alternate"] is None
    assert resident_seat["organization"] is None
    assert len(committee["seats"]) == len(seated.seats)
    roles = {role["person"]: role["role"] for role in committee["roles"]}
    assert roles[seated.observer.pk] == "observer"
    assert roles[p.police_colleague.pk] == "alternate"
    assert roles[p.experiential.pk] == "member"


def test_another_community_sees_no_committee_here(personas, seated):
    client = api_as(personas.outsider)

    assert client.get("/api/v1/committees/").json()["results"] == []
    hidden = client.get(f"/api/v1/committees/{seated.committee.pk}/")
    missing = client.get(f"/api/v1/committees/{MISSING}/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_an_administrator_sees_no_committee(personas, seated):
    """Administrators onboard people but see no committee content (its seats, roles, terms)."""
    client = api_as(personas.admin)

    assert client.get("/api/v1/committees/").json()["results"] == []
    hidden = client.get(f"/api/v1/committees/{seated.committee.pk}/")
    missing = client.get(f"/api/v1/committees/{MISSING}/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_an_anonymous_caller_gets_no_committee(personas, seated):
    assert APIClient().get("/api/v1/committees/").status_code in {401, 403}


# --- who sees which proposal -------------------------------------------------------------------


@pytest.fixture
def proposals(personas, seated) -> dict[str, Proposal]:
    p = personas
    return {
        "committee": propose(p.police, "committee", to=ProposalStatus.DECISION),
        "caucus": propose(
            p.experiential,
            "caucus",
            to=ProposalStatus.DISCUSSION,
            visibility=Visibility.SECTORS,
            sectors=[p.sector("experiential")],
        ),
        "organization": propose(
            p.police, "organization", to=ProposalStatus.DISCUSSION, visibility="organization"
        ),
        "coordinators": propose(
            p.resident, "coordinators", to=ProposalStatus.DISCUSSION, visibility="coordinators"
        ),
        "draft": propose(p.police, "draft"),
    }


GETS = ["", "positions/", "comments/", "history/"]
POSTS = [
    ("positions/", {"stance": "agree"}),
    ("comments/", {"body": "Hello"}),
    ("transition/", {"to": "withdrawn"}),
    ("revise/", {"title": "Taken over", "body": "Mine now."}),
]


SEES = {
    "experiential": {"committee", "caucus"},
    "experiential_peer": {"committee", "caucus"},
    "police": {"committee", "organization", "draft"},
    "police_colleague": {"committee", "organization"},
    "resident": {"committee", "coordinators"},
    "business": {"committee"},
    "health": {"committee"},
    "coordinator": {"committee", "coordinators", "draft"},
    "observer": {"committee"},
    "admin": set(),
    "outsider": set(),
}


def persona(personas, seated, who: str) -> Person:
    return seated.observer if who == "observer" else getattr(personas, who)


@pytest.mark.parametrize("who", SEES)
def test_each_persona_lists_and_reads_exactly_the_proposals_they_may_see(
    personas, seated, proposals, who
):
    client = api_as(persona(personas, seated, who))

    assert titles(client.get("/api/v1/proposals/")) == SEES[who]
    for label, proposal in proposals.items():
        detail = client.get(f"/api/v1/proposals/{proposal.pk}/")
        assert detail.status_code == (200 if label in SEES[who] else 404), label


def test_the_experiential_caucus_proposal_does_not_exist_for_the_police(
    personas, seated, proposals
):
    client = api_as(personas.police)
    caucus = proposals["caucus"]

    missing = {
        "get": [client.get(f"/api/v1/proposals/{MISSING}/{suffix}") for suffix in GETS],
        "post": [client.post(f"/api/v1/proposals/{MISSING}/{s}", d) for s, d in POSTS],
    }
    hidden = {
        "get": [client.get(f"/api/v1/proposals/{caucus.pk}/{suffix}") for suffix in GETS],
        "post": [client.post(f"/api/v1/proposals/{caucus.pk}/{s}", d) for s, d in POSTS],
    }

    for hidden_response, missing_response in zip(
        hidden["get"] + hidden["post"], missing["get"] + missing["post"], strict=True
    ):
        assert hidden_response.status_code == missing_response.status_code == 404
        assert hidden_response.content == missing_response.content
    caucus.refresh_from_db()
    assert caucus.status == ProposalStatus.DISCUSSION
    assert caucus.title == "caucus"
    assert not caucus.comments.exists()


@pytest.mark.parametrize("who", ["admin", "outsider"])
def test_administrators_and_other_communities_reach_nothing_under_a_proposal(
    personas, seated, proposals, who
):
    client = api_as(getattr(personas, who))
    committee = proposals["committee"]
    for suffix in GETS:
        hidden = client.get(f"/api/v1/proposals/{committee.pk}/{suffix}")
        missing = client.get(f"/api/v1/proposals/{MISSING}/{suffix}")
        assert hidden.status_code == 404, suffix
        assert hidden.content == missing.content
    for suffix, data in POSTS:
        assert client.post(f"/api/v1/proposals/{committee.pk}/{suffix}", data).status_code == 404
    assert not Position.objects.exists()
    committee.refresh_from_db()
    assert committee.status == ProposalStatus.DECISION


# --- creating a proposal -----------------------------------------------------------------------


def test_a_member_drafts_a_caucus_proposal_only_their_caucus_can_read(personas, seated):
    p = personas
    response = api_as(p.experiential).post(
        "/api/v1/proposals/",
        {
            "title": "Peer-led outreach",
            "body": "Fund **peer** outreach.<script>alert(1)</script>",
            "visibility": "sectors",
            "visible_sectors": [p.sector("experiential").pk],
            "anonymous": True,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft"
    assert data["version"] == 1
    assert data["author"] == p.experiential.display_name
    assert data["anonymous"] is True
    assert data["visible_sectors"] == [p.sector("experiential").pk]
    assert data["committee"] == seated.committee.pk
    assert "<strong>peer</strong>" in data["body_html"]
    assert "<script" not in data["body_html"]
    assert data["outcome"]["result"] == "no_consensus"
    assert data["my_position"] is None
    assert data["awaits_me"] is False
    proposal = Proposal.objects.get(pk=data["id"])
    services.start_discussion(actor=p.experiential, proposal=proposal)
    assert api_as(p.experiential_peer).get(f"/api/v1/proposals/{proposal.pk}/").status_code == 200
    assert api_as(p.police).get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404


def test_a_proposal_cannot_be_restricted_to_a_sector_its_author_is_not_in(personas, seated):
    p = personas
    response = api_as(p.police).post(
        "/api/v1/proposals/",
        {
            "title": "About the caucus",
            "body": "Text.",
            "visibility": "sectors",
            "visible_sectors": [p.sector("experiential").pk],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "visible_sectors" in response.json()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("who", ["admin", "observer"])
def test_administrators_and_observers_do_not_propose(personas, seated, who):
    response = api_as(persona(personas, seated, who)).post(
        "/api/v1/proposals/",
        {"title": "Mine", "body": "Text.", "visibility": "committee"},
        format="json",
    )

    assert response.status_code == 400
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("who", ["police", "coordinator"])
def test_a_proposal_is_never_public(personas, seated, who):
    """Proposals are for the committee: `public` is not one of their visibilities, even for a
    coordinator."""
    response = api_as(getattr(personas, who)).post(
        "/api/v1/proposals/",
        {"title": "Shared", "body": "Text.", "visibility": "public"},
        format="json",
    )

    assert response.status_code == 400
    assert "visibility" in response.json()
    assert not Proposal.objects.exists()


def test_a_proposal_without_a_title_is_refused_with_the_services_message(personas, seated):
    response = api_as(personas.police).post(
        "/api/v1/proposals/", {"title": " ", "body": "Text.", "visibility": "committee"}
    )

    assert response.status_code == 400
    assert response.json() == {"title": ["Give the proposal a title."]}


# --- filters -----------------------------------------------------------------------------------


def test_the_list_filters_by_status(personas, seated, proposals):
    client = api_as(personas.coordinator)

    assert titles(client.get("/api/v1/proposals/?status=decision")) == {"committee"}
    assert titles(client.get("/api/v1/proposals/?status=draft")) == {"draft"}
    assert titles(client.get("/api/v1/proposals/?status=discussion")) == {"coordinators"}
    assert titles(client.get("/api/v1/proposals/?status=closed")) == set()


def test_an_unknown_status_is_refused_with_the_choices(personas, seated, proposals):
    response = api_as(personas.coordinator).get("/api/v1/proposals/?status=open")

    assert response.status_code == 400
    message = response.json()["status"]
    assert "open" in message
    assert all(status in message for status in ProposalStatus.values)


def test_the_list_filters_by_committee(personas, seated, proposals):
    client = api_as(personas.coordinator)

    assert titles(client.get(f"/api/v1/proposals/?committee={seated.committee.pk}")) == {
        "committee",
        "coordinators",
        "draft",
    }
    assert titles(client.get(f"/api/v1/proposals/?committee={MISSING}")) == set()
    assert client.get("/api/v1/proposals/?committee=ours").status_code == 400


# --- positions ---------------------------------------------------------------------------------


def test_a_seat_agrees_and_everyone_sees_its_position(personas, seated):
    p = personas
    proposal = propose(p.police, to=ProposalStatus.DECISION)

    response = api_as(p.health).post(position_url(proposal), {"stance": "agree"})

    assert response.status_code == 201, response.content
    assert response.json()["stance"] == "agree"
    [listed] = api_as(p.resident).get(position_url(proposal)).json()
    assert listed["seat"] == seated.seats["health"].pk
    assert listed["sector"] == {"id": p.sector("health").pk, "name": p.sector("health").name}
    assert listed["given_by"] == p.health.display_name
    assert listed["organization"] == p.health.organization.name
    assert listed["stance"] == "agree"


def test_a_block_needs_a_reason(personas, seated):
    proposal = propose(personas.police, to=ProposalStatus.DECISION)

    response = api_as(personas.experiential).post(position_url(proposal), {"stance": "block"})

    assert response.status_code == 400
    assert response.json() == {"reason": ["Say why: a block or a reservation needs a reason."]}
    assert not Position.objects.exists()


def test_a_block_with_a_reason_shows_the_proposal_blocked_by_that_sector(personas, seated):
    p = personas
    proposal = propose(p.police, to=ProposalStatus.DECISION)
    for member in (p.police, p.resident, p.business, p.health, p.coordinator):
        assert api_as(member).post(position_url(proposal), {"stance": "agree"}).status_code == 201

    response = api_as(p.experiential).post(
        position_url(proposal), {"stance": "block", "reason": "It puts peers at risk."}
    )

    assert response.status_code == 201
    outcome = api_as(p.coordinator).get(f"/api/v1/proposals/{proposal.pk}/").json()["outcome"]
    assert outcome["result"] == "blocked"
    [block] = outcome["blocks"]
    assert block["sector_name"] == p.sector("experiential").name
    assert block["reason"] == "It puts peers at risk."
    assert block["holder"].startswith(p.experiential.display_name)
    experiential = next(
        tally for tally in outcome["tallies"] if tally["sector_id"] == p.sector("experiential").pk
    )
    assert experiential["block"] == 1


def test_changing_a_position_keeps_the_earlier_one_in_the_history(personas, seated):
    p = personas
    proposal = propose(p.police, to=ProposalStatus.DECISION)
    client = api_as(p.resident)
    client.post(position_url(proposal), {"stance": "agree"})

    response = client.post(
        position_url(proposal), {"stance": "reservations", "reason": "Staffing is thin."}
    )

    assert response.status_code == 201
    [current] = client.get(position_url(proposal)).json()
    assert (current["stance"], current["reason"]) == ("reservations", "Staffing is thin.")
    history = Position.objects.filter(proposal=proposal).order_by("given_at", "pk")
    assert [(row.stance, row.is_current) for row in history] == [
        ("agree", False),
        ("reservations", True),
    ]


def test_an_observer_cannot_give_a_position(personas, seated):
    proposal = propose(personas.police, to=ProposalStatus.DECISION)

    response = api_as(seated.observer).post(position_url(proposal), {"stance": "agree"})

    assert response.status_code == 400
    assert "seat" in response.json()["detail"][0]
    assert not Position.objects.exists()


def test_a_member_without_a_seat_cannot_give_a_position(personas, seated):
    proposal = propose(personas.police, to=ProposalStatus.DECISION)

    response = api_as(personas.experiential_peer).post(position_url(proposal), {"stance": "agree"})

    assert response.status_code == 400
    assert not Position.objects.exists()


def test_the_alternate_answers_for_the_seat_while_the_primary_has_not(personas, seated):
    p = personas
    proposal = propose(p.resident, to=ProposalStatus.DECISION)

    by_alternate = api_as(p.police_colleague).post(position_url(proposal), {"stance": "agree"})

    assert by_alternate.status_code == 201
    assert by_alternate.json()["seat"] == seated.seats["law-enforcement"].pk
    assert by_alternate.json()["given_by"] == p.police_colleague.display_name
    outcome = api_as(p.resident).get(f"/api/v1/proposals/{proposal.pk}/").json()["outcome"]
    police = next(
        tally
        for tally in outcome["tallies"]
        if tally["sector_id"] == p.sector("law-enforcement").pk
    )
    assert (police["agree"], police["not_answered"]) == (1, 0)

    by_primary = api_as(p.police).post(position_url(proposal), {"stance": "stand_aside"})
    assert by_primary.status_code == 201
    again = api_as(p.police_colleague).post(position_url(proposal), {"stance": "agree"})
    assert again.status_code == 400
    assert p.police.display_name in again.json()["detail"][0]
    [current] = Position.objects.filter(proposal=proposal, is_current=True)
    assert (current.given_by, current.stance) == (p.police, "stand_aside")


def test_no_position_is_taken_after_close(personas, seated):
    p = personas
    proposal = propose(p.police, to=ProposalStatus.DECISION)
    services.close_proposal(actor=p.coordinator, proposal=proposal)

    response = api_as(p.health).post(position_url(proposal), {"stance": "agree"})

    assert response.status_code == 400
    assert response.json() == {"detail": ["This proposal is not open for positions."]}
    assert not Position.objects.exists()


def test_no_position_is_taken_before_the_proposal_opens(personas, seated):
    proposal = propose(personas.police, to=ProposalStatus.DISCUSSION)

    response = api_as(personas.health).post(position_url(proposal), {"stance": "agree"})

    assert response.status_code == 400
    assert not Position.objects.exists()


def test_an_anonymous_proposal_hides_who_answered_except_from_the_seat_itself(personas, seated):
    p = personas
    proposal = propose(p.resident, to=ProposalStatus.DECISION, anonymous=True)
    api_as(p.police).post(position_url(proposal), {"stance": "block", "reason": "Not safe."})
    police_seat = seated.seats["law-enforcement"].pk

    [for_others] = api_as(p.experiential).get(position_url(proposal)).json()
    assert for_others["given_by"] is None
    assert for_others["organization"] is None
    assert for_others["seat"] is None
    assert for_others["sector"]["name"] == p.sector("law-enforcement").name
    assert for_others["reason"] == "Not safe."
    others_outcome = api_as(p.experiential).get(f"/api/v1/proposals/{proposal.pk}/").json()
    [block] = others_outcome["outcome"]["blocks"]
    assert (block["seat_id"], block["holder"]) == (None, None)
    assert block["sector_name"] == p.sector("law-enforcement").name

    for member in (p.police, p.police_colleague):  # the seat's primary and its alternate
        [own] = api_as(member).get(position_url(proposal)).json()
        assert own["given_by"] == p.police.display_name
        assert own["organization"] == p.police.organization.name
        assert own["seat"] == police_seat
        detail = api_as(member).get(f"/api/v1/proposals/{proposal.pk}/").json()
        assert detail["outcome"]["blocks"][0]["seat_id"] is None
        assert detail["my_position"]["given_by"] == p.police.display_name


def test_a_named_proposal_shows_who_answered_for_each_seat(personas, seated):
    p = personas
    proposal = propose(p.resident, to=ProposalStatus.DECISION)
    api_as(p.police).post(position_url(proposal), {"stance": "block", "reason": "Not safe."})

    [position] = api_as(p.experiential).get(position_url(proposal)).json()

    assert position["given_by"] == p.police.display_name
    assert position["seat"] == seated.seats["law-enforcement"].pk
    block = api_as(p.experiential).get(f"/api/v1/proposals/{proposal.pk}/").json()["outcome"]
    assert block["blocks"][0]["seat_id"] == seated.seats["law-enforcement"].pk


def test_a_proposal_awaits_a_seat_until_it_answers(personas, seated):
    p = personas
    proposal = propose(p.police, to=ProposalStatus.DECISION)
    propose(p.police, "Still in discussion", to=ProposalStatus.DISCUSSION)
    client = api_as(p.experiential)

    before = {row["title"]: row for row in client.get("/api/v1/proposals/").json()["results"]}
    assert before[proposal.title]["awaits_me"] is True
    assert before[proposal.title]["my_position"] is None
    assert before["Still in discussion"]["awaits_me"] is False

    client.post(position_url(proposal), {"stance": "agree"})

    after = {row["title"]: row for row in client.get("/api/v1/proposals/").json()["results"]}
    assert after[proposal.title]["awaits_me"] is False
    assert after[proposal.title]["my_position"]["stance"] == "agree"
    detail = client.get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert detail["awaits_me"] is False
    assert detail["my_position"]["stance"] == "agree"
    observer = api_as(seated.observer).get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert (observer["awaits_me"], observer["my_position"]) == (False, None)


# --- moving a proposal along -------------------------------------------------------------------


def transition(client: APIClient, proposal: Proposal, **data):
    return client.post(f"/api/v1/proposals/{proposal.pk}/transition/", data, format="json")


def test_the_author_takes_a_proposal_from_draft_to_closed(personas, seated):
    p = personas
    proposal = propose(p.police)
    author = api_as(p.police)

    assert transition(author, proposal, to="discussion").json()["status"] == "discussion"
    closes_at = timezone.now() + timedelta(days=3)
    opened = transition(author, proposal, to="decision", closes_at=closes_at.isoformat())
    assert opened.status_code == 200
    assert opened.json()["status"] == "decision"
    assert opened.json()["closes_at"] is not None
    api_as(p.experiential).post(position_url(proposal), {"stance": "block", "reason": "Risky."})
    closed = transition(api_as(p.coordinator), proposal, to="closed", statement="Back to work.")

    assert closed.status_code == 200
    data = closed.json()
    assert (data["status"], data["result"]) == ("closed", "blocked")
    assert data["outcome"]["result"] == "blocked"
    assert data["outcome_statement"] == "Back to work."
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CLOSED


def test_opening_for_positions_needs_a_closing_time(personas, seated):
    proposal = propose(personas.police, to=ProposalStatus.DISCUSSION)

    response = transition(api_as(personas.police), proposal, to="decision")

    assert response.status_code == 400
    assert "closes_at" in response.json()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISCUSSION


def test_a_member_who_did_not_write_a_proposal_cannot_move_it(personas, seated):
    proposal = propose(personas.police, to=ProposalStatus.DISCUSSION)

    for to in ("decision", "withdrawn"):
        response = transition(
            api_as(personas.resident),
            proposal,
            to=to,
            closes_at=(timezone.now() + timedelta(days=1)).isoformat(),
        )
        assert response.status_code == 400
        assert response.json() == {"detail": ["Only coordinators of this committee can do this."]}
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISCUSSION


def test_a_move_to_an_unknown_status_is_refused(personas, seated):
    proposal = propose(personas.police)

    response = transition(api_as(personas.police), proposal, to="agreed")

    assert response.status_code == 400
    assert "to" in response.json()


def test_a_revised_proposal_reopens_and_its_history_keeps_the_earlier_version(personas, seated):
    p = personas
    proposal = propose(p.resident, "Night hours", to=ProposalStatus.DECISION, anonymous=True)
    api_as(p.police).post(position_url(proposal), {"stance": "block", "reason": "Staffing."})
    services.close_proposal(actor=p.coordinator, proposal=proposal)

    response = api_as(p.resident).post(
        f"/api/v1/proposals/{proposal.pk}/revise/",
        {"title": "Night hours, with staff", "body": "Two staff at night."},
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["version"], data["status"], data["result"]) == (2, "discussion", "")
    assert data["title"] == "Night hours, with staff"
    assert api_as(p.resident).get(position_url(proposal)).json() == []
    [earlier] = api_as(p.experiential).get(f"/api/v1/proposals/{proposal.pk}/history/").json()
    assert (earlier["number"], earlier["title"], earlier["result"]) == (1, "Night hours", "blocked")
    assert earlier["outcome"]["result"] == "blocked"
    assert earlier["outcome"]["blocks"][0]["seat_id"] is None
    [block] = earlier["positions"]
    assert (block["stance"], block["reason"], block["given_by"]) == ("block", "Staffing.", None)
    [own] = api_as(p.police).get(f"/api/v1/proposals/{proposal.pk}/history/").json()[0]["positions"]
    assert own["given_by"] == p.police.display_name


def test_only_the_author_or_a_coordinator_revises(personas, seated):
    p = personas
    proposal = propose(p.resident, "Night hours", to=ProposalStatus.DECISION)
    services.close_proposal(actor=p.coordinator, proposal=proposal)

    response = api_as(p.health).post(
        f"/api/v1/proposals/{proposal.pk}/revise/", {"title": "Mine", "body": "Mine."}
    )

    assert response.status_code == 400
    proposal.refresh_from_db()
    assert (proposal.version, proposal.title) == (1, "Night hours")


# --- discussion --------------------------------------------------------------------------------


def test_members_and_observers_discuss_and_a_deleted_comment_leaves_a_marker(personas, seated):
    p = personas
    proposal = propose(p.police, to=ProposalStatus.DISCUSSION)
    url = f"/api/v1/proposals/{proposal.pk}/comments/"

    posted = api_as(p.experiential).post(url, {"body": "Yes, **but**<script>alert(1)</script>"})
    by_observer = api_as(seated.observer).post(url, {"body": "A question."})
    services.delete_comment(
        actor=p.experiential, comment=Comment.objects.get(pk=posted.json()["id"])
    )

    assert posted.status_code == 201
    assert by_observer.status_code == 201
    first, second = api_as(p.health).get(url).json()
    assert (first["author"], first["deleted"], first["body"]) == (
        p.experiential.display_name,
        True,
        "",
    )
    assert posted.json()["deleted"] is False
    assert "<strong>but</strong>" in posted.json()["body_html"]
    assert "<script" not in posted.json()["body_html"]
    assert (second["author"], second["body"], second["deleted"]) == (
        seated.observer.display_name,
        "A question.",
        False,
    )


def test_an_edited_comment_shows_its_earlier_texts_and_a_deleted_one_shows_none(personas, seated):
    p = personas
    proposal = propose(p.police, to=ProposalStatus.DISCUSSION)
    url = f"/api/v1/proposals/{proposal.pk}/comments/"
    edited = services.add_comment(author=p.health, proposal=proposal, body="First *try*.")
    services.edit_comment(actor=p.health, comment=edited, body="Second try.")
    deleted = services.add_comment(author=p.resident, proposal=proposal, body="Take it back.")
    services.delete_comment(actor=p.resident, comment=deleted)

    first, second = api_as(p.business).get(url).json()

    assert first["body"] == "Second try." and first["edited_at"] is not None
    assert [text["body"] for text in first["earlier_texts"]] == ["First *try*."]
    assert "<em>try</em>" in first["earlier_texts"][0]["body_html"]
    assert (second["deleted"], second["body"], second["earlier_texts"]) == (True, "", [])
    assert "Take it back." not in api_as(p.business).get(url).content.decode()


def test_an_empty_comment_is_refused(personas, seated):
    proposal = propose(personas.police, to=ProposalStatus.DISCUSSION)

    response = api_as(personas.health).post(
        f"/api/v1/proposals/{proposal.pk}/comments/", {"body": "  "}
    )

    assert response.status_code == 400
    assert response.json() == {"body": ["Write your comment first."]}
    assert not Comment.objects.exists()


# --- query counts ------------------------------------------------------------------------------


def _list_queries(client: APIClient, expected_rows: int) -> int:
    client.get("/api/v1/proposals/")  # warm per-process caches (permission ids) before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/proposals/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == expected_rows
    return len(queries)


def test_the_proposal_list_costs_the_same_queries_for_one_proposal_and_for_ten(personas, seated):
    p = personas
    first = propose(p.police, "Proposal 0", to=ProposalStatus.DECISION)
    services.cast_position(person=p.experiential, proposal=first, stance="agree")
    one = _list_queries(api_as(p.experiential), 1)

    kinds = [
        {"visibility": Visibility.COMMITTEE, "to": ProposalStatus.DECISION},
        {
            "visibility": Visibility.SECTORS,
            "sectors": [p.sector("experiential")],
            "to": ProposalStatus.DECISION,
        },
        {"visibility": Visibility.ORGANIZATION, "to": ProposalStatus.DISCUSSION},
    ]
    for number in range(1, 10):
        proposal = propose(p.experiential, f"Proposal {number}", **kinds[number % len(kinds)])
        if proposal.status == ProposalStatus.DECISION and number % 2:
            services.cast_position(
                person=p.experiential, proposal=proposal, stance="block", reason="No."
            )
    ten = _list_queries(api_as(p.experiential), 10)

    assert ten == one


# --- schema ------------------------------------------------------------------------------------


def test_the_schema_documents_the_committee_endpoints(db):
    response = APIClient().get("/api/schema/")

    assert response.status_code == 200
    paths = yaml.safe_load(response.content)["paths"]
    for path in [
        "/api/v1/committees/",
        "/api/v1/committees/{id}/",
        "/api/v1/proposals/",
        "/api/v1/proposals/{id}/",
        "/api/v1/proposals/{id}/positions/",
        "/api/v1/proposals/{id}/comments/",
        "/api/v1/proposals/{id}/transition/",
        "/api/v1/proposals/{id}/revise/",
        "/api/v1/proposals/{id}/history/",
    ]:
        assert path in paths, path
    parameters = {param["name"] for param in paths["/api/v1/proposals/"]["get"]["parameters"]}
    assert {"status", "committee"} <= parameters


def test_the_schema_with_the_committee_builds_without_warnings(db, tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    assert "/api/v1/proposals/{id}/positions/" in (tmp_path / "schema.yaml").read_text()


def test_a_person_of_another_community_with_its_own_committee_sees_only_theirs(
    personas, seated, proposals
):
    lakeside = make_community("Lakeside", "lakeside")
    member = make_person(lakeside, "lake", sector_keys=("health",))
    theirs = propose(member, "Lakeside's own", to=ProposalStatus.DISCUSSION)

    client = api_as(member)

    assert titles(client.get("/api/v1/proposals/")) == {"Lakeside's own"}
    [committee] = client.get("/api/v1/committees/").json()["results"]
    assert committee["id"] == theirs.committee_id != seated.committee.pk
