"""What the committee shares with the broader community on its public page: coordinators
publish, and withdraw, agreed action areas, approved actions and community profile entries.

The rules (DESIGN.md, "Visibility"): only coordinators make anything public; only a record the
whole committee already sees (`committee`) is published, never one kept to a caucus, an
organization or the coordinators; an area or action only once the committee agreed or approved
it, an action only under a public area. Withdrawing gives the record back to the whole
committee; withdrawing an area withdraws its public actions too. Any coordinator may do this,
not only the record's author: sharing with the public is the coordinators' job."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from committee.services import require_coordinator
from stakeholders.models import Person, Visibility
from stakeholders.public_page import changes_public_page
from stakeholders.services import record_audit, save_visible_record

from .. import selectors
from ..models import Action, ActionArea, RealityEntry
from .common import locked
from .plan import check_public, withdraw_public_actions

Publishable = ActionArea | Action | RealityEntry


def _visible(actor: Person, record: Publishable) -> bool:
    visible = {
        ActionArea: selectors.action_areas_for,
        Action: selectors.actions_for,
        RealityEntry: selectors.reality_entries_for,
    }[type(record)]
    return visible(actor.user).filter(pk=record.pk).exists()


@changes_public_page
@transaction.atomic
def set_public(*, actor: Person, record: Publishable, public: bool) -> Publishable:
    """Publish a record the whole committee sees (`public=True`), or withdraw a public one to
    the whole committee (`public=False`)."""
    require_coordinator(actor, actor.community_id)
    if not _visible(actor, record):
        raise Http404
    record = locked(record)
    wanted = Visibility.PUBLIC if public else Visibility.COMMITTEE
    if record.visibility == wanted:
        return record
    if public:
        if record.visibility == Visibility.SECTORS:
            raise ValidationError(_("What a caucus keeps to itself is never made public."))
        if record.visibility != Visibility.COMMITTEE:
            raise ValidationError(
                _("Only what the whole committee sees can be shared with the public.")
            )
        if not isinstance(record, RealityEntry):
            check_public(record, Visibility.PUBLIC)
    elif record.visibility != Visibility.PUBLIC:
        raise ValidationError(_("This is not on the public page."))
    save_visible_record(record=record, author=actor, visibility=wanted, sectors=())
    if isinstance(record, ActionArea) and not public:
        withdraw_public_actions(actor=actor, area=record)
    record_audit(
        action="public.publish" if public else "public.withdraw",
        actor=actor,
        community=record.community,
        target=record,
    )
    return record
