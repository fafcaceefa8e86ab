"""`manage.py seed_demo` builds a believable community, and a second run changes nothing."""

from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

from committee import selectors as committee_selectors
from committee.models import Proposal
from stakeholders.models import Community, Organization, OrganizationNote, Person
from workplans import selectors as workplan_selectors
from workplans.models import (
    Action,
    ActionArea,
    IntendedOutcome,
    Need,
    NeedVote,
    Objective,
    ProgressUpdate,
)

LOGINS = {
    "demo-admin": "administrator",
    "demo-coordinator": "coordinator",
    "demo-experiential": "member",
    "demo-police": "member",
    "demo-resident": "member",
    "demo-business": "member",
    "demo-health": "member",
}


def counts():
    return (
        Community.objects.count(),
        Organization.objects.count(),
        Person.objects.count(),
        OrganizationNote.objects.count(),
        Proposal.objects.count(),
        IntendedOutcome.objects.count(),
        Need.objects.count(),
        NeedVote.objects.count(),
        ActionArea.objects.count(),
        Objective.objects.count(),
        Action.objects.count(),
        ProgressUpdate.objects.count(),
    )


def test_it_builds_a_community_across_every_sector_with_one_login_per_role(db, rf):
    call_command("seed_demo", password="pass-for-tests-2026", stdout=StringIO())
    community = Community.objects.get(slug="riverside")
    assert 18 <= community.organizations.count() <= 25
    assert 35 <= community.people.count() <= 45
    for sector in community.sectors.all():
        assert sector.organizations.exists(), sector.key
        assert sector.people.filter(role__in=["member", "coordinator"]).exists(), sector.key
    for username, role in LOGINS.items():
        sign_in = rf.post("/accounts/login/")
        user = authenticate(sign_in, username=username, password="pass-for-tests-2026")
        assert user is not None, username
        assert user.person.role == role
    coordinator = Person.objects.get(user__username="demo-coordinator")
    assert {group.name for group in coordinator.user.groups.all()} >= {
        f"lic:{community.pk}:members",
        f"lic:{community.pk}:coordinators",
    }
    assert not Person.objects.get(user__username="demo-admin").user.groups.exists()


def test_running_it_twice_does_no_harm(db):
    call_command("seed_demo", stdout=StringIO())
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first


def test_its_committee_gives_each_demo_login_something_to_do(db):
    call_command("seed_demo", stdout=StringIO())
    experiential = Person.objects.get(user__username="demo-experiential").user
    police = Person.objects.get(user__username="demo-police").user
    coordinator = Person.objects.get(user__username="demo-coordinator").user

    waiting = committee_selectors.awaiting_my_position(
        experiential, committee_selectors.proposals_for(experiential)
    ).filter(awaits_me=True)
    assert [p.title for p in waiting] == ["Outreach van stops on the Eastside at night"]

    seen_by = {
        user: set(committee_selectors.proposals_for(user).values_list("title", flat=True))
        for user in (experiential, police, coordinator)
    }
    caucus = "Share bad-date reports with police only with consent"
    assert caucus in seen_by[experiential]
    assert caucus not in seen_by[police] | seen_by[coordinator]
    assert "Budget for meeting honoraria" in seen_by[coordinator] - seen_by[police]

    statuses = {p.title: (p.status, p.result, p.version) for p in Proposal.objects.all()}
    assert statuses["Hold a community dialogue on safety in Old Mill"] == ("closed", "agreed", 1)
    revised = statuses["Softer, steady lighting in the laneway behind Main Street"]
    assert revised == ("discussion", "", 2)

    sectors_with_a_seat = {
        row.sector.key for row in committee_selectors.representation(coordinator) if row.seats
    }
    assert {"experiential", "law-enforcement", "residents", "youth"} <= sectors_with_a_seat


def test_its_work_plan_walks_the_five_steps_and_keeps_the_caucus_need_in_the_caucus(db):
    call_command("seed_demo", stdout=StringIO())
    users = {
        login: Person.objects.get(user__username=f"demo-{login}").user
        for login in ("coordinator", "experiential", "police", "admin")
    }
    coordinator, experiential, police = (
        users[k] for k in ("coordinator", "experiential", "police")
    )

    steps = workplan_selectors.adaptation_steps(coordinator)
    assert [(step.key, step.done) for step in steps] == [
        ("reality", True),
        ("intention", True),
        ("committee", True),
        ("needs", True),
        ("workplan", True),
    ]
    assert [option.chosen for option in workplan_selectors.outcome_menu(police)] == [True] * 4

    caucus_need = "Bad-date warnings travel too slowly between us"
    needs = {
        user: set(workplan_selectors.needs_for(user).values_list("title", flat=True))
        for user in users.values()
    }
    assert caucus_need in needs[experiential]
    assert caucus_need not in needs[police] | needs[coordinator] | needs[users["admin"]]
    assert len(needs[police]) == 5 and needs[users["admin"]] == set()

    spring = workplan_selectors.open_prioritization(police)
    caucus_view = workplan_selectors.prioritization_results(experiential, spring)
    police_view = workplan_selectors.prioritization_results(police, spring)
    assert caucus_view.needs[0].need.title == caucus_need
    assert caucus_view.total == police_view.total + 5  # Jade's 2 and Rosa's 3 caucus dots
    assert caucus_need not in {tally.need.title for tally in police_view.needs}

    workplan = workplan_selectors.workplan_for(police)
    assert [(area.area.title, area.area.agreed_by.result) for area in workplan.areas] == [
        ("Enhance and coordinate local services for sex workers", "agreed"),
        (
            "Increase the capacities of residents and businesses to address local challenges",
            "agreed",
        ),
    ]
    statuses = sorted(action.status for action in workplan.actions)
    assert statuses == ["approved", "done", "dropped", "in_progress", "proposed", "stalled"]
    caucus_action = "Peer-run bad-date alert sheet"
    assert caucus_action not in {action.title for action in workplan.actions}
    assert caucus_action in {
        action.title for action in workplan_selectors.workplan_for(experiential).actions
    }
    assert all(0 <= (area.progress or 0) <= 100 for area in workplan.areas)
    assert [action.title for action in workplan_selectors.overdue_actions_for(police)] == [
        "A nurse on the van two nights a week"
    ]
    van = next(a for a in workplan.actions if a.title.startswith("Run the outreach van"))
    series = workplan_selectors.indicator_series(workplan_selectors.get_action(police, van.pk))
    assert [value for _day, value in series[0].points] == [8, 19, 27]
    assert van.progress == 60
