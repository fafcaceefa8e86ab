"""Everything without a mouse: the journeys people make most, with the keyboard alone (Tab,
Shift+Tab, arrows, Enter, Space and typing; no click), on the demo community. Wherever the focus
lands it is visible, the skip link leads to the page's content, and a form's errors are tied to
their fields so that a screen reader reads them with the field."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from committee.models import Meeting, Position, Rsvp
from stakeholders.models import Organization
from workplans.models import Action

from .conftest import DESKTOP, PASSWORD, PHONE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VAN = "Outreach van stops on the Eastside at night"
MEETING = "Steering committee — monthly meeting"
ACTION = "Run the outreach van three nights a week"

FOCUS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    visible: element.matches(":focus-visible"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    describe: element.outerHTML.slice(0, 120),
  };
}"""


def assert_focus_is_visible(page) -> None:
    focus = page.evaluate(FOCUS)
    assert focus["visible"] and (focus["outline"] or focus["shadow"]), focus["describe"]


def has_focus(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, *, backwards: bool = False, most: int = 80) -> None:
    """Press Tab (or Shift+Tab) until `locator` has the focus, checking it shows."""
    for _ in range(most):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if has_focus(locator):
            assert_focus_is_visible(page)
            return
    raise AssertionError(f"{locator} never got the focus in {most} presses")


def sign_in_by_keyboard(page, username: str) -> None:
    """The sign-in page puts the focus in its first field; then the skip link of the page that
    follows leads past the header and its menu, into the page's own content."""
    page.goto("/accounts/login/")
    assert has_focus(page.get_by_label("Username"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert has_focus(page.get_by_label(re.compile("^Password")))
    assert_focus_is_visible(page)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert has_focus(skip)
    assert_focus_is_visible(page)
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # on screen once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert_focus_is_visible(page)


@pytest.fixture
def demo(live_server, settings):
    settings.SITE_URL = live_server.url
    call_command("seed_demo", password=PASSWORD, stdout=StringIO())


def test_a_member_reads_a_proposal_and_gives_her_position_from_her_phone_by_keyboard(
    new_page, a11y, demo
):
    page = new_page(PHONE)
    sign_in_by_keyboard(page, "demo-experiential")

    waiting = page.get_by_role("region", name="Waiting for your position")
    tab_to(page, waiting.get_by_role("link", name=VAN))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=VAN)).to_be_visible()
    page.wait_for_load_state()  # HTMX is listening

    # A block without a reason: the error is announced and tied to the reason field.
    tab_to(page, page.get_by_label("Agree", exact=True))
    for _ in range(3):  # Agree -> Agree with reservations -> Stand aside -> Block
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Block", exact=True)).to_be_checked()
    submit = page.get_by_role("button", name="Give my seat's position")
    tab_to(page, submit)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("needs a reason")
    a11y.check(page)
    reason = page.get_by_label("Reason")
    expect(reason).to_have_attribute("aria-invalid", "true")
    described_by = reason.get_attribute("aria-describedby").split()
    explained = " ".join(page.locator(f"#{name}").inner_text() for name in described_by)
    assert "needs a reason" in explained
    expect(reason).to_be_focused()  # the focus went where the fix is

    # She reconsiders: agree with reservations, with her reason.
    page.keyboard.type("Only if peers choose the stops.")
    tab_to(page, page.get_by_label("Block", exact=True), backwards=True)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.get_by_label("Agree with reservations", exact=True)).to_be_checked()
    tab_to(page, submit)
    page.keyboard.press("Space")
    panel = page.locator("#position-panel")
    expect(panel).to_contain_text("Your seat's current position: Agree with reservations")
    a11y.check(page)
    assert_focus_is_visible(page)
    position = Position.objects.get(
        proposal__title=VAN, given_by__user__username="demo-experiential", is_current=True
    )
    assert (position.stance, position.reason) == ("reservations", "Only if peers choose the stops.")


