"""Celery, once, for real: an invitation's email is queued on Redis, a real worker picks it up,
sends it, and records when. Everywhere else tasks run in process."""

import os
import time
import uuid

import pytest
from django.conf import settings
from django.core import mail

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


# Transactional: the worker thread reads through its own connection. Serialized rollback puts back
# what the data migrations load (sector templates), which an earlier transactional test flushed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_the_invitation_email(personas):
    if not REDIS_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("REDIS_URL must be set in CI: Celery is tested against a real Redis.")
        pytest.skip("REDIS_URL is not set: no Redis to run a real worker against.")
    from celery.contrib.testing.worker import start_worker

    assert settings.CELERY_BROKER_URL == REDIS_URL
    assert celery_app.conf.broker_url == REDIS_URL
    # A queue of this test's own, so that no other worker on the same Redis takes the task.
    queue = f"lic-test-{uuid.uuid4().hex}"
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False  # the autouse fixture in conftest restores it
    celery_app.conf.task_default_queue = queue
    try:
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30
        ):
            invitation = services.invite_person(
                actor=personas.coordinator,
                email="new.member@example.org",
                sectors=[personas.sector("residents")],
            )
            assert wait_until(
                lambda: Invitation.objects.filter(
                    pk=invitation.pk, emailed_at__isnull=False
                ).exists()
            ), "the worker did not send the invitation email"
    finally:
        celery_app.conf.task_default_queue = default_queue
        with celery_app.connection_for_write() as connection:  # leave no binding behind
            bound = celery_app.amqp.queues[queue](connection.default_channel)
            bound.declare()
            bound.delete()

    assert [message.to for message in mail.outbox] == [["new.member@example.org"]]
    assert "Riverside" in mail.outbox[0].subject
