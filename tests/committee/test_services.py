"""The committee's rules, enforced by its services whoever calls them (pages, API, tasks): who
moves a proposal along and when, who gives a position and how, what the outcome says live and
once frozen, revisions, hidden names, the discussion, seats and roles, the deadline sweep, and
the audit trail each of them leaves."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from committee import selectors, services
from committee.consensus import Result, Stance
from committee.models import (
    Comment,
    CommentRevision,
    CommitteeMember,
    CommitteeRole,
    Position,
    Proposal,
    ProposalStatus,
    Seat,
)
from stakeholders.models import AuditEntry, Visibility
from tests.conftest import make_organization, make_person
from tests.workplans.conftest import community_today

IN_A_DAY = timedelta(days=1)
SECTORS_SEATED = {
    "experiential",
    "law-enforcement",
    "residents",
    "business",
    "health",
    "sex-worker-services",
}


# --- helpers -----------------------------------------------------------------------------------


def draft(author, *, visibility=Visibility.COMMITTEE, sectors=(), anonymous=False) -> Proposal:
    return services.create_proposal(
        author=author,
        title="A late-night drop-in",
        body="Open the drop-in **until 4 a.m.**",
        visibility=visibility,
        sectors=sectors,
        anonymous=anonymous,
    )


def in_discussion(author, **options) -> Proposal:
    return services.start_discussion(actor=author, proposal=draft(author, **options))


def opened(author, **options) -> Proposal:
    return services.open_for_positions(
        actor=author, proposal=in_discussion(author, **options), closes_at=timezone.now() + IN_A_DAY
    )


def reloaded(proposal: Proposal) -> Proposal:
    return Proposal.objects.get(pk=proposal.pk)


def everyone_seated(personas) -> list:
    p = personas
    return [p.experiential, p.police, p.resident, p.business, p.health, p.coordinator]


def closed_blocked(personas) -> Proposal:
    """Closed with the police seat blocking and everyone else agreeing."""
    proposal = opened(personas.coordinator)
    for person in everyone_seated(personas):
        if person == personas.police:
            services.cast_position(
                person=person, proposal=proposal, stance=Stance.BLOCK, reason="Not without training"
            )
        else:
            services.cast_position(person=person, proposal=proposal, stance=Stance.AGREE)
    return services.close_proposal(actor=personas.coordinator, proposal=proposal)


def current_positions(proposal: Proposal, version: int | None = None):
    return Position.objects.filter(
        proposal=proposal, version=version or proposal.version, is_current=True
    )


def audits(action: str, target) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, target_id=str(target.pk)))


# --- lifecycle ---------------------------------------------------------------------------------


def test_the_author_moves_a_proposal_from_draft_through_discussion_and_decision_to_closed(
    personas, seated
):
    author = personas.experiential
    proposal = draft(author)
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.version == 1

    proposal = services.start_discussion(actor=author, proposal=proposal)
    assert reloaded(proposal).status == ProposalStatus.DISCUSSION

    closes_at = timezone.now() + IN_A_DAY
    proposal = services.open_for_positions(actor=author, proposal=proposal, closes_at=closes_at)
    stored = reloaded(proposal)
    assert stored.status == ProposalStatus.DECISION
    assert stored.closes_at == closes_at
    assert stored.opened_at is not None

    proposal = services.close_proposal(actor=author, proposal=proposal)
    stored = reloaded(proposal)
    assert stored.status == ProposalStatus.CLOSED
    assert stored.closed_at is not None
    assert stored.result == Result.NO_CONSENSUS
    assert stored.outcome["result"] == Result.NO_CONSENSUS


def test_a_coordinator_moves_someone_elses_proposal(personas, seated):
    proposal = draft(personas.experiential)
    services.start_discussion(actor=personas.coordinator, proposal=proposal)
    services.open_for_positions(
        actor=personas.coordinator, proposal=proposal, closes_at=timezone.now() + IN_A_DAY
    )
    services.close_proposal(actor=personas.coordinator, proposal=proposal)
    assert reloaded(proposal).status == ProposalStatus.CLOSED


MOVES = {
    "start discussion": (
        "draft",
        lambda actor, proposal: services.start_discussion(actor=actor, proposal=proposal),
    ),
    "open for positions": (
        "discussion",
        lambda actor, proposal: services.open_for_positions(
            actor=actor, proposal=proposal, closes_at=timezone.now() + IN_A_DAY
        ),
    ),
    "close": (
        "decision",
        lambda actor, proposal: services.close_proposal(actor=actor, proposal=proposal),
    ),
    "withdraw": (
        "discussion",
        lambda actor, proposal: services.withdraw_proposal(actor=actor, proposal=proposal),
    ),
    "edit": (
        "discussion",
        lambda actor, proposal: services.update_proposal(
            actor=actor, proposal=proposal, title="Changed", body="Changed"
        ),
    ),
}
START = {"draft": draft, "discussion": in_discussion, "decision": opened}


@pytest.mark.parametrize("move", MOVES)
def test_a_member_who_is_not_the_author_cannot_move_the_proposal_and_nothing_changes(
    personas, seated, move
):
    starting_status, do = MOVES[move]
    proposal = START[starting_status](personas.experiential)
    before = reloaded(proposal)
    statuses_audited = AuditEntry.objects.filter(action="proposal.status").count()

    if starting_status == "draft":  # someone else's draft does not exist for them
        with pytest.raises(Http404):
            do(personas.police, proposal)
    else:
        with pytest.raises(ValidationError, match="Only coordinators"):
            do(personas.police, proposal)

    after = reloaded(proposal)
    assert (after.status, after.title, after.body, after.closes_at, after.closed_at) == (
        before.status,
        before.title,
        before.body,
        before.closes_at,
        before.closed_at,
    )
    assert AuditEntry.objects.filter(action="proposal.status").count() == statuses_audited


@pytest.mark.parametrize(
    "closes_in",
    [None, timedelta(0), -timedelta(minutes=1)],
    ids=["no closing time", "now", "in the past"],
)
def test_a_proposal_opens_for_positions_only_with_a_closing_time_in_the_future(
    personas, seated, closes_in
):
    proposal = in_discussion(personas.coordinator)
    closes_at = None if closes_in is None else timezone.now() + closes_in
    with pytest.raises(ValidationError) as refused:
        services.open_for_positions(
            actor=personas.coordinator, proposal=proposal, closes_at=closes_at
        )
    assert "closes_at" in refused.value.message_dict
    assert reloaded(proposal).status == ProposalStatus.DISCUSSION
    assert reloaded(proposal).closes_at is None


def test_steps_out_of_order_are_refused(personas, seated):
    author = personas.coordinator
    discussed = in_discussion(author)
    with pytest.raises(ValidationError, match="in discussion"):
        services.start_discussion(actor=author, proposal=discussed)
    with pytest.raises(ValidationError):
        services.close_proposal(actor=author, proposal=discussed)
    closed = services.close_proposal(actor=author, proposal=opened(author))
    with pytest.raises(ValidationError):
        services.open_for_positions(
            actor=author, proposal=closed, closes_at=timezone.now() + IN_A_DAY
        )
    with pytest.raises(ValidationError):
        services.withdraw_proposal(actor=author, proposal=closed)
    assert reloaded(discussed).status == ProposalStatus.DISCUSSION
    assert reloaded(closed).status == ProposalStatus.CLOSED


@pytest.mark.parametrize("starting_status", ["draft", "discussion", "decision"])
def test_the_author_withdraws_a_proposal_and_it_goes_no_further(personas, seated, starting_status):
    author = personas.experiential
    proposal = services.withdraw_proposal(actor=author, proposal=START[starting_status](author))
    assert reloaded(proposal).status == ProposalStatus.WITHDRAWN

    with pytest.raises(ValidationError):
        services.open_for_positions(
            actor=author, proposal=proposal, closes_at=timezone.now() + IN_A_DAY
        )
    with pytest.raises(ValidationError, match="not open for positions"):
        services.cast_position(person=author, proposal=proposal, stance=Stance.AGREE)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.add_comment(author=author, proposal=proposal, body="Too late?")
    assert not Position.objects.filter(proposal=proposal).exists()


def test_a_comment_on_a_proposal_withdrawn_meanwhile_is_refused(personas, seated):
    """The page was loaded before the author withdrew it: the service reads the status anew."""
    as_loaded = in_discussion(personas.experiential)
    services.withdraw_proposal(actor=personas.experiential, proposal=as_loaded)
    assert as_loaded.status == ProposalStatus.DISCUSSION  # the caller's copy is out of date
    with pytest.raises(ValidationError, match="withdrawn"):
        services.add_comment(author=personas.police, proposal=as_loaded, body="Still here?")
    assert not Comment.objects.exists()


def test_only_a_coordinator_writes_the_outcome_statement(personas, seated):
    author = personas.experiential
    proposal = opened(author)
    with pytest.raises(ValidationError, match="Only coordinators"):
        services.close_proposal(actor=author, proposal=proposal, statement="We agreed.")
    assert reloaded(proposal).status == ProposalStatus.DECISION

    with pytest.raises(ValidationError):  # not closed yet
        services.write_outcome_statement(
            actor=personas.coordinator, proposal=proposal, statement="Early."
        )
    services.close_proposal(actor=author, proposal=proposal)
    with pytest.raises(ValidationError, match="Only coordinators"):
        services.write_outcome_statement(actor=author, proposal=proposal, statement="Mine.")
    with pytest.raises(ValidationError):
        services.write_outcome_statement(
            actor=personas.coordinator, proposal=proposal, statement=" "
        )
    assert reloaded(proposal).outcome_statement == ""

    services.write_outcome_statement(
        actor=personas.coordinator, proposal=proposal, statement="  No consensus yet.  "
    )
    assert reloaded(proposal).outcome_statement == "No consensus yet."
    assert audits("proposal.statement", proposal)


def test_a_coordinator_closes_with_the_outcome_statement(personas, seated):
    proposal = opened(personas.experiential)
    services.close_proposal(
        actor=personas.coordinator, proposal=proposal, statement="Back to the sectors."
    )
    assert reloaded(proposal).outcome_statement == "Back to the sectors."


def test_closing_freezes_the_outcome_whatever_changes_afterwards(personas, seated):
    p = personas
    proposal = opened(p.coordinator)
    services.cast_position(person=p.experiential, proposal=proposal, stance=Stance.AGREE)
    services.cast_position(
        person=p.police, proposal=proposal, stance=Stance.BLOCK, reason="Not without training"
    )
    services.close_proposal(actor=p.coordinator, proposal=proposal)
    frozen = reloaded(proposal).outcome
    assert selectors.outcome_of(reloaded(proposal)).to_dict() == frozen
    assert frozen["result"] == Result.BLOCKED

    # No service changes a position any more ...
    with pytest.raises(ValidationError, match="not open for positions"):
        services.cast_position(person=p.police, proposal=proposal, stance=Stance.AGREE)
    # ... and even a row changed behind the services' back, a seat ending and a new seat do not
    # move the outcome recorded at close.
    Position.objects.filter(proposal=proposal, seat=seated.seats["law-enforcement"]).update(
        stance=Stance.AGREE, reason=""
    )
    services.end_seat(actor=p.coordinator, seat=seated.seats["experiential"])
    services.create_seat(
        actor=p.coordinator,
        committee=seated.committee,
        sector=p.sector("experiential"),
        primary=p.experiential_peer,
    )
    stored = reloaded(proposal)
    assert stored.outcome == frozen
    assert stored.result == Result.BLOCKED
    assert selectors.outcome_of(stored).to_dict() == frozen
    assert selectors.live_outcome(stored).to_dict() != frozen


# --- positions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stance", "reason"),
    [
        (Stance.AGREE, ""),
        (Stance.RESERVATIONS, "Only with a peer worker on site"),
        (Stance.STAND_ASIDE, ""),
        (Stance.BLOCK, "Not without training"),
    ],
)
def test_a_seat_holder_gives_each_of_the_four_positions(personas, seated, stance, reason):
    proposal = opened(personas.coordinator)
    position = services.cast_position(
        person=personas.experiential, proposal=proposal, stance=stance, reason=reason
    )
    stored = Position.objects.get(pk=position.pk)
    assert (stored.stance, stored.reason, stored.is_current) == (stance, reason, True)
    assert stored.seat == seated.seats["experiential"]
    assert stored.given_by == personas.experiential
    assert stored.version == 1
    assert selectors.my_position(personas.experiential, proposal) == stored


@pytest.mark.parametrize("stance", [Stance.BLOCK, Stance.RESERVATIONS])
@pytest.mark.parametrize("reason", ["", "   ", "\n\t "], ids=["empty", "spaces", "whitespace"])
def test_a_block_or_a_reservation_needs_a_reason(personas, seated, stance, reason):
    proposal = opened(personas.coordinator)
    with pytest.raises(ValidationError) as refused:
        services.cast_position(
            person=personas.police, proposal=proposal, stance=stance, reason=reason
        )
    assert "reason" in refused.value.message_dict
    assert not Position.objects.filter(proposal=proposal).exists()


def test_an_unknown_stance_is_refused(personas, seated):
    proposal = opened(personas.coordinator)
    with pytest.raises(ValidationError) as refused:
        services.cast_position(person=personas.police, proposal=proposal, stance="veto")
    assert "stance" in refused.value.message_dict


def test_the_database_refuses_a_block_without_a_reason(personas, seated):
    proposal = opened(personas.coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            proposal=proposal,
            version=1,
            seat=seated.seats["law-enforcement"],
            stance=Stance.BLOCK,
            reason="",
            given_by=personas.police,
        )
    assert not Position.objects.filter(proposal=proposal).exists()


def test_the_database_refuses_two_current_positions_for_one_seat(personas, seated):
    proposal = opened(personas.coordinator)
    services.cast_position(person=personas.police, proposal=proposal, stance=Stance.AGREE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            proposal=proposal,
            version=1,
            seat=seated.seats["law-enforcement"],
            stance=Stance.STAND_ASIDE,
            given_by=personas.police_colleague,
        )
    assert current_positions(proposal).count() == 1


def test_changing_a_position_keeps_the_old_one_in_the_history(personas, seated):
    proposal = opened(personas.coordinator)
    first = services.cast_position(
        person=personas.police, proposal=proposal, stance=Stance.BLOCK, reason="Not yet"
    )
    second = services.cast_position(person=personas.police, proposal=proposal, stance=Stance.AGREE)

    history = list(selectors.position_history(proposal))
    assert [(position.pk, position.is_current) for position in history] == [
        (first.pk, False),
        (second.pk, True),
    ]
    assert history[0].stance == Stance.BLOCK
    assert history[0].replaced_at is not None
    assert list(selectors.positions_of(proposal)) == [second]
    assert [entry.changes["before"] for entry in audits("position.cast", second)] == ["block"]


def test_giving_the_same_answer_again_changes_nothing(personas, seated):
    proposal = opened(personas.coordinator)
    first = services.cast_position(
        person=personas.police, proposal=proposal, stance=Stance.RESERVATIONS, reason="Training"
    )
    again = services.cast_position(
        person=personas.police, proposal=proposal, stance=Stance.RESERVATIONS, reason=" Training "
    )
    assert again.pk == first.pk
    assert Position.objects.filter(proposal=proposal).count() == 1
    assert AuditEntry.objects.filter(action="position.cast").count() == 1


def test_the_alternate_answers_while_the_primary_has_not_and_the_primarys_answer_replaces_it(
    personas, seated
):
    proposal = opened(personas.coordinator)
    by_alternate = services.cast_position(
        person=personas.police_colleague, proposal=proposal, stance=Stance.STAND_ASIDE
    )
    assert by_alternate.seat == seated.seats["law-enforcement"]
    assert by_alternate.given_by == personas.police_colleague

    by_primary = services.cast_position(
        person=personas.police, proposal=proposal, stance=Stance.AGREE
    )
    assert list(current_positions(proposal)) == [by_primary]
    assert Position.objects.get(pk=by_alternate.pk).is_current is False


def test_the_alternate_cannot_answer_once_the_primary_has(personas, seated):
    proposal = opened(personas.coordinator)
    by_primary = services.cast_position(
        person=personas.police, proposal=proposal, stance=Stance.AGREE
    )
    with pytest.raises(ValidationError, match="has already answered for your seat"):
        services.cast_position(
            person=personas.police_colleague,
            proposal=proposal,
            stance=Stance.BLOCK,
            reason="I disagree",
        )
    assert list(current_positions(proposal)) == [by_primary]


def test_the_primary_giving_the_alternates_answer_makes_it_the_primarys_own(personas, seated):
    """Once the primary has answered, even with the same stance, the alternate may not change
    the seat's answer."""
    proposal = opened(personas.coordinator)
    services.cast_position(person=personas.police_colleague, proposal=proposal, stance=Stance.AGREE)
    confirmed = services.cast_position(
        person=personas.police, proposal=proposal, stance=Stance.AGREE
    )
    assert confirmed.given_by == personas.police
    with pytest.raises(ValidationError, match="has already answered for your seat"):
        services.cast_position(
            person=personas.police_colleague,
            proposal=proposal,
            stance=Stance.BLOCK,
            reason="Changed my mind",
        )
    assert list(current_positions(proposal).values_list("given_by", "stance")) == [
        (personas.police.pk, Stance.AGREE)
    ]


