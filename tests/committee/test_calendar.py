"""Meetings in calendar apps: the iCalendar text (folded, escaped, in UTC, never a property or an
event smuggled in through a title), each member's private feed (exactly the meetings they may
see at the moment of the download, a revoked or forged address a 404 like any unknown one), the
one-meeting download (a 404 wherever the meeting page is one), and the page where a member makes
or stops their feed address."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee import calendar, selectors, services
from committee.models import CalendarFeed, Meeting
from committee.views.calendar import feed_address
from stakeholders import services as stakeholder_services
from stakeholders.models import AuditEntry
from tests.committee.test_concurrency import at_once
from tests.committee.test_meetings import let_time_pass, schedule
from tests.conftest import IN_CI, make_person

SLUG = "riverside"
VANCOUVER = ZoneInfo("America/Vancouver")
HOST = "lic.example.org"
MISSING = 999_999
SITE = "https://lic.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


# --- reading what we wrote ---------------------------------------------------------------------


def physical_lines(text: str) -> list[str]:
    assert text.endswith("\r\n")
    lines = text[:-2].split("\r\n")
    assert not any("\r" in line or "\n" in line for line in lines), "a bare CR or LF"
    return lines


def content_lines(text: str) -> list[tuple[str, str]]:
    """(name with parameters, value) of each unfolded content line."""
    unfolded = text.replace("\r\n ", "")
    return [tuple(line.split(":", 1)) for line in physical_lines(unfolded)]


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def events(text: str) -> list[dict[str, str]]:
    """Each VEVENT as {property: value}; a property given twice fails the test."""
    found, current = [], None
    for name, value in content_lines(text):
        if (name, value) == ("BEGIN", "VEVENT"):
            assert current is None, "an event inside an event"
            current = {}
        elif (name, value) == ("END", "VEVENT"):
            found.append(current)
            current = None
        elif current is not None:
            assert name not in current, f"{name} twice"
            current[name] = value
    assert current is None
    return found


def fake_meeting(**fields) -> SimpleNamespace:
    starts = datetime(2026, 3, 11, 18, 0, tzinfo=VANCOUVER)
    values = {
        "uid": uuid.UUID("6f1c1a52-3c1e-4d0b-9a57-0c2f5b7e9a10"),
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "sequence": 0,
        "title": "Monthly meeting",
        "place": "Old Mill Neighbourhood House",
        "online_link": "",
        "status": "scheduled",
    }
    return SimpleNamespace(**{**values, **fields})


def render(*meetings, name="Meetings of Riverside") -> str:
    return calendar.render_calendar(
        [
            calendar.meeting_event(meeting, host=HOST, url=f"https://{HOST}/c/riverside/m/1/")
            for meeting in meetings
        ],
        name=name,
        now=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
    )


# --- rendering ---------------------------------------------------------------------------------


def test_a_meeting_is_one_event_in_utc_with_a_stable_uid():
    text = render(fake_meeting())

    lines = content_lines(text)
    assert lines[0] == ("BEGIN", "VCALENDAR")
    assert ("VERSION", "2.0") in lines
    assert lines[-1] == ("END", "VCALENDAR")
    [event] = events(text)
    assert event == {
        "UID": f"6f1c1a52-3c1e-4d0b-9a57-0c2f5b7e9a10@{HOST}",
        "DTSTAMP": "20260301T120000Z",
        "DTSTART": "20260312T010000Z",  # 6 pm in Vancouver (PDT) is 1 am UTC the next day
        "DTEND": "20260312T030000Z",
        "SEQUENCE": "0",
        "SUMMARY": "Monthly meeting",
        "LOCATION": "Old Mill Neighbourhood House",
        "DESCRIPTION": f"https://{HOST}/c/riverside/m/1/",
        "URL": f"https://{HOST}/c/riverside/m/1/",
        "STATUS": "CONFIRMED",
        "TRANSP": "OPAQUE",
    }


def test_an_online_meeting_is_located_at_its_link_and_a_cancelled_one_says_so():
    online = fake_meeting(place="", online_link="https://meet.example.org/a,b;c")
    both = fake_meeting(online_link="https://meet.example.org/x", status="cancelled", sequence=3)

    first, second = events(render(online, both))

    assert unescape(first["LOCATION"]) == "https://meet.example.org/a,b;c"
    assert first["LOCATION"] == "https://meet.example.org/a\\,b\\;c"
    assert (second["STATUS"], second["SEQUENCE"]) == ("CANCELLED", "3")
    assert second["LOCATION"] == "Old Mill Neighbourhood House"
    assert unescape(second["DESCRIPTION"]).split("\n")[0] == "https://meet.example.org/x"


def test_text_escapes_backslashes_semicolons_commas_and_line_breaks():
    assert calendar.escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    [event] = events(render(fake_meeting(title="Budget; honoraria, travel \\ food\nRound two")))
    assert event["SUMMARY"] == "Budget\\; honoraria\\, travel \\\\ food\\nRound two"
    assert unescape(event["SUMMARY"]) == "Budget; honoraria, travel \\ food\nRound two"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    title = "Réunion du comité — sécurité des travailleuses 🗓️ " * 6

    text = render(fake_meeting(title=title, place="Salle " + "é" * 80))

    for line in physical_lines(text):
        assert len(line.encode()) <= 75, line
    assert any(line.startswith(" ") for line in physical_lines(text))
    [event] = events(text)
    assert event["SUMMARY"] == title
    assert event["LOCATION"] == "Salle " + "é" * 80
    assert calendar.fold("x" * 75) == "x" * 75
    assert calendar.fold("x" * 76) == "x" * 75 + "\r\n x"


INJECTIONS = [
    "Meeting\r\nBEGIN:VEVENT\r\nUID:evil@attacker\r\nSUMMARY:Injected\r\nEND:VEVENT",
    "Meeting\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Injected",
    "Meeting\nSTATUS:CANCELLED",
    "Meeting\rATTENDEE:mailto:someone@example.org",
    "Meeting\u2028LOCATION:elsewhere\u2029URL:https://attacker.example",
    "Meeting\x85ORGANIZER:mailto:evil@example.org\x0bEND:VCALENDAR\x00",
    "Meeting\r\n BEGIN:VEVENT",  # a folded continuation of our own line, if it were not escaped
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_a_title_or_place_never_adds_a_property_or_an_event(payload):
    meeting = fake_meeting(
        title=payload, place=payload, online_link=f"https://meet.example.org/\r\n{payload}"
    )

    text = render(meeting, name=payload)

    [event] = events(text)
    assert sorted(event) == sorted(
        ["UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "LOCATION"]
        + ["DESCRIPTION", "URL", "STATUS", "TRANSP"]
    )
    assert [name for name, _value in content_lines(text)].count("BEGIN") == 2  # calendar, event
    assert event["STATUS"] == "CONFIRMED"
    assert "Injected" not in {unescape(value) for value in event.values()}
    assert unescape(event["SUMMARY"]).startswith("Meeting")
    for line in physical_lines(text):
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", line)


def test_a_time_without_a_zone_is_refused():
    with pytest.raises(ValueError):
        render(fake_meeting(starts_at=datetime(2026, 3, 11, 18, 0)))


# --- the feed ----------------------------------------------------------------------------------


def feed_path(person) -> str:
    """The path of the person's live feed, made if they have none."""
    feed = services.calendar_feed_of(person) or services.create_calendar_feed(person=person)
    return feed_path_of(feed)


