"""`manage.py seed_demo` builds a believable community, and a second run changes nothing."""

from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

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
    )


def test_it_builds_a_community_across_every_sector_with_one_login_per_role(db):
    call_command("seed_demo", password="pass-for-tests-2026", stdout=StringIO())
    community = Community.objects.get(slug="riverside")
    assert 18 <= community.organizations.count() <= 25
    assert 35 <= community.people.count() <= 45
    for sector in community.sectors.all():
        assert sector.organizations.exists(), sector.key
        assert sector.people.filter(role__in=["member", "coordinator"]).exists(), sector.key
    for username, role in LOGINS.items():
        user = authenticate(username=username, password="pass-for-tests-2026")
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
