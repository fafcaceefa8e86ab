"""The demo committee that `manage.py seed_demo` adds to the demo community: seats for every
sector, a chair and an observer, and proposals at every stage, so that each demo login finds
something to do. Safe to run again: it only adds what is missing."""

from datetime import timedelta

from django.utils import timezone

from stakeholders.demo import DemoStakeholders
from stakeholders.models import Person

from . import services
from .consensus import Stance
from .models import CommitteeRole, Proposal

TERMS_OF_REFERENCE = """\
The Riverside steering committee brings every voice on sex work and sexual exploitation in our
community to one table, so that **no voice is left out**.

- Every action is discussed and agreed by the whole committee.
- Current and former sex workers always have a seat.
- What is said in a caucus stays in the caucus.
"""

# (organization, primary, alternate); None as organization: an independent member's seat
SEATS = [
    ("Peers Riverside", "Jade", None),
    (None, "Kit", None),
    ("Safe Harbour Outreach", "Sam Rivera", "Tom Okafor"),
    ("Street Light Drop-in", "Lena Park", "Robin Ellis"),
    ("Riverside Police Service", "Sgt. Alex Chen", "Cst. Maria Lopez"),
    ("Eastside Community Policing Centre", "Greg Fraser", "Ines Duarte"),
    ("Riverside Community Health", "Dr. Omar Haddad", "Fatima Noor"),
    ("City of Riverside Social Planning", "Aaron Blake", "Grace Adeyemi"),
    ("Provincial Ministry of Public Safety", "Victor Singh", "Claire Dubois"),
    ("Old Mill Neighbourhood House", "Hannah Kowalski", "Sofia Marino"),
    (None, "Marguerite Lavoie", None),
    ("Riverside Friendship Centre", "Elder Mary Thunderbird", "Joe Alvarez"),
    ("Riverside Business Association", "Priya Natarajan", "Ken Yamamoto"),
    ("Youth Options Riverside", "Tasha Green", "Amara Okoye"),
]

ROLES = [
    ("Elder Mary Thunderbird", CommitteeRole.CHAIR),
    ("Jade", CommitteeRole.CO_CHAIR),
    ("Sam Rivera", CommitteeRole.COORDINATOR),
    ("Councillor June Harper", CommitteeRole.OBSERVER),
]


def seed_committee(demo: DemoStakeholders) -> None:
    community = demo.community
    people = demo.people
    committee = services.ensure_committee(community=community)
    if not committee.terms_of_reference:
        committee.terms_of_reference = TERMS_OF_REFERENCE
        committee.save(update_fields=["terms_of_reference"])
    if not committee.seats.exists():
        for organization_name, primary, alternate in SEATS:
            organization = demo.organizations[organization_name] if organization_name else None
            primary = people[primary]
            services.create_seat(
                actor=None,
                committee=committee,
                sector=organization.sector if organization else primary.sectors.get(),
                primary=primary,
                organization=organization,
                alternate=people[alternate] if alternate else None,
            )
        for name, role in ROLES:
            services.set_committee_role(
                actor=None, committee=committee, person=people[name], role=role
            )
    if not Proposal.objects.filter(community=community).exists():
        _proposals(demo)


def _answer_all(proposal: Proposal, people: dict[str, Person], except_for: set[str]) -> None:
    for _organization, primary, _alternate in SEATS:
        if primary not in except_for:
            services.cast_position(person=people[primary], proposal=proposal, stance=Stance.AGREE)


def _proposals(demo: DemoStakeholders) -> None:
    people, logins = demo.people, demo.logins
    coordinator = logins["coordinator"]
    soon = timezone.now() + timedelta(days=5)

    agreed = services.create_proposal(
        author=coordinator,
        title="Hold a community dialogue on safety in Old Mill",
        body="A public evening at Old Mill Neighbourhood House, co-hosted by the merchants, "
        "where residents, businesses and sex workers speak about safety **together**.",
        visibility="committee",
    )
    services.open_for_positions(actor=coordinator, proposal=agreed, closes_at=soon)
    _answer_all(agreed, people, except_for=set())
    services.cast_position(
        person=people["Marguerite Lavoie"],
        proposal=agreed,
        stance=Stance.RESERVATIONS,
        reason="Please hold it early in the evening so older residents can come.",
    )
    services.close_proposal(
        actor=coordinator,
        proposal=agreed,
        statement="Agreed. The dialogue is set for the second Thursday of the month, 6 pm.",
    )

    van = services.create_proposal(
        author=coordinator,
        title="Outreach van stops on the Eastside at night",
        body="Safe Harbour's van stops at three places on the Eastside **from 10 pm to 2 am**, "
        "with a nurse on Tuesdays.\n\nPolice patrols keep away from the stops while the van "
        "is there.",
        visibility="committee",
    )
    services.start_discussion(actor=coordinator, proposal=van)
    services.add_comment(
        author=people["Sgt. Alex Chen"],
        proposal=van,
        body="We can agree to keep patrols away from the stops during those hours.",
    )
    services.open_for_positions(actor=coordinator, proposal=van, closes_at=soon)
    services.cast_position(person=people["Sgt. Alex Chen"], proposal=van, stance=Stance.AGREE)
    services.cast_position(
        person=people["Dr. Omar Haddad"],
        proposal=van,
        stance=Stance.RESERVATIONS,
        reason="A nurse on Tuesdays only is thin; we will look for a second night.",
    )
    services.cast_position(person=people["Hannah Kowalski"], proposal=van, stance=Stance.AGREE)
    services.cast_position(
        person=people["Priya Natarajan"], proposal=van, stance=Stance.STAND_ASIDE
    )

    lighting = services.create_proposal(
        author=people["Priya Natarajan"],
        title="Brighter lighting in the laneway behind Main Street",
        body="Install motion-sensor floodlights along the whole laneway.",
        visibility="committee",
    )
    services.open_for_positions(actor=coordinator, proposal=lighting, closes_at=soon)
    _answer_all(lighting, people, except_for={"Tasha Green"})
    services.cast_position(
        person=people["Tasha Green"],
        proposal=lighting,
        stance=Stance.BLOCK,
        reason="Floodlights push young people into darker, less safe places nearby.",
    )
    services.close_proposal(
        actor=coordinator,
        proposal=lighting,
        statement="Blocked by the youth sector; the business association will revise it.",
    )
    services.revise_proposal(
        actor=people["Priya Natarajan"],
        proposal=lighting,
        title="Softer, steady lighting in the laneway behind Main Street",
        body="Steady, warm lighting along the laneway (no floodlights), agreed with youth "
        "outreach, with a review after three months.",
    )

    caucus = services.create_proposal(
        author=logins["experiential"],
        title="Share bad-date reports with police only with consent",
        body="Caucus only. Bad-date reports go to police **only** when the person who made "
        "the report says yes, every time.",
        visibility="sectors",
        sectors=logins["experiential"].sectors.all(),
    )
    services.start_discussion(actor=logins["experiential"], proposal=caucus)

    services.create_proposal(
        author=coordinator,
        title="Budget for meeting honoraria",
        body="Draft: pay experiential members an honorarium for each meeting.",
        visibility="coordinators",
    )
