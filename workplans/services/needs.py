"""Writes about the needs and issues register and its prioritization by dot vote.

Dots: in an open round, each committee member who may give positions has the round's
`dots_per_member` dots to place on open needs they can see, several on one need if they like.
Placing and removing dots lock the round's row, so two requests at once cannot spend more dots
than the member has."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committee.services import is_coordinator_of, require_coordinator
from stakeholders.models import Person, Sector
from stakeholders.services import record_audit, save_visible_record

from ..models import (
    DEFAULT_DOTS_PER_MEMBER,
    Need,
    NeedStatus,
    NeedVote,
    Prioritization,
    PrioritizationStatus,
)
from .access import require_can_give_positions, require_member, require_visible_need
from .common import clean_title, locked
from .plan import change_visibility

# --- needs -------------------------------------------------------------------------------------


def check_sector(actor: Person, sector: Sector) -> None:
    """A member raises a need for a sector of their own; a coordinator for any sector of the
    community (when writing down what was said at a meeting, say)."""
    if sector.community_id != actor.community_id:
        raise ValidationError({"sector": _("Choose a sector of your own community.")})
    if is_coordinator_of(actor, actor.community_id):
        return
    if not actor.sectors.filter(pk=sector.pk).exists():
        raise ValidationError({"sector": _("Raise a need for a sector you belong to.")})


@transaction.atomic
def record_need(
    *,
    author: Person,
    title: str,
    sector: Sector,
    visibility: str,
    sectors: Iterable[Sector] = (),
    description: str = "",
) -> Need:
    """Add a need or issue to the register, with who may see it (a caucus need stays in the
    caucus)."""
    require_member(author)
    check_sector(author, sector)
    need = Need(
        community_id=author.community_id,
        author=author,
        title=clean_title(title, "title", _("Name the need or issue.")),
        description=description.strip(),
        sector=sector,
    )
    save_visible_record(record=need, author=author, visibility=visibility, sectors=sectors)
    record_audit(
        action="need.create",
        actor=author,
        community=need.community,
        target=need,
        changes={"sector": sector.key},
    )
    return need


def _require_need_editor(actor: Person, need: Need) -> None:
    require_visible_need(actor, need)
    if need.author_id != actor.pk and not is_coordinator_of(actor, need.community_id):
        raise ValidationError(_("Only its author or a coordinator can change this need."))


def _audience(need: Need) -> dict:
    return {
        "visibility": need.visibility,
        "sectors": sorted(need.visible_sectors.values_list("pk", flat=True)),
    }


@transaction.atomic
def update_need(
    *,
    actor: Person,
    need: Need,
    title: str,
    description: str,
    sector: Sector,
    visibility: str | None = None,
    sectors: Iterable[Sector] = (),
) -> Need:
    """Change what a need says and the sector it is raised for: its author or a coordinator
    (writing down what was said at a meeting). With `visibility`, also who may see it, by the
    same rules as when it was recorded (only a member of a sector keeps it in that sector's
    caucus) and only by its author: widening a caucus need would tell others what was said
    only in the caucus, which nobody but the person who said it decides (`change_visibility`,
    whose grants are audited). Nothing changes unless all of it can."""
    _require_need_editor(actor, need)
    need = locked(need)
    if sector.pk != need.sector_id:
        check_sector(actor, sector)
    before = {"title": need.title, "sector": need.sector_id, **_audience(need)}
    need.title = clean_title(title, "title", _("Name the need or issue."))
    need.description = description.strip()
    need.sector = sector
    need.full_clean(exclude=["visible_sectors"])
    need.save(update_fields=["title", "description", "sector", "updated_at"])
    if visibility is not None:
        sectors = list(sectors)
        wanted = {"visibility": visibility, "sectors": sorted(s.pk for s in sectors)}
        if wanted != _audience(need):
            change_visibility(actor=actor, record=need, visibility=visibility, sectors=sectors)
            need = Need.objects.get(pk=need.pk)
    record_audit(
        action="need.update",
        actor=actor,
        community=need.community,
        target=need,
        changes={
            "before": before,
            "after": {"title": need.title, "sector": need.sector_id, **_audience(need)},
        },
    )
    return need


@transaction.atomic
def set_need_status(*, actor: Person, need: Need, status: str) -> Need:
    """Mark a need addressed (or open again). Addressed needs take no more dots."""
    _require_need_editor(actor, need)
    if status not in NeedStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    need = locked(need)
    if need.status != status:
        before, need.status = need.status, status
        need.save(update_fields=["status", "updated_at"])
        record_audit(
            action="need.status",
            actor=actor,
            community=need.community,
            target=need,
            changes={"before": before, "after": status},
        )
    return need


# --- prioritization rounds ---------------------------------------------------------------------


@transaction.atomic
def open_prioritization(
    *, actor: Person, title: str, dots_per_member: int = DEFAULT_DOTS_PER_MEMBER
) -> Prioritization:
    require_coordinator(actor, actor.community_id)
    if Prioritization.objects.filter(
        community_id=actor.community_id, status=PrioritizationStatus.OPEN
    ).exists():
        raise ValidationError(_("Close the open prioritization before starting another."))
    if not 1 <= dots_per_member <= 20:
        raise ValidationError({"dots_per_member": _("Give each member from 1 to 20 dots.")})
    prioritization = Prioritization(
        community_id=actor.community_id,
        title=clean_title(title, "title", _("Give the prioritization a title.")),
        dots_per_member=dots_per_member,
        opened_by=actor,
    )
    prioritization.full_clean()
    prioritization.save()
    record_audit(
        action="prioritization.open",
        actor=actor,
        community=actor.community,
        target=prioritization,
        changes={"dots_per_member": dots_per_member},
    )
    return prioritization


@transaction.atomic
def close_prioritization(*, actor: Person, prioritization: Prioritization) -> Prioritization:
    require_coordinator(actor, actor.community_id)
    prioritization = _lock(actor, prioritization)
    if prioritization.status != PrioritizationStatus.CLOSED:
        prioritization.status = PrioritizationStatus.CLOSED
        prioritization.closed_at = timezone.now()
        prioritization.save(update_fields=["status", "closed_at"])
        record_audit(
            action="prioritization.close",
            actor=actor,
            community=actor.community,
            target=prioritization,
        )
    return prioritization


def _lock(actor: Person, prioritization: Prioritization) -> Prioritization:
    locked = (
        Prioritization.objects.select_for_update()
        .filter(pk=prioritization.pk, community_id=actor.community_id)
        .first()
    )
    if locked is None:
        raise Http404
    return locked


# --- dots --------------------------------------------------------------------------------------


@transaction.atomic
def set_dots(
    *, actor: Person, prioritization: Prioritization, need: Need, dots: int
) -> NeedVote | None:
    """Put exactly `dots` of the actor's dots on a need (0 takes them all back). Returns the
    vote row, or None when no dot is left on the need."""
    require_can_give_positions(actor)
    prioritization = _lock(actor, prioritization)
    require_visible_need(actor, need)
    need = Need.objects.get(pk=need.pk)  # its status now, not the caller's copy
    if dots < 0:
        raise ValidationError({"dots": _("Place zero dots or more.")})
    if prioritization.status != PrioritizationStatus.OPEN:
        raise ValidationError(_("This prioritization is closed."))
    vote = NeedVote.objects.filter(prioritization=prioritization, need=need, person=actor).first()
    before = vote.dots if vote else 0
    if dots == before:
        return vote
    if dots > before and need.status != NeedStatus.OPEN:
        raise ValidationError(_("This need is marked addressed; it takes no more dots."))
    elsewhere = (
        NeedVote.objects.filter(prioritization=prioritization, person=actor)
        .exclude(need=need)
        .aggregate(used=Sum("dots"))["used"]
        or 0
    )
    if elsewhere + dots > prioritization.dots_per_member:
        left = max(prioritization.dots_per_member - elsewhere - before, 0)
        raise ValidationError(
            {
                "dots": ngettext(
                    "You have %(left)d dot left to place.",
                    "You have %(left)d dots left to place.",
                    left,
                )
                % {"left": left}
            }
        )
    if dots == 0:
        vote.delete()
        vote = None
    elif vote is None:
        vote = NeedVote.objects.create(
            prioritization=prioritization, need=need, person=actor, dots=dots
        )
    else:
        vote.dots = dots
        vote.save(update_fields=["dots", "updated_at"])
    record_audit(
        action="need.dots",
        actor=actor,
        community=actor.community,
        target=need,
        changes={"prioritization": prioritization.pk, "before": before, "after": dots},
    )
    return vote


def _current_dots(actor: Person, prioritization: Prioritization, need: Need) -> int:
    vote = NeedVote.objects.filter(prioritization=prioritization, need=need, person=actor).first()
    return vote.dots if vote else 0


@transaction.atomic
def vote(*, actor: Person, prioritization: Prioritization, need: Need) -> NeedVote | None:
    """Place one more dot on a need."""
    prioritization = _lock(actor, prioritization)
    dots = _current_dots(actor, prioritization, need) + 1
    return set_dots(actor=actor, prioritization=prioritization, need=need, dots=dots)


@transaction.atomic
def unvote(*, actor: Person, prioritization: Prioritization, need: Need) -> NeedVote | None:
    """Take one dot back from a need (nothing happens if there is none)."""
    prioritization = _lock(actor, prioritization)
    dots = max(_current_dots(actor, prioritization, need) - 1, 0)
    return set_dots(actor=actor, prioritization=prioritization, need=need, dots=dots)
