"""htmx is a static file of ours (no CDN at run time), loaded within the Content-Security-Policy:
no inline script, no eval, no injected style, and its requests carry the CSRF token."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

HTMX = "js/htmx.min.js"
CSRF_SCRIPT = "js/htmx-csrf.js"
LOGIN_URL = "/accounts/login/"

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.metas: list[dict[str, str | None]] = []
        self.body: dict[str, str | None] | None = None
        self._in_script = False
        self.script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
            self._in_script = True
        elif tag == "meta":
            self.metas.append(attributes)
        elif tag == "body":
            self.body = attributes

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text.append(data)


def parse(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    page.close()
    return page


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0].lower()] = tokens[1:]
    return directives


def test_login_page_loads_htmx_from_our_static_files(client):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    page = parse(response)
    sources = [script.get("src") for script in page.scripts]
    assert settings.STATIC_URL.lstrip("/") == "static/"
    assert "/static/js/htmx.min.js" in sources
    # Every script is a file of ours: none inline, none from another host.
    assert all(src for src in sources), f"inline <script> in the page: {page.scripts}"
    assert not "".join(page.script_text).strip()
    assert all(src.startswith("/static/") for src in sources), sources


def test_htmx_config_keeps_it_within_the_csp(client):
    page = parse(client.get(LOGIN_URL))
    configs = [meta for meta in page.metas if meta.get("name") == "htmx-config"]
    assert len(configs) == 1
    config = json.loads(configs[0]["content"])
    assert config["allowEval"] is False
    assert config["includeIndicatorStyles"] is False


def test_htmx_requests_carry_the_csrf_token():
    """static/js/htmx-csrf.js sets X-CSRFToken on every htmx request from the page's own
    csrfmiddlewaretoken field (or the CSRF cookie); Django accepts that header alone."""
    script = (Path(settings.BASE_DIR) / "static" / CSRF_SCRIPT).read_text()
    assert "htmx:configRequest" in script
    assert 'event.detail.headers["X-CSRFToken"]' in script
    assert 'input[name="csrfmiddlewaretoken"]' in script

    client = Client(enforce_csrf_checks=True)
    page = client.get(LOGIN_URL)
    sources = [script.get("src") for script in parse(page).scripts]
    assert sources.index(f"/static/{CSRF_SCRIPT}") > sources.index(f"/static/{HTMX}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    credentials = {"username": "nobody", "password": "wrong"}
    # As htmx sends it: the token in the header only, not in the form.
    with_header = client.post(LOGIN_URL, credentials, headers={"X-CSRFToken": token})
    assert with_header.status_code == 200  # the form again, with its error: CSRF passed
    without_header = client.post(LOGIN_URL, credentials)
    assert without_header.status_code == 403


def test_htmx_wiring_keeps_not_found_pages_identical():
    """No per-render token in the page frame: two visitors' 404 pages are byte-for-byte equal."""
    first = Client().get("/no-such-page/")
    second = Client().get("/no-such-page/")
    assert first.status_code == second.status_code == 404
    assert f"/static/{HTMX}".encode() in first.content
    assert first.content == second.content


def test_vendored_htmx_file_exists_and_is_htmx_2():
    found = finders.find(HTMX)
    assert found, f"{HTMX} not found by the static finders"
    path = Path(found)
    assert path == Path(settings.BASE_DIR) / "static" / HTMX
    content = path.read_text()
    assert path.stat().st_size > 20_000
    assert content.startswith("var htmx=")
    assert 'version:"2.' in content
    license_file = path.with_name("htmx.LICENSE.txt")
    assert "Permission to use, copy, modify" in license_file.read_text()
    readme = (path.parent / "README.md").read_text()
    version = content.split('version:"', 1)[1].split('"', 1)[0]
    assert f"htmx.min.js — htmx {version}" in readme.splitlines()[0]


def test_csp_script_src_allows_only_our_own_files(client):
    directives = csp_directives(client.get(LOGIN_URL))
    assert "script-src" in directives
    script_src = directives["script-src"]
    assert script_src, "empty script-src"
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    # Only quoted keywords ('self', 'none', nonces, hashes): no host, scheme or wildcard.
    external = [source for source in script_src if not source.startswith("'")]
    assert not external, f"script-src allows {external}"
    assert "'self'" in script_src
