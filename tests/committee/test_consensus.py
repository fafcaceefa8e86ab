"""The outcome of a consensus proposal, decided from each seat's current stance and the
committee's rule: no database, one table of situations and what the committee should see."""

import json
from collections.abc import Callable
from dataclasses import replace

import pytest

from committee.consensus import (
    Concern,
    MissingSector,
    Outcome,
    Result,
    Rule,
    SeatState,
    SectorTally,
    Stance,
    decide,
)

EXPERIENTIAL, POLICE, HEALTH, RESIDENTS, BUSINESS = 1, 2, 3, 4, 5
SECTOR_NAMES = {
    EXPERIENTIAL: "Current and former sex workers",
    POLICE: "Law enforcement",
    HEALTH: "Health",
    RESIDENTS: "Residents",
    BUSINESS: "Business",
}
# Sector order is deliberately neither by id nor by name.
SECTOR_POSITIONS = {EXPERIENTIAL: 0, POLICE: 1, HEALTH: 2, RESIDENTS: 3, BUSINESS: 4}
HOLDERS = {1: "Jade", 2: "Alex", 3: "Omar", 4: "Maria", 5: "Marguerite"}
AGREE, RESERVATIONS, STAND_ASIDE, BLOCK = (
    Stance.AGREE,
    Stance.RESERVATIONS,
    Stance.STAND_ASIDE,
    Stance.BLOCK,
)


def seat(
    seat_id: int,
    sector_id: int,
    stance: str | None = None,
    reason: str = "",
    holder: str | None = None,
) -> SeatState:
    return SeatState(
        seat_id=seat_id,
        sector_id=sector_id,
        sector_name=SECTOR_NAMES[sector_id],
        sector_position=SECTOR_POSITIONS[sector_id],
        holder=holder or HOLDERS[seat_id],
        stance=stance,
        reason=reason,
    )


def committee(
    experiential: str | None = AGREE, police: str | None = AGREE, health: str | None = AGREE
) -> list[SeatState]:
    """One seat per sector: Jade (experiential), Alex (police), Omar (health)."""
    return [seat(1, EXPERIENTIAL, experiential), seat(2, POLICE, police), seat(3, HEALTH, health)]


def missing(*sector_ids: int) -> tuple[MissingSector, ...]:
    return tuple(MissingSector(sector_id, SECTOR_NAMES[sector_id]) for sector_id in sector_ids)


@pytest.mark.parametrize(
    "seats, rule, result, missing_sectors, below_minimum",
    [
        pytest.param(committee(), Rule(), Result.AGREED, (), False,
                     id="no block and every sector answered: agreed"),
        pytest.param(committee(police=BLOCK), Rule(), Result.BLOCKED, (), False,
                     id="one block blocks even when everyone else agrees"),
        pytest.param(committee(health=STAND_ASIDE), Rule(), Result.AGREED, (), False,
                     id="a sector whose only answer is stand aside has answered"),
        pytest.param(committee(police=RESERVATIONS), Rule(), Result.AGREED, (), False,
                     id="reservations are an answer"),
        pytest.param(committee(health=None), Rule(), Result.NO_CONSENSUS, missing(HEALTH), False,
                     id="a seated sector that has not answered leaves no consensus"),
        pytest.param(committee(police=None, health=None), Rule(), Result.NO_CONSENSUS,
                     missing(POLICE, HEALTH), False,
                     id="missing sectors are listed in sector order"),
        pytest.param([*committee(), seat(4, POLICE)], Rule(), Result.AGREED, (), False,
                     id="a sector with two seats has answered when one of them did"),
        pytest.param(committee(), Rule(minimum_participation=100), Result.AGREED, (), False,
                     id="observers hold no seat, so a full committee is full without them"),
        pytest.param(committee(health=None), Rule(frozenset({EXPERIENTIAL, POLICE})),
                     Result.AGREED, (), False,
                     id="sectors the rule does not name may stay silent"),
        pytest.param(committee(), Rule(frozenset({EXPERIENTIAL, RESIDENTS})),
                     Result.NO_CONSENSUS, missing(RESIDENTS), False,
                     id="a named sector without a seat is missing, by name"),
        pytest.param(committee(health=None), Rule(frozenset({HEALTH, RESIDENTS, BUSINESS})),
                     Result.NO_CONSENSUS, missing(HEALTH, BUSINESS, RESIDENTS), False,
                     id="missing sectors without a seat follow the seated ones, by name"),
        pytest.param([*committee(), seat(4, POLICE)], Rule(minimum_participation=76),
                     Result.NO_CONSENSUS, (), True,
                     id="three of four seats is below a 76 percent minimum: no consensus"),
        pytest.param([*committee(), seat(4, POLICE)], Rule(minimum_participation=75),
                     Result.AGREED, (), False,
                     id="three of four seats is exactly a 75 percent minimum: agreed"),
        pytest.param([], Rule(), Result.NO_CONSENSUS, (), False,
                     id="no seats: no consensus"),
        pytest.param(committee(None, None, None), Rule(frozenset()), Result.NO_CONSENSUS,
                     (), False,
                     id="nobody answered: no consensus even when no sector must"),
        pytest.param(committee(police=BLOCK, health=None), Rule(), Result.BLOCKED,
                     missing(HEALTH), False,
                     id="a block wins over a missing sector"),
        pytest.param([*committee(police=BLOCK), seat(4, POLICE), seat(5, HEALTH)],
                     Rule(minimum_participation=100), Result.BLOCKED, (), True,
                     id="a block wins over participation below the minimum"),
    ],
)  # fmt: skip
def test_the_outcome_follows_the_rule(
    seats: list[SeatState],
    rule: Rule,
    result: Result,
    missing_sectors: tuple[MissingSector, ...],
    below_minimum: bool,
) -> None:
    outcome = decide(seats, rule, sector_names=SECTOR_NAMES)
    assert outcome.result == result
    assert outcome.missing_sectors == missing_sectors
    assert outcome.below_minimum is below_minimum


