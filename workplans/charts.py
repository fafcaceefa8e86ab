"""The progress view's pictures, drawn on the server as SVG: no JavaScript, no chart library,
nothing fetched at run time, nothing but attributes (the Content-Security-Policy allows no
inline style).

Each chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`, which
says every number the picture shows; the page puts a table or list with the same numbers next to
it, for those who would rather read. Colour never carries meaning alone: an overdue action is
red *and* marked "!" and named overdue in the text.

Pure: the callers pass only what the viewer may see (from `selectors`), so a chart can show
nothing hidden. Every text is escaped here, since the SVG is marked safe for the template."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors import IndicatorSeries

WIDTH = 400  # the drawing's own units; the page scales it to the screen
LABEL_CHARS = 50  # a longer label is cut in the picture (the text alternative has it whole)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    svg: SafeString

    def __str__(self) -> str:
        return self.svg

    def __html__(self) -> str:
        return self.svg


def number(value: Decimal | int | None) -> str:
    """A value as a person writes it: no trailing zeros, the reader's decimal mark."""
    if value is None:
        return ""
    value = Decimal(value).normalize()
    if value == value.to_integral():
        value = value.quantize(Decimal(1))
    return formats.number_format(value)


def long_date(day: date) -> str:
    return formats.date_format(day)


def _short_date(day: date) -> str:
    return formats.date_format(day, "M j")


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _text(x: float, y: float, content: str, css: str = "", anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" class="{css}" text-anchor="{anchor}">'
        f"{escape(content)}</text>"
    )


def _svg(chart_id: str, title: str, description: str, height: float, body: list[str], css: str):
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )
    # Safe: every text and attribute value above is escaped; the rest are our own constants.
    return Chart(chart_id, title, description, mark_safe(svg))  # noqa: S308  # nosec B308 B703


def percent_text(progress: int | None) -> str:
    if progress is None:
        return _("not started")
    return _("%(percent)s%%") % {"percent": progress}


# --- progress bars -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    progress: int | None  # None: nothing to count yet


def progress_bars(chart_id: str, title: str, bars: Sequence[Bar]) -> Chart:
    """One horizontal bar per row (an action area, say), from 0 to 100 %."""
    row, top = 46, 8
    bar_width = WIDTH - 70
    body = []
    for index, bar in enumerate(bars):
        y = top + index * row
        filled = 0 if bar.progress is None else bar_width * bar.progress / 100
        body += [
            _text(0, y + 14, _cut(bar.label), "chart-label"),
            f'<rect x="0" y="{y + 20}" width="{bar_width}" height="16" class="bar-track" rx="3"/>',
            f'<rect x="0" y="{y + 20}" width="{filled:.1f}" height="16" class="bar-fill" rx="3"/>',
            _text(bar_width + 8, y + 33, percent_text(bar.progress), "chart-value"),
        ]
    if not bars:
        body.append(_text(0, 24, _("Nothing to show yet."), "chart-label"))
    description = " ".join(
        _("%(label)s: %(progress)s.") % {"label": bar.label, "progress": percent_text(bar.progress)}
        for bar in bars
    ) or _("Nothing to show yet.")
    height = top + max(len(bars), 1) * row
    return _svg(chart_id, title, description, height, body, "chart-bars")


# --- the timeline of due dates -----------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    label: str
    starts_on: date | None
    due_on: date
    status: str  # the status's label
    overdue: bool
    done: bool = False


def _x_of(day: date, first: date, last: date, left: float, right: float) -> float:
    span = max((last - first).days, 1)
    return left + (right - left) * (day - first).days / span


def timeline_description(item: TimelineItem) -> str:
    parts = {"label": item.label, "due": long_date(item.due_on), "status": item.status}
    if item.starts_on:
        parts["start"] = long_date(item.starts_on)
        text = _("%(label)s: from %(start)s, due %(due)s, %(status)s") % parts
    else:
        text = _("%(label)s: due %(due)s, %(status)s") % parts
    if item.overdue:
        text += _(", overdue")
    return text + "."