def feed_path_of(feed) -> str:
    return f"/calendar/{services.calendar_feed_token(feed)}.ics"


def titles_in_feed(path: str, client: Client | None = None) -> set[str]:
    response = (client or Client()).get(path)
    assert response.status_code == 200
    return {unescape(event["SUMMARY"]) for event in events(response.content.decode())}


def someone(personas, seated, who):
    return seated.observer if who == "observer" else getattr(personas, who)


COMMITTEE = [
    "experiential",
    "experiential_peer",
    "police",
    "police_colleague",
    "resident",
    "business",
    "health",
    "coordinator",
    "observer",
]


@pytest.fixture
def caucus_coordinator(personas):
    return make_person(
        personas.community, "ruby", sector_keys=("experiential",), role="coordinator"
    )


@pytest.fixture
def meetings(personas, seated, caucus_coordinator) -> dict[str, Meeting]:
    return {
        "committee": schedule(personas.coordinator, "meeting:committee"),
        "caucus": schedule(
            caucus_coordinator,
            "meeting:caucus",
            visibility="sectors",
            sectors=[personas.sector("experiential")],
        ),
        "coordinators": schedule(
            personas.coordinator, "meeting:coordinators", visibility="coordinators"
        ),
    }


def test_the_feed_is_an_ics_file_that_is_never_cached_or_indexed(personas, seated, meetings):
    response = Client().get(feed_path(personas.police))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response.content.decode().startswith("BEGIN:VCALENDAR\r\n")


