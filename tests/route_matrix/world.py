"""The world the route matrix walks: in Riverside, one record of every kind under every
visibility it allows, each named by a label ("proposal:caucus") written into its text, plus the
same kinds in another community (Harbourview, "...:elsewhere"); and the personas who look at it.

`SEES` says, for every label, who may see it. It is written out by hand from the rules in
DESIGN.md ("Visibility"), never computed by the selectors under test, so that a selector that
shows too much (or too little) fails. A label appearing in a response or an email is "seeing" it."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from committee import services as committee_services
from committee.governing_texts import Bilingual
from committee.models import (
    Comment,
    Meeting,
    Minutes,
    Proposal,
    Seat,
)
from stakeholders import services as stakeholder_services
from stakeholders.models import (
    AccountSession,
    OrganizationNote,
    Person,
    Visibility,
)
from tests.conftest import build_personas, build_seated, make_person, make_proposal
from tests.workplans.conftest import agreed_proposal, community_today
from workplans import notifications as plan_notifications
from workplans import services as plan_services
from workplans.models import Action, ActionArea, Need, Prioritization, RealityEntry

COMMITTEE = Visibility.COMMITTEE
SECTORS = Visibility.SECTORS
ORGANIZATION = Visibility.ORGANIZATION
COORDINATORS = Visibility.COORDINATORS

# The personas of the issue, by the names failures print.
PERSONAS = [
    "experiential",
    "police",
    "resident",
    "business",
    "health",
    "coordinator",
    "admin",
    "outsider",  # a coordinator of another community (Harbourview)
    "alternate",  # the police seat's alternate, of the same organization as `police`
    "observer",
    "anonymous",
]
SIGNED_IN = set(PERSONAS) - {"anonymous"}
# Riverside's committee: everyone who takes part (administrators onboard but see no content).
MEMBERS = set(PERSONAS) - {"admin", "outsider", "anonymous"}
COMMUNITY = MEMBERS | {"admin"}  # everyone with an account in Riverside
EVERYONE = set(PERSONAS)
CAUCUS = {"experiential"}  # the experiential sector's caucus
POLICE_ORG = {"police", "alternate"}
COORDINATOR = {"coordinator"}
ELSEWHERE = {"outsider"}
# Public: anyone, signed in or not. Another community's member reads the API of their own
# community only, so Riverside's public records reach them through no route (yet).
PUBLIC = EVERYONE - {"outsider"}

# label -> the personas who may see it. Children (comments, positions, agenda items, objectives,
# indicators, updates) are listed with their parent's readers.
SEES: dict[str, set[str]] = {
    # organization notes, all about the police service
    "note:committee": MEMBERS,
    "note:caucus": CAUCUS,
    "note:organization": POLICE_ORG,
    "note:coordinators": COORDINATOR | {"resident"},  # the resident wrote it
    "note:elsewhere": ELSEWHERE,
    # proposals, each with a comment; those open for positions with a position's reason
    "proposal:committee": MEMBERS,
    "proposal:caucus": CAUCUS,
    "proposal:organization": POLICE_ORG,
    "proposal:coordinators": COORDINATOR | {"resident"},  # the resident wrote it
    "proposal:draft": {"police", "coordinator"},  # a draft: its author and the coordinators
    "proposal:agreed": MEMBERS,  # agreed the public action area
    # a draft carrying a new trust agreement, by the police member (none is agreed yet, so
    # nothing is gated on accepting one)
    "proposal:amendment": {"police", "coordinator"},
    "proposal:elsewhere": ELSEWHERE,
    "comment:committee": MEMBERS,
    "comment:caucus": CAUCUS,
    "comment:organization": POLICE_ORG,
    "comment:coordinators": COORDINATOR | {"resident"},
    "comment:draft": {"police", "coordinator"},
    "comment:elsewhere": ELSEWHERE,
    "reason:committee": MEMBERS,
    "reason:caucus": CAUCUS,
    "reason:organization": POLICE_ORG,
    # meetings (scheduled by the coordinator; the caucus's by Kim, an experiential coordinator)
    "meeting:committee": MEMBERS,  # held two days ago
    "meeting:caucus": CAUCUS,  # held two days ago
    "meeting:organization": COORDINATOR,  # the coordinator's own organization
    "meeting:coordinators": COORDINATOR,
    "meeting:upcoming": MEMBERS,  # in three days, with an agenda
    "meeting:elsewhere": ELSEWHERE,
    "minutes:coordinators": COORDINATOR,  # of meeting:committee, for coordinators only
    "minutes:caucus-meeting": CAUCUS,  # committee-wide minutes of the caucus meeting
    "agenda:plain": MEMBERS,
    "agenda:about-caucus": CAUCUS,  # an item about proposal:caucus: its title is hidden
    "agenda:suggested": COORDINATOR | {"resident"},  # suggested by the resident
    # needs
    "need:committee": MEMBERS,
    "need:caucus": CAUCUS,
    "need:organization": POLICE_ORG,
    "need:coordinators": COORDINATOR | {"resident"},
    "need:elsewhere": ELSEWHERE,
    # the work plan: areas, their objectives, actions, indicators, updates
    "area:public": PUBLIC,
    "area:committee": MEMBERS,
    "area:caucus": CAUCUS,
    "area:organization": COORDINATOR,
    "area:coordinators": COORDINATOR,
    "area:elsewhere": ELSEWHERE,
    "objective:public": PUBLIC,
    "objective:committee": MEMBERS,
    "objective:caucus": CAUCUS,
    "objective:organization": COORDINATOR,
    "objective:coordinators": COORDINATOR,
    "objective:elsewhere": ELSEWHERE,
    "action:public": PUBLIC,
    "action:committee": MEMBERS,
    "action:caucus": CAUCUS,
    "action:organization": COORDINATOR,
    "action:coordinators": COORDINATOR,
    "action:in-caucus-area": CAUCUS,  # committee visibility, under the caucus area
    "action:elsewhere": ELSEWHERE,
    "indicator:committee": MEMBERS,
    "indicator:caucus": CAUCUS,
    "update:public": PUBLIC,
    "update:committee": MEMBERS,
    "update:caucus": CAUCUS,
    # the community profile (the public entry shared with the public by the coordinator)
    "reality:public": PUBLIC,
    "reality:committee": MEMBERS,
    "reality:caucus": CAUCUS,
    "reality:organization": POLICE_ORG,
    "reality:coordinators": COORDINATOR | {"resident"},  # the resident wrote it
    "reality:elsewhere": ELSEWHERE,
    # invitations: for those who onboard
    "invitation:by-admin": {"admin", "coordinator"},
    "invitation:by-coordinator": {"admin", "coordinator"},
    "invitation:elsewhere": ELSEWHERE,
}
LABEL = re.compile(
    r"\b((?:note|proposal|comment|reason|meeting|minutes|agenda|need|area|objective|action"
    r"|indicator|update|invitation|reality):[a-z][a-z-]*[a-z])\b"
)


def labels_in(text: str) -> set[str]:
    """Every label the text names (unknown ones too, so that a typo cannot hide a leak)."""
    return set(LABEL.findall(text))


def seen_by(persona: str) -> set[str]:
    return {label for label, readers in SEES.items() if persona in readers}


def kind_of(label: str) -> str:
    return label.split(":")[0]


@dataclass
class World:
    people: dict[str, Person | None]  # persona -> Person (None for anonymous)
    riverside: object
    harbourview: object
    records: dict[str, object]  # label -> record
    kim: Person
    seats: dict[str, Seat]
    prioritization: Prioritization
    calendar_tokens: dict[str, str]  # persona -> their feed's token
    sessions: dict[str, AccountSession]
    emails: list = field(default_factory=list)  # what the outbox sweep sent

    def of_kind(self, kind: str) -> dict[str, object]:
        return {label: r for label, r in self.records.items() if kind_of(label) == kind}


def build_world() -> World:
    p = build_personas()
    s = build_seated(p)
    community, other = p.community, p.other_community
    people = {
        "experiential": p.experiential,
        "police": p.police,
        "resident": p.resident,
        "business": p.business,
        "health": p.health,
        "coordinator": p.coordinator,
        "admin": p.admin,
        "outsider": p.outsider,
        "alternate": p.police_colleague,
        "observer": s.observer,
        "anonymous": None,
    }
    kim = make_person(
        community, "kim", sector_keys=("experiential", "sex-worker-services"), role="coordinator"
    )
    records: dict[str, object] = {}
    experiential = [p.sector("experiential")]
    committee_services.ensure_committee(community=other)

    # --- notes ---------------------------------------------------------------------------------
    subject = p.police.organization
    for label, author, visibility, sectors in [
        ("committee", p.police, COMMITTEE, []),
        ("caucus", p.experiential, SECTORS, experiential),
        ("organization", p.police, ORGANIZATION, []),
        ("coordinators", p.resident, COORDINATORS, []),
    ]:
        records[f"note:{label}"] = stakeholder_services.write_organization_note(
            author=author,
            organization=subject,
            body=f"note:{label}",
            visibility=visibility,
            sectors=sectors,
        )
    records["note:elsewhere"] = stakeholder_services.write_organization_note(
        author=p.outsider,
        organization=p.outsider.organization,
        body="note:elsewhere",
        visibility=COMMITTEE,
    )

    # --- proposals, comments, positions --------------------------------------------------------
    for label, author, visibility, sectors, status in [
        ("committee", p.coordinator, COMMITTEE, [], "decision"),
        ("caucus", p.experiential, SECTORS, experiential, "decision"),
        ("organization", p.police, ORGANIZATION, [], "decision"),
        ("coordinators", p.resident, COORDINATORS, [], "discussion"),
        ("draft", p.police, COMMITTEE, [], "draft"),
        ("elsewhere", p.outsider, COMMITTEE, [], "discussion"),
    ]:
        proposal = make_proposal(
            author,
            f"proposal:{label}",
            body=f"About proposal:{label}.",
            status=status,
            visibility=visibility,
            sectors=sectors,
        )
        if status == "decision":
            committee_services.cast_position(
                person=author, proposal=proposal, stance="block", reason=f"reason:{label}"
            )
        committee_services.add_comment(author=author, proposal=proposal, body=f"comment:{label}")
        records[f"proposal:{label}"] = proposal
    records["comment:committee"] = Comment.objects.get(body="comment:committee")

    # --- meetings, agenda, minutes -------------------------------------------------------------
    now = timezone.now()

    def meeting(label, actor, visibility, sectors=(), *, days):
        scheduled = committee_services.schedule_meeting(
            actor=actor,
            title=f"meeting:{label}",
            starts_at=now + timedelta(days=3),
            ends_at=now + timedelta(days=3, hours=2),
            place="Community hall",
            visibility=visibility,
            sectors=sectors,
        )
        if days < 0:  # held already: moved into the past behind the services' back
            Meeting.objects.filter(pk=scheduled.pk).update(
                starts_at=now + timedelta(days=days), ends_at=now + timedelta(days=days, hours=2)
            )
            scheduled.refresh_from_db()
        records[f"meeting:{label}"] = scheduled
        return scheduled

    held = meeting("committee", p.coordinator, COMMITTEE, days=-2)
    caucus_held = meeting("caucus", kim, SECTORS, experiential, days=-2)
    meeting("organization", p.coordinator, ORGANIZATION, days=3)
    meeting("coordinators", p.coordinator, COORDINATORS, days=3)
    upcoming = meeting("upcoming", p.coordinator, COMMITTEE, days=3)
    meeting("elsewhere", p.outsider, COMMITTEE, days=3)
    records["minutes:coordinators"] = committee_services.write_minutes(
        actor=p.coordinator, meeting=held, body="minutes:coordinators", visibility=COORDINATORS
    )
    records["minutes:caucus-meeting"] = committee_services.write_minutes(
        actor=kim, meeting=caucus_held, body="minutes:caucus-meeting", visibility=COMMITTEE
    )
    records["agenda:plain"] = committee_services.add_agenda_item(
        actor=p.coordinator, meeting=upcoming, title="agenda:plain"
    )
    records["agenda:about-caucus"] = committee_services.add_agenda_item(
        actor=kim,
        meeting=upcoming,
        title="agenda:about-caucus",
        proposal=records["proposal:caucus"],
    )
    records["agenda:suggested"] = committee_services.suggest_agenda_item(
        person=p.resident, meeting=upcoming, title="agenda:suggested"
    )

    # --- needs ---------------------------------------------------------------------------------
    for label, author, sector_key, visibility, sectors in [
        ("committee", p.resident, "residents", COMMITTEE, []),
        ("caucus", p.experiential, "experiential", SECTORS, experiential),
        ("organization", p.police, "law-enforcement", ORGANIZATION, []),
        ("coordinators", p.resident, "residents", COORDINATORS, []),
    ]:
        records[f"need:{label}"] = plan_services.record_need(
            author=author,
            title=f"need:{label}",
            sector=p.sector(sector_key),
            visibility=visibility,
            sectors=sectors,
        )
    records["need:elsewhere"] = plan_services.record_need(
        author=p.outsider,
        title="need:elsewhere",
        sector=p.outsider.sectors.get(),
        visibility=COMMITTEE,
    )
    prioritization = plan_services.open_prioritization(actor=p.coordinator, title="Dots 2026")
    for persona in ("experiential", "resident", "police"):
        for label in seen_by(persona) & {"need:committee", "need:caucus", "need:organization"}:
            plan_services.vote(
                actor=people[persona], prioritization=prioritization, need=records[label]
            )

    # --- the work plan -------------------------------------------------------------------------
    today = community_today()

    def branch(label, actor, visibility, sectors=(), *, needs=()):
        area = plan_services.create_action_area(
            actor=actor, title=f"area:{label}", visibility=visibility, sectors=sectors, needs=needs
        )
        objective = plan_services.create_objective(
            actor=actor, area=area, title=f"objective:{label}"
        )
        records[f"area:{label}"], records[f"objective:{label}"] = area, objective
        return objective

    def action(label, actor, objective, visibility, sectors=(), **fields):
        records[f"action:{label}"] = plan_services.create_action(
            actor=actor,
            objective=objective,
            title=f"action:{label}",
            visibility=visibility,
            sectors=sectors,
            due_on=today - timedelta(days=1),  # overdue: the weekly digest names it
            **fields,
        )
        return records[f"action:{label}"]

    public_objective = branch("public", p.coordinator, COMMITTEE)
    committee_objective = branch(
        "committee", p.coordinator, COMMITTEE, needs=[records["need:committee"]]
    )
    caucus_objective = branch(
        "caucus", p.experiential, SECTORS, experiential, needs=[records["need:caucus"]]
    )
    branch("organization", p.coordinator, ORGANIZATION)
    branch("coordinators", p.coordinator, COORDINATORS)
    public_action = action("public", p.coordinator, public_objective, COMMITTEE)
    committee_action = action(
        "committee", p.coordinator, committee_objective, COMMITTEE, responsible=p.health
    )
    caucus_action = action("caucus", p.experiential, committee_objective, SECTORS, experiential)
    action("organization", p.coordinator, committee_objective, ORGANIZATION)
    action("coordinators", p.coordinator, committee_objective, COORDINATORS)
    action("in-caucus-area", p.experiential, caucus_objective, COMMITTEE)
    records["proposal:agreed"] = agreed = agreed_proposal(p, "proposal:agreed")
    plan_services.agree_action_area(
        actor=p.coordinator, area=records["area:public"], proposal=agreed
    )
    plan_services.approve_actions(actor=p.coordinator, proposal=agreed, actions=[public_action])
    for record in (records["area:public"], public_action):
        plan_services.change_visibility(actor=p.coordinator, record=record, visibility="public")
        record.refresh_from_db()
    records["indicator:committee"] = plan_services.add_indicator(
        actor=p.coordinator, action=committee_action, name="indicator:committee"
    )
    records["indicator:caucus"] = plan_services.add_indicator(
        actor=p.experiential, action=caucus_action, name="indicator:caucus"
    )
    for label, actor, target in [
        ("public", p.coordinator, public_action),
        ("committee", p.health, committee_action),
        ("caucus", p.experiential, caucus_action),
    ]:
        records[f"update:{label}"] = plan_services.add_progress_update(
            actor=actor, action=target, on=today, note=f"update:{label}"
        )
    elsewhere_objective = plan_services.create_objective(
        actor=p.outsider,
        area=plan_services.create_action_area(
            actor=p.outsider, title="area:elsewhere", visibility=COMMITTEE
        ),
        title="objective:elsewhere",
    )
    records["area:elsewhere"] = elsewhere_objective.area
    records["objective:elsewhere"] = elsewhere_objective
    action("elsewhere", p.outsider, elsewhere_objective, COMMITTEE)

    records["proposal:amendment"] = committee_services.propose_agreement(
        author=p.police,
        title="proposal:amendment",
        body="About proposal:amendment.",
        text=Bilingual(en="We keep what is said here to ourselves."),
    )

    # --- the community profile ----------------------------------------------------------------
    for label, author, sector_key, visibility, sectors in [
        ("public", p.coordinator, "residents", COMMITTEE, []),
        ("committee", p.resident, "residents", COMMITTEE, []),
        ("caucus", p.experiential, "experiential", SECTORS, experiential),
        ("organization", p.police, "law-enforcement", ORGANIZATION, []),
        ("coordinators", p.resident, "residents", COORDINATORS, []),
    ]:
        records[f"reality:{label}"] = plan_services.record_reality_entry(
            author=author,
            kind="presence",
            sector=p.sector(sector_key),
            observed_on=today,
            text=f"reality:{label}",
            visibility=visibility,
            sectors=sectors,
        )
    records["reality:public"] = plan_services.set_public(
        actor=p.coordinator, record=records["reality:public"], public=True
    )
    records["reality:elsewhere"] = plan_services.record_reality_entry(
        author=p.outsider,
        kind="presence",
        sector=p.outsider.sectors.get(),
        observed_on=today,
        text="reality:elsewhere",
        visibility=COMMITTEE,
    )

    # --- invitations, calendar feeds, sessions -------------------------------------------------
    for label, actor, target in [
        ("by-admin", p.admin, community),
        ("by-coordinator", p.coordinator, community),
        ("elsewhere", p.outsider, other),
    ]:
        records[f"invitation:{label}"] = stakeholder_services.invite_person(
            actor=actor,
            email=f"{label}@example.org",
            display_name=f"invitation:{label}",
            sectors=target.sectors.filter(key="residents"),
        )
    calendar_tokens = {
        persona: committee_services.calendar_feed_token(
            committee_services.create_calendar_feed(person=person)
        )
        for persona, person in people.items()
        if person is not None and person.is_committee_member
    }
    sessions = {
        persona: AccountSession.objects.create(user=person.user, session_key=f"s-{persona}")
        for persona, person in people.items()
        if person is not None
    }

    # --- the outbox: this week's overdue digest (planned as on a Monday) and what is due now
    # are sent now; the meetings' 24-hour reminders two and a half days later ------------------
    mail.outbox = []
    for place in (community, other):
        plan_notifications._plan_community(place, today=today, now=now)
    committee_services.send_due_notifications(now=now)
    committee_services.send_due_notifications(now=now + timedelta(days=2, hours=12))
    emails = list(mail.outbox)

    return World(
        people=people,
        riverside=community,
        harbourview=other,
        records=records,
        kim=kim,
        seats=s.seats,
        prioritization=prioritization,
        calendar_tokens=calendar_tokens,
        sessions=sessions,
        emails=emails,
    )


# What each record kind is, so that a test can tell a new VisibleRecord kind has no coverage.
VISIBLE_KINDS = {
    OrganizationNote: "note",
    Proposal: "proposal",
    Meeting: "meeting",
    Minutes: "minutes",
    Need: "need",
    ActionArea: "area",
    Action: "action",
    RealityEntry: "reality",
}
