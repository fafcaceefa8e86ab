"""Writes about how an action is going: its status and progress, its indicators and the
progress updates reported over time.

Status moves (`set_action_status`): "approved" is never set here — only `approve_actions` does
that, through an agreed proposal. In progress, done and stalled need an approved action. Dropped
is always possible; proposed only for an action that was never approved (to take a dropped idea
up again). Marking an action done sets its progress to 100 %.

Progress (`set_action_progress`, or a progress update that gives a percentage) is reported on
approved work that is not done or dropped. The action's progress follows the latest-dated update
that gives one, so a late report about an earlier date does not overwrite a newer figure."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from stakeholders.models import Person
from stakeholders.public_page import changes_public_page
from stakeholders.services import record_audit

from .. import selectors
from ..models import APPROVED_STATUSES, Action, ActionStatus, Indicator, ProgressUpdate
from .access import require_plan_action, require_report
from .common import clean_title, locked, next_position

REPORTABLE_STATUSES = APPROVED_STATUSES - {ActionStatus.DONE}


def _lock(action: Action) -> Action:
    return Action.objects.select_for_update().select_related("objective__area").get(pk=action.pk)


@changes_public_page
@transaction.atomic
def set_action_status(*, actor: Person, action: Action, status: str) -> Action:
    action = _lock(action)
    require_report(actor, action)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status == ActionStatus.APPROVED:
        raise ValidationError(
            {"status": _("An action is approved only through a proposal the committee agreed.")}
        )
    if action.status == status:
        return action
    if status in APPROVED_STATUSES and not action.is_approved:
        raise ValidationError(
            {"status": _("Approve this action through a proposal the committee agreed first.")}
        )
    if status == ActionStatus.PROPOSED and action.is_approved:
        raise ValidationError(
            {"status": _("This action was approved; it cannot be proposed again.")}
        )
    before = {"status": action.status, "progress": action.progress}
    action.status = status
    if status == ActionStatus.DONE:
        action.progress = 100
    action.save(update_fields=["status", "progress", "updated_at"])
    record_audit(
        action="action.status",
        actor=actor,
        community=action.community,
        target=action,
        changes={"before": before, "after": {"status": status, "progress": action.progress}},
    )
    return action


def _check_progress(action: Action, progress: int) -> None:
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Give the progress as a percentage from 0 to 100.")})
    if action.status not in REPORTABLE_STATUSES:
        raise ValidationError(
            {"progress": _("Progress is reported on approved work that is not done or dropped.")}
        )


@changes_public_page
@transaction.atomic
def set_action_progress(*, actor: Person, action: Action, progress: int) -> Action:
    action = _lock(action)
    require_report(actor, action)
    _check_progress(action, progress)
    if action.progress != progress:
        before, action.progress = action.progress, progress
        action.save(update_fields=["progress", "updated_at"])
        record_audit(
            action="action.progress",
            actor=actor,
            community=action.community,
            target=action,
            changes={"before": before, "after": progress},
        )
    return action


# --- indicators --------------------------------------------------------------------------------


def _clean_target(target: Decimal | None) -> Decimal | None:
    if target is not None and target < 0:
        raise ValidationError({"target": _("The target cannot be negative.")})
    return target


@changes_public_page
@transaction.atomic
def add_indicator(
    *, actor: Person, action: Action, name: str, target: Decimal | None = None, unit: str = ""
) -> Indicator:
    require_plan_action(actor, action)
    indicator = Indicator(
        action=action,
        name=clean_title(name, "name", _("Name the indicator.")),
        target=_clean_target(target),
        unit=unit.strip(),
        position=next_position(Indicator.objects.filter(action=action)),
    )
    indicator.full_clean()
    indicator.save()
    record_audit(
        action="indicator.create",
        actor=actor,
        community=action.community,
        target=indicator,
        changes={"action": action.pk, "name": indicator.name},
    )
    return indicator


@changes_public_page
@transaction.atomic
def update_indicator(
    *, actor: Person, indicator: Indicator, name: str, target: Decimal | None, unit: str
) -> Indicator:
    require_plan_action(actor, indicator.action)
    indicator = locked(indicator)
    before = {"name": indicator.name, "target": str(indicator.target), "unit": indicator.unit}
    indicator.name = clean_title(name, "name", _("Name the indicator."))
    indicator.target = _clean_target(target)
    indicator.unit = unit.strip()
    indicator.full_clean()
    indicator.save(update_fields=["name", "target", "unit"])
    record_audit(
        action="indicator.update",
        actor=actor,
        community=indicator.action.community,
        target=indicator,
        changes={
            "before": before,
            "after": {"name": indicator.name, "target": str(indicator.target), "unit": unit},
        },
    )
    return indicator


@changes_public_page
@transaction.atomic
def remove_indicator(*, actor: Person, indicator: Indicator) -> None:
    """Remove an indicator nobody has reported a value for yet (values are history)."""
    action = indicator.action
    require_plan_action(actor, action)
    if indicator.values.exists():
        raise ValidationError(_("Values have been reported for this indicator; it stays."))
    record_audit(
        action="indicator.remove",
        actor=actor,
        community=action.community,
        target=action,
        changes={"indicator": indicator.pk, "name": indicator.name},
    )
    indicator.delete()


# --- progress updates --------------------------------------------------------------------------


@changes_public_page
@transaction.atomic
def add_progress_update(
    *,
    actor: Person,
    action: Action,
    on: date,
    progress: int | None = None,
    indicator: Indicator | None = None,
    value: Decimal | None = None,
    note: str = "",
) -> ProgressUpdate:
    """Report on an action: a progress percentage, a value of one of its indicators, a note, or
    several of these. By its responsible person or whoever may plan it."""
    action = _lock(action)
    require_report(actor, action)
    note = note.strip()
    if on > selectors.today_for(actor.user):
        raise ValidationError({"date": _("Report on today or an earlier day.")})
    if progress is not None:
        _check_progress(action, progress)
    if (indicator is None) != (value is None):
        raise ValidationError({"value": _("Give a value together with its indicator.")})
    if indicator is not None and indicator.action_id != action.pk:
        raise Http404
    if progress is None and indicator is None and not note:
        raise ValidationError(_("Give a progress, an indicator value or a note."))
    update = ProgressUpdate(
        action=action,
        date=on,
        progress=progress,
        indicator=indicator,
        value=value,
        note=note,
        by=actor,
    )
    update.full_clean()
    update.save()
    if progress is not None:
        latest = (
            ProgressUpdate.objects.filter(action=action, progress__isnull=False)
            .order_by("-date", "-pk")
            .first()
        )
        if latest.progress != action.progress:
            action.progress = latest.progress
            action.save(update_fields=["progress", "updated_at"])
    record_audit(
        action="progress_update.create",
        actor=actor,
        community=action.community,
        target=update,
        changes={
            "action": action.pk,
            "date": on.isoformat(),
            "progress": progress,
            "indicator": indicator.pk if indicator else None,
            "value": str(value) if value is not None else None,
        },
    )
    return update