@pytest.mark.parametrize("who", COMMITTEE)
def test_a_caucus_meeting_is_only_in_the_caucus_members_feeds(personas, seated, meetings, who):
    titles = titles_in_feed(feed_path(someone(personas, seated, who)))

    assert "meeting:committee" in titles
    assert ("meeting:caucus" in titles) == (who in {"experiential", "experiential_peer"})
    assert ("meeting:coordinators" in titles) == (who == "coordinator")


def test_a_meeting_made_for_coordinators_leaves_the_members_feeds_at_once(
    personas, seated, meetings
):
    police, coordinator = feed_path(personas.police), feed_path(personas.coordinator)
    assert "meeting:committee" in titles_in_feed(police)

    stakeholder_services.save_visible_record(
        record=meetings["committee"],
        author=personas.coordinator,
        visibility="coordinators",
        sectors=[],
    )

    assert "meeting:committee" not in titles_in_feed(police)
    assert "meeting:committee" in titles_in_feed(coordinator)


def test_a_member_who_leaves_the_caucus_loses_its_meetings_from_the_feed(
    personas, seated, meetings
):
    path = feed_path(personas.experiential_peer)
    assert "meeting:caucus" in titles_in_feed(path)

    stakeholder_services.update_membership(
        actor=personas.coordinator,
        person=personas.experiential_peer,
        sectors=[personas.sector("residents")],
    )

    assert titles_in_feed(path) == {"meeting:committee"}


def test_the_feed_keeps_cancelled_meetings_as_cancelled_and_recent_past_ones_only(
    personas, seated, meetings
):
    services.cancel_meeting(actor=personas.coordinator, meeting=meetings["committee"])
    recent = let_time_pass(schedule(personas.coordinator, "Ten days ago"), started_hours_ago=240)
    let_time_pass(schedule(personas.coordinator, "Four months ago"), started_hours_ago=24 * 120)

    response = Client().get(feed_path(personas.police))

    by_title = {unescape(event["SUMMARY"]): event for event in events(response.content.decode())}
    assert set(by_title) == {"meeting:committee", recent.title}
    assert by_title["meeting:committee"]["STATUS"] == "CANCELLED"
    assert by_title["meeting:committee"]["SEQUENCE"] == "1"
    assert by_title[recent.title]["STATUS"] == "CONFIRMED"


def test_a_rescheduled_meeting_keeps_its_uid_and_its_sequence_grows(personas, seated):
    meeting = schedule(personas.coordinator, "Moving")
    path = feed_path(personas.police)
    [before] = events(Client().get(path).content.decode())

    later = meeting.starts_at + timedelta(days=2)
    services.reschedule_meeting(
        actor=personas.coordinator,
        meeting=meeting,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        place=meeting.place,
        online_link="",
    )
    [after] = events(Client().get(path).content.decode())
    services.cancel_meeting(actor=personas.coordinator, meeting=meeting)
    [cancelled] = events(Client().get(path).content.decode())

    assert before["UID"] == after["UID"] == cancelled["UID"] == f"{meeting.uid}@{HOST}"
    assert (before["SEQUENCE"], after["SEQUENCE"], cancelled["SEQUENCE"]) == ("0", "1", "2")
    assert after["DTSTART"] == later.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert after["DTSTART"] != before["DTSTART"]
    assert cancelled["STATUS"] == "CANCELLED"


