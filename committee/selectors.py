"""Every read in `committee` that depends on who is asking. Proposals come only through
`proposals_for` (built on `stakeholders.selectors.visible_to`); positions and comments only
through a proposal the viewer may see."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    TextChoices,
    Value,
)
from django.http import Http404
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy

from stakeholders.models import Community, Person, Role, Sector, former_member_name
from stakeholders.selectors import (
    SeatHoldings,
    Viewer,
    people_who_can_see,
    person_of,
    visible_pairs,
    visible_to,
)

from .consensus import Outcome, Result, Rule, SeatState, decide
from .governing_texts import (
    Agreement,
    Bilingual,
    Charter,
    ObjectiveChange,
    agreement_from,
    charter_from,
    model_charter,
    objective_changes,
)
from .models import (
    AgendaItem,
    AgendaItemStatus,
    AgreementAcceptance,
    Amendment,
    Attendance,
    Comment,
    Committee,
    CommitteeMember,
    CommitteeRole,
    GoverningText,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesActionItem,
    MinutesDecision,
    Notification,
    NotificationState,
    Position,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Rsvp,
    RsvpAnswer,
    Seat,
)

# --- the committee -----------------------------------------------------------------------------


def committee_for(user: Viewer) -> Committee | None:
    """The committee of the viewer's community, if it has been set up and the viewer takes part
    in it. Administrators onboard people but see no committee content: not even who sits on
    it, its roles or its terms of reference (they still see on the stakeholder map which
    sectors and organizations hold a seat, which is what onboarding works from)."""
    person = person_of(user)
    if person is None or not person.is_committee_member:
        return None
    committee = Committee.objects.filter(community_id=person.community_id).first()
    if committee is not None:
        committee.community = person.community  # loaded with the person: its day, its name
    return committee


def _held_on(on: date) -> Q:
    """A seat held on that day: started by then and not yet ended."""
    return Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))


def current_seats(committee: Committee, *, on: date | None = None) -> QuerySet[Seat]:
    """The seats held on a day (today by default), with what naming them needs."""
    return Seat.objects.filter(
        _held_on(on or committee.community.today()), committee=committee
    ).select_related("sector", "organization", "primary", "alternate")


def seat_holdings(community: Community) -> SeatHoldings:
    """How many seats each sector of a community holds today, and which organizations hold
    one: for the stakeholder map (`stakeholders.selectors.stakeholder_map`, which checks that
    the community is the viewer's). Counts and organizations only, never who holds them; the
    seats held today as `current_seats` reads them, in one query."""
    rows = list(
        Seat.objects.filter(
            _held_on(community.today()), committee__community=community
        ).values_list("sector_id", "organization_id")
    )
    by_sector: dict[int, int] = {}
    for sector_id, _organization_id in rows:
        by_sector[sector_id] = by_sector.get(sector_id, 0) + 1
    return SeatHoldings(
        seats_by_sector=by_sector,
        seated_organizations=frozenset(org for _sector, org in rows if org is not None),
    )


def seats_for(user: Viewer) -> QuerySet[Seat]:
    """Current seats of the viewer's committee: known to everyone who takes part in it (not to
    administrators, see `committee_for`)."""
    committee = committee_for(user)
    if committee is None:
        return Seat.objects.none()
    return current_seats(committee)


def past_seats_for(user: Viewer) -> QuerySet[Seat]:
    committee = committee_for(user)
    if committee is None:
        return Seat.objects.none()
    return (
        Seat.objects.filter(committee=committee, ended_on__lte=committee.community.today())
        .select_related("sector", "organization", "primary", "alternate")
        .order_by("-ended_on", "pk")
    )


def seat_of(person: Person, committee: Committee) -> Seat | None:
    """The seat a person answers for: the one they hold, or else the one they are alternate on."""
    seats = current_seats(committee).filter(Q(primary=person) | Q(alternate=person))
    return min(seats, key=lambda seat: seat.primary_id != person.pk, default=None)


def committee_roles_for(user: Viewer) -> QuerySet[CommitteeMember]:
    committee = committee_for(user)
    if committee is None:
        return CommitteeMember.objects.none()
    return CommitteeMember.objects.filter(
        committee=committee, ended_on__isnull=True
    ).select_related("person")


def committee_role_of(person: Person, committee: Committee) -> str | None:
    membership = CommitteeMember.objects.filter(
        committee=committee, person=person, ended_on__isnull=True
    ).first()
    return membership.role if membership else None


def is_observer(person: Person, committee: Committee) -> bool:
    return committee_role_of(person, committee) == CommitteeRole.OBSERVER


@dataclass
class SectorRepresentation:
    sector: Sector
    seats: list[Seat]

    @property
    def is_missing(self) -> bool:
        return not self.seats


def representation(user: Viewer) -> list[SectorRepresentation]:
    """Per sector of the viewer's community: who holds its seats; a sector with none is missing."""
    person = person_of(user)
    committee = committee_for(user)
    if person is None or committee is None:
        return []
    sectors = Sector.objects.filter(community_id=person.community_id).order_by("position", "name")
    seats = list(current_seats(committee))
    return [
        SectorRepresentation(sector, [seat for seat in seats if seat.sector_id == sector.pk])
        for sector in sectors
    ]


