"""What an action area or an action is for: the charter objectives and the intended outcomes it
serves. Whoever may plan the record links it (`access`). An objective is named by its stable key
(`committee.governing_texts`); only the current charter's objectives can be added, and a link to
an objective a later charter removed is kept until someone unticks it."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committee import selectors as committee_selectors
from stakeholders.models import Person
from stakeholders.services import record_audit

from .. import selectors
from ..models import Action, ActionArea, CharterLink, IntendedOutcome
from .access import require_plan_action, require_plan_area
from .common import locked


@transaction.atomic
def link_intentions(
    *,
    actor: Person,
    record: ActionArea | Action,
    objective_keys: Iterable[str],
    outcomes: Iterable[IntendedOutcome],
) -> None:
    """Set the charter objectives and intended outcomes `record` serves (all of them: what is
    not given is unlinked)."""
    is_area = isinstance(record, ActionArea)
    record = locked(record)
    (require_plan_area if is_area else require_plan_action)(actor, record)
    links = record.charter_links.all()
    before_keys = set(links.values_list("objective_key", flat=True))
    keys = set(objective_keys)
    current = {
        objective.key
        for objective in committee_selectors.current_charter(actor.community).objectives
    }
    if not keys <= current | before_keys:
        raise ValidationError(
            {"charter_objectives": _("Choose objectives of the community's current charter.")}
        )
    outcomes = list(outcomes)
    offered = set(selectors.intended_outcomes_for(actor.user).values_list("pk", flat=True))
    if any(outcome.pk not in offered for outcome in outcomes):
        raise ValidationError({"intended_outcomes": _("Choose the community's intended outcomes.")})
    before_outcomes = set(record.intended_outcomes.values_list("pk", flat=True))
    after_outcomes = {outcome.pk for outcome in outcomes}
    if keys == before_keys and after_outcomes == before_outcomes:
        return
    links.exclude(objective_key__in=keys).delete()
    owner = {"area": record} if is_area else {"action": record}
    CharterLink.objects.bulk_create(
        [CharterLink(objective_key=key, **owner) for key in sorted(keys - before_keys)]
    )
    record.intended_outcomes.set(outcomes)
    record_audit(
        action=f"{'action_area' if is_area else 'action'}.link",
        actor=actor,
        community=actor.community,
        target=record,
        changes={
            "before": {"objectives": sorted(before_keys), "outcomes": sorted(before_outcomes)},
            "after": {"objectives": sorted(keys), "outcomes": sorted(after_outcomes)},
        },
    )