def test_a_missing_sector_without_a_seat_or_a_given_name_is_named_by_id_only() -> None:
    outcome = decide(committee(), Rule(frozenset({RESIDENTS})))
    assert outcome.missing_sectors == (MissingSector(RESIDENTS, ""),)


def test_blocks_are_listed_with_sector_holder_and_reason_in_sector_order() -> None:
    seats = committee(health=BLOCK, police=BLOCK)
    seats[1] = replace(seats[1], reason="Street checks are not ours to decide.")
    seats[2] = replace(seats[2], reason="No budget for the clinic hours.")
    assert decide(seats).blocks == (
        Concern(2, POLICE, "Law enforcement", "Alex", "Street checks are not ours to decide."),
        Concern(3, HEALTH, "Health", "Omar", "No budget for the clinic hours."),
    )


def test_reservations_are_listed_with_their_reason_and_do_not_stop_agreement() -> None:
    seats = committee(experiential=RESERVATIONS)
    seats[0] = replace(seats[0], reason="Only if peers are paid for their time.")
    outcome = decide(seats)
    assert outcome.result == Result.AGREED
    assert outcome.reservations == (
        Concern(
            1,
            EXPERIENTIAL,
            "Current and former sex workers",
            "Jade",
            "Only if peers are paid for their time.",
        ),
    )
    assert outcome.blocks == ()


@pytest.mark.parametrize(
    "alternate_stance, result, blocked_by",
    [
        pytest.param(AGREE, Result.AGREED, [], id="an alternate agreeing answers for the sector"),
        pytest.param(BLOCK, Result.BLOCKED, ["Rosa"], id="an alternate blocking blocks"),
    ],
)
def test_an_alternates_answer_counts_for_the_seat(
    alternate_stance: str, result: Result, blocked_by: list[str]
) -> None:
    answered_by_alternate = seat(
        3, HEALTH, alternate_stance, reason="Clinic staff were not asked.", holder="Rosa"
    )
    outcome = decide([*committee()[:2], answered_by_alternate])
    assert outcome.result == result
    assert outcome.answered_seats == 3
    assert [concern.holder for concern in outcome.blocks] == blocked_by