# --- proposals ---------------------------------------------------------------------------------


def proposals_for(user: Viewer) -> QuerySet[Proposal]:
    """The proposals the viewer may see. A draft is seen only by its author and by the
    coordinators its visibility reaches."""
    person = person_of(user)
    queryset = visible_to(
        user,
        Proposal.objects.select_related("committee__community", "author").prefetch_related(
            "visible_sectors"
        ),
    )
    if person is None or not person.is_coordinator:
        author_id = person.pk if person else None
        queryset = queryset.filter(~Q(status=ProposalStatus.DRAFT) | Q(author_id=author_id))
    return queryset


def visible_proposal_pairs(
    proposals: dict[int, Proposal], wanted: dict[Person, Iterable[int]]
) -> set[tuple[int, int]]:
    """`proposals_for` for many viewers at once (see `visible_pairs`): (person id, proposal
    id) for the pairs asked for where the person may see the proposal, drafts as
    `proposals_for` shows them."""
    people = {person.pk: person for person in wanted}

    def shown(person: Person, proposal: Proposal) -> bool:
        if proposal.status != ProposalStatus.DRAFT:
            return True
        if not person.is_active:  # `person_of` is None: only drafts with no author
            return proposal.author_id is None
        return person.is_coordinator or proposal.author_id == person.pk

    return {
        (person_id, pk)
        for person_id, pk in visible_pairs(proposals, wanted)
        if shown(people[person_id], proposals[pk])
    }


def get_proposal(user: Viewer, pk: int | str) -> Proposal:
    """One proposal the viewer may see, or Http404 exactly as for one that does not exist."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    proposal = proposals_for(user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def awaiting_my_position(user: Viewer, queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Annotate `awaits_me`: open for positions, and the viewer's seat has not answered yet."""
    person = person_of(user)
    committee = committee_for(user)
    seat = seat_of(person, committee) if person and committee else None
    if seat is None:
        return queryset.annotate(awaits_me=Value(False, output_field=BooleanField()))
    answered = Position.objects.filter(
        proposal=OuterRef("pk"), version=OuterRef("version"), seat=seat, is_current=True
    )
    open_now = Q(status=ProposalStatus.DECISION, closes_at__gt=timezone.now())
    return queryset.annotate(
        awaits_me=ExpressionWrapper(open_now & ~Exists(answered), output_field=BooleanField())
    )


# The list's order: those awaiting the viewer's position, then open, in discussion, drafts,
# closed, withdrawn; newest first within each.
LIST_ORDER = [
    ProposalStatus.DECISION,
    ProposalStatus.DISCUSSION,
    ProposalStatus.DRAFT,
    ProposalStatus.CLOSED,
    ProposalStatus.WITHDRAWN,
]


class ProposalListing:
    """The proposals of a community that the viewer may see (of one status, or all), in the
    list's order (`LIST_ORDER`), as a sequence a `Paginator` pages through. Each part of the
    order (awaiting the viewer, then each status) is read on its own from the index on
    (community, status, created_at, id): a page reads only its own rows, not a sort of every
    proposal, so it costs the same at 1,000 proposals as at 100,000. Only the count reads them
    all, in one grouped query. A page costs the same
    queries wherever it falls: its ids in one query (on PostgreSQL), then its rows."""

    def __init__(self, user: Viewer, community_id: int, *, status: str = ""):
        visible = proposals_for(user).filter(community_id=community_id)
        self._rows = awaiting_my_position(user, visible)
        self._page = awaiting_my_position(
            user,
            Proposal.objects.select_related("committee__community", "author").prefetch_related(
                "visible_sectors"
            ),
        )
        statuses = [status] if status else LIST_ORDER
        self._statuses = statuses
        self._parts: list[tuple[str, QuerySet[Proposal]]] = []
        if ProposalStatus.DECISION in statuses:
            decision = self._rows.filter(status=ProposalStatus.DECISION)
            self._parts += [
                ("awaiting", decision.filter(awaits_me=True)),
                (ProposalStatus.DECISION, decision.filter(awaits_me=False)),
            ]
        self._parts += [
            (value, self._rows.filter(status=value))
            for value in statuses
            if value != ProposalStatus.DECISION
        ]

    @cached_property
    def _sizes(self) -> dict[str, int]:
        """How many rows each part of the order has, in one grouped count."""
        sizes: dict[str, int] = {}
        for status, rows, awaiting in (
            self._rows.filter(status__in=self._statuses)
            .order_by()
            .values("status")
            .annotate(rows=Count("pk"), awaiting=Count("pk", filter=Q(awaits_me=True)))
            .values_list("status", "rows", "awaiting")
        ):
            sizes[status] = rows - awaiting
            sizes["awaiting"] = sizes.get("awaiting", 0) + awaiting
        return sizes

    def count(self) -> int:
        return sum(self._sizes.values())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Proposal]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("a listing is read a page (a slice) at a time")
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        slices, offset = [], 0
        for rank, (name, queryset) in enumerate(self._parts):
            size = self._sizes.get(name, 0)
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                slices.append(
                    queryset.order_by("-created_at", "-id")
                    .annotate(part=Value(rank))
                    .values_list("part", "created_at", "pk")[low:high]
                )
            offset += size
        if not slices:
            return []
        if connection.features.supports_slicing_ordering_in_compound:
            keys = list(slices[0].union(*slices[1:], all=True))
        else:  # SQLite: one query per part the page spans
            keys = [key for part in slices for key in part]
        keys.sort(key=lambda key: (key[0], -key[1].timestamp(), -key[2]))
        # The ids come from the viewer's own proposals above: no need to filter them again.
        rows = self._page.in_bulk([pk for _part, _created, pk in keys])
        return [rows[pk] for _part, _created, pk in keys if pk in rows]


