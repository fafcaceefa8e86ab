"""The work plan in the browser, as each persona sees it: every page shows exactly what the
viewer may see (a caucus need, area or action is absent for the police, the administrator and
another community, on every page), hidden and missing records are the same 404, planning
controls are shown only to those the services let plan, and the inline edits (status, progress,
dots, order) work with HTMX and as plain forms."""

import html as html_module
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from committee import services as committee_services
from committee.models import Proposal
from stakeholders.models import AuditEntry
from tests.conftest import make_person, make_proposal
from tests.workplans.conftest import (
    agreed_proposal,
    blocked_proposal,
    caucus_agreed_proposal,
    community_today,
    everyone_seated,
)
from workplans import selectors, services
from workplans.models import (
    Action,
    ActionArea,
    IntendedOutcome,
    Need,
    NeedVote,
    Objective,
    Prioritization,
)

SLUG = "riverside"
HTMX = {"HTTP_HX_REQUEST": "true"}

PERSONAS = [
    "experiential",
    "experiential_peer",
    "police",
    "police_colleague",
    "resident",
    "business",
    "health",
    "coordinator",
    "observer",
    "admin",
]
COMMITTEE = set(PERSONAS) - {"admin"}
CAUCUS = {"experiential", "experiential_peer"}
# What only the experiential caucus may see, anywhere (titles, names, notes).
CAUCUS_TEXTS = [
    "need:caucus",
    "area:caucus",
    "objective:caucus",
    "action:in-caucus-area",
    "action:caucus",
    "indicator:caucus",
    "update:caucus",
]
COMMITTEE_TEXTS = ["need:committee", "area:committee", "objective:1", "action:committee"]
PAGES = [
    "needs/",
    "priorities/",
    "workplan/",
    "workplan/progress/",
    "workplan/print/",
    "workplan/export.csv",
    "adapting/",
]


def person(personas, seated, who):
    return seated.observer if who == "observer" else getattr(personas, who)


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def page(who_or_client, path: str, **extra):
    client = who_or_client if isinstance(who_or_client, Client) else client_for(who_or_client)
    return client.get(f"/c/{SLUG}/{path}", **extra)


def text_of(response) -> str:
    """The page as text: entities decoded, so that assertions read as the user reads."""
    return html_module.unescape(response.content.decode("utf-8-sig"))


def without_csrf(content: bytes) -> bytes:
    """A page with its per-response CSRF token left out, to compare two answers."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def plain(html: str) -> str:
    """The words of a piece of page, without its tags, spaced as a reader hears them."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, start: str, end: str = "</section>") -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def open_round_with_dots(p) -> Prioritization:
    """A round in which a caucus member and a resident placed dots on the needs they see."""
    prioritization = services.open_prioritization(actor=p.coordinator, title="Spring round")
    caucus_need = Need.objects.get(title="need:caucus")
    committee_need = Need.objects.get(title="need:committee")
    services.set_dots(actor=p.experiential, prioritization=prioritization, need=caucus_need, dots=2)
    services.set_dots(
        actor=p.experiential, prioritization=prioritization, need=committee_need, dots=1
    )
    services.set_dots(actor=p.resident, prioritization=prioritization, need=committee_need, dots=3)
    return prioritization


# --- what each person sees ---------------------------------------------------------------------


@pytest.mark.parametrize("who", PERSONAS)
def test_every_page_shows_the_caucus_records_only_to_the_caucus(personas, seated, plan, who):
    open_round_with_dots(personas)
    client = client_for(person(personas, seated, who))
    for path in PAGES:
        response = page(client, path)
        assert response.status_code == 200, path
        text = text_of(response)
        for caucus_text in CAUCUS_TEXTS:
            assert (caucus_text in text) == (who in CAUCUS and path in _shows(caucus_text)), (
                path,
                caucus_text,
            )
        for committee_text in COMMITTEE_TEXTS:
            if path in _shows(committee_text):
                assert (committee_text in text) == (who in COMMITTEE), (path, committee_text)


def _shows(text: str) -> set[str]:
    """The pages on which a record's text appears at all, for someone allowed to see it."""
    kind = text.split(":")[0]
    return {
        "need": {"needs/", "priorities/", "workplan/", "workplan/print/", "workplan/export.csv"},
        "area": {"workplan/", "workplan/progress/", "workplan/print/", "workplan/export.csv"},
        "objective": {"workplan/", "workplan/print/", "workplan/export.csv"},
        "action": {"workplan/", "workplan/progress/", "workplan/print/", "workplan/export.csv"},
        "indicator": {"workplan/progress/", "workplan/print/", "workplan/export.csv"},
        "update": set(),  # updates are on the action's own page
    }[kind]


def test_another_communitys_coordinator_finds_no_page_and_sees_nothing_in_their_own(personas, plan):
    outsider = client_for(personas.outsider)
    for path in [*PAGES, f"workplan/actions/{plan.action.pk}/", f"needs/{plan.need.pk}/"]:
        assert page(outsider, path).status_code == 404, path
    for path in PAGES:
        text = text_of(outsider.get(f"/c/harbourview/{path}"))
        for record_text in [*CAUCUS_TEXTS, *COMMITTEE_TEXTS]:
            assert record_text not in text, (path, record_text)


