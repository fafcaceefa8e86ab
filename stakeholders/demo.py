"""The demo community's people and organizations, which `manage.py seed_demo` builds (then the
committee adds its own part, see `committee.demo`): believable, across every sector. Safe to
run again: it only adds what is missing."""

from dataclasses import dataclass

from . import services
from .models import Community, Organization, OrganizationNote, Person, Sector

DEMO_COMMUNITY = {"name": "Riverside", "slug": "riverside", "timezone": "America/Vancouver"}

# sector key -> organizations in that sector
ORGANIZATIONS = {
    "experiential": ["Peers Riverside", "Night Voices Collective"],
    "sex-worker-services": ["Safe Harbour Outreach", "Street Light Drop-in"],
    "law-enforcement": ["Riverside Police Service"],
    "community-policing": ["Eastside Community Policing Centre"],
    "health": ["Riverside Community Health", "Harm Reduction Nurses Network"],
    "municipal-government": ["City of Riverside Social Planning"],
    "provincial-government": ["Provincial Ministry of Public Safety"],
    "neighbourhood": ["Old Mill Neighbourhood House", "Eastside Residents' Council"],
    "residents": ["Riverbank Strata Group"],
    "aboriginal": ["Riverside Friendship Centre", "Sisters of the Four Directions"],
    "business": ["Riverside Business Association", "Main Street Merchants"],
    "youth": ["Youth Options Riverside", "Riverside Youth Shelter", "Safe Teens Project"],
}

# username suffix, display name, role, sector key, organization (None: independent member)
DEMO_LOGINS = [
    (
        "admin",
        "Dana (administrator)",
        "administrator",
        "municipal-government",
        "City of Riverside Social Planning",
    ),
    ("coordinator", "Sam Rivera", "coordinator", "sex-worker-services", "Safe Harbour Outreach"),
    ("experiential", "Jade", "member", "experiential", "Peers Riverside"),
    ("police", "Sgt. Alex Chen", "member", "law-enforcement", "Riverside Police Service"),
    ("resident", "Marguerite Lavoie", "member", "residents", None),
    ("business", "Priya Natarajan", "member", "business", "Riverside Business Association"),
    ("health", "Dr. Omar Haddad", "member", "health", "Riverside Community Health"),
]

# More committee members and guests, so that the committee looks like a real one.
OTHER_PEOPLE = [
    ("Rosa", "experiential", "Night Voices Collective"),
    ("Kit", "experiential", None),
    ("Lena Park", "sex-worker-services", "Street Light Drop-in"),
    ("Tom Okafor", "sex-worker-services", "Safe Harbour Outreach"),
    ("Cst. Maria Lopez", "law-enforcement", "Riverside Police Service"),
    ("Greg Fraser", "community-policing", "Eastside Community Policing Centre"),
    ("Ines Duarte", "community-policing", "Eastside Community Policing Centre"),
    ("Nurse Beth Wong", "health", "Harm Reduction Nurses Network"),
    ("Aaron Blake", "municipal-government", "City of Riverside Social Planning"),
    ("Councillor June Harper", "municipal-government", None),
    ("Victor Singh", "provincial-government", "Provincial Ministry of Public Safety"),
    ("Claire Dubois", "provincial-government", "Provincial Ministry of Public Safety"),
    ("Hannah Kowalski", "neighbourhood", "Old Mill Neighbourhood House"),
    ("Pete Morrison", "neighbourhood", "Eastside Residents' Council"),
    ("Linda Chow", "residents", "Riverbank Strata Group"),
    ("Bob Tremblay", "residents", None),
    ("Elder Mary Thunderbird", "aboriginal", "Riverside Friendship Centre"),
    ("Cheryl Littlechild", "aboriginal", "Sisters of the Four Directions"),
    ("Joe Alvarez", "aboriginal", "Riverside Friendship Centre"),
    ("Mei Lin", "business", "Main Street Merchants"),
    ("Frank Russo", "business", "Main Street Merchants"),
    ("Tasha Green", "youth", "Youth Options Riverside"),
    ("Devon Clarke", "youth", "Riverside Youth Shelter"),
    ("Ayesha Rahman", "youth", "Safe Teens Project"),
    ("Nico Santos", "youth", None),
    ("Robin Ellis", "sex-worker-services", "Street Light Drop-in"),
    ("Fatima Noor", "health", "Riverside Community Health"),
    ("Paul Girard", "law-enforcement", "Riverside Police Service"),
    ("Sofia Marino", "neighbourhood", "Old Mill Neighbourhood House"),
    ("Ken Yamamoto", "business", "Riverside Business Association"),
    ("Grace Adeyemi", "municipal-government", "City of Riverside Social Planning"),
    ("Luc Bergeron", "residents", "Riverbank Strata Group"),
    ("Amara Okoye", "youth", "Youth Options Riverside"),
]

