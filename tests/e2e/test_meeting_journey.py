"""A meeting in a browser, from the demo: the coordinator schedules it in the community's time
zone, the police member answers from her phone (HTMX, which refreshes the sectors at the table
too), the 24-hour reminder waits in the outbox, the sweep sends it by email and it shows among
her notifications; and a member puts her meetings in her calendar app, by file and by a private
address that she can replace."""

import re
from datetime import timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from committee import services
from committee.models import Meeting, Notification, Rsvp
from stakeholders.models import Community, Person

from .conftest import PASSWORD, PHONE, fits_the_screen, screenshot, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Safety planning with the outreach van"
PLACE = "Old Mill Neighbourhood House, room 2"


def local_input(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def demo(live_server, settings):
    settings.SITE_URL = live_server.url  # links in emails and feeds point at the server under test
    call_command("seed_demo", password=PASSWORD, stdout=StringIO())
    return Community.objects.get(slug="riverside")


def test_the_coordinator_schedules_police_answer_and_the_reminder_goes_out(new_page, a11y, demo):
    zone = ZoneInfo(demo.timezone)
    starts = (timezone.localtime(timezone=zone) + timedelta(days=3)).replace(
        hour=18, minute=30, second=0, microsecond=0
    )
    police = Person.objects.get(user__username="demo-police")

    # The coordinator schedules it, in Riverside's time.
    coordinator = new_page()
    sign_in(coordinator, "demo-coordinator")
    coordinator.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    coordinator.get_by_role("link", name="Schedule a meeting").click()
    expect(coordinator.get_by_text(f"Dates and times are in {demo.timezone}.")).to_be_visible()
    coordinator.get_by_label("Title").fill(TITLE)
    coordinator.get_by_label("Starts at").fill(local_input(starts))
    coordinator.get_by_label("Ends at").fill(local_input(starts + timedelta(hours=2)))
    coordinator.get_by_label("Place").fill(PLACE)
    coordinator.get_by_label("The whole steering committee").check()
    screenshot(coordinator, "meeting-schedule")
    coordinator.get_by_role("button", name="Schedule it").click()

    expect(coordinator.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(coordinator.get_by_text("The meeting is scheduled.")).to_be_visible()
    expect(coordinator.locator(".meeting-meta")).to_contain_text(f"({demo.timezone})")
    expect(coordinator.locator(".meeting-meta")).to_contain_text("6:30 p.m.")
    screenshot(coordinator, "meeting-scheduled")
    meeting = Meeting.objects.get(title=TITLE)
    assert meeting.starts_at == starts  # 6:30 pm in Riverside, stored as that instant
    assert meeting.place == PLACE

    # The police member answers from her phone; HTMX swaps the answer panel in place.
    phone = new_page(PHONE)
    sign_in(phone, "demo-police")
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    phone.get_by_role("link", name=TITLE).click()
    expect(phone.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    panel = phone.locator("#rsvp-panel")
    expect(panel).to_contain_text("You have not answered yet.")
    police_sector = phone.locator("#quorum li", has_text="Law enforcement")
    expect(police_sector).to_contain_text("No word yet")
    address = phone.url
    phone.wait_for_load_state()  # HTMX is listening (a click before that submits the form)
    with phone.expect_response(
        lambda response: (
            response.request.headers.get("hx-request") == "true"
            and response.url.endswith(f"/meetings/{meeting.pk}/rsvp/")
        )
    ) as answered:
        panel.get_by_role("button", name="Attending", exact=True).click()
    assert answered.value.status == 200
    expect(panel).to_contain_text("Your answer is saved: Attending.")
    expect(panel).to_contain_text("Your answer: Attending")
    expect(panel.get_by_role("button", name="Attending", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    # The same response refreshed the sectors at the table (out of band).
    expect(police_sector).to_contain_text("Coming")
    assert phone.url == address  # swapped in place, no page load
    a11y.check(phone)
    assert fits_the_screen(phone)
    screenshot(phone, "meeting-rsvp-phone")
    assert Rsvp.objects.get(meeting=meeting, person=police).answer == "attending"

    # The 24-hour reminder waits in the outbox (the 7-day one would already be past).
    reminders = Notification.objects.filter(meeting=meeting, kind="meeting_reminder")
    mine = reminders.get(recipient=police)
    assert (mine.state, mine.due_at) == ("pending", meeting.starts_at - timedelta(hours=24))
    assert reminders.filter(state="pending").count() == reminders.count() > 1

    # A day and a half later (as far as the outbox knows), the sweep sends it, once.
    reminders.update(due_at=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    assert services.send_due_notifications() >= 1
    assert services.send_due_notifications() == 0
    mine.refresh_from_db()
    assert (mine.state, mine.emailed, mine.in_app) == ("sent", True, True)
    [email] = [
        message
        for message in mail.outbox
        if message.to == [police.email] and TITLE in message.subject
    ]
    assert email.subject.startswith(f"Reminder: {TITLE}")
    assert f"/c/riverside/meetings/{meeting.pk}/" in email.body
    assert PLACE in email.body

    # And it is among her notifications in the app.
    phone.reload()
    nav = phone.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=re.compile(r"^Notifications \(\d+\)$"))).to_be_visible()
    nav.get_by_role("link", name=re.compile("^Notifications")).click()
    item = phone.locator(f"#notification-{mine.pk}")
    expect(item).to_contain_text(f"Reminder: {TITLE}")
    expect(item).to_contain_text("Unread")
    assert fits_the_screen(phone)
    screenshot(phone, "meeting-reminder-phone")
    item.get_by_role("link", name="Open the meeting").click()
    expect(phone.get_by_role("heading", level=1, name=TITLE)).to_be_visible()


def test_a_member_puts_her_meetings_in_her_calendar_app(new_page, demo, browser):
    meeting = Meeting.objects.filter(community=demo, status="scheduled").earliest("starts_at")
    phone = new_page(PHONE)
    sign_in(phone, "demo-police")

    # One meeting, as a file.
    phone.goto(f"/c/riverside/meetings/{meeting.pk}/")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Add to my calendar (.ics)").click()
    ics = download.value.path().read_text(encoding="utf-8")
    assert f"UID:{meeting.uid}@" in ics
    assert "BEGIN:VEVENT" in ics and "STATUS:CONFIRMED" in ics

    # Every meeting she may see, at a private address.
    phone.get_by_role("link", name="Sgt. Alex Chen").click()  # her profile
    phone.get_by_role("link", name="My meetings in my calendar").click()
    expect(phone.get_by_text("Anyone who has this address sees your meetings")).to_be_visible()
    phone.get_by_role("button", name="Make my calendar address").click()
    field = phone.get_by_label("Your calendar address")
    first = field.input_value()
    assert first.startswith(f"{demo_site(phone)}/calendar/") and first.endswith(".ics")
    assert fits_the_screen(phone)
    screenshot(phone, "calendar-feed-phone")

    # A calendar app has no session: it reads the address alone.
    calendar_app = browser.new_context()
    try:
        feed = calendar_app.request.get(first)
        assert feed.status == 200
        assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
        assert f"UID:{meeting.uid}@" in feed.text()

        phone.get_by_role("button", name="Make a new address").click()
        expect(phone.get_by_text("Your new calendar address is ready.")).to_be_visible()
        second = phone.get_by_label("Your calendar address").input_value()
        assert second != first
        assert calendar_app.request.get(first).status == 404
        assert calendar_app.request.get(second).status == 200

        phone.get_by_role("button", name="Stop the feed").click()
        expect(phone.get_by_text("Your calendar feed is stopped.")).to_be_visible()
        assert calendar_app.request.get(second).status == 404
    finally:
        calendar_app.close()


def demo_site(page) -> str:
    scheme, rest = page.url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"


def test_the_coordinator_adds_minutes_rows_in_place_and_loses_nothing(new_page, a11y, demo):
    from committee.demo import PAST_MEETING
    from committee.models import Minutes

    meeting = Meeting.objects.get(community=demo, title=PAST_MEETING)
    before = Minutes.objects.get(meeting=meeting)
    page = new_page()
    sign_in(page, "demo-coordinator")
    page.goto(f"/c/riverside/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Edit the draft minutes").click()
    expect(page.get_by_role("heading", level=1, name="Edit the draft minutes")).to_be_visible()
    decisions = page.locator("#decision-rows")
    actions = page.locator("#action-rows")
    expect(decisions.locator("fieldset.minutes-row")).to_have_count(3)
    body = page.locator("#id_body")
    body.fill(body.input_value() + "\n\nTyped before adding rows.")
    page.get_by_role("group", name="Decision 2").locator("textarea").fill(
        "Minutes go out a week after each meeting."
    )
    address = page.url
    page.wait_for_load_state()  # HTMX is listening

    # HTMX swaps in the decisions with one more row; what was typed elsewhere stays.
    page.get_by_role("button", name="Add a decision").click()
    expect(decisions.locator("fieldset.minutes-row")).to_have_count(4)
    new_row = page.get_by_role("group", name="Decision 4").locator("textarea")
    expect(new_row).to_be_focused()
    expect(page.get_by_role("group", name="Decision 2").locator("textarea")).to_have_value(
        "Minutes go out a week after each meeting."
    )
    assert body.input_value().endswith("Typed before adding rows.")
    assert page.url == address
    new_row.fill("The youth sector gets two weeks' notice.")
    page.get_by_role("button", name="Add an action").click()
    expect(actions.locator("fieldset.minutes-row")).to_have_count(5)
    page.get_by_role("group", name="Action 5").locator('input[type="text"]').fill(
        "Post the minutes"
    )
    expect(new_row).to_have_value("The youth sector gets two weeks' notice.")
    a11y.check(page)
    screenshot(page, "minutes-rows-added")
    assert Minutes.objects.get(pk=before.pk).body == before.body  # nothing saved yet

    # Enter in a field saves (the form's default button), rather than adding another row.
    page.get_by_role("group", name="Action 5").locator('input[type="text"]').press("Enter")
    expect(page.get_by_text("The draft minutes are saved.")).to_be_visible()
    minutes = Minutes.objects.get(pk=before.pk)
    assert minutes.body.endswith("Typed before adding rows.")
    assert [d.text for d in minutes.decisions.all()][1:] == [
        "Minutes go out a week after each meeting.",
        "The youth sector gets two weeks' notice.",
    ]
    assert [a.text for a in minutes.action_items.all()][-1] == "Post the minutes"