def versions_of(proposal: Proposal) -> QuerySet[ProposalVersion]:
    """Earlier versions of a proposal the caller already got from `get_proposal`."""
    return proposal.versions.order_by("-number")


def positions_of(proposal: Proposal, *, version: int | None = None) -> QuerySet[Position]:
    """The current position of each seat on a version (the current one by default) of a
    proposal the caller already got from `get_proposal`."""
    return (
        Position.objects.filter(
            proposal=proposal, version=version or proposal.version, is_current=True
        )
        .select_related("seat__sector", "seat__organization", "given_by")
        .order_by("seat__sector__position", "seat__sector__name", "given_at", "pk")
    )


def position_history(proposal: Proposal, *, version: int | None = None) -> QuerySet[Position]:
    return (
        Position.objects.filter(proposal=proposal, version=version or proposal.version)
        .select_related("seat__sector", "seat__organization", "given_by")
        .order_by("given_at", "pk")
    )


def my_position(person: Person | None, proposal: Proposal) -> Position | None:
    if person is None:
        return None
    seat = seat_of(person, proposal.committee)
    if seat is None:
        return None
    return positions_of(proposal).filter(seat=seat).first()


def my_positions(user: Viewer, proposals: Iterable[Proposal]) -> dict[int, Position]:
    """`my_position` for a whole page of proposals the caller got from `proposals_for`, in a
    fixed number of queries: the current position of the viewer's seat on each one's current
    version, by proposal id (absent where the seat has not answered)."""
    person = person_of(user)
    committee = committee_for(user)
    seat = seat_of(person, committee) if person and committee else None
    versions = {proposal.pk: proposal.version for proposal in proposals}
    if seat is None or not versions:
        return {}
    positions = Position.objects.filter(
        proposal_id__in=versions, seat=seat, is_current=True
    ).select_related("seat__sector", "seat__organization", "given_by")
    return {
        position.proposal_id: position
        for position in positions
        if position.version == versions[position.proposal_id]
    }


def comments_of(proposal: Proposal) -> QuerySet[Comment]:
    """The discussion of a proposal the caller already got from `get_proposal`."""
    return (
        Comment.objects.filter(proposal=proposal)
        .select_related("author")
        .prefetch_related(Prefetch("revisions"))
    )


def get_comment(user: Viewer, proposal_pk: int | str, pk: int | str) -> Comment:
    proposal = get_proposal(user, proposal_pk)
    comment = comments_of(proposal).filter(pk=pk).first()
    if comment is None:
        raise Http404
    return comment


def names_visible(proposal: Proposal) -> bool:
    """Anonymous proposals show sectors, never who answered."""
    return not proposal.anonymous


def outcome_of(proposal: Proposal, *, version: int | None = None) -> Outcome:
    """The frozen outcome of a closed version, or, while open, what it would be if it closed
    now. Names are left out of an anonymous proposal's outcome."""
    version = version or proposal.version
    if version == proposal.version and proposal.outcome is not None:
        return _sectors_named_for_reader(Outcome.from_dict(proposal.outcome), proposal)
    if version != proposal.version:
        earlier = proposal.versions.filter(number=version).first()
        if earlier is not None and earlier.outcome is not None:
            return _sectors_named_for_reader(Outcome.from_dict(earlier.outcome), proposal)
    return live_outcome(proposal, version=version)


