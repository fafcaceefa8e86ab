"""The work plan's rules, enforced by its services whoever calls them: who plans what, how an
area is agreed and an action approved (only through a proposal the committee agreed), how an
action moves and reports progress, and that every refusal leaves everything as it was."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from committee import services as committee_services
from committee.consensus import Stance
from stakeholders.models import AuditEntry, Visibility
from tests.conftest import make_person, make_proposal
from tests.workplans.conftest import (
    agreed_proposal,
    blocked_proposal,
    caucus_agreed_proposal,
    community_today,
    everyone_seated,
)
from workplans import selectors, services
from workplans.models import (
    Action,
    ActionArea,
    Indicator,
    IntendedOutcome,
    Objective,
    ProgressUpdate,
)


def reloaded(record):
    return type(record).objects.get(pk=record.pk)


def new_action(p, objective, title="Night van", **options):
    options.setdefault("visibility", Visibility.COMMITTEE)
    return services.create_action(actor=p.coordinator, objective=objective, title=title, **options)


# --- intended outcomes -------------------------------------------------------------------------


def test_a_coordinator_chooses_from_the_seeds_four_and_adds_the_communitys_own(personas):
    p = personas
    services.choose_model_outcome(actor=p.coordinator, key="youth-exploitation")
    services.choose_model_outcome(actor=p.coordinator, key="sex-worker-safety")
    own = services.add_intended_outcome(actor=p.coordinator, title="Safer laneways")
    menu = selectors.outcome_menu(p.police.user)
    assert [(option.key, option.chosen) for option in menu] == [
        ("sex-worker-safety", True),
        ("community-safety", False),
        ("youth-healthy-choices", False),
        ("youth-exploitation", True),
        ("", True),
    ]
    assert menu[0].label == "Improve the safety and health of sex workers"
    assert menu[-1].outcome == own
    assert selectors.outcome_menu(p.admin.user) == []
    assert selectors.outcome_menu(p.outsider.user)[0].chosen is False


def test_members_do_not_choose_outcomes_and_a_title_is_not_added_twice(personas):
    p = personas
    with pytest.raises(ValidationError):
        services.choose_model_outcome(actor=p.police, key="youth-exploitation")
    with pytest.raises(ValidationError):
        services.add_intended_outcome(actor=p.police, title="Safer laneways")
    with pytest.raises(ValidationError):
        services.choose_model_outcome(actor=p.coordinator, key="made-up")
    with pytest.raises(ValidationError):
        services.add_intended_outcome(
            actor=p.coordinator, title="improve the safety and health of sex workers"
        )
    services.add_intended_outcome(actor=p.coordinator, title="Safer laneways")
    with pytest.raises(ValidationError):
        services.add_intended_outcome(actor=p.coordinator, title="SAFER LANEWAYS ")
    assert list(IntendedOutcome.objects.values_list("title", flat=True)) == ["Safer laneways"]


def test_outcomes_are_reordered_and_the_seeds_keep_their_words(personas):
    p = personas
    mine = services.add_intended_outcome(actor=p.coordinator, title="Safer laneways")
    youth = services.choose_model_outcome(actor=p.coordinator, key="youth-exploitation")
    services.reorder_intended_outcomes(actor=p.coordinator, outcomes=[mine, youth])
    assert [o.pk for o in selectors.intended_outcomes_for(p.police.user)] == [mine.pk, youth.pk]
    services.update_intended_outcome(
        actor=p.coordinator, outcome=youth, title="Anything", description="Our schools first."
    )
    youth.refresh_from_db()
    assert (youth.title, youth.description) == (
        "Reduce sexual exploitation of youth",
        "Our schools first.",
    )


# --- action areas and objectives ---------------------------------------------------------------


def test_members_do_not_create_committee_areas_but_a_caucus_creates_its_own(personas, seated):
    p = personas
    with pytest.raises(ValidationError):
        services.create_action_area(actor=p.police, title="Patrols", visibility="committee")
    with pytest.raises(ValidationError):
        services.create_action_area(
            actor=p.police,
            title="Not ours",
            visibility=Visibility.SECTORS,
            sectors=[p.sector("experiential")],
        )
    with pytest.raises(ValidationError):
        services.create_action_area(actor=p.admin, title="Onboarding", visibility="committee")
    assert not ActionArea.objects.exists()
    area = services.create_action_area(
        actor=p.experiential,
        title="Peer safety",
        visibility=Visibility.SECTORS,
        sectors=[p.sector("experiential")],
    )
    assert services.create_objective(actor=p.experiential_peer, area=area, title="Reports")


def test_an_area_answers_only_needs_the_planner_can_see_and_keeps_the_links_it_cannot(
    personas, plan
):
    """Kim, a coordinator who is also in the experiential sector, links the caucus need to the
    committee area; Sam, a coordinator outside the caucus, neither sees nor removes that link."""
    p = personas
    kim = make_person(
        p.community,
        "kim",
        sector_keys=("experiential", "sex-worker-services"),
        role="coordinator",
    )
    with pytest.raises(Http404):
        services.create_action_area(
            actor=p.coordinator, title="X", visibility="committee", needs=[plan.caucus_need]
        )
    services.update_action_area(
        actor=kim, area=plan.area, title="area:committee", description="", needs=[plan.caucus_need]
    )
    services.update_action_area(
        actor=p.coordinator, area=plan.area, title="Renamed", description="", needs=[]
    )
    assert list(reloaded(plan.area).needs.all()) == [plan.caucus_need]
    assert list(selectors.get_action_area(p.coordinator.user, plan.area.pk).needs.all()) == []
    assert list(selectors.get_action_area(kim.user, plan.area.pk).needs.all()) == [plan.caucus_need]


def test_areas_objectives_and_actions_keep_hidden_siblings_in_place_when_reordered(personas, plan):
    p = personas
    second = services.create_action_area(
        actor=p.coordinator, title="area:2", visibility="committee"
    )
    # Order now: committee area, caucus area (hidden from the coordinator), area:2.
    services.reorder_action_areas(actor=p.coordinator, areas=[second, plan.area])
    as_caucus = [a.title for a in selectors.action_areas_for(p.experiential.user)]
    assert as_caucus == ["area:2", "area:caucus", "area:committee"]
    as_coordinator = [a.title for a in selectors.action_areas_for(p.coordinator.user)]
    assert as_coordinator == ["area:2", "area:committee"]

    later = new_action(p, plan.objective, "action:later")
    services.reorder_actions(
        actor=p.coordinator, objective=plan.objective, actions=[later, plan.action]
    )
    titles = [a.title for a in Action.objects.filter(objective=plan.objective)]
    assert titles == ["action:later", "action:caucus", "action:committee"]

    with pytest.raises(ValidationError):
        services.reorder_actions(
            actor=p.coordinator, objective=plan.objective, actions=[later, later]
        )
    with pytest.raises(Http404):
        services.reorder_actions(
            actor=p.coordinator, objective=plan.objective, actions=[plan.caucus_action, later]
        )
    objective = services.create_objective(actor=p.coordinator, area=plan.area, title="objective:2")
    services.reorder_objectives(actor=p.coordinator, area=plan.area, objectives=[objective])
    with pytest.raises(ValidationError):
        services.reorder_objectives(
            actor=p.coordinator, area=plan.area, objectives=[objective, plan.caucus_objective]
        )
    assert list(Objective.objects.filter(area=plan.area)) == [plan.objective, objective]


# --- agreeing an area --------------------------------------------------------------------------


@pytest.fixture
def fresh(personas, seated):
    """An area not yet agreed with an objective and a proposed action."""
    p = personas
    area = services.create_action_area(actor=p.coordinator, title="Fresh", visibility="committee")
    objective = services.create_objective(actor=p.coordinator, area=area, title="Objective")
    action = new_action(p, objective)
    return area, objective, action


def not_agreed_proposals(p):
    return {
        "blocked": blocked_proposal(p),
        "open": make_proposal(p.coordinator, "Still open", status="decision"),
        "in discussion": make_proposal(p.coordinator, "Talking", status="discussion"),
    }


def test_an_area_is_agreed_only_through_a_closed_agreed_proposal(personas, fresh):
    p = personas
    area, _objective, _action = fresh
    for label, proposal in not_agreed_proposals(p).items():
        with pytest.raises(ValidationError):
            services.agree_action_area(actor=p.coordinator, area=area, proposal=proposal)
        assert reloaded(area).agreed_by is None, label
    hidden = caucus_agreed_proposal(p)
    with pytest.raises(Http404):
        services.agree_action_area(actor=p.coordinator, area=area, proposal=hidden)
    assert reloaded(area).agreed_by is None
    agreed = agreed_proposal(p)
    with pytest.raises(ValidationError):
        services.agree_action_area(actor=p.police, area=area, proposal=agreed)
    services.agree_action_area(actor=p.coordinator, area=area, proposal=agreed)
    area = reloaded(area)
    assert (area.agreed_by, area.is_agreed) == (agreed, True)
    services.agree_action_area(actor=p.coordinator, area=area, proposal=agreed)  # no change
    with pytest.raises(ValidationError):
        services.agree_action_area(
            actor=p.coordinator, area=area, proposal=agreed_proposal(p, "Another")
        )
    assert reloaded(area).agreed_by == agreed
    assert AuditEntry.objects.filter(action="action_area.agree").count() == 1


def ask_positions(p, proposal, *, block: bool = False):
    """The drafted proposal opened for positions, every seat agreeing (the police blocking)."""
    committee_services.start_discussion(actor=p.coordinator, proposal=proposal)
    committee_services.open_for_positions(
        actor=p.coordinator, proposal=proposal, closes_at=timezone.now() + timedelta(days=7)
    )
    for person in everyone_seated(p):
        if block and person == p.police:
            committee_services.cast_position(
                person=person, proposal=proposal, stance=Stance.BLOCK, reason="Not like this"
            )
        else:
            committee_services.cast_position(person=person, proposal=proposal, stance=Stance.AGREE)
    return reloaded(proposal)


def test_closing_the_drafted_proposal_agreed_agrees_its_area(personas, fresh):
    p = personas
    area, _objective, _action = fresh
    proposal = ask_positions(p, services.draft_area_proposal(actor=p.coordinator, area=area))
    assert reloaded(area).agreed_by is None  # open: not yet

    committee_services.close_proposal(actor=p.coordinator, proposal=proposal)

    area = reloaded(area)
    assert (area.agreed_by, area.is_agreed) == (proposal, True)
    entry = AuditEntry.objects.get(action="action_area.agree")
    assert (entry.actor, entry.changes) == (p.coordinator.user, {"proposal": proposal.pk})


def test_the_deadline_closing_the_drafted_proposal_agreed_agrees_its_area(personas, fresh):
    p = personas
    area, _objective, _action = fresh
    proposal = ask_positions(p, services.draft_area_proposal(actor=p.coordinator, area=area))

    committee_services.close_due_proposals(now=proposal.closes_at + timedelta(minutes=1))

    assert reloaded(area).agreed_by == proposal
    assert AuditEntry.objects.get(action="action_area.agree").actor is None


def test_a_drafted_proposal_closing_blocked_leaves_its_area_unagreed(personas, fresh):
    p = personas
    area, _objective, _action = fresh
    proposal = services.draft_area_proposal(actor=p.coordinator, area=area)
    proposal = ask_positions(p, proposal, block=True)

    committee_services.close_proposal(actor=p.coordinator, proposal=proposal)

    assert reloaded(proposal).result == "blocked"
    assert reloaded(area).agreed_by is None
    assert not AuditEntry.objects.filter(action="action_area.agree").exists()


# --- approving actions -------------------------------------------------------------------------


def test_an_action_is_approved_only_through_a_closed_agreed_visible_proposal(personas, fresh):
    p = personas
    _area, _objective, action = fresh
    for label, proposal in not_agreed_proposals(p).items():
        with pytest.raises(ValidationError):
            services.approve_actions(actor=p.coordinator, proposal=proposal, actions=[action])
        assert (reloaded(action).status, reloaded(action).approved_by) == ("proposed", None), label
    with pytest.raises(Http404):
        services.approve_actions(
            actor=p.coordinator, proposal=caucus_agreed_proposal(p), actions=[action]
        )
    assert reloaded(action).status == "proposed"
    agreed = agreed_proposal(p)
    with pytest.raises(ValidationError):
        services.approve_actions(actor=p.police, proposal=agreed, actions=[action])
    assert reloaded(action).status == "proposed"
    assert not AuditEntry.objects.filter(action="action.approve").exists()

    services.approve_actions(actor=p.coordinator, proposal=agreed, actions=[action])
    action = reloaded(action)
    assert (action.status, action.approved_by, action.is_approved) == ("approved", agreed, True)
    assert AuditEntry.objects.get(action="action.approve").changes == {"proposal": agreed.pk}


def test_a_proposal_of_another_community_approves_nothing_here(personas, fresh):
    from committee import services as committee_services

    p = personas
    _area, _objective, action = fresh
    elsewhere = committee_services.create_proposal(
        author=p.outsider, title="Elsewhere", body="Theirs.", visibility="committee"
    )
    with pytest.raises(Http404):
        services.approve_actions(actor=p.coordinator, proposal=elsewhere, actions=[action])
    assert reloaded(action).status == "proposed"


def test_one_refused_action_approves_none_of_them(personas, fresh):
    p = personas
    _area, objective, action = fresh
    dropped = new_action(p, objective, "Dropped idea")
    services.set_action_status(actor=p.coordinator, action=dropped, status="dropped")
    with pytest.raises(ValidationError):
        services.approve_actions(
            actor=p.coordinator, proposal=agreed_proposal(p), actions=[action, dropped]
        )
    assert [reloaded(a).status for a in (action, dropped)] == ["proposed", "dropped"]


def test_no_other_path_sets_an_action_approved(personas, fresh, plan):
    p = personas
    _area, _objective, action = fresh
    for status in ("approved", "in_progress", "done", "stalled"):
        with pytest.raises(ValidationError):
            services.set_action_status(actor=p.coordinator, action=action, status=status)
        assert reloaded(action).status == "proposed"
    with pytest.raises(ValidationError):
        services.set_action_status(actor=p.coordinator, action=plan.action, status="approved")
    assert reloaded(plan.action).status == "in_progress"


def test_a_caucus_approves_its_own_action_through_a_proposal_it_can_see(personas, plan):
    p = personas
    hidden = caucus_agreed_proposal(p)
    services.approve_actions(actor=p.experiential, proposal=hidden, actions=[plan.caucus_action])
    assert reloaded(plan.caucus_action).approved_by == hidden
    # The committee's action under the caucus's view is not the caucus's to approve.
    later = new_action(p, plan.objective, "Committee work")
    with pytest.raises(ValidationError):
        services.approve_actions(actor=p.experiential, proposal=plan.proposal, actions=[later])


# --- actions: who, when, how far ---------------------------------------------------------------


def test_the_responsible_person_must_be_able_to_see_the_action(personas, plan):
    p = personas
    with pytest.raises(ValidationError):
        new_action(
            p,
            plan.objective,
            visibility=Visibility.ORGANIZATION,
            responsible=p.police,  # not in the coordinator's organization
        )
    with pytest.raises(ValidationError):
        new_action(p, plan.objective, responsible=p.admin)
    with pytest.raises(ValidationError):
        services.create_action(
            actor=p.experiential,
            objective=plan.caucus_objective,
            title="Caucus work",
            visibility="committee",
            responsible=p.police,  # the caucus area hides it from police
        )
    assert not Action.objects.filter(title__in=["Night van", "Caucus work"]).exists()


def test_an_action_is_not_due_before_it_starts_and_its_organizations_are_local(personas, plan):
    from tests.conftest import make_organization

    p = personas
    today = community_today()
    with pytest.raises(ValidationError):
        new_action(p, plan.objective, starts_on=today, due_on=today - timedelta(days=1))
    elsewhere = make_organization(p.other_community, "youth", "Harbour Youth")
    with pytest.raises(ValidationError):
        new_action(p, plan.objective, partner_organizations=[elsewhere])
    with pytest.raises(ValidationError):
        services.update_action(
            actor=p.coordinator, action=plan.action, title="X", lead_organization=elsewhere
        )
    assert reloaded(plan.action).title == "action:committee"


def test_update_action_changes_what_the_form_shows_and_audits_before_and_after(personas, plan):
    p = personas
    services.update_action(
        actor=p.coordinator,
        action=plan.action,
        title="Outreach van, three nights",
        lead_organization=p.health.organization,
        partner_organizations=[],
        responsible=p.coordinator,
    )
    action = reloaded(plan.action)
    assert (action.title, action.lead_organization, action.responsible) == (
        "Outreach van, three nights",
        p.health.organization,
        p.coordinator,
    )
    assert list(action.partner_organizations.all()) == []
    entry = AuditEntry.objects.filter(action="action.update").get()
    assert entry.changes["before"]["title"] == "action:committee"
    assert entry.changes["after"]["responsible"] == p.coordinator.pk
    with pytest.raises(ValidationError):
        services.update_action(actor=p.health, action=plan.action, title="By the responsible")


def test_status_moves_done_sets_full_progress_and_a_dropped_idea_can_be_proposed_again(
    personas, plan, fresh
):
    p = personas
    services.set_action_status(actor=p.health, action=plan.action, status="stalled")
    services.set_action_status(actor=p.health, action=plan.action, status="done")
    assert (reloaded(plan.action).status, reloaded(plan.action).progress) == ("done", 100)
    with pytest.raises(ValidationError):
        services.set_action_status(actor=p.coordinator, action=plan.action, status="proposed")
    _area, _objective, idea = fresh
    services.set_action_status(actor=p.coordinator, action=idea, status="dropped")
    services.set_action_status(actor=p.coordinator, action=idea, status="proposed")
    assert reloaded(idea).status == "proposed"
    with pytest.raises(ValidationError):
        services.set_action_status(actor=p.coordinator, action=idea, status="sleeping")


def test_only_the_responsible_person_or_a_planner_reports_on_an_action(personas, plan):
    p = personas
    for person in (p.police, p.resident, p.admin):
        with pytest.raises((ValidationError, Http404)):
            services.set_action_progress(actor=person, action=plan.action, progress=90)
        with pytest.raises((ValidationError, Http404)):
            services.add_progress_update(
                actor=person, action=plan.action, on=community_today(), note="Me too"
            )
    assert reloaded(plan.action).progress == 40
    assert ProgressUpdate.objects.filter(action=plan.action).count() == 1
    services.set_action_progress(actor=p.health, action=plan.action, progress=50)
    services.set_action_progress(actor=p.coordinator, action=plan.action, progress=55)
    assert reloaded(plan.action).progress == 55


def test_progress_is_reported_on_approved_work_that_is_not_finished(personas, plan, fresh):
    p = personas
    _area, _objective, proposed = fresh
    with pytest.raises(ValidationError):
        services.set_action_progress(actor=p.coordinator, action=proposed, progress=10)
    with pytest.raises(ValidationError):
        services.set_action_progress(actor=p.coordinator, action=plan.action, progress=101)
    services.set_action_status(actor=p.coordinator, action=plan.action, status="done")
    with pytest.raises(ValidationError):
        services.set_action_progress(actor=p.coordinator, action=plan.action, progress=60)
    # A note, or an indicator's final value, can still be reported.
    services.add_progress_update(
        actor=p.health,
        action=plan.action,
        on=community_today(),
        indicator=plan.indicator,
        value=Decimal("36"),
    )
    assert reloaded(plan.action).progress == 100


def test_the_action_follows_its_latest_dated_progress_report(personas, plan):
    p = personas
    today = community_today()
    services.add_progress_update(actor=p.health, action=plan.action, on=today, progress=70)
    services.add_progress_update(
        actor=p.health, action=plan.action, on=today - timedelta(days=30), progress=10
    )
    assert reloaded(plan.action).progress == 70
    with pytest.raises(ValidationError):
        services.add_progress_update(
            actor=p.health, action=plan.action, on=today + timedelta(days=1), progress=80
        )
    with pytest.raises(ValidationError):
        services.add_progress_update(actor=p.health, action=plan.action, on=today)
    with pytest.raises(ValidationError):
        services.add_progress_update(
            actor=p.health, action=plan.action, on=today, indicator=plan.indicator
        )
    other = Indicator.objects.get(name="indicator:caucus")
    with pytest.raises(Http404):
        services.add_progress_update(
            actor=p.health, action=plan.action, on=today, indicator=other, value=Decimal(1)
        )
    assert reloaded(plan.action).progress == 70
    assert ProgressUpdate.objects.filter(action=plan.action).count() == 3


def test_planners_manage_indicators_and_one_with_values_stays(personas, plan):
    p = personas
    with pytest.raises(ValidationError):
        services.add_indicator(actor=p.health, action=plan.action, name="By the responsible")
    with pytest.raises(ValidationError):
        services.add_indicator(actor=p.coordinator, action=plan.action, name="X", target=-1)
    extra = services.add_indicator(actor=p.coordinator, action=plan.action, name="Referrals")
    services.update_indicator(
        actor=p.coordinator, indicator=extra, name="Referrals made", target=Decimal(20), unit=""
    )
    with pytest.raises(ValidationError):
        services.remove_indicator(actor=p.coordinator, indicator=plan.indicator)
    services.remove_indicator(actor=p.coordinator, indicator=extra)
    assert list(Indicator.objects.filter(action=plan.action)) == [plan.indicator]


# --- who sees it -------------------------------------------------------------------------------


def test_only_the_author_changes_who_sees_a_record_and_public_waits_for_agreement(
    personas, plan, fresh
):
    p = personas
    area, _objective, proposed = fresh
    with pytest.raises(ValidationError):
        services.change_visibility(actor=p.police, record=plan.need, visibility="coordinators")
    with pytest.raises(ValidationError):
        services.change_visibility(actor=p.coordinator, record=area, visibility="public")
    with pytest.raises(ValidationError):
        services.change_visibility(actor=p.coordinator, record=proposed, visibility="public")
    with pytest.raises(ValidationError):
        # the responsible person (health) is not in the coordinator's organization
        services.change_visibility(
            actor=p.coordinator, record=plan.action, visibility="organization"
        )
    assert reloaded(plan.action).visibility == "committee"
    with pytest.raises(ValidationError):  # shown under its area, which is not public yet
        services.change_visibility(actor=p.coordinator, record=plan.action, visibility="public")
    services.change_visibility(actor=p.coordinator, record=plan.area, visibility="public")
    services.change_visibility(actor=p.coordinator, record=plan.action, visibility="public")
    assert [a.title for a in selectors.actions_for(p.outsider.user, p.community)] == [
        "action:committee"
    ]
    with pytest.raises(Http404):
        services.change_visibility(
            actor=p.coordinator, record=plan.caucus_action, visibility="committee"
        )
    assert AuditEntry.objects.filter(
        action="visibility.grants", target_id=str(plan.area.pk)
    ).exists()
