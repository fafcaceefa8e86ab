"""Writes about the community profile (step 1, "understand sex work in the community"): dated
observations of where and how sex work and sexual exploitation show up, which services exist,
and what a sector is concerned about.

Any committee member records an entry, for a sector of their own (a coordinator for any sector,
writing down what was said at a meeting), and chooses who sees it: an experiential member's
account can stay in the experiential caucus. Its author or a coordinator edits it. Only a
coordinator shares an entry with the public (`publishing.set_public`, or by choosing `public`
when writing it)."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from committee.services import is_coordinator_of
from stakeholders.models import Person, Sector
from stakeholders.public_page import changes_public_page
from stakeholders.services import record_audit, save_visible_record

from .. import selectors
from ..models import RealityEntry, RealityKind
from .access import require_member
from .common import locked
from .needs import check_sector


def _clean(kind: str, text: str, observed_on: date | None) -> str:
    if kind not in RealityKind.values:
        raise ValidationError({"kind": _("Choose what the entry is about from the list.")})
    if observed_on is None:
        raise ValidationError({"observed_on": _("Say when this was observed.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what you see before saving.")})
    return text


@changes_public_page
@transaction.atomic
def record_reality_entry(
    *,
    author: Person,
    kind: str,
    sector: Sector,
    observed_on: date | None,
    text: str,
    visibility: str,
    sectors: Iterable[Sector] = (),
    sources: str = "",
) -> RealityEntry:
    """Add a dated observation to the community profile, with who may see it."""
    require_member(author)
    check_sector(author, sector)
    entry = RealityEntry(
        community_id=author.community_id,
        author=author,
        kind=kind,
        sector=sector,
        observed_on=observed_on,
        text=_clean(kind, text, observed_on),
        sources=(sources or "").strip(),
    )
    save_visible_record(record=entry, author=author, visibility=visibility, sectors=sectors)
    record_audit(
        action="reality.create",
        actor=author,
        community=entry.community,
        target=entry,
        changes={"kind": kind, "sector": sector.key, "observed_on": observed_on.isoformat()},
    )
    return entry


def may_edit_reality_entry(actor: Person, entry: RealityEntry) -> bool:
    """For an entry the actor can see: its author and the coordinators edit it."""
    return actor.is_committee_member and (
        entry.author_id == actor.pk or is_coordinator_of(actor, entry.community_id)
    )


@changes_public_page
@transaction.atomic
def update_reality_entry(
    *,
    actor: Person,
    entry: RealityEntry,
    kind: str,
    sector: Sector,
    observed_on: date | None,
    text: str,
    sources: str = "",
) -> RealityEntry:
    """Change what an entry says (not who sees it: see `change_visibility`)."""
    if not selectors.reality_entries_for(actor.user).filter(pk=entry.pk).exists():
        raise Http404
    entry = locked(entry)
    if not may_edit_reality_entry(actor, entry):
        raise ValidationError(_("Only its author or a coordinator can change this entry."))
    if sector.pk != entry.sector_id:
        check_sector(actor, sector)
    before = _snapshot(entry)
    entry.text = _clean(kind, text, observed_on)
    entry.kind, entry.sector, entry.observed_on = kind, sector, observed_on
    entry.sources = (sources or "").strip()
    entry.full_clean(exclude=["visible_sectors"])
    entry.save(update_fields=["kind", "sector", "observed_on", "text", "sources", "updated_at"])
    record_audit(
        action="reality.update",
        actor=actor,
        community=entry.community,
        target=entry,
        changes={"before": before, "after": _snapshot(entry)},
    )
    return entry


def _snapshot(entry: RealityEntry) -> dict:
    return {
        "kind": entry.kind,
        "sector": entry.sector_id,
        "observed_on": entry.observed_on.isoformat() if entry.observed_on else None,
    }
