"""The charter and the trust agreement, through their services: a community starts with the
model's charter; a change applies only when its proposal closes agreed (by a coordinator or the
deadline sweep), and nothing else changes them; every version stays readable; the trust
agreement gates taking part until the current version is accepted."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone, translation

from committee import selectors, services
from committee.consensus import Result, Stance
from committee.governing_texts import MODEL_OBJECTIVES, Bilingual, moved_keys
from committee.models import AgreementAcceptance, Amendment, ProposalStatus
from stakeholders.models import AuditEntry, Visibility
from tests.conftest import make_person

SEATED = ("experiential", "police", "resident", "business", "health", "coordinator")


def seated_people(p):
    return [getattr(p, name) for name in SEATED]


def charter_change(author, *, objective_text="Reduce and end sexual exploitation", base=None):
    """A proposal rewording the model's second objective (in English only) and adding one."""
    base = base or selectors.current_charter(author.community)
    objectives = [(objective.key, objective.text) for objective in base.objectives]
    objectives[1] = (objectives[1][0], Bilingual(en=objective_text))
    objectives.append(("", Bilingual(en="Keep youth safe online", fr="Protéger les jeunes")))
    return services.propose_charter_change(
        author=author,
        title="Sharpen our objectives",
        body="Why: our work is now as much about ending exploitation as reducing it.",
        purpose=base.purpose,
        objectives=objectives,
        values=list(base.values),
    )


def agreement_proposal(author, text="We respect each other. No recording."):
    return services.propose_agreement(
        author=author,
        title="Our trust agreement",
        body="Let us agree how we work.",
        text=Bilingual(en=text, fr=""),
    )


def open_it(proposal, actor):
    services.start_discussion(actor=actor, proposal=proposal)
    return services.open_for_positions(
        actor=actor, proposal=proposal, closes_at=timezone.now() + timedelta(days=7)
    )


def open_proposal(p, title="Night hours"):
    """An ordinary proposal, open for positions for a week."""
    proposal = services.create_proposal(
        author=p.coordinator, title=title, body="Open later.", visibility="committee"
    )
    return open_it(proposal, p.coordinator)


def a_meeting(p):
    return services.schedule_meeting(
        actor=p.coordinator,
        title="June meeting",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=2),
        place="Community hall",
        visibility="committee",
    )


def decide(p, proposal, *, block=False, accept=True):
    """Every seat answers (police blocks if `block`); the coordinator closes."""
    open_it(proposal, p.coordinator)
    for person in seated_people(p):
        if accept and selectors.agreement_to_accept(person):
            services.accept_agreement(
                person=person, number=selectors.current_agreement(p.community).number
            )
        stance = Stance.BLOCK if block and person == p.police else Stance.AGREE
        services.cast_position(person=person, proposal=proposal, stance=stance, reason="No")
    return services.close_proposal(actor=p.coordinator, proposal=proposal)


# --- the charter -------------------------------------------------------------------------------


def test_a_new_community_has_the_models_charter_in_english_and_french(personas):
    charter = selectors.current_charter(personas.community)
    assert charter.number == 1 and charter.is_model
    assert [objective.key for objective in charter.objectives] == list(MODEL_OBJECTIVES)
    assert len(charter.values) == 6
    with translation.override("en"):
        assert charter.purpose.text.startswith("To create communities that are healthier")
        assert charter.purpose.lang == "en"


def test_an_agreed_change_becomes_the_next_version_and_the_old_one_stays(personas, seated):
    p = personas
    proposal = charter_change(p.coordinator)
    assert selectors.current_charter(p.community).number == 1  # a draft changes nothing

    closed = decide(p, proposal)

    assert closed.result == Result.AGREED
    charter = selectors.current_charter(p.community)
    assert charter.number == 2 and charter.proposal_id == proposal.pk
    assert charter.objectives[1].key == "exploitation"  # same identity, new words
    assert charter.objectives[1].text.en == "Reduce and end sexual exploitation"
    assert charter.objectives[-1].text.fr == "Protéger les jeunes"
    assert [version.number for version in selectors.charter_versions(p.community)] == [2, 1]
    assert selectors.charter_version(p.community, 1).objectives[1].text.en == (
        "Reduce and prevent sexual exploitation"
    )
    entry = AuditEntry.objects.get(action="charter.amend")
    assert entry.changes == {"version": 2, "base": 1}


