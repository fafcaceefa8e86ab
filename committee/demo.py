"""The demo committee that `manage.py seed_demo` adds to the demo community: seats for every
sector, a chair and an observer, proposals at every stage, meetings (one next week, one held
last month), and the trust agreement: agreed first, then changed once at the end
(`seed_agreement_update`), and accepted again by every member except `demo-health`, who meets
the agreement in place of the forms. The charter is the model's own. Safe to run again: it only
adds what is missing."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from stakeholders.demo import DemoStakeholders
from stakeholders.models import Person, Role
from stakeholders.services import record_audit, save_visible_record

from . import selectors, services
from .consensus import Stance
from .governing_texts import Bilingual
from .models import CommitteeRole, Meeting, Proposal, RsvpAnswer

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
    if selectors.current_agreement(community) is None:
        _agree_agreement(demo, AGREEMENT_PROPOSAL, AGREEMENT)
    if not Proposal.objects.filter(community=community, amendment__isnull=True).exists():
        _proposals(demo)
    _meetings(demo)


# --- the trust agreement -----------------------------------------------------------------------

AGREEMENT_PROPOSAL = "Our trust agreement"
AGREEMENT = Bilingual(
    en="""\
We commit to a safe space of mutual trust, even where we disagree.

- **Respect across disagreement.** We criticize ideas, never people.
- **Caucus discussions stay in the caucus.**
- **What is said here stays here.** We never say outside who said what, or who takes part.
- **No recording** of meetings or discussions.
""",
    fr="""\
Nous nous engageons à un espace sûr de confiance mutuelle, même quand nous ne sommes pas d'accord.

- **Le respect malgré les désaccords.** Nous critiquons les idées, jamais les personnes.
- **Ce qui se dit dans un caucus reste dans le caucus.**
- **Ce qui se dit ici reste ici.** Nous ne disons jamais à l'extérieur qui a dit quoi, ni qui \
participe.
- **Aucun enregistrement** des réunions ni des discussions.
""",
)
AGREEMENT_UPDATE_PROPOSAL = "Trust agreement: no screenshots either"
AGREEMENT_UPDATE = Bilingual(
    en=AGREEMENT.en + "- **No screenshots** of the platform or of messages.\n",
    fr=AGREEMENT.fr + "- **Aucune capture d'écran** de la plateforme ni des messages.\n",
)
MEMBER_WHO_HAS_NOT_ACCEPTED = "health"  # demo-health meets the agreement in place of the forms


def _agree_agreement(demo: DemoStakeholders, title: str, text: Bilingual) -> None:
    """The committee agrees `text` as its trust agreement (every seat agrees), and every
    committee member accepts it, except the one demo login left to show the gate once it is
    the agreement's second version."""
    coordinator = demo.logins["coordinator"]
    proposal = services.propose_agreement(
        author=coordinator,
        title=title,
        body="How we treat each other and what we keep to ourselves, as the model asks of a "
        "steering committee.",
        text=text,
    )
    services.open_for_positions(
        actor=coordinator, proposal=proposal, closes_at=timezone.now() + timedelta(days=5)
    )
    for seat in selectors.current_seats(proposal.committee):
        services.cast_position(person=seat.primary, proposal=proposal, stance=Stance.AGREE)
    services.close_proposal(actor=coordinator, proposal=proposal, statement="Agreed by all.")
    number = selectors.current_agreement(demo.community).number
    holdout = demo.logins[MEMBER_WHO_HAS_NOT_ACCEPTED]
    for person in Person.objects.filter(
        community=demo.community, is_active=True, role__in=[Role.MEMBER, Role.COORDINATOR]
    ):
        if number == 1 or person != holdout:
            services.accept_agreement(person=person, number=number)


def seed_agreement_update(demo: DemoStakeholders) -> None:
    """Run last (after the work plan, whose agreed proposals need every seat): the committee
    agrees a second version of its agreement, and one demo member has not accepted it yet."""
    agreement = selectors.current_agreement(demo.community)
    if agreement is not None and agreement.number == 1:
        _agree_agreement(demo, AGREEMENT_UPDATE_PROPOSAL, AGREEMENT_UPDATE)


# --- proposals ---------------------------------------------------------------------------------


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


# --- meetings ----------------------------------------------------------------------------------

PAST_MEETING = "Steering committee — last month"
NEXT_MEETING = "Steering committee — monthly meeting"
PLACE = "Old Mill Neighbourhood House, 212 Mill Street (accessible entrance on the side)"
ONLINE_LINK = "https://meet.example.org/riverside-committee"
VAN = "Outreach van stops on the Eastside at night"
CAUCUS = "Share bad-date reports with police only with consent"
DIALOGUE = "Hold a community dialogue on safety in Old Mill"


def _evening(community, day: date) -> datetime:
    """6 pm on `day` in the community's time zone."""
    return datetime.combine(day, time(18, 0), tzinfo=ZoneInfo(community.timezone))


