"""The work plan to look at and to keep: the progress view (per-area progress bars, the
timeline of due dates, indicator charts: server-side SVG with the same numbers in text), the
CSV export and the printable page. All three are built from `selectors.workplan_for`, so they
hold exactly what the viewer may see, and leave out people and needs for a viewer who is not
on the committee."""

import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stakeholders.views import community_page

from .. import charts, exports, selectors
from ..models import ActionStatus
from .common import me_of
from .plan import marked_plan


def _timeline_items(actions, today) -> list[charts.TimelineItem]:
    dated = sorted((a for a in actions if a.due_on), key=lambda a: (a.due_on, a.title.casefold()))
    return [
        charts.TimelineItem(
            label=action.title,
            starts_on=action.starts_on
            if action.starts_on and action.starts_on <= action.due_on
            else None,
            due_on=action.due_on,
            status=str(action.get_status_display()),
            overdue=exports.is_overdue(action, today),
            done=action.status == ActionStatus.DONE,
        )
        for action in dated
    ]


GROUP_HEADINGS = {
    "area": gettext_lazy("Progress by action area"),
    "objective": gettext_lazy("Progress by charter objective"),
    "outcome": gettext_lazy("Progress by intended outcome"),
}


def indicator_figures(actions) -> list[tuple]:
    """(action, figure) for each indicator of the given actions (from `selectors.workplan_for`),
    in the plan's order: the progress view's and the public page's indicator charts."""
    series_of = selectors.indicator_series_of(actions)
    return [
        (action, charts.indicator_figure(f"indicator-{series.indicator.pk}", series))
        for action in actions
        for series in series_of.get(action.pk, [])
    ]


@community_page
def progress(request, community):
    """`?by=objective` or `?by=outcome` groups the bars and their table by what the actions
    serve instead of by action area (the default)."""
    workplan, today = marked_plan(request)
    by = request.GET.get("by", "area")
    if by not in selectors.PROGRESS_GROUPINGS:
        by = "area"
    groups = selectors.progress_groups(request.user, community, workplan, by)
    bars = [charts.Bar(group.label, group.progress) for group in groups]
    items = _timeline_items(workplan.actions, today)
    return render(
        request,
        "workplans/progress.html",
        {
            "community": community,
            "workplan": workplan,
            "today": today,
            "by": by,
            "groupings": list(GROUP_HEADINGS.items()),
            "heading": GROUP_HEADINGS[by],
            "groups": groups,
            "areas_chart": charts.progress_bars("areas-progress", str(GROUP_HEADINGS[by]), bars),
            "timeline_chart": charts.due_timeline(
                "due-timeline", _("Actions by due date"), items, today
            ),
            "timeline": items,
            "indicator_figures": indicator_figures(workplan.actions),
        },
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    """What the exporting person may see is theirs: no shared cache keeps it."""
    response["Cache-Control"] = "no-store, private"
    return response


@community_page
def export_csv(request, community):
    me = me_of(request)
    workplan = selectors.workplan_for(request.user)
    today = selectors.today_for(request.user)
    show_people = me.is_committee_member
    out = io.StringIO()
    out.write("\ufeff")  # spreadsheets then read the file as UTF-8
    exports.write_csv(
        out,
        exports.headers(show_people),
        exports.workplan_rows(workplan, today=today, show_people=show_people),
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"workplan-{community.slug}-{today.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _no_store(response)


@community_page
def print_view(request, community):
    me = me_of(request)
    workplan, today = marked_plan(request)
    series_of = selectors.indicator_series_of(workplan.actions)
    for action in workplan.actions:
        action.indicator_text = exports.indicator_summary(series_of.get(action.pk, []))
    return _no_store(
        render(
            request,
            "workplans/print.html",
            {
                "community": community,
                "workplan": workplan,
                "today": today,
                "show_people": me.is_committee_member,
                "overdue_count": sum(1 for action in workplan.actions if action.is_overdue),
            },
        )
    )
