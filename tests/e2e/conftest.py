"""Browser journeys: Playwright (sync API) driving Debian's `chromium` against pytest-django's
live server. Never a downloaded browser: without /usr/bin/chromium the journeys are skipped on a
developer's machine and fail in CI.

The live server runs in this process, so a journey can read `django.core.mail.outbox` and the
database directly. Journeys need a transactional database; `serialized_rollback` (set on each
e2e module) puts back what the data migrations load (the sector templates) after each flush.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No network here beyond package registries: keep Chromium from calling home.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
PASSWORD = "a-Long-test-pass-2026"  # every persona's password (tests/conftest.py)


@pytest.fixture(scope="package")
def browser(django_db_setup) -> Iterator:
    """One Chromium for the journeys of this package, stopped before any other test runs."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    test_connections = {alias: connections[alias] for alias in connections}
    unsafe_before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # Between its calls, Playwright's sync API leaves its event loop marked as running in this
    # thread, and Django refuses ORM calls from a thread with a running loop. Ours are sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            # With a loop marked as running, Django looks connections up per async context
            # instead of per thread, and would open new ones: without the test database's
            # serialized contents (serialized_rollback would restore nothing) and, on SQLite,
            # not the connection the live server shares. Keep the connections we have.
            for alias, connection in test_connections.items():
                connections[alias] = connection
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if unsafe_before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = unsafe_before


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (own cookies: a different person's browser)."""
    contexts = []

    def open_page(viewport: dict = DESKTOP):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="en-CA")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def screenshot(page, name: str) -> None:
    """Keep a picture of a page the journey visited (test-artifacts/ is gitignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.get_by_role("button", name="Sign in").click()