def test_the_feed_is_its_owners_whoever_is_signed_in_in_the_browser(personas, seated, meetings):
    signed_in = Client()
    signed_in.force_login(personas.experiential.user)

    assert "meeting:caucus" not in titles_in_feed(feed_path(personas.police), signed_in)


def test_an_outsiders_feed_has_none_of_riversides_meetings(personas, seated, meetings):
    harbour = schedule(personas.outsider, "Harbourview meeting")

    assert titles_in_feed(feed_path(personas.outsider)) == {harbour.title}


def test_a_feed_lists_only_its_own_communitys_meetings_even_public_ones(personas, seated):
    """Public meetings of another community are visible to everyone, but they are not part of
    this committee's calendar (no meeting is public yet; the layer allows it)."""
    harbour = schedule(personas.outsider, "Harbourview open house")
    Meeting.objects.filter(pk=harbour.pk).update(visibility="public")

    assert selectors.meetings_for(personas.police.user).filter(pk=harbour.pk).exists()
    assert harbour.title not in titles_in_feed(feed_path(personas.police))


def test_administrators_have_no_feed_and_a_feed_left_from_before_is_a_404(
    personas, seated, meetings
):
    with pytest.raises(ValidationError):
        services.create_calendar_feed(person=personas.admin)
    assert not CalendarFeed.objects.filter(person=personas.admin).exists()

    feed = services.create_calendar_feed(person=personas.health)
    stakeholder_services.update_membership(
        actor=personas.coordinator, person=personas.health, role="administrator"
    )

    assert Client().get(feed_path_of(feed)).status_code == 404


def test_a_closed_account_has_no_feed(personas, seated, meetings):
    path = feed_path(personas.police)
    stakeholder_services.update_membership(
        actor=personas.coordinator, person=personas.police, is_active=False
    )
    assert Client().get(path).status_code == 404

    other = feed_path(personas.resident)
    personas.resident.user.is_active = False
    personas.resident.user.save(update_fields=["is_active"])
    assert not_found_body(other) == not_found_body(path) == not_found_body("/calendar/x.ics")


def test_feed_queries_do_not_grow_with_the_meetings(personas, seated):
    path = feed_path(personas.police)
    schedule(personas.coordinator, "One")
    with CaptureQueriesContext(connection) as one:
        Client().get(path)
    for day in range(2, 7):
        schedule(personas.coordinator, f"Meeting {day}", days=day)
    with CaptureQueriesContext(connection) as six:
        assert len(titles_in_feed(path)) == 6

    assert len(six.captured_queries) == len(one.captured_queries)


# --- the address: made, renewed, stopped, forged -----------------------------------------------


def not_found_body(path: str) -> bytes:
    response = Client().get(path)
    assert response.status_code == 404, path
    return response.content


def test_a_new_address_stops_the_old_one(personas, seated, meetings):
    first = services.create_calendar_feed(person=personas.police)
    old = feed_path_of(first)
    assert Client().get(old).status_code == 200

    second = services.create_calendar_feed(person=personas.police)

    assert Client().get(old).status_code == 404
    assert Client().get(feed_path_of(second)).status_code == 200
    assert services.calendar_feed_of(personas.police) == second
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.nonce != first.nonce


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql" and not IN_CI,
    reason="Concurrency is tested on PostgreSQL: set DATABASE_URL=postgres://...",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_new_addresses_asked_at_once_leave_one_live_feed(personas):
    attempts = at_once(*[lambda: services.create_calendar_feed(person=personas.police)] * 3)

    assert [attempt.error for attempt in attempts] == [None, None, None]
    live = CalendarFeed.objects.filter(person=personas.police, revoked_at__isnull=True)
    assert list(live) == [services.calendar_feed_of(personas.police)]
    assert CalendarFeed.objects.filter(person=personas.police).count() == 3