def test_the_action_page_shows_updates_and_indicators_only_of_a_visible_action(personas, plan):
    caucus = text_of(page(personas.experiential_peer, f"workplan/actions/{plan.caucus_action.pk}/"))
    assert "action:caucus" in caucus
    assert "indicator:caucus" in caucus
    assert "update:caucus" in caucus
    committee = text_of(page(personas.police, f"workplan/actions/{plan.action.pk}/"))
    assert "indicator:nights" in committee
    assert "update:committee" in committee
    assert "Omar" in committee  # the responsible person, and who reported
    for caucus_text in CAUCUS_TEXTS:
        assert caucus_text not in committee


@pytest.mark.parametrize(
    "path",
    [
        "workplan/actions/{action}/",
        "workplan/actions/{action}/edit/",
        "workplan/objectives/{objective}/edit/",
        "workplan/areas/{area}/edit/",
        "workplan/objectives/{objective}/actions/new/",
        "needs/{need}/",
        "needs/{need}/edit/",
    ],
)
def test_a_hidden_record_is_the_same_404_as_a_missing_one(personas, plan, path):
    """The coordinator (not in the caucus) asks for caucus records and for ids that do not
    exist: the answers are identical."""
    coordinator = client_for(personas.coordinator)
    hidden = page(
        coordinator,
        path.format(
            action=plan.caucus_action.pk,
            objective=plan.caucus_objective.pk,
            area=plan.caucus_area.pk,
            need=plan.caucus_need.pk,
        ),
    )
    missing = page(
        coordinator, path.format(action=999_999, objective=999_999, area=999_999, need=999_999)
    )
    assert hidden.status_code == missing.status_code == 404
    assert without_csrf(hidden.content) == without_csrf(missing.content)


def test_posting_to_a_hidden_action_is_the_same_404_as_to_a_missing_one(personas, plan):
    coordinator = client_for(personas.coordinator)
    for suffix, data in [
        ("status/", {"status": "dropped"}),
        ("progress/", {"progress": "50"}),
        ("updates/", {"update-date": "2026-01-01", "update-note": "x"}),
        ("indicators/", {"indicator-name": "x"}),
        ("move/", {"direction": "up"}),
    ]:
        hidden = coordinator.post(
            f"/c/{SLUG}/workplan/actions/{plan.caucus_action.pk}/{suffix}", data
        )
        missing = coordinator.post(f"/c/{SLUG}/workplan/actions/999999/{suffix}", data)
        assert hidden.status_code == missing.status_code == 404, suffix
        assert without_csrf(hidden.content) == without_csrf(missing.content)
    assert Action.objects.get(pk=plan.caucus_action.pk).status == "proposed"


def test_the_administrator_sees_only_what_is_public_and_no_people_or_needs(personas, plan):
    p = personas
    admin = client_for(p.admin)
    assert "area:committee" not in text_of(page(admin, "workplan/"))
    services.change_visibility(actor=p.coordinator, record=plan.area, visibility="public")
    services.change_visibility(actor=p.coordinator, record=plan.action, visibility="public")
    for path in ["workplan/", f"workplan/actions/{plan.action.pk}/", "workplan/print/"]:
        text = text_of(page(admin, path))
        assert "action:committee" in text, path
        assert "Omar" not in text, path  # responsible person and update author
        assert "need:committee" not in text, path
        assert "Responsible" not in text, path
    csv_text = text_of(page(admin, "workplan/export.csv"))
    assert "action:committee" in csv_text
    assert "Omar" not in csv_text
    assert "Responsible person" not in csv_text


def test_the_navigation_offers_the_work_plan_and_the_guide_to_committee_members(personas):
    member = text_of(page(personas.police, "workplan/"))
    nav = section(member, '<nav aria-label="Main"', "</nav>")
    assert f'href="/c/{SLUG}/workplan/"' in nav
    assert f'href="/c/{SLUG}/adapting/"' in nav
    admin_nav = section(
        text_of(page(personas.admin, "workplan/")), '<nav aria-label="Main"', "</nav>"
    )
    assert "/workplan/" not in admin_nav


# --- adapting the model ------------------------------------------------------------------------


def test_the_guide_marks_items_from_the_records_and_highlights_the_current_step(personas, seated):
    p = personas
    text = text_of(page(p.coordinator, "adapting/"))
    assert 'aria-current="step"' in text
    current = section(text, 'aria-current="step"', "</li>\n  \n  <li")
    assert "Step 1: Start with current reality" in current
    assert "Understand sex work in the community (not yet)" in plain(text)
    assert f'href="/c/{SLUG}/reality/"' in text
    services.record_reality_entry(
        author=p.coordinator,
        kind="services",
        sector=p.sector("sex-worker-services"),
        observed_on=date(2026, 3, 1),
        text="A drop-in centre opens on weekday evenings.",
        visibility="committee",
    )
    text = text_of(page(p.coordinator, "adapting/"))
    assert "Understand sex work in the community (done)" in plain(text)
    assert "The community profile holds 1 entry." in plain(text)
    assert f'href="/c/{SLUG}/outcomes/"' in text


def test_the_guide_counts_only_what_the_viewer_sees(personas, plan):
    assert "1 of 1 actions approved." in text_of(page(personas.police, "adapting/"))
    assert "1 of 3 actions approved." in text_of(page(personas.experiential, "adapting/"))
    admin = text_of(page(personas.admin, "adapting/"))
    assert "Step 1" not in admin


# --- intended outcomes -------------------------------------------------------------------------


