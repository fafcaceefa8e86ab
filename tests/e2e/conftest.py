"""Browser journeys: Playwright (sync API) driving Debian's `chromium` against pytest-django's
live server. Never a downloaded browser: without /usr/bin/chromium the journeys are skipped on a
developer's machine and fail in CI.

Every page a journey opens through `new_page` is checked for accessibility with axe-core (from
the npm registry, `make install`), against WCAG 2.0, 2.1 and 2.2 A and AA: see `A11yAudit`.

The live server runs in this process, so a journey can read `django.core.mail.outbox` and the
database directly. Journeys need a transactional database; `serialized_rollback` (set on each
e2e module) puts back what the data migrations load (the sector templates) after each flush.
"""

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
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
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = ["serious", "critical"]

CHECK_PATH = "/__a11y__/"  # answered by the test's route, never by the server
AXE_TIMEOUT_MS = 20_000  # a check still running then ends with an error (the test fails)

# Runs in every document of a checked context, after axe's own source. A document of the live
# server checks itself once its DOM, stylesheets and images are in (it has no web fonts), and
# posts the result to CHECK_PATH + its id. Until then its `load` event waits: from
# DOMContentLoaded it also loads an image from CHECK_PATH + its id, which the test's route
# answers only once the result is in. So a document that has fired `load` has always been
# checked, and no step of a test ever waits for a check except by waiting for a page to load.
# Each run settles within AXE_TIMEOUT_MS, with an error if axe has not finished.
# `__a11y.check()` checks the document again as it is now (after an HTMX swap); runs are
# chained, as axe runs one at a time. A document that is not HTML (JSON, a static file) posts
# that it was skipped.
AXE_IN_PAGE = """
(() => {
  if (location.origin !== %(origin)s) return;
  const address = %(path)s + `${Date.now()}-${Math.random()}`.replace(".", "");
  const loadedAt = location.href;
  const options = {runOnly: {type: "tag", values: %(tags)s}, resultTypes: ["violations"]};
  const failing = %(impacts)s;
  const loaded = (element) => new Promise((resolve) => {
    element.addEventListener("load", resolve);
    element.addEventListener("error", resolve);
  });
  const ready = () => Promise.all([
    ...[...document.querySelectorAll('link[rel="stylesheet"]')]
      .filter((link) => !link.sheet && !performance.getEntriesByName(link.href).length)
      .map(loaded),
    ...[...document.images].filter((i) => !i.complete && i.loading !== "lazy").map(loaded),
  ]);
  const axeRun = () => axe.run(document, options).then(
    (result) => ({
      violations: result.violations.filter((v) => failing.includes(v.impact)).map((v) => ({
        rule: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => n.target.join(" ") + " -- " + n.failureSummary),
      })),
    }),
    (error) => ({error: String(error), violations: []}),
  );
  const once = () => document.contentType === "text/html"
    ? axeRun() : {skipped: document.contentType, violations: []};
  const late = () => new Promise((resolve) => setTimeout(
    () => resolve({error: "no result within %(timeout)s ms", violations: []}), %(timeout)s
  ));
  let last = Promise.resolve();
  const check = (url) => {
    last = last.then(once, once);
    return Promise.race([last, late()]).then((result) => ({url, ...result}));
  };
  const hold = new Image();
  window.__a11y = {check: () => check(location.href), hold};
  document.addEventListener("DOMContentLoaded", () => {
    hold.src = address;
    Promise.race([ready(), late()]).then(() => check(loadedAt)).then(
      (result) => fetch(address, {method: "POST", body: JSON.stringify(result)})
    );
  });
})();
"""


def fits_the_screen(page) -> bool:
    """No sideways scrolling, measured once the page has loaded: before its stylesheet is in,
    a page laid out without it may well be wider than a phone."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _missing(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="package")
def browser(django_db_setup) -> Iterator:
    """One Chromium for the journeys of this package, stopped before any other test runs."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`).")
    if not AXE.exists():
        _missing(f"{AXE} is missing: run `npm ci` (part of `make install`) for axe-core.")
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


def _document(url: str) -> str:
    """The address of a document, without the fragment that a page may have moved to."""
    return url.split("#", 1)[0]


