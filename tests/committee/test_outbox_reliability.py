"""The outbox under the failures DESIGN.md names, on PostgreSQL: two sweeps at once (two beats or
two workers) send each row exactly once; a sweep that dies mid-batch loses only the row in
flight, which the next run sends, and sends none twice; with Redis down, proposals open and
meetings are scheduled as usual, their rows wait in the database, and the sweep sends them once
Redis (and so the worker) is back.

SQLite has no row locks to test, so this module is skipped there, except in CI where it must run
on PostgreSQL and fails instead."""

import time
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.test import Client
from django.urls import get_resolver
from django.utils import timezone
from kombu.exceptions import OperationalError

from committee import services
from committee.models import Meeting, Notification, NotificationKind, Proposal
from lic.celery import app as celery_app
from stakeholders.models import Visibility
from stakeholders.selectors import people_who_can_see
from tests.committee.test_concurrency import at_once
from tests.conftest import IN_CI, make_proposal

ON_POSTGRESQL = connection.vendor == "postgresql"
ROWS = 200
SLUG = "riverside"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRESQL and not IN_CI,
        reason="The outbox's locking is tested on PostgreSQL: set DATABASE_URL=postgres://...",
    ),
    # Transactional: every sweep commits what it sends, and the others see it. Serialized
    # rollback puts back what the data migrations load (sector templates).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgresql_in_ci():
    if not ON_POSTGRESQL:
        pytest.fail("CI runs the outbox tests on PostgreSQL: set DATABASE_URL=postgres://...")


class SlowBackend(LocmemBackend):
    """An SMTP server that takes a moment per message, so that two sweeps overlap."""

    def send_messages(self, messages):
        time.sleep(0.002)
        return super().send_messages(messages)


class WorkerKilled(BaseException):
    """What a kill looks like from inside: not an error the sweep handles."""


class DyingBackend(LocmemBackend):
    """Delivers `survives` messages, then the worker dies while sending the next one."""

    survives = 0
    delivered = 0

    def send_messages(self, messages):
        if DyingBackend.delivered >= DyingBackend.survives:
            raise WorkerKilled
        DyingBackend.delivered += len(messages)
        return super().send_messages(messages)


def due_reminders(coordinator, how_many: int) -> Meeting:
    """A meeting and `how_many` reminder rows about it, all due now, spread over its readers
    (each with its own key, as offsets would give them)."""
    meeting = services.schedule_meeting(
        actor=coordinator,
        title="Monthly committee meeting",
        starts_at=timezone.now() + timedelta(days=30),
        ends_at=timezone.now() + timedelta(days=30, hours=2),
        place="Riverside Hall",
        visibility=Visibility.COMMITTEE,
    )
    Notification.objects.filter(meeting=meeting).delete()
    readers = list(people_who_can_see(meeting))
    stamp = int(meeting.starts_at.timestamp())
    Notification.objects.bulk_create(
        Notification(
            recipient=(reader := readers[number % len(readers)]),
            kind=NotificationKind.MEETING_REMINDER,
            key=f"meeting_reminder:{meeting.pk}:{stamp}-{number}:{reader.pk}",
            meeting=meeting,
            context={
                "starts_at": meeting.starts_at.isoformat(),
                "ends_at": meeting.ends_at.isoformat(),
            },
            due_at=timezone.now() - timedelta(minutes=1),
        )
        for number in range(how_many)
    )
    return meeting


def sent_per_row() -> Counter:
    """How many emails went out for each outbox row (each has its own Message-ID)."""
    return Counter(message.extra_headers["Message-ID"] for message in mail.outbox)


def test_two_sweeps_at_once_send_each_row_exactly_once(personas, seated, settings):
    settings.EMAIL_BACKEND = "tests.committee.test_outbox_reliability.SlowBackend"
    due_reminders(personas.coordinator, ROWS)
    assert get_resolver().url_patterns  # loaded, as in a worker that already runs

    first, second = at_once(services.send_due_notifications, services.send_due_notifications)

    assert (first.error, second.error) == (None, None)
    assert first.value + second.value == ROWS
    assert first.value > 0 and second.value > 0, "the two sweeps did not overlap"
    per_row = sent_per_row()
    assert len(per_row) == ROWS
    assert set(per_row.values()) == {1}
    assert Notification.objects.filter(state="sent", emailed=True).count() == ROWS
    assert services.send_due_notifications() == 0