def test_a_stopped_feed_is_a_404_and_stopping_twice_changes_nothing(personas, seated, meetings):
    path = feed_path(personas.police)

    assert services.revoke_calendar_feed(person=personas.police) is True
    assert services.revoke_calendar_feed(person=personas.police) is False

    assert not_found_body(path) == not_found_body("/calendar/nothing-here.ics")
    assert services.calendar_feed_of(personas.police) is None
    assert services.find_calendar_feed(path.removeprefix("/calendar/").removesuffix(".ics")) is None


def test_making_and_stopping_a_feed_is_audited_without_its_secret(personas, seated):
    feed = services.create_calendar_feed(person=personas.police)
    services.create_calendar_feed(person=personas.police)
    services.revoke_calendar_feed(person=personas.police)

    entries = AuditEntry.objects.filter(action__startswith="calendar_feed.").order_by("pk")
    assert [entry.action for entry in entries] == [
        "calendar_feed.create",
        "calendar_feed.create",
        "calendar_feed.revoke",
    ]
    assert entries[1].changes == {"revoked": [feed.pk]}
    assert all(entry.actor == personas.police.user for entry in entries)
    for entry in entries:
        assert feed.nonce not in str(entry.changes)


def test_a_forged_or_tampered_address_is_the_same_404_as_an_unknown_one(personas, seated, meetings):
    feed = services.create_calendar_feed(person=personas.police)
    token = services.calendar_feed_token(feed)
    unknown = not_found_body("/calendar/nothing-here.ics")
    payload, signature = token.rsplit(":", 1)
    other_feed = services.create_calendar_feed(person=personas.resident)
    forged = [
        payload + ":" + signature[:-1] + ("A" if signature[-1] != "A" else "B"),
        payload[:-1] + ("A" if payload[-1] != "A" else "B") + ":" + signature,
        # the right key, the wrong nonce: as if the database row had been guessed
        signing.Signer(salt="lic.committee.calendar-feed").sign_object(
            {"f": feed.pk, "n": "x" * 43}
        ),
        # another feed's nonce with this feed's id
        signing.Signer(salt="lic.committee.calendar-feed").sign_object(
            {"f": feed.pk, "n": other_feed.nonce}
        ),
        # a token signed for something else (an invitation) is not a feed token
        signing.Signer(salt="lic.stakeholders.invitation").sign_object(
            {"f": feed.pk, "n": feed.nonce}
        ),
        signing.dumps({"f": feed.pk, "n": feed.nonce}),
    ]

    for token in forged:
        assert not_found_body(f"/calendar/{token}.ics") == unknown, token


WEIRD = [
    "x",
    ":",
    "::::",
    "a" * 5000,
    "%00",
    "%0D%0ASet-Cookie:a=b",
    "é🗓",
    "eyJmIjoxfQ:sig",
    "W10:sig",
    "..",
    "%2e%2e%2fadmin",
]


@pytest.mark.parametrize("token", WEIRD)
def test_a_weird_address_is_a_404_never_an_error(db, token):
    assert Client().get(f"/calendar/{token}.ics").status_code == 404


def test_every_weird_address_gets_the_same_404(db):
    bodies = {not_found_body(f"/calendar/{token}.ics") for token in WEIRD}
    assert len(bodies) == 1


def test_the_address_is_stable_while_the_feed_lives(personas, seated):
    feed = services.create_calendar_feed(person=personas.police)
    assert feed_address(feed) == feed_address(CalendarFeed.objects.get(pk=feed.pk))
    assert feed_address(feed).startswith(f"{SITE}/calendar/")


# --- one meeting as a file ---------------------------------------------------------------------


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def download_path(meeting_pk: int, slug: str = SLUG) -> str:
    return f"/c/{slug}/meetings/{meeting_pk}/calendar.ics"


