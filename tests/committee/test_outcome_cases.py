"""The issue's table of outcomes, played through the real services on the personas' committee
(a seat per sector, an alternate on the police seat, an observer who holds none): each case is
positions given as members would give them, then the live outcome and the one frozen at close.
`test_consensus.py` covers the same rules on the pure function, with more edge cases."""

import pytest
from django.core.exceptions import ValidationError

from committee import selectors, services
from committee.models import Proposal
from tests.conftest import make_proposal

SEATED = ["experiential", "police", "resident", "business", "health", "coordinator"]
REASON = "We were not asked."


def everyone_agrees_but(**changes: str | None) -> dict[str, str | None]:
    """Who answers what: every seat holder agrees, except as `changes` says (None: silent)."""
    answers: dict[str, str | None] = dict.fromkeys(SEATED, "agree")
    answers.update(changes)
    return answers


CASES = [
    pytest.param(everyone_agrees_but(), {}, "agreed", [], [], id="no block, all sectors: agreed"),
    pytest.param(
        everyone_agrees_but(police="block"),
        {},
        "blocked",
        [],
        ["Law enforcement"],
        id="one block blocks even with everyone else agreeing",
    ),
    pytest.param(
        everyone_agrees_but(health="stand_aside", resident="reservations"),
        {},
        "agreed",
        [],
        [],
        id="stand aside and reservations are answers",
    ),
    pytest.param(
        everyone_agrees_but(observer="agree"),
        {},
        "agreed",
        [],
        [],
        id="the observer's absence does not matter (and they cannot answer)",
    ),
    pytest.param(
        everyone_agrees_but(police=None, police_colleague="agree"),
        {},
        "agreed",
        [],
        [],
        id="the alternate's answer counts for the seat",
    ),
    pytest.param(
        everyone_agrees_but(police=None, police_colleague="block"),
        {},
        "blocked",
        [],
        ["Law enforcement"],
        id="the alternate's block blocks for the seat",
    ),
    pytest.param(
        everyone_agrees_but(business=None),
        {},
        "no_consensus",
        ["Business"],
        [],
        id="a missing sector leaves no consensus, naming it",
    ),
    pytest.param(
        {"experiential": "agree", "health": "agree"},
        {"must_answer": ["experiential"], "minimum": 50},
        "no_consensus",
        [],
        [],
        id="below the minimum participation: no consensus",
    ),
    pytest.param(
        {"experiential": "agree", "health": "agree", "business": "stand_aside"},
        {"must_answer": ["experiential"], "minimum": 50},
        "agreed",
        [],
        [],
        id="at the minimum participation, the named sector answered: agreed",
    ),
]


@pytest.mark.parametrize("answers, rule, result, missing, blocked_by", CASES)
def test_the_outcome_of_each_case_live_and_frozen(
    personas, seated, answers, rule, result, missing, blocked_by
):
    p = personas
    if rule:
        services.update_committee(
            actor=p.coordinator,
            committee=seated.committee,
            name=seated.committee.name,
            terms_of_reference="",
            sectors_that_must_answer=[p.sector(key) for key in rule["must_answer"]],
            minimum_participation=rule["minimum"],
        )
    proposal = make_proposal(p.coordinator, status="decision")
    for who, stance in answers.items():
        if stance is None:
            continue
        person = seated.observer if who == "observer" else getattr(p, who)
        reason = REASON if stance in {"block", "reservations"} else ""
        if who == "observer":
            with pytest.raises(ValidationError, match="hold a seat"):
                services.cast_position(person=person, proposal=proposal, stance=stance)
            continue
        services.cast_position(person=person, proposal=proposal, stance=stance, reason=reason)

    live = selectors.outcome_of(proposal)
    services.close_proposal(actor=p.coordinator, proposal=proposal, statement="As decided.")
    frozen = selectors.outcome_of(Proposal.objects.get(pk=proposal.pk))

    for outcome in (live, frozen):
        assert outcome.result == result
        assert [sector.sector_name for sector in outcome.missing_sectors] == missing
        assert [concern.sector_name for concern in outcome.blocks] == blocked_by
        assert all(concern.reason == REASON for concern in outcome.blocks)
    assert Proposal.objects.get(pk=proposal.pk).outcome_statement == "As decided."