def test_an_observer_gives_no_position(personas, seated):
    proposal = opened(personas.coordinator)
    with pytest.raises(ValidationError, match="hold a seat"):
        services.cast_position(person=seated.observer, proposal=proposal, stance=Stance.AGREE)
    assert not Position.objects.filter(proposal=proposal).exists()


def test_a_member_without_a_seat_gives_no_position(personas, seated):
    proposal = opened(personas.coordinator)
    with pytest.raises(ValidationError, match="hold a seat"):
        services.cast_position(
            person=personas.experiential_peer, proposal=proposal, stance=Stance.AGREE
        )
    assert not Position.objects.filter(proposal=proposal).exists()


@pytest.mark.parametrize("who", ["admin", "outsider"])
def test_administrators_and_other_communities_cannot_even_find_the_proposal(personas, seated, who):
    proposal = opened(personas.coordinator)
    with pytest.raises(Http404):
        services.cast_position(
            person=getattr(personas, who), proposal=proposal, stance=Stance.AGREE
        )
    assert not Position.objects.filter(proposal=proposal).exists()


def test_a_proposal_the_member_cannot_see_is_a_404_for_their_position(personas, seated):
    caucus = opened(
        personas.experiential,
        visibility=Visibility.SECTORS,
        sectors=[personas.sector("experiential")],
    )
    with pytest.raises(Http404):
        services.cast_position(person=personas.police, proposal=caucus, stance=Stance.AGREE)
    with pytest.raises(Http404):  # checked before anything else says what it is
        services.cast_position(person=personas.police, proposal=caucus, stance="veto")
    assert not Position.objects.filter(proposal=caucus).exists()
    services.cast_position(person=personas.experiential, proposal=caucus, stance=Stance.AGREE)