def _proposal(community, title: str) -> Proposal | None:
    return Proposal.objects.filter(community=community, title=title).first()


def _meetings(demo: DemoStakeholders) -> None:
    titles = set(Meeting.objects.filter(community=demo.community).values_list("title", flat=True))
    if PAST_MEETING not in titles:
        _past_meeting(demo)
    if NEXT_MEETING not in titles:
        _next_meeting(demo)


def _past_meeting(demo: DemoStakeholders) -> None:
    """Held four weeks ago, with attendance and draft minutes. A meeting in the past cannot be
    scheduled through the services (nor should it plan reminders), so it is written as it was
    when it was scheduled; everything after goes through the services."""
    community, people = demo.community, demo.people
    coordinator = demo.logins["coordinator"]
    starts = _evening(community, community.today() - timedelta(days=28))
    meeting = Meeting(
        community=community,
        committee=services.ensure_committee(community=community),
        author=coordinator,
        title=PAST_MEETING,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=PLACE,
    )
    save_visible_record(record=meeting, author=coordinator, visibility="committee", sectors=())
    record_audit(action="meeting.schedule", actor=None, community=community, target=meeting)
    dialogue = _proposal(community, DIALOGUE)
    for title, minutes, proposal in [
        ("Welcome and check-in", 10, None),
        ("", 40, dialogue),
        ("Round table", 20, None),
    ]:
        if title or proposal:
            services.add_agenda_item(
                actor=coordinator,
                meeting=meeting,
                title=title,
                duration_minutes=minutes,
                proposal=proposal,
            )
    for name in [
        "Sam Rivera",
        "Jade",
        "Sgt. Alex Chen",
        "Dr. Omar Haddad",
        "Hannah Kowalski",
        "Elder Mary Thunderbird",
        "Priya Natarajan",
        "Tasha Green",
    ]:
        services.record_attendance(
            actor=coordinator, meeting=meeting, person=people[name], present=True
        )
    services.record_attendance(
        actor=coordinator, meeting=meeting, person=people["Marguerite Lavoie"], present=False
    )
    services.mark_meeting_held(actor=coordinator, meeting=meeting)
    services.write_minutes(
        actor=coordinator,
        meeting=meeting,
        body="### Welcome and check-in\n\nElder Mary Thunderbird opened the meeting. "
        "Marguerite Lavoie sent regrets.\n\n### Community dialogue on safety in Old Mill\n\n"
        "The committee agreed to hold the dialogue early in the evening, co-hosted by the "
        "merchants.\n\n### Round table\n\nThe youth sector asked for more notice of meetings.",
        visibility="committee",
        decisions=[(dialogue, "The community dialogue goes ahead, early in the evening.")]
        if dialogue
        else [],
        action_items=[
            ("Book the hall at Old Mill Neighbourhood House", people["Hannah Kowalski"], None),
            (
                "Send the agenda two weeks ahead",
                coordinator,
                community.today() + timedelta(days=3),
            ),
        ],
    )


def _next_meeting(demo: DemoStakeholders) -> None:
    """Next week, with an agenda that names the open van proposal and the caucus's own
    proposal (which members outside the caucus see as an item without a title), a suggestion
    waiting for the coordinators, and a few answers."""
    community, people, logins = demo.community, demo.people, demo.logins
    coordinator = logins["coordinator"]
    starts = _evening(community, community.today() + timedelta(days=7))
    meeting = services.schedule_meeting(
        actor=coordinator,
        title=NEXT_MEETING,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=PLACE,
        online_link=ONLINE_LINK,
        visibility="committee",
    )
    services.add_agenda_item(
        actor=coordinator, meeting=meeting, title="Welcome and check-in", duration_minutes=10
    )
    services.add_agenda_item(
        actor=coordinator, meeting=meeting, title="Approve last month's minutes", duration_minutes=5
    )
    if van := _proposal(community, VAN):
        services.add_agenda_item(
            actor=coordinator, meeting=meeting, title="", duration_minutes=30, proposal=van
        )
    if caucus := _proposal(community, CAUCUS):
        # The coordinator cannot see the caucus's proposal: the caucus puts it forward.
        item = services.suggest_agenda_item(
            person=logins["experiential"], meeting=meeting, title="", proposal=caucus
        )
        services.accept_agenda_item(actor=coordinator, item=item)
    services.add_agenda_item(
        actor=coordinator, meeting=meeting, title="Round table", duration_minutes=15
    )
    services.suggest_agenda_item(
        person=people["Tasha Green"],
        meeting=meeting,
        title="Youth outreach hours over the summer",
    )
    for name, answer in [
        ("Priya Natarajan", RsvpAnswer.ATTENDING),
        ("Jade", RsvpAnswer.ATTENDING),
        ("Dr. Omar Haddad", RsvpAnswer.NOT_ATTENDING),
        ("Marguerite Lavoie", RsvpAnswer.MAYBE),
    ]:
        services.rsvp(person=people[name], meeting=meeting, answer=answer)
