"""Two-step sign-in: coordinators and administrators must set it up before anything else opens;
anyone who has it gives a code (or a recovery code, once) after the password, on the pages and
for an API token; wrong codes are limited; members turn it on and off from their profile."""

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from stakeholders import two_factor
from stakeholders.models import AuditEntry
from tests.conftest import PASSWORD

HOME = "/c/riverside/"


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["coordinator", "administrator"]
    # Devices pause 1, 2, 4… seconds after a wrong code; the test that needs it turns it on.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def current_code(device: TOTPDevice) -> str:
    """A code the app would show now: this time step's, or the next one's when this one has been
    used already (a device never accepts the same step twice)."""
    device.refresh_from_db()
    now = (int(time.time()) - device.t0) // device.step + device.drift
    step = max(now, device.last_t + 1)
    return f"{hotp(device.bin_key, step, digits=device.digits):06d}"


def shown_codes(html: str) -> list[str]:
    """The recovery codes a page shows (once: the database keeps only their hashes)."""
    return re.findall(r"<code>([a-z2-7]{8})</code>", html)


def stored_codes(person) -> set[str]:
    return set(StaticToken.objects.filter(device__user=person.user).values_list("token", flat=True))


def wrong_code(device: TOTPDevice) -> str:
    right = {current_code(device)}
    return next(code for code in ("000000", "111111", "222222") if code not in right)


def turn_on(person) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.app_being_set_up(person.user)
    codes = two_factor.confirm_app(user=person.user, device=device, code=current_code(device))
    device.refresh_from_db()
    return device, codes


def sign_in(client: Client, person, address: str = "203.0.113.5"):
    return client.post(
        "/accounts/login/",
        {"username": person.user.username, "password": PASSWORD},
        REMOTE_ADDR=address,
    )