def test_a_draft_is_a_404_for_positions_except_to_those_who_see_it(personas, seated):
    proposal = draft(personas.experiential)
    with pytest.raises(Http404):
        services.cast_position(person=personas.police, proposal=proposal, stance=Stance.AGREE)
    with pytest.raises(ValidationError, match="not open for positions"):
        services.cast_position(person=personas.experiential, proposal=proposal, stance=Stance.AGREE)


def test_no_position_before_the_proposal_opens(personas, seated):
    proposal = in_discussion(personas.coordinator)
    with pytest.raises(ValidationError, match="not open for positions"):
        services.cast_position(person=personas.police, proposal=proposal, stance=Stance.AGREE)


def test_no_position_after_close(personas, seated):
    proposal = opened(personas.coordinator)
    services.close_proposal(actor=personas.coordinator, proposal=proposal)
    with pytest.raises(ValidationError, match="not open for positions"):
        services.cast_position(person=personas.police, proposal=proposal, stance=Stance.AGREE)
    assert not Position.objects.filter(proposal=proposal).exists()


def test_no_position_once_the_closing_time_has_passed_even_before_the_sweep_closes_it(
    personas, seated
):
    proposal = opened(personas.coordinator)
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="not open for positions"):
        services.cast_position(person=personas.police, proposal=proposal, stance=Stance.AGREE)
    assert reloaded(proposal).status == ProposalStatus.DECISION
    assert not Position.objects.filter(proposal=proposal).exists()


