"""Someone whose role requires two-step sign-in cannot act before setting it up, on any address
the project routes: every page (read or write) leads to setting it up, every API call answers
403, and nothing is written; only setting it up, signing out and the token endpoint (which
checks the code itself) open. Also for a session still owing its code."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stakeholders.models import AuditEntry
from tests.test_two_factor import sign_in, turn_on

VALUES = {"slug": "riverside", "format": "json"}


def routed_paths(patterns=None, prefix: str = "") -> list[str]:
    """One concrete address per routed pattern: ids 1, the community `riverside`, other
    parameters `x`."""
    paths = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = str(pattern.pattern).lstrip("^").rstrip("$")
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: _value("int", m.group(1)), text)
        text = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: _value(m.group(1), m.group(2)), text)
        text = text.replace("\\.", ".").replace("/?", "/")
        if isinstance(pattern, URLResolver):
            paths += routed_paths(pattern.url_patterns, prefix + text)
        elif isinstance(pattern, URLPattern):
            paths.append("/" + prefix + text)
    return sorted(set(paths))


def _value(converter: str | None, name: str) -> str:
    if name in VALUES:
        return VALUES[name]
    return "1" if converter == "int" or name in {"pk", "id", "object_id"} else "x"


@pytest.fixture
def two_factor_required(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["coordinator", "administrator"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_the_walk_covers_pages_api_and_admin():
    paths = routed_paths()
    assert "/c/riverside/proposals/1/position/" in paths
    assert "/api/v1/proposals/1/positions/" in paths
    assert any(path.startswith("/admin/") for path in paths)
    assert len(paths) > 150


@pytest.mark.parametrize("owes", ["set-up", "code"])
def test_nothing_opens_before_two_step_sign_in_is_done(personas, seated, two_factor_required, owes):
    coordinator = personas.coordinator
    if owes == "code":
        turn_on(coordinator)
        step_page = reverse("two-factor-verify")
    else:
        step_page = reverse("two-factor-setup")
    client = Client()
    assert sign_in(client, coordinator).status_code == 302
    open_anyway = {step_page, reverse("logout"), reverse("api:api-token")}
    entries_before = AuditEntry.objects.count()

    for path in routed_paths():
        if path in open_anyway:
            continue
        for method in (client.get, client.post):
            response = method(path)
            if path.startswith("/api/"):
                assert response.status_code == 403, f"{method.__name__} {path}"
            else:
                assert response.status_code == 302, f"{method.__name__} {path}"
                assert response["Location"].startswith(step_page), f"{method.__name__} {path}"

    assert AuditEntry.objects.count() == entries_before
