"""The work plan: action areas → objectives → actions as the viewer may see them, with their
progress rolled up; and, for whoever may plan them (`services.may_plan_*`), creating, editing
and reordering areas and objectives, drafting the proposal that agrees an area, recording the
agreement, and approving actions through an agreed proposal. Reordering answers HTMX with the
plan to swap in, and a plain form with a redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee.models import ProposalStatus
from stakeholders.models import Visibility
from stakeholders.views import add_form_errors, community_page

from .. import selectors, services
from ..exports import is_overdue
from ..forms import (
    ActionAreaEditForm,
    ActionAreaForm,
    AgreeAreaForm,
    ApproveActionsForm,
    MoveForm,
    ObjectiveForm,
)
from ..models import ActionStatus
from ..services.progress import REPORTABLE_STATUSES
from .common import (
    agreed_proposals,
    committee_member,
    error_message,
    form_errors,
    me_of,
)


def plan_url(community, anchor: str = "") -> str:
    url = reverse("workplan", kwargs={"slug": community.slug})
    return f"{url}#{anchor}" if anchor else url


def status_choices(action) -> list[tuple[str, str]]:
    """The statuses the services let this action move to now (never "approved": that is the
    agreed proposal's)."""
    if action.is_approved:
        allowed = [
            ActionStatus.IN_PROGRESS,
            ActionStatus.DONE,
            ActionStatus.STALLED,
            ActionStatus.DROPPED,
        ]
    else:
        allowed = [ActionStatus.PROPOSED, ActionStatus.DROPPED]
    return [(status.value, status.label) for status in allowed if status != action.status]


def mark_action(me, action, today) -> None:
    """What the viewer may do with an action, and how it stands, for the templates."""
    action.can_plan = me.is_committee_member and services.may_plan_action(me, action)
    action.can_report = me.is_committee_member and services.may_report(me, action)
    action.is_overdue = is_overdue(action, today)
    action.status_options = status_choices(action) if action.can_report else []
    action.takes_progress = action.status in REPORTABLE_STATUSES


def marked_plan(request):
    """The plan as the viewer may see it, each record marked with what they may do."""
    me = me_of(request)
    workplan = selectors.workplan_for(request.user)
    today = selectors.today_for(request.user)
    for area_index, area in enumerate(workplan.areas):
        area.can_plan = me.is_committee_member and services.may_plan_area(me, area.area)
        area.is_first, area.is_last = area_index == 0, area_index == len(workplan.areas) - 1
        for objective_index, objective in enumerate(area.objectives):
            objective.is_first = objective_index == 0
            objective.is_last = objective_index == len(area.objectives) - 1
            for action_index, action in enumerate(objective.actions):
                mark_action(me, action, today)
                action.is_first = action_index == 0
                action.is_last = action_index == len(objective.actions) - 1
    return workplan, today


def _plan_context(request, community) -> dict:
    me = me_of(request)
    workplan, today = marked_plan(request)
    plans_anything = any(area.can_plan for area in workplan.areas)
    proposals = list(agreed_proposals(request, community)) if plans_anything else []
    _mark_area_proposals(workplan, proposals)
    approvable = [
        action
        for action in workplan.actions
        if action.can_plan and action.status == ActionStatus.PROPOSED
    ]
    return {
        "community": community,
        "workplan": workplan,
        "today": today,
        "show_people": me.is_committee_member,
        "can_create": me.is_committee_member,
        "proposals": proposals,
        "approvable_count": len(approvable),
        "objective_form": ObjectiveForm(prefix="objective"),
    }


def _mark_area_proposals(workplan, agreed) -> None:
    """For each area still to agree that the viewer plans: the proposal drafted for it
    (`ActionArea.proposal`, only where the viewer may see it), agreed (`drafted_id`, chosen
    first in the form) or on its way (`pending`, linked)."""
    agreed_ids = {proposal.pk for proposal in agreed}
    for area in workplan.areas:
        area.drafted_id, area.pending = None, None
        drafted = area.area.proposal
        if drafted is None or not area.can_plan or area.area.is_agreed:
            continue
        if drafted.pk in agreed_ids:
            area.drafted_id = drafted.pk
        elif drafted.status not in {ProposalStatus.CLOSED, ProposalStatus.WITHDRAWN}:
            area.pending = drafted


@community_page
def workplan(request, community):
    return render(request, "workplans/workplan.html", _plan_context(request, community))


def _after_plan_change(request, community, anchor: str):
    if request.htmx:
        return render(request, "workplans/_plan.html", _plan_context(request, community))
    return redirect(plan_url(community, anchor))


# --- action areas ------------------------------------------------------------------------------


def _area_form_kwargs(request, me):
    return {"author": me, "needs": selectors.needs_for(request.user).prefetch_related(None)}


def linked_intentions(record) -> dict:
    """The form's initial links: what the area or action serves now."""
    return {
        "charter_objectives": list(record.charter_links.values_list("objective_key", flat=True)),
        "intended_outcomes": list(record.intended_outcomes.all()),
    }


def offer_members_only_caucus(form, me) -> None:
    """Members plan caucus records only (coordinators plan everything): offer only that."""
    if not me.is_coordinator:
        field = form.fields["visibility"]
        field.choices = [(v, label) for v, label in field.choices if v == Visibility.SECTORS]
        field.initial = Visibility.SECTORS
        field.help_text = _(
            "Committee members plan for their caucus; coordinators plan for the whole committee."
        )


@community_page
def area_create(request, community):
    me = committee_member(request)
    initial = {"needs": request.GET.getlist("needs")} if request.method == "GET" else None
    form = ActionAreaForm(request.POST or None, initial=initial, **_area_form_kwargs(request, me))
    offer_members_only_caucus(form, me)
    form.offer_intentions(*selectors.intention_options(request.user, community))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                area = services.create_action_area(
                    actor=me,
                    title=data["title"],
                    description=data["description"],
                    needs=data["needs"],
                    visibility=data["visibility"],
                    sectors=form.visible_sectors_chosen(),
                )
                services.link_intentions(actor=me, record=area, **form.intentions())
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The action area is proposed. The committee agrees it through a proposal: "
                    "draft it from here."
                ),
            )
            return redirect(plan_url(community, f"area-{area.pk}"))
    return render(request, "workplans/area_form.html", {"community": community, "form": form})