# --- the outcome -------------------------------------------------------------------------------


def tally(outcome, sector_name: str):
    return next(tally for tally in outcome.tallies if tally.sector_name == sector_name)


def test_the_outcome_is_shown_live_while_the_proposal_is_open(personas, seated):
    p = personas
    proposal = opened(p.coordinator)
    outcome = selectors.outcome_of(proposal)
    assert outcome.result == Result.NO_CONSENSUS
    assert outcome.total_seats == 6
    assert outcome.answered_seats == 0
    assert len(outcome.missing_sectors) == 6

    for person in everyone_seated(p)[:-1]:
        services.cast_position(person=person, proposal=proposal, stance=Stance.AGREE)
    outcome = selectors.outcome_of(reloaded(proposal))
    assert outcome.result == Result.NO_CONSENSUS
    assert [sector.sector_name for sector in outcome.missing_sectors] == [
        "Organizations serving sex workers"
    ]

    services.cast_position(person=p.coordinator, proposal=proposal, stance=Stance.STAND_ASIDE)
    outcome = selectors.outcome_of(reloaded(proposal))
    assert outcome.result == Result.AGREED
    assert outcome.answered_seats == 6
    assert tally(outcome, "Health").agree == 1
    assert tally(outcome, "Organizations serving sex workers").stand_aside == 1
    assert reloaded(proposal).outcome is None  # nothing frozen while open


def test_a_blocked_outcome_names_the_sector_who_blocked_and_why(personas, seated):
    p = personas
    proposal = opened(p.coordinator)
    for person in everyone_seated(p):
        if person != p.police:
            services.cast_position(person=person, proposal=proposal, stance=Stance.AGREE)
    services.cast_position(
        person=p.police, proposal=proposal, stance=Stance.BLOCK, reason="Not without training"
    )
    outcome = selectors.outcome_of(proposal)
    assert outcome.result == Result.BLOCKED
    [block] = outcome.blocks
    assert block.sector_name == "Law enforcement"
    assert block.reason == "Not without training"
    assert block.holder == "Alex (Riverside Police)"
    assert tally(outcome, "Law enforcement").block == 1


def test_an_anonymous_outcome_names_no_one_live_or_frozen(personas, seated):
    p = personas
    proposal = opened(p.coordinator, anonymous=True)
    services.cast_position(
        person=p.police, proposal=proposal, stance=Stance.BLOCK, reason="Not without training"
    )
    services.cast_position(
        person=p.experiential, proposal=proposal, stance=Stance.RESERVATIONS, reason="Peers first"
    )
    services.cast_position(person=p.health, proposal=proposal, stance=Stance.AGREE)
    names = [person.display_name for person in (*everyone_seated(p), p.police_colleague)] + [
        "Riverside Police",
        "Peers Riverside",
        "Community Health",
        "Safe Harbour Outreach",
    ]

    live = selectors.outcome_of(proposal)
    assert live.blocks[0].sector_name == "Law enforcement"
    assert all(concern.holder is None for concern in (*live.blocks, *live.reservations))
    frozen = services.close_proposal(actor=p.coordinator, proposal=proposal).outcome
    for outcome in (live.to_dict(), frozen):
        text = json.dumps(outcome)
        assert "Law enforcement" in text
        assert not [name for name in names if name in text]


