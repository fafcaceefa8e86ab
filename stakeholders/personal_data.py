"""A member's data rights (PIPEDA / BC PIPA): everything the platform holds about them, to read
and download; leaving the platform; and the expiry of personal data nobody needs any more.

The three are kept together because they must cover the same tables: what is exported is what
is erased. `stakeholders` cannot import the other apps, so each app contributes its own part
from its `AppConfig.ready()`:
- `register_exporter(fn)`: `fn(person) -> list[Section]`, what the app holds about the person;
- `register_leaving(fn)`: `fn(leaving)`, run inside `leave_platform`'s transaction while the
  account is still open, to erase or pseudonymize the app's rows about the person;
- `register_retention(fn)`: `fn(now=..., before=...) -> dict[str, int]`, run by the daily sweep
  to delete the app's activity rows older than `before`.

Decisions (also in the README, "Your data"):
- Leaving closes the account and erases contact details, sessions, devices and preferences; the
  person's row stays, renamed "Former member, <first sector>", so that the committee's history
  (positions, seats, who raised what) stays intact and readable. Comments stay unless the person
  asks to delete them.
- The old username is never usable again: a keyed hash of it (`RetiredUsername`) is kept, so
  that nobody else can take it and be mistaken for the person; the name itself is gone.
- An export never names a record the person may no longer see ("a proposal you can no longer
  see"), and the audit entries in it follow the audit trail's rule."""

import logging
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticToken
from rest_framework.authtoken.models import Token

from . import selectors
from .hooks import Steps
from .models import (
    AccountSession,
    AuditEntry,
    Invitation,
    OrganizationNote,
    Person,
    RetiredUsername,
    former_member_name,
)
from .services import end_sessions, record_audit, sync_audiences

logger = logging.getLogger(__name__)


# --- what each app contributes -----------------------------------------------------------------


@dataclass
class Section:
    """One part of a person's data: a list of rows with the same fields. `key` and the field
    keys name it in the JSON download; `title` and the field labels on the readable page."""

    key: str
    title: str
    fields: list[tuple[str, str]]  # (key, label)
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""

    def readable(self) -> list[list[tuple[str, str]]]:
        """The rows as (label, text) pairs, dates in the current time zone."""
        return [
            [(label, readable_value(row.get(key))) for key, label in self.fields]
            for row in self.rows
        ]

    def as_json(self) -> list[dict[str, Any]]:
        return [{key: json_value(row.get(key)) for key, _label in self.fields} for row in self.rows]


@dataclass(frozen=True)
class Leaving:
    """What the apps' leaving steps are told: the person (still open), the name they go by
    until now and the one they will have, and whether they asked to delete their comments."""

    person: Person
    previous_name: str
    former_name: str
    delete_comments: bool


Exporter = Callable[[Person], list[Section]]
LeavingStep = Callable[[Leaving], None]
RetentionSweep = Callable[..., dict[str, int]]

_exporters: Steps[Exporter] = Steps()
_leaving_steps: Steps[LeavingStep] = Steps()
_retention_sweeps: Steps[RetentionSweep] = Steps()
register_exporter = _exporters.register
register_leaving = _leaving_steps.register
register_retention = _retention_sweeps.register


def readable_value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.localize(timezone.localtime(value))
    if isinstance(value, date):
        return formats.localize(value)
    if isinstance(value, list | tuple):
        return ", ".join(readable_value(item) for item in value)
    return str(value)


def json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


# --- the export --------------------------------------------------------------------------------


def personal_data_of(person: Person) -> list[Section]:
    """Everything the platform holds about `person`, as they may see it now: their account and
    profile first, then each app's part. Never a secret (password hash, two-step secret,
    recovery code, API token, session key, invitation link)."""
    sections = _own_sections(person)
    for exporter in _exporters:
        sections.extend(exporter(person))
    sections.append(_audit_section(person))
    return sections


def personal_data_json(person: Person) -> dict[str, Any]:
    return {
        "generated_at": timezone.now().isoformat(),
        "community": person.community.name,
        **{section.key: section.as_json() for section in personal_data_of(person)},
    }