def test_a_sweep_that_dies_mid_batch_loses_nothing_and_sends_nothing_twice(
    personas, seated, settings
):
    due_reminders(personas.coordinator, 30)
    settings.EMAIL_BACKEND = "tests.committee.test_outbox_reliability.DyingBackend"
    DyingBackend.survives, DyingBackend.delivered = 12, 0

    with pytest.raises(WorkerKilled):
        services.send_due_notifications()

    assert len(mail.outbox) == 12
    assert Notification.objects.filter(state="sent").count() == 12
    # The row in flight was rolled back as if never touched: no attempt is counted against it.
    assert Notification.objects.filter(state="pending", attempts=0).count() == 18

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_due_notifications() == 18

    per_row = sent_per_row()
    assert len(per_row) == 30
    assert set(per_row.values()) == {1}
    assert not Notification.objects.exclude(state="sent").exists()


@pytest.fixture
def redis_down():
    """Celery as in production (not in process), with its broker on a port nobody listens on."""
    broker_url = celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False  # conftest's autouse fixture restores it
    _use_broker("redis://127.0.0.1:1/0")
    try:
        yield
    finally:
        _use_broker(broker_url)


def _use_broker(url: str) -> None:
    """Point Celery at another broker and forget its pools of connections and producers (as
    Celery itself does after a fork), so that the next publish goes to `url`. The pools are
    kombu's, shared per URL: they are left open for whoever uses that URL next."""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_with_redis_down_pages_work_rows_wait_and_the_sweep_sends_them_once(
    personas, seated, redis_down
):
    from committee import tasks

    with pytest.raises(OperationalError):  # Redis is really out of reach
        tasks.send_due_notifications.apply_async(retry=False)
    p = personas
    coordinator = Client()
    coordinator.force_login(p.coordinator.user)
    proposal = make_proposal(p.coordinator, "Night van", status="discussion")

    opened = coordinator.post(
        f"/c/{SLUG}/proposals/{proposal.pk}/move/",
        {"to": "decision", "closes_at": _local(timezone.now() + timedelta(days=3))},
    )
    scheduled = coordinator.post(
        f"/c/{SLUG}/meetings/new/",
        {
            "title": "Monthly committee meeting",
            "starts_at": _local(timezone.now() + timedelta(days=10)),
            "ends_at": _local(timezone.now() + timedelta(days=10, hours=2)),
            "place": "Riverside Hall",
            "online_link": "",
            "visibility": Visibility.COMMITTEE,
        },
    )

    assert opened.status_code == 302
    assert scheduled.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == "decision"
    meeting = Meeting.objects.get()
    readers = people_who_can_see(meeting).count()
    announced = Notification.objects.filter(kind=NotificationKind.PROPOSAL_OPENED)
    assert announced.count() == people_who_can_see(proposal).count()
    reminders = Notification.objects.filter(meeting=meeting, kind=NotificationKind.MEETING_REMINDER)
    assert reminders.count() == 2 * readers
    for page in (f"/c/{SLUG}/proposals/{proposal.pk}/", f"/c/{SLUG}/meetings/{meeting.pk}/"):
        assert coordinator.get(page).status_code == 200

    # Redis is back: the worker's sweep sends what is due, once.
    assert services.send_due_notifications() == announced.count()
    assert services.send_due_notifications() == 0
    assert set(sent_per_row().values()) == {1}
    assert len(mail.outbox) == announced.count()
    when = meeting.starts_at - timedelta(hours=23)
    assert services.send_due_notifications(now=when) == 2 * readers
    assert services.send_due_notifications(now=when) == 0


def _local(moment) -> str:
    """A time as a form's datetime-local field takes it: in the community's time zone."""
    return timezone.localtime(moment, ZoneInfo("America/Vancouver")).strftime("%Y-%m-%dT%H:%M")