def test_the_outcome_names_the_sectors_that_have_not_answered(personas, seated):
    p = personas
    proposal = opened(p.coordinator)
    services.cast_position(person=p.experiential, proposal=proposal, stance=Stance.AGREE)
    services.cast_position(person=p.police, proposal=proposal, stance=Stance.STAND_ASIDE)
    outcome = selectors.outcome_of(proposal)
    assert outcome.result == Result.NO_CONSENSUS
    assert {sector.sector_name for sector in outcome.missing_sectors} == {
        "Organizations serving sex workers",
        "Health",
        "Residents",
        "Business",
    }
    assert tally(outcome, "Residents").not_answered == 1


def test_the_committee_rule_asks_only_the_sectors_it_names(personas, seated):
    p = personas
    services.update_committee(
        actor=p.coordinator,
        committee=seated.committee,
        name="Riverside steering committee",
        terms_of_reference="",
        sectors_that_must_answer=[p.sector("experiential"), p.sector("law-enforcement")],
        minimum_participation=0,
    )
    proposal = opened(p.coordinator)
    services.cast_position(person=p.experiential, proposal=proposal, stance=Stance.AGREE)
    assert [s.sector_name for s in selectors.outcome_of(proposal).missing_sectors] == [
        "Law enforcement"
    ]
    services.cast_position(person=p.police_colleague, proposal=proposal, stance=Stance.AGREE)
    assert selectors.outcome_of(proposal).result == Result.AGREED

    # A named sector with no seat can never answer: it is missing.
    services.update_committee(
        actor=p.coordinator,
        committee=seated.committee,
        name="Riverside steering committee",
        terms_of_reference="",
        sectors_that_must_answer=[p.sector("experiential"), p.sector("youth")],
        minimum_participation=0,
    )
    outcome = selectors.outcome_of(reloaded(proposal))
    assert outcome.result == Result.NO_CONSENSUS
    assert [s.sector_name for s in outcome.missing_sectors] == [
        "Youth and youth-serving organizations"
    ]


def test_the_committee_rule_can_ask_for_a_minimum_participation(personas, seated):
    p = personas
    services.update_committee(
        actor=p.coordinator,
        committee=seated.committee,
        name="Riverside steering committee",
        terms_of_reference="",
        sectors_that_must_answer=[p.sector("experiential")],
        minimum_participation=50,
    )
    proposal = opened(p.coordinator)
    services.cast_position(person=p.experiential, proposal=proposal, stance=Stance.AGREE)
    services.cast_position(person=p.health, proposal=proposal, stance=Stance.AGREE)
    outcome = selectors.outcome_of(proposal)
    assert (outcome.result, outcome.below_minimum, outcome.missing_sectors) == (
        Result.NO_CONSENSUS,
        True,
        (),
    )
    services.cast_position(person=p.business, proposal=proposal, stance=Stance.STAND_ASIDE)
    outcome = selectors.outcome_of(proposal)
    assert (outcome.result, outcome.participation_percent) == (Result.AGREED, 50)


def test_only_coordinators_change_the_committee_rule(personas, seated):
    with pytest.raises(ValidationError, match="Only coordinators"):
        services.update_committee(
            actor=personas.experiential,
            committee=seated.committee,
            name="Ours",
            terms_of_reference="",
            sectors_that_must_answer=[],
            minimum_participation=100,
        )
    seated.committee.refresh_from_db()
    assert seated.committee.minimum_participation == 0


# --- revision ----------------------------------------------------------------------------------


def test_only_a_closed_proposal_that_was_not_agreed_can_be_revised(personas, seated):
    p = personas
    in_decision = opened(p.coordinator)
    with pytest.raises(ValidationError, match="can be revised"):
        services.revise_proposal(actor=p.coordinator, proposal=in_decision, title="v2", body="v2")

    agreed = opened(p.coordinator)
    for person in everyone_seated(p):
        services.cast_position(person=person, proposal=agreed, stance=Stance.AGREE)
    agreed = services.close_proposal(actor=p.coordinator, proposal=agreed)
    assert agreed.result == Result.AGREED
    with pytest.raises(ValidationError, match="can be revised"):
        services.revise_proposal(actor=p.coordinator, proposal=agreed, title="v2", body="v2")
    assert (reloaded(agreed).version, reloaded(agreed).status) == (1, ProposalStatus.CLOSED)

    no_consensus = services.close_proposal(actor=p.coordinator, proposal=opened(p.coordinator))
    services.revise_proposal(actor=p.coordinator, proposal=no_consensus, title="v2", body="v2")
    assert reloaded(no_consensus).version == 2


def test_a_member_who_is_not_the_author_cannot_revise(personas, seated):
    proposal = closed_blocked(personas)
    with pytest.raises(ValidationError, match="Only coordinators"):
        services.revise_proposal(actor=personas.police, proposal=proposal, title="v2", body="v2")
    assert reloaded(proposal).version == 1


def test_a_revision_reopens_as_version_2_and_version_1_stays_readable(personas, seated):
    p = personas
    proposal = closed_blocked(p)
    frozen = proposal.outcome
    v1_positions = list(selectors.positions_of(proposal))

    revised = services.revise_proposal(
        actor=p.coordinator,
        proposal=proposal,
        title="A drop-in, with training",
        body="Train first.",
    )
    stored = reloaded(revised)
    assert (stored.version, stored.status) == (2, ProposalStatus.DISCUSSION)
    assert (stored.title, stored.body) == ("A drop-in, with training", "Train first.")
    assert (stored.closes_at, stored.closed_at, stored.result, stored.outcome) == (
        None,
        None,
        "",
        None,
    )

    [v1] = selectors.versions_of(stored)
    assert (v1.number, v1.title, v1.result, v1.outcome) == (
        1,
        "A late-night drop-in",
        Result.BLOCKED,
        frozen,
    )
    assert list(selectors.positions_of(stored, version=1)) == v1_positions
    assert selectors.outcome_of(stored, version=1).to_dict() == frozen
    assert not selectors.positions_of(stored).exists()
    assert selectors.my_position(p.police, stored) is None
    assert selectors.outcome_of(stored).answered_seats == 0