def _own_sections(person: Person) -> list[Section]:
    user = person.user
    sectors = [sector.localized_name for sector in person.sectors.order_by("position", "name")]
    account = Section(
        key="account",
        title=_("Your account"),
        fields=[
            ("username", _("Username")),
            ("date_joined", _("Account made")),
            ("last_login", _("Last signed in")),
            ("is_active", _("Account open")),
        ],
        rows=[
            {
                "username": user.get_username(),
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "is_active": user.is_active and person.is_active,
            }
        ],
    )
    profile = Section(
        key="profile",
        title=_("Your profile"),
        fields=[
            ("community", _("Community")),
            ("display_name", _("Display name")),
            ("email", _("Email")),
            ("phone", _("Phone")),
            ("preferred_language", _("Language")),
            ("role", _("Role")),
            ("organization", _("Organization")),
            ("sectors", _("Sectors")),
            ("joined_at", _("Joined")),
        ],
        rows=[
            {
                "community": person.community.name,
                "display_name": person.display_name,
                "email": person.email,
                "phone": person.phone,
                "preferred_language": person.get_preferred_language_display(),
                "role": person.get_role_display(),
                "organization": person.organization.name if person.organization else None,
                "sectors": sectors,
                "joined_at": person.joined_at,
            }
        ],
    )
    invitations = Invitation.objects.filter(community_id=person.community_id).filter(
        Q(accepted_by=person) | (Q(email__iexact=person.email) if person.email else Q(pk__in=[]))
    )
    invitation_section = Section(
        key="invitations",
        title=_("Invitations sent to you"),
        fields=[
            ("created_at", _("Sent")),
            ("email", _("Email")),
            ("display_name", _("Name to greet you by")),
            ("role", _("Role")),
            ("organization", _("Organization")),
            ("sectors", _("Sectors")),
            ("invited_by", _("Invited by")),
            ("state", _("State")),
            ("accepted_at", _("Accepted")),
        ],
        rows=[
            {
                "created_at": invitation.created_at,
                "email": invitation.email,
                "display_name": invitation.display_name,
                "role": invitation.get_role_display(),
                "organization": invitation.organization.name if invitation.organization else None,
                "sectors": [sector.localized_name for sector in invitation.sectors.all()],
                "invited_by": invitation.invited_by.display_name if invitation.invited_by else None,
                "state": invitation.state,
                "accepted_at": invitation.accepted_at,
            }
            for invitation in invitations.select_related("organization", "invited_by")
            .prefetch_related("sectors")
            .order_by("created_at")
        ],
    )
    notes = Section(
        key="organization_notes",
        title=_("Notes you wrote on organizations"),
        fields=[
            ("created_at", _("Written")),
            ("organization", _("Organization")),
            ("visibility", _("Who can see it")),
            ("body", _("Note")),
        ],
        rows=[
            {
                "created_at": note.created_at,
                "organization": note.organization.name,
                "visibility": note.get_visibility_display(),
                "body": note.body,
            }
            for note in selectors.visible_to(
                user, OrganizationNote.objects.filter(author=person)
            ).select_related("organization")
        ],
    )
    sessions = Section(
        key="sessions",
        title=_("Where you are signed in"),
        fields=[
            ("created_at", _("Started")),
            ("last_seen_at", _("Last seen")),
            ("browser", _("Browser")),
            ("ip_address", _("Address")),
        ],
        rows=[
            {
                "created_at": session.created_at,
                "last_seen_at": session.last_seen_at,
                "browser": session.browser,
                "ip_address": session.ip_address,
            }
            for session in AccountSession.objects.filter(user=user)
        ],
    )
    sign_ins = Section(
        key="sign_ins",
        title=_("Sign-ins recorded for your username"),
        fields=[
            ("attempt_time", _("Signed in")),
            ("logout_time", _("Signed out")),
            ("ip_address", _("Address")),
            ("user_agent", _("Browser")),
        ],
        rows=list(
            _access_logs(user.get_username()).values(
                "attempt_time", "logout_time", "ip_address", "user_agent"
            )
        ),
    )
    devices = list(devices_for_user(user, confirmed=None))
    two_factor = Section(
        key="two_factor",
        title=_("Two-step sign-in"),
        note=_("The secrets of your app and your recovery codes are never shown here."),
        fields=[
            ("on", _("On")),
            ("devices", _("Devices")),
            ("recovery_codes_left", _("Recovery codes left")),
            ("api_token_since", _("API token made")),
        ],
        rows=[
            {
                "on": any(device.confirmed for device in devices),
                "devices": [device.name for device in devices if device.confirmed],
                "recovery_codes_left": StaticToken.objects.filter(device__user=user).count(),
                "api_token_since": Token.objects.filter(user=user)
                .values_list("created", flat=True)
                .first(),
            }
        ],
    )
    return [account, profile, invitation_section, notes, sessions, sign_ins, two_factor]