def _sectors_named_for_reader(outcome: Outcome, proposal: Proposal) -> Outcome:
    """A frozen outcome keeps the names of the day it closed, in the default language: each
    sector that still exists is named as the reader's language names it now, and so is a
    member who left ("Former member, <sector>", perhaps followed by their organization)."""
    sectors = list(Sector.objects.filter(community_id=proposal.community_id))
    names = {sector.pk: sector.localized_name for sector in sectors}
    with translation.override(settings.LANGUAGE_CODE):
        stored = [(former_member_name(sector), sector) for sector in [None, *sectors]]
    former = [(name, former_member_name(sector)) for name, sector in stored]

    def holder(name: str | None) -> str | None:
        for stored_name, shown in former:
            if name == stored_name or (name or "").startswith(f"{stored_name} ("):
                return shown + name[len(stored_name) :]
        return name

    def renamed(items):
        return tuple(
            replace(item, sector_name=names[item.sector_id]) if item.sector_id in names else item
            for item in items
        )

    def concerns(items):
        return tuple(replace(item, holder=holder(item.holder)) for item in renamed(items))

    return replace(
        outcome,
        blocks=concerns(outcome.blocks),
        reservations=concerns(outcome.reservations),
        missing_sectors=renamed(outcome.missing_sectors),
        tallies=renamed(outcome.tallies),
    )


def live_outcome(proposal: Proposal, *, version: int | None = None) -> Outcome:
    """What the outcome of a version (the current one by default) would be if it closed now."""
    version = version or proposal.version
    committee = proposal.committee
    seats = list(current_seats(committee))
    answers = positions_of(proposal, version=version).filter(seat__in=[s.pk for s in seats])
    return _outcome(proposal, seats, list(answers), _rule(committee))


def live_outcomes(proposals: Iterable[Proposal]) -> dict[int, Outcome]:
    """`live_outcome` of the current version of each proposal of a page, by proposal id, in a
    fixed number of queries however many there are."""
    proposals = list(proposals)
    committees = {proposal.committee_id: proposal.committee for proposal in proposals}
    seats = {pk: list(current_seats(committee)) for pk, committee in committees.items()}
    rules = {pk: _rule(committee) for pk, committee in committees.items()}
    answers: dict[int, list[Position]] = {proposal.pk: [] for proposal in proposals}
    versions = {proposal.pk: proposal.version for proposal in proposals}
    current = Position.objects.filter(proposal_id__in=versions, is_current=True).select_related(
        "given_by"
    )
    for position in current:
        if position.version == versions[position.proposal_id]:
            answers[position.proposal_id].append(position)
    return {
        proposal.pk: _outcome(
            proposal,
            seats[proposal.committee_id],
            answers[proposal.pk],
            rules[proposal.committee_id],
        )
        for proposal in proposals
    }


def _rule(committee: Committee) -> tuple[Rule, dict[int, str]]:
    must_answer = {
        sector.pk: sector.localized_name for sector in committee.sectors_that_must_answer.all()
    }
    rule = Rule(
        sectors_that_must_answer=frozenset(must_answer) if must_answer else None,
        minimum_participation=committee.minimum_participation,
    )
    return rule, must_answer


def _outcome(
    proposal: Proposal,
    seats: list[Seat],
    positions: list[Position],
    rule: tuple[Rule, dict[int, str]],
) -> Outcome:
    """The outcome from the current seats and the current positions of one version. Only the
    positions of seats held now count; names are left out of an anonymous proposal's."""
    answers = {position.seat_id: position for position in positions}
    show_names = names_visible(proposal)
    states = []
    for seat in seats:
        answer = answers.get(seat.pk)
        holder = None
        if show_names:
            holder = answer.given_by.display_name if answer else seat.primary.display_name
            if seat.organization_id is not None:
                holder = f"{holder} ({seat.organization.name})"
        states.append(
            SeatState(
                seat_id=seat.pk,
                sector_id=seat.sector_id,
                sector_name=seat.sector.localized_name,
                sector_position=seat.sector.position,
                holder=holder,
                stance=answer.stance if answer else None,
                reason=answer.reason if answer else "",
            )
        )
    if not show_names:
        states = _unlinkable(states)
    rule, must_answer = rule
    return decide(states, rule, sector_names=must_answer)


def _unlinkable(states: list[SeatState]) -> list[SeatState]:
    """For an anonymous proposal: number the seats in an order that says nothing more than
    the sector and the answer, so that a seat id in the outcome cannot be matched to the seat
    list (and so to a person)."""
    ordered = sorted(
        states,
        key=lambda s: (s.sector_position, s.sector_id, s.stance or "", s.reason),
    )
    return [replace(state, seat_id=index) for index, state in enumerate(ordered, start=1)]


# --- notifications -----------------------------------------------------------------------------


