"""Repeated failed sign-ins pause the account and the address, on the sign-in page and on the
API token endpoint alike, with a clear message that never tells whether a username exists; a
coordinator can lift the pause."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD

WRONG = "not-the-password"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


def sign_in(client: Client, username: str, password: str, address: str = "203.0.113.5"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_three_failures_pause_the_account_even_for_the_right_password(personas):
    client = Client()
    username = personas.police.user.username
    for _ in range(3):
        assert sign_in(client, username, WRONG).status_code in {200, 429}

    response = sign_in(client, username, PASSWORD)

    assert response.status_code == 429
    assert "signing in is paused for 30 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_pause_holds_for_the_account_from_another_address_too(personas):
    username = personas.police.user.username
    for _ in range(3):
        sign_in(Client(), username, WRONG, address="203.0.113.5")
    assert sign_in(Client(), username, PASSWORD, address="198.51.100.7").status_code == 429


def test_failures_from_one_address_pause_that_address_for_every_account(personas):
    for username in ("someone", "someone-else", "a-third"):
        sign_in(Client(), username, WRONG, address="203.0.113.9")
    response = sign_in(Client(), personas.resident.user.username, PASSWORD, "203.0.113.9")
    assert response.status_code == 429


def test_an_unknown_username_is_paused_exactly_like_a_real_one(personas):
    pages = {}
    for username, address in (
        (personas.health.user.username, "192.0.2.1"),
        ("nobody-by-this-name", "192.0.2.2"),
    ):
        for _ in range(3):
            sign_in(Client(), username, WRONG, address)
        pages[username] = sign_in(Client(), username, WRONG, address)
    real, unknown = pages.values()
    assert real.status_code == unknown.status_code == 429
    assert real.content == unknown.content


def test_a_success_before_the_limit_starts_the_count_again(personas):
    username = personas.business.user.username
    client = Client()
    sign_in(client, username, WRONG)
    sign_in(client, username, WRONG)
    assert sign_in(client, username, PASSWORD).status_code == 302
    client.logout()
    sign_in(client, username, WRONG)
    sign_in(client, username, WRONG)
    assert sign_in(client, username, PASSWORD).status_code == 302


def test_the_api_token_endpoint_is_paused_the_same_way(personas):
    client = Client()
    username = personas.police.user.username
    for _ in range(3):
        client.post("/api/v1/auth/token/", {"username": username, "password": WRONG})

    response = client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD})

    assert response.status_code == 429
    assert "signing in is paused" in response.json()["detail"]
    assert "token" not in response.json()


def test_a_coordinator_lifts_the_pause_from_the_persons_page(personas):
    username = personas.police.user.username
    for _ in range(3):
        sign_in(Client(), username, WRONG)
    page = f"/c/riverside/people/{personas.police.pk}/"

    coordinator = Client()
    coordinator.force_login(personas.coordinator.user)
    assert "Signing in is paused" in coordinator.get(page).content.decode()
    member = Client()
    member.force_login(personas.police_colleague.user)
    assert "Signing in is paused" not in member.get(page).content.decode()
    assert member.post(f"{page}unpause/").status_code == 404
    assert sign_in(Client(), username, PASSWORD).status_code == 429

    response = coordinator.post(f"{page}unpause/", follow=True)

    assert f"{personas.police.display_name} can sign in again." in response.content.decode()
    assert sign_in(Client(), username, PASSWORD).status_code == 302
