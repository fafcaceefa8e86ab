"""Who sees which proposal, its positions and its comments, through every way in: the home
page, the proposals page, the proposal page and its position form, the API list, the API detail
and the API's positions and comments. A proposal you may not see does not exist for you: it is
absent from every list, its title and its discussion appear nowhere, and every address under it
is a 404 exactly like a missing one's."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from committee import services
from committee.models import Proposal
from stakeholders.models import Visibility

PERSONAS = [
    "experiential",
    "experiential_peer",
    "police",
    "police_colleague",  # the police seat's alternate
    "resident",
    "business",
    "health",
    "coordinator",
    "observer",
    "admin",
    "outsider",
]
COMMITTEE = {
    "experiential",
    "experiential_peer",
    "police",
    "police_colleague",
    "resident",
    "business",
    "health",
    "coordinator",
    "observer",
}

# proposal label -> who may see it
EXPECTED = {
    "committee": COMMITTEE,
    "caucus": {"experiential", "experiential_peer"},
    "police-only": {"police", "police_colleague"},
    "to-coordinators": {"coordinator", "resident"},  # the resident wrote it
    "draft": {"police", "coordinator"},  # a draft: its author and the coordinators
}
MISSING = 999_999


def person(personas, seated, who):
    return seated.observer if who == "observer" else getattr(personas, who)


@pytest.fixture
def proposals(personas, seated):
    """One proposal per visibility, each with a comment; those open for positions have one."""
    p = personas
    specs = {
        "committee": (p.coordinator, Visibility.COMMITTEE, [], "decision"),
        "caucus": (p.experiential, Visibility.SECTORS, [p.sector("experiential")], "decision"),
        "police-only": (p.police, Visibility.ORGANIZATION, [], "decision"),
        "to-coordinators": (p.resident, Visibility.COORDINATORS, [], "discussion"),
        "draft": (p.police, Visibility.COMMITTEE, [], "draft"),
    }
    made = {}
    for label, (author, visibility, sectors, status) in specs.items():
        proposal = services.create_proposal(
            author=author,
            title=f"proposal:{label}",
            body=f"body:{label}",
            visibility=visibility,
            sectors=sectors,
        )
        if status == "discussion":
            services.start_discussion(actor=author, proposal=proposal)
        if status == "decision":
            services.open_for_positions(
                actor=author, proposal=proposal, closes_at=timezone.now() + timedelta(days=2)
            )
            services.cast_position(
                person=author, proposal=proposal, stance="block", reason=f"reason:{label}"
            )
        services.add_comment(author=author, proposal=proposal, body=f"comment:{label}")
        made[label] = proposal
    return made


def labels_in(text: str) -> set[str]:
    return set(re.findall(r"(?:proposal|body|comment|reason):([a-z-]+)", text))


def visible_labels(who: str) -> set[str]:
    return {label for label, readers in EXPECTED.items() if who in readers}


def page_client(someone) -> Client:
    client = Client()
    client.force_login(someone.user)
    return client


def api_client(someone) -> APIClient:
    client = APIClient()
    client.force_authenticate(someone.user)
    return client


def without_tokens(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


@pytest.mark.parametrize("who", PERSONAS)
def test_pages_list_exactly_the_proposals_the_persona_may_see(personas, seated, proposals, who):
    client = page_client(person(personas, seated, who))
    slug = personas.community.slug
    for_everyone_else = set(EXPECTED) - visible_labels(who)
    for url in (f"/c/{slug}/", f"/c/{slug}/proposals/"):
        response = client.get(url)
        if who == "outsider":  # another community's pages do not exist for them
            assert response.status_code == 404
            continue
        assert response.status_code == 200, url
        assert not labels_in(response.content.decode()) & for_everyone_else, url
    if who != "outsider":
        listed = labels_in(client.get(f"/c/{slug}/proposals/").content.decode())
        assert listed == visible_labels(who)


@pytest.mark.parametrize("who", PERSONAS)
def test_proposal_pages_open_only_for_those_who_may_see_them(personas, seated, proposals, who):
    client = page_client(person(personas, seated, who))
    slug = personas.community.slug
    missing = without_tokens(client.get(f"/c/{slug}/proposals/{MISSING}/").content)
    for label, proposal in proposals.items():
        for suffix in ("", "position/", "versions/1/", "edit/", "revise/"):
            url = f"/c/{slug}/proposals/{proposal.pk}/{suffix}"
            response = client.get(url)
            if who in EXPECTED[label]:
                if suffix == "":
                    assert response.status_code == 200, url
                    assert f"comment:{label}" in response.content.decode()
                continue
            assert response.status_code == 404, url
            assert labels_in(response.content.decode()) == set(), url
        if who not in EXPECTED[label]:
            hidden = client.get(f"/c/{slug}/proposals/{proposal.pk}/")
            assert without_tokens(hidden.content) == missing


@pytest.mark.parametrize("who", PERSONAS)
def test_writing_under_a_hidden_proposal_is_a_404_and_changes_nothing(
    personas, seated, proposals, who
):
    client = page_client(person(personas, seated, who))
    slug = personas.community.slug
    for label, proposal in proposals.items():
        if who in EXPECTED[label]:
            continue
        base = f"/c/{slug}/proposals/{proposal.pk}"
        posts = {
            "position/": {"stance": "agree"},
            "comments/": {"body": "sneaky"},
            "move/": {"to": "withdrawn"},
        }
        for suffix, data in posts.items():
            assert client.post(f"{base}/{suffix}", data).status_code == 404, (label, suffix)
        proposal.refresh_from_db()
        assert proposal.status != "withdrawn"
        assert not proposal.comments.filter(body="sneaky").exists()


@pytest.mark.parametrize("who", PERSONAS)
def test_api_lists_exactly_the_proposals_the_persona_may_see(personas, seated, proposals, who):
    response = api_client(person(personas, seated, who)).get("/api/v1/proposals/")
    assert response.status_code == 200
    seen = {row["title"].removeprefix("proposal:") for row in response.json()["results"]}
    assert seen == visible_labels(who)
    assert response.json()["count"] == len(seen)


@pytest.mark.parametrize("who", PERSONAS)
def test_api_addresses_under_a_proposal_open_only_for_those_who_may_see_it(
    personas, seated, proposals, who
):
    client = api_client(person(personas, seated, who))
    for suffix in ("", "positions/", "comments/", "history/"):
        missing = client.get(f"/api/v1/proposals/{MISSING}/{suffix}")
        assert missing.status_code == 404
        for label, proposal in proposals.items():
            response = client.get(f"/api/v1/proposals/{proposal.pk}/{suffix}")
            if who in EXPECTED[label]:
                assert response.status_code == 200, (label, suffix)
            else:
                assert response.status_code == 404, (label, suffix)
                assert response.content == missing.content, (label, suffix)
    for label, proposal in proposals.items():
        comments = client.get(f"/api/v1/proposals/{proposal.pk}/comments/")
        if who in EXPECTED[label]:
            assert f"comment:{label}" in comments.content.decode()


@pytest.mark.parametrize("who", PERSONAS)
def test_api_writes_under_a_hidden_proposal_are_404(personas, seated, proposals, who):
    client = api_client(person(personas, seated, who))
    for label, proposal in proposals.items():
        if who in EXPECTED[label]:
            continue
        base = f"/api/v1/proposals/{proposal.pk}"
        assert client.post(f"{base}/positions/", {"stance": "agree"}).status_code == 404
        assert client.post(f"{base}/comments/", {"body": "sneaky"}).status_code == 404
        assert client.post(f"{base}/transition/", {"to": "withdrawn"}).status_code == 404
    assert not Proposal.objects.filter(status="withdrawn").exists()


def test_anonymous_visitors_see_no_proposals_anywhere(personas, seated, proposals):
    anonymous = Client()
    slug = personas.community.slug
    for proposal in proposals.values():
        page = anonymous.get(f"/c/{slug}/proposals/{proposal.pk}/")
        assert page.status_code == 302 and "/accounts/login/" in page["Location"]
        assert anonymous.get(f"/api/v1/proposals/{proposal.pk}/").status_code in {401, 403}
    assert anonymous.get("/api/v1/proposals/").status_code in {401, 403}


def test_removing_a_grant_hides_the_proposal_and_its_discussion_at_once(
    personas, seated, proposals
):
    caucus = proposals["caucus"]
    peer = api_client(personas.experiential_peer)
    url = f"/api/v1/proposals/{caucus.pk}/comments/"
    assert peer.get(url).status_code == 200

    Proposal.grant_model.objects.filter(content_object=caucus).delete()

    assert peer.get(url).status_code == 404
    assert api_client(personas.experiential).get(url).status_code == 200  # the author


def test_notifications_would_address_exactly_who_may_see_each_proposal(personas, seated, proposals):
    """Drafts are never announced; for every other proposal, the people a notification goes to
    are exactly its readers."""
    from stakeholders.selectors import people_who_can_see

    everyone = {who: person(personas, seated, who) for who in PERSONAS}
    for label, proposal in proposals.items():
        if label != "draft":
            addressed = set(people_who_can_see(proposal))
            assert addressed == {everyone[who] for who in EXPECTED[label]}, label
