"""Writes about the community's intention (the outcomes it chooses) and the checklist items of
the guided path that a coordinator ticks."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from committee.services import require_coordinator
from stakeholders.models import Person
from stakeholders.services import record_audit

from ..models import MODEL_OUTCOMES, IntendedOutcome
from .common import clean_title, locked, next_position, reorder


def _require_own_community(actor: Person, outcome: IntendedOutcome) -> None:
    if outcome.community_id != actor.community_id:
        raise Http404


@transaction.atomic
def choose_model_outcome(*, actor: Person, key: str, chosen: bool = True) -> IntendedOutcome:
    """Choose (or set aside) one of the seed's four outcomes, by its key."""
    require_coordinator(actor, actor.community_id)
    if key not in MODEL_OUTCOMES:
        raise ValidationError({"key": _("Choose one of the outcomes offered.")})
    outcome = (
        IntendedOutcome.objects.select_for_update()
        .filter(community_id=actor.community_id, key=key)
        .first()
    )
    if outcome is None:
        with translation.override("en"):
            title = str(MODEL_OUTCOMES[key])
        outcome = IntendedOutcome(
            community_id=actor.community_id,
            key=key,
            title=title,
            position=list(MODEL_OUTCOMES).index(key),
            created_by=actor,
        )
    return _set_chosen(actor, outcome, chosen)


@transaction.atomic
def set_outcome_chosen(*, actor: Person, outcome: IntendedOutcome, chosen: bool) -> IntendedOutcome:
    require_coordinator(actor, actor.community_id)
    _require_own_community(actor, outcome)
    return _set_chosen(actor, locked(outcome), chosen)


def _set_chosen(actor: Person, outcome: IntendedOutcome, chosen: bool) -> IntendedOutcome:
    if outcome.pk is not None and outcome.chosen == chosen:
        return outcome
    outcome.chosen = chosen
    outcome.full_clean()
    outcome.save()
    record_audit(
        action="intended_outcome.choose" if chosen else "intended_outcome.unchoose",
        actor=actor,
        community=actor.community,
        target=outcome,
        changes={"key": outcome.key, "title": outcome.title},
    )
    return outcome


def _check_title_free(actor: Person, title: str, outcome: IntendedOutcome | None) -> None:
    clash = IntendedOutcome.objects.filter(community_id=actor.community_id, title__iexact=title)
    if outcome is not None:
        clash = clash.exclude(pk=outcome.pk)
    taken = {str(label).casefold() for label in MODEL_OUTCOMES.values()}
    with translation.override("en"):
        taken |= {str(label).casefold() for label in MODEL_OUTCOMES.values()}
    if clash.exists() or title.casefold() in taken:
        raise ValidationError({"title": _("This outcome is already on the list.")})


@transaction.atomic
def add_intended_outcome(*, actor: Person, title: str, description: str = "") -> IntendedOutcome:
    """A community's own outcome, chosen from the start."""
    require_coordinator(actor, actor.community_id)
    title = clean_title(title, "title", _("Say what outcome you want."))
    _check_title_free(actor, title, None)
    siblings = IntendedOutcome.objects.filter(community_id=actor.community_id)
    outcome = IntendedOutcome(
        community_id=actor.community_id,
        title=title,
        description=description.strip(),
        chosen=True,
        position=max(next_position(siblings), len(MODEL_OUTCOMES)),
        created_by=actor,
    )
    outcome.full_clean()
    outcome.save()
    record_audit(
        action="intended_outcome.add",
        actor=actor,
        community=actor.community,
        target=outcome,
        changes={"title": title},
    )
    return outcome


@transaction.atomic
def update_intended_outcome(
    *, actor: Person, outcome: IntendedOutcome, title: str, description: str
) -> IntendedOutcome:
    """Reword a community's own outcome; the seed's four keep their words (their description,
    what the outcome means for this community, can change)."""
    require_coordinator(actor, actor.community_id)
    _require_own_community(actor, outcome)
    outcome = locked(outcome)
    before = {"title": outcome.title, "description": outcome.description}
    if not outcome.is_from_model:
        title = clean_title(title, "title", _("Say what outcome you want."))
        _check_title_free(actor, title, outcome)
        outcome.title = title
    outcome.description = description.strip()
    outcome.full_clean()
    outcome.save()
    record_audit(
        action="intended_outcome.update",
        actor=actor,
        community=actor.community,
        target=outcome,
        changes={
            "before": before,
            "after": {"title": outcome.title, "description": outcome.description},
        },
    )
    return outcome


@transaction.atomic
def reorder_intended_outcomes(*, actor: Person, outcomes: Sequence[IntendedOutcome]) -> None:
    require_coordinator(actor, actor.community_id)
    ids = reorder(IntendedOutcome.objects.filter(community_id=actor.community_id), outcomes)
    record_audit(
        action="intended_outcome.reorder",
        actor=actor,
        community=actor.community,
        changes={"order": ids},
    )