def _plannable_area(request, pk):
    area = selectors.get_action_area(request.user, pk)
    me = committee_member(request)
    if not services.may_plan_area(me, area):
        raise Http404
    return me, area


@community_page
def area_edit(request, community, pk):
    me, area = _plannable_area(request, pk)
    form = ActionAreaEditForm(
        request.POST or None,
        needs=selectors.needs_for(request.user).prefetch_related(None),
        initial={
            "title": area.title,
            "description": area.description,
            "needs": area.needs.all(),
            **linked_intentions(area),
        },
    )
    form.offer_intentions(*selectors.intention_options(request.user, community, area))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.update_action_area(
                    actor=me,
                    area=area,
                    title=data["title"],
                    description=data["description"],
                    needs=data["needs"],
                )
                services.link_intentions(actor=me, record=area, **form.intentions())
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The action area is saved."))
            return redirect(plan_url(community, f"area-{area.pk}"))
    return render(
        request, "workplans/area_form.html", {"community": community, "form": form, "area": area}
    )


def _moved(records: list, record, direction: str) -> list | None:
    """`records` with `record` one place up or down, or None if it cannot move that way."""
    index = next(i for i, candidate in enumerate(records) if candidate.pk == record.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(records):
        return None
    records = list(records)
    records[index], records[other] = records[other], records[index]
    return records


def reorder_from_form(request, community, record, siblings: list, reorder, anchor: str):
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form_errors(form)))
    else:
        ordered = _moved(siblings, record, form.cleaned_data["direction"])
        if ordered is not None:
            try:
                reorder(ordered)
            except ValidationError as error:
                error_message(request, error)
    return _after_plan_change(request, community, anchor)


@require_POST
@community_page
def area_move(request, community, pk):
    me, area = _plannable_area(request, pk)
    siblings = list(selectors.action_areas_for(request.user).prefetch_related(None))
    return reorder_from_form(
        request,
        community,
        area,
        siblings,
        lambda areas: services.reorder_action_areas(actor=me, areas=areas),
        f"area-{area.pk}",
    )


