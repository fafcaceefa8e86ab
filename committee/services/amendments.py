"""Changing the charter and the trust agreement, and accepting the agreement.

One mechanism for both texts, "an amendment applied on agreement": a proposal carries the new
text (`Amendment`), written against the version current at the time. When the proposal closes
agreed, `apply_agreed_amendment` (called by `close_proposal`, whether a person or the deadline
sweep closes it) makes it the new version in the same transaction. A proposal closed blocked or
without consensus changes nothing. Two amendments of the same text never both apply to one base:
a proposal whose base is no longer current cannot be opened for positions, and if one was
already open when another was applied, it closes without changing anything (its page says why);
the committee then proposes the change again from the current text.

Such a proposal is always seen by the whole committee: the committee agrees its own texts
together, never in a caucus.

The trust agreement gates taking part: `require_agreement_accepted` is called by the services
that state a position, comment, or suggest an agenda item."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders.models import Person, Visibility
from stakeholders.services import record_audit

from .. import selectors
from ..consensus import Result
from ..governing_texts import Bilingual, agreement_content, charter_content
from ..models import AgreementAcceptance, Amendment, Committee, GoverningText, Proposal


class AgreementRequired(PermissionDenied):
    """Raised when someone who has not accepted the current trust agreement tries to take
    part. Pages show the agreement instead of the form; the API answers 403 with the message."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Please read and accept the committee's trust agreement first: taking part "
                "(stating a position, commenting, suggesting an agenda item) needs it."
            )
        )


def require_agreement_accepted(person: Person) -> None:
    if selectors.agreement_to_accept(person) is not None:
        raise AgreementRequired


@transaction.atomic
def accept_agreement(*, person: Person, number: int) -> AgreementAcceptance:
    """`person` accepts version `number` of their committee's trust agreement. It must be the
    current one: accepting a text they have not been shown is refused."""
    if not person.is_committee_member:
        raise ValidationError(_("Only committee members accept the trust agreement."))
    agreement = selectors.current_agreement(person.community_id)
    if agreement is None:
        raise ValidationError(_("The committee has not agreed a trust agreement yet."))
    if agreement.number != number:
        raise ValidationError(
            _("The agreement has changed since you opened it: please read the current version.")
        )
    acceptance, created = AgreementAcceptance.objects.get_or_create(
        agreement_id=agreement.amendment_id, person=person
    )
    if created:
        record_audit(
            action="agreement.accept",
            actor=person,
            community=person.community,
            target=acceptance,
            changes={"version": agreement.number},
        )
    return acceptance


# --- proposing a change ------------------------------------------------------------------------


def _propose(*, author: Person, title: str, body: str, text: str, content_for) -> Proposal:
    # `proposals` calls this module's lifecycle hooks, so it is imported here, not above.
    from .proposals import create_proposal

    proposal = create_proposal(
        author=author, title=title, body=body, visibility=Visibility.COMMITTEE
    )
    base = selectors.current_number(author.community_id, text)
    Amendment.objects.create(
        proposal=proposal,
        community_id=author.community_id,
        text=text,
        base_number=base,
        content=content_for(),
    )
    record_audit(
        action=f"{text}.propose",
        actor=author,
        community=author.community,
        target=proposal,
        changes={"base": base},
    )
    return proposal


@transaction.atomic
def propose_charter_change(
    *,
    author: Person,
    title: str,
    body: str,
    purpose: Bilingual,
    objectives: list[tuple[str, Bilingual]],
    values: list[Bilingual],
) -> Proposal:
    """A draft proposal carrying a new charter. `objectives` are (key, text) pairs in order:
    the key of the current objective a text rewords, or "" for a new one."""
    base = selectors.current_charter(author.community)
    content = charter_content(base=base, purpose=purpose, objectives=objectives, values=values)
    return _propose(
        author=author,
        title=title,
        body=body,
        text=GoverningText.CHARTER,
        content_for=lambda: content,
    )


@transaction.atomic
def propose_agreement(*, author: Person, title: str, body: str, text: Bilingual) -> Proposal:
    """A draft proposal carrying a new trust agreement (the first one, or a change)."""
    content = agreement_content(base=selectors.current_agreement(author.community_id), text=text)
    return _propose(
        author=author,
        title=title,
        body=body,
        text=GoverningText.AGREEMENT,
        content_for=lambda: content,
    )


# --- what the proposal lifecycle asks of an amendment ------------------------------------------


def require_current_base(proposal: Proposal) -> None:
    """Before positions are asked for: a change written against an outdated text is refused."""
    amendment = Amendment.objects.filter(proposal=proposal, number__isnull=True).first()
    if amendment is None:
        return
    if selectors.current_number(amendment.community_id, amendment.text) != amendment.base_number:
        raise ValidationError(
            _(
                "The %(text)s has changed since this proposal was written, so it cannot be "
                "decided as it is. Withdraw it and propose the change again from the current text."
            )
            % {"text": amendment.get_text_display().lower()}
        )


def require_committee_wide(proposal: Proposal, visibility: str) -> None:
    """The whole committee agrees its own texts: such a proposal is never narrowed."""
    if visibility != Visibility.COMMITTEE and Amendment.objects.filter(proposal=proposal).exists():
        raise ValidationError(
            {
                "visibility": _(
                    "A change to the charter or the trust agreement is seen by the whole committee."
                )
            }
        )


def apply_agreed_amendment(proposal: Proposal, *, actor: Person | None) -> Amendment | None:
    """Called by `close_proposal` inside its transaction, once the outcome is frozen: an agreed
    proposal's amendment becomes the new version of its text, unless that text changed since it
    was written. Returns the applied amendment, or None."""
    amendment = (
        Amendment.objects.select_for_update().filter(proposal=proposal, number__isnull=True).first()
    )
    if amendment is None or proposal.result != Result.AGREED:
        return None
    # One change of a committee's texts at a time: two proposals closing together are
    # serialized here, and the second sees the first's version.
    Committee.objects.select_for_update().filter(pk=proposal.committee_id).first()
    current = selectors.current_number(amendment.community_id, amendment.text)
    if current != amendment.base_number:
        record_audit(
            action=f"{amendment.text}.outdated",
            actor=actor,
            community=proposal.community,
            target=proposal,
            changes={"base": amendment.base_number, "current": current},
        )
        return None
    amendment.number = current + 1
    amendment.applied_at = timezone.now()
    amendment.save(update_fields=["number", "applied_at"])
    record_audit(
        action=f"{amendment.text}.amend",
        actor=actor,
        community=proposal.community,
        target=proposal,
        changes={"version": amendment.number, "base": amendment.base_number},
    )
    return amendment
