"""Who is who: communities, sectors, organizations, people, invitations, audiences, audit trail,
and the abstract `VisibleRecord` that every sensitive record of every app builds on."""

import zoneinfo
from datetime import date, timedelta
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Community(models.Model):
    """A place adapting the Living in Community model; every other record belongs to one."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="America/Vancouver", validators=[validate_timezone]
    )
    # The public page at /c/<slug>/ for people outside the committee (the `public` app): off
    # until a coordinator switches it on, and kept out of search engines unless they choose.
    public_page = models.BooleanField(_("public page"), default=False)
    public_page_indexed = models.BooleanField(
        _("search engines may list the public page"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def today(self) -> date:
        """The date where the community is: the day its seats, roles, plans and deadlines count
        from, whether asked in a request (whose pages run in this time zone) or outside one (a
        seed, a task, the shell, which run in UTC)."""
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(self.timezone))


class SectorTemplate(models.Model):
    """The model's own list of voices, seeded by a data migration; each new community starts
    with a copy (`Sector`) that it may then edit."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    name_fr = models.CharField(max_length=200, blank=True)
    is_experiential = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="sectors")
    template = models.ForeignKey(
        SectorTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=200)
    # The name French readers see; empty shows `name` to them too (a name the community chose).
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    is_experiential = models.BooleanField(
        _("experiential (current and former sex workers)"), default=False
    )
    is_required = models.BooleanField(
        _("must be represented on the committee"),
        default=True,
        help_text=_("The committee counts as complete only when this sector has a seat."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["community", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "key"], name="sector_key_unique"),
        ]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        """The name in the language of the page or email being written (the reader's)."""
        if self.name_fr and (translation.get_language() or "").startswith("fr"):
            return self.name_fr
        return self.name


class Organization(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="organizations")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="organizations")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what the organization does"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="organization_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


def former_member_name(sector: Sector | None) -> str:
    """How the committee's history names a person who left, in the active language:
    "Former member, <their first sector>"."""
    if sector is None:
        return gettext("Former member")
    return gettext("Former member, %(sector)s") % {"sector": sector.localized_name}


class Role(models.TextChoices):
    MEMBER = "member", _("Committee member")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMINISTRATOR = "administrator", _("Administrator (onboarding only)")