def test_a_coordinator_chooses_outcomes_and_adds_one_and_members_read_them(personas, seated):
    p = personas
    coordinator = client_for(p.coordinator)
    response = coordinator.post(
        f"/c/{SLUG}/outcomes/", {"chosen": ["key:sex-worker-safety", "key:youth-exploitation"]}
    )
    assert response.status_code == 302
    coordinator.post(
        f"/c/{SLUG}/outcomes/", {"own-title": "Safer laneways", "own-description": "Lit at night"}
    )
    chosen = set(IntendedOutcome.objects.filter(chosen=True).values_list("title", flat=True))
    assert chosen == {
        "Improve the safety and health of sex workers",
        "Reduce sexual exploitation of youth",
        "Safer laneways",
    }
    own = IntendedOutcome.objects.get(title="Safer laneways")
    coordinator.post(f"/c/{SLUG}/outcomes/", {"chosen": ["key:sex-worker-safety"]})
    assert set(IntendedOutcome.objects.filter(chosen=True).values_list("pk", flat=True)) == {
        IntendedOutcome.objects.get(key="sex-worker-safety").pk
    }
    assert not IntendedOutcome.objects.get(pk=own.pk).chosen

    member = text_of(page(p.police, "outcomes/"))
    assert "Improve the safety and health of sex workers" in member
    assert "Save our outcomes" not in member


def test_a_member_cannot_choose_outcomes(personas, seated):
    client_for(personas.police).post(f"/c/{SLUG}/outcomes/", {"chosen": ["key:sex-worker-safety"]})
    assert not IntendedOutcome.objects.exists()


# --- needs -------------------------------------------------------------------------------------


def test_a_member_records_a_caucus_need_that_stays_in_the_caucus(personas, seated):
    p = personas
    experiential = p.sector("experiential")
    form = text_of(page(p.experiential, "needs/new/"))
    assert "Only the sectors I choose (a caucus)" in form
    response = client_for(p.experiential).post(
        f"/c/{SLUG}/needs/new/",
        {
            "title": "Safe place to rest between shifts",
            "description": "",
            "sector": experiential.pk,
            "visibility": "sectors",
            "visible_sectors": [experiential.pk],
        },
    )
    assert response.status_code == 302
    need = Need.objects.get(title="Safe place to rest between shifts")
    assert (need.visibility, list(need.visible_sectors.all())) == ("sectors", [experiential])
    assert "Safe place to rest" in text_of(page(p.experiential_peer, "needs/"))
    assert "Safe place to rest" not in text_of(page(p.police, "needs/"))
    assert page(p.police, f"needs/{need.pk}/").status_code == 404


def test_the_register_lists_needs_by_sector_with_who_can_see_them(personas, plan):
    text = text_of(page(personas.experiential, "needs/"))
    residents = section(text, 'id="sector-residents"')
    assert "need:committee" in residents
    assert "The whole steering committee" in residents
    experiential = section(text, 'id="sector-experiential"')
    assert "need:caucus" in experiential
    assert "Only the sectors I choose (a caucus): Current and former sex workers" in experiential


def test_only_its_author_or_a_coordinator_marks_a_need_addressed(personas, plan):
    p = personas
    url = f"/c/{SLUG}/needs/{plan.need.pk}/status/"
    assert "Mark it addressed" not in text_of(page(p.police, f"needs/{plan.need.pk}/"))
    client_for(p.police).post(url, {"status": "addressed"})
    assert Need.objects.get(pk=plan.need.pk).status == "open"
    client_for(p.resident).post(url, {"status": "addressed"})
    assert Need.objects.get(pk=plan.need.pk).status == "addressed"


