"""Personal data that nobody needs any more expires: the daily sweep erases the email and name
of invitations never accepted, PERSONAL_DATA_RETENTION_DAYS after they expired or were revoked
(keeping the row, marked erased, for the audit trail), and deletes records of activity —
signed-in sessions, sign-ins, notifications — older than ACTIVITY_RETENTION_DAYS."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from committee.models import Notification, NotificationState
from stakeholders import services, tasks
from stakeholders.models import AccountSession, AuditEntry, Invitation

DAY = timedelta(days=1)


def invite(personas, email: str) -> Invitation:
    return services.invite_person(
        actor=personas.coordinator,
        email=email,
        display_name="Someone",
        sectors=[personas.sector("residents")],
    )


def age(invitation: Invitation, *, expired_days_ago: int) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - expired_days_ago * DAY
    )


def sweep() -> dict[str, int]:
    return tasks.erase_expired_personal_data()


def test_an_invitation_expired_past_the_retention_period_is_erased_but_kept(personas):
    old = invite(personas, "old@example.org")
    age(old, expired_days_ago=91)

    counts = sweep()

    old.refresh_from_db()
    assert counts["invitations"] == 1
    assert (old.email, old.display_name) == ("", "")
    assert old.erased_at is not None
    sent = AuditEntry.objects.get(action="invitation.create", target_id=str(old.pk))
    assert sent.changes["email"] == ""
    assert AuditEntry.objects.filter(
        action="invitation.erase",
        target_type=ContentType.objects.get_for_model(Invitation),
        target_id=str(old.pk),
        actor=None,
    ).exists()


def test_recent_open_and_accepted_invitations_keep_their_details(personas):
    recent = invite(personas, "recent@example.org")
    age(recent, expired_days_ago=89)
    still_open = invite(personas, "open@example.org")
    accepted = invite(personas, "accepted@example.org")
    services.accept_invitation(
        token=services.invitation_token(accepted),
        username="newcomer",
        password="a-Long-test-pass-2026",
        display_name="Newcomer",
        preferred_language="en",
    )
    age(accepted, expired_days_ago=400)

    assert sweep()["invitations"] == 0

    for invitation in (recent, still_open, accepted):
        invitation.refresh_from_db()
        assert invitation.email and invitation.erased_at is None


def test_a_revoked_invitation_is_erased_once_revoked_long_enough(personas):
    revoked = invite(personas, "revoked@example.org")
    services.revoke_invitation(actor=personas.coordinator, invitation=revoked)
    Invitation.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now() - 91 * DAY)
    lately = invite(personas, "lately@example.org")
    services.revoke_invitation(actor=personas.coordinator, invitation=lately)

    sweep()

    revoked.refresh_from_db()
    lately.refresh_from_db()
    assert revoked.email == "" and lately.email == "lately@example.org"


def test_the_period_is_a_setting(personas, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 10
    invitation = invite(personas, "ten@example.org")
    age(invitation, expired_days_ago=11)

    sweep()

    invitation.refresh_from_db()
    assert invitation.email == ""


def test_the_sweep_erases_once(personas):
    age(invite(personas, "once@example.org"), expired_days_ago=100)

    assert sweep()["invitations"] == 1
    assert sweep()["invitations"] == 0
    assert AuditEntry.objects.filter(action="invitation.erase").count() == 1


def test_an_erased_invitation_shows_as_erased_to_those_who_onboard(personas):
    age(invite(personas, "shown@example.org"), expired_days_ago=100)
    sweep()
    client = Client()
    client.force_login(personas.coordinator.user)

    html = client.get("/c/riverside/onboarding/").content.decode()

    assert "shown@example.org" not in html
    assert "Erased" in html


def test_activity_older_than_a_year_is_deleted(personas):
    user = personas.experiential.user
    now = timezone.now()
    AccountSession.objects.create(
        user=user, session_key="old", last_seen_at=now - 366 * DAY, ip_address="203.0.113.1"
    )
    AccountSession.objects.create(user=user, session_key="recent", last_seen_at=now - DAY)
    for key, due_at in (("old", now - 366 * DAY), ("recent", now - 30 * DAY)):
        Notification.objects.create(
            recipient=personas.experiential,
            kind="proposal_outcome",
            key=f"test:{key}",
            due_at=due_at,
            state=NotificationState.SENT,
        )

    counts = sweep()

    assert counts["sessions"] == 1 and counts["notifications"] == 1
    assert list(AccountSession.objects.values_list("session_key", flat=True)) == ["recent"]
    assert list(Notification.objects.values_list("key", flat=True)) == ["test:recent"]


def test_the_retention_periods_default_to_90_days_and_a_year():
    assert settings.PERSONAL_DATA_RETENTION_DAYS == 90
    assert settings.ACTIVITY_RETENTION_DAYS == 365


def test_beat_runs_the_sweep_once_a_day():
    entry = settings.CELERY_BEAT_SCHEDULE["erase-expired-personal-data"]
    schedule = entry["schedule"]

    assert entry["task"] == "stakeholders.tasks.erase_expired_personal_data"
    assert (len(schedule.hour), len(schedule.minute)) == (1, 1)
    assert len(schedule.day_of_week) == 7 and len(schedule.day_of_month) == 31
