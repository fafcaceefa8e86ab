"""The progress view's charts: server-side SVG that a screen reader can read (a title, a
description with every number, and the same numbers in a table beside it), with the right
numbers, and nothing the viewer may not see — in the picture or in its text alternative."""

import html as html_module
import re
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import translation

from workplans import charts
from workplans.selectors import IndicatorSeries

SLUG = "riverside"
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _in_english():
    """Dates and numbers are written in the reader's language; these tests read English."""
    with translation.override("en"):
        yield


def attrs(svg: str, tag: str) -> list[dict[str, str]]:
    return [
        dict(re.findall(r'([\w-]+)="([^"]*)"', match))
        for match in re.findall(rf"<{tag} ([^>]*)>", svg)
    ]


def indicator(name="Nights the van ran", target=Decimal("36.00"), unit="nights", pk=7):
    return SimpleNamespace(name=name, target=target, unit=unit, pk=pk)


def test_a_chart_is_an_image_named_by_its_title_and_described_by_its_text():
    chart = charts.progress_bars("areas", "Progress by area", [charts.Bar("Outreach", 40)])
    svg = str(chart.svg)
    [root] = attrs(svg, "svg")
    assert root["role"] == "img"
    assert root["aria-labelledby"] == "areas-title areas-desc"
    assert '<title id="areas-title">Progress by area</title>' in svg
    assert '<desc id="areas-desc">Outreach: 40%.</desc>' in svg


def test_progress_bars_are_as_long_as_the_progress():
    chart = charts.progress_bars(
        "areas", "Progress", [charts.Bar("A", 40), charts.Bar("B", 100), charts.Bar("C", None)]
    )
    rects = attrs(str(chart.svg), "rect")
    tracks = [float(r["width"]) for r in rects if r["class"] == "bar-track"]
    fills = [float(r["width"]) for r in rects if r["class"] == "bar-fill"]
    assert fills == [round(tracks[0] * 0.4, 1), tracks[1], 0.0]
    assert chart.description == "A: 40%. B: 100%. C: not started."


def test_the_timeline_marks_overdue_actions_in_words_not_only_in_red():
    items = [
        charts.TimelineItem(
            "Van nights",
            TODAY - timedelta(days=30),
            TODAY - timedelta(days=3),
            "In progress",
            overdue=True,
        ),
        charts.TimelineItem(
            "Clean-up", None, TODAY + timedelta(days=20), "Approved", overdue=False
        ),
    ]
    chart = charts.due_timeline("due", "Actions by due date", items, TODAY)
    svg = str(chart.svg)
    assert "! Van nights" in svg
    assert 'class="chart-label overdue"' in svg
    assert "2 actions with a due date, 1 overdue." in chart.description
    assert "Van nights: from Feb. 8, 2026, due March 7, 2026, In progress, overdue." in (
        chart.description
    )
    assert "Clean-up: due March 30, 2026, Approved." in chart.description
    # Today's line sits between the overdue due date and the coming one.
    circles = [float(c["cx"]) for c in attrs(svg, "circle")]
    [today_line] = [line for line in attrs(svg, "line") if line.get("class") == "today"]
    assert circles[0] < float(today_line["x1"]) < circles[1]


def test_an_indicator_chart_plots_each_value_and_says_them_with_the_target():
    series = IndicatorSeries(
        indicator(),
        [(date(2026, 1, 5), Decimal("8.00")), (date(2026, 2, 5), Decimal("19.50"))],
    )
    figure = charts.indicator_figure("indicator-7", series)
    svg = str(figure.chart.svg)
    [polyline] = attrs(svg, "polyline")
    assert len(polyline["points"].split()) == 2
    assert len(attrs(svg, "circle")) == 2
    assert figure.chart.title == "Nights the van ran (nights)"
    assert figure.chart.description == (
        "Target: 36 nights. 8 nights on Jan. 5, 2026. 19.5 nights on Feb. 5, 2026."
    )
    assert figure.rows == [(date(2026, 1, 5), "8"), (date(2026, 2, 5), "19.5")]
    assert figure.target == "36"
    # Higher values are drawn higher.
    ys = [float(c["cy"]) for c in attrs(svg, "circle")]
    assert ys[1] < ys[0]


def test_an_indicator_without_values_says_so():
    chart = charts.indicator_chart("i", IndicatorSeries(indicator(target=None, unit=""), []))
    assert chart.description == "No value reported yet."
    assert "<polyline" not in str(chart.svg)


def test_text_in_a_chart_is_escaped():
    chart = charts.progress_bars("x", "<b>T</b>", [charts.Bar('<script>alert("x")</script>', 5)])
    svg = str(chart.svg)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "<b>" not in svg


def _page(person) -> str:
    client = Client()
    client.force_login(person.user)
    return html_module.unescape(client.get(f"/c/{SLUG}/workplan/progress/").content.decode())


def _descriptions(page: str) -> str:
    return " ".join(re.findall(r"<desc [^>]*>(.*?)</desc>", page, re.S))


def test_the_progress_view_charts_only_what_the_viewer_sees_with_the_same_numbers(personas, plan):
    police = _page(personas.police)
    descriptions = _descriptions(police)
    assert "area:committee: 40%." in descriptions
    assert "action:committee: from" in descriptions and ", overdue." in descriptions
    assert "Target: 36 nights. 12 nights on" in descriptions
    for hidden in ["area:caucus", "action:caucus", "action:in-caucus-area", "indicator:caucus"]:
        assert hidden not in police
    # The table beside the bars says the same numbers.
    assert re.search(r"<th scope=\"row\">area:committee</th><td[^>]*>40%</td>", police)
    assert "<td>12</td>" in police

    caucus = _page(personas.experiential)
    descriptions = _descriptions(caucus)
    assert "area:committee: 20%." in descriptions  # with the caucus action's 0 %
    assert "area:caucus: 0%." in descriptions
    assert "action:caucus: due" in descriptions
    assert "indicator:caucus" in caucus


def test_the_progress_view_needs_no_script_of_its_own(personas, plan):
    page = _page(personas.police)
    scripts = re.findall(r"<script[^>]*>", page)
    assert all("src=" in script for script in scripts)
    assert " style=" not in page