def notifications_for(user: Viewer) -> QuerySet[Notification]:
    """The viewer's in-app notifications: those sent to them, about a meeting or proposal they
    may still see now (one hidden since disappears from the list and the count), newest first."""
    person = person_of(user)
    if person is None or not person.is_committee_member:
        return Notification.objects.none()
    mine = Notification.objects.filter(recipient=person, in_app=True, state=NotificationState.SENT)
    # Visibility is checked only for the records the viewer was told about (a few), not for
    # everything they may see (the count is on every page).
    meetings = visible_to(user, Meeting.objects.filter(pk__in=mine.values("meeting_id")))
    proposals = proposals_for(user).filter(pk__in=mine.values("proposal_id"))
    return (
        mine.filter(Q(meeting__isnull=True) | Q(meeting__in=meetings.values("pk")))
        .filter(Q(proposal__isnull=True) | Q(proposal__in=proposals.values("pk")))
        .select_related("meeting", "proposal")
        .order_by("-sent_at", "-pk")
    )


def unread_count(user: Viewer) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


# --- meetings ----------------------------------------------------------------------------------
# Meetings come only through `meetings_for` (built on `visible_to`); their agenda, answers,
# attendance and minutes only through a meeting the caller got from `get_meeting` or
# `meetings_for`. Minutes carry their own visibility on top of their meeting's.


def meetings_for(user: Viewer) -> QuerySet[Meeting]:
    """The meetings the viewer may see, soonest first, with what a list, a page or a calendar
    feed shows."""
    return visible_to(
        user,
        Meeting.objects.select_related(
            "committee__community", "community", "author"
        ).prefetch_related("visible_sectors"),
    )


def get_meeting(user: Viewer, pk: int | str) -> Meeting:
    """One meeting the viewer may see, or Http404 exactly as for one that does not exist."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    meeting = meetings_for(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def upcoming_meetings_for(user: Viewer, *, include_cancelled: bool = False) -> QuerySet[Meeting]:
    """Meetings the viewer may see that have not ended, soonest first: the scheduled ones (what
    one may still go to), or with `include_cancelled` every one, so that a list can show which
    are off."""
    meetings = meetings_for(user).filter(ends_at__gt=timezone.now())
    if not include_cancelled:
        meetings = meetings.filter(status=MeetingStatus.SCHEDULED)
    return meetings.order_by("starts_at", "pk")


def past_meetings_for(user: Viewer) -> QuerySet[Meeting]:
    """Meetings the viewer may see that have ended, the latest first."""
    return meetings_for(user).filter(ends_at__lte=timezone.now()).order_by("-starts_at", "-pk")


CALENDAR_PAST = timedelta(days=90)


def calendar_meetings_for(user: Viewer) -> QuerySet[Meeting]:
    """What the viewer's calendar feed lists: the meetings of their own community they may see
    now that have not ended or ended in the last 90 days, cancelled ones included (their
    calendars drop them), soonest first."""
    person = person_of(user)
    if person is None:
        return Meeting.objects.none()
    return (
        meetings_for(user)
        .filter(community_id=person.community_id, ends_at__gt=timezone.now() - CALENDAR_PAST)
        .order_by("starts_at", "pk")
    )


def meetings_to_approve_at(user: Viewer, meeting: Meeting) -> QuerySet[Meeting]:
    """The later meetings of the same committee, under way or held, at which the minutes of
    `meeting` may be approved (see `services.may_approve_at`)."""
    return (
        meetings_for(user)
        .filter(
            committee_id=meeting.committee_id,
            starts_at__gt=meeting.starts_at,
            starts_at__lte=timezone.now(),
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at", "-pk")
    )


@dataclass(frozen=True)
class AgendaRow:
    """An agenda item as the viewer may see it. An item about a proposal the viewer may not see
    is `hidden`: it has no title, no proposal and no suggester, only its place and length."""

    pk: int
    status: str
    title: str | None
    proposal: Proposal | None  # only a proposal the viewer may see
    duration_minutes: int | None
    suggested_by: Person | None
    is_mine: bool  # the viewer suggested it
    hidden: bool

    @property
    def status_label(self) -> str:
        return AgendaItemStatus(self.status).label


_AGENDA_ORDER = {
    AgendaItemStatus.ACCEPTED: 0,
    AgendaItemStatus.SUGGESTED: 1,
    AgendaItemStatus.DECLINED: 2,
}


def _agenda_items(user: Viewer, meeting: Meeting) -> QuerySet[AgendaItem]:
    """Items on the agenda for everyone; suggestions and declined ones only for the community's
    coordinators and for their suggester."""
    person = person_of(user)
    items = AgendaItem.objects.filter(meeting=meeting).select_related("proposal", "suggested_by")
    if person is None:
        return items.none()
    coordinator = (
        person.is_coordinator and person.is_active and person.community_id == meeting.community_id
    )
    if not coordinator:
        items = items.filter(Q(status=AgendaItemStatus.ACCEPTED) | Q(suggested_by=person))
    return items


def agenda_for(user: Viewer, meeting: Meeting) -> list[AgendaRow]:
    """The agenda of a meeting the caller got from `get_meeting`, as the viewer may see it: the
    items on the agenda in order, then suggestions, then those not taken up (each as far as the
    viewer may see them, see `_agenda_items`)."""
    person = person_of(user)
    items = list(_agenda_items(user, meeting))
    linked = {item.proposal_id for item in items if item.proposal_id is not None}
    visible = {p.pk: p for p in proposals_for(user).filter(pk__in=linked)} if linked else {}
    rows = []
    for item in sorted(
        items, key=lambda item: (_AGENDA_ORDER[item.status], item.position, item.pk)
    ):
        hidden = item.proposal_id is not None and item.proposal_id not in visible
        rows.append(
            AgendaRow(
                pk=item.pk,
                status=item.status,
                title=None if hidden else item.title,
                proposal=visible.get(item.proposal_id),
                duration_minutes=item.duration_minutes,
                suggested_by=None if hidden else item.suggested_by,
                is_mine=person is not None and item.suggested_by_id == person.pk,
                hidden=hidden,
            )
        )
    return rows


def get_agenda_item(user: Viewer, meeting: Meeting, pk: int | str) -> AgendaItem:
    """One item of a meeting the caller got from `get_meeting`, if the viewer may see it in the
    agenda (a hidden item too: coordinators move and remove it without its title)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    item = _agenda_items(user, meeting).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def minutes_for(user: Viewer, meeting: Meeting) -> Minutes | None:
    """The minutes of a meeting, when both the meeting and the minutes are visible to the
    viewer; else None, as when they are not written. `approved_at_shown` is the meeting that
    approved them, only if the viewer may see that meeting too."""
    minutes = (
        visible_to(
            user,
            Minutes.objects.select_related(
                "meeting", "approved_at_meeting", "author"
            ).prefetch_related(
                "visible_sectors",
                Prefetch("decisions", queryset=MinutesDecision.objects.select_related("proposal")),
                Prefetch(
                    "action_items", queryset=MinutesActionItem.objects.select_related("owner")
                ),
            ),
        )
        .filter(meeting=meeting, meeting__in=meetings_for(user).values("pk"))
        .first()
    )
    if minutes is not None:
        approving = minutes.approved_at_meeting_id
        visible = approving and meetings_for(user).filter(pk=approving).exists()
        minutes.approved_at_shown = minutes.approved_at_meeting if visible else None
    return minutes


