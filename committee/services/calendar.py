"""Each committee member's private calendar feed: an address that a calendar app subscribes to,
which lists the meetings the member may see (`selectors.calendar_meetings_for`), checked again
on every download.

The address carries a token signed with SECRET_KEY (its own salt) around the feed's id and a
random nonce kept in the database, as invitations do: neither a leaked database nor a leaked key
alone is enough to forge one. A member has at most one live feed; a new one revokes the old, and
a revoked or unknown token names no feed. Nothing here ever logs or audits the nonce."""

import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders.models import Person
from stakeholders.services import record_audit

from ..models import CalendarFeed

CALENDAR_FEED_SALT = "lic.committee.calendar-feed"


def _live(person: Person):
    return CalendarFeed.objects.filter(person=person, revoked_at__isnull=True)


def calendar_feed_of(person: Person) -> CalendarFeed | None:
    """The person's live feed, or None."""
    return _live(person).first()


def _lock_person(person: Person) -> Person:
    """Changes to one person's feeds are serialized (two clicks at once make one live feed)."""
    return Person.objects.select_for_update().select_related("community").get(pk=person.pk)


@transaction.atomic
def create_calendar_feed(*, person: Person) -> CalendarFeed:
    """Give a committee member a new feed address; any live one stops working at once."""
    if not person.is_committee_member:
        raise ValidationError(_("Only committee members have a calendar feed."))
    person = _lock_person(person)
    revoked = _revoke(person)
    feed = CalendarFeed.objects.create(person=person, nonce=secrets.token_urlsafe(32))
    record_audit(
        action="calendar_feed.create",
        actor=person,
        community=person.community,
        target=feed,
        changes={"revoked": revoked},
    )
    return feed


@transaction.atomic
def revoke_calendar_feed(*, person: Person) -> bool:
    """Stop the person's feed. Returns whether there was one to stop."""
    person = _lock_person(person)
    revoked = _revoke(person)
    if revoked:
        record_audit(
            action="calendar_feed.revoke",
            actor=person,
            community=person.community,
            target=person,
            changes={"revoked": revoked},
        )
    return bool(revoked)


def rotate_calendar_feed(person: Person) -> None:
    """The person was signed out everywhere (a lost phone, a password changed): a device that
    kept the feed's address must not keep reading meetings, so a live feed gets a new address
    (shown on their calendar page), or stops if they no longer take part in the committee."""
    if calendar_feed_of(person) is None:
        return
    if person.is_committee_member:
        create_calendar_feed(person=person)
    else:
        revoke_calendar_feed(person=person)


def _revoke(person: Person) -> list[int]:
    ids = list(_live(person).values_list("pk", flat=True))
    CalendarFeed.objects.filter(pk__in=ids).update(revoked_at=timezone.now())
    return ids


def calendar_feed_token(feed: CalendarFeed) -> str:
    """The secret part of the feed's address. The same feed always gives the same token, so the
    address shown to its owner does not change from one visit to the next."""
    return signing.Signer(salt=CALENDAR_FEED_SALT).sign_object({"f": feed.pk, "n": feed.nonce})


def find_calendar_feed(token: str) -> CalendarFeed | None:
    """The live feed a token names, with its person, if that person still takes part in the
    committee (an open account, a member or coordinator); else None, whatever the reason, so
    that a forged, revoked or closed address all look the same."""
    try:
        payload = signing.Signer(salt=CALENDAR_FEED_SALT).unsign_object(str(token))
        pk, nonce = int(payload["f"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, UnicodeError, OverflowError):
        return None
    feed = (
        CalendarFeed.objects.select_related("person__user", "person__community")
        .filter(pk=pk, revoked_at__isnull=True)
        .first()
    )
    if feed is None or not secrets.compare_digest(feed.nonce.encode(), nonce.encode()):
        return None
    person = feed.person
    if not (person.is_committee_member and person.user.is_active):
        return None
    return feed
