"""Shared personas: one person per sector and role, in one community, plus an outsider from
another community. Every access test reuses them (after healthchecks' `hc/test.py`)."""

import os
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone, translation

from committee.models import Committee, Proposal, Seat
from lic.celery import app as celery_app
from stakeholders import services
from stakeholders.models import Community, Organization, Person, Sector

IN_CI = os.environ.get("CI") == "true"
PASSWORD = "a-Long-test-pass-2026"  # every persona's


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests create many accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _two_factor_not_required(settings):
    """Coordinators and administrators must use two-step sign-in; the general suite (the live
    server of the browser journeys too) signs them in without it. `tests/test_two_factor.py`
    turns the requirement back on. Anyone who has a device is still asked for its code."""
    settings.TWO_FACTOR_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Each test starts with an empty cache (rate-limit counters, "seen" marks): keys of its
    own, so that tests in parallel on one Redis never meet and nothing there is flushed."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A request through the test client by a persona
    who reads French activates French for this thread (PersonLanguageMiddleware, like Django's
    LocaleMiddleware, activates a language per request and leaves it), and the next test run by
    the same worker would otherwise read its messages and dates in French."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _celery_in_process(settings):
    """Tests call tasks in process, except the one test that starts a real worker."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def make_proposal(
    author: Person,
    title: str = "Open the drop-in centre at night",
    *,
    status: str = "draft",
    body: str = "We propose **night hours**.",
    visibility: str = "committee",
    sectors=(),
    anonymous: bool = False,
) -> Proposal:
    """A proposal by `author`, taken by its author to `status` (draft, discussion or decision,
    open for a week) through the services, as a person would."""
    from committee import services as committee_services

    proposal = committee_services.create_proposal(
        author=author,
        title=title,
        body=body,
        visibility=visibility,
        sectors=sectors,
        anonymous=anonymous,
    )
    if status in {"discussion", "decision"}:
        committee_services.start_discussion(actor=author, proposal=proposal)
    if status == "decision":
        committee_services.open_for_positions(
            actor=author, proposal=proposal, closes_at=timezone.now() + timedelta(days=7)
        )
    proposal.refresh_from_db()
    return proposal


def make_community(name: str, slug: str) -> Community:
    return services.create_community(name=name, slug=slug, timezone_name="America/Vancouver")


def make_organization(community: Community, sector_key: str, name: str) -> Organization:
    return services.create_organization(
        community=community,
        sector=Sector.objects.get(community=community, key=sector_key),
        name=name,
        status=Organization.Status.ACTIVE,
    )


def make_person(
    community: Community,
    username: str,
    *,
    sector_keys: tuple[str, ...],
    role: str = "member",
    organization: Organization | None = None,
    display_name: str | None = None,
) -> Person:
    return services.create_person(
        community=community,
        username=username,
        password=PASSWORD,
        display_name=display_name or username.title(),
        email=f"{username}@example.org",
        phone="604-555-0100",
        sectors=Sector.objects.filter(community=community, key__in=sector_keys),
        role=role,
        organization=organization,
    )


@dataclass
class Personas:
    community: Community
    other_community: Community
    experiential: Person
    experiential_peer: Person  # another experiential member, from another organization
    police: Person
    police_colleague: Person  # same organization as `police`
    resident: Person
    business: Person
    health: Person
    coordinator: Person
    admin: Person
    outsider: Person  # a coordinator of another community, experiential sector too

    def sector(self, key: str) -> Sector:
        return Sector.objects.get(community=self.community, key=key)


@pytest.fixture
def personas(db) -> Personas:
    return build_personas()


def build_personas() -> Personas:
    """The personas, for fixtures of any scope (`tests/route_matrix` builds them once per
    module)."""
    community = make_community("Riverside", "riverside")
    other = make_community("Harbourview", "harbourview")
    peers = make_organization(community, "experiential", "Peers Riverside")
    police_service = make_organization(community, "law-enforcement", "Riverside Police")
    health_org = make_organization(community, "health", "Community Health")
    outreach = make_organization(community, "sex-worker-services", "Safe Harbour Outreach")
    city = make_organization(community, "municipal-government", "City Social Planning")
    other_peers = make_organization(other, "experiential", "Harbour Peers")
    return Personas(
        community=community,
        other_community=other,
        experiential=make_person(
            community, "jade", sector_keys=("experiential",), organization=peers
        ),
        experiential_peer=make_person(community, "rosa", sector_keys=("experiential",)),
        police=make_person(
            community, "alex", sector_keys=("law-enforcement",), organization=police_service
        ),
        police_colleague=make_person(
            community, "maria", sector_keys=("law-enforcement",), organization=police_service
        ),
        resident=make_person(community, "marguerite", sector_keys=("residents",)),
        business=make_person(community, "priya", sector_keys=("business",)),
        health=make_person(community, "omar", sector_keys=("health",), organization=health_org),
        coordinator=make_person(
            community,
            "sam",
            sector_keys=("sex-worker-services",),
            role="coordinator",
            organization=outreach,
        ),
        admin=make_person(
            community,
            "dana",
            sector_keys=("municipal-government",),
            role="administrator",
            organization=city,
        ),
        outsider=make_person(
            other,
            "harbour",
            sector_keys=("experiential",),
            role="coordinator",
            organization=other_peers,
        ),
    )


@dataclass
class Seated:
    """The personas' committee: a seat per sector with an alternate on the police seat and an
    observer who holds none. `coordinator` and `admin` keep their community roles."""

    committee: Committee
    observer: Person
    seats: dict[str, Seat]  # by sector key


@pytest.fixture
def seated(personas) -> Seated:
    return build_seated(personas)


def build_seated(personas: Personas) -> Seated:
    from committee import services as committee_services
    from committee.models import CommitteeRole

    p = personas
    committee = committee_services.ensure_committee(community=p.community)

    def seat(sector_key, primary, *, organization=True, alternate=None):
        return committee_services.create_seat(
            actor=None,
            committee=committee,
            sector=p.sector(sector_key),
            primary=primary,
            organization=primary.organization if organization else None,
            alternate=alternate,
        )

    observer = make_person(p.community, "olive", sector_keys=("youth",))
    committee_services.set_committee_role(
        actor=None, committee=committee, person=observer, role=CommitteeRole.OBSERVER
    )
    seats = {
        "experiential": seat("experiential", p.experiential),
        "law-enforcement": seat("law-enforcement", p.police, alternate=p.police_colleague),
        "residents": seat("residents", p.resident, organization=False),
        "business": seat("business", p.business, organization=False),
        "health": seat("health", p.health),
        "sex-worker-services": seat("sex-worker-services", p.coordinator),
    }
    return Seated(committee=committee, observer=observer, seats=seats)
