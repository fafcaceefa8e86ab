"""A coordinator takes a fresh community from the first of the five steps to an approved work
plan, in a browser on a phone: writes the community profile's first entry (step 1), chooses the
intended outcomes (step 2), seats every sector the community requires and takes the trust
agreement through to agreement (step 3), records a need, opens a dot round, turns the top needs
into an action area, drafts the proposal that agrees it and closes it once every seat agreed,
which agrees the area (step 4), adds an objective and an action, approves the action through
the agreed proposal, and reports on it inline (step 5); "Adapting the model" then shows all five
steps done, each from the records. The other members' dots, positions and acceptances go through
the services, as their own browsers would. The community starts with its people onboarded (the
stakeholder map and its experiential members) and no committee seat."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from committee import services as committee_services
from committee.consensus import Stance
from committee.models import Proposal
from stakeholders.models import Sector, Visibility
from tests.workplans.conftest import community_today
from workplans import services
from workplans.models import Action, ActionArea, Need, Prioritization

from .conftest import PHONE, fits_the_screen, screenshot, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEED = "Nobody checks on workers who go out alone at night"
OTHER_NEED = "Needles in the laneway behind Main Street"
AREA = "Safety for sex workers at night"
AGREEMENT = "Our trust agreement"
OBJECTIVE = "Nobody works alone unseen"
ACTION = "A buddy text line run by peers"


def main_nav(page, name: str):
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def step_state(page, number: int):
    return page.locator(f"#step-{number} .step-state")


# The sectors Riverside requires on its committee, and each one's seat as the seat form names
# it: (sector, organization or None for an independent member, primary member).
REQUIRED = [
    "experiential",
    "sex-worker-services",
    "law-enforcement",
    "health",
    "residents",
    "business",
]
SEATS = [
    (
        "Current and former sex workers",
        "Peers Riverside (Current and former sex workers)",
        "Jade (Peers Riverside)",
    ),
    (
        "Organizations serving sex workers",
        "Safe Harbour Outreach (Organizations serving sex workers)",
        "Sam (Safe Harbour Outreach)",
    ),
    ("Law enforcement", "Riverside Police (Law enforcement)", "Alex (Riverside Police)"),
    ("Health", "Community Health (Health)", "Omar (Community Health)"),
    ("Residents", None, "Marguerite"),
    ("Business", None, "Priya"),
]


def add_seat(page, sector: str, organization: str | None, primary: str) -> None:
    page.get_by_label("Sector:", exact=True).select_option(label=sector)
    page.get_by_label("Organization:", exact=True).select_option(
        label=organization or "None — an independent member"
    )
    page.get_by_label("Primary member").select_option(label=primary)
    page.get_by_role("button", name="Add seat").click()
    expect(page.get_by_role("status")).to_contain_text(f"now holds a seat for {sector}.")


def test_a_coordinator_takes_a_fresh_community_to_an_approved_work_plan(new_page, a11y, personas):
    p = personas
    # Riverside's own choice: the committee must seat the six sectors its members come from
    # (every sector is required until a community says otherwise).
    Sector.objects.filter(community=p.community).exclude(key__in=REQUIRED).update(is_required=False)
    sam = new_page(PHONE)
    sign_in(sam, "sam")

    # Step 1 is where a fresh community starts: the records tell most of it; Sam writes the
    # community profile's first entry.
    main_nav(sam, "Adapting the model")
    expect(sam.get_by_role("heading", level=1, name="Adapting the model")).to_be_visible()
    expect(sam.locator('[aria-current="step"] h2')).to_have_text(
        "Step 1: Start with current reality"
    )
    assert fits_the_screen(sam)
    screenshot(sam, "workplan-adapting-start-phone")
    sam.locator("#item-understand").get_by_role("link", name="Open the community profile").click()
    sam.get_by_role("link", name="Add to the profile").click()
    sam.get_by_label("Services that exist").check()
    sam.get_by_label("Observed on").fill(community_today().isoformat())
    sam.get_by_label("What we see").fill("The drop-in centre closes at **midnight**.")
    sam.get_by_role("button", name="Add the entry").click()
    expect(sam.locator(".reality-entry strong")).to_have_text("midnight")
    main_nav(sam, "Adapting the model")
    expect(step_state(sam, 1)).to_have_text("Done")

    # Step 2: the community's intended outcomes.
    sam.locator("#item-outcomes").get_by_role("link", name="Choose the outcomes").click()
    sam.get_by_label("Improve the safety and health of sex workers").check()
    sam.get_by_label("Reduce sexual exploitation of youth").check()
    sam.get_by_role("button", name="Save our outcomes").click()
    expect(sam.get_by_role("status")).to_contain_text("intended outcomes are saved")
    chosen = sam.get_by_role("region", name="The outcomes we focus on")
    expect(chosen).to_contain_text("Improve the safety and health of sex workers")
    main_nav(sam, "Adapting the model")
    expect(step_state(sam, 2)).to_have_text("Done")

    # Step 3: nobody holds a seat yet. Sam seats every sector Riverside requires...
    expect(step_state(sam, 3)).to_have_text("The step to work on now")
    expect(sam.locator("#item-voices")).to_contain_text(
        "Not yet seated: Current and former sex workers, Organizations serving sex workers"
    )
    sam.locator("#item-voices").get_by_role("link", name="Manage seats").click()
    for sector, organization, primary in SEATS:
        add_seat(sam, sector, organization, primary)
    assert fits_the_screen(sam)
    main_nav(sam, "Adapting the model")
    expect(sam.locator("#item-voices")).to_have_class(re.compile(r"\bis-done\b"))
    expect(step_state(sam, 3)).to_have_text("The step to work on now")  # no agreement yet

    # ... and the committee agrees its trust agreement, proposed from the model's text.
    sam.locator("#item-safe_space").get_by_role("link", name="Open the trust agreement").click()
    sam.get_by_role("link", name="Propose the trust agreement").click()
    sam.get_by_label("Title of the proposal").fill(AGREEMENT)
    sam.get_by_label("Why this change").fill("So that everyone can speak freely here.")
    sam.get_by_role("button", name="Save the draft proposal").click()
    sam.get_by_role("button", name="Start the discussion").click()
    sam.get_by_role("button", name="Ask for positions").click()
    agreement = Proposal.objects.get(title=AGREEMENT)
    for member in [p.experiential, p.police, p.resident, p.business, p.health]:
        committee_services.cast_position(person=member, proposal=agreement, stance=Stance.AGREE)
    sam.reload()
    sam.get_by_label("Agree", exact=True).check()
    sam.get_by_role("button", name="Give my seat's position").click()
    expect(sam.locator("#position-panel")).to_contain_text("Your seat's current position: Agree")
    sam.get_by_role("button", name="Close now and record the outcome").click()
    expect(sam.locator(".outcome .result").first).to_contain_text("Agreed")
    main_nav(sam, "Adapting the model")
    expect(step_state(sam, 3)).to_have_text("Done")
    for member in [p.experiential, p.police, p.resident, p.business, p.health]:
        committee_services.accept_agreement(person=member, number=1)

    # Step 4: a need in the register, a dot round, and the top need becomes an action area.
    sam.locator("#item-needs").get_by_role("link", name="Open the needs register").click()
    sam.get_by_role("link", name="Record a need or issue").click()
    sam.get_by_label("Need or issue").fill(NEED)
    sam.get_by_label("Raised for the sector").select_option(
        label="Organizations serving sex workers"
    )
    sam.get_by_label("The whole steering committee").check()
    sam.get_by_role("button", name="Record the need").click()
    expect(sam.locator(".need-item").filter(has_text=NEED)).to_contain_text(
        "The whole steering committee"
    )
    services.record_need(
        author=p.resident,
        title=OTHER_NEED,
        sector=p.sector("residents"),
        visibility=Visibility.COMMITTEE,
    )

    sam.get_by_role("link", name="Priorities").first.click()
    sam.get_by_label("Title of the round").fill("Spring priorities")
    sam.get_by_role("button", name="Open the round").click()
    expect(sam.get_by_text("You have 3 of 3 dots left.")).to_be_visible()
    sam.wait_for_load_state()  # HTMX is listening
    sam.get_by_role("button", name=f"Place a dot on “{NEED}”").click()  # HTMX: no reload
    expect(sam.get_by_text("You have 2 of 3 dots left.")).to_be_visible()
    a11y.check(sam)
    prioritization = Prioritization.objects.get()
    need = Need.objects.get(title=NEED)
    other = Need.objects.get(title=OTHER_NEED)
    for member, on, dots in [
        (p.experiential, need, 3),
        (p.police, need, 2),
        (p.resident, other, 3),
        (p.health, need, 1),
    ]:
        services.set_dots(actor=member, prioritization=prioritization, need=on, dots=dots)
    sam.reload()
    ranking = sam.locator("#results .ranking").first
    expect(ranking.locator("li").first).to_contain_text(f"{NEED} 7 dots")
    assert fits_the_screen(sam)
    screenshot(sam, "workplan-priorities-phone")
    expect(sam.get_by_label(NEED)).to_be_checked()  # the top needs are ticked
    sam.get_by_label(OTHER_NEED).uncheck()
    sam.get_by_role("button", name="Propose an action area for these needs").click()
    sam.get_by_label("Action area").fill(AREA)
    expect(sam.get_by_label(NEED)).to_be_checked()
    sam.get_by_label("The whole steering committee").check()
    sam.get_by_role("button", name="Propose the action area").click()
    area_section = sam.get_by_role("region", name=AREA)
    expect(area_section).to_contain_text("Proposed: not agreed yet")

    # The area is agreed through a consensus proposal drafted from the plan.
    area_section.get_by_role("button", name="Draft the proposal to agree this area").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text(f"Action area: {AREA}")
    expect(sam.locator(".proposal-body")).to_contain_text(NEED)
    sam.get_by_role("button", name="Start the discussion").click()
    sam.get_by_role("button", name="Ask for positions").click()
    proposal = Proposal.objects.get(title=f"Action area: {AREA}")
    for member in [p.experiential, p.police, p.resident, p.business, p.health]:
        committee_services.cast_position(person=member, proposal=proposal, stance=Stance.AGREE)
    sam.reload()
    # Sam meets the agreed trust agreement before giving a position, and accepts it.
    sam.get_by_role("button", name="I accept the trust agreement").click()
    sam.get_by_label("Agree", exact=True).check()
    sam.get_by_role("button", name="Give my seat's position").click()
    expect(sam.locator("#position-panel")).to_contain_text("Your seat's current position: Agree")
    sam.get_by_role("button", name="Close now and record the outcome").click()
    expect(sam.locator(".outcome .result").first).to_contain_text("Agreed")

    # The proposal drafted for the area closed agreed, so the area is agreed: nothing to record.
    assert ActionArea.objects.get(title=AREA).agreed_by == proposal
    main_nav(sam, "Adapting the model")
    expect(step_state(sam, 4)).to_have_text("Done")
    expect(sam.locator("#item-areas_agreed")).to_contain_text(
        f"{AREA} (agreed through “Action area: {AREA}”)"
    )
    main_nav(sam, "Work plan")
    area_section = sam.get_by_role("region", name=AREA)
    expect(area_section).to_contain_text(f"Agreed through Action area: {AREA}")

    # Step 5: an objective, an action, approved through the agreed proposal.
    area_section.get_by_label("New objective").fill(OBJECTIVE)
    area_section.get_by_role("button", name="Add the objective").click()
    sam.locator(".objective").filter(has_text=OBJECTIVE).get_by_role(
        "link", name=re.compile("^Add an action")
    ).click()
    sam.get_by_label("Action:", exact=True).fill(ACTION)
    sam.get_by_label("Lead organization").select_option(label="Peers Riverside")
    sam.get_by_label("Responsible person").select_option(label="Jade")
    sam.get_by_label("Due on").fill((community_today() + timedelta(days=60)).isoformat())
    sam.get_by_label("The whole steering committee").check()
    sam.get_by_role("button", name="Propose the action").click()
    row = sam.locator(".action-item").filter(has_text=ACTION)
    expect(row).to_contain_text("Proposed")
    row.get_by_role("link", name=re.compile("^Approve through an agreed proposal")).click()
    expect(sam.get_by_label(ACTION)).to_be_checked()
    sam.get_by_label("The agreed proposal").select_option(label=f"Action area: {AREA}")
    sam.get_by_role("button", name="Approve the chosen actions").click()
    action = Action.objects.get(title=ACTION)
    assert (action.status, action.approved_by) == ("approved", proposal)

    # Reporting inline (HTMX): the area's roll-up follows without a reload.
    row = sam.locator(".action-item").filter(has_text=ACTION)
    expect(row.locator(".status-line")).to_contain_text("Approved")
    sam.wait_for_load_state()  # HTMX is listening
    row.get_by_text("Update the status or progress").click()
    row.get_by_label("Change the status to").select_option(label="In progress")
    row.get_by_role("button", name="Set status").click()
    expect(row.locator(".action-status .message")).to_have_text("Status: In progress.")
    row.get_by_label("Progress (%)").fill("30")
    row.get_by_role("button", name="Save progress").click()
    expect(row.locator(".action-status .message")).to_have_text("Progress: 30%.")
    area_id = ActionArea.objects.get(title=AREA).pk
    expect(sam.locator(f"#area-{area_id}-progress")).to_contain_text("30% done")
    a11y.check(sam)
    assert fits_the_screen(sam)
    screenshot(sam, "workplan-plan-phone")

    sam.get_by_role("link", name="Progress view").click()
    chart = sam.get_by_role("img", name="Progress by action area")
    expect(chart).to_be_visible()
    expect(sam.locator("#areas-progress-desc")).to_have_text(f"{AREA}: 30%.")
    assert fits_the_screen(sam)
    screenshot(sam, "workplan-progress-phone")

    main_nav(sam, "Adapting the model")
    for number in range(1, 6):
        expect(step_state(sam, number)).to_have_text("Done")
    expect(sam.locator(".steps-summary")).to_contain_text("All five steps are done.")
    step_five = sam.locator("#step-5")
    expect(step_five).to_contain_text("1 of 1 actions approved.")
    expect(step_five.locator(".check.is-done")).to_have_count(2)
    screenshot(sam, "workplan-adapting-done-phone")
