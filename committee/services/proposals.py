"""Writes about proposals: the lifecycle, positions and the discussion. The rules of the
lifecycle live here, not in templates.

Casting a position and closing a proposal both lock the proposal's row first, so under
concurrency a position is either counted in the frozen outcome or refused, never accepted after
close, and a seat never ends up with two current positions."""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stakeholders.hooks import Steps
from stakeholders.models import Person, Sector
from stakeholders.services import record_audit, save_visible_record

from .. import selectors
from ..consensus import STANCES_NEEDING_A_REASON, Stance
from ..models import (
    Comment,
    CommentRevision,
    Committee,
    Position,
    Proposal,
    ProposalStatus,
    ProposalVersion,
    Seat,
)
from . import amendments, notifications
from .access import is_coordinator_of, require_coordinator
from .members import ensure_committee

logger = logging.getLogger(__name__)


# --- proposals ---------------------------------------------------------------------------------


def may_move(actor: Person, proposal: Proposal) -> bool:
    """Only the author and coordinators move a proposal along."""
    return proposal.author_id == actor.pk or is_coordinator_of(actor, proposal.community_id)


def _require_visible(person: Person, proposal: Proposal) -> None:
    """A proposal the person may not see does not exist for them, in services as in pages."""
    if not selectors.proposals_for(person.user).filter(pk=proposal.pk).exists():
        raise Http404


def _require_mover(actor: Person, proposal: Proposal) -> None:
    _require_visible(actor, proposal)
    if not may_move(actor, proposal):
        require_coordinator(actor, proposal.community_id)


# The statuses each step starts from. The services below enforce them and `allowed_steps` reads
# them, so that a page shows exactly the controls that will work.
EDITABLE_STATUSES = (ProposalStatus.DRAFT, ProposalStatus.DISCUSSION)
MOVES_FROM = {
    ProposalStatus.DISCUSSION: (ProposalStatus.DRAFT,),
    ProposalStatus.DECISION: EDITABLE_STATUSES,
    ProposalStatus.CLOSED: (ProposalStatus.DECISION,),
    ProposalStatus.WITHDRAWN: (*EDITABLE_STATUSES, ProposalStatus.DECISION),
}


def is_open_for_positions(proposal: Proposal) -> bool:
    return proposal.status == ProposalStatus.DECISION and proposal.closes_at > timezone.now()


def allowed_steps(actor: Person | None, proposal: Proposal) -> frozenset[str]:
    """What `actor` may do to the proposal as it is now, by the rules the services enforce:
    "edit", "visibility", each status it may move to, "revise" and "statement". Pages show
    only these controls; the services stay the gate."""
    if actor is None or not may_move(actor, proposal):
        return frozenset()
    steps = {status for status, starts in MOVES_FROM.items() if proposal.status in starts}
    if proposal.status in EDITABLE_STATUSES:
        steps.add("edit")
        if proposal.author_id == actor.pk:
            steps.add("visibility")
    if proposal.is_revisable:
        steps.add("revise")
    if proposal.status == ProposalStatus.CLOSED and is_coordinator_of(actor, proposal.community_id):
        steps.add("statement")
    return frozenset(steps)


def _lock(proposal: Proposal) -> Proposal:
    """Re-read the proposal under a row lock, so that moves, positions and closing are
    serialized per proposal."""
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("committee")
        .get(pk=proposal.pk)
    )


def _require_status(proposal: Proposal, *allowed: str) -> None:
    if proposal.status not in allowed:
        raise ValidationError(
            _("This cannot be done while the proposal is %(status)s.")
            % {"status": proposal.get_status_display().lower()}
        )


def _clean_text(title: str, body: str) -> tuple[str, str]:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the proposal a title.")
    if not body.strip():
        errors["body"] = _("Write what you propose.")
    if errors:
        raise ValidationError(errors)
    return title.strip(), body


def may_propose(person: Person) -> bool:
    """Committee members draft proposals; observers discuss but do not propose."""
    committee = Committee.objects.filter(community_id=person.community_id).first()
    return person.is_committee_member and not (
        committee is not None and selectors.is_observer(person, committee)
    )


