"""The work plan exported as CSV (and printed): only what the exporting person may see, and no
cell a spreadsheet would run as a formula."""

import csv
import io

import pytest
from django.test import Client

from stakeholders.models import Visibility
from workplans import services
from workplans.exports import neutralize

SLUG = "riverside"

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def export(person) -> list[dict[str, str]]:
    client = Client()
    client.force_login(person.user)
    response = client.get(f"/c/{SLUG}/workplan/export.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_cell_that_would_run_as_a_formula_gets_a_leading_apostrophe(payload):
    assert neutralize(payload) == "'" + payload


@pytest.mark.parametrize("text", ["Outreach van", "", "40", "a=b", "Café = safe", "'quoted"])
def test_ordinary_text_is_written_as_it_is(text):
    assert neutralize(text) == text


def test_titles_written_as_formulas_come_out_inert(personas, plan):
    p = personas
    area = services.create_action_area(
        actor=p.coordinator, title=PAYLOADS[0], visibility=Visibility.COMMITTEE
    )
    objective = services.create_objective(actor=p.coordinator, area=area, title=PAYLOADS[1])
    services.create_action(
        actor=p.coordinator, objective=objective, title=PAYLOADS[3], visibility="committee"
    )
    [row] = [row for row in export(p.police) if row["Action area"].endswith(PAYLOADS[0])]
    assert row["Action area"] == "'" + PAYLOADS[0]
    assert row["Objective"] == "'" + PAYLOADS[1]
    assert row["Action"] == "'" + PAYLOADS[3]
    for row in export(p.police):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_the_export_holds_only_what_the_exporting_person_may_see(personas, seated, plan):
    p = personas
    police = {row["Action"] for row in export(p.police)}
    assert police == {"action:committee"}
    caucus_rows = export(p.experiential_peer)
    caucus = {row["Action"] for row in caucus_rows}
    assert caucus == {"action:committee", "action:caucus", "action:in-caucus-area"}
    assert {row["Action area"] for row in export(p.coordinator)} == {"area:committee"}
    assert export(p.admin) == []  # the header only
    everything = "\n".join(",".join(row.values()) for row in export(p.police))
    for hidden in ["need:caucus", "area:caucus", "objective:caucus", "indicator:caucus"]:
        assert hidden not in everything
    # Another community gets no file at all.
    outsider = Client()
    outsider.force_login(p.outsider.user)
    assert outsider.get(f"/c/{SLUG}/workplan/export.csv").status_code == 404


def test_a_row_carries_the_action_its_area_and_how_it_is_going(personas, plan):
    [row] = export(personas.police)
    assert row["Action area"] == "area:committee"
    assert row["Area progress (%)"] == "40"
    assert row["Area agreed"] == "yes"
    assert row["Agreed by the proposal"] == plan.proposal.title
    assert row["Needs it answers"] == "need:committee"
    assert row["Objective"] == "objective:1"
    assert row["Status"] == "In progress"
    assert row["Progress (%)"] == "40"
    assert row["Lead organization"] == "Safe Harbour Outreach"
    assert row["Partner organizations"] == "Community Health"
    assert row["Responsible person"] == "Omar"
    assert row["Due on"] == plan.action.due_on.isoformat()
    assert row["Overdue"] == "yes"
    assert row["Approved by the proposal"] == plan.proposal.title
    assert row["Indicators"] == "indicator:nights: 12 of 36 nights"
    assert row["Who can see it"] == "The whole steering committee"


def test_the_caucus_sees_its_roll_up_over_the_actions_it_sees(personas, plan):
    rows = export(personas.experiential)
    committee_area = {
        row["Area progress (%)"] for row in rows if row["Action area"] == "area:committee"
    }
    assert committee_area == {"20"}  # 40 % and the caucus action's 0 %


def test_the_file_is_an_attachment_kept_out_of_shared_caches(personas, plan):
    client = Client()
    client.force_login(personas.police.user)
    response = client.get(f"/c/{SLUG}/workplan/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="workplan-riverside-')
    assert "no-store" in response["Cache-Control"]


def test_the_printable_page_has_a_print_stylesheet_and_only_visible_records(personas, plan):
    client = Client()
    client.force_login(personas.police.user)
    response = client.get(f"/c/{SLUG}/workplan/print/")
    text = response.content.decode()
    assert "action:committee" in text
    assert "action:caucus" not in text
    assert "It holds only what Alex may see." in text
    assert "no-store" in response["Cache-Control"]
    from django.contrib.staticfiles import finders

    with open(finders.find("css/lic.css"), encoding="utf-8") as css:
        stylesheet = css.read()
    print_rules = stylesheet[stylesheet.index("@media print") :]
    assert ".site-header" in print_rules
    assert "form" in print_rules