def due_timeline(chart_id: str, title: str, items: Sequence[TimelineItem], today: date) -> Chart:
    """Actions by due date on one time axis, today marked: a bar from an action's start to its
    due date (a dot when it has no start), overdue ones red and flagged with "!"."""
    left, right = 8, WIDTH - 24
    row, top = 40, 30
    days = [today, *(i.due_on for i in items), *(i.starts_on for i in items if i.starts_on)]
    first, last = min(days), max(days)
    height = top + max(len(items), 1) * row + 8
    x_today = _x_of(today, first, last, left, right)
    body = [
        f'<line x1="{left}" y1="{top - 6}" x2="{right}" y2="{top - 6}" class="axis"/>',
        _text(left, 14, _short_date(first), "chart-tick"),
        _text(right, 14, _short_date(last), "chart-tick", "end"),
        f'<line x1="{x_today:.1f}" y1="{top - 12}" x2="{x_today:.1f}" y2="{height}" '
        f'class="today"/>',
        _text(x_today, 26, _("Today"), "chart-tick today-label", "middle"),
    ]
    for index, item in enumerate(items):
        y = top + index * row
        css = "overdue" if item.overdue else ("done" if item.done else "on-time")
        x_due = _x_of(item.due_on, first, last, left, right)
        x_start = _x_of(item.starts_on, first, last, left, right) if item.starts_on else x_due
        flag = "! " if item.overdue else ""
        body += [
            _text(left, y + 12, flag + _cut(item.label), f"chart-label {css}"),
            f'<rect x="{x_start:.1f}" y="{y + 18}" width="{max(x_due - x_start, 0):.1f}" '
            f'height="10" rx="3" class="span {css}"/>',
            f'<circle cx="{x_due:.1f}" cy="{y + 23}" r="6" class="due {css}"/>',
        ]
    if not items:
        body.append(_text(left, top + 20, _("No action has a due date yet."), "chart-label"))
    overdue = sum(1 for item in items if item.overdue)
    summary = _("Today is %(today)s. %(count)s actions with a due date, %(overdue)s overdue.") % {
        "today": long_date(today),
        "count": len(items),
        "overdue": overdue,
    }
    description = " ".join([summary, *(timeline_description(item) for item in items)])
    return _svg(chart_id, title, description, height, body, "chart-timeline")


# --- an indicator over time --------------------------------------------------------------------


def series_description(series: IndicatorSeries) -> str:
    indicator = series.indicator
    unit = f" {indicator.unit}" if indicator.unit else ""
    parts = []
    if indicator.target is not None:
        parts.append(_("Target: %(target)s.") % {"target": number(indicator.target) + unit})
    if not series.points:
        parts.append(_("No value reported yet."))
    for day, value in series.points:
        parts.append(
            _("%(value)s on %(date)s.") % {"value": number(value) + unit, "date": long_date(day)}
        )
    return " ".join(parts)


def indicator_chart(chart_id: str, series: IndicatorSeries) -> Chart:
    """An indicator's reported values in date order, joined by a line, its target a dashed
    line."""
    indicator = series.indicator
    left, right, top, bottom = 48, WIDTH - 16, 28, 190
    height = bottom + 30
    values = [value for _day, value in series.points]
    if indicator.target is not None:
        values.append(indicator.target)
    ceiling = max([Decimal(0), *values]) or Decimal(1)
    lowest = min([Decimal(0), *values])
    span = ceiling - lowest

    def y_of(value: Decimal) -> float:
        return bottom - float((value - lowest) / span) * (bottom - top)

    days = [day for day, _value in series.points]
    body = [
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" class="axis"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" class="axis"/>',
        _text(left - 6, bottom + 4, number(lowest), "chart-tick", "end"),
        _text(left - 6, top + 8, number(ceiling), "chart-tick", "end"),
    ]
    if indicator.target is not None:
        y = y_of(indicator.target)
        body += [
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" class="target"/>',
            _text(
                right,
                y - 4,
                _("Target %(target)s") % {"target": number(indicator.target)},
                "chart-tick",
                "end",
            ),
        ]
    if days:
        first, last = days[0], days[-1]

        def x_of(day: date) -> float:
            if first == last:
                return (left + right) / 2
            return _x_of(day, first, last, left + 12, right - 12)

        points = [(x_of(day), y_of(value), day, value) for day, value in series.points]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _d, _v in points)
        body.append(f'<polyline points="{path}" class="line"/>')
        for x, y, _day, value in points:
            body += [
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" class="point"/>',
                _text(x, y - 9, number(value), "chart-value", "middle"),
            ]
        body += [
            _text(left, bottom + 22, _short_date(first), "chart-tick"),
            _text(right, bottom + 22, _short_date(last), "chart-tick", "end")
            if last != first
            else "",
        ]
    else:
        body.append(
            _text(
                (left + right) / 2,
                (top + bottom) / 2,
                _("No value reported yet."),
                "chart-label",
                "middle",
            )
        )
    title = indicator.name + (f" ({indicator.unit})" if indicator.unit else "")
    return _svg(chart_id, title, series_description(series), height, body, "chart-line")


@dataclass(frozen=True)
class IndicatorFigure:
    """An indicator's chart with the same numbers as text, for the table beside it."""

    name: str
    unit: str
    target: str  # "" without a target
    rows: list[tuple[date, str]]
    chart: Chart


def indicator_figure(chart_id: str, series: IndicatorSeries) -> IndicatorFigure:
    indicator = series.indicator
    return IndicatorFigure(
        name=indicator.name,
        unit=indicator.unit,
        target=number(indicator.target),
        rows=[(day, number(value)) for day, value in series.points],
        chart=indicator_chart(chart_id, series),
    )