@transaction.atomic
def create_proposal(
    *,
    author: Person,
    title: str,
    body: str,
    visibility: str,
    sectors: Iterable[Sector] = (),
    anonymous: bool = False,
) -> Proposal:
    """A new draft, version 1."""
    committee = ensure_committee(community=author.community)
    if not may_propose(author):
        raise ValidationError(_("Observers take part in the discussion but do not propose."))
    title, body = _clean_text(title, body)
    proposal = Proposal(
        community_id=author.community_id,
        committee=committee,
        author=author,
        title=title,
        body=body,
        anonymous=anonymous,
    )
    save_visible_record(record=proposal, author=author, visibility=visibility, sectors=sectors)
    record_audit(
        action="proposal.create",
        actor=author,
        community=proposal.community,
        target=proposal,
        changes={"title": title, "anonymous": anonymous},
    )
    return proposal


@transaction.atomic
def update_proposal(
    *,
    actor: Person,
    proposal: Proposal,
    title: str,
    body: str,
    anonymous: bool | None = None,
) -> Proposal:
    """Edit the text while the proposal is a draft or in discussion. Whether names are hidden
    cannot change once any position has been given on any version: it would reveal them."""
    proposal = _lock(proposal)
    _require_mover(actor, proposal)
    _require_status(proposal, *EDITABLE_STATUSES)
    title, body = _clean_text(title, body)
    before = {"title": proposal.title, "anonymous": proposal.anonymous}
    if anonymous is not None and anonymous != proposal.anonymous:
        if proposal.positions.exists():
            raise ValidationError(
                {"anonymous": _("Positions have been given, so hiding names cannot change.")}
            )
        proposal.anonymous = anonymous
    proposal.title, proposal.body = title, body
    proposal.save(update_fields=["title", "body", "anonymous", "updated_at"])
    record_audit(
        action="proposal.update",
        actor=actor,
        community=proposal.community,
        target=proposal,
        changes={"before": before, "after": {"title": title, "anonymous": proposal.anonymous}},
    )
    return proposal


@transaction.atomic
def change_proposal_visibility(
    *, actor: Person, proposal: Proposal, visibility: str, sectors: Iterable[Sector] = ()
) -> Proposal:
    """Only the author decides who sees their proposal (a caucus restriction needs the author's
    own sectors), and only before positions are asked for."""
    proposal = _lock(proposal)
    if proposal.author_id != actor.pk:
        raise ValidationError(_("Only the author can change who sees this proposal."))
    _require_status(proposal, *EDITABLE_STATUSES)
    amendments.require_committee_wide(proposal, visibility)
    save_visible_record(record=proposal, author=actor, visibility=visibility, sectors=sectors)
    return proposal


def _move(actor: Person | None, proposal: Proposal, status: str, **changes) -> Proposal:
    before = proposal.status
    proposal.status = status
    for field, value in changes.items():
        setattr(proposal, field, value)
    proposal.save(update_fields=["status", "updated_at", *changes])
    record_audit(
        action="proposal.status",
        actor=actor,
        community=proposal.community,
        target=proposal,
        changes={"before": before, "after": status, "version": proposal.version},
    )
    return proposal


@transaction.atomic
def start_discussion(*, actor: Person, proposal: Proposal) -> Proposal:
    proposal = _lock(proposal)
    _require_mover(actor, proposal)
    _require_status(proposal, *MOVES_FROM[ProposalStatus.DISCUSSION])
    return _move(actor, proposal, ProposalStatus.DISCUSSION)


@transaction.atomic
def open_for_positions(*, actor: Person, proposal: Proposal, closes_at: datetime) -> Proposal:
    """Ask the seats for their positions until `closes_at`."""
    proposal = _lock(proposal)
    _require_mover(actor, proposal)
    _require_status(proposal, *MOVES_FROM[ProposalStatus.DECISION])
    if closes_at is None or closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("Choose a closing time in the future.")})
    amendments.require_current_base(proposal)
    proposal = _move(
        actor, proposal, ProposalStatus.DECISION, opened_at=timezone.now(), closes_at=closes_at
    )
    notifications.proposal_opened(proposal)
    return proposal


