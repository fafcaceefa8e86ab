"""Changing the charter and the trust agreement, and accepting the agreement.

One mechanism for both texts, "an amendment applied on agreement": a proposal carries the new
text (`Amendment`), written against the version current at the time. When the proposal closes
agreed, `apply_agreed_amendment` (called by `close_proposal`, whether a person or the deadline
sweep closes it) makes it the new version in the same transaction. A proposal closed blocked or
without consensus changes nothing. Two amendments of the same text never both apply to one base:
a proposal whose base is no longer current cannot be opened for positions until its text is
rewritten against the current version (`revise_charter_change`, `revise_agreement_change`), and
if one was already open when another was applied, it closes without changing anything (its page
says why), and can be revised and decided again.

Such a proposal is always seen by the whole committee: the committee agrees its own texts
together, never in a caucus.

The trust agreement gates taking part: `require_agreement_accepted` is called by the services
that state a position, comment, or suggest an agenda item."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders import public_page
from stakeholders.models import Person, Visibility
from stakeholders.services import record_audit

from .. import selectors
from ..consensus import Result
from ..governing_texts import Bilingual, agreement_content, charter_content
from ..models import (
    AgreementAcceptance,
    Amendment,
    Committee,
    GoverningText,
    Proposal,
    ProposalStatus,
)
from .access import require_coordinator


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


def _propose(
    *, author: Person, title: str, body: str, text: str, base: int, content: dict
) -> Proposal:
    """The draft proposal, seen by the whole committee, carrying `content`, written against
    version `base` (the one `content` was checked against)."""
    # `proposals` calls this module's lifecycle hooks, so it is imported here, not above.
    from .proposals import create_proposal

    proposal = create_proposal(
        author=author, title=title, body=body, visibility=Visibility.COMMITTEE
    )
    Amendment.objects.create(
        proposal=proposal,
        community_id=author.community_id,
        text=text,
        base_number=base,
        content=content,
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
        base=base.number,
        content=content,
    )


@transaction.atomic
def propose_agreement(*, author: Person, title: str, body: str, text: Bilingual) -> Proposal:
    """A draft proposal carrying a new trust agreement (the first one, or a change)."""
    base = selectors.current_agreement(author.community_id)
    content = agreement_content(base=base, text=text)
    return _propose(
        author=author,
        title=title,
        body=body,
        text=GoverningText.AGREEMENT,
        base=base.number if base else 0,
        content=content,
    )


# --- changing the proposed text ----------------------------------------------------------------
# While its proposal is a draft or in discussion (also after a block, once revised), the author
# or a coordinator rewrites the proposed text. It is then written against the version current
# now: this is how a change whose base became outdated is brought up to date.


def _editable_amendment(actor: Person, proposal: Proposal, text: str) -> Amendment:
    proposal = selectors.get_proposal(actor.user, proposal.pk)  # 404 for a hidden one
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    if proposal.author_id != actor.pk:
        require_coordinator(actor, proposal.community_id)
    if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.DISCUSSION):
        raise ValidationError(
            _("The proposed text can change only while the proposal is a draft or in discussion.")
        )
    amendment = Amendment.objects.select_for_update().filter(proposal=proposal, text=text).first()
    if amendment is None or amendment.number is not None:
        raise ValidationError(_("This proposal carries no change of that text to edit."))
    return amendment


def _save_text(actor: Person, amendment: Amendment, base: int, content: dict) -> Amendment:
    before = amendment.base_number
    amendment.base_number, amendment.content = base, content
    amendment.save(update_fields=["base_number", "content"])
    record_audit(
        action=f"{amendment.text}.revise",
        actor=actor,
        community=actor.community,
        target=amendment.proposal,
        changes={"base": {"before": before, "after": base}},
    )
    return amendment


@transaction.atomic
def revise_charter_change(
    *,
    actor: Person,
    proposal: Proposal,
    purpose: Bilingual,
    objectives: list[tuple[str, Bilingual]],
    values: list[Bilingual],
) -> Amendment:
    amendment = _editable_amendment(actor, proposal, GoverningText.CHARTER)
    base = selectors.current_charter(actor.community)
    content = charter_content(
        base=base,
        purpose=purpose,
        objectives=objectives,
        values=values,
        own_keys=frozenset(item["key"] for item in amendment.content["objectives"]),
    )
    return _save_text(actor, amendment, base.number, content)


@transaction.atomic
def revise_agreement_change(*, actor: Person, proposal: Proposal, text: Bilingual) -> Amendment:
    amendment = _editable_amendment(actor, proposal, GoverningText.AGREEMENT)
    base = selectors.current_agreement(actor.community_id)
    content = agreement_content(base=base, text=text)
    return _save_text(actor, amendment, base.number if base else 0, content)


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
                "decided as it is. Edit the proposed text: it is then written against the "
                "current version."
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
    if amendment.text == GoverningText.CHARTER:
        public_page.changed(amendment.community_id)  # the public page shows the charter
    return amendment