def test_positions_on_version_2_are_independent_of_version_1(personas, seated):
    p = personas
    proposal = closed_blocked(p)
    v1_history = list(
        selectors.position_history(proposal, version=1).values_list("pk", "is_current")
    )
    services.revise_proposal(
        actor=p.coordinator, proposal=proposal, title="v2", body="Train first."
    )
    services.open_for_positions(
        actor=p.coordinator, proposal=proposal, closes_at=timezone.now() + IN_A_DAY
    )
    proposal = reloaded(proposal)
    on_v2 = services.cast_position(person=p.police, proposal=proposal, stance=Stance.AGREE)
    assert on_v2.version == 2
    assert list(selectors.positions_of(proposal)) == [on_v2]
    assert selectors.outcome_of(proposal).blocks == ()
    # Version 1 is untouched: the police block there is still current and still counted.
    assert list(
        selectors.position_history(proposal, version=1).values_list("pk", "is_current")
    ) == (v1_history)
    assert selectors.outcome_of(proposal, version=1).result == Result.BLOCKED


def test_hiding_names_can_change_only_until_positions_have_been_given(personas, seated):
    p = personas
    proposal = in_discussion(p.coordinator)
    services.update_proposal(
        actor=p.coordinator, proposal=proposal, title="t", body="b", anonymous=True
    )
    assert reloaded(proposal).anonymous is True

    services.open_for_positions(
        actor=p.coordinator, proposal=proposal, closes_at=timezone.now() + IN_A_DAY
    )
    services.cast_position(person=p.police, proposal=proposal, stance=Stance.AGREE)
    services.close_proposal(actor=p.coordinator, proposal=proposal)
    services.revise_proposal(actor=p.coordinator, proposal=proposal, title="v2", body="v2")
    # Version 2 has no positions yet, but version 1's would be revealed.
    with pytest.raises(ValidationError) as refused:
        services.update_proposal(
            actor=p.coordinator, proposal=proposal, title="v2", body="v2", anonymous=False
        )
    assert "anonymous" in refused.value.message_dict
    assert reloaded(proposal).anonymous is True


# --- discussion --------------------------------------------------------------------------------


def test_a_member_comments_and_edits_keeping_the_earlier_text(personas, seated):
    proposal = in_discussion(personas.coordinator)
    comment = services.add_comment(author=personas.police, proposal=proposal, body="First **go**")
    services.edit_comment(actor=personas.police, comment=comment, body="Second go")

    [stored] = selectors.comments_of(proposal)
    assert stored.body == "Second go"
    assert stored.edited_at is not None
    assert [(r.body, r.changed_by, r.was_deleted) for r in stored.revisions.all()] == [
        ("First **go**", personas.police, False)
    ]
    assert audits("comment.create", comment) and audits("comment.edit", comment)


def test_an_observer_takes_part_in_the_discussion(personas, seated):
    proposal = in_discussion(personas.coordinator)
    services.add_comment(author=seated.observer, proposal=proposal, body="From the youth table")
    assert selectors.comments_of(proposal).get().author == seated.observer


def test_an_empty_comment_is_refused(personas, seated):
    proposal = in_discussion(personas.coordinator)
    with pytest.raises(ValidationError):
        services.add_comment(author=personas.police, proposal=proposal, body="  \n")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who", ["police", "coordinator"])
def test_the_author_or_a_coordinator_deletes_a_comment_and_a_trace_remains(personas, seated, who):
    proposal = in_discussion(personas.experiential)
    comment = services.add_comment(author=personas.police, proposal=proposal, body="Too blunt")
    deleter = getattr(personas, who)
    services.delete_comment(actor=deleter, comment=comment)

    [stored] = selectors.comments_of(proposal)
    assert stored.deleted_at is not None
    assert stored.body == ""
    [revision] = stored.revisions.all()
    assert (revision.body, revision.changed_by, revision.was_deleted) == (
        "Too blunt",
        deleter,
        True,
    )
    assert audits("comment.delete", comment)
    with pytest.raises(ValidationError, match="deleted"):
        services.edit_comment(actor=personas.police, comment=comment, body="Back")


def test_another_member_neither_edits_nor_deletes_a_comment(personas, seated):
    proposal = in_discussion(personas.coordinator)
    comment = services.add_comment(author=personas.police, proposal=proposal, body="Mine")
    with pytest.raises(ValidationError, match="Only the author"):
        services.edit_comment(actor=personas.experiential, comment=comment, body="Yours")
    with pytest.raises(ValidationError, match="Only coordinators"):
        services.delete_comment(actor=personas.experiential, comment=comment)
    # A coordinator may remove a comment but not put words in someone's mouth.
    with pytest.raises(ValidationError, match="Only the author"):
        services.edit_comment(actor=personas.coordinator, comment=comment, body="Theirs")
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.body, stored.deleted_at, stored.edited_at) == ("Mine", None, None)
    assert not CommentRevision.objects.exists()


@pytest.mark.parametrize("who", ["police", "admin", "outsider"])
def test_commenting_on_a_proposal_you_cannot_see_is_a_404(personas, seated, who):
    caucus = in_discussion(
        personas.experiential,
        visibility=Visibility.SECTORS,
        sectors=[personas.sector("experiential")],
    )
    with pytest.raises(Http404):
        services.add_comment(author=getattr(personas, who), proposal=caucus, body="Hello")
    assert not Comment.objects.exists()
    services.add_comment(author=personas.experiential_peer, proposal=caucus, body="Hello")


# --- seats and roles ---------------------------------------------------------------------------


def test_a_coordinator_seats_an_organization_and_its_people_join_the_committee(personas, seated):
    p = personas
    youth = make_organization(p.community, "youth", "Northside Youth")
    lee = make_person(p.community, "lee", sector_keys=("youth",), organization=youth)
    kim = make_person(p.community, "kim", sector_keys=("youth",), organization=youth)
    seat = services.create_seat(
        actor=p.coordinator,
        committee=seated.committee,
        sector=p.sector("youth"),
        organization=youth,
        primary=lee,
        alternate=kim,
    )
    assert seat in selectors.seats_for(p.police.user)
    assert selectors.committee_role_of(lee, seated.committee) == CommitteeRole.MEMBER
    assert selectors.committee_role_of(kim, seated.committee) == CommitteeRole.ALTERNATE
    assert selectors.seat_of(kim, seated.committee) == seat
    [entry] = audits("seat.create", seat)
    assert entry.actor == p.coordinator.user
    assert entry.changes["organization"] == "Northside Youth"


