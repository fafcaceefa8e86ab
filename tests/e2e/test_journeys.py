"""What people do in a browser: sign in, onboard an organization, follow an invitation link."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from stakeholders import services
from stakeholders.models import Person

from .conftest import PASSWORD, screenshot, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LINK = re.compile(r"https?://\S+/invitations/\S+/")


def heading(page, text):
    return page.get_by_role("heading", level=1, name=re.compile(text))


def test_a_committee_member_signs_in_and_sees_their_committee(page, personas):
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    screenshot(page, "login")

    sign_in(page, personas.police.user.username)

    expect(heading(page, "Riverside steering committee")).to_be_visible()
    you = page.get_by_role("region", name="You", exact=True)
    expect(you).to_contain_text(personas.police.display_name)
    expect(you).to_contain_text("Law enforcement")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    screenshot(page, "community-home")


def test_an_administrator_onboards_an_organization_and_its_contact_joins(
    new_page, personas, live_server, settings
):
    settings.SITE_URL = live_server.url  # links in emails point at the server under test
    admin = new_page()
    sign_in(admin, personas.admin.user.username)
    expect(heading(admin, "Riverside steering committee")).to_be_visible()

    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Onboarding").click()
    expect(heading(admin, "Onboarding")).to_be_visible()
    register = admin.get_by_role("region", name="Register an organization and invite its contact")
    register.get_by_label("Organization name").fill("Riverside Youth Drop-in")
    register.get_by_label("Sector").select_option(label="Youth and youth-serving organizations")
    register.get_by_label("Contact person's name").fill("Lee Ng")
    register.get_by_label("Contact person's email").fill("lee@youth.example.org")
    register.get_by_label("Language of the invitation").select_option(label="English")
    screenshot(admin, "onboarding-filled")
    register.get_by_role("button", name="Register and send invitation").click()

    expect(admin.get_by_role("status")).to_contain_text(
        "Riverside Youth Drop-in is registered and its contact is invited."
    )
    invitations = admin.get_by_role("region", name="Invitations", exact=True)
    row = invitations.get_by_role("row").filter(has_text="lee@youth.example.org")
    expect(row).to_contain_text("Riverside Youth Drop-in")
    expect(row).to_contain_text("Sent, waiting")
    screenshot(admin, "onboarding-sent")

    assert [message.to for message in mail.outbox] == [["lee@youth.example.org"]]
    link = LINK.search(mail.outbox[0].body).group(0)
    assert link.startswith(live_server.url)
    path = urlsplit(link).path

    # The contact opens the link in their own browser.
    invitee = new_page()
    invitee.goto(path)
    expect(heading(invitee, "Join the Riverside steering committee")).to_be_visible()
    expect(invitee.get_by_role("main")).to_contain_text(
        "You are invited on behalf of Riverside Youth Drop-in."
    )
    expect(invitee.get_by_label("Your name on the committee")).to_have_value("Lee Ng")
    invitee.get_by_label("Your name on the committee").fill("Lee Nguyen")
    invitee.get_by_label("Username (to sign in)").fill("lee")
    invitee.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    invitee.get_by_label("Password again").fill(PASSWORD)
    screenshot(invitee, "invitation-accept")
    invitee.get_by_role("button", name="Create my account").click()

    expect(heading(invitee, "Riverside steering committee")).to_be_visible()
    expect(invitee.get_by_role("status")).to_contain_text("Welcome to the committee, Lee Nguyen")
    you = invitee.get_by_role("region", name="You", exact=True)
    expect(you).to_contain_text("Lee Nguyen")
    expect(you).to_contain_text("Riverside Youth Drop-in")
    expect(you).to_contain_text("Youth and youth-serving organizations")
    committee = invitee.get_by_role("region", name="The committee")
    expect(committee).to_contain_text("6 organizations")  # five before the youth drop-in
    # Joining is not a seat: the sector waits for a coordinator to seat it.
    expect(committee).to_contain_text("Sectors without a seat on the committee yet:")
    expect(committee).to_contain_text("Youth and youth-serving organizations")
    screenshot(invitee, "invitee-home")
    person = Person.objects.get(user__username="lee")
    assert person.community == personas.community
    assert person.organization.name == "Riverside Youth Drop-in"

    # The link works once.
    used = new_page()
    response = used.goto(path)
    assert response.status == 410
    expect(heading(used, "This invitation link cannot be used")).to_be_visible()
    expect(used.get_by_role("main")).to_contain_text("The invitation has already been used.")
    screenshot(used, "invitation-used")

    admin.reload()
    expect(row).to_contain_text("Accepted")


def test_a_tampered_invitation_link_is_refused(page, personas):
    invitation = services.invite_person(
        actor=personas.coordinator,
        email="someone@example.org",
        sectors=[personas.sector("residents")],
    )
    token = services.invitation_token(invitation)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    response = page.goto(f"/invitations/{tampered}/")

    assert response.status == 404
    expect(heading(page, "This invitation link cannot be used")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("The link is not valid.")
    expect(page.get_by_role("link", name="Go to sign in")).to_be_visible()
    screenshot(page, "invitation-invalid")
    assert Person.objects.filter(email="someone@example.org").exists() is False


def test_quick_exit_leaves_for_the_neutral_site_at_once(new_page, personas, live_server, settings):
    settings.QUICK_EXIT_URL = (
        f"{live_server.url}/static/js/README.md"  # stands in for a neutral site
    )
    page = new_page()
    sign_in(page, personas.experiential.user.username)
    page.goto("/c/riverside/people/")

    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Quick exit").click()
    neutral = opened.value
    neutral.wait_for_load_state()
    assert neutral.url == settings.QUICK_EXIT_URL
    assert neutral.evaluate("history.length") == 1  # nothing of the platform behind it
    page.wait_for_url(settings.QUICK_EXIT_URL)  # and the platform's tab shows it too

    page.goto("/c/riverside/people/")
    with page.context.expect_page():
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    page.wait_for_url(settings.QUICK_EXIT_URL)