def test_a_member_answers_a_meeting_by_keyboard(new_page, a11y, demo):
    page = new_page(DESKTOP)
    sign_in_by_keyboard(page, "demo-police")
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name=MEETING))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=MEETING)).to_be_visible()

    attending = page.locator("#rsvp-panel").get_by_role("button", name="Attending", exact=True)
    tab_to(page, attending)
    page.keyboard.press("Enter")

    expect(page.locator("#rsvp-panel")).to_contain_text("Your answer is saved: Attending.")
    expect(attending).to_have_attribute("aria-pressed", "true")
    assert has_focus(attending)
    assert_focus_is_visible(page)
    a11y.check(page)
    meeting = Meeting.objects.get(title=MEETING)
    assert Rsvp.objects.get(meeting=meeting, person__user__username="demo-police").answer == (
        "attending"
    )


def test_a_coordinator_updates_an_actions_status_and_progress_by_keyboard_on_a_phone(
    new_page, a11y, demo
):
    action = Action.objects.get(title=ACTION)
    page = new_page(PHONE)
    sign_in_by_keyboard(page, "demo-coordinator")
    page.goto(f"/c/riverside/workplan/actions/{action.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ACTION)

    status = page.get_by_label("Change the status to")
    tab_to(page, status)
    choice = status.evaluate("select => select.options[select.selectedIndex].text")
    page.keyboard.press("ArrowDown")  # a closed list changes its choice in place
    chosen = status.evaluate("select => select.options[select.selectedIndex].text")
    assert chosen != choice
    tab_to(page, page.get_by_role("button", name="Set status"))
    page.keyboard.press("Enter")
    expect(page.locator(".action-status .message")).to_have_text(f"Status: {chosen}.")
    a11y.check(page)

    progress = page.get_by_label("Progress (%)", exact=True)
    if progress.count():  # a status that still takes progress
        tab_to(page, progress)
        page.keyboard.press("Control+A")
        page.keyboard.type("75")
        page.keyboard.press("Enter")
        expect(page.locator(".action-status .message")).to_have_text("Progress: 75%.")
        a11y.check(page)
        action.refresh_from_db()
        assert action.progress == 75
    action.refresh_from_db()
    assert action.get_status_display() == chosen


def test_an_administrator_onboards_an_organization_by_keyboard(new_page, a11y, demo):
    page = new_page(PHONE)
    sign_in_by_keyboard(page, "demo-admin")
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Onboarding"))
    page.keyboard.press("Enter")
    register = page.get_by_role("region", name="Register an organization and invite its contact")

    # A name already taken: the error is announced and tied to its field.
    name = register.get_by_label("Organization name")
    tab_to(page, name)
    page.keyboard.type("Peers Riverside")
    tab_to(page, register.get_by_label("Sector"))
    page.keyboard.type("Youth")  # a closed list jumps to the choice typed
    sector = register.get_by_label("Sector").evaluate("s => s.options[s.selectedIndex].text")
    assert sector == "Youth and youth-serving organizations"
    tab_to(page, register.get_by_label("Contact person's name"))
    page.keyboard.type("Lee Ng")
    tab_to(page, register.get_by_label("Contact person's email"))
    page.keyboard.type("lee@youth.example.org")
    tab_to(page, register.get_by_role("button", name="Register and send invitation"))
    page.keyboard.press("Enter")

    expect(name).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").first).to_be_visible()
    described_by = name.get_attribute("aria-describedby").split()
    explained = " ".join(page.locator(f"#{each}").inner_text() for each in described_by)
    assert "Peers Riverside" in explained or "already" in explained, explained

    tab_to(page, name)
    page.keyboard.press("Control+A")
    page.keyboard.type("Riverside Youth Drop-in")
    tab_to(page, register.get_by_role("button", name="Register and send invitation"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text(
        "Riverside Youth Drop-in is registered and its contact is invited."
    )
    organization = Organization.objects.get(name="Riverside Youth Drop-in")
    assert organization.sector.key == "youth"