def test_its_author_changes_who_sees_a_need_on_its_edit_page(personas, plan):
    """The resident raised need:committee: they keep it to the coordinators from the edit page,
    and the police member then finds nothing there; a coordinator edits the words only."""
    p = personas
    url = f"/c/{SLUG}/needs/{plan.need.pk}/edit/"
    author_form = text_of(page(p.resident, f"needs/{plan.need.pk}/edit/"))
    assert 'name="visibility"' in author_form
    assert re.search(r'value="committee"[^>]*checked', author_form)
    assert "Edit the need or who can see it" in text_of(page(p.resident, f"needs/{plan.need.pk}/"))
    coordinator_form = text_of(page(p.coordinator, f"needs/{plan.need.pk}/edit/"))
    assert 'name="visibility"' not in coordinator_form
    assert "only they can change it" in coordinator_form
    assert page(p.police, f"needs/{plan.need.pk}/edit/").status_code == 404

    fields = {"title": "need:committee", "sector": p.sector("residents").pk}
    # A caucus of a sector the resident is not in: refused with why, nothing changes.
    refused = client_for(p.resident).post(
        url, {**fields, "visibility": "sectors", "visible_sectors": [p.sector("experiential").pk]}
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in text_of(refused)  # only the resident's sectors are offered
    assert Need.objects.get(pk=plan.need.pk).visibility == "committee"
    # A coordinator's post cannot change it either (the field is not theirs to send).
    client_for(p.coordinator).post(url, {**fields, "visibility": "coordinators"})
    assert Need.objects.get(pk=plan.need.pk).visibility == "committee"

    saved = client_for(p.resident).post(url, {**fields, "visibility": "coordinators"})
    assert saved["Location"] == f"/c/{SLUG}/needs/{plan.need.pk}/"
    assert Need.objects.get(pk=plan.need.pk).visibility == "coordinators"
    assert page(p.police, f"needs/{plan.need.pk}/").status_code == 404
    assert "need:committee" not in text_of(page(p.police, "needs/"))
    assert page(p.coordinator, f"needs/{plan.need.pk}/").status_code == 200


# --- the dot vote ------------------------------------------------------------------------------


def test_a_member_places_and_takes_back_dots_with_htmx(personas, plan):
    p = personas
    prioritization = services.open_prioritization(actor=p.coordinator, title="Round")
    url = f"/c/{SLUG}/priorities/{prioritization.pk}/needs/{plan.need.pk}/dots/"
    police = client_for(p.police)
    response = police.post(url, {"change": "add"}, **HTMX)
    assert response.status_code == 200
    text = text_of(response)
    assert text.lstrip().startswith('<section id="ballot"')
    assert "You have 2 of 3 dots left." in text
    assert 'id="results" class="results" aria-labelledby="results-heading" hx-swap-oob="true"' in (
        text
    )
    police.post(url, {"change": "add"}, **HTMX)
    police.post(url, {"change": "remove"}, **HTMX)
    assert NeedVote.objects.get(person=p.police).dots == 1


def test_a_member_places_dots_without_javascript(personas, plan):
    p = personas
    prioritization = services.open_prioritization(
        actor=p.coordinator, title="Round", dots_per_member=1
    )
    url = f"/c/{SLUG}/priorities/{prioritization.pk}/needs/{plan.need.pk}/dots/"
    police = client_for(p.police)
    response = police.post(url, {"change": "add"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/priorities/#ballot-need-{plan.need.pk}")
    refused = police.post(url, {"change": "add"}, follow=True)
    assert "You have 0 dots left to place." in text_of(refused)
    assert NeedVote.objects.get(person=p.police).dots == 1


def test_the_ballot_offers_only_visible_needs_and_observers_get_none(personas, seated, plan):
    p = personas
    prioritization = open_round_with_dots(p)
    police = text_of(page(p.police, "priorities/"))
    ballot = section(police, 'id="ballot"')
    assert "need:committee" in ballot
    assert "need:caucus" not in police
    observer = text_of(page(seated.observer, "priorities/"))
    assert 'id="ballot"' not in observer
    hidden = client_for(p.police).post(
        f"/c/{SLUG}/priorities/{prioritization.pk}/needs/{plan.caucus_need.pk}/dots/",
        {"change": "add"},
    )
    assert hidden.status_code == 404


def test_results_per_sector_and_overall_count_only_visible_needs(personas, plan):
    """Jade put 2 dots on the caucus need and 1 on the committee need, Marguerite 3 on the
    committee need: the police officer's results know nothing of the caucus need's dots."""
    p = personas
    open_round_with_dots(p)
    police = plain(section(text_of(page(p.police, "priorities/")), 'id="results"', "</form>"))
    assert "4 dots placed on the needs you can see." in police
    assert "Overall need:committee 4 dots By sector" in police
    assert "Current and former sex workers (1 dot) need:committee 1" in police
    assert "Residents (3 dots) need:committee 3" in police
    caucus = plain(section(text_of(page(p.experiential, "priorities/")), 'id="results"', "</form>"))
    assert "6 dots placed on the needs you can see." in caucus
    assert "Overall need:committee 4 dots need:caucus 2 dots By sector" in caucus
    assert "Current and former sex workers (3 dots) need:caucus 2 need:committee 1" in caucus


def test_only_coordinators_open_and_close_a_round(personas, seated):
    p = personas
    police = client_for(p.police)
    assert police.post(f"/c/{SLUG}/priorities/open/", {"title": "Mine"}).status_code == 404
    assert "Open a prioritization round" not in text_of(page(p.police, "priorities/"))
    coordinator = client_for(p.coordinator)
    coordinator.post(f"/c/{SLUG}/priorities/open/", {"title": "Spring", "dots_per_member": 4})
    prioritization = Prioritization.objects.get()
    assert (prioritization.title, prioritization.dots_per_member) == ("Spring", 4)
    police.post(f"/c/{SLUG}/priorities/{prioritization.pk}/close/")
    assert Prioritization.objects.get().status == "open"
    coordinator.post(f"/c/{SLUG}/priorities/{prioritization.pk}/close/")
    assert Prioritization.objects.get().status == "closed"


def test_the_top_needs_are_offered_as_a_new_action_area(personas, plan):
    p = personas
    open_round_with_dots(p)
    text = text_of(page(p.coordinator, "priorities/"))
    form = section(text, 'class="stack to-area"', "</form>")
    assert f'value="{plan.need.pk}" id="to-area-{plan.need.pk}" checked' in form
    prefilled = text_of(page(p.coordinator, f"workplan/areas/new/?needs={plan.need.pk}"))
    assert re.search(rf'value="{plan.need.pk}"[^>]*checked', prefilled)


# --- the work plan: planning controls ----------------------------------------------------------


def test_planning_controls_are_for_coordinators_and_reporting_for_the_responsible(personas, plan):
    p = personas
    coordinator = text_of(page(p.coordinator, "workplan/"))
    assert "Add the objective" in coordinator
    assert f"/workplan/actions/{plan.action.pk}/edit/" in coordinator
    police = text_of(page(p.police, "workplan/"))
    assert "Add the objective" not in police
    assert f"/workplan/actions/{plan.action.pk}/edit/" not in police
    assert "Update the status or progress" not in police
    health = text_of(page(p.health, "workplan/"))  # responsible for the committee action
    assert "Update the status or progress" in health
    assert f"/workplan/actions/{plan.action.pk}/edit/" not in health
    for path in [
        f"workplan/actions/{plan.action.pk}/edit/",
        f"workplan/areas/{plan.area.pk}/edit/",
        f"workplan/objectives/{plan.objective.pk}/edit/",
    ]:
        assert page(p.police, path).status_code == 404, path


def test_the_caucus_plans_its_own_area_and_the_coordinator_never_sees_it(personas, plan):
    caucus = text_of(page(personas.experiential, "workplan/"))
    area = section(caucus, f'id="area-{plan.caucus_area.pk}"')
    assert f"/workplan/areas/{plan.caucus_area.pk}/edit/" in area
    assert "Draft the proposal to agree this area" in area


def test_a_member_creates_only_a_caucus_area(personas, plan):
    p = personas
    form = text_of(page(p.police, "workplan/areas/new/"))
    assert 'value="sectors"' in form
    assert 'value="committee"' not in form
    client_for(p.police).post(
        f"/c/{SLUG}/workplan/areas/new/", {"title": "Police area", "visibility": "committee"}
    )
    assert not ActionArea.objects.filter(title="Police area").exists()


def test_an_overdue_action_is_marked_on_the_plan(personas, plan):
    text = text_of(page(personas.police, "workplan/"))
    row = re.search(rf'<li class="([^"]*)" id="action-{plan.action.pk}">(.*?)</li>', text, re.S)
    assert "is-overdue" in row[1]
    assert "Overdue" in row[2]


def test_status_changes_inline_with_htmx_and_roll_ups_follow(personas, plan):
    p = personas
    response = client_for(p.health).post(
        f"/c/{SLUG}/workplan/actions/{plan.action.pk}/status/",
        {"status": "done", "place": "plan"},
        **HTMX,
    )
    assert response.status_code == 200
    text = text_of(response)
    assert text.startswith(f'<div class="action-status" id="action-{plan.action.pk}-status">')
    assert "Status: Done." in text
    # Out of band: the objective, the area and the whole plan now read 100 % for Omar.
    for kind, pk in [("objective", plan.objective.pk), ("area", plan.area.pk)]:
        assert re.search(
            rf'id="{kind}-{pk}-progress" hx-swap-oob="true">.*?100% done', text, re.S
        ), kind
    assert re.search(r'id="plan-progress" hx-swap-oob="true">.*?100% done', text, re.S)
    assert Action.objects.get(pk=plan.action.pk).status == "done"


def test_status_changes_with_a_plain_form_and_come_back_to_the_page(personas, plan):
    response = client_for(personas.health).post(
        f"/c/{SLUG}/workplan/actions/{plan.action.pk}/status/",
        {"status": "stalled", "next": f"/c/{SLUG}/workplan/#action-{plan.action.pk}"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/c/{SLUG}/workplan/#action-{plan.action.pk}"
    assert Action.objects.get(pk=plan.action.pk).status == "stalled"
    elsewhere = client_for(personas.health).post(
        f"/c/{SLUG}/workplan/actions/{plan.action.pk}/status/",
        {"status": "in_progress", "next": "https://evil.example/"},
    )
    assert elsewhere["Location"] == f"/c/{SLUG}/workplan/#action-{plan.action.pk}"


def test_progress_is_saved_inline_and_a_refusal_is_shown_in_the_partial(personas, plan):
    p = personas
    health = client_for(p.health)
    url = f"/c/{SLUG}/workplan/actions/{plan.action.pk}/progress/"
    ok = text_of(health.post(url, {"progress": "70", "place": "detail"}, **HTMX))
    assert "Progress: 70%." in ok
    assert "hx-swap-oob" not in ok  # on the action's own page there are no roll-ups to follow
    refused = text_of(health.post(url, {"progress": "170"}, **HTMX))
    assert 'role="alert"' in refused
    assert Action.objects.get(pk=plan.action.pk).progress == 70
    plain = health.post(url, {"progress": "75"})
    assert plain.status_code == 302
    assert Action.objects.get(pk=plan.action.pk).progress == 75
    police = client_for(p.police).post(url, {"progress": "10"})
    assert police.status_code == 404
    assert Action.objects.get(pk=plan.action.pk).progress == 75


def test_the_status_menu_never_offers_approved(personas, plan):
    text = text_of(page(personas.coordinator, "workplan/"))
    for action in (plan.action,):
        block = section(text, f'id="action-{action.pk}-status"', "</select>")
        assert 'value="approved"' not in block
        assert 'value="done"' in block
    new = services.create_action(
        actor=personas.coordinator, objective=plan.objective, title="new", visibility="committee"
    )
    text = text_of(page(personas.coordinator, "workplan/"))
    block = section(text, f'id="action-{new.pk}-status"', "</select>")
    assert 'value="in_progress"' not in block
    assert 'value="dropped"' in block


def test_areas_objectives_and_actions_are_reordered_with_htmx_and_without(personas, plan):
    p = personas
    second = services.create_objective(actor=p.coordinator, area=plan.area, title="objective:2")
    coordinator = client_for(p.coordinator)
    response = coordinator.post(
        f"/c/{SLUG}/workplan/objectives/{second.pk}/move/", {"direction": "up"}, **HTMX
    )
    text = text_of(response)
    assert text.startswith('<div id="workplan-tree"')
    assert text.index("objective:2") < text.index("objective:1")
    coordinator.post(f"/c/{SLUG}/workplan/objectives/{second.pk}/move/", {"direction": "down"})
    ordered = list(Objective.objects.filter(area=plan.area).order_by("position", "pk"))
    assert [o.title for o in ordered] == ["objective:1", "objective:2"]


def test_areas_and_actions_move_up_and_down_from_the_plan_and_only_for_their_planners(
    personas, plan
):
    p = personas
    second_area = services.create_action_area(
        actor=p.coordinator, title="area:second", visibility="committee"
    )
    second_action = services.create_action(
        actor=p.coordinator, objective=plan.objective, title="action:second", visibility="committee"
    )
    coordinator = client_for(p.coordinator)
    plan_page = text_of(page(coordinator, "workplan/"))
    first_controls = section(plan_page, f'id="area-{plan.area.pk}"', "</div>")
    assert "Down<span" in first_controls and "Up<span" not in first_controls

    # Without JavaScript: a plain form, back to the area on the page.
    moved = coordinator.post(
        f"/c/{SLUG}/workplan/areas/{second_area.pk}/move/", {"direction": "up"}
    )
    assert moved["Location"] == f"/c/{SLUG}/workplan/#area-{second_area.pk}"
    police_view = [a.title for a in areas_seen_by(p.police)]
    assert police_view == ["area:second", "area:committee"]
    # With HTMX: the plan comes back to swap in, the action one place up.
    response = coordinator.post(
        f"/c/{SLUG}/workplan/actions/{second_action.pk}/move/", {"direction": "up"}, **HTMX
    )
    text = text_of(response)
    assert text.startswith('<div id="workplan-tree"')
    assert text.index("action:second") < text.index("action:committee")
    assert list(
        Action.objects.filter(objective=plan.objective, visibility="committee")
        .order_by("position", "pk")
        .values_list("title", flat=True)
    ) == ["action:second", "action:committee"]

    # A member who does not plan the committee's records finds no such address.
    police = client_for(p.police)
    for url in (
        f"/c/{SLUG}/workplan/areas/{second_area.pk}/move/",
        f"/c/{SLUG}/workplan/actions/{second_action.pk}/move/",
        f"/c/{SLUG}/workplan/objectives/{plan.objective.pk}/move/",
    ):
        assert police.post(url, {"direction": "down"}).status_code == 404
    assert [a.title for a in areas_seen_by(p.police)] == ["area:second", "area:committee"]
    assert "Up<span" not in text_of(page(police, "workplan/"))


def areas_seen_by(person):
    return selectors.action_areas_for(person.user)


def test_a_coordinator_adds_an_objective_and_an_action_from_the_plan(personas, plan):
    p = personas
    coordinator = client_for(p.coordinator)
    coordinator.post(
        f"/c/{SLUG}/workplan/areas/{plan.area.pk}/objectives/", {"objective-title": "More nights"}
    )
    objective = Objective.objects.get(title="More nights")
    response = coordinator.post(
        f"/c/{SLUG}/workplan/objectives/{objective.pk}/actions/new/",
        {
            "title": "Fourth night",
            "responsible": p.health.pk,
            "due_on": (community_today() + timedelta(days=30)).isoformat(),
            "visibility": "committee",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(title="Fourth night")
    assert (action.status, action.responsible, action.objective) == (
        "proposed",
        p.health,
        objective,
    )


# --- agreeing areas and approving actions ------------------------------------------------------


def test_drafting_the_area_proposal_shares_it_like_the_area_and_leaves_caucus_needs_out(
    personas, plan
):
    p = personas
    area = services.create_action_area(
        actor=p.coordinator, title="Outreach", visibility="committee", needs=[plan.need]
    )
    response = client_for(p.coordinator).post(f"/c/{SLUG}/workplan/areas/{area.pk}/propose/")
    proposal = Proposal.objects.get(title="Action area: Outreach")
    assert response["Location"] == f"/c/{SLUG}/proposals/{proposal.pk}/"
    assert (proposal.status, proposal.visibility, proposal.author) == (
        "draft",
        "committee",
        p.coordinator,
    )
    assert "need:committee" in proposal.body
    # The caucus drafts its own: the proposal stays in the caucus.
    caucus = client_for(p.experiential)
    caucus.post(f"/c/{SLUG}/workplan/areas/{plan.caucus_area.pk}/propose/")
    caucus_proposal = Proposal.objects.get(title="Action area: area:caucus")
    assert caucus_proposal.visibility == "sectors"
    assert list(caucus_proposal.visible_sectors.all()) == [p.sector("experiential")]
    assert "need:caucus" in caucus_proposal.body  # the caucus reads both
    # A committee area answering a caucus need: its proposal names only the committee's need.
    kim = make_person(
        p.community, "kim", sector_keys=("experiential", "sex-worker-services"), role="coordinator"
    )
    mixed = services.create_action_area(
        actor=kim, title="Mixed", visibility="committee", needs=[plan.need, plan.caucus_need]
    )
    client_for(kim).post(f"/c/{SLUG}/workplan/areas/{mixed.pk}/propose/")
    mixed_proposal = Proposal.objects.get(title="Action area: Mixed")
    assert "need:committee" in mixed_proposal.body
    assert "need:caucus" not in mixed_proposal.body
    plan_page = text_of(page(p.coordinator, "workplan/"))
    assert "Its proposal is on its way:" in section(plan_page, f'id="area-{area.pk}"')
    assert page(p.police, "workplan/").status_code == 200
    assert (
        client_for(p.police).post(f"/c/{SLUG}/workplan/areas/{area.pk}/propose/").status_code == 404
    )


def test_an_area_is_agreed_only_through_an_agreed_proposal(personas, plan):
    p = personas
    area = services.create_action_area(
        actor=p.coordinator, title="Outreach", visibility="committee"
    )
    blocked = blocked_proposal(p)
    coordinator = client_for(p.coordinator)
    coordinator.post(f"/c/{SLUG}/workplan/areas/{area.pk}/agree/", {"proposal": blocked.pk})
    assert ActionArea.objects.get(pk=area.pk).agreed_by is None
    agreed = agreed_proposal(p, "Action area: Outreach")
    text = text_of(page(p.coordinator, "workplan/"))
    select = section(text, f'id="agree-{area.pk}"', "</select>")
    assert f'value="{agreed.pk}"' in select
    assert " selected" not in select  # not drafted from the plan: nothing is chosen for you
    assert f'value="{blocked.pk}"' not in select
    coordinator.post(f"/c/{SLUG}/workplan/areas/{area.pk}/agree/", {"proposal": agreed.pk})
    assert ActionArea.objects.get(pk=area.pk).agreed_by == agreed


def agree_everyone(p, proposal: Proposal) -> Proposal:
    committee_services.start_discussion(actor=p.coordinator, proposal=proposal)
    committee_services.open_for_positions(
        actor=p.coordinator, proposal=proposal, closes_at=timezone.now() + timedelta(days=7)
    )
    for person in everyone_seated(p):
        committee_services.cast_position(person=person, proposal=proposal, stance="agree")
    return committee_services.close_proposal(actor=p.coordinator, proposal=proposal)


def test_the_proposal_drafted_for_an_area_is_linked_to_it_whatever_its_title(personas, plan):
    """The plan finds the drafted proposal by its link, not its title: renamed in discussion,
    it is still the one on its way and, once agreed, the one that agreed the area; another
    agreed proposal carrying the area's draft title is not."""
    p = personas
    area = services.create_action_area(
        actor=p.coordinator, title="Outreach", visibility="committee"
    )
    coordinator = client_for(p.coordinator)
    coordinator.post(f"/c/{SLUG}/workplan/areas/{area.pk}/propose/")
    drafted = ActionArea.objects.get(pk=area.pk).proposal
    assert drafted is not None and drafted.title == "Action area: Outreach"
    assert AuditEntry.objects.filter(action="action_area.draft", target_id=str(area.pk)).exists()
    committee_services.update_proposal(
        actor=p.coordinator, proposal=drafted, title="Night outreach, renamed", body=drafted.body
    )
    decoy = agreed_proposal(p, "Action area: Outreach")
    panel = section(text_of(page(coordinator, "workplan/")), f'id="area-{area.pk}"')
    assert "Its proposal is on its way:" in panel
    assert "Night outreach, renamed" in panel
    assert "Draft the proposal to agree this area" not in panel
    again = coordinator.post(f"/c/{SLUG}/workplan/areas/{area.pk}/propose/")
    assert again.status_code == 302
    assert ActionArea.objects.get(pk=area.pk).proposal == drafted  # no second draft
    assert not Proposal.objects.filter(title="Action area: Outreach", status="draft").exists()

    agree_everyone(p, drafted)  # closed agreed: the area it was drafted for is agreed by it
    assert ActionArea.objects.get(pk=area.pk).agreed_by == drafted != decoy
    panel = section(text_of(page(coordinator, "workplan/")), f'id="area-{area.pk}"')
    assert "Agreed through" in panel
    assert f'proposals/{drafted.pk}/">Night outreach, renamed</a>' in panel
    steps = text_of(page(coordinator, "adapting/"))
    assert "Outreach (agreed through “Night outreach, renamed”)" in html_module.unescape(steps)


def test_another_members_draft_one_may_not_see_does_not_exist_for_the_next_drafter(personas, plan):
    """Jade drafts the caucus area's proposal; a draft is her own (and the coordinators') until
    discussed, so for Rosa, who plans the same caucus area, it does not exist: she is offered
    the draft button and may draft, with no hint of Jade's."""
    p = personas
    jades = services.draft_area_proposal(actor=p.experiential, area=plan.caucus_area)
    panel = section(
        text_of(page(p.experiential_peer, "workplan/")), f'id="area-{plan.caucus_area.pk}"'
    )
    assert "Its proposal is on its way" not in panel
    assert "Draft the proposal to agree this area" in panel
    rosas = services.draft_area_proposal(actor=p.experiential_peer, area=plan.caucus_area)
    assert rosas != jades
    assert ActionArea.objects.get(pk=plan.caucus_area.pk).proposal == rosas


def test_a_withdrawn_draft_lets_the_area_be_drafted_again(personas, plan):
    p = personas
    area = services.create_action_area(
        actor=p.coordinator, title="Outreach", visibility="committee"
    )
    first = services.draft_area_proposal(actor=p.coordinator, area=area)
    committee_services.withdraw_proposal(actor=p.coordinator, proposal=first)
    panel = section(text_of(page(p.coordinator, "workplan/")), f'id="area-{area.pk}"')
    assert "Draft the proposal to agree this area" in panel
    second = services.draft_area_proposal(actor=p.coordinator, area=area)
    assert second != first
    assert ActionArea.objects.get(pk=area.pk).proposal == second


def test_actions_are_approved_through_a_proposal_chosen_from_the_agreed_ones(personas, plan):
    p = personas
    action = services.create_action(
        actor=p.coordinator, objective=plan.objective, title="Fifth night", visibility="committee"
    )
    draft = make_proposal(p.coordinator, "Not agreed yet", status="decision")
    coordinator = client_for(p.coordinator)
    form = text_of(page(coordinator, f"workplan/approve/?action={action.pk}"))
    assert re.search(rf'value="{action.pk}"[^>]*checked', form)
    # Only the proposal choices: an action may share the draft's id.
    assert f'value="{draft.pk}"' not in section(form, 'name="proposal"', "</select>")
    refused = coordinator.post(
        f"/c/{SLUG}/workplan/approve/", {"proposal": draft.pk, "actions": [action.pk]}
    )
    assert refused.status_code == 200
    assert Action.objects.get(pk=action.pk).status == "proposed"
    coordinator.post(
        f"/c/{SLUG}/workplan/approve/", {"proposal": plan.proposal.pk, "actions": [action.pk]}
    )
    approved = Action.objects.get(pk=action.pk)
    assert (approved.status, approved.approved_by) == ("approved", plan.proposal)
    assert AuditEntry.objects.filter(action="action.approve", target_id=str(action.pk)).exists()
    assert page(p.police, "workplan/approve/").status_code == 200
    assert "There is no proposed action for you to approve." in text_of(
        page(p.police, "workplan/approve/")
    )


# --- one action --------------------------------------------------------------------------------


def test_the_responsible_person_reports_an_update_with_an_indicator_value(personas, plan):
    p = personas
    health = client_for(p.health)
    today = community_today()
    response = health.post(
        f"/c/{SLUG}/workplan/actions/{plan.action.pk}/updates/",
        {
            "update-date": today.isoformat(),
            "update-progress": "55",
            "update-indicator": plan.indicator.pk,
            "update-value": "20",
            "update-note": "Fridays added",
        },
    )
    assert response.status_code == 302
    text = text_of(page(p.police, f"workplan/actions/{plan.action.pk}/"))
    timeline = section(text, 'id="updates"')
    assert timeline.index("Fridays added") < timeline.index("update:committee")  # newest first
    assert "indicator:nights: 20 nights" in timeline
    figure = section(text, 'id="indicators"')
    assert "<td>12</td>" in figure and "<td>20</td>" in figure
    assert "Report progress" not in text  # the police officer only reads


def test_a_refused_update_shows_the_form_again_with_why(personas, plan):
    future = (community_today() + timedelta(days=3)).isoformat()
    response = client_for(personas.health).post(
        f"/c/{SLUG}/workplan/actions/{plan.action.pk}/updates/",
        {"update-date": future, "update-note": "From the future"},
    )
    assert response.status_code == 200
    assert "Report on today or an earlier day." in text_of(response)


def test_a_coordinator_adds_an_indicator_and_the_responsible_person_cannot(personas, plan):
    p = personas
    url = f"/c/{SLUG}/workplan/actions/{plan.action.pk}/indicators/"
    assert client_for(p.health).post(url, {"indicator-name": "Visits"}).status_code == 404
    client_for(p.coordinator).post(
        url, {"indicator-name": "Visits", "indicator-target": "100", "indicator-unit": "visits"}
    )
    assert plan.action.indicators.filter(name="Visits", target=100).exists()


def test_an_agreement_through_a_proposal_the_viewer_cannot_see_names_no_proposal(personas, plan):
    """Kim, a coordinator in the experiential caucus, agrees a committee area through a caucus
    proposal and approves its action: Sam sees both agreed, but not by which proposal."""
    p = personas
    kim = make_person(
        p.community, "kim", sector_keys=("experiential", "sex-worker-services"), role="coordinator"
    )
    area = services.create_action_area(actor=kim, title="area:kim", visibility="committee")
    objective = services.create_objective(actor=kim, area=area, title="objective:kim")
    action = services.create_action(
        actor=kim, objective=objective, title="action:kim", visibility="committee"
    )
    hidden = caucus_agreed_proposal(p, "proposal:caucus")
    services.agree_action_area(actor=kim, area=area, proposal=hidden)
    services.approve_actions(actor=kim, proposal=hidden, actions=[action])
    for path in ["workplan/", f"workplan/actions/{action.pk}/", "workplan/print/"]:
        text = text_of(page(p.coordinator, path))
        assert "proposal:caucus" not in text, path
        assert f"/proposals/{hidden.pk}/" not in text, path
    assert "Agreed by the committee" in text_of(page(p.coordinator, "workplan/"))
    assert "proposal:caucus" not in text_of(page(p.coordinator, "workplan/export.csv"))
    assert "proposal:caucus" in text_of(page(kim, "workplan/"))


def test_the_work_plan_page_takes_as_many_queries_for_many_actions_as_for_few(personas, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coordinator = client_for(personas.coordinator)
    page(coordinator, "workplan/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        page(coordinator, "workplan/")
    for number in range(4):
        objective = services.create_objective(
            actor=personas.coordinator, area=plan.area, title=f"more objective {number}"
        )
        services.create_action(
            actor=personas.coordinator,
            objective=objective,
            title=f"more:{number}",
            visibility="committee",
            partner_organizations=[personas.health.organization],
            responsible=personas.health,
        )
    with CaptureQueriesContext(connection) as many:
        text = text_of(page(coordinator, "workplan/"))
    assert "more:3" in text
    assert len(many) == len(few)