def test_french_readers_see_english_where_a_change_was_written_only_in_english(personas, seated):
    p = personas
    decide(p, charter_change(p.coordinator))
    objective = selectors.current_charter(p.community).objectives[1]
    with translation.override("fr"):
        assert (objective.text.text, objective.text.lang) == (
            "Reduce and end sexual exploitation",
            "en",
        )


def test_a_blocked_change_changes_nothing(personas, seated):
    p = personas
    closed = decide(p, charter_change(p.coordinator), block=True)
    assert closed.result == Result.BLOCKED
    assert selectors.current_charter(p.community).number == 1
    assert not Amendment.objects.filter(number__isnull=False).exists()


def test_the_deadline_sweep_applies_an_agreed_change(personas, seated):
    p = personas
    proposal = open_it(charter_change(p.coordinator), p.coordinator)
    for person in seated_people(p):
        services.cast_position(person=person, proposal=proposal, stance=Stance.AGREE)
    assert services.close_due_proposals(now=timezone.now() + timedelta(days=8)) == 1
    assert selectors.current_charter(p.community).proposal_id == proposal.pk


def test_a_change_written_against_an_outdated_charter_is_refused_or_left_unapplied(
    personas, seated
):
    p = personas
    first = open_it(charter_change(p.coordinator), p.coordinator)
    second = charter_change(p.coordinator, objective_text="Something else")
    third = charter_change(p.coordinator, objective_text="A third wording")
    services.start_discussion(actor=p.coordinator, proposal=third)
    open_it_later = services.open_for_positions(
        actor=p.coordinator, proposal=third, closes_at=timezone.now() + timedelta(days=7)
    )
    for proposal in (first, open_it_later):
        for person in seated_people(p):
            services.cast_position(person=person, proposal=proposal, stance=Stance.AGREE)
    services.close_proposal(actor=p.coordinator, proposal=first)

    # opened before the first applied: it closes agreed but changes nothing, and says so
    closed = services.close_proposal(actor=p.coordinator, proposal=third)
    assert closed.result == Result.AGREED
    assert selectors.current_charter(p.community).proposal_id == first.pk
    view = selectors.amendment_view(closed)
    assert view.is_outdated and view.not_applied_though_agreed
    assert AuditEntry.objects.filter(action="charter.outdated").count() == 1

    # not yet open: it cannot be opened any more
    services.start_discussion(actor=p.coordinator, proposal=second)
    with pytest.raises(ValidationError, match="has changed since this proposal was written"):
        services.open_for_positions(
            actor=p.coordinator, proposal=second, closes_at=timezone.now() + timedelta(days=1)
        )


def test_a_change_must_change_something_and_keep_an_objective(personas):
    p = personas
    base = selectors.current_charter(p.community)
    same = {
        "author": p.coordinator,
        "title": "Same",
        "body": "Same",
        "purpose": base.purpose,
        "objectives": [(o.key, o.text) for o in base.objectives],
        "values": list(base.values),
    }
    with pytest.raises(ValidationError, match="change something first"):
        services.propose_charter_change(**same)
    with pytest.raises(ValidationError) as error:
        services.propose_charter_change(**{**same, "objectives": [("", Bilingual())]})
    assert "objectives" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.propose_charter_change(
            **{**same, "objectives": [("not-a-key", Bilingual(en="Invented"))]}
        )
    assert "objectives" in error.value.message_dict
    assert not Amendment.objects.exists()


def test_a_change_is_always_seen_by_the_whole_committee(personas, seated):
    p = personas
    proposal = charter_change(p.experiential)
    assert proposal.visibility == Visibility.COMMITTEE
    with pytest.raises(ValidationError, match="whole committee"):
        services.change_proposal_visibility(
            actor=p.experiential,
            proposal=proposal,
            visibility=Visibility.SECTORS,
            sectors=[p.sector("experiential")],
        )


