"""The work plan's invariants hold in the database itself, whatever writes to it: progress is a
percentage, an action is approved (or further along) only with the proposal that approved it,
due dates follow start dates, dots are whole and counted once per need and person, a community
has one open prioritization and each of the seed's outcomes once."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from workplans.models import (
    Action,
    ActionArea,
    IntendedOutcome,
    NeedVote,
    Prioritization,
    ProgressUpdate,
)


def assert_refused(model, pk, **changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**changes)


def test_an_actions_progress_stays_between_0_and_100(plan):
    assert_refused(Action, plan.action.pk, progress=101)
    Action.objects.filter(pk=plan.action.pk).update(progress=100)


@pytest.mark.parametrize("status", ["approved", "in_progress", "done", "stalled"])
def test_an_action_cannot_be_approved_or_further_along_without_its_proposal(plan, status):
    assert_refused(Action, plan.caucus_action.pk, status=status)


def test_an_approved_action_keeps_its_proposal_and_the_time_together(plan):
    assert_refused(Action, plan.action.pk, approved_at=None)
    assert_refused(Action, plan.caucus_action.pk, approved_at=timezone.now())


def test_an_agreed_area_keeps_its_proposal_and_the_time_together(plan):
    assert_refused(ActionArea, plan.area.pk, agreed_at=None)
    assert_refused(ActionArea, plan.caucus_area.pk, agreed_at=timezone.now())


def test_an_action_is_not_due_before_it_starts(plan):
    assert_refused(Action, plan.action.pk, starts_on=date(2026, 5, 2), due_on=date(2026, 5, 1))
    Action.objects.filter(pk=plan.action.pk).update(
        starts_on=date(2026, 5, 1), due_on=date(2026, 5, 1)
    )


def test_a_dot_vote_has_at_least_one_dot_and_one_row_per_need_and_person(personas, plan):
    round_ = Prioritization.objects.create(community=personas.community, title="Spring")
    vote = NeedVote.objects.create(
        prioritization=round_, need=plan.need, person=personas.police, dots=1
    )
    assert_refused(NeedVote, vote.pk, dots=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        NeedVote.objects.create(
            prioritization=round_, need=plan.need, person=personas.police, dots=1
        )


def test_a_community_has_one_open_prioritization_at_a_time(personas):
    Prioritization.objects.create(community=personas.community, title="Spring")
    with pytest.raises(IntegrityError), transaction.atomic():
        Prioritization.objects.create(community=personas.community, title="Summer")
    Prioritization.objects.create(
        community=personas.community, title="Last year", status="closed", closed_at=timezone.now()
    )
    Prioritization.objects.create(community=personas.other_community, title="Spring")


def test_a_prioritization_gives_between_1_and_20_dots(personas):
    for dots in (0, 21):
        with pytest.raises(IntegrityError), transaction.atomic():
            Prioritization.objects.create(
                community=personas.community, title="Spring", dots_per_member=dots
            )


def test_each_of_the_seeds_outcomes_and_each_title_appears_once_per_community(personas):
    community = personas.community
    IntendedOutcome.objects.create(community=community, key="youth-exploitation", title="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        IntendedOutcome.objects.create(community=community, key="youth-exploitation", title="B")
    IntendedOutcome.objects.create(community=community, title="Safer laneways")
    with pytest.raises(IntegrityError), transaction.atomic():
        IntendedOutcome.objects.create(community=community, title="SAFER LANEWAYS")
    IntendedOutcome.objects.create(community=personas.other_community, title="Safer laneways")


def test_a_progress_update_gives_a_value_only_with_its_indicator_and_says_something(plan):
    update = ProgressUpdate.objects.filter(action=plan.action).first()
    assert_refused(ProgressUpdate, update.pk, indicator=None)
    assert_refused(ProgressUpdate, update.pk, value=None)
    assert_refused(ProgressUpdate, update.pk, progress=101)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(
            action=plan.action, date=date.today() - timedelta(days=1), by=plan.action.responsible
        )
