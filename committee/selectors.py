"""Every read in `committee` that depends on who is asking. Proposals come only through
`proposals_for` (built on `stakeholders.selectors.visible_to`); positions and comments only
through a proposal the viewer may see."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.http import Http404
from django.utils import timezone

from stakeholders.models import Person, Sector
from stakeholders.selectors import Viewer, person_of, visible_to

from .consensus import Outcome, Rule, SeatState, decide
from .models import (
    Comment,
    Committee,
    CommitteeMember,
    CommitteeRole,
    Position,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Seat,
)

# --- the committee -----------------------------------------------------------------------------


def committee_for(user: Viewer) -> Committee | None:
    """The committee of the viewer's community, if it has been set up."""
    person = person_of(user)
    if person is None:
        return None
    return Committee.objects.filter(community_id=person.community_id).first()


def current_seats(committee: Committee, *, on: date | None = None) -> QuerySet[Seat]:
    """The seats held on a day (today by default), with what naming them needs."""
    on = on or timezone.localdate()
    return (
        Seat.objects.filter(committee=committee, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .select_related("sector", "organization", "primary", "alternate")
    )


def seats_for(user: Viewer) -> QuerySet[Seat]:
    """Current seats of the viewer's committee. Who sits on the committee is known to everyone
    in the community, as the people directory is."""
    committee = committee_for(user)
    if committee is None:
        return Seat.objects.none()
    return current_seats(committee)


def past_seats_for(user: Viewer) -> QuerySet[Seat]:
    committee = committee_for(user)
    if committee is None:
        return Seat.objects.none()
    return (
        Seat.objects.filter(committee=committee, ended_on__lte=timezone.localdate())
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
        Proposal.objects.select_related("committee", "author").prefetch_related("visible_sectors"),
    )
    if person is None or not person.is_coordinator:
        author_id = person.pk if person else None
        queryset = queryset.filter(~Q(status=ProposalStatus.DRAFT) | Q(author_id=author_id))
    return queryset


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
        return Outcome.from_dict(proposal.outcome)
    if version != proposal.version:
        earlier = proposal.versions.filter(number=version).first()
        if earlier is not None and earlier.outcome is not None:
            return Outcome.from_dict(earlier.outcome)
    return live_outcome(proposal, version=version)


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
    must_answer = {sector.pk: sector.name for sector in committee.sectors_that_must_answer.all()}
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
                sector_name=seat.sector.name,
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