@dataclass
class A11yAudit:
    """The accessibility check of one test's pages: no violation of impact serious or critical
    of WCAG 2.0/2.1/2.2 A and AA, on any page of the live server that a test loaded.

    Each document checks itself before its `load` event can fire (`AXE_IN_PAGE`): the context's
    route keeps the result, and only then answers the request that holds the document's `load`.
    Nothing else is held or waited for: a step that leaves a page before it has loaded leaves
    it unchecked, and unloaded. `check` checks a page again as it is now (after an HTMX swap,
    a new viewport). At the end, every document a page loaded must have its result (a check
    of the check itself: the route cannot lose one)."""

    origin: str
    axe_source: str
    results: list[dict] = field(default_factory=list)  # every check's result, in order
    loaded: list[str] = field(default_factory=list)  # the address of each document loaded
    checked: list[str] = field(default_factory=list)  # ... of each document checked as loaded
    held: dict = field(default_factory=dict)  # check address -> the request holding its load
    answered: set[str] = field(default_factory=set)  # check addresses whose result is in
    finished: bool = False
    timeout_ms: int = AXE_TIMEOUT_MS  # for the contexts watched from then on

    def watch(self, context) -> None:
        context.add_init_script(
            script=self.axe_source
            + AXE_IN_PAGE
            % {
                "origin": json.dumps(self.origin),
                "path": json.dumps(CHECK_PATH),
                "tags": json.dumps(WCAG_TAGS),
                "impacts": json.dumps(FAILING_IMPACTS),
                "timeout": self.timeout_ms,
            }
        )
        context.route(f"{self.origin}{CHECK_PATH}*", self._route)
        context.on("page", lambda page: page.on("load", self._on_load))

    def _on_load(self, page) -> None:
        # By the time this runs, a test may already have followed a link within the page
        # (a skip link): the document is the same whatever its fragment.
        if not self.finished and page.url.startswith(self.origin + "/"):
            self.loaded.append(_document(page.url))

    def _route(self, route, request) -> None:
        """A document's result (POST), or the request that holds its `load` until then."""
        address = request.url
        if request.method == "POST":
            result = json.loads(request.post_data)
            self.results.append(result)
            self.checked.append(_document(result["url"]))
            self.answered.add(address)
            route.fulfill(status=204)
            if address in self.held:
                self.held.pop(address).fulfill(status=204)
        elif address in self.answered:
            route.fulfill(status=204)
        else:
            self.held[address] = route

    def check(self, page) -> dict:
        """Check the page as it is now (after an HTMX swap, say); fail at once on a violation."""
        result = page.evaluate("() => window.__a11y ? window.__a11y.check() : null")
        assert result is not None and "skipped" not in result, f"{page.url}: not an HTML page"
        self.results.append(result)
        failures = self.failures([result])
        assert not failures, f"Accessibility violations after an update:\n{failures}"
        return result

    def settle(self, page) -> None:
        """Wait until the page has loaded, and so been checked."""
        if not page.is_closed():
            page.wait_for_load_state("load")

    def unchecked(self) -> list[str]:
        return list((Counter(self.loaded) - Counter(self.checked)).elements())

    def finish(self, pages) -> None:
        """At the end of a test, let each page finish loading (and so its check)."""
        try:
            for page in pages:
                self.settle(page)
        finally:
            self.finished = True  # what loads while the pages close is not the test's

    @staticmethod
    def failures(results) -> str:
        lines = []
        for result in results:
            if "error" in result:
                lines.append(f"{result['url']}: axe-core could not run: {result['error']}")
            for violation in result["violations"]:
                lines.append(
                    f"{result['url']}: {violation['rule']} ({violation['impact']}): "
                    f"{violation['help']}"
                )
                lines.extend(f"    {node}" for node in violation["nodes"])
        return "\n".join(lines)

    def verify(self) -> None:
        unchecked = self.unchecked()
        assert not unchecked, f"Pages loaded without an accessibility check: {unchecked}"
        failures = self.failures(self.results)
        assert not failures, f"Accessibility violations (WCAG A/AA, serious, critical):\n{failures}"


@pytest.fixture(scope="package")
def axe_source(browser) -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def a11y(live_server, axe_source) -> A11yAudit:
    return A11yAudit(origin=live_server.url, axe_source=axe_source)


@pytest.fixture
def new_page(browser, live_server, a11y):
    """Open a page in a fresh browser context (own cookies: a different person's browser),
    in English unless `locale` says otherwise (the browser's Accept-Language). Every page it
    loads is checked with axe-core, and the test fails on a serious or critical violation."""
    contexts = []

    def open_page(viewport: dict = DESKTOP, locale: str = "en-CA"):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, locale=locale)
        # Generous: a page's load waits for its axe check, which a busy machine slows.
        context.set_default_timeout(30_000)
        a11y.watch(context)
        contexts.append(context)
        return context.new_page()

    yield open_page
    try:
        a11y.finish([page for context in contexts for page in context.pages])
    finally:
        for context in contexts:
            context.close()
    a11y.verify()


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
