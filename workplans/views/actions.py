"""One action: its page (description, lead and partners, responsible person, indicators with
their values over time, the timeline of progress updates), creating and editing it, reordering
it, and reporting on it: status and progress (HTMX partials that are plain forms without
JavaScript), progress updates and indicators."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stakeholders.models import Role
from stakeholders.selectors import organizations_for, people_for
from stakeholders.views import add_form_errors, community_page

from .. import charts, selectors, services
from ..forms import (
    ActionEditForm,
    ActionForm,
    ActionProgressForm,
    ActionStatusForm,
    IndicatorForm,
    ProgressUpdateForm,
)
from ..models import Action
from .common import back, committee_member, form_errors, me_of
from .plan import (
    linked_intentions,
    mark_action,
    marked_plan,
    offer_members_only_caucus,
    plan_url,
    reorder_from_form,
)


def action_url(community, action, anchor: str = "") -> str:
    url = reverse("workplan-action", kwargs={"slug": community.slug, "pk": action.pk})
    return f"{url}#{anchor}" if anchor else url


def _choices(request) -> dict:
    return {
        "organizations": organizations_for(request.user).order_by("name"),
        "people": people_for(request.user)
        .filter(role__in=[Role.MEMBER, Role.COORDINATOR])
        .order_by("display_name"),
    }


# --- creating and editing ----------------------------------------------------------------------


@community_page
def action_create(request, community, pk):
    objective = selectors.get_objective(request.user, pk)
    me = committee_member(request)
    may_plan_area = services.may_plan_area(me, objective.area)
    form = ActionForm(request.POST or None, author=me, **_choices(request))
    if not may_plan_area:
        offer_members_only_caucus(form, me)
    form.offer_intentions(*selectors.intention_options(request.user, community))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                action = services.create_action(
                    actor=me,
                    objective=objective,
                    visibility=form.cleaned_data["visibility"],
                    sectors=form.visible_sectors_chosen(),
                    **form.action_fields(),
                )
                services.link_intentions(actor=me, record=action, **form.intentions())
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The action is proposed. It is approved through a proposal the committee "
                    "agrees."
                ),
            )
            return redirect(plan_url(community, f"action-{action.pk}"))
    return render(
        request,
        "workplans/action_form.html",
        {"community": community, "form": form, "objective": objective},
    )


def _plannable_action(request, pk) -> tuple:
    action = selectors.get_action(request.user, pk)
    me = committee_member(request)
    if not services.may_plan_action(me, action):
        raise Http404
    return me, action


@community_page
def action_edit(request, community, pk):
    me, action = _plannable_action(request, pk)
    form = ActionEditForm(
        request.POST or None,
        initial={
            "title": action.title,
            "description": action.description,
            "lead_organization": action.lead_organization,
            "partner_organizations": list(action.partner_organizations.all()),
            "responsible": action.responsible,
            "starts_on": action.starts_on,
            "due_on": action.due_on,
            **linked_intentions(action),
        },
        **_choices(request),
    )
    form.offer_intentions(*selectors.intention_options(request.user, community, action))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.update_action(actor=me, action=action, **form.action_fields())
                services.link_intentions(actor=me, record=action, **form.intentions())
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The action is saved."))
            return redirect(action_url(community, action))
    return render(
        request,
        "workplans/action_form.html",
        {"community": community, "form": form, "action": action, "objective": action.objective},
    )


@require_POST
@community_page
def action_move(request, community, pk):
    me, action = _plannable_action(request, pk)
    siblings = list(
        selectors.actions_for(request.user)
        .filter(objective=action.objective)
        .prefetch_related(None)
        .order_by("position", "pk")
    )
    return reorder_from_form(
        request,
        community,
        action,
        siblings,
        lambda actions: services.reorder_actions(
            actor=me, objective=action.objective, actions=actions
        ),
        f"action-{action.pk}",
    )


# --- reading it --------------------------------------------------------------------------------


def _indicator_figures(action: Action) -> list[charts.IndicatorFigure]:
    return [
        charts.indicator_figure(f"indicator-{series.indicator.pk}", series)
        for series in selectors.indicator_series(action)
    ]


def _updates(action: Action) -> list:
    updates = list(action.updates.all())
    for update in updates:
        update.value_text = charts.number(update.value)
    return updates


@community_page
def action_detail(request, community, pk):
    return _detail(request, community, selectors.get_action(request.user, pk))


def _detail(request, community, action, *, update_form=None, indicator_form=None):
    me = me_of(request)
    today = selectors.today_for(request.user)
    mark_action(me, action, today)
    if action.can_report and update_form is None:
        update_form = ProgressUpdateForm(
            indicators=selectors.indicators_of(action), initial={"date": today}, prefix="update"
        )
    if action.can_plan and indicator_form is None:
        indicator_form = IndicatorForm(prefix="indicator")
    serves_objectives, serves_outcomes = selectors.what_it_serves(action, community)
    return render(
        request,
        "workplans/action_detail.html",
        {
            "community": community,
            "action": action,
            "area": action.objective.area,
            "today": today,
            "show_people": me.is_committee_member,
            "indicator_figures": _indicator_figures(action),
            "updates": _updates(action),
            "update_form": update_form if action.can_report else None,
            "indicator_form": indicator_form if action.can_plan else None,
            "place": "detail",
            "serves_objectives": serves_objectives,
            "serves_outcomes": serves_outcomes,
        },
    )


# --- reporting ---------------------------------------------------------------------------------


def _status_response(request, community, action, *, error: str = "", notice: str = ""):
    """With HTMX: the action's status block (and, on the plan, the roll-ups out of band).
    Without: back to the page the form was on."""
    if request.htmx:
        me = me_of(request)
        action = selectors.get_action(request.user, action.pk)
        mark_action(me, action, selectors.today_for(request.user))
        context = {
            "community": community,
            "action": action,
            "error": error,
            "notice": notice,
            "place": "detail" if request.POST.get("place") == "detail" else "plan",
        }
        if context["place"] == "plan":
            workplan, _today = marked_plan(request)
            area = next(a for a in workplan.areas if a.area.pk == action.objective.area_id)
            context.update(
                {
                    "workplan": workplan,
                    "area_plan": area,
                    "objective_plan": next(
                        o for o in area.objectives if o.objective.pk == action.objective_id
                    ),
                }
            )
        return render(request, "workplans/_status_response.html", context)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return back(request, plan_url(community, f"action-{action.pk}"))


def _reportable(request, pk) -> tuple:
    action = selectors.get_action(request.user, pk)
    me = committee_member(request)
    if not services.may_report(me, action):
        raise Http404
    return me, action


@require_POST
@community_page
def action_status(request, community, pk):
    me, action = _reportable(request, pk)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        return _status_response(request, community, action, error=" ".join(form_errors(form)))
    try:
        action = services.set_action_status(
            actor=me, action=action, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        return _status_response(request, community, action, error=" ".join(error.messages))
    return _status_response(
        request,
        community,
        action,
        notice=_("Status: %(status)s.") % {"status": action.get_status_display()},
    )


@require_POST
@community_page
def action_progress(request, community, pk):
    me, action = _reportable(request, pk)
    form = ActionProgressForm(request.POST)
    if not form.is_valid():
        return _status_response(request, community, action, error=" ".join(form_errors(form)))
    try:
        action = services.set_action_progress(
            actor=me, action=action, progress=form.cleaned_data["progress"]
        )
    except ValidationError as error:
        return _status_response(request, community, action, error=" ".join(error.messages))
    return _status_response(
        request,
        community,
        action,
        notice=_("Progress: %(percent)s%%.") % {"percent": action.progress},
    )


@require_POST
@community_page
def update_create(request, community, pk):
    me, action = _reportable(request, pk)
    form = ProgressUpdateForm(
        request.POST, indicators=selectors.indicators_of(action), prefix="update"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_progress_update(
                actor=me,
                action=action,
                on=data["date"],
                progress=data["progress"],
                indicator=data.get("indicator"),
                value=data.get("value"),
                note=data["note"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The update is recorded."))
            return redirect(action_url(community, action, "updates"))
    return _detail(request, community, action, update_form=form)


@require_POST
@community_page
def indicator_create(request, community, pk):
    me, action = _plannable_action(request, pk)
    form = IndicatorForm(request.POST, prefix="indicator")
    if form.is_valid():
        try:
            services.add_indicator(actor=me, action=action, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The indicator is added."))
            return redirect(action_url(community, action, "indicators"))
    return _detail(request, community, action, indicator_form=form)
