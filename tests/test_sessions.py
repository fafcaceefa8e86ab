"""A person sees where they are signed in (started, last seen, browser, address, this device)
and ends any of those sessions, every other one, or all of them with their API token; nobody
sees or ends anyone else's. Changing the password signs them out everywhere else."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from stakeholders.models import AccountSession, AuditEntry, describe_user_agent
from tests.conftest import PASSWORD

SESSIONS = "/c/riverside/me/sessions/"
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def browser(person, *, agent: str = FIREFOX_ANDROID, address: str = "203.0.113.5") -> Client:
    """A browser in which `person` has signed in with their password."""
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post(
        "/accounts/login/", {"username": person.user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def without_csrf_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.text)


def signed_in(client: Client) -> bool:
    return client.get("/c/riverside/").status_code == 200


def session_of(client: Client) -> AccountSession:
    return AccountSession.objects.get(session_key=client.session.session_key)


def test_signing_in_records_the_session_and_the_list_shows_it(personas):
    phone = browser(personas.experiential, agent=FIREFOX_ANDROID, address="203.0.113.5")
    browser(personas.experiential, agent=SAFARI_IPHONE, address="198.51.100.7")

    html = phone.get(SESSIONS).content.decode()

    assert html.count('<li class="account-session') == 2
    assert "Firefox on Android" in html and "Safari on iPhone" in html
    assert "203.0.113.5" in html and "198.51.100.7" in html
    assert html.count("This device") == 1
    this_device = html.split("This device")[0].rsplit('<li class="account-session', 1)[1]
    assert "Firefox on Android" in this_device
    assert phone.session.session_key not in html  # keys never leave the server


def test_the_list_shows_the_session_asking_from_its_first_page(personas, client):
    client.force_login(personas.police.user)
    html = client.get(SESSIONS).content.decode()
    assert html.count('<li class="account-session') == 1
    assert "This device" in html


def test_the_profile_links_to_the_sessions_and_the_password_pages(personas):
    html = browser(personas.police).get("/c/riverside/me/").content.decode()
    assert f'href="{SESSIONS}"' in html
    assert 'href="/c/riverside/me/password/"' in html


def test_each_person_sees_only_their_own_sessions(personas):
    browser(personas.police, address="192.0.2.10")
    browser(personas.police, address="192.0.2.11")
    resident = browser(personas.resident, address="192.0.2.20")

    html = resident.get(SESSIONS).content.decode()

    assert html.count('<li class="account-session') == 1
    assert "192.0.2.20" in html
    assert "192.0.2.10" not in html and "192.0.2.11" not in html


def test_the_page_is_only_for_the_signed_in_person_of_that_community(personas):
    assert Client().get(SESSIONS)["Location"].startswith("/accounts/login/")
    outsider = browser(personas.outsider)
    assert outsider.get(SESSIONS).status_code == 404
    assert outsider.get("/c/harbourview/me/sessions/").status_code == 200


def test_sessions_that_expired_on_their_own_are_not_listed(personas):
    client = browser(personas.police)
    old = browser(personas.police, address="192.0.2.99")
    AccountSession.objects.filter(session_key=old.session.session_key).update(
        last_seen_at=timezone.now() - timedelta(hours=13)
    )
    assert "192.0.2.99" not in client.get(SESSIONS).content.decode()


def test_expired_sessions_are_forgotten_when_a_new_one_starts(personas):
    old = browser(personas.police, address="192.0.2.99")
    AccountSession.objects.filter(session_key=old.session.session_key).update(
        last_seen_at=timezone.now() - timedelta(hours=13)
    )
    browser(personas.resident)
    assert not AccountSession.objects.filter(ip_address="192.0.2.99").exists()


def test_last_seen_is_written_at_most_once_a_minute(personas):
    client = browser(personas.police)
    long_ago = timezone.now() - timedelta(minutes=10)
    AccountSession.objects.filter(pk=session_of(client).pk).update(last_seen_at=long_ago)

    client.get("/c/riverside/")
    assert session_of(client).last_seen_at == long_ago

    cache.clear()  # as if a minute had passed
    client.get("/c/riverside/")
    assert session_of(client).last_seen_at > long_ago


def test_signing_out_forgets_the_session(personas):
    client = browser(personas.police)
    key = client.session.session_key
    client.post("/accounts/logout/")
    assert not AccountSession.objects.filter(session_key=key).exists()


def test_sign_out_this_session_ends_another_browser(personas):
    laptop = browser(personas.police, address="192.0.2.10")
    phone = browser(personas.police, address="192.0.2.11")
    phone_session = session_of(phone)

    response = laptop.post(f"{SESSIONS}{phone_session.pk}/end/", follow=True)

    assert "That session is signed out." in response.content.decode()
    assert not signed_in(phone)
    assert not Session.objects.filter(session_key=phone_session.session_key).exists()
    assert not AccountSession.objects.filter(pk=phone_session.pk).exists()
    assert signed_in(laptop)
    assert AuditEntry.objects.filter(action="sessions.end", actor=personas.police.user).exists()


def test_sign_out_this_session_on_this_device_signs_out(personas):
    client = browser(personas.police)
    response = client.post(f"{SESSIONS}{session_of(client).pk}/end/")
    assert response["Location"] == "/accounts/login/"
    assert not signed_in(client)


def test_another_persons_session_is_not_found(personas):
    police = browser(personas.police)
    resident = browser(personas.resident)
    police_session = session_of(police)

    hidden = resident.post(f"{SESSIONS}{police_session.pk}/end/")
    missing = resident.post(f"{SESSIONS}999999/end/")

    assert hidden.status_code == missing.status_code == 404
    assert without_csrf_token(hidden) == without_csrf_token(missing)
    assert signed_in(police)
    assert AccountSession.objects.filter(pk=police_session.pk).exists()


def test_sign_out_everywhere_else_keeps_only_this_browser(personas):
    here = browser(personas.police, address="192.0.2.10")
    others = [browser(personas.police, address=f"192.0.2.{n}") for n in (11, 12)]
    colleague = browser(personas.police_colleague)
    Token.objects.create(user=personas.police.user)

    response = here.post(f"{SESSIONS}end-others/", follow=True)

    assert "2 other sessions are signed out" in response.content.decode()
    assert signed_in(here)
    assert not any(signed_in(client) for client in others)
    assert signed_in(colleague)
    assert list(AccountSession.objects.filter(user=personas.police.user)) == [session_of(here)]
    assert not Token.objects.filter(user=personas.police.user).exists()


def test_sign_out_everywhere_ends_every_session_and_the_api_token(personas):
    here = browser(personas.police)
    elsewhere = browser(personas.police, address="192.0.2.11")
    token = Token.objects.create(user=personas.police.user)
    Token.objects.create(user=personas.police_colleague.user)

    response = here.post(f"{SESSIONS}end-all/")

    assert response["Location"] == "/accounts/login/"
    assert not signed_in(here)
    assert not signed_in(elsewhere)
    assert not AccountSession.objects.filter(user=personas.police.user).exists()
    assert not Token.objects.filter(key=token.key).exists()
    assert Token.objects.filter(user=personas.police_colleague.user).exists()
    api = Client().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.status_code in {401, 403}


def test_the_buttons_only_take_a_post(personas):
    client = browser(personas.police)
    for path in ("end-others/", "end-all/", f"{session_of(client).pk}/end/"):
        assert client.get(f"{SESSIONS}{path}").status_code == 405
    assert signed_in(client)


def test_changing_the_password_signs_out_everywhere_else(personas):
    here = browser(personas.police)
    elsewhere = browser(personas.police, address="192.0.2.11")
    Token.objects.create(user=personas.police.user)
    started = session_of(here).created_at
    new_password = "a-New-and-long-pass-2027"

    response = here.post(
        "/c/riverside/me/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
        follow=True,
    )

    assert "You are signed out everywhere else." in response.content.decode()
    assert signed_in(here)
    assert session_of(here).created_at == started
    assert not signed_in(elsewhere)
    assert not Token.objects.filter(user=personas.police.user).exists()
    assert AuditEntry.objects.filter(action="person.password").exists()
    sign_in_again = Client().post(
        "/accounts/login/", {"username": personas.police.user.username, "password": new_password}
    )
    assert sign_in_again.status_code == 302


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failed_sign_in(
    personas, settings
):
    settings.AXES_FAILURE_LIMIT = 2
    here = browser(personas.police)
    elsewhere = browser(personas.police, address="192.0.2.11")
    form = {"old_password": "not-it", "new_password1": "x-Y-z-2027-long", "new_password2": "x"}

    first = here.post("/c/riverside/me/password/", {**form, "new_password2": "x-Y-z-2027-long"})
    assert first.status_code == 200
    assert signed_in(here) and signed_in(elsewhere)
    here.post("/c/riverside/me/password/", form)

    assert not signed_in(here)
    assert (
        Client()
        .post("/accounts/login/", {"username": personas.police.user.username, "password": PASSWORD})
        .status_code
        == 429
    )


def test_a_session_keeps_its_row_when_its_key_is_renewed_after_the_two_step_code(personas):
    from tests.test_two_factor import current_code, turn_on

    device, _codes = turn_on(personas.experiential)
    client = browser(personas.experiential)
    row = session_of(client)

    client.post("/accounts/two-factor/", {"code": current_code(device)})

    renewed = session_of(client)
    assert renewed.pk == row.pk
    assert renewed.session_key != row.session_key
    assert AccountSession.objects.filter(user=personas.experiential.user).count() == 1


@pytest.mark.parametrize(
    ("agent", "shown"),
    [
        (FIREFOX_ANDROID, "Firefox on Android"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge on Windows",
        ),
        ("", "Unknown browser"),
        ("curl/8.5.0", "curl/8.5.0"),
    ],
)
def test_the_browser_is_named_in_a_few_words(agent, shown):
    assert describe_user_agent(agent) == shown
