"""Positions and closing under real concurrency, on PostgreSQL: many members answering at the
same moment, one seat answered twice at once, and a close racing a position. Each thread talks
to the database through its own connection, and all of them are released together by a
barrier, so the services' row locks are what keeps the records right.

SQLite has no row locks to test, so this module is skipped there, except in CI where it must run
on PostgreSQL and fails instead."""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from committee import selectors, services
from committee.consensus import Stance
from committee.models import Position, Proposal, ProposalStatus
from stakeholders.models import Sector, Visibility
from tests.conftest import IN_CI, make_person

ON_POSTGRESQL = connection.vendor == "postgresql"
RACES = 20

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRESQL and not IN_CI,
        reason="Concurrency is tested on PostgreSQL: set DATABASE_URL=postgres://...",
    ),
    # Transactional: every thread sees what the others committed. Serialized rollback puts back
    # what the data migrations load (sector templates), which the flush after each test removes.
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

    @property
    def succeeded(self) -> bool:
        return self.error is None


def at_once(*calls: Callable[[], Any]) -> list[Attempt]:
    """Run each call in its own thread with its own connection, all released together; return
    what each returned or raised, in the order given."""
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
        threading.Thread(target=run, args=(call, attempt))
        for call, attempt in zip(calls, attempts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return attempts


def open_proposal(author) -> Proposal:
    proposal = services.create_proposal(
        author=author,
        title="Late-night drop-in",
        body="Open until 4 a.m.",
        visibility=Visibility.COMMITTEE,
    )
    return services.open_for_positions(
        actor=author, proposal=proposal, closes_at=timezone.now() + timedelta(hours=1)
    )


def cast(person, proposal, stance=Stance.AGREE, reason="") -> Callable[[], Position]:
    return lambda: services.cast_position(
        person=person, proposal=proposal, stance=stance, reason=reason
    )


def assert_refused(attempt: Attempt, message: str) -> None:
    """A refusal is a ValidationError with a message for the member; never a database error."""
    assert isinstance(attempt.error, ValidationError), repr(attempt.error)
    assert message in " ".join(attempt.error.messages)


def test_fifty_members_answering_at_the_same_moment_are_each_recorded_once(personas, seated):
    p = personas
    sectors = list(Sector.objects.filter(community=p.community).order_by("position"))
    members = []
    for number in range(50):
        sector = sectors[number % len(sectors)]
        member = make_person(p.community, f"member{number:02}", sector_keys=(sector.key,))
        services.create_seat(actor=None, committee=seated.committee, sector=sector, primary=member)
        members.append(member)
    proposal = open_proposal(p.coordinator)
    stances = [Stance.AGREE, Stance.RESERVATIONS, Stance.STAND_ASIDE, Stance.BLOCK]
    stance_of = {member.pk: stances[number % 4] for number, member in enumerate(members)}

    attempts = at_once(
        *(cast(member, proposal, stance_of[member.pk], "Because") for member in members)
    )

    assert [attempt.error for attempt in attempts if not attempt.succeeded] == []
    positions = Position.objects.filter(proposal=proposal)
    assert positions.count() == 50
    assert positions.filter(is_current=True).count() == 50
    assert sorted(positions.values_list("given_by", flat=True)) == sorted(stance_of)
    assert positions.values("seat").distinct().count() == 50
    outcome = selectors.outcome_of(Proposal.objects.get(pk=proposal.pk))
    assert outcome.total_seats == 50 + len(seated.seats)
    assert outcome.answered_seats == 50
    for stance in stances:
        counted = sum(getattr(tally, stance) for tally in outcome.tallies)
        assert counted == list(stance_of.values()).count(stance), stance
    assert len(outcome.blocks) == list(stance_of.values()).count(Stance.BLOCK)
    per_sector = {tally.sector_id: tally for tally in outcome.tallies}
    for number, sector in enumerate(sectors):
        given = sum(1 for n in range(50) if n % len(sectors) == number)
        assert per_sector[sector.pk].answered == given, sector.key


def test_the_primary_and_the_alternate_answering_at_once_leave_one_current_position(
    personas, seated
):
    p = personas
    seat = seated.seats["law-enforcement"]
    for _ in range(RACES):
        proposal = open_proposal(p.coordinator)
        by_primary, by_alternate = at_once(
            cast(p.police, proposal, Stance.AGREE),
            cast(p.police_colleague, proposal, Stance.BLOCK, "Not without training"),
        )

        assert by_primary.succeeded, repr(by_primary.error)
        [current] = Position.objects.filter(proposal=proposal, seat=seat, is_current=True)
        assert current.pk == by_primary.value.pk
        assert current.given_by == p.police
        if by_alternate.succeeded:  # the alternate was first; the primary's answer replaced it
            earlier = Position.objects.get(pk=by_alternate.value.pk)
            assert (earlier.is_current, earlier.given_by) == (False, p.police_colleague)
            assert earlier.replaced_at is not None
            assert Position.objects.filter(proposal=proposal).count() == 2
        else:
            assert_refused(by_alternate, "has already answered for your seat")
            assert Position.objects.filter(proposal=proposal).count() == 1


def browser(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def api_client(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(person.user)
    return client


@pytest.mark.parametrize(
    "primary_way, alternate_way",
    [("page", "api"), ("api", "htmx"), ("htmx", "page")],
)
def test_primary_and_alternate_at_once_on_pages_or_the_api_never_get_an_error_page(
    personas, seated, primary_way, alternate_way
):
    """The same race through the pages (with and without HTMX) and the API: each answer is
    saved or refused with a message the member can read; never an error page, and never two
    current positions for the seat."""
    p = personas
    seat = seated.seats["law-enforcement"]
    primary, alternate = browser(p.police), browser(p.police_colleague)
    primary_api, alternate_api = api_client(p.police), api_client(p.police_colleague)

    def answer(way, client, api, proposal, data):
        page = f"/c/riverside/proposals/{proposal.pk}/position/"
        if way == "api":
            return lambda: api.post(f"/api/v1/proposals/{proposal.pk}/positions/", data)
        headers = {"HX-Request": "true"} if way == "htmx" else {}
        return lambda: client.post(page, data, headers=headers)

    for _ in range(RACES // 2):
        proposal = open_proposal(p.coordinator)
        by_primary, by_alternate = at_once(
            answer(primary_way, primary, primary_api, proposal, {"stance": "agree"}),
            answer(
                alternate_way,
                alternate,
                alternate_api,
                proposal,
                {"stance": "block", "reason": "Not without training"},
            ),
        )

        assert by_primary.succeeded and by_alternate.succeeded, (by_primary, by_alternate)
        saved = {"page": 302, "htmx": 200, "api": 201}
        assert by_primary.value.status_code == saved[primary_way]
        [current] = Position.objects.filter(proposal=proposal, seat=seat, is_current=True)
        assert current.given_by == p.police
        answer_of_alternate = by_alternate.value
        body = answer_of_alternate.content.decode()
        if Position.objects.filter(proposal=proposal, given_by=p.police_colleague).exists():
            assert answer_of_alternate.status_code == saved[alternate_way]
            assert Position.objects.filter(proposal=proposal).count() == 2
        else:
            expected = 400 if alternate_way == "api" else 200
            assert answer_of_alternate.status_code == expected, body[:500]
            assert "has already answered for your seat" in body
            assert Position.objects.filter(proposal=proposal).count() == 1


def test_the_primary_answering_twice_at_once_keeps_one_current_and_one_in_history(personas, seated):
    p = personas
    seat = seated.seats["law-enforcement"]
    for _ in range(RACES):
        proposal = open_proposal(p.coordinator)
        agree, block = at_once(
            cast(p.police, proposal, Stance.AGREE),
            cast(p.police, proposal, Stance.BLOCK, "Not without training"),
        )

        assert (agree.error, block.error) == (None, None)
        positions = list(Position.objects.filter(proposal=proposal, seat=seat).order_by("pk"))
        assert len(positions) == 2
        first, last = positions
        assert (first.is_current, last.is_current) == (False, True)
        assert first.replaced_at is not None
        assert {first.stance, last.stance} == {Stance.AGREE, Stance.BLOCK}


def test_a_position_racing_the_close_is_either_counted_or_refused(personas, seated):
    p = personas
    seat = seated.seats["law-enforcement"]
    for _ in range(RACES):
        proposal = open_proposal(p.coordinator)
        services.cast_position(person=p.health, proposal=proposal, stance=Stance.AGREE)
        closing, position = at_once(
            lambda proposal=proposal: services.close_proposal(
                actor=p.coordinator, proposal=proposal
            ),
            cast(p.police, proposal, Stance.BLOCK, "Not without training"),
        )

        assert closing.succeeded, repr(closing.error)
        closed = Proposal.objects.get(pk=proposal.pk)
        assert closed.status == ProposalStatus.CLOSED
        police = next(t for t in closed.outcome["tallies"] if t["sector_id"] == seat.sector_id)
        current = Position.objects.filter(proposal=proposal, is_current=True)
        if position.succeeded:
            assert position.value.given_at <= closed.closed_at
            assert police["block"] == 1
            assert closed.outcome["answered_seats"] == 2
            assert [block["seat_id"] for block in closed.outcome["blocks"]] == [seat.pk]
            assert closed.result == "blocked"
        else:
            assert_refused(position, "not open for positions")
            assert police["not_answered"] == 1
            assert closed.outcome["answered_seats"] == 1
            assert closed.result == "no_consensus"
        # Whatever the order, no current position is missing from the frozen outcome.
        assert closed.outcome["answered_seats"] == current.count()
        assert not current.filter(given_at__gt=closed.closed_at).exists()


@pytest.mark.parametrize("way", ["page", "api"])
def test_a_position_racing_the_close_through_the_page_or_the_api_is_counted_or_told_why(
    personas, seated, way
):
    """The close races a member answering in the browser or the API: the answer is saved and
    counted in the frozen outcome, or refused with the reason; never an error page."""
    p = personas
    seat = seated.seats["law-enforcement"]
    client = browser(p.police) if way == "page" else api_client(p.police)
    for _ in range(RACES // 2):
        proposal = open_proposal(p.coordinator)
        url = (
            f"/c/riverside/proposals/{proposal.pk}/position/"
            if way == "page"
            else f"/api/v1/proposals/{proposal.pk}/positions/"
        )
        closing, answering = at_once(
            lambda proposal=proposal: services.close_proposal(
                actor=p.coordinator, proposal=proposal
            ),
            lambda url=url: client.post(url, {"stance": "block", "reason": "Not yet"}),
        )

        assert closing.succeeded and answering.succeeded, (closing, answering)
        closed = Proposal.objects.get(pk=proposal.pk)
        police = next(t for t in closed.outcome["tallies"] if t["sector_id"] == seat.sector_id)
        response = answering.value
        if Position.objects.filter(proposal=proposal, seat=seat).exists():
            assert response.status_code == (302 if way == "page" else 201)
            assert (police["block"], closed.result) == (1, "blocked")
        else:
            assert response.status_code == (200 if way == "page" else 400)
            assert "not open for positions" in response.content.decode()
            assert police["not_answered"] == 1


def test_two_agreed_charter_changes_closing_at_once_apply_one_and_leave_the_other(personas, seated):
    """Two changes written against the same version close at the same moment, again and again:
    whichever closes first becomes the next version, and the other closes agreed but changes
    nothing (its base is outdated), never two versions of one number nor an error."""
    from tests.committee.test_charter_and_agreement import charter_change, open_it

    p = personas
    seats = (p.experiential, p.police, p.resident, p.business, p.health, p.coordinator)
    for race in range(5):
        changes = [
            open_it(charter_change(p.coordinator, objective_text=f"{race}: {side}"), p.coordinator)
            for side in ("one", "other")
        ]
        for proposal in changes:
            for person in seats:
                services.cast_position(person=person, proposal=proposal, stance=Stance.AGREE)

        attempts = at_once(
            *[
                lambda proposal=proposal: services.close_proposal(
                    actor=p.coordinator, proposal=proposal
                )
                for proposal in changes
            ]
        )

        assert all(attempt.succeeded for attempt in attempts), [a.error for a in attempts]
        charter = selectors.current_charter(p.community)
        assert charter.number == race + 2 and charter.proposal_id in {c.pk for c in changes}
        [outdated] = [c for c in changes if c.pk != charter.proposal_id]
        assert selectors.amendment_view(Proposal.objects.get(pk=outdated.pk)).is_outdated
