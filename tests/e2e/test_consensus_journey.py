"""The committee deciding in a browser: a member blocks a proposal from her phone, with a
reason, and the coordinator sees that it is blocked and why."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from committee.models import Position

from .conftest import PASSWORD, PHONE, fits_the_screen, screenshot, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VAN = "Outreach van stops on the Eastside at night"
REASON = "Police keeping away only while the van is there is not enough for us to be safe."


def test_a_member_blocks_from_her_phone_and_the_coordinator_sees_why(new_page, a11y):
    call_command("seed_demo", password=PASSWORD, stdout=StringIO())

    jade = new_page(PHONE)
    sign_in(jade, "demo-experiential")
    waiting = jade.get_by_role("region", name="Waiting for your position")
    waiting.get_by_role("link", name=VAN).click()
    expect(jade.get_by_role("heading", level=1, name=VAN)).to_be_visible()
    expect(jade.get_by_text("Your seat has not answered yet.")).to_be_visible()
    assert fits_the_screen(jade)
    screenshot(jade, "proposal-phone")

    jade.get_by_label("Block", exact=True).check()
    jade.get_by_role("button", name="Give my seat's position").click()
    expect(jade.get_by_role("alert").first).to_contain_text("needs a reason")
    a11y.check(jade)

    jade.get_by_label("Reason").fill(REASON)
    jade.get_by_role("button", name="Give my seat's position").click()
    panel = jade.locator("#position-panel")
    expect(panel).to_contain_text("Your seat's current position: Block")
    expect(panel).to_contain_text("If it closed now")
    expect(panel.locator(".outcome .result")).to_contain_text("Blocked")
    a11y.check(jade)
    assert fits_the_screen(jade)
    screenshot(jade, "proposal-blocked-phone")
    [position] = Position.objects.filter(proposal__title=VAN, given_by__display_name="Jade")
    assert (position.stance, position.reason, position.is_current) == ("block", REASON, True)

    coordinator = new_page()
    sign_in(coordinator, "demo-coordinator")
    coordinator.get_by_role("navigation", name="Main").get_by_role("link", name="Proposals").click()
    item = coordinator.locator(".proposal-item").filter(has_text=VAN)
    expect(item).to_contain_text(re.compile("If it closed now: Blocked"))
    item.get_by_role("link", name=VAN).click()
    blocked_by = coordinator.locator(".outcome .concerns").first
    expect(blocked_by).to_contain_text("Current and former sex workers")
    expect(blocked_by).to_contain_text("Jade")
    expect(blocked_by).to_contain_text(REASON)
    screenshot(coordinator, "proposal-blocked-coordinator")