def test_a_version_that_does_not_exist_is_404(personas):
    with pytest.raises(Http404):
        selectors.charter_version(personas.community, 2)


# --- the trust agreement -----------------------------------------------------------------------


def test_without_an_agreement_nobody_needs_to_accept_one(personas, seated):
    assert selectors.current_agreement(personas.community) is None
    assert selectors.agreement_to_accept(personas.experiential) is None


def test_an_agreed_agreement_gates_positions_comments_and_agenda_suggestions(personas, seated):
    p = personas
    decide(p, agreement_proposal(p.coordinator), accept=False)
    agreement = selectors.current_agreement(p.community)
    assert agreement.number == 1
    proposal = open_proposal(p)

    with pytest.raises(services.AgreementRequired, match="trust agreement"):
        services.cast_position(person=p.experiential, proposal=proposal, stance=Stance.AGREE)
    with pytest.raises(services.AgreementRequired):
        services.add_comment(author=p.experiential, proposal=proposal, body="Hello")
    meeting = a_meeting(p)
    with pytest.raises(services.AgreementRequired):
        services.suggest_agenda_item(person=p.experiential, meeting=meeting, title="Safety")

    services.accept_agreement(person=p.experiential, number=1)

    services.cast_position(person=p.experiential, proposal=proposal, stance=Stance.AGREE)
    services.add_comment(author=p.experiential, proposal=proposal, body="Hello")
    services.suggest_agenda_item(person=p.experiential, meeting=meeting, title="Safety")
    entry = AuditEntry.objects.get(action="agreement.accept")
    assert entry.actor == p.experiential.user and entry.changes == {"version": 1}


def test_a_new_version_asks_everyone_again(personas, seated):
    p = personas
    decide(p, agreement_proposal(p.coordinator), accept=False)
    services.accept_agreement(person=p.resident, number=1)
    decide(p, agreement_proposal(p.coordinator, "A clearer agreement."))
    assert selectors.current_agreement(p.community).number == 2
    newcomer = make_person(p.community, "newcomer", sector_keys=("residents",))
    assert selectors.agreement_to_accept(newcomer).number == 2
    services.accept_agreement(person=p.resident, number=2)
    assert selectors.agreement_to_accept(p.resident) is None


def test_accepting_an_old_version_or_without_an_agreement_is_refused(personas, seated):
    p = personas
    with pytest.raises(ValidationError, match="has not agreed"):
        services.accept_agreement(person=p.resident, number=1)
    decide(p, agreement_proposal(p.coordinator), accept=False)
    decide(p, agreement_proposal(p.coordinator, "Version two."))
    with pytest.raises(ValidationError, match="has changed since you opened it"):
        services.accept_agreement(person=p.health, number=1)
    with pytest.raises(ValidationError, match="Only committee members"):
        services.accept_agreement(person=p.admin, number=2)
    assert not AgreementAcceptance.objects.filter(person__in=[p.admin]).exists()


def test_only_coordinators_see_who_accepted(personas, seated):
    p = personas
    decide(p, agreement_proposal(p.coordinator), accept=False)
    services.accept_agreement(person=p.resident, number=1)
    assert selectors.acceptances_for(p.resident.user) is None
    assert selectors.acceptances_for(p.admin.user) is None
    assert selectors.acceptances_for(p.outsider.user) is not None  # their own community's
    assert all(
        row.person.community_id == p.other_community.pk
        for row in selectors.acceptances_for(p.outsider.user)
    )
    rows = {row.person: row for row in selectors.acceptances_for(p.coordinator.user)}
    assert rows[p.resident].accepted_current_at is not None
    assert rows[p.health].accepted_current_at is None
    assert p.admin not in rows


def test_a_closed_agreement_proposal_that_was_not_agreed_leaves_no_agreement(personas, seated):
    p = personas
    closed = decide(p, agreement_proposal(p.coordinator), block=True)
    assert closed.status == ProposalStatus.CLOSED and closed.result == Result.BLOCKED
    assert selectors.current_agreement(p.community) is None