class Person(models.Model):
    """A user's profile in one community. The display name may be a chosen name; contact
    details are for coordinators and the person only (see `selectors.can_see_contact`)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="people")
    display_name = models.CharField(
        _("display name"),
        max_length=120,
        help_text=_("The name others on the committee see. A chosen name is fine."),
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    sectors = models.ManyToManyField(Sector, related_name="people", blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    # Set when the person left the platform (`personal_data.leave_platform`): the row stays,
    # pseudonymized, so that the committee's history still names "Former member, <sector>".
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    @classmethod
    def from_db(cls, db, field_names, values):
        """The name of a person who left is stored in the platform's default language
        (`personal_data.former_name`); every reader sees it in their own."""
        person = super().from_db(db, field_names, values)
        loaded = person.__dict__
        if (
            loaded.get("left_at") is not None
            and "display_name" in loaded
            and (translation.get_language() or settings.LANGUAGE_CODE) != settings.LANGUAGE_CODE
        ):
            person.display_name = former_member_name(
                person.sectors.order_by("position", "name").first()
            )
        return person

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_committee_member(self) -> bool:
        """Members and coordinators take part in the committee; administrators only onboard."""
        return self.is_active and self.role in {Role.MEMBER, Role.COORDINATOR}

    @property
    def can_onboard(self) -> bool:
        return self.is_active and self.role in {Role.ADMINISTRATOR, Role.COORDINATOR}


class Invitation(models.Model):
    """An invitation for one person to join a community. The link carries a signed token
    (see `services.invitation_token`); it is single use and expires."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    sectors = models.ManyToManyField(Sector, related_name="invitations")
    email = models.EmailField(_("email"))
    display_name = models.CharField(_("name to greet them by"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    language = models.CharField(
        _("language of the invitation"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    invited_by = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    nonce = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Set when the email and greeting name were erased: by the daily retention sweep once the
    # invitation has been expired or revoked for PERSONAL_DATA_RETENTION_DAYS, or when the person
    # it invited leaves. The row stays for the audit trail.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_both_accepted_and_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.community}"

    @property
    def state(self) -> str:
        """open, accepted, revoked or expired."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class RetiredUsername(models.Model):
    """A username that someone who left the platform used, kept only as a keyed hash (with
    SECRET_KEY) so that nobody can take it and be mistaken for them, while the name itself is
    gone. Written by `personal_data.leave_platform`, checked by `services.accept_invitation`."""

    SALT = "lic.stakeholders.retired-username"

    digest = models.CharField(max_length=64, unique=True)
    retired_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"retired username {self.digest[:8]}…"

    @classmethod
    def digest_of(cls, username: str) -> str:
        return salted_hmac(cls.SALT, username.strip().casefold(), algorithm="sha256").hexdigest()

    @classmethod
    def is_retired(cls, username: str) -> bool:
        return cls.objects.filter(digest=cls.digest_of(username)).exists()


class Audience(models.Model):
    """A Django group that visibility is granted to, kept in step with membership by
    `services.sync_audiences`. One per community (members, coordinators), per sector and per
    organization."""

    class Kind(models.TextChoices):
        MEMBERS = "members", _("Committee members")
        COORDINATORS = "coordinators", _("Coordinators")
        SECTOR = "sector", _("Sector")
        ORGANIZATION = "organization", _("Organization")

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="audience")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="audiences")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sector = models.OneToOneField(
        Sector, null=True, blank=True, on_delete=models.CASCADE, related_name="audience"
    )
    organization = models.OneToOneField(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="audience"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "kind"],
                condition=Q(kind__in=["members", "coordinators"]),
                name="audience_one_per_community_kind",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="sector", sector__isnull=False, organization__isnull=True)
                    | Q(kind="organization", organization__isnull=False, sector__isnull=True)
                    | Q(
                        kind__in=["members", "coordinators"],
                        sector__isnull=True,
                        organization__isnull=True,
                    )
                ),
                name="audience_kind_matches_target",
            ),
        ]

    def __str__(self) -> str:
        return self.group.name


class AuditEntry(models.Model):
    """Who changed what, when. Written by services only."""

    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=60)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.CharField(max_length=40, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public — anyone, also people who are not signed in")
    COMMITTEE = "committee", _("The whole steering committee")
    SECTORS = "sectors", _("Only the sectors I choose (a caucus)")
    ORGANIZATION = "organization", _("Only my organization")
    COORDINATORS = "coordinators", _("Coordinators only (confidential)")


class VisibleRecord(models.Model):
    """What every sensitive record carries. Its readers are decided by `visibility` and written
    as group grants by `services.apply_visibility` only; `selectors.visible_to` is the only door.

    A concrete subclass names its guardian direct-FK grant model in `grant_model` and may narrow
    the visibilities it allows in `allowed_visibilities`."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(
        _("who can see this"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.COMMITTEE,
    )
    visible_sectors = models.ManyToManyField(
        Sector,
        blank=True,
        related_name="%(app_label)s_%(class)s_visible",
        verbose_name=_("sectors that can see this"),
    )
    owner_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    grant_model: ClassVar[type[GroupObjectPermissionBase]]
    allowed_visibilities: ClassVar[frozenset[str]] = frozenset(
        {Visibility.COMMITTEE, Visibility.SECTORS, Visibility.ORGANIZATION, Visibility.COORDINATORS}
    )

    class Meta:
        abstract = True


class OrganizationNote(VisibleRecord):
    """A private note on an organization in the stakeholder map: what a member knows about how
    to reach it, its history with the committee, concerns. The first sensitive record kind."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(_("note"))

    class Meta:
        verbose_name = _("organization note")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "visibility"])]

    def __str__(self) -> str:
        return f"Note on {self.organization}"


class OrganizationNoteGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(OrganizationNote, on_delete=models.CASCADE)


OrganizationNote.grant_model = OrganizationNoteGrant


class AccountSession(models.Model):
    """One signed-in browser session of an account, so that its owner can see where they are
    signed in and end it. Written by `lic.middleware.AccountSessionMiddleware` through
    `services.record_session`; removed when the session ends (sign-out or `services.end_sessions`),
    and never shown once older than a session can live."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    # `last_seen_at` is written at most this often.
    SEEN_EVERY = timedelta(minutes=1)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_seen_at", "-id"]
        indexes = [models.Index(fields=["user", "last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.browser}"

    @property
    def browser(self) -> str:
        """The browser and system in a few words ("Firefox on Android"), from the user agent."""
        return describe_user_agent(self.user_agent)


# Checked in order: several browsers also name the ones they are built on.
BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def describe_user_agent(user_agent: str) -> str:
    browser = next((name for marker, name in BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in SYSTEMS if marker in user_agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    if browser or system:
        return browser or system
    if not user_agent:
        return str(_("Unknown browser"))
    return user_agent if len(user_agent) <= 40 else f"{user_agent[:40]}…"