@transaction.atomic
def close_proposal(*, actor: Person | None, proposal: Proposal, statement: str = "") -> Proposal:
    """Close the decision and freeze its outcome. `actor` None is the deadline passing (the
    periodic sweep); a person must be the author or a coordinator, and only a coordinator
    writes the outcome statement."""
    proposal = _lock(proposal)
    if actor is not None:
        _require_mover(actor, proposal)
        if statement.strip():
            require_coordinator(actor, proposal.community_id)
    _require_status(proposal, *MOVES_FROM[ProposalStatus.CLOSED])
    with translation.override(settings.LANGUAGE_CODE):  # stored: not in the closer's language
        outcome = selectors.live_outcome(proposal)
    proposal = _move(
        actor,
        proposal,
        ProposalStatus.CLOSED,
        closed_at=timezone.now(),
        result=outcome.result,
        outcome=outcome.to_dict(),
        outcome_statement=statement.strip(),
    )
    amendments.apply_agreed_amendment(proposal, actor=actor)
    for step in _closing_steps:
        step(proposal, actor)
    notifications.proposal_closed(proposal)
    return proposal


# A later app (`workplans`, which `committee` must not import) acts on a proposal as it closes,
# in the closing transaction, with who closed it (None: the deadline).
ClosingStep = Callable[[Proposal, Person | None], None]
_closing_steps: Steps[ClosingStep] = Steps()
register_closing_step = _closing_steps.register


def close_due_proposals(*, now: datetime | None = None) -> int:
    """Close every proposal whose closing time has passed, each exactly once and each in its
    own transaction: one that another sweep is closing is skipped, and one that fails is
    logged and left for the next sweep without undoing the others. Returns how many closed."""
    now = now or timezone.now()
    due = Proposal.objects.filter(status=ProposalStatus.DECISION, closes_at__lte=now)
    closed = 0
    for pk in due.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                proposal = due.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk)
                if proposal := proposal.first():
                    close_proposal(actor=None, proposal=proposal)
                    closed += 1
        except Exception:
            logger.exception("could not close proposal %s at its deadline", pk)
    return closed


@transaction.atomic
def write_outcome_statement(*, actor: Person, proposal: Proposal, statement: str) -> Proposal:
    _require_visible(actor, proposal)
    proposal = _lock(proposal)
    require_coordinator(actor, proposal.community_id)
    _require_status(proposal, ProposalStatus.CLOSED)
    if not statement.strip():
        raise ValidationError({"outcome_statement": _("Write the outcome statement.")})
    proposal.outcome_statement = statement.strip()
    proposal.save(update_fields=["outcome_statement", "updated_at"])
    record_audit(
        action="proposal.statement", actor=actor, community=proposal.community, target=proposal
    )
    return proposal


@transaction.atomic
def withdraw_proposal(*, actor: Person, proposal: Proposal) -> Proposal:
    proposal = _lock(proposal)
    _require_mover(actor, proposal)
    _require_status(proposal, *MOVES_FROM[ProposalStatus.WITHDRAWN])
    return _move(actor, proposal, ProposalStatus.WITHDRAWN)


@transaction.atomic
def revise_proposal(*, actor: Person, proposal: Proposal, title: str, body: str) -> Proposal:
    """Turn a blocked or not-agreed proposal into a new version, back in discussion. The
    closed version, its outcome and its positions stay readable."""
    proposal = _lock(proposal)
    _require_mover(actor, proposal)
    if not proposal.is_revisable:
        raise ValidationError(_("Only a closed proposal that was not agreed can be revised."))
    title, body = _clean_text(title, body)
    ProposalVersion.objects.create(
        proposal=proposal,
        number=proposal.version,
        title=proposal.title,
        body=proposal.body,
        opened_at=proposal.opened_at,
        closes_at=proposal.closes_at,
        closed_at=proposal.closed_at,
        result=proposal.result,
        outcome=proposal.outcome,
        outcome_statement=proposal.outcome_statement,
    )
    proposal.title, proposal.body = title, body
    return _move(
        actor,
        proposal,
        ProposalStatus.DISCUSSION,
        version=proposal.version + 1,
        title=title,
        body=body,
        opened_at=None,
        closes_at=None,
        closed_at=None,
        result="",
        outcome=None,
        outcome_statement="",
    )


# --- positions ---------------------------------------------------------------------------------


def primary_answer_stands(person: Person, seat: Seat, current: Position | None) -> bool:
    """An alternate answers for the seat only while its primary member has not."""
    return (
        current is not None
        and person.pk != seat.primary_id
        and current.given_by_id == seat.primary_id
    )