def _audit_section(person: Person) -> Section:
    """The audit entries where the person acted or that are about them, by the audit trail's
    rule. The changes are given only for entries about the person themself: the others may name
    other people's details (an invitation's email, say)."""
    entries = selectors.audit_entries_about_me(person.user)
    rows = selectors.audit_rows(person.user, entries, slug=person.community.slug)
    person_type = ContentType.objects.get_for_model(Person)
    return Section(
        key="audit",
        title=_("The audit trail: what you did, and what was done about you"),
        fields=[
            ("created_at", _("When")),
            ("who", _("Who")),
            ("action", _("What")),
            ("about", _("About")),
            ("changes", _("Changes")),
        ],
        rows=[
            {
                "created_at": row.entry.created_at,
                "who": row.who,
                "action": row.what,
                "about": row.target or row.kind,
                "changes": [f"{change.label}: {change.value}" for change in row.changes]
                if row.entry.target_type_id == person_type.pk
                and row.entry.target_id == str(person.pk)
                else [],
            }
            for row in rows
        ],
    )


def _access_logs(username: str):
    from axes.models import AccessLog

    return AccessLog.objects.filter(username=username).order_by("-attempt_time")


# --- leaving -----------------------------------------------------------------------------------


def former_name(person: Person) -> str:
    """ "Former member, <first sector>", in the platform's default language: it is stored, and
    everyone in the community reads it in their own (`Person.from_db`)."""
    with translation.override(settings.LANGUAGE_CODE):
        return former_member_name(person.sectors.order_by("position", "name").first())


@transaction.atomic
def leave_platform(*, person: Person, password: str, delete_comments: bool = False) -> Person:
    """The person leaves, confirming with their password: their account is closed and their
    personal data erased or pseudonymized, while the committee's history stays (see the module
    docstring). Each app's leaving step runs first, while the account is still open (deleting
    comments goes through the comment service, which checks the author)."""
    person = (
        Person.objects.select_for_update().select_related("user", "community").get(pk=person.pk)
    )
    user = person.user
    if not person.is_active or not user.is_active or not user.check_password(password):
        raise ValidationError({"password": _("That is not your password.")})
    leaving = Leaving(
        person=person,
        previous_name=person.display_name,
        former_name=former_name(person),
        delete_comments=delete_comments,
    )
    for step in _leaving_steps:
        step(leaving)

    old_username, old_email, old_phone = user.get_username(), person.email, person.phone
    now = timezone.now()
    _erase_invitations(
        Invitation.objects.filter(community_id=person.community_id).filter(
            Q(accepted_by=person) | (Q(email__iexact=old_email) if old_email else Q(pk__in=[]))
        ),
        now=now,
    )
    RetiredUsername.objects.get_or_create(digest=RetiredUsername.digest_of(old_username))
    _forget_sign_ins(old_username)
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    end_sessions(person=person)  # also deletes the API token

    user.username = f"former-{secrets.token_hex(8)}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    person.display_name = leaving.former_name
    person.email = ""
    person.phone = ""
    person.is_active = False
    person.left_at = now
    person.save(update_fields=["display_name", "email", "phone", "is_active", "left_at"])
    sync_audiences(person=person, actor=person)  # a closed account is in no audience

    _scrub_audit_entries(
        person.community_id,
        exact=[old_username],
        anywhere=[old_email, old_phone],
    )
    LogEntry.objects.filter(
        content_type__in=ContentType.objects.get_for_models(Person, type(user)).values(),
        object_id__in=[str(person.pk), str(user.pk)],
    ).update(object_repr=leaving.former_name)
    record_audit(
        action="person.left",
        actor=person,
        community=person.community,
        target=person,
        changes={"comments_deleted": delete_comments},
    )
    return person


