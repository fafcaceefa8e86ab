"""`manage.py seed_demo` builds a believable community, and a second run changes nothing."""

from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

from committee import selectors as committee_selectors
from committee.models import Proposal
from stakeholders.models import Community, Organization, OrganizationNote, Person

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