@dataclass(frozen=True)
class DecisionRow:
    text: str
    proposal: Proposal | None  # only a proposal the viewer may see


def decisions_of(user: Viewer, minutes: Minutes) -> list[DecisionRow]:
    """The decisions of minutes the caller got from `minutes_for`; each links its proposal only
    for a viewer who may see it."""
    decisions = list(minutes.decisions.all())
    linked = {decision.proposal_id for decision in decisions if decision.proposal_id}
    visible = {p.pk: p for p in proposals_for(user).filter(pk__in=linked)} if linked else {}
    return [DecisionRow(decision.text, visible.get(decision.proposal_id)) for decision in decisions]


def rsvps_of(meeting: Meeting) -> QuerySet[Rsvp]:
    """The answers given for a meeting the caller got from `get_meeting`."""
    return (
        Rsvp.objects.filter(meeting=meeting)
        .select_related("person")
        .order_by("person__display_name", "pk")
    )


def my_rsvp(person: Person | None, meeting: Meeting) -> Rsvp | None:
    if person is None:
        return None
    return Rsvp.objects.filter(meeting=meeting, person=person).first()


def my_rsvps(user: Viewer, meetings: Iterable[Meeting]) -> dict[int, Rsvp]:
    """The viewer's answer for each meeting of a page they got from `meetings_for`, by meeting
    id, in one query."""
    person = person_of(user)
    ids = [meeting.pk for meeting in meetings]
    if person is None or not ids:
        return {}
    return {
        rsvp.meeting_id: rsvp for rsvp in Rsvp.objects.filter(person=person, meeting_id__in=ids)
    }


def attendance_of(meeting: Meeting) -> QuerySet[Attendance]:
    return Attendance.objects.filter(meeting=meeting).select_related("person")


def invitees_of(meeting: Meeting) -> QuerySet[Person]:
    """The people a meeting is for: those who may see it now."""
    return people_who_can_see(meeting).order_by("display_name", "pk")