@transaction.atomic
def cast_position(*, person: Person, proposal: Proposal, stance: str, reason: str = "") -> Position:
    """State the position of the seat `person` answers for. The earlier position of the seat
    stays in the history. The primary may always answer; the alternate only while the primary
    has not."""
    if not selectors.proposals_for(person.user).filter(pk=proposal.pk).exists():
        raise Http404
    amendments.require_agreement_accepted(person)
    if stance not in Stance.values:
        raise ValidationError({"stance": _("Choose one of the positions.")})
    reason = reason.strip()
    if stance in STANCES_NEEDING_A_REASON and not reason:
        raise ValidationError({"reason": _("Say why: a block or a reservation needs a reason.")})
    proposal = _lock(proposal)
    if not is_open_for_positions(proposal):
        raise ValidationError(_("This proposal is not open for positions."))
    seat = selectors.seat_of(person, proposal.committee)
    if seat is None:
        raise ValidationError(_("Only members who hold a seat (or are its alternate) can answer."))
    current = (
        Position.objects.filter(
            proposal=proposal, version=proposal.version, seat=seat, is_current=True
        )
        .select_related("given_by")
        .first()
    )
    if primary_answer_stands(person, seat, current):
        raise ValidationError(
            _("%(name)s has already answered for your seat.") % {"name": current.given_by}
        )
    # The same answer from the same person changes nothing; the primary giving the alternate's
    # answer makes it the primary's own (and the alternate can no longer change it).
    if current is not None and (current.given_by_id, current.stance, current.reason) == (
        person.pk,
        stance,
        reason,
    ):
        return current
    now = timezone.now()
    if current is not None:
        current.is_current = False
        current.replaced_at = now
        current.save(update_fields=["is_current", "replaced_at"])
    position = Position.objects.create(
        proposal=proposal,
        version=proposal.version,
        seat=seat,
        stance=stance,
        reason=reason,
        given_by=person,
    )
    record_audit(
        action="position.cast",
        actor=person,
        community=proposal.community,
        target=position,
        changes={
            "proposal": proposal.pk,
            "version": proposal.version,
            "seat": seat.pk,
            "before": current.stance if current else None,
            "after": stance,
        },
    )
    return position


# --- discussion --------------------------------------------------------------------------------


@transaction.atomic
def add_comment(*, author: Person, proposal: Proposal, body: str) -> Comment:
    if not selectors.proposals_for(author.user).filter(pk=proposal.pk).exists():
        raise Http404
    if not author.is_committee_member:
        raise ValidationError(_("Only committee members take part in the discussion."))
    amendments.require_agreement_accepted(author)
    if not body.strip():
        raise ValidationError({"body": _("Write your comment first.")})
    proposal = _lock(proposal)  # its status as it is now, not as the caller loaded it
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise ValidationError(_("This proposal was withdrawn; its discussion is closed."))
    comment = Comment.objects.create(proposal=proposal, author=author, body=body)
    record_audit(
        action="comment.create", actor=author, community=proposal.community, target=comment
    )
    return comment


@transaction.atomic
def edit_comment(*, actor: Person, comment: Comment, body: str) -> Comment:
    """Authors edit their own comments; the earlier text is kept."""
    _require_visible(actor, comment.proposal)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.author_id != actor.pk:
        raise ValidationError(_("Only the author can edit this comment."))
    if comment.deleted_at is not None:
        raise ValidationError(_("This comment was deleted."))
    if not body.strip():
        raise ValidationError({"body": _("Write your comment first.")})
    if body == comment.body:
        return comment
    CommentRevision.objects.create(comment=comment, body=comment.body, changed_by=actor)
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    record_audit(
        action="comment.edit", actor=actor, community=comment.proposal.community, target=comment
    )
    return comment


@transaction.atomic
def delete_comment(*, actor: Person, comment: Comment) -> Comment:
    """The author or a coordinator removes a comment. The thread shows that it was deleted;
    its text is kept as a revision for the record."""
    _require_visible(actor, comment.proposal)
    comment = Comment.objects.select_for_update().select_related("proposal").get(pk=comment.pk)
    if comment.author_id != actor.pk:
        require_coordinator(actor, comment.proposal.community_id)
    if comment.deleted_at is None:
        CommentRevision.objects.create(
            comment=comment, body=comment.body, changed_by=actor, was_deleted=True
        )
        comment.body = ""
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["body", "deleted_at"])
        record_audit(
            action="comment.delete",
            actor=actor,
            community=comment.proposal.community,
            target=comment,
        )
    return comment
