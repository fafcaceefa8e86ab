"""Two-step sign-in on a phone: a coordinator signs in for the first time, sets it up by typing
the key shown into an app, keeps the recovery codes, and then sees where they are signed in."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import hotp
from playwright.sync_api import expect

from .conftest import PHONE, fits_the_screen, screenshot, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def app_code(secret: str) -> str:
    """What an authenticator app given this key shows now."""
    key = b32decode(secret.replace(" ", ""))
    return f"{hotp(key, int(time.time()) // 30, digits=6):06d}"


def test_a_coordinator_sets_up_two_step_sign_in_from_a_phone(new_page, personas, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["coordinator", "administrator"]
    page = new_page(PHONE)
    blocked_by_csp = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and blocked_by_csp.append(message.text)
        ),
    )

    sign_in(page, personas.coordinator.user.username)

    expect(page.get_by_role("heading", level=1, name="Set up two-step sign-in")).to_be_visible()
    expect(page.get_by_text("Your role requires two-step sign-in.")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your app")).to_be_visible()
    assert fits_the_screen(page)
    screenshot(page, "two-factor-setup-phone")
    secret = page.locator("code.secret").inner_text()

    page.get_by_label("The 6-digit code your app shows").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    expect(page.get_by_role("heading", level=1, name="Your recovery codes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    screenshot(page, "two-factor-recovery-codes-phone")
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(
        page.get_by_role("heading", level=1, name="Riverside steering committee")
    ).to_be_visible()

    page.goto("/c/riverside/me/")
    page.get_by_role("link", name="Where you are signed in").click()
    session = page.locator(".account-session")
    expect(session).to_have_count(1)
    expect(session).to_contain_text("This device")
    expect(session).to_contain_text("Chrome on Linux")
    assert fits_the_screen(page)
    screenshot(page, "sessions-phone")
    assert blocked_by_csp == []
