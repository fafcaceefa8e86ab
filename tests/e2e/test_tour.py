"""A tour of every main page of the demo community, in English and in Canadian French, on a
phone (390×844) and on a desktop: each page passes the accessibility check (axe-core, through
`new_page`), never scrolls sideways, and leaves a full-page screenshot in
test-artifacts/screenshots/tour/ (<language>-<size>-<page>.png) so that changes to the look can
be reviewed.

French comes from the browser's Accept-Language before signing in, and from the person's
preferred language after. One browser context per language, resized for the second size, keeps
the tour to about a minute."""

import re
import time
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from committee.models import Meeting, Proposal
from stakeholders.models import Person
from workplans.models import Action

from .conftest import DESKTOP, PASSWORD, PHONE, SCREENSHOTS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TOUR = SCREENSHOTS / "tour"
SIGN_IN = {"en": "Sign in", "fr": "Se connecter"}
# One word each language shows on every signed-in page: the main navigation's name.
MAIN_NAV = {"en": "Main", "fr": "Principal"}


def tour_pages() -> dict[str, str]:
    """Every main page, as the demo coordinator sees it (a coordinator sees them all)."""
    c = "/c/riverside"
    van = Proposal.objects.get(title="Outreach van stops on the Eastside at night")
    next_meeting = Meeting.objects.get(title="Steering committee — monthly meeting")
    past_meeting = Meeting.objects.get(title="Steering committee — last month")
    action = Action.objects.filter(community__slug="riverside").order_by("pk").first()
    return {
        "community-home": f"{c}/",
        "committee": f"{c}/committee/",
        "stakeholder-map": f"{c}/map/",
        "people": f"{c}/people/",
        "onboarding": f"{c}/onboarding/",
        "proposals": f"{c}/proposals/",
        "proposal": f"{c}/proposals/{van.pk}/",
        "proposal-new": f"{c}/proposals/new/",
        "meetings": f"{c}/meetings/",
        "meeting": f"{c}/meetings/{next_meeting.pk}/",
        "meeting-past-minutes": f"{c}/meetings/{past_meeting.pk}/",
        "minutes-edit": f"{c}/meetings/{past_meeting.pk}/minutes/",
        "notifications": f"{c}/notifications/",
        "notification-preferences": f"{c}/notifications/settings/",
        "calendar": f"{c}/me/calendar/",
        "adapting": f"{c}/adapting/",
        "workplan": f"{c}/workplan/",
        "needs": f"{c}/needs/",
        "priorities": f"{c}/priorities/",
        "action": f"{c}/workplan/actions/{action.pk}/",
        "progress": f"{c}/workplan/progress/",
        "audit-trail": f"{c}/audit/",
        "my-profile": f"{c}/me/",
        "my-data": f"{c}/me/data/",
        "sessions": f"{c}/me/sessions/",
        "two-factor": "/accounts/two-factor/setup/",
        "password": f"{c}/me/password/",
    }


def look_at(page, a11y, language: str, name: str) -> None:
    """Check the page as shown at both sizes: accessible, no sideways scrolling, a picture."""
    for size_name, size in [("phone", PHONE), ("desktop", DESKTOP)]:
        if page.viewport_size != size:
            page.set_viewport_size(size)
            a11y.check(page)  # the layout changed: targets, reflow, contrast of what shows now
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{name} ({language}, {size_name}) scrolls sideways: {width}"
        page.screenshot(path=str(TOUR / f"{language}-{size_name}-{name}.png"), full_page=True)
    page.set_viewport_size(PHONE)


@pytest.fixture
def demo(live_server, settings):
    settings.SITE_URL = live_server.url
    call_command("seed_demo", password=PASSWORD, stdout=StringIO())
    return Person.objects.get(user__username="demo-coordinator")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_main_page_reads_well_in_both_languages_on_a_phone_and_a_desktop(
    new_page, a11y, demo, language
):
    started = time.monotonic()
    TOUR.mkdir(parents=True, exist_ok=True)
    Person.objects.filter(pk=demo.pk).update(preferred_language=language)
    page = new_page(PHONE, locale="fr-CA" if language == "fr" else "en-CA")

    # Before signing in, the browser's language decides.
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1, name=SIGN_IN[language])).to_be_visible()
    look_at(page, a11y, language, "login")
    page.locator("#id_username").fill("demo-coordinator")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN[language]).click()
    expect(page.get_by_role("navigation", name=MAIN_NAV[language])).to_be_visible()

    for name, path in tour_pages().items():
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        look_at(page, a11y, language, name)

    loaded = set(a11y.loaded)
    assert len(loaded) >= len(tour_pages()) + 1
    print(f"tour in {language}: {len(loaded)} pages in {time.monotonic() - started:.1f} s")


def test_french_pages_name_the_sectors_in_french(new_page, demo):
    Person.objects.filter(pk=demo.pk).update(preferred_language="fr")
    page = new_page(PHONE, locale="fr-CA")
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("demo-coordinator")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.goto("/c/riverside/map/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Travailleuses et travailleurs du sexe, actuels et anciens")
    expect(main).to_contain_text("Forces de l'ordre")
    expect(main).not_to_contain_text("Current and former sex workers")
    expect(main).not_to_contain_text(re.compile(r"\bLaw enforcement\b"))