@require_POST
@community_page
def area_propose(request, community, pk):
    """Draft the consensus proposal that agrees the area, shared with the same people."""
    me, area = _plannable_area(request, pk)
    try:
        proposal = services.draft_area_proposal(actor=me, area=area)
    except ValidationError as error:
        error_message(request, error)
        return redirect(plan_url(community, f"area-{area.pk}"))
    messages.success(
        request,
        _(
            "The proposal is drafted: edit it if you like, then start the discussion. Once the "
            "committee agrees it, record the agreement on the work plan."
        ),
    )
    return redirect("proposal-detail", slug=community.slug, pk=proposal.pk)


@require_POST
@community_page
def area_agree(request, community, pk):
    me, area = _plannable_area(request, pk)
    form = AgreeAreaForm(request.POST, proposals=agreed_proposals(request, community))
    if not form.is_valid():
        messages.error(request, " ".join(form_errors(form)))
    else:
        try:
            services.agree_action_area(actor=me, area=area, proposal=form.cleaned_data["proposal"])
        except ValidationError as error:
            error_message(request, error)
        else:
            messages.success(request, _("The action area is agreed."))
    return redirect(plan_url(community, f"area-{area.pk}"))


# --- objectives --------------------------------------------------------------------------------


@require_POST
@community_page
def objective_create(request, community, pk):
    me, area = _plannable_area(request, pk)
    form = ObjectiveForm(request.POST, prefix="objective")
    if not form.is_valid():
        messages.error(request, " ".join(form_errors(form)))
        return redirect(plan_url(community, f"area-{area.pk}"))
    try:
        objective = services.create_objective(actor=me, area=area, **form.cleaned_data)
    except ValidationError as error:
        error_message(request, error)
        return redirect(plan_url(community, f"area-{area.pk}"))
    messages.success(request, _("The objective is added."))
    return redirect(plan_url(community, f"objective-{objective.pk}"))


def _plannable_objective(request, pk):
    objective = selectors.get_objective(request.user, pk)
    me = committee_member(request)
    if not services.may_plan_area(me, objective.area):
        raise Http404
    return me, objective


@community_page
def objective_edit(request, community, pk):
    me, objective = _plannable_objective(request, pk)
    form = ObjectiveForm(
        request.POST or None,
        initial={"title": objective.title, "description": objective.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_objective(actor=me, objective=objective, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The objective is saved."))
            return redirect(plan_url(community, f"objective-{objective.pk}"))
    return render(
        request,
        "workplans/objective_form.html",
        {"community": community, "form": form, "objective": objective},
    )


@require_POST
@community_page
def objective_move(request, community, pk):
    me, objective = _plannable_objective(request, pk)
    siblings = list(
        selectors.objectives_for(request.user)
        .filter(area=objective.area)
        .order_by("position", "pk")
    )
    return reorder_from_form(
        request,
        community,
        objective,
        siblings,
        lambda objectives: services.reorder_objectives(
            actor=me, area=objective.area, objectives=objectives
        ),
        f"objective-{objective.pk}",
    )


# --- approval ----------------------------------------------------------------------------------


@community_page
def approve(request, community):
    """Approve proposed actions through a proposal the committee agreed."""
    me = committee_member(request)
    plannable = [
        action.pk
        for action in selectors.actions_for(request.user).filter(status=ActionStatus.PROPOSED)
        if services.may_plan_action(me, action)
    ]
    actions = (
        selectors.actions_for(request.user)
        .filter(pk__in=plannable)
        .order_by("objective__area__position", "objective__position", "position", "pk")
    )
    proposals = agreed_proposals(request, community)
    initial = {"actions": request.GET.getlist("action")} if request.method == "GET" else None
    form = ApproveActionsForm(
        request.POST or None, proposals=proposals, actions=actions, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            approved = services.approve_actions(
                actor=me,
                proposal=form.cleaned_data["proposal"],
                actions=list(form.cleaned_data["actions"]),
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _("Approved through “%(proposal)s”: %(actions)s.")
                % {
                    "proposal": form.cleaned_data["proposal"].title,
                    "actions": ", ".join(action.title for action in approved) or _("nothing new"),
                },
            )
            return redirect(plan_url(community))
    return render(
        request,
        "workplans/approve.html",
        {
            "community": community,
            "form": form,
            "has_actions": bool(plannable),
            "has_proposals": proposals.exists(),
        },
    )
