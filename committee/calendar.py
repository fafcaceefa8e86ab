"""Meetings as iCalendar (RFC 5545): the small part of it that calendars need to show, update
and drop a meeting. Pure rendering: no database, no settings, no request; callers pass the
meetings they may show, the page links and the time of rendering.

What calendars rely on:
- `UID` names the meeting for good (its `uid` and the site's host), so a rescheduled meeting
  replaces the old entry instead of adding one; `SEQUENCE` tells which version is newer.
- A cancelled meeting stays in the feed with `STATUS:CANCELLED`, so calendars remove it.
- Times are UTC (`...Z`): no time zone definitions to get wrong.

Everything a person typed (title, place) is escaped as TEXT, and links have their control
characters removed, so no value can end its line and start a property or an event of its own.
Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from .models import MeetingStatus

PRODUCT = "-//LIC Commons//Meetings//EN"
MAX_OCTETS = 75
CRLF = "\r\n"

# C0 and C1 control characters, except TAB (allowed in TEXT) and the line breaks that
# `escape_text` turns into "\n" first.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\u2028\u2029]")
_TEXT_SPECIALS = {"\\": "\\\\", ";": "\\;", ",": "\\,"}


@dataclass(frozen=True)
class Event:
    """One meeting as a calendar shows it."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    sequence: int
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False


def meeting_event(meeting, *, host: str, url: str) -> Event:
    """The event of a meeting (a `committee.models.Meeting`, or anything with its fields):
    placed at its place, or else at its online link, which the description also gives when
    there is both."""
    extra = [meeting.online_link] if meeting.place and meeting.online_link else []
    return Event(
        uid=f"{meeting.uid}@{host}",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        sequence=meeting.sequence,
        summary=meeting.title,
        location=meeting.place or meeting.online_link,
        description="\n".join([*extra, url]),
        url=url,
        cancelled=meeting.status == MeetingStatus.CANCELLED,
    )


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, every line break
    written as the two characters `\\n`, other control characters dropped."""
    value = "".join(_TEXT_SPECIALS.get(char, char) for char in str(value))
    value = _LINE_BREAKS.sub("\\\\n", value)
    return _CONTROLS.sub("", value)


def clean_uri(value: str) -> str:
    """A URI value is not escaped as TEXT; it only loses what could break its line."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("", str(value))).strip()


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC (`20260312T010000Z`). A naive datetime is refused: its zone is a
    guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line so that no physical line is longer than 75 octets: CRLF and a space
    before each continuation, never inside a UTF-8 character."""
    if len(line.encode()) <= MAX_OCTETS:
        return line
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        limit = MAX_OCTETS if not parts else MAX_OCTETS - 1  # continuations start with a space
        if size + width > limit:
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def _event_lines(event: Event, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SEQUENCE:{int(event.sequence)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if url := clean_uri(event.url):
        lines.append(f"URL:{url}")
    lines += [
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]
    return lines


def render_calendar(events: Iterable[Event], *, name: str, now: datetime) -> str:
    """A VCALENDAR with the events, as the text of a `.ics` file (CRLF line ends). `name` is
    what calendar apps call the calendar; `now` is the DTSTAMP of every event."""
    stamp = utc_stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape_text(name)}",
        f"X-WR-CALNAME:{escape_text(name)}",
        # Subscribed calendars check again every hour (RFC 7986, and what older clients read).
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