def test_my_data_lists_the_versions_i_accepted(personas, seated):
    from stakeholders import personal_data

    p = personas
    decide(p, agreement_proposal(p.coordinator), accept=False)
    services.accept_agreement(person=p.health, number=1)
    sections = {section.key: section for section in personal_data.personal_data_of(p.health)}
    rows = sections["agreement_acceptances"].as_json()
    assert [row["version"] for row in rows] == [1]
    assert sections["agreement_acceptances"].rows[0]["accepted_at"] is not None
    others = {section.key: section for section in personal_data.personal_data_of(p.police)}
    assert others["agreement_acceptances"].rows == []


def test_an_outdated_change_is_rewritten_against_the_current_charter_then_decided(personas, seated):
    p = personas
    first = charter_change(p.coordinator)
    second = charter_change(p.resident, objective_text="Reduce, prevent and end exploitation")
    decide(p, first)
    services.start_discussion(actor=p.resident, proposal=second)
    with pytest.raises(ValidationError, match="Edit the proposed text"):
        services.open_for_positions(
            actor=p.resident, proposal=second, closes_at=timezone.now() + timedelta(days=1)
        )

    current = selectors.current_charter(p.community)  # version 2, with the added objective
    objectives = [(o.key, o.text) for o in current.objectives]
    objectives[1] = ("exploitation", Bilingual(en="Reduce, prevent and end exploitation"))
    text = {"purpose": current.purpose, "objectives": objectives, "values": list(current.values)}
    with pytest.raises(ValidationError, match="Only coordinators"):
        services.revise_charter_change(actor=p.police, proposal=second, **text)
    services.revise_charter_change(actor=p.resident, proposal=second, **text)
    assert Amendment.objects.get(proposal=second).base_number == 2
    services.open_for_positions(
        actor=p.resident, proposal=second, closes_at=timezone.now() + timedelta(days=1)
    )
    for person in seated_people(p):
        services.cast_position(person=person, proposal=second, stance=Stance.AGREE)
    services.close_proposal(actor=p.coordinator, proposal=second)
    charter = selectors.current_charter(p.community)
    assert charter.number == 3
    assert charter.objectives[1].text.en == "Reduce, prevent and end exploitation"
    assert len(charter.objectives) == 6  # the objective version 2 added is kept


def test_a_blocked_change_revised_with_a_new_text_can_then_be_agreed(personas, seated):
    p = personas
    proposal = decide(p, agreement_proposal(p.coordinator, "No phones."), block=True)
    services.revise_proposal(
        actor=p.coordinator, proposal=proposal, title="Our trust agreement", body="Softer."
    )
    services.revise_agreement_change(
        actor=p.coordinator, proposal=proposal, text=Bilingual(en="Phones on silent.")
    )
    services.open_for_positions(
        actor=p.coordinator, proposal=proposal, closes_at=timezone.now() + timedelta(days=1)
    )
    for person in seated_people(p):
        services.cast_position(person=person, proposal=proposal, stance=Stance.AGREE)
    services.close_proposal(actor=p.coordinator, proposal=proposal)
    assert selectors.current_agreement(p.community).text.en == "Phones on silent."
    with pytest.raises(ValidationError, match="draft or in discussion"):
        services.revise_agreement_change(
            actor=p.coordinator, proposal=proposal, text=Bilingual(en="Too late.")
        )


@pytest.mark.parametrize(
    ("before", "after", "moved"),
    [
        ("abcde", "abcde", ""),
        ("abcde", "cabde", "c"),  # the third to the top: one move, not the two it passed
        ("abcde", "bcdea", "a"),  # the first to the end
        ("abcde", "edcba", "edcb"),  # reversed: all but the one now last
        ("abc", "ba", "b"),  # c removed, a and b swapped: b went up
        ("abcde", "bacde", "b"),  # the second given the first's place
        ("abc", "axbc", ""),  # x added: nothing kept moved
        ("abcd", "dcab", "cd"),
    ],
)
def test_the_fewest_objectives_moved_explain_the_new_order(before, after, moved):
    assert moved_keys(list(before), list(after)) == set(moved)
