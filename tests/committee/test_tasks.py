"""The periodic work of the committee, called as beat calls it."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from committee import services, tasks
from committee.models import Proposal
from lic.celery import app


def test_beat_runs_the_closing_sweep_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["close-due-proposals"]
    assert entry["schedule"] <= 60
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_the_sweep_closes_a_proposal_once_its_time_has_passed(personas, seated):
    coordinator = personas.coordinator
    proposal = services.create_proposal(
        author=coordinator, title="Night van", body="Three stops.", visibility="committee"
    )
    services.open_for_positions(
        actor=coordinator, proposal=proposal, closes_at=timezone.now() + timedelta(hours=1)
    )
    services.cast_position(person=personas.police, proposal=proposal, stance="block", reason="No")

    assert tasks.close_due_proposals.delay().get() == 0
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert tasks.close_due_proposals.delay().get() == 1
    assert tasks.close_due_proposals.delay().get() == 0

    proposal.refresh_from_db()
    assert (proposal.status, proposal.result) == ("closed", "blocked")
    assert proposal.outcome["blocks"][0]["reason"] == "No"