def test_tallies_count_each_stance_per_sector_in_sector_order() -> None:
    seats = [
        seat(5, HEALTH, STAND_ASIDE),
        seat(3, HEALTH),
        seat(2, POLICE, BLOCK, reason="No."),
        seat(4, POLICE, RESERVATIONS, reason="Later."),
        seat(1, EXPERIENTIAL, AGREE),
    ]
    outcome = decide(seats)
    assert outcome.tallies == (
        SectorTally(EXPERIENTIAL, "Current and former sex workers", 0, 1, 0, 0, 0, 0),
        SectorTally(POLICE, "Law enforcement", 1, 0, 1, 0, 1, 0),
        SectorTally(HEALTH, "Health", 2, 0, 0, 1, 0, 1),
    )
    assert [(tally.answered, tally.seats) for tally in outcome.tallies] == [(1, 1), (2, 2), (1, 2)]
    assert (outcome.answered_seats, outcome.total_seats) == (4, 5)
    assert outcome.participation_percent == 80


def test_sectors_at_the_same_position_are_tallied_by_name() -> None:
    seats = [replace(seat_state, sector_position=0) for seat_state in committee()]
    assert [tally.sector_name for tally in decide(seats).tallies] == [
        "Current and former sex workers",
        "Health",
        "Law enforcement",
    ]


@pytest.mark.parametrize(
    "answered, total, percent",
    [
        pytest.param(2, 3, 66, id="participation is rounded down"),
        pytest.param(0, 0, 0, id="participation without seats is zero"),
    ],
)
def test_participation_percent(answered: int, total: int, percent: int) -> None:
    seats = [seat(i, EXPERIENTIAL, AGREE if i <= answered else None) for i in range(1, total + 1)]
    assert decide(seats).participation_percent == percent


def only_plain_json(value: object) -> bool:
    if isinstance(value, dict):
        return all(type(key) is str and only_plain_json(item) for key, item in value.items())
    if isinstance(value, list):
        return all(only_plain_json(item) for item in value)
    return value is None or type(value) in (str, int)


@pytest.mark.parametrize(
    "seats, rule",
    [
        pytest.param(committee(), Rule(), id="agreed"),
        pytest.param(
            [
                seat(1, EXPERIENTIAL, BLOCK, reason="Unsafe."),
                seat(2, POLICE, RESERVATIONS, reason="Costs."),
                seat(4, POLICE),
            ],
            Rule(frozenset({EXPERIENTIAL, HEALTH, RESIDENTS}), minimum_participation=90),
            id="blocked with reservations, missing sectors and low participation",
        ),
        pytest.param([], Rule(minimum_participation=50), id="no seats"),
    ],
)
def test_an_outcome_survives_freezing_as_json(seats: list[SeatState], rule: Rule) -> None:
    outcome = decide(seats, rule, sector_names={HEALTH: "Health"})
    frozen = outcome.to_dict()
    assert only_plain_json(frozen)
    assert Outcome.from_dict(json.loads(json.dumps(frozen))) == outcome


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous", "named"])
def test_an_anonymous_outcome_names_nobody_but_still_shows_sectors(anonymous: bool) -> None:
    seats = [
        seat(1, EXPERIENTIAL, RESERVATIONS, reason="Pay peers."),
        seat(2, POLICE, BLOCK, reason="Not our call."),
        seat(3, HEALTH, AGREE, holder="Rosa"),  # an alternate
    ]
    if anonymous:
        seats = [replace(seat_state, holder=None) for seat_state in seats]
    frozen = json.dumps(decide(seats).to_dict())
    assert any(name in frozen for name in ["Jade", "Alex", "Rosa"]) is not anonymous
    assert all(seat_state.sector_name in frozen for seat_state in seats)


@pytest.mark.parametrize(
    "make_input",
    [
        pytest.param(lambda: decide([seat(1, HEALTH, "maybe")]), id="an unknown stance"),
        pytest.param(lambda: decide([seat(1, HEALTH, "AGREE")]), id="a stance name, not value"),
        pytest.param(lambda: decide([seat(1, HEALTH, "")]), id="an empty stance is not silence"),
        pytest.param(
            lambda: decide([seat(1, HEALTH, AGREE), seat(1, HEALTH, BLOCK)]),
            id="the same seat twice",
        ),
        pytest.param(lambda: Rule(minimum_participation=101), id="a minimum above 100 percent"),
        pytest.param(lambda: Rule(minimum_participation=-1), id="a negative minimum"),
    ],
)
def test_bad_input_raises_value_error(make_input: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        make_input()
