"""Celery, once, for real: an invitation's email is queued on Redis, a real worker picks it up,
sends it, and records when; and a due reminder in the outbox is delivered by a real worker running
the sweep that beat starts every minute. Everywhere else tasks run in process."""

import os
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from committee import services as committee_services
from committee.models import Notification
from lic.celery import app as celery_app
from stakeholders import services
from stakeholders.models import Invitation

REDIS_URL = os.environ.get("REDIS_URL", "")


def wait_until(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@contextmanager
def real_worker():
    """A real Celery worker (in a thread of this process, so that Django's test mailbox is
    shared) on the real Redis, consuming a queue of this test's own, so that no other worker on
    the same Redis takes its tasks."""
    if not REDIS_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("REDIS_URL must be set in CI: Celery is tested against a real Redis.")
        pytest.skip("REDIS_URL is not set: no Redis to run a real worker against.")
    from celery.contrib.testing.worker import start_worker

    assert settings.CELERY_BROKER_URL == REDIS_URL
    assert celery_app.conf.broker_url == REDIS_URL
    queue = f"lic-test-{uuid.uuid4().hex}"
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False  # the autouse fixture in conftest restores it
    celery_app.conf.task_default_queue = queue
    try:
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30
        ):
            yield
    finally:
        celery_app.conf.task_default_queue = default_queue
        with celery_app.connection_for_write() as connection:  # leave no binding behind
            bound = celery_app.amqp.queues[queue](connection.default_channel)
            bound.declare()
            bound.delete()


# Transactional: the worker thread reads through its own connection. Serialized rollback puts back
# what the data migrations load (sector templates), which an earlier transactional test flushed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_the_invitation_email(personas):
    with real_worker():
        invitation = services.invite_person(
            actor=personas.coordinator,
            email="new.member@example.org",
            sectors=[personas.sector("residents")],
        )
        assert wait_until(
            lambda: Invitation.objects.filter(pk=invitation.pk, emailed_at__isnull=False).exists()
        ), "the worker did not send the invitation email"

    assert [message.to for message in mail.outbox] == [["new.member@example.org"]]
    assert "Riverside" in mail.outbox[0].subject


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_running_the_sweep_delivers_a_due_reminder_once(personas, seated):
    p = personas
    meeting = committee_services.schedule_meeting(
        actor=p.coordinator,
        title="Monthly committee meeting",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=2),
        place="Riverside Hall",
        visibility="coordinators",
    )
    # Its day-ahead reminder to the coordinator falls due (as two days passing would make it).
    reminder = Notification.objects.get(meeting=meeting, kind="meeting_reminder")
    Notification.objects.filter(pk=reminder.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    beat = settings.CELERY_BEAT_SCHEDULE["send-due-notifications"]

    with real_worker():
        # What beat does every minute; twice, as two beats at once would.
        for _ in range(2):
            celery_app.send_task(beat["task"], queue=celery_app.conf.task_default_queue)
        assert wait_until(
            lambda: Notification.objects.filter(pk=reminder.pk, state="sent").exists()
        ), "the worker did not send the reminder"
        time.sleep(1)  # let the second sweep run too

    reminder.refresh_from_db()
    assert (reminder.emailed, reminder.in_app, reminder.sent_at is not None) == (True, True, True)
    assert [message.to for message in mail.outbox] == [[p.coordinator.email]]
    assert mail.outbox[0].subject.startswith("Reminder: Monthly committee meeting")
