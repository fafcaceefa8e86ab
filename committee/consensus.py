"""How a consensus proposal ends: `decide` turns each seat's current stance and the committee's
rule into an `Outcome` (DESIGN.md, "Consensus"). Pure: no database, callers build the input.

- **Blocked** when any seat's current stance is block, whatever else is true.
- Otherwise **agreed** only when at least one seat answered, every sector that must answer has a
  seat that answered (reservations and stand aside are answers) and participation is not below
  the rule's minimum percent of seats.
- Otherwise **no consensus**; `missing_sectors` and `below_minimum` say why.

The sectors that must answer are those the rule names, or else every sector holding a seat. A
named sector without a seat is missing; `sector_names` gives its name. Observers hold no seat, so
they are not in the input; when an alternate answers, the caller passes the seat with that answer
(and the alternate as holder). Unknown stances raise ValueError. `Outcome.to_dict()` is plain
JSON, to be frozen when the proposal closes.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Self

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stance(models.TextChoices):
    AGREE = "agree", _("Agree")
    RESERVATIONS = "reservations", _("Agree with reservations")
    STAND_ASIDE = "stand_aside", _("Stand aside")
    BLOCK = "block", _("Block")


STANCES_NEEDING_A_REASON = frozenset({Stance.RESERVATIONS, Stance.BLOCK})


class Result(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    BLOCKED = "blocked", _("Blocked")
    NO_CONSENSUS = "no_consensus", _("No consensus")


@dataclass(frozen=True)
class SeatState:
    """One current seat and its current answer; `stance` None means it has not answered."""

    seat_id: int
    sector_id: int
    sector_name: str
    sector_position: int = 0
    holder: str | None = None  # None when the proposal is anonymous
    stance: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class Rule:
    sectors_that_must_answer: frozenset[int] | None = None  # None: every sector holding a seat
    minimum_participation: int = 0  # percent of seats

    def __post_init__(self) -> None:
        if not 0 <= self.minimum_participation <= 100:
            raise ValueError(f"minimum_participation {self.minimum_participation} is not a percent")


@dataclass(frozen=True)
class SectorTally:
    sector_id: int
    sector_name: str
    sector_position: int
    agree: int
    reservations: int
    stand_aside: int
    block: int
    not_answered: int

    @property
    def answered(self) -> int:
        return self.agree + self.reservations + self.stand_aside + self.block

    @property
    def seats(self) -> int:
        return self.answered + self.not_answered


@dataclass(frozen=True)
class Concern:
    """A block or a reservation, with who gave it and why."""

    seat_id: int
    sector_id: int
    sector_name: str
    holder: str | None
    reason: str


@dataclass(frozen=True)
class MissingSector:
    sector_id: int
    sector_name: str


@dataclass(frozen=True)
class Outcome:
    result: str
    blocks: tuple[Concern, ...]
    reservations: tuple[Concern, ...]
    missing_sectors: tuple[MissingSector, ...]
    answered_seats: int
    total_seats: int
    minimum_participation: int
    tallies: tuple[SectorTally, ...]

    @property
    def below_minimum(self) -> bool:
        return self.answered_seats * 100 < self.minimum_participation * self.total_seats

    @property
    def participation_percent(self) -> int:
        return self.answered_seats * 100 // self.total_seats if self.total_seats else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": Result(self.result).value,
            "blocks": [asdict(concern) for concern in self.blocks],
            "reservations": [asdict(concern) for concern in self.reservations],
            "missing_sectors": [asdict(sector) for sector in self.missing_sectors],
            "answered_seats": self.answered_seats,
            "total_seats": self.total_seats,
            "minimum_participation": self.minimum_participation,
            "tallies": [asdict(tally) for tally in self.tallies],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            result=Result(data["result"]),
            blocks=tuple(Concern(**concern) for concern in data["blocks"]),
            reservations=tuple(Concern(**concern) for concern in data["reservations"]),
            missing_sectors=tuple(MissingSector(**sector) for sector in data["missing_sectors"]),
            answered_seats=data["answered_seats"],
            total_seats=data["total_seats"],
            minimum_participation=data["minimum_participation"],
            tallies=tuple(SectorTally(**tally) for tally in data["tallies"]),
        )


EVERY_SEATED_SECTOR_MUST_ANSWER = Rule()


def decide(
    seats: Iterable[SeatState],
    rule: Rule = EVERY_SEATED_SECTOR_MUST_ANSWER,
    *,
    sector_names: Mapping[int, str] | None = None,
) -> Outcome:
    seats = tuple(seats)
    stances = {seat.seat_id: _stance_of(seat) for seat in seats}
    if len(stances) != len(seats):
        raise ValueError("A seat appears more than once.")
    tallies = _tallies(seats, stances)
    sector_order = {tally.sector_id: index for index, tally in enumerate(tallies)}

    def concerns(stance: Stance) -> tuple[Concern, ...]:
        given = [seat for seat in seats if stances[seat.seat_id] == stance]
        given.sort(key=lambda seat: (sector_order[seat.sector_id], seat.seat_id))
        return tuple(
            Concern(seat.seat_id, seat.sector_id, seat.sector_name, seat.holder, seat.reason)
            for seat in given
        )

    outcome = Outcome(
        result=Result.NO_CONSENSUS,
        blocks=concerns(Stance.BLOCK),
        reservations=concerns(Stance.RESERVATIONS),
        missing_sectors=_missing_sectors(tallies, rule, sector_names or {}),
        answered_seats=sum(tally.answered for tally in tallies),
        total_seats=len(seats),
        minimum_participation=rule.minimum_participation,
        tallies=tallies,
    )
    if outcome.blocks:
        return replace(outcome, result=Result.BLOCKED)
    if outcome.answered_seats and not outcome.missing_sectors and not outcome.below_minimum:
        return replace(outcome, result=Result.AGREED)
    return outcome


def _stance_of(seat: SeatState) -> Stance | None:
    return None if seat.stance is None else Stance(seat.stance)


def _tallies(
    seats: tuple[SeatState, ...], stances: Mapping[int, Stance | None]
) -> tuple[SectorTally, ...]:
    first_seat_of_sector: dict[int, SeatState] = {}
    counts: defaultdict[int, Counter[Stance | None]] = defaultdict(Counter)
    for seat in seats:
        first_seat_of_sector.setdefault(seat.sector_id, seat)
        counts[seat.sector_id][stances[seat.seat_id]] += 1
    tallies = [
        SectorTally(
            sector_id=sector_id,
            sector_name=first_seat_of_sector[sector_id].sector_name,
            sector_position=first_seat_of_sector[sector_id].sector_position,
            agree=count[Stance.AGREE],
            reservations=count[Stance.RESERVATIONS],
            stand_aside=count[Stance.STAND_ASIDE],
            block=count[Stance.BLOCK],
            not_answered=count[None],
        )
        for sector_id, count in counts.items()
    ]
    tallies.sort(key=lambda tally: (tally.sector_position, tally.sector_name, tally.sector_id))
    return tuple(tallies)


def _missing_sectors(
    tallies: tuple[SectorTally, ...], rule: Rule, sector_names: Mapping[int, str]
) -> tuple[MissingSector, ...]:
    """Seated sectors in tally order, then sectors without a seat (no position) by name."""
    seated = {tally.sector_id for tally in tallies}
    must_answer = rule.sectors_that_must_answer
    if must_answer is None:
        must_answer = frozenset(seated)
    silent = [
        MissingSector(tally.sector_id, tally.sector_name)
        for tally in tallies
        if tally.sector_id in must_answer and not tally.answered
    ]
    unseated = [
        MissingSector(sector_id, sector_names.get(sector_id, ""))
        for sector_id in must_answer - seated
    ]
    unseated.sort(key=lambda sector: (sector.sector_name, sector.sector_id))
    return tuple(silent + unseated)