def give_code(client: Client, code: str, next_url: str = HOME, address: str = "203.0.113.5"):
    return client.post(
        "/accounts/two-factor/", {"code": code, "next": next_url}, REMOTE_ADDR=address
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- coordinators and administrators must set it up --------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_a_coordinator_or_administrator_without_it_is_sent_to_set_it_up(personas, role):
    client = Client()
    assert sign_in(client, getattr(personas, role)).status_code == 302

    for path in (HOME, "/c/riverside/people/", "/c/riverside/me/", "/accounts/two-factor/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/two-factor/setup/"), path
    assert client.get(HOME)["Location"] == "/accounts/two-factor/setup/?next=%2Fc%2Friverside%2F"
    assert client.post("/c/riverside/me/", {"display_name": "X"}).status_code == 302
    htmx = client.get(HOME, HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == "/accounts/two-factor/setup/"
    assert client.get("/api/v1/people/").status_code == 403
    assert client.get("/accounts/two-factor/setup/").status_code == 200

    assert client.post("/accounts/logout/").status_code == 302
    assert not signed_in(client)


def test_a_committee_member_is_not_required_to_use_it(personas):
    client = Client()
    sign_in(client, personas.police)
    assert client.get(HOME).status_code == 200
    assert client.get("/api/v1/people/").status_code == 200


def test_the_requirement_can_be_lifted_for_a_demo(personas, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    client = Client()
    sign_in(client, personas.coordinator)
    assert client.get(HOME).status_code == 200


def test_django_admin_staff_must_use_it_whenever_a_role_must(personas, settings):
    personas.police.user.is_staff = True
    personas.police.user.save()
    client = Client()
    sign_in(client, personas.police)
    assert client.get(HOME)["Location"].startswith("/accounts/two-factor/setup/")
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    assert client.get(HOME).status_code == 200


@pytest.mark.parametrize(
    ("value", "roles"),
    [
        ("", ["coordinator", "administrator"]),
        ("true", ["coordinator", "administrator"]),
        ("false", []),
    ],
)
def test_the_requirement_is_on_unless_the_environment_turns_it_off(value, roles):
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'lic.settings'); "
        "django.setup(); from django.conf import settings; "
        "print(','.join(settings.TWO_FACTOR_REQUIRED_ROLES))"
    )
    environment = {"PATH": "/usr/bin:/bin", "TWO_FACTOR_REQUIRED": value}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ",".join(roles)


# --- setting it up ----------------------------------------------------------------------------


def test_setting_up_shows_a_qr_code_and_the_key_then_ten_recovery_codes_once(personas):
    client = Client()
    sign_in(client, personas.coordinator)

    page = client.get("/accounts/two-factor/setup/?next=/c/riverside/people/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=personas.coordinator.user, confirmed=False)
    assert '<svg width="' in html and 'class="qr"' in html
    assert "style=" not in html.split('class="qr-code">')[1].split("</svg>")[0]  # CSP
    assert two_factor.readable_secret(device) in html
    assert "no-store" in page["Cache-Control"]
    # Reloading shows the same key, so a half-finished setup can be completed.
    assert two_factor.readable_secret(device) in client.get("/accounts/two-factor/setup/").text

    wrong = client.post("/accounts/two-factor/setup/", {"code": wrong_code(device)})
    assert "That code did not work" in wrong.text
    assert client.get(HOME).status_code == 302

    done = client.post(
        "/accounts/two-factor/setup/",
        {"code": current_code(device), "next": "/c/riverside/people/"},
    )

    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    codes = set(shown_codes(done.text))
    assert len(codes) == 10
    assert stored_codes(personas.coordinator) == {
        two_factor.stored_recovery_code(code) for code in codes
    }
    assert 'href="/c/riverside/people/"' in done.text
    assert client.get(HOME).status_code == 200
    assert client.get("/api/v1/people/").status_code == 200
    assert client.get("/accounts/two-factor/setup/")["Location"] == "/c/riverside/me/"
    assert AuditEntry.objects.filter(
        action="two_factor.on", actor=personas.coordinator.user
    ).exists()


def test_a_setup_next_address_elsewhere_is_not_followed(personas):
    client = Client()
    sign_in(client, personas.coordinator)
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=personas.coordinator.user)
    done = client.post(
        "/accounts/two-factor/setup/",
        {"code": current_code(device), "next": "https://evil.example.org/"},
    )
    assert "evil.example.org" not in done.text
    assert 'href="/"' in done.text


# --- the code after the password ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["experiential", "coordinator"])
def test_after_the_password_someone_with_it_must_give_a_code(personas, role):
    person = getattr(personas, role)
    device, _codes = turn_on(person)
    client = Client()
    sign_in(client, person)

    assert client.get(HOME)["Location"] == "/accounts/two-factor/?next=%2Fc%2Friverside%2F"
    assert client.get("/c/riverside/people/").status_code == 302
    assert client.get("/accounts/two-factor/setup/").status_code == 302
    assert client.get("/api/v1/people/").status_code == 403
    page = client.get("/accounts/two-factor/?next=/c/riverside/")
    assert page.status_code == 200
    assert "Riverside" not in page.text  # no navigation before the code
    key_before = client.session.session_key

    response = give_code(client, current_code(device))

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.session.session_key != key_before
    assert client.get(HOME).status_code == 200
    assert client.get("/api/v1/people/").status_code == 200


def test_a_forced_login_without_a_code_is_not_verified_either(personas):
    turn_on(personas.experiential)
    client = Client()
    client.force_login(personas.experiential.user)
    assert client.get(HOME)["Location"].startswith("/accounts/two-factor/")


def test_wrong_codes_are_limited_to_five_then_the_session_is_signed_out(personas, settings):
    settings.AXES_FAILURE_LIMIT = 50  # only the per-session limit here
    device, _codes = turn_on(personas.experiential)
    client = Client()
    sign_in(client, personas.experiential)

    for _ in range(4):
        response = give_code(client, wrong_code(device))
        assert response.status_code == 200
        assert "That code did not work" in response.text
        assert signed_in(client)
    response = give_code(client, wrong_code(device))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert not signed_in(client)
    assert "Too many wrong tries" in client.get("/accounts/login/").text


def test_wrong_codes_count_as_failed_sign_ins_and_pause_the_account(personas, settings):
    settings.AXES_FAILURE_LIMIT = 3
    device, _codes = turn_on(personas.experiential)
    client = Client()
    sign_in(client, personas.experiential)
    give_code(client, wrong_code(device))
    give_code(client, wrong_code(device))

    response = give_code(client, wrong_code(device))

    assert response.status_code == 429
    assert "signing in is paused" in response.text
    assert not signed_in(client)
    assert sign_in(Client(), personas.experiential, address="198.51.100.7").status_code == 429


def test_after_a_wrong_code_the_device_pauses_before_the_next_try(personas, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device, _codes = turn_on(personas.experiential)
    client = Client()
    sign_in(client, personas.experiential)
    give_code(client, wrong_code(device))

    response = give_code(client, current_code(device))

    assert "wait a few seconds" in response.text
    assert client.get(HOME).status_code == 302


def test_a_recovery_code_works_once(personas):
    _device, codes = turn_on(personas.experiential)
    client = Client()
    sign_in(client, personas.experiential)

    response = give_code(client, codes[0].upper())

    assert response.status_code == 302
    assert "9 are left" in client.get(HOME).text
    client.post("/accounts/logout/")

    again = Client()
    sign_in(again, personas.experiential)
    assert "That code did not work" in give_code(again, codes[0]).text
    assert give_code(again, codes[1]).status_code == 302
    assert again.get(HOME).status_code == 200


# --- members turn it on and off; new recovery codes ------------------------------------------


def test_a_member_turns_it_on_and_off_from_their_profile(personas):
    me = personas.experiential
    client = Client()
    sign_in(client, me)
    profile = client.get("/c/riverside/me/").text
    assert "Off." in profile
    assert 'href="/accounts/two-factor/setup/"' in profile
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=me.user)
    client.post("/accounts/two-factor/setup/", {"code": current_code(device)})
    assert "On." in client.get("/c/riverside/me/").text

    refused = client.post("/accounts/two-factor/off/", {"off-code": wrong_code(device)})
    assert refused["Location"] == "/c/riverside/me/"
    assert TOTPDevice.objects.filter(user=me.user, confirmed=True).exists()

    client.post("/accounts/two-factor/off/", {"off-code": current_code(device)})

    assert not TOTPDevice.objects.filter(user=me.user).exists()
    assert not StaticToken.objects.filter(device__user=me.user).exists()
    assert "Off." in client.get("/c/riverside/me/").text
    assert AuditEntry.objects.filter(action="two_factor.off", actor=me.user).exists()
    client.post("/accounts/logout/")
    fresh = Client()
    sign_in(fresh, me)
    assert fresh.get(HOME).status_code == 200


def test_a_coordinator_cannot_turn_it_off(personas):
    device, _codes = turn_on(personas.coordinator)
    client = Client()
    sign_in(client, personas.coordinator)
    give_code(client, current_code(device))
    assert "Turn off two-step sign-in" not in client.get("/c/riverside/me/").text

    client.post("/accounts/two-factor/off/", {"off-code": current_code(device)})

    assert TOTPDevice.objects.filter(user=personas.coordinator.user, confirmed=True).exists()
    assert "requires two-step sign-in" in client.get("/c/riverside/me/").text


def test_new_recovery_codes_replace_the_old_ones(personas):
    device, old_codes = turn_on(personas.experiential)
    client = Client()
    sign_in(client, personas.experiential)
    give_code(client, current_code(device))

    page = client.post("/accounts/two-factor/recovery-codes/", {"renew-code": current_code(device)})

    assert page.status_code == 200
    new_codes = shown_codes(page.text)
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert stored_codes(personas.experiential) == {
        two_factor.stored_recovery_code(code) for code in new_codes
    }
    assert AuditEntry.objects.filter(action="two_factor.recovery_codes").exists()
    client.post("/accounts/logout/")
    again = Client()
    sign_in(again, personas.experiential)
    assert "That code did not work" in give_code(again, old_codes[0]).text
    assert give_code(again, new_codes[0]).status_code == 302


def test_a_session_that_used_a_recovery_code_stays_open_after_making_new_ones(personas):
    device, old_codes = turn_on(personas.experiential)
    client = Client()
    sign_in(client, personas.experiential)
    give_code(client, old_codes[0])

    client.post("/accounts/two-factor/recovery-codes/", {"renew-code": current_code(device)})

    assert client.get(HOME).status_code == 200


def test_new_recovery_codes_need_a_current_code(personas):
    device, old_codes = turn_on(personas.experiential)
    client = Client()
    sign_in(client, personas.experiential)
    give_code(client, current_code(device))

    response = client.post("/accounts/two-factor/recovery-codes/", {"renew-code": "123456"})

    assert response.status_code == 302
    assert stored_codes(personas.experiential) == {
        two_factor.stored_recovery_code(code) for code in old_codes
    }


# --- the API token -----------------------------------------------------------------------------


def ask_token(person, **extra):
    return Client().post(
        "/api/v1/auth/token/",
        {"username": person.user.username, "password": PASSWORD, **extra},
    )


def test_a_member_without_it_gets_a_token_as_before(personas):
    response = ask_token(personas.police)
    assert response.status_code == 200
    assert response.json()["token"]


def test_a_coordinator_without_it_gets_no_token(personas):
    response = ask_token(personas.coordinator)
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.filter(user=personas.coordinator.user).exists()


@pytest.mark.parametrize("role", ["experiential", "coordinator"])
def test_with_it_a_token_needs_a_current_code(personas, role):
    person = getattr(personas, role)
    device, codes = turn_on(person)

    missing = ask_token(person)
    wrong = ask_token(person, otp=wrong_code(device))
    right = ask_token(person, otp=current_code(device))

    assert missing.status_code == 400
    assert "otp" in missing.json()
    assert wrong.status_code == 400
    assert "token" not in wrong.json()
    assert right.status_code == 200
    token = right.json()["token"]
    response = Client().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200


def test_wrong_api_codes_count_as_failed_sign_ins(personas, settings):
    settings.AXES_FAILURE_LIMIT = 3
    device, _codes = turn_on(personas.experiential)
    for _ in range(3):
        ask_token(personas.experiential, otp=wrong_code(device))

    response = ask_token(personas.experiential, otp=current_code(device))

    assert response.status_code == 429
    assert "token" not in response.json()


def test_turning_it_on_ends_a_token_issued_without_it(personas):
    token = Token.objects.create(user=personas.experiential.user)
    turn_on(personas.experiential)
    assert not Token.objects.filter(key=token.key).exists()


def test_an_old_token_of_a_coordinator_without_it_stops_working(personas, settings):
    token = Token.objects.create(user=personas.coordinator.user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}

    assert Client().get("/api/v1/people/", **auth).status_code in {401, 403}

    settings.TWO_FACTOR_REQUIRED_ROLES = []
    assert Client().get("/api/v1/people/", **auth).status_code == 200
