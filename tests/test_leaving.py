"""A member leaves the platform, confirming with their password: their account closes at once
and their personal data is erased or pseudonymized, while the committee's decision history stays
intact, naming them "Former member, <sector>"."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import CharField, JSONField, TextField
from django.db.models.functions import Cast
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from committee import selectors as committee_selectors
from committee import services as committee_services
from committee.models import (
    CalendarFeed,
    Comment,
    CommentRevision,
    CommitteeMember,
    Notification,
    NotificationPreference,
    NotificationState,
    Rsvp,
    Seat,
)
from stakeholders import personal_data, services
from stakeholders.models import AuditEntry, Invitation, Person, RetiredUsername
from tests.conftest import PASSWORD, make_proposal
from tests.workplans.conftest import community_today

USERNAME = "kimberly-r"
EMAIL = "kim.rivers@example.org"
PHONE = "250-555-0199"
NAME = "Kimberly R."
LEAVE = "/c/riverside/me/leave/"


def sign_in(username: str, password: str = PASSWORD) -> Client:
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.post("/accounts/login/", {"username": username, "password": password})
    return client


def signed_in(client: Client) -> bool:
    return client.get("/c/riverside/").status_code == 200


@pytest.fixture
def kim(personas, seated):
    """A member who came by invitation, holds a seat for the experiential sector, gave
    positions, commented, answered a meeting, set her notifications and her calendar feed."""
    p = personas
    invitation = services.invite_person(
        actor=p.coordinator,
        email=EMAIL,
        display_name="Kim",
        sectors=[p.sector("experiential")],
    )
    kim = services.accept_invitation(
        token=services.invitation_token(invitation),
        username=USERNAME,
        password=PASSWORD,
        display_name=NAME,
        preferred_language="en",
    )
    services.update_profile(
        person=kim, display_name=NAME, email=EMAIL, phone=PHONE, preferred_language="en"
    )
    committee_services.create_seat(
        actor=None, committee=seated.committee, sector=p.sector("experiential"), primary=kim
    )
    return kim


@pytest.fixture
def history(personas, kim):
    """An open proposal where Kim agreed, and a closed one she blocked."""
    open_one = make_proposal(personas.coordinator, "Night hours", status="decision")
    committee_services.cast_position(person=kim, proposal=open_one, stance="agree")
    committee_services.add_comment(author=kim, proposal=open_one, body="I was there at night.")
    blocked = make_proposal(personas.coordinator, "Move the centre", status="decision")
    committee_services.cast_position(
        person=kim, proposal=blocked, stance="block", reason="Too far for us."
    )
    committee_services.close_proposal(actor=None, proposal=blocked)
    meeting = committee_services.schedule_meeting(
        actor=personas.coordinator,
        title="Monthly meeting",
        place="Community hall",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=1),
        visibility="committee",
    )
    committee_services.rsvp(person=kim, meeting=meeting, answer="attending")
    committee_services.set_preference(person=kim, kind="meeting_reminder", channel="in_app")
    committee_services.create_calendar_feed(person=kim)
    Notification.objects.create(
        recipient=kim,
        kind="proposal_outcome",
        key=f"test:in-app:{kim.pk}",
        proposal=blocked,
        due_at=timezone.now(),
        state=NotificationState.SENT,
        in_app=True,
        sent_at=timezone.now(),
    )
    Notification.objects.create(
        recipient=kim,
        kind="proposal_outcome",
        key=f"test:emailed:{kim.pk}",
        due_at=timezone.now(),
        state=NotificationState.SENT,
        emailed=True,
        last_error=f"550 no such user <{EMAIL}>",
    )
    return open_one, blocked


def leave(person, *, delete_comments: bool = False) -> Client:
    """Kim, signed in through the sign-in page (with her two-step code given), leaves."""
    device = TOTPDevice.objects.create(user=person.user, name="Authenticator app", confirmed=True)
    client = sign_in(USERNAME)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    Token.objects.create(user=person.user)
    form = {"password": PASSWORD}
    if delete_comments:
        form["delete_comments"] = "on"
    response = client.post(LEAVE, form)
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == "/accounts/login/"
    return client


def database_hits(needle: str) -> list[str]:
    """Every column of every table in which `needle` appears (case-insensitive)."""
    hits = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, CharField | TextField | JSONField):
                continue
            rows = model._default_manager.annotate(
                as_text=Cast(field.attname, output_field=TextField())
            ).filter(as_text__icontains=needle)
            if rows.exists():
                hits.append(f"{model._meta.label}.{field.name}")
    return hits


def test_after_leaving_the_person_cannot_sign_in_and_everything_of_the_account_is_ended(
    personas, kim, history
):
    elsewhere = sign_in(USERNAME)
    assert signed_in(elsewhere)

    leave(kim)

    kim.refresh_from_db()
    kim.user.refresh_from_db()
    assert not kim.is_active and kim.left_at is not None
    assert not kim.user.is_active
    assert not kim.user.has_usable_password()
    assert re.fullmatch(r"former-[0-9a-f]{16}", kim.user.username)
    assert not signed_in(elsewhere)
    assert not signed_in(sign_in(USERNAME))
    assert not signed_in(sign_in(kim.user.username))
    assert not Token.objects.filter(user=kim.user).exists()
    assert not TOTPDevice.objects.filter(user=kim.user).exists()
    assert not kim.user.groups.exists()
    assert CalendarFeed.objects.filter(person=kim, revoked_at__isnull=True).count() == 0
    assert not NotificationPreference.objects.filter(person=kim).exists()
    assert not Rsvp.objects.filter(person=kim).exists()
    assert not Notification.objects.filter(recipient=kim, in_app=True).exists()
    assert not Notification.objects.filter(recipient=kim, state=NotificationState.PENDING)
    assert Notification.objects.filter(recipient=kim, state=NotificationState.CANCELLED).exists()


def test_the_old_username_can_never_be_taken_again(personas, kim):
    personal_data.leave_platform(person=kim, password=PASSWORD)
    invitation = services.invite_person(
        actor=personas.coordinator, email="other@example.org", sectors=[personas.sector("youth")]
    )

    with pytest.raises(ValidationError) as error:
        services.accept_invitation(
            token=services.invitation_token(invitation),
            username="Kimberly-R",
            password=PASSWORD,
            display_name="Someone else",
            preferred_language="en",
        )

    assert "This username is taken" in str(error.value)
    assert RetiredUsername.objects.count() == 1
    assert USERNAME not in RetiredUsername.objects.get().digest


def test_leaving_ends_the_seat_and_positions_stay_under_the_former_members_sector(
    personas, kim, history
):
    open_one, blocked = history
    former = f"Former member, {personas.sector('experiential').name}"
    before = committee_selectors.live_outcome(open_one)
    [seat] = Seat.objects.filter(primary=kim)

    leave(kim)

    # Her seat and her role end today: the history keeps them, and while the proposal is still
    # open her answer no longer counts (nobody can answer for the seat any more).
    seat.refresh_from_db()
    assert seat.ended_on == community_today()
    assert not CommitteeMember.objects.filter(person=kim, ended_on__isnull=True).exists()
    after = committee_selectors.live_outcome(open_one)
    assert after.answered_seats == before.answered_seats - 1
    assert after.total_seats == before.total_seats - 1
    coordinator = Client()
    coordinator.force_login(personas.coordinator.user)
    page = coordinator.get(f"/c/riverside/proposals/{open_one.pk}/").content.decode()
    assert former in page
    assert "this seat has ended: not counted" in page
    assert NAME not in page
    blocked.refresh_from_db()
    assert [concern["holder"] for concern in blocked.outcome["blocks"]] == [former]
    assert blocked.result == "blocked"
    closed_page = coordinator.get(f"/c/riverside/proposals/{blocked.pk}/").content.decode()
    assert former in closed_page and "Too far for us." in closed_page


def test_nothing_of_their_email_phone_username_or_name_remains_in_the_database(
    personas, kim, history
):
    assert database_hits(EMAIL)  # the search finds them before...

    leave(kim)

    assert database_hits(EMAIL) == []
    assert database_hits(PHONE) == []
    assert database_hits(USERNAME) == []
    assert database_hits(NAME) == []
    invitation = Invitation.objects.get(accepted_by=kim)  # the row stays for the record
    assert invitation.erased_at is not None
    assert (invitation.email, invitation.display_name) == ("", "")


def test_leaving_is_audited_without_personal_data(personas, kim, history):
    leave(kim)

    entry = AuditEntry.objects.get(action="person.left")
    assert entry.target_id == str(kim.pk)
    assert entry.actor_id == kim.user_id
    assert entry.changes == {"comments_deleted": False}


def test_comments_stay_under_the_former_name_unless_the_person_deletes_them(personas, kim, history):
    open_one, _blocked = history

    leave(kim)

    comment = Comment.objects.get(author=kim)
    assert comment.body == "I was there at night." and comment.deleted_at is None
    coordinator = Client()
    coordinator.force_login(personas.coordinator.user)
    page = coordinator.get(f"/c/riverside/proposals/{open_one.pk}/").content.decode()
    assert "I was there at night." in page


def test_a_person_may_delete_their_comments_as_they_leave(personas, kim, history):
    committee_services.edit_comment(
        actor=kim, comment=Comment.objects.get(author=kim), body="I was there, at night."
    )

    leave(kim, delete_comments=True)

    comment = Comment.objects.get(author=kim)
    assert comment.body == "" and comment.deleted_at is not None
    assert not CommentRevision.objects.filter(comment=comment).exists()
    assert AuditEntry.objects.filter(action="comment.delete", target_id=str(comment.pk)).exists()
    assert database_hits("there at night") == []
    assert database_hits("there, at night") == []


def test_a_wrong_password_changes_nothing_and_counts_as_a_failed_sign_in(personas, kim):
    from axes.models import AccessAttempt

    client = sign_in(USERNAME)

    response = client.post(LEAVE, {"password": "not-my-password"})

    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    kim.refresh_from_db()
    assert kim.is_active and kim.display_name == NAME
    assert AccessAttempt.objects.filter(username=USERNAME).exists()
    assert not AuditEntry.objects.filter(action="person.left").exists()


def test_the_confirm_page_says_what_happens(personas, kim):
    client = sign_in(USERNAME)

    html = client.get(LEAVE).content.decode()

    assert "Former member, Current and former sex workers" in html
    assert "comments" in html and "cannot be undone" in html
    assert 'name="delete_comments"' in html
    assert "Your seat on the committee and your role on it end today." in html


def test_someone_who_has_left_cannot_leave_again(personas, kim):
    personal_data.leave_platform(person=kim, password=PASSWORD)

    with pytest.raises(ValidationError):
        personal_data.leave_platform(person=Person.objects.get(pk=kim.pk), password=PASSWORD)