class Presence(TextChoices):
    """How a sector stands for a meeting, strongest first."""

    PRESENT = "present", gettext_lazy("Present")
    ATTENDING = "attending", gettext_lazy("Coming")
    MAYBE = "maybe", gettext_lazy("Maybe")
    REGRETS = "regrets", gettext_lazy("Sent regrets")
    ABSENT = "absent", gettext_lazy("Absent")
    NO_WORD = "no_word", gettext_lazy("No word yet")


@dataclass(frozen=True)
class QuorumRow:
    sector: Sector
    presence: str

    @property
    def label(self) -> str:
        return Presence(self.presence).label


def quorum(meeting: Meeting) -> list[QuorumRow]:
    """Per sector with a seat today whose holders (primary or alternate) may see the meeting:
    whether it is present, from the attendance once any is recorded, else whether it is coming,
    maybe, or has sent regrets, from the answers. No names: only sectors."""
    invited = set(invitees_of(meeting).values_list("pk", flat=True))
    holders: dict[int, set[int]] = {}
    sectors: dict[int, Sector] = {}
    for seat in current_seats(meeting.committee):
        people = {seat.primary_id, seat.alternate_id} & invited
        if people:
            holders.setdefault(seat.sector_id, set()).update(people)
            sectors[seat.sector_id] = seat.sector
    attendance = dict(attendance_of(meeting).values_list("person_id", "present"))
    answers = dict(Rsvp.objects.filter(meeting=meeting).values_list("person_id", "answer"))

    def presence(people: set[int]) -> str:
        said = {answers.get(person) for person in people}
        if attendance:
            if any(attendance.get(person) for person in people):
                return Presence.PRESENT
            return Presence.REGRETS if RsvpAnswer.NOT_ATTENDING in said else Presence.ABSENT
        for answer, state in (
            (RsvpAnswer.ATTENDING, Presence.ATTENDING),
            (RsvpAnswer.MAYBE, Presence.MAYBE),
            (RsvpAnswer.NOT_ATTENDING, Presence.REGRETS),
        ):
            if answer in said:
                return state
        return Presence.NO_WORD

    ordered = sorted(sectors.values(), key=lambda sector: (sector.position, sector.name))
    return [QuorumRow(sector, presence(holders[sector.pk])) for sector in ordered]


# --- the charter and the trust agreement -------------------------------------------------------
# Both are read by the whole committee; the charter is also meant for the public page. Neither
# names anyone, and each version carries only the id of the proposal that made it: a page shows
# that proposal's title only to a viewer who may see it (`visible_proposal_titles`).


def _versions(community_id: int, text: str) -> QuerySet[Amendment]:
    return Amendment.objects.filter(
        community_id=community_id, text=text, number__isnull=False
    ).order_by("-number")


def _charter(amendment: Amendment) -> Charter:
    return charter_from(
        amendment.content,
        number=amendment.number,
        proposal_id=amendment.proposal_id,
        applied_at=amendment.applied_at,
    )


def _agreement(amendment: Amendment) -> Agreement:
    return agreement_from(
        amendment.content,
        number=amendment.number,
        proposal_id=amendment.proposal_id,
        applied_at=amendment.applied_at,
        amendment_id=amendment.pk,
    )


def current_charter(community: Community) -> Charter:
    """The charter in force: the last one the committee agreed, or the model's own (version 1,
    in the reader's language from the catalogue) until it agrees a change."""
    latest = _versions(community.pk, GoverningText.CHARTER).first()
    return _charter(latest) if latest else model_charter()


def charter_versions(community: Community) -> list[Charter]:
    """Every version, newest first, the model's own last."""
    return [
        *(_charter(row) for row in _versions(community.pk, GoverningText.CHARTER)),
        model_charter(),
    ]


def charter_version(community: Community, number: int) -> Charter:
    if number == 1:
        return model_charter()
    row = _versions(community.pk, GoverningText.CHARTER).filter(number=number).first()
    if row is None:
        raise Http404
    return _charter(row)


@dataclass(frozen=True)
class ObjectiveLabel:
    key: str
    text: Bilingual  # its words in the latest version that had it
    in_current_charter: bool


def charter_objective_labels(community: Community) -> dict[str, ObjectiveLabel]:
    """Every objective the charter has ever had, by key, in the current charter's order and
    then the removed ones: what work-plan links to an objective are shown as."""
    labels: dict[str, ObjectiveLabel] = {}
    for index, charter in enumerate(charter_versions(community)):
        for objective in charter.objectives:
            if objective.key not in labels:
                labels[objective.key] = ObjectiveLabel(objective.key, objective.text, index == 0)
    return labels


def current_agreement(community: Community | int) -> Agreement | None:
    """The trust agreement in force, or None while the committee has not agreed one."""
    community_id = community if isinstance(community, int) else community.pk
    latest = _versions(community_id, GoverningText.AGREEMENT).first()
    return _agreement(latest) if latest else None