# author login, organization, visibility, sectors (keys), body
NOTES = [
    (
        "coordinator",
        "Riverside Police Service",
        "committee",
        [],
        "Their liaison officer comes to every meeting and has asked for the outreach schedule.",
    ),
    (
        "experiential",
        "Riverside Police Service",
        "sectors",
        ["experiential"],
        "Caucus only: two of us were moved along from Eastside last week. Raise at next meeting?",
    ),
    (
        "coordinator",
        "Riverbank Strata Group",
        "coordinators",
        [],
        "Confidential: the strata chair asked for names of outreach workers. We declined.",
    ),
    (
        "health",
        "Safe Harbour Outreach",
        "organization",
        [],
        "Our nurses can join their Tuesday van shift from March.",
    ),
    (
        "business",
        "Main Street Merchants",
        "committee",
        [],
        "They would like to co-host the next community dialogue.",
    ),
]


@dataclass
class DemoStakeholders:
    community: Community
    organizations: dict[str, Organization]  # by name
    logins: dict[str, Person]  # by login suffix ("coordinator", "experiential", ...)
    people: dict[str, Person]  # by display name, everyone


def seed_stakeholders(*, password: str) -> DemoStakeholders:
    community = Community.objects.filter(slug=DEMO_COMMUNITY["slug"]).first()
    if community is None:
        community = services.create_community(
            name=DEMO_COMMUNITY["name"],
            slug=DEMO_COMMUNITY["slug"],
            timezone_name=DEMO_COMMUNITY["timezone"],
        )
    sectors = {sector.key: sector for sector in Sector.objects.filter(community=community)}
    organizations = _organizations(community, sectors)
    logins, people = {}, {}
    for suffix, name, role, sector_key, organization in DEMO_LOGINS:
        logins[suffix] = people[name] = _person(
            community,
            f"demo-{suffix}",
            name,
            role,
            sectors[sector_key],
            organizations.get(organization),
            password,
        )
    for index, (name, sector_key, organization) in enumerate(OTHER_PEOPLE, start=1):
        people[name] = _person(
            community,
            f"member-{index:02d}",
            name,
            "member",
            sectors[sector_key],
            organizations.get(organization),
            password,
        )
    for author, organization, visibility, sector_keys, body in NOTES:
        if not OrganizationNote.objects.filter(community=community, body=body).exists():
            services.write_organization_note(
                author=logins[author],
                organization=organizations[organization],
                body=body,
                visibility=visibility,
                sectors=[sectors[key] for key in sector_keys],
            )
    return DemoStakeholders(community, organizations, logins, people)


def _organizations(community: Community, sectors: dict[str, Sector]) -> dict[str, Organization]:
    organizations = {}
    for sector_key, names in ORGANIZATIONS.items():
        for name in names:
            organization = Organization.objects.filter(community=community, name=name).first()
            if organization is None:
                organization = services.create_organization(
                    community=community,
                    sector=sectors[sector_key],
                    name=name,
                    status=Organization.Status.ACTIVE,
                )
            organizations[name] = organization
    return organizations


def _person(community, username, name, role, sector, organization, password) -> Person:
    person = Person.objects.filter(user__username=username).first()
    if person is not None:
        return person
    return services.create_person(
        community=community,
        username=username,
        password=password,
        display_name=name,
        email=f"{username}@example.org",
        sectors=[sector],
        role=role,
        organization=organization,
    )
