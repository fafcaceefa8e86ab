"""The outbox under the failures DESIGN.md names, on PostgreSQL: two sweeps at once (two beats or
two workers) send each row exactly once; a sweep stopped or killed outright (SIGKILL, in another
process) mid-batch sends nothing twice, the rows it had not reached go out on a later run, and
the one it was handing over at that moment is listed in the app and never emailed again; with
Redis down, proposals open and meetings are scheduled as usual, their rows wait in the
database, and the sweep sends them once Redis (and so the worker) is back. And two closing
sweeps at once close each proposal, and announce its outcome, once.

SQLite has no row locks to test, so this module is skipped there, except in CI where it must run
on PostgreSQL and fails instead."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
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
from committee.services import notifications
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
    """What a stop looks like from inside (SystemExit, a time limit): not an error the sweep
    handles."""


class DyingBackend(LocmemBackend):
    """Delivers `survives` messages, then the worker is stopped while handing over the next
    one (whether the mail server got it, the sweep cannot know)."""

    survives = 0
    delivered = 0

    def send_messages(self, messages):
        if DyingBackend.delivered >= DyingBackend.survives:
            raise WorkerKilled
        DyingBackend.delivered += len(messages)
        return super().send_messages(messages)


class KillingFileBackend:
    """For a sweep in another process: each message is appended to the file named in
    `LIC_TEST_MAILBOX` (one Message-ID a line, flushed to disk) as a mail server would accept
    it; the process kills itself outright (SIGKILL: no `finally`, no rollback handler) while
    handing over message number `LIC_TEST_KILL_AT`, just before it reaches the file or just
    after (`LIC_TEST_KILL_WHEN`: "before" or "after")."""

    def __init__(self, *args, **kwargs):
        self.mailbox = Path(os.environ["LIC_TEST_MAILBOX"])
        self.kill_at = int(os.environ["LIC_TEST_KILL_AT"])
        self.when = os.environ["LIC_TEST_KILL_WHEN"]

    def send_messages(self, messages):
        for message in messages:
            with self.mailbox.open("a", encoding="utf-8") as mailbox:
                number = len(self.mailbox.read_text(encoding="utf-8").splitlines()) + 1
                if number == self.kill_at and self.when == "before":
                    os.kill(os.getpid(), signal.SIGKILL)
                mailbox.write(message.extra_headers["Message-ID"] + "\n")
                mailbox.flush()
                os.fsync(mailbox.fileno())
            if number == self.kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return len(messages)


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


def test_a_sweep_stopped_mid_batch_sends_the_rest_next_run_and_nothing_twice(
    personas, seated, settings
):
    due_reminders(personas.coordinator, 30)
    settings.EMAIL_BACKEND = "tests.committee.test_outbox_reliability.DyingBackend"
    DyingBackend.survives, DyingBackend.delivered = 12, 0

    with pytest.raises(WorkerKilled):
        services.send_due_notifications()

    assert len(mail.outbox) == 12
    assert Notification.objects.filter(state="sent", emailed=True).count() == 12
    # The rows it had not reached are given back at once, with no attempt counted.
    assert Notification.objects.filter(state="pending", attempts=0).count() == 17
    # The row in flight may have reached the mail server: it stays claimed, marked as handed over.
    [in_flight] = Notification.objects.filter(state="sending")
    assert in_flight.emailing_at is not None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_due_notifications() == 17
    assert services.send_due_notifications() == 0  # the row in flight is still claimed
    # Once its claim has run out, a sweep lists it in the app and never emails it again.
    later = timezone.now() + notifications.CLAIM_LEASE + timedelta(seconds=1)
    assert services.send_due_notifications(now=later) == 1

    per_row = sent_per_row()
    assert len(per_row) == 29
    assert set(per_row.values()) == {1}
    assert not Notification.objects.exclude(state="sent").exists()
    in_flight.refresh_from_db()
    assert (in_flight.in_app, in_flight.emailed) == (True, False)
    assert in_flight.last_error == notifications.INTERRUPTED
    assert f"<notification.{in_flight.pk}@" not in per_row


@pytest.mark.parametrize("when", ["after", "before"])
def test_a_worker_killed_outright_mid_batch_sends_nothing_twice_and_the_rest_later(
    personas, seated, tmp_path, when
):
    """A real SIGKILL in another process, at the worst moment: just after the mail server took
    the 13th email and before the sweep could record it ("after"), or just before it reached the
    server ("before"). Either way no email goes out twice, the 17 rows it had not reached go
    out on a later run, and the one it was handing over is in the app (emailed or not, as the
    kill decided; never again)."""
    due_reminders(personas.coordinator, 30)
    mailbox = tmp_path / "mailbox"
    mailbox.touch()

    worker = _sweep_in_another_process(mailbox, kill_at=13, when=when)

    assert worker.returncode == -signal.SIGKILL, worker.stderr
    accepted = mailbox.read_text(encoding="utf-8").splitlines()
    assert len(accepted) == (13 if when == "after" else 12)
    assert Notification.objects.filter(state="sent", emailed=True).count() == 12
    [in_flight] = Notification.objects.filter(state="sending", emailing_at__isnull=False)
    # Killed outright, it gave nothing back: the rows it had not reached wait for its claim.
    assert Notification.objects.filter(state="sending").count() == 18
    assert services.send_due_notifications() == 0

    later = timezone.now() + notifications.CLAIM_LEASE + timedelta(seconds=1)
    assert services.send_due_notifications(now=later) == 18

    per_row = Counter(accepted) + sent_per_row()
    assert set(per_row.values()) == {1}, "an email went out twice"
    assert len(per_row) == (30 if when == "after" else 29)
    assert not Notification.objects.exclude(state="sent").exists()
    assert Notification.objects.filter(in_app=True).count() == 30
    in_flight.refresh_from_db()
    assert in_flight.last_error == notifications.INTERRUPTED
    assert (f"<notification.{in_flight.pk}@" in " ".join(accepted)) == (when == "after")


def _sweep_in_another_process(mailbox: Path, *, kill_at: int, when: str):
    """`send_due_notifications` in a fresh interpreter on this test's database, with the
    killing backend."""
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}
    environment.update(
        DJANGO_SETTINGS_MODULE="lic.settings",
        DATABASE_URL=url,
        EMAIL_BACKEND="tests.committee.test_outbox_reliability.KillingFileBackend",
        LIC_TEST_MAILBOX=str(mailbox),
        LIC_TEST_KILL_AT=str(kill_at),
        LIC_TEST_KILL_WHEN=when,
    )
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from committee import services; services.send_due_notifications()",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


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


def test_two_closing_sweeps_at_once_close_each_proposal_once_and_announce_it_once(personas, seated):
    from stakeholders.models import AuditEntry

    proposals = [
        make_proposal(personas.coordinator, f"Proposal {number}", status="decision")
        for number in range(12)
    ]
    Proposal.objects.update(closes_at=timezone.now() - timedelta(seconds=1))

    first, second = at_once(services.close_due_proposals, services.close_due_proposals)

    assert (first.error, second.error) == (None, None)
    assert first.value + second.value == len(proposals)
    assert set(Proposal.objects.values_list("status", flat=True)) == {"closed"}
    closings = AuditEntry.objects.filter(action="proposal.status", changes__after="closed")
    assert closings.count() == len(proposals)
    for proposal in proposals:
        outcome = Notification.objects.filter(
            proposal=proposal, kind=NotificationKind.PROPOSAL_OUTCOME
        )
        assert outcome.count() == people_who_can_see(proposal).count()
    assert services.close_due_proposals() == 0