def test_only_coordinators_seat_anyone(personas, seated):
    youth = make_organization(personas.community, "youth", "Northside Youth")
    lee = make_person(personas.community, "lee", sector_keys=("youth",), organization=youth)
    with pytest.raises(ValidationError, match="Only coordinators"):
        services.create_seat(
            actor=personas.experiential,
            committee=seated.committee,
            sector=personas.sector("youth"),
            organization=youth,
            primary=lee,
        )
    assert not Seat.objects.filter(primary=lee).exists()


def test_an_organization_is_seated_only_for_its_own_sector(personas, seated):
    youth = make_organization(personas.community, "youth", "Northside Youth")
    lee = make_person(personas.community, "lee", sector_keys=("youth",), organization=youth)
    with pytest.raises(ValidationError) as refused:
        services.create_seat(
            actor=personas.coordinator,
            committee=seated.committee,
            sector=personas.sector("aboriginal"),
            organization=youth,
            primary=lee,
        )
    assert "organization" in refused.value.message_dict


def test_the_primary_must_be_part_of_the_seated_organization(personas, seated):
    youth = make_organization(personas.community, "youth", "Northside Youth")
    lee = make_person(personas.community, "lee", sector_keys=("youth",))  # no organization
    with pytest.raises(ValidationError, match="is not part of Northside Youth"):
        services.create_seat(
            actor=personas.coordinator,
            committee=seated.committee,
            sector=personas.sector("youth"),
            organization=youth,
            primary=lee,
        )


def test_an_independent_member_must_be_part_of_the_sector(personas, seated):
    with pytest.raises(ValidationError, match="is not part of the Youth"):
        services.create_seat(
            actor=personas.coordinator,
            committee=seated.committee,
            sector=personas.sector("youth"),
            primary=personas.experiential_peer,
        )


def test_an_observer_holds_no_seat(personas, seated):
    with pytest.raises(ValidationError, match="observer"):
        services.create_seat(
            actor=personas.coordinator,
            committee=seated.committee,
            sector=personas.sector("youth"),
            primary=seated.observer,
        )
    with pytest.raises(ValidationError, match="observer"):
        services.set_committee_role(
            actor=personas.coordinator,
            committee=seated.committee,
            person=personas.police,
            role=CommitteeRole.OBSERVER,
        )
    assert selectors.committee_role_of(personas.police, seated.committee) == CommitteeRole.MEMBER


@pytest.mark.parametrize("who", ["admin", "outsider"])
def test_administrators_and_other_communities_hold_no_seat(personas, seated, who):
    person = getattr(personas, who)
    with pytest.raises(ValidationError, match="not a committee member"):
        services.create_seat(
            actor=personas.coordinator,
            committee=seated.committee,
            sector=personas.sector("experiential"),
            primary=person,
        )


def test_an_organization_has_one_current_seat(personas, seated):
    p = personas
    police_service = p.police.organization
    with pytest.raises(ValidationError, match="already has a seat"):
        services.create_seat(
            actor=p.coordinator,
            committee=seated.committee,
            sector=p.sector("law-enforcement"),
            organization=police_service,
            primary=make_person(
                p.community,
                "lou",
                sector_keys=("law-enforcement",),
                organization=police_service,
            ),
        )
    assert Seat.objects.filter(organization=police_service).count() == 1


