"""The work plan as a CSV file for the committee's records: one row per action (an area or an
objective without a visible action gets a row of its own), built from `selectors.workplan_for`,
so a file holds only what the person exporting it may see, exactly as the page does.

A spreadsheet runs a cell that starts with =, +, -, @, a tab or a carriage return as a formula
(`=HYPERLINK(...)` in a title would become a live link), so every such cell is written with a
leading apostrophe: the text reads the same and nothing runs."""

import csv
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TextIO

from django.utils.translation import gettext as _

from . import selectors
from .charts import number
from .models import OPEN_STATUSES, Action, ActionArea
from .selectors import AreaPlan, IndicatorSeries, ObjectivePlan, WorkPlan

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> str:
    """A cell's text, made inert for spreadsheets."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def headers(show_people: bool) -> list[str]:
    columns = [
        _("Action area"),
        _("Area progress (%)"),
        _("Area agreed"),
        _("Agreed by the proposal"),
        _("Needs it answers"),
        _("Objective"),
        _("Objective progress (%)"),
        _("Action"),
        _("Status"),
        _("Progress (%)"),
        _("Lead organization"),
        _("Partner organizations"),
        _("Responsible person"),
        _("Starts on"),
        _("Due on"),
        _("Overdue"),
        _("Approved by the proposal"),
        _("Indicators"),
        _("Who can see it"),
    ]
    if not show_people:
        columns.remove(_("Responsible person"))
    return columns


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _progress(value: int | None) -> str:
    return "" if value is None else str(value)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def who_can_see(record: ActionArea | Action) -> str:
    label = str(record.get_visibility_display())
    if record.visibility == "sectors":
        label += ": " + ", ".join(sector.localized_name for sector in record.visible_sectors.all())
    return label


def is_overdue(action: Action, today: date) -> bool:
    return bool(action.due_on and action.due_on < today and action.status in OPEN_STATUSES)


def indicator_summary(action_series: list[IndicatorSeries]) -> str:
    """Each indicator of an action (its `selectors.indicator_series_of` entry) with its latest
    reported value and its target (the CSV's and the printable page's)."""
    parts = []
    for series in action_series:
        indicator = series.indicator
        unit = f" {indicator.unit}" if indicator.unit else ""
        latest = number(series.points[-1][1]) if series.points else "—"
        if indicator.target is not None:
            parts.append(
                _("%(name)s: %(value)s of %(target)s")
                % {"name": indicator.name, "value": latest, "target": number(indicator.target)}
                + unit
            )
        else:
            parts.append(f"{indicator.name}: {latest}{unit}")
    return "; ".join(parts)


def _area_cells(area: AreaPlan, show_people: bool) -> list[str]:
    record = area.area
    needs = "; ".join(need.title for need in record.needs.all()) if show_people else ""
    return [
        record.title,
        _progress(area.progress),
        _yes_no(record.is_agreed),
        record.agreed_by.title if record.agreed_by else "",
        needs,
    ]


def _objective_cells(objective: ObjectivePlan | None) -> list[str]:
    if objective is None:
        return ["", ""]
    return [objective.objective.title, _progress(objective.progress)]


def _action_cells(
    action: Action | None, series: dict[int, list[IndicatorSeries]], today: date, show_people: bool
) -> list[str]:
    if action is None:
        return [""] * (11 if show_people else 10)
    cells = [
        action.title,
        action.get_status_display(),
        str(action.progress),
        action.lead_organization.name if action.lead_organization else "",
        ", ".join(org.name for org in action.partner_organizations.all()),
        action.responsible.display_name if action.responsible else "",
        _iso(action.starts_on),
        _iso(action.due_on),
        _yes_no(is_overdue(action, today)),
        action.approved_by.title if action.approved_by else "",
        indicator_summary(series.get(action.pk, [])),
    ]
    if not show_people:
        del cells[5]
    return cells


def workplan_rows(workplan: WorkPlan, *, today: date, show_people: bool) -> Iterator[list[str]]:
    """The rows under the header, in the plan's order. `show_people` is False for a viewer
    who is not on the committee: no responsible person, no needs."""
    series = selectors.indicator_series_of(workplan.actions)
    for area in workplan.areas:
        area_cells = _area_cells(area, show_people)
        if not area.objectives:
            yield [
                *area_cells,
                *_objective_cells(None),
                *_action_cells(None, series, today, show_people),
                who_can_see(area.area),
            ]
        for objective in area.objectives:
            if not objective.actions:
                yield [
                    *area_cells,
                    *_objective_cells(objective),
                    *_action_cells(None, series, today, show_people),
                    who_can_see(area.area),
                ]
            for action in objective.actions:
                yield [
                    *area_cells,
                    *_objective_cells(objective),
                    *_action_cells(action, series, today, show_people),
                    who_can_see(action),
                ]


def write_csv(out: TextIO, header: list[str], rows: Iterable[list[str]]) -> None:
    writer = csv.writer(out)
    writer.writerow([neutralize(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralize(cell) for cell in row])