def _erase_invitations(invitations, *, now: datetime) -> list[int]:
    """Clear the email and greeting name of these invitations, and the email that the audit
    entry of their sending recorded; the rows stay for the audit trail."""
    ids = list(invitations.values_list("pk", flat=True))
    if not ids:
        return ids
    Invitation.objects.filter(pk__in=ids).update(email="", display_name="", erased_at=now)
    sent = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Invitation),
        target_id__in=[str(pk) for pk in ids],
    ).exclude(changes={})
    for entry in sent:
        if entry.changes.get("email"):
            entry.changes = {**entry.changes, "email": ""}
            entry.save(update_fields=["changes"])
    return ids


def _forget_sign_ins(username: str) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=username).delete()


def _scrub_audit_entries(community_id: int, *, exact: Iterable[str], anywhere: Iterable[str]):
    """Remove from the changes of the community's audit entries every value equal to one of
    `exact` (case-insensitive) and every occurrence of one of `anywhere`."""
    exact = [value.casefold() for value in exact if value]
    patterns = [re.compile(re.escape(value), re.IGNORECASE) for value in anywhere if value]
    needles = [*exact, *(value for value in anywhere if value)]
    if not needles:
        return
    text = Cast("changes", output_field=TextField())
    matches = Q()
    for needle in needles:
        matches |= Q(changes_text__icontains=needle)
    entries = AuditEntry.objects.filter(community_id=community_id).annotate(changes_text=text)

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        if isinstance(value, list):
            return [clean(item) for item in value]
        if isinstance(value, str):
            if value.casefold() in exact:
                return ""
            for pattern in patterns:
                value = pattern.sub("", value)
        return value

    for entry in entries.filter(matches):
        cleaned = clean(entry.changes)
        if cleaned != entry.changes:
            AuditEntry.objects.filter(pk=entry.pk).update(changes=cleaned)


# --- expiry ------------------------------------------------------------------------------------


@transaction.atomic
def erase_expired_personal_data(*, now: datetime | None = None) -> dict[str, int]:
    """The daily sweep. Invitations that were never accepted and expired or were revoked more
    than PERSONAL_DATA_RETENTION_DAYS ago lose their email and greeting name (the row stays,
    marked erased, for the audit trail). Signed-in session records, sign-in records and each
    app's activity rows (notifications) older than ACTIVITY_RETENTION_DAYS are deleted.
    Returns how many of each."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    expired = Invitation.objects.filter(accepted_at__isnull=True, erased_at__isnull=True).filter(
        Q(revoked_at__lt=cutoff) | Q(revoked_at__isnull=True, expires_at__lt=cutoff)
    )
    erased = list(expired.select_related("community"))
    _erase_invitations(Invitation.objects.filter(pk__in=[i.pk for i in erased]), now=now)
    for invitation in erased:
        record_audit(
            action="invitation.erase", actor=None, community=invitation.community, target=invitation
        )

    before = now - timedelta(days=settings.ACTIVITY_RETENTION_DAYS)
    from axes.models import AccessLog

    counts = {
        "invitations": len(erased),
        "sessions": AccountSession.objects.filter(last_seen_at__lt=before).delete()[0],
        "sign_ins": AccessLog.objects.filter(attempt_time__lt=before).delete()[0],
    }
    for sweep in _retention_sweeps:
        counts.update(sweep(now=now, before=before))
    return counts
