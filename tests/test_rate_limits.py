"""Rate limits (lic/ratelimit.py): a person giving positions again and again, and one address
following invitation links again and again, are turned away with 429 and a message saying how
long to wait; nothing changes then; the limit is per person (per address), and it ends with
its window. The cache behind it is Redis when REDIS_URL is set (as in CI)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from committee.models import Position
from lic import ratelimit
from lic.settings import env_rate
from stakeholders import services
from tests.conftest import make_proposal
from tests.stakeholders.test_visibility_matrix import api_client, page_client

SLUG = "riverside"


@pytest.fixture
def two_positions_a_minute(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "positions": (2, 60)}


@pytest.fixture
def frozen_clock(monkeypatch):
    """The rate limit's clock, at the start of a window; `clock.now += 60` moves it on."""

    class Clock:
        now = 1_800_000_000.0  # a multiple of 60: the start of a one-minute window

    monkeypatch.setattr(ratelimit.time, "time", lambda: Clock.now)
    return Clock


def position_page(proposal) -> str:
    return f"/c/{SLUG}/proposals/{proposal.pk}/position/"


def current_stance(proposal, person) -> str:
    return Position.objects.get(proposal=proposal, given_by=person, is_current=True).stance


# --- positions ----------------------------------------------------------------------------------


def test_a_position_past_the_limit_on_the_page_is_refused_and_changes_nothing(
    personas, seated, two_positions_a_minute, frozen_clock
):
    proposal = make_proposal(personas.coordinator, status="decision")
    client = page_client(personas.resident)
    for stance in ("agree", "stand_aside"):
        assert client.post(position_page(proposal), {"stance": stance}).status_code == 302

    response = client.post(position_page(proposal), {"stance": "agree"})

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "too many tries in a short time. Nothing was changed" in response.content.decode()
    assert "try again in 1 minute" in response.content.decode()
    assert current_stance(proposal, personas.resident) == "stand_aside"
    assert Position.objects.filter(proposal=proposal, given_by=personas.resident).count() == 2


def test_the_message_is_in_the_persons_language(
    personas, seated, two_positions_a_minute, frozen_clock
):
    personas.resident.preferred_language = "fr"
    personas.resident.save(update_fields=["preferred_language"])
    proposal = make_proposal(personas.coordinator, status="decision")
    client = page_client(personas.resident)
    for _try in range(2):
        client.post(position_page(proposal), {"stance": "agree"})

    response = client.post(position_page(proposal), {"stance": "agree"})

    assert response.status_code == 429
    assert 'lang="fr"' in response.content.decode()


def test_with_htmx_the_refusal_reloads_the_page_with_the_message(
    personas, seated, two_positions_a_minute, frozen_clock
):
    proposal = make_proposal(personas.coordinator, status="decision")
    client = page_client(personas.resident)
    detail = f"/c/{SLUG}/proposals/{proposal.pk}/"
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": f"http://testserver{detail}"}
    for _try in range(2):
        client.post(position_page(proposal), {"stance": "agree"}, **htmx)

    response = client.post(position_page(proposal), {"stance": "stand_aside"}, **htmx)

    assert response.status_code == 429
    assert response["HX-Redirect"] == detail
    assert "Nothing was changed" in client.get(detail).content.decode()
    assert current_stance(proposal, personas.resident) == "agree"


def test_a_position_past_the_limit_in_the_api_is_a_429_with_retry_after(
    personas, seated, two_positions_a_minute, frozen_clock
):
    proposal = make_proposal(personas.coordinator, status="decision")
    client = api_client(personas.resident)
    address = f"/api/v1/proposals/{proposal.pk}/positions/"
    for stance in ("agree", "stand_aside"):
        assert client.post(address, {"stance": stance}).status_code == 201

    response = client.post(address, {"stance": "block", "reason": "Not now"})

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Nothing was changed" in response.json()["detail"]
    assert current_stance(proposal, personas.resident) == "stand_aside"


def test_the_limit_is_per_person_and_ends_with_its_window(
    personas, seated, two_positions_a_minute, frozen_clock
):
    proposal = make_proposal(personas.coordinator, status="decision")
    resident = page_client(personas.resident)
    for _try in range(2):
        resident.post(position_page(proposal), {"stance": "agree"})
    assert resident.post(position_page(proposal), {"stance": "agree"}).status_code == 429

    business = page_client(personas.business)
    assert business.post(position_page(proposal), {"stance": "agree"}).status_code == 302

    frozen_clock.now += 30
    refused = resident.post(position_page(proposal), {"stance": "stand_aside"})
    assert (refused.status_code, refused["Retry-After"]) == (429, "30")

    frozen_clock.now += 30  # the next window
    assert resident.post(position_page(proposal), {"stance": "stand_aside"}).status_code == 302
    assert current_stance(proposal, personas.resident) == "stand_aside"


def test_reading_the_position_panel_is_not_limited(
    personas, seated, two_positions_a_minute, frozen_clock
):
    proposal = make_proposal(personas.coordinator, status="decision")
    client = page_client(personas.resident)

    assert {client.get(position_page(proposal)).status_code for _try in range(4)} == {200}


# --- invitations --------------------------------------------------------------------------------


@pytest.fixture
def three_invitation_requests_an_hour(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invitations": (3, 3600)}


def invitation_link(personas) -> str:
    invitation = services.invite_person(
        actor=personas.coordinator, email="lee@example.org", sectors=[personas.sector("youth")]
    )
    return f"/invitations/{services.invitation_token(invitation)}/"


ACCEPT = {
    "display_name": "Lee",
    "username": "lee",
    "password1": "a-Long-new-pass-2026",
    "password2": "a-Long-new-pass-2026",
    "preferred_language": "en",
}


def test_one_address_following_invitation_links_too_often_is_turned_away(
    personas, three_invitation_requests_an_hour, frozen_clock
):
    link = invitation_link(personas)
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert client.get("/invitations/not-a-real-link/").status_code == 404
    assert client.get(link).status_code == 200
    assert client.post(link, {**ACCEPT, "password2": "a typo"}).status_code == 200

    response = client.post(link, ACCEPT)

    assert response.status_code == 429
    assert int(response["Retry-After"]) == 3600
    assert "Nothing was changed" in response.content.decode()
    assert not get_user_model().objects.filter(username="lee").exists()

    # Someone else, elsewhere, is not held up; and the address can try again an hour later.
    assert Client(REMOTE_ADDR="198.51.100.2").get(link).status_code == 200
    frozen_clock.now += 3600
    assert client.post(link, ACCEPT).status_code == 302
    assert get_user_model().objects.filter(username="lee").exists()


# --- configuration ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, rate",
    [("30/10m", (30, 600)), ("5/h", (5, 3600)), ("100/1d", (100, 86400)), ("3/45s", (3, 45))],
)
def test_a_rate_is_a_count_per_duration(monkeypatch, raw, rate):
    monkeypatch.setenv("SOME_RATE_LIMIT", raw)
    assert env_rate("SOME_RATE_LIMIT", "1/m") == rate


@pytest.mark.parametrize("raw", ["30", "0/m", "30/0m", "thirty/m", "30/10w", "-1/m"])
def test_a_bad_rate_stops_the_start_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("SOME_RATE_LIMIT", raw)
    with pytest.raises(ImproperlyConfigured, match="SOME_RATE_LIMIT"):
        env_rate("SOME_RATE_LIMIT", "1/m")