def without_tokens(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


def test_a_member_downloads_one_meeting_as_a_file(personas, seated, meetings):
    meeting = meetings["committee"]

    response = client_for(personas.police).get(download_path(meeting.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="meetingcommittee.ics"'
    assert response["Cache-Control"] == "private, no-store"
    [event] = events(response.content.decode())
    assert event["UID"] == f"{meeting.uid}@{HOST}"
    assert event["URL"] == f"{SITE}/c/{SLUG}/meetings/{meeting.pk}/"


@pytest.mark.parametrize("who", [*COMMITTEE, "admin", "outsider"])
def test_a_hidden_meetings_download_is_the_same_404_as_a_missing_ones(
    personas, seated, meetings, who
):
    readers = {
        "committee": set(COMMITTEE),
        "caucus": {"experiential", "experiential_peer"},
        "coordinators": {"coordinator"},
    }
    person = someone(personas, seated, who)
    client = client_for(person)
    slugs = [SLUG, personas.other_community.slug] if who == "outsider" else [SLUG]
    for slug in slugs:
        missing = client.get(download_path(MISSING, slug))
        assert missing.status_code == 404
        for label, meeting in meetings.items():
            response = client.get(download_path(meeting.pk, slug))
            if who in readers[label] and slug == SLUG:
                assert response.status_code == 200
                continue
            assert response.status_code == 404, (who, label, slug)
            assert without_tokens(response.content) == without_tokens(missing.content)
            assert b"meeting:" not in response.content


def test_downloading_needs_signing_in(personas, seated, meetings):
    response = Client().get(download_path(meetings["committee"].pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- the page ----------------------------------------------------------------------------------


def page_path(slug: str = SLUG) -> str:
    return f"/c/{slug}/me/calendar/"


def address_on(html: str) -> str | None:
    found = re.search(r'id="calendar-feed-address" value="([^"]+)"', html)
    return found.group(1) if found else None


def test_a_member_makes_renews_and_stops_their_feed_address(personas, seated, meetings):
    client = client_for(personas.police)
    page = client.get(page_path()).text
    assert "Anyone who has this address sees your meetings" in page
    assert address_on(page) is None

    page = client.post(page_path(), {"action": "new"}, follow=True).text
    first = address_on(page)
    assert first.startswith(f"{SITE}/calendar/") and first.endswith(".ics")
    assert "meeting:committee" in titles_in_feed(first.removeprefix(SITE))
    assert address_on(client.get(page_path()).text) == first
    assert "Make a new address" in page and "Stop the feed" in page

    page = client.post(page_path(), {"action": "new"}, follow=True).text
    second = address_on(page)
    assert second != first
    assert Client().get(first.removeprefix(SITE)).status_code == 404

    page = client.post(page_path(), {"action": "stop"}, follow=True).text
    assert address_on(page) is None
    assert "Your calendar feed is stopped." in page
    assert Client().get(second.removeprefix(SITE)).status_code == 404


def test_the_calendar_page_is_for_committee_members_only(personas, seated):
    assert client_for(personas.admin).get(page_path()).status_code == 404
    assert client_for(personas.admin).post(page_path(), {"action": "new"}).status_code == 404
    assert not CalendarFeed.objects.exists()
    assert client_for(personas.outsider).get(page_path()).status_code == 404
    assert client_for(seated.observer).get(page_path()).status_code == 200


def test_the_profile_and_the_meeting_page_lead_to_calendars(personas, seated, meetings):
    member = client_for(personas.police)
    assert f'href="{page_path()}"' in member.get(f"/c/{SLUG}/me/").text
    assert f'href="{page_path()}"' not in client_for(personas.admin).get(f"/c/{SLUG}/me/").text

    meeting_page = member.get(f"/c/{SLUG}/meetings/{meetings['committee'].pk}/").text
    assert f'href="{download_path(meetings["committee"].pk)}"' in meeting_page
    assert "Add to my calendar (.ics)" in meeting_page


def test_a_meeting_that_ended_89_days_ago_is_still_in_the_feed(personas, seated, meetings):
    edge = let_time_pass(schedule(personas.coordinator, "Edge"), started_hours_ago=89 * 24)
    assert edge.ends_at > timezone.now() - timedelta(days=90)
    assert "Edge" in titles_in_feed(feed_path(personas.police))
