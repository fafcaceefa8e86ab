"""Dots and approvals under real concurrency, on PostgreSQL: a member placing dots on many needs
at the same moment never spends more than they have, and two agreed proposals approving the same
action at once leave it approved by exactly one. Each thread has its own connection and all are
released together, so the services' row locks are what keeps the records right.

Skipped on SQLite (no row locks), except in CI where it must run on PostgreSQL and fails instead."""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum

from stakeholders.models import Visibility
from tests.conftest import IN_CI
from tests.workplans.conftest import agreed_proposal
from workplans import services
from workplans.models import Action, NeedVote

ON_POSTGRESQL = connection.vendor == "postgresql"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRESQL and not IN_CI,
        reason="Concurrency is tested on PostgreSQL: set DATABASE_URL=postgres://...",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgresql_in_ci():
    if not ON_POSTGRESQL:
        pytest.fail("CI runs the concurrency tests on PostgreSQL: set DATABASE_URL=postgres://...")


@dataclass
class Attempt:
    value: Any = None
    error: BaseException | None = None


def at_once(*calls: Callable[[], Any]) -> list[Attempt]:
    barrier = threading.Barrier(len(calls))
    attempts = [Attempt() for _ in calls]

    def run(call: Callable[[], Any], attempt: Attempt) -> None:
        try:
            barrier.wait(timeout=10)
            attempt.value = call()
        except BaseException as error:  # the test thread reports it
            attempt.error = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=pair) for pair in zip(calls, attempts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return attempts


def test_dots_placed_at_once_never_exceed_what_a_member_has(personas, seated):
    p = personas
    round_ = services.open_prioritization(actor=p.coordinator, title="Spring", dots_per_member=3)
    needs = [
        services.record_need(
            author=p.police,
            title=f"Need {number}",
            sector=p.sector("law-enforcement"),
            visibility=Visibility.COMMITTEE,
        )
        for number in range(8)
    ]

    def place(need):
        return lambda: services.vote(actor=p.business, prioritization=round_, need=need)

    attempts = at_once(*(place(need) for need in needs))

    placed = [attempt for attempt in attempts if attempt.error is None]
    refused = [attempt for attempt in attempts if attempt.error is not None]
    assert len(placed) == 3
    assert all(isinstance(attempt.error, ValidationError) for attempt in refused)
    total = NeedVote.objects.filter(person=p.business).aggregate(dots=Sum("dots"))["dots"]
    assert total == 3


def test_two_proposals_approving_one_action_at_once_leave_one_approval(personas, seated):
    p = personas
    area = services.create_action_area(actor=p.coordinator, title="Area", visibility="committee")
    objective = services.create_objective(actor=p.coordinator, area=area, title="Objective")
    action = services.create_action(
        actor=p.coordinator, objective=objective, title="Van", visibility="committee"
    )
    first, second = agreed_proposal(p, "First"), agreed_proposal(p, "Second")

    attempts = at_once(
        lambda: services.approve_actions(actor=p.coordinator, proposal=first, actions=[action]),
        lambda: services.approve_actions(actor=p.coordinator, proposal=second, actions=[action]),
    )

    assert sorted(attempt.error is None for attempt in attempts) == [False, True]
    loser = next(attempt for attempt in attempts if attempt.error is not None)
    assert isinstance(loser.error, ValidationError)
    action = Action.objects.get(pk=action.pk)
    assert action.status == "approved"
    assert action.approved_by in (first, second)
