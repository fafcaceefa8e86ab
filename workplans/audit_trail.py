"""What the audit trail (`stakeholders.audit_trail`) needs to know about the work plan's records:
who may see an entry about each of them (the rules of `selectors`: an action only under a
visible area, indicators and progress updates only with their action, dots only with their
need), how to name and link them, and what each action is called. Registered from
`WorkplansConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stakeholders.audit_trail import register_actions, register_kind

from . import selectors
from .models import (
    Action,
    ActionArea,
    Indicator,
    IntendedOutcome,
    Need,
    NeedVote,
    Objective,
    Prioritization,
    ProgressUpdate,
    RealityEntry,
)


def _plan_link(anchor: str, slug: str) -> str:
    return f"{reverse('workplan', args=[slug])}#{anchor}"


def _action_link(action_id: int, slug: str) -> str:
    return reverse("workplan-action", args=[slug, action_id])


def _action_ids(user):
    return selectors.actions_for(user).order_by().values("pk")


def register() -> None:
    register_kind(
        Need,
        restricted=True,
        records=lambda user: selectors.needs_for(user).select_related(None),
        describe=lambda need: need.title,
        link=lambda need, slug: reverse("workplan-need-detail", args=[slug, need.pk]),
    )
    register_kind(
        RealityEntry,
        restricted=True,
        records=lambda user: selectors.reality_entries_for(user).select_related(None),
        describe=lambda entry: entry.title,
        link=lambda entry, slug: f"{reverse('workplan-reality', args=[slug])}#entry-{entry.pk}",
    )
    register_kind(
        NeedVote,
        restricted=True,
        records=lambda user: NeedVote.objects.filter(
            need__in=selectors.needs_for(user).order_by().values("pk")
        ).select_related("need"),
        describe=lambda vote: vote.need.title,
        link=lambda vote, slug: reverse("workplan-need-detail", args=[slug, vote.need_id]),
    )
    register_kind(
        ActionArea,
        restricted=True,
        records=lambda user: selectors.action_areas_for(user).prefetch_related(None),
        describe=lambda area: area.title,
        link=lambda area, slug: _plan_link(f"area-{area.pk}", slug),
    )
    register_kind(
        Objective,
        restricted=True,
        records=lambda user: selectors.objectives_for(user),
        describe=lambda objective: objective.title,
        link=lambda objective, slug: _plan_link(f"objective-{objective.pk}", slug),
    )
    register_kind(
        Action,
        restricted=True,
        records=lambda user: (
            selectors.actions_for(user).select_related(None).prefetch_related(None)
        ),
        describe=lambda action: action.title,
        link=lambda action, slug: _action_link(action.pk, slug),
    )
    for model in (Indicator, ProgressUpdate):
        register_kind(
            model,
            restricted=True,
            records=lambda user, model=model: model.objects.filter(
                action__in=_action_ids(user)
            ).select_related("action"),
            describe=lambda row: row.action.title,
            link=lambda row, slug: _action_link(row.action_id, slug),
        )
    # The committee-wide records: every committee member of the community sees them.
    register_kind(
        IntendedOutcome,
        restricted=False,
        describe=lambda outcome: str(outcome.label),
        link=lambda outcome, slug: reverse("workplan-outcomes", args=[slug]),
    )
    register_kind(
        Prioritization,
        restricted=False,
        describe=lambda prioritization: prioritization.title,
        link=lambda prioritization, slug: reverse(
            "workplan-priority-round", args=[slug, prioritization.pk]
        ),
    )
    register_actions(
        groups={
            "intended_outcome": _("Intended outcomes"),
            "adaptation": _("Adapting the model"),
            "reality": _("Community profile"),
            "public": _("Public page"),
            "need": _("Needs and dots"),
            "prioritization": _("Prioritization rounds"),
            "action_area": _("Action areas"),
            "objective": _("Objectives"),
            "action": _("Actions"),
            "indicator": _("Indicators"),
            "progress_update": _("Progress updates"),
        },
        labels={
            "intended_outcome.add": _("added an intended outcome"),
            "intended_outcome.update": _("edited an intended outcome"),
            "intended_outcome.choose": _("chose an intended outcome"),
            "intended_outcome.unchoose": _("set aside an intended outcome"),
            "intended_outcome.reorder": _("reordered the intended outcomes"),
            # Older entries: the checklist once had an item a coordinator ticked by hand.
            "adaptation.tick": _("ticked a step of the checklist"),
            "adaptation.untick": _("unticked a step of the checklist"),
            "reality.create": _("added to the community profile"),
            "reality.update": _("edited an entry of the community profile"),
            "public.publish": _("shared a record on the public page"),
            "public.withdraw": _("took a record off the public page"),
            "need.create": _("raised a need"),
            "need.update": _("edited a need"),
            "need.status": _("changed the status of a need"),
            "need.dots": _("put dots on a need"),
            "prioritization.open": _("opened a prioritization round"),
            "prioritization.close": _("closed a prioritization round"),
            "action_area.create": _("added an action area"),
            "action_area.update": _("edited an action area"),
            "action_area.link": _("linked an action area to the charter or intended outcomes"),
            "action_area.reorder": _("reordered the action areas"),
            "action_area.draft": _("drafted the proposal that agrees an action area"),
            "action_area.agree": _("recorded that an action area was agreed"),
            "objective.create": _("added an objective"),
            "objective.update": _("edited an objective"),
            "objective.reorder": _("reordered objectives"),
            "action.create": _("added an action"),
            "action.update": _("edited an action"),
            "action.link": _("linked an action to the charter or intended outcomes"),
            "action.reorder": _("reordered actions"),
            "action.approve": _("approved an action"),
            "action.status": _("changed the status of an action"),
            "action.progress": _("changed the progress of an action"),
            "indicator.create": _("added an indicator"),
            "indicator.update": _("edited an indicator"),
            "indicator.remove": _("removed an indicator"),
            "progress_update.create": _("reported progress"),
        },
    )