def test_the_database_allows_an_organization_one_current_seat(personas, seated):
    p = personas
    lou = make_person(
        p.community, "lou", sector_keys=("law-enforcement",), organization=p.police.organization
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Seat.objects.create(
            committee=seated.committee,
            sector=p.sector("law-enforcement"),
            organization=p.police.organization,
            primary=lou,
            started_on=community_today(),
        )


def test_someone_holds_one_seat_at_a_time(personas, seated):
    p = personas
    with pytest.raises(ValidationError, match="Marguerite already holds a seat"):
        services.create_seat(
            actor=p.coordinator,
            committee=seated.committee,
            sector=p.sector("residents"),
            primary=p.resident,
        )
    with pytest.raises(ValidationError, match="Jade already holds a seat"):
        services.create_seat(
            actor=p.coordinator,
            committee=seated.committee,
            sector=p.sector("experiential"),
            primary=p.experiential_peer,
            alternate=p.experiential,
        )
    assert selectors.current_seats(seated.committee).count() == len(SECTORS_SEATED)


def test_an_ended_seat_keeps_its_history_and_stops_counting_in_a_live_outcome(personas, seated):
    p = personas
    proposal = opened(p.coordinator)
    seat = seated.seats["experiential"]
    position = services.cast_position(
        person=p.experiential, proposal=proposal, stance=Stance.BLOCK, reason="Not safe"
    )
    assert selectors.outcome_of(proposal).result == Result.BLOCKED

    services.end_seat(actor=p.coordinator, seat=seat)
    assert seat not in selectors.seats_for(p.police.user)
    assert seat in selectors.past_seats_for(p.police.user)
    assert audits("seat.end", seat)
    outcome = selectors.outcome_of(reloaded(proposal))
    assert outcome.result == Result.NO_CONSENSUS
    assert outcome.total_seats == 5
    assert "Current and former sex workers" not in {t.sector_name for t in outcome.tallies}
    assert Position.objects.get(pk=position.pk).is_current  # the history stays
    with pytest.raises(ValidationError, match="hold a seat"):
        services.cast_position(person=p.experiential, proposal=proposal, stance=Stance.AGREE)

    # The organization can be seated again, by someone else.
    services.create_seat(
        actor=p.coordinator,
        committee=seated.committee,
        sector=p.sector("experiential"),
        organization=p.experiential.organization,
        primary=make_person(
            p.community,
            "ines",
            sector_keys=("experiential",),
            organization=p.experiential.organization,
        ),
    )


def test_a_role_change_keeps_the_earlier_role_in_the_history(personas, seated):
    p = personas
    committee = seated.committee
    services.set_committee_role(
        actor=p.coordinator, committee=committee, person=p.experiential, role=CommitteeRole.CHAIR
    )
    again = services.set_committee_role(
        actor=p.coordinator, committee=committee, person=p.experiential, role=CommitteeRole.CHAIR
    )
    roles = list(
        CommitteeMember.objects.filter(committee=committee, person=p.experiential)
        .order_by("pk")
        .values_list("role", "ended_on")
    )
    assert roles == [
        (CommitteeRole.MEMBER, community_today()),
        (CommitteeRole.CHAIR, None),
    ]
    assert again.role == CommitteeRole.CHAIR
    assert selectors.committee_role_of(p.experiential, committee) == CommitteeRole.CHAIR
    [entry] = audits("committee.role", p.experiential)
    assert entry.changes == {"before": "member", "after": "chair"}


def test_only_coordinators_give_roles(personas, seated):
    with pytest.raises(ValidationError, match="Only coordinators"):
        services.set_committee_role(
            actor=personas.experiential,
            committee=seated.committee,
            person=personas.experiential,
            role=CommitteeRole.CHAIR,
        )
    assert selectors.committee_role_of(personas.experiential, seated.committee) == "member"


def test_an_observer_proposes_nothing(personas, seated):
    with pytest.raises(ValidationError, match="Observers"):
        draft(seated.observer)
    assert not Proposal.objects.exists()


# --- the deadline sweep ------------------------------------------------------------------------


def test_the_sweep_closes_only_proposals_past_their_closing_time_exactly_once(personas, seated):
    p = personas
    due = opened(p.coordinator)
    services.cast_position(person=p.police, proposal=due, stance=Stance.AGREE)
    Proposal.objects.filter(pk=due.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    not_yet = opened(p.coordinator)
    discussed = in_discussion(p.coordinator)

    assert services.close_due_proposals() == 1
    assert services.close_due_proposals() == 0

    closed = reloaded(due)
    assert closed.status == ProposalStatus.CLOSED
    assert closed.outcome["answered_seats"] == 1
    assert reloaded(not_yet).status == ProposalStatus.DECISION
    assert reloaded(discussed).status == ProposalStatus.DISCUSSION
    closings = [e for e in audits("proposal.status", due) if e.changes["after"] == "closed"]
    assert [(entry.actor, entry.changes["before"]) for entry in closings] == [(None, "decision")]


def test_the_sweep_is_told_what_time_it_is(personas, seated):
    proposal = opened(personas.coordinator)
    assert services.close_due_proposals(now=timezone.now()) == 0
    assert services.close_due_proposals(now=timezone.now() + 2 * IN_A_DAY) == 1
    assert reloaded(proposal).status == ProposalStatus.CLOSED


# --- the audit trail ---------------------------------------------------------------------------


def test_moves_and_positions_are_audited_with_who_and_what(personas, seated):
    p = personas
    proposal = opened(p.experiential)
    moves = [
        (entry.actor, entry.changes["before"], entry.changes["after"])
        for entry in reversed(audits("proposal.status", proposal))
    ]
    assert moves == [
        (p.experiential.user, "draft", "discussion"),
        (p.experiential.user, "discussion", "decision"),
    ]
    assert audits("proposal.create", proposal)

    first = services.cast_position(person=p.police_colleague, proposal=proposal, stance="agree")
    second = services.cast_position(
        person=p.police, proposal=proposal, stance="block", reason="Training"
    )
    [cast] = audits("position.cast", first)
    assert cast.actor == p.police_colleague.user
    assert cast.changes == {
        "proposal": proposal.pk,
        "version": 1,
        "seat": seated.seats["law-enforcement"].pk,
        "before": None,
        "after": "agree",
    }
    [replaced] = audits("position.cast", second)
    assert (replaced.actor, replaced.changes["before"], replaced.changes["after"]) == (
        p.police.user,
        "agree",
        "block",
    )
    assert all(
        entry.community == p.community
        for entry in AuditEntry.objects.filter(action__in=["proposal.status", "position.cast"])
    )


def test_the_seats_of_the_fixture_cover_the_sectors_the_tests_rely_on(seated):
    """Guards the assumptions above: one seat in each of these sectors, all current."""
    assert set(seated.seats) == SECTORS_SEATED
    assert selectors.current_seats(seated.committee).count() == len(SECTORS_SEATED)


def test_a_coordinator_cannot_act_on_a_caucus_proposal_they_cannot_see(personas, seated):
    caucus = services.create_proposal(
        author=personas.experiential,
        title="Caucus only",
        body="For the experiential sector.",
        visibility="sectors",
        sectors=[personas.sector("experiential")],
    )
    services.start_discussion(actor=personas.experiential, proposal=caucus)
    comment = services.add_comment(author=personas.experiential_peer, proposal=caucus, body="Yes")

    with pytest.raises(Http404):
        services.withdraw_proposal(actor=personas.coordinator, proposal=caucus)
    with pytest.raises(Http404):
        services.delete_comment(actor=personas.coordinator, comment=comment)

    assert reloaded(caucus).status == "discussion"
    comment.refresh_from_db()
    assert comment.deleted_at is None and comment.body == "Yes"


def test_a_seat_cannot_start_or_end_in_the_future(personas, seated):
    tomorrow = community_today() + timedelta(days=1)
    with pytest.raises(ValidationError, match="starts today"):
        services.create_seat(
            actor=personas.coordinator,
            committee=seated.committee,
            sector=personas.sector("experiential"),
            primary=personas.experiential_peer,
            started_on=tomorrow,
        )
    seat = seated.seats["business"]
    with pytest.raises(ValidationError, match="can end today"):
        services.end_seat(actor=personas.coordinator, seat=seat, on=tomorrow)
    seat.refresh_from_db()
    assert seat.ended_on is None
