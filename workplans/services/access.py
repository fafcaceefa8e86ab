"""Who may do what to the work plan: one place for the rules every service applies.

- Intended outcomes, prioritization rounds and the checklist's ticks: coordinators of the
  community (`committee.services.require_coordinator`).
- Needs: any committee member records them; their author or a coordinator edits them.
- The plan (action areas, objectives, actions, indicators, approval): coordinators plan
  everything they can see. A caucus plans its own: a committee member may create and edit
  work-plan records restricted to sectors (visibility `sectors`, a caucus) — an area, the
  objectives under such an area, an action that is itself a caucus record or sits under a caucus
  area. (Only a member of a sector can restrict a record to it, so caucus records are planned by
  the caucus, and a coordinator outside it never sees them.)
- Reporting on an action (status, progress, progress updates): whoever may plan it, and its
  responsible person.

A record the actor may not see does not exist for them: services raise Http404, as pages do."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from committee import selectors as committee_selectors
from committee.services import is_coordinator_of
from stakeholders.models import Person, Visibility

from .. import selectors
from ..models import Action, ActionArea, Need, Objective


def require_member(actor: Person) -> None:
    if not actor.is_committee_member:
        raise ValidationError(_("Only committee members can do this."))


def require_can_give_positions(actor: Person) -> None:
    """Members who may state a view for the committee: not observers, not administrators."""
    require_member(actor)
    committee = committee_selectors.committee_for(actor.user)
    if committee is not None and committee_selectors.is_observer(actor, committee):
        raise ValidationError(_("Observers take part in the discussion but do not vote."))


def require_visible_need(actor: Person, need: Need) -> None:
    if not selectors.needs_for(actor.user).filter(pk=need.pk).exists():
        raise Http404


def require_visible_area(actor: Person, area: ActionArea) -> None:
    if not selectors.action_areas_for(actor.user).filter(pk=area.pk).exists():
        raise Http404


def require_visible_action(actor: Person, action: Action) -> None:
    if not selectors.actions_for(actor.user).filter(pk=action.pk).exists():
        raise Http404


def may_create_plan_record(actor: Person, visibility: str) -> bool:
    """Coordinators create any work-plan record; other members only caucus ones."""
    return actor.is_committee_member and (
        is_coordinator_of(actor, actor.community_id) or visibility == Visibility.SECTORS
    )


def may_plan_area(actor: Person, area: ActionArea) -> bool:
    """For an area the actor can see: edit it and its objectives, add objectives."""
    return may_create_plan_record(actor, area.visibility)


def may_plan_action(actor: Person, action: Action) -> bool:
    """For an action the actor can see: edit it, its indicators, approve it."""
    return may_create_plan_record(actor, action.visibility) or may_plan_area(
        actor, action.objective.area
    )


def may_report(actor: Person, action: Action) -> bool:
    """For an action the actor can see: change its status and progress, add updates."""
    return actor.is_committee_member and (
        action.responsible_id == actor.pk or may_plan_action(actor, action)
    )


def _refuse_planning() -> None:
    raise ValidationError(
        _("Only coordinators, or the caucus for its own records, can change the work plan.")
    )


def require_plan_area(actor: Person, area: ActionArea) -> None:
    require_visible_area(actor, area)
    if not may_plan_area(actor, area):
        _refuse_planning()


def require_plan_objective(actor: Person, objective: Objective) -> None:
    require_plan_area(actor, objective.area)


def require_plan_action(actor: Person, action: Action) -> None:
    require_visible_action(actor, action)
    if not may_plan_action(actor, action):
        _refuse_planning()


def require_report(actor: Person, action: Action) -> None:
    require_visible_action(actor, action)
    if not may_report(actor, action):
        raise ValidationError(
            _("Only its responsible person or a coordinator can report on this action.")
        )


def require_new_plan_record(actor: Person, visibility: str) -> None:
    require_member(actor)
    if not may_create_plan_record(actor, visibility):
        _refuse_planning()


def require_new_action(actor: Person, objective: Objective, visibility: str) -> None:
    """A new action under an objective the actor can see: coordinators, and a caucus for a
    caucus action or under its own caucus area."""
    require_visible_area(actor, objective.area)
    require_member(actor)
    if not (may_create_plan_record(actor, visibility) or may_plan_area(actor, objective.area)):
        _refuse_planning()