def agreement_versions(community: Community) -> list[Agreement]:
    return [_agreement(row) for row in _versions(community.pk, GoverningText.AGREEMENT)]


def agreement_to_accept(person: Person | None) -> Agreement | None:
    """The current agreement if `person` takes part in the committee and has not accepted this
    version yet: they must, before stating a position, commenting or suggesting an item."""
    if person is None or not person.is_committee_member:
        return None
    agreement = current_agreement(person.community_id)
    if agreement is None:
        return None
    accepted = AgreementAcceptance.objects.filter(
        agreement_id=agreement.amendment_id, person=person
    ).exists()
    return None if accepted else agreement


def my_acceptance(person: Person, agreement: Agreement) -> AgreementAcceptance | None:
    return AgreementAcceptance.objects.filter(
        agreement_id=agreement.amendment_id, person=person
    ).first()


@dataclass(frozen=True)
class AcceptanceRow:
    person: Person
    accepted_current_at: datetime | None  # None while they have not accepted it
    last_version: int | None  # the latest version they accepted


def acceptances_for(user: Viewer) -> list[AcceptanceRow] | None:
    """Who accepted which version of the agreement and when: the community's coordinators only
    (None for anyone else, whose page then does not exist). One row per committee member."""
    person = person_of(user)
    if person is None or not (person.is_coordinator and person.is_active):
        return None
    current = current_agreement(person.community_id)
    rows = []
    members = Person.objects.filter(
        community_id=person.community_id,
        is_active=True,
        role__in=[Role.MEMBER, Role.COORDINATOR],
    ).prefetch_related(
        Prefetch(
            "agreement_acceptances",
            queryset=AgreementAcceptance.objects.select_related("agreement").order_by(
                "-agreement__number"
            ),
        )
    )
    for member in members.order_by("display_name", "pk"):
        accepted = list(member.agreement_acceptances.all())
        current_row = next(
            (row for row in accepted if current and row.agreement_id == current.amendment_id),
            None,
        )
        rows.append(
            AcceptanceRow(
                person=member,
                accepted_current_at=current_row.accepted_at if current_row else None,
                last_version=accepted[0].agreement.number if accepted else None,
            )
        )
    return rows


def visible_proposal_titles(user: Viewer, ids: Iterable[int | None]) -> dict[int, str]:
    """The titles of those proposals the viewer may see."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    return dict(proposals_for(user).filter(pk__in=wanted).values_list("pk", "title"))


@dataclass(frozen=True)
class AmendmentView:
    """What a proposal would change in the charter or the agreement, for its page: the text it
    was written against (`before`), the new one (`after`) and where it stands."""

    amendment: Amendment
    before: Charter | Agreement | None
    after: Charter | Agreement
    objective_changes: list[ObjectiveChange]
    current_number: int

    @property
    def is_charter(self) -> bool:
        return self.amendment.text == GoverningText.CHARTER

    @property
    def is_applied(self) -> bool:
        return self.amendment.number is not None

    @property
    def is_outdated(self) -> bool:
        """The text changed since this was written: it will not (or did not) apply."""
        return not self.is_applied and self.current_number != self.amendment.base_number

    @property
    def not_applied_though_agreed(self) -> bool:
        proposal = self.amendment.proposal
        return not self.is_applied and proposal.result == Result.AGREED

    @property
    def purpose_changed(self) -> bool:
        return self.is_charter and self.before.purpose != self.after.purpose

    @property
    def values_removed(self) -> list:
        return [value for value in self.before.values if value not in self.after.values]

    @property
    def values_added(self) -> list:
        return [value for value in self.after.values if value not in self.before.values]


def current_number(community_id: int, text: str) -> int:
    """The version in force: 1 for a charter nobody amended (the model's), 0 for no agreement."""
    latest = _versions(community_id, text).values_list("number", flat=True).first()
    if latest is not None:
        return latest
    return 1 if text == GoverningText.CHARTER else 0


def amendment_view(proposal: Proposal) -> AmendmentView | None:
    """The change `proposal` carries, if any (the caller has already got the proposal through
    `get_proposal`)."""
    amendment = Amendment.objects.filter(proposal=proposal).first()
    if amendment is None:
        return None
    amendment.proposal = proposal
    community = proposal.community
    base = amendment.base_number
    if amendment.text == GoverningText.CHARTER:
        before = charter_version(community, base)
        after = charter_from(amendment.content, number=amendment.number or base + 1)
        changes = objective_changes(before, after)
    else:
        earlier = _versions(community.pk, GoverningText.AGREEMENT).filter(number=base).first()
        before = _agreement(earlier) if earlier else None
        after = agreement_from(amendment.content, number=amendment.number or base + 1)
        changes = []
    return AmendmentView(
        amendment=amendment,
        before=before,
        after=after,
        objective_changes=changes,
        current_number=current_number(community.pk, amendment.text),
    )
