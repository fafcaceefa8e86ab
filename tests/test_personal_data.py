"""A member sees and downloads everything the platform holds about them — account, profile,
invitations, roles and seats, positions, comments, answers, notifications, sessions, two-step
status, the audit entries about them — but never a record they may not see, and never a secret."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from committee import services as committee_services
from stakeholders import personal_data, services
from tests.conftest import make_proposal

DATA = "/c/riverside/me/data/"
DATA_JSON = "/c/riverside/me/data.json"
CAUCUS_TITLE = "Caucus: our own safety line"
CAUCUS_BODY = "Only for the caucus to read."


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


@pytest.fixture
def caucus(personas, seated):
    p = personas
    proposal = make_proposal(
        p.experiential_peer,
        CAUCUS_TITLE,
        body=CAUCUS_BODY,
        status="decision",
        visibility="sectors",
        sectors=[p.sector("experiential")],
    )
    committee_services.cast_position(
        person=p.experiential, proposal=proposal, stance="reservations", reason="Mind the hours."
    )
    committee_services.add_comment(author=p.experiential, proposal=proposal, body="Count me in.")
    budget = make_proposal(p.coordinator, "Budget for the drop-in", status="decision")
    committee_services.cast_position(person=p.police, proposal=budget, stance="agree")
    return proposal


def p_sector_name(personas, key: str) -> str:
    return personas.sector(key).name


def download(person) -> dict:
    response = client_for(person).get(DATA_JSON)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_experiential_member_s_export_contains_their_caucus_position(personas, caucus):
    data = download(personas.experiential)

    [position] = data["positions"]
    assert position["proposal"] == CAUCUS_TITLE
    assert position["stance"] == "Agree with reservations"
    assert position["reason"] == "Mind the hours."
    assert [comment["body"] for comment in data["comments"]] == ["Count me in."]
    assert data["profile"][0]["email"] == "jade@example.org"
    assert data["profile"][0]["sectors"] == [p_sector_name(personas, "experiential")]
    assert [seat["sector"] for seat in data["seats"]]


def test_the_police_member_s_export_contains_nothing_about_the_caucus(personas, caucus):
    text = client_for(personas.police).get(DATA_JSON).content.decode()

    assert "Caucus" not in text
    assert CAUCUS_BODY not in text
    assert "Mind the hours" not in text
    assert "Count me in" not in text
    data = json.loads(text)
    assert [position["proposal"] for position in data["positions"]] == ["Budget for the drop-in"]


def test_a_proposal_the_person_can_no_longer_see_is_not_named(personas, caucus):
    p = personas
    services.update_membership(actor=p.coordinator, person=p.experiential, sectors=[])

    data = download(p.experiential)

    assert [row["proposal"] for row in data["positions"]] == ["a proposal you can no longer see"]
    assert [row["proposal"] for row in data["comments"]] == ["a proposal you can no longer see"]
    assert [row["body"] for row in data["comments"]] == ["Count me in."]  # their own words
    assert CAUCUS_TITLE not in json.dumps(data)


def test_the_export_keeps_the_audit_trail_s_rule(personas, caucus):
    p = personas
    services.update_membership(actor=p.coordinator, person=p.experiential, sectors=[])

    data = download(p.experiential)

    actions = [row["action"] for row in data["audit"]]
    assert "changed someone's role, sectors or organization" in actions  # about them
    assert "gave a position" not in actions  # about a proposal they no longer see
    about_me = next(row for row in data["audit"] if row["action"].startswith("changed someone"))
    assert any(change.startswith("before") for change in about_me["changes"])


def test_the_export_has_sessions_and_two_step_status_but_never_a_secret(personas, caucus):
    p = personas
    user = p.experiential.user
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    static = user.staticdevice_set.create(name="Recovery codes", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd2345")
    token = Token.objects.create(user=user)
    client = client_for(p.experiential)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # the code was given
    session.save()

    response = client.get(DATA_JSON)
    text = response.content.decode()
    data = json.loads(text)

    assert data["two_factor"] == [
        {
            "on": True,
            "devices": ["Authenticator app", "Recovery codes"],
            "recovery_codes_left": 1,
            "api_token_since": token.created.isoformat(),
        }
    ]
    assert len(data["sessions"]) == 1  # this download's own session
    for secret in (device.key, "abcd2345", token.key, user.password):
        assert secret not in text
    assert response.wsgi_request.session.session_key not in text


def test_the_download_is_an_attachment_never_cached(personas, caucus):
    response = client_for(personas.experiential).get(DATA_JSON)

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="lic-commons-riverside')
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_readable_page_shows_the_same_data(personas, caucus):
    response = client_for(personas.experiential).get(DATA)
    html = response.content.decode()

    assert "no-store" in response["Cache-Control"]
    assert "Positions you gave" in html
    assert CAUCUS_TITLE in html
    assert "Mind the hours." in html
    assert "jade@example.org" in html
    assert 'href="/c/riverside/me/data.json"' in html


@pytest.mark.parametrize("path", [DATA, DATA_JSON])
def test_nobody_gets_the_data_without_signing_in_or_from_another_community(personas, path):
    anonymous = Client().get(path)
    outsider = client_for(personas.outsider).get(path)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert outsider.status_code == 404


def test_each_app_contributes_its_part(personas, seated):
    keys = [section.key for section in personal_data.personal_data_of(personas.experiential)]

    assert keys[:2] == ["account", "profile"]
    assert {"positions", "comments", "rsvps", "attendance", "notifications", "seats"} <= set(keys)
    assert {"needs", "dots", "actions_responsible", "progress_updates"} <= set(keys)
    assert keys[-1] == "audit"


def test_meetings_and_invitations_are_in_the_export(personas, seated):
    p = personas
    meeting = committee_services.schedule_meeting(
        actor=p.coordinator,
        title="Monthly meeting",
        place="Community hall",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=1),
        visibility="committee",
    )
    committee_services.rsvp(person=p.experiential, meeting=meeting, answer="attending")
    services.invite_person(
        actor=p.coordinator,
        email="jade@example.org",
        display_name="Jade",
        sectors=[p.sector("experiential")],
    )

    data = download(p.experiential)

    assert data["rsvps"][0]["meeting"] == "Monthly meeting"
    assert data["rsvps"][0]["answer"] == "Attending"
    assert data["invitations"][0]["email"] == "jade@example.org"
    assert data["invitations"][0]["invited_by"] == "Sam"
