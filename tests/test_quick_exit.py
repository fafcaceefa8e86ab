"""Every page carries a visible "Quick exit" to a neutral site: signed in or not, and on error
pages too."""

import pytest


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/c/riverside/", "/c/riverside/proposals/", "/nowhere/"]
)
def test_every_page_carries_the_quick_exit(client, personas, settings, path):
    settings.QUICK_EXIT_URL = "https://weather.example.org/"
    if path != "/accounts/login/":
        client.force_login(personas.resident.user)
    html = client.get(path).content.decode()
    assert (
        '<a class="quick-exit" href="https://weather.example.org/" rel="noreferrer" '
        "data-quick-exit" in html
    )
    assert '<script src="/static/js/quick-exit.js" defer></script>' in html
