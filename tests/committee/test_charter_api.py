"""The charter and the trust agreement through the REST API: the charter of one's own
community only, with every version; the agreement with one's acceptance; taking part refused
with 403 and a clear message until the current agreement is accepted."""

from rest_framework.test import APIClient

from committee import services
from tests.committee.test_charter_and_agreement import (
    agreement_proposal,
    charter_change,
    decide,
    open_proposal,
)


def api_as(person) -> APIClient:
    client = APIClient()
    if person is not None:
        client.force_login(person.user)
    return client


def test_the_charter_of_ones_own_community_with_its_versions(personas, seated):
    p = personas
    proposal = decide(p, charter_change(p.coordinator))
    response = api_as(p.resident).get(f"/api/v1/communities/{p.community.pk}/charter/")
    assert response.status_code == 200
    data = response.json()
    assert data["current"]["number"] == 2 and data["current"]["proposal"] == proposal.pk
    assert [version["number"] for version in data["versions"]] == [2, 1]
    assert data["versions"][1]["is_model"] is True
    objective = data["current"]["objectives"][1]
    assert objective["key"] == "exploitation"
    assert objective["text"]["en"] == "Reduce and end sexual exploitation"
    # the administrator reads it, without the proposal it does not see
    admin = api_as(p.admin).get(f"/api/v1/communities/{p.community.pk}/charter/").json()
    assert admin["current"]["number"] == 2 and admin["current"]["proposal"] is None


def test_another_communitys_charter_does_not_exist(personas):
    p = personas
    other = api_as(p.resident).get(f"/api/v1/communities/{p.other_community.pk}/charter/")
    missing = api_as(p.resident).get("/api/v1/communities/999999/charter/")
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
    assert api_as(None).get(f"/api/v1/communities/{p.community.pk}/charter/").status_code in (
        401,
        403,
    )


def test_the_agreement_must_be_accepted_before_a_position_then_can_be(personas, seated):
    p = personas
    assert api_as(p.police).get("/api/v1/agreements/").json() == {
        "current": None,
        "accepted_at": None,
        "must_accept": False,
        "versions": [],
    }
    decide(p, agreement_proposal(p.coordinator, "No recording."), accept=False)
    proposal = open_proposal(p)
    client = api_as(p.police)
    state = client.get("/api/v1/agreements/").json()
    assert state["must_accept"] is True and state["current"]["text"]["en"] == "No recording."

    refused = client.post(f"/api/v1/proposals/{proposal.pk}/positions/", {"stance": "agree"})
    assert refused.status_code == 403
    assert "trust agreement" in refused.json()["detail"]
    comment = client.post(f"/api/v1/proposals/{proposal.pk}/comments/", {"body": "Hi"})
    assert comment.status_code == 403

    stale = client.post("/api/v1/agreements/accept/", {"version": 2})
    assert stale.status_code == 400
    accepted = client.post("/api/v1/agreements/accept/", {"version": 1})
    assert accepted.status_code == 200 and accepted.json()["must_accept"] is False

    given = client.post(f"/api/v1/proposals/{proposal.pk}/positions/", {"stance": "agree"})
    assert given.status_code == 201


def test_administrators_have_no_agreement(personas):
    assert api_as(personas.admin).get("/api/v1/agreements/").status_code == 404
    assert api_as(personas.admin).post(
        "/api/v1/agreements/accept/", {"version": 1}
    ).status_code == (404)


def test_a_proposal_says_what_it_would_change(personas, seated):
    p = personas
    proposal = charter_change(p.coordinator)
    data = api_as(p.coordinator).get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert data["amendment"]["text"] == "charter"
    assert data["amendment"]["base"] == 1 and data["amendment"]["version"] is None
    assert data["amendment"]["content"]["objectives"][1]["key"] == "exploitation"
    # a draft: the others do not see it at all
    assert api_as(p.police).get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    plain = services.create_proposal(
        author=p.coordinator, title="Plain", body="Nothing to amend.", visibility="committee"
    )
    assert api_as(p.coordinator).get(f"/api/v1/proposals/{plain.pk}/").json()["amendment"] is None
