"""Every write that matters in `stakeholders`: one function per domain operation, transactional,
called alike by views, the API, admin, commands, tasks and tests."""

import logging
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm
from rest_framework.authtoken.models import Token

from . import public_page
from .hooks import Steps
from .models import (
    AccountSession,
    Audience,
    AuditEntry,
    Community,
    Invitation,
    Organization,
    OrganizationNote,
    Person,
    RetiredUsername,
    Role,
    Sector,
    SectorTemplate,
    Visibility,
    VisibleRecord,
)
from .visibility import (  # noqa: F401 (AudienceKey is part of the API)
    AudienceKey,
    audiences_of_person,
    audiences_of_record,
    check_visibility_choice,
)

logger = logging.getLogger(__name__)
User = get_user_model()


# --- audit -------------------------------------------------------------------------------------


def record_audit(
    *,
    action: str,
    actor: Person | AbstractBaseUser | None,
    community: Community | None,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    user = actor.user if isinstance(actor, Person) else actor
    return AuditEntry.objects.create(
        action=action,
        actor=user,
        community=community,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        changes=changes or {},
    )


# --- communities and sectors -------------------------------------------------------------------


@transaction.atomic
def create_community(
    *, name: str, slug: str, timezone_name: str, actor: Person | None = None
) -> Community:
    """A new community starts with the model's list of sectors and its two audiences."""
    community = Community(name=name, slug=slug, timezone=timezone_name)
    community.full_clean()
    community.save()
    for template in SectorTemplate.objects.all():
        Sector.objects.create(
            community=community,
            template=template,
            key=template.key,
            name=template.name,
            name_fr=template.name_fr,
            is_experiential=template.is_experiential,
            position=template.position,
        )
    audience_group(AudienceKey(Audience.Kind.MEMBERS, community.pk))
    audience_group(AudienceKey(Audience.Kind.COORDINATORS, community.pk))
    record_audit(action="community.create", actor=actor, community=community, target=community)
    return community


# --- audiences (groups kept in step with membership) -------------------------------------------


def audience_group(key: AudienceKey) -> Group:
    """The Django group behind an audience, created on first use."""
    lookup: dict[str, Any] = {"community_id": key.community_id, "kind": key.kind}
    if key.kind == Audience.Kind.SECTOR:
        lookup["sector_id"] = key.target_id
    elif key.kind == Audience.Kind.ORGANIZATION:
        lookup["organization_id"] = key.target_id
    audience = Audience.objects.select_related("group").filter(**lookup).first()
    if audience is not None:
        return audience.group
    suffix = f":{key.target_id}" if key.target_id is not None else ""
    group, _created = Group.objects.get_or_create(name=f"lic:{key.community_id}:{key.kind}{suffix}")
    Audience.objects.create(group=group, **lookup)
    return group


def audience_groups(keys: Iterable[AudienceKey]) -> list[Group]:
    return [audience_group(key) for key in sorted(keys, key=lambda k: (k.kind, k.target_id or 0))]


@transaction.atomic
def sync_audiences(*, person: Person, actor: Person | None) -> None:
    """Make the person's audience groups match their role, sectors and organization. Takes
    effect on the next request; every change is audit-logged."""
    wanted = {group.pk: group for group in audience_groups(audiences_of_person(person))}
    current = {group.pk: group for group in person.user.groups.filter(audience__isnull=False)}
    added = [group for pk, group in wanted.items() if pk not in current]
    removed = [group for pk, group in current.items() if pk not in wanted]
    if added:
        person.user.groups.add(*added)
    if removed:
        person.user.groups.remove(*removed)
    if added or removed:
        record_audit(
            action="person.audiences",
            actor=actor,
            community=person.community,
            target=person,
            changes={
                "added": sorted(group.name for group in added),
                "removed": sorted(group.name for group in removed),
            },
        )


# --- visibility (the only writer of grants) ----------------------------------------------------


def view_permission(model: type[VisibleRecord]) -> str:
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


@transaction.atomic
def apply_visibility(*, record: VisibleRecord, actor: Person | None) -> None:
    """Turn the record's saved visibility into its group grants, replacing any earlier ones.
    This is the only function that writes grants."""
    grant_model = type(record).grant_model
    sector_ids = list(record.visible_sectors.values_list("pk", flat=True))
    groups = audience_groups(audiences_of_record(record, sector_ids))
    previous = sorted(
        grant_model.objects.filter(content_object=record).values_list("group__name", flat=True)
    )
    grant_model.objects.filter(content_object=record).delete()
    if groups:
        assign_perm(view_permission(type(record)), groups, record)
    record_audit(
        action="visibility.grants",
        actor=actor,
        community=record.community,
        target=record,
        changes={
            "visibility": record.visibility,
            "sectors": sorted(sector_ids),
            "before": previous,
            "after": sorted(group.name for group in groups),
        },
    )


def save_visible_record(
    *,
    record: VisibleRecord,
    author: Person,
    visibility: str,
    sectors: Iterable[Sector],
) -> None:
    """Check the author's choice of visibility, save the record and write its grants. Every
    app's services save a `VisibleRecord` through here."""
    sectors = list(sectors)
    check_visibility_choice(
        author=author, record_type=type(record), visibility=visibility, sectors=sectors
    )
    if any(sector.community_id != author.community_id for sector in sectors):
        raise ValidationError({"visible_sectors": _("Choose sectors of your own community.")})
    if visibility == Visibility.PUBLIC and record.pk is not None:
        stored = type(record).objects.filter(pk=record.pk).values_list("visibility", flat=True)
        if stored.first() == Visibility.SECTORS:
            raise ValidationError(
                {"visibility": _("What a caucus keeps to itself is never made public.")}
            )
    record.visibility = visibility
    if visibility == Visibility.ORGANIZATION:
        record.owner_organization_id = author.organization_id
    record.full_clean(exclude=["visible_sectors"])
    record.save()
    record.visible_sectors.set(sectors)
    apply_visibility(record=record, actor=author)


# --- organizations -----------------------------------------------------------------------------


@transaction.atomic
def register_organization(
    *, actor: Person, sector: Sector, name: str, description: str = ""
) -> Organization:
    if not actor.can_onboard:
        raise ValidationError(_("Only administrators and coordinators can register organizations."))
    return create_organization(
        community=actor.community, sector=sector, name=name, description=description, actor=actor
    )


@transaction.atomic
def create_organization(
    *,
    community: Community,
    sector: Sector,
    name: str,
    description: str = "",
    status: str = Organization.Status.INVITED,
    actor: Person | None = None,
) -> Organization:
    """An organization and its audience. `register_organization` checks who may do it; the demo
    seed and tests call this directly."""
    if sector.community_id != community.pk:
        raise ValidationError({"sector": _("Choose a sector of your own community.")})
    if Organization.objects.filter(community=community, name=name.strip()).exists():
        # Said of the name field, so that the form ties the message to it.
        raise ValidationError(
            {"name": _("Your community already has an organization with this name.")}
        )
    organization = Organization(
        community=community,
        sector=sector,
        name=name.strip(),
        description=description,
        status=status,
    )
    organization.full_clean()
    organization.save()
    audience_group(
        AudienceKey(Audience.Kind.ORGANIZATION, organization.community_id, organization.pk)
    )
    record_audit(
        action="organization.register",
        actor=actor,
        community=organization.community,
        target=organization,
        changes={"name": organization.name, "sector": sector.key},
    )
    public_page.changed(community.pk)  # it counts the organizations of each sector
    return organization


# --- invitations -------------------------------------------------------------------------------

INVITATION_SALT = "lic.stakeholders.invitation"


class InvitationInvalid(Exception):
    """Why an invitation link cannot be used. `reason` is one of the class constants."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invitation_token(invitation: Invitation) -> str:
    """The secret in the link: signed with SECRET_KEY and carrying a random nonce from the
    database, so neither a leaked database nor a leaked key alone is enough to forge one."""
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("invitation-accept", kwargs={"token": invitation_token(invitation)})
    return f"{settings.SITE_URL}{path}"


def find_invitation(token: str, *, for_update: bool = False) -> Invitation:
    """The open invitation a token names, or InvitationInvalid with the reason."""
    try:
        payload = signing.loads(token, salt=INVITATION_SALT)
        pk, nonce = int(payload["i"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvitationInvalid(InvitationInvalid.UNKNOWN) from None
    queryset = Invitation.objects.select_related("community", "organization")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(pk=pk).first()
    if invitation is None or not secrets.compare_digest(invitation.nonce, nonce):
        raise InvitationInvalid(InvitationInvalid.UNKNOWN)
    closed = {
        "accepted": InvitationInvalid.USED,
        "revoked": InvitationInvalid.REVOKED,
        "expired": InvitationInvalid.EXPIRED,
    }
    if invitation.state in closed:
        raise InvitationInvalid(closed[invitation.state])
    return invitation


@transaction.atomic
def invite_person(
    *,
    actor: Person,
    email: str,
    sectors: Iterable[Sector],
    organization: Organization | None = None,
    role: str = Role.MEMBER,
    display_name: str = "",
    language: str = "en",
) -> Invitation:
    """Invite someone into the actor's community; the email goes out after commit."""
    sectors = list(sectors)
    if not actor.can_onboard:
        raise ValidationError(_("Only administrators and coordinators can invite people."))
    if not sectors:
        raise ValidationError({"sectors": _("Choose at least one sector.")})
    if any(sector.community_id != actor.community_id for sector in sectors):
        raise ValidationError({"sectors": _("Choose sectors of your own community.")})
    if organization is not None and organization.community_id != actor.community_id:
        raise ValidationError({"organization": _("Choose an organization of your own community.")})
    if role != Role.MEMBER and actor.role != Role.COORDINATOR:
        raise ValidationError(
            {"role": _("Only coordinators can invite coordinators or administrators.")}
        )
    invitation = Invitation(
        community_id=actor.community_id,
        organization=organization,
        email=email.strip(),
        display_name=display_name.strip(),
        role=role,
        language=language,
        invited_by=actor,
        nonce=secrets.token_urlsafe(32),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean(exclude=["sectors"])
    invitation.save()
    invitation.sectors.set(sectors)
    record_audit(
        action="invitation.create",
        actor=actor,
        community=invitation.community,
        target=invitation,
        changes={
            "email": invitation.email,
            "role": role,
            "organization": organization.name if organization else None,
            "sectors": sorted(sector.key for sector in sectors),
        },
    )
    queue_invitation_email(invitation)
    return invitation


def queue_invitation_email(invitation: Invitation) -> None:
    """Queue the invitation email once the invitation is committed."""
    transaction.on_commit(lambda: enqueue_invitation_email(invitation))


def enqueue_invitation_email(invitation: Invitation) -> bool:
    """Hand the email to Celery now. False when the broker cannot be reached: the page keeps
    working and the invitation shows as not emailed, to be resent."""
    from .tasks import send_invitation_email

    try:
        send_invitation_email.delay(invitation.pk)
    except Exception:
        logger.exception("could not queue the email for invitation %s", invitation.pk)
        return False
    return True


def send_invitation_email(*, invitation_id: int) -> bool:
    """Send (or resend) the invitation email if the invitation is still open."""
    invitation = Invitation.objects.select_related("community", "organization").get(
        pk=invitation_id
    )
    if invitation.state != "open":
        return False
    context = {"invitation": invitation, "url": invitation_url(invitation)}
    with translation.override(invitation.language):
        subject = _("You are invited to the %(community)s steering committee") % {
            "community": invitation.community.name
        }
        text = render_to_string("emails/invitation.txt", context)
        html = render_to_string("emails/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.send()
    Invitation.objects.filter(pk=invitation.pk).update(emailed_at=timezone.now())
    return True


@transaction.atomic
def revoke_invitation(*, actor: Person, invitation: Invitation) -> None:
    if not actor.can_onboard or invitation.community_id != actor.community_id:
        raise ValidationError(_("You cannot revoke this invitation."))
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        record_audit(
            action="invitation.revoke", actor=actor, community=locked.community, target=locked
        )


@transaction.atomic
def accept_invitation(
    *,
    token: str,
    username: str,
    password: str,
    display_name: str,
    preferred_language: str,
) -> Person:
    """Create the invitee's account and profile in the invitation's community, sectors and
    organization, with their audiences. The invitation can be used once."""
    invitation = find_invitation(token, for_update=True)
    username = username.strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("Choose a username.")]
    elif User.objects.filter(username__iexact=username).exists() or RetiredUsername.is_retired(
        username
    ):
        errors["username"] = [_("This username is taken. Please choose another.")]
    if not display_name.strip():
        errors["display_name"] = [_("Tell us the name the committee should see.")]
    if preferred_language not in dict(settings.LANGUAGES):
        errors["preferred_language"] = [_("Choose a language from the list.")]
    candidate = User(username=username, email=invitation.email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)

    person = create_person(
        community=invitation.community,
        username=username,
        password=password,
        display_name=display_name.strip(),
        email=invitation.email,
        sectors=invitation.sectors.all(),
        role=invitation.role,
        organization=invitation.organization,
        preferred_language=preferred_language,
    )
    user = person.user
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    organization = invitation.organization
    if organization is not None and organization.status == Organization.Status.INVITED:
        organization.status = Organization.Status.ACTIVE
        organization.save(update_fields=["status"])
        public_page.changed(organization.community_id)
    record_audit(
        action="invitation.accept", actor=user, community=invitation.community, target=invitation
    )
    return person


@transaction.atomic
def create_person(
    *,
    community: Community,
    username: str,
    password: str,
    display_name: str,
    email: str,
    sectors: Iterable[Sector],
    role: str = Role.MEMBER,
    organization: Organization | None = None,
    phone: str = "",
    preferred_language: str = "en",
    actor: Person | None = None,
) -> Person:
    """An account, its profile and its audiences. `accept_invitation` checks the input; the demo
    seed and tests call this directly. The audit names `actor`, or else the person themself."""
    user = User.objects.create_user(username=username, email=email, password=password)
    person = Person.objects.create(
        user=user,
        community=community,
        display_name=display_name,
        organization=organization,
        role=role,
        email=email,
        phone=phone,
        preferred_language=preferred_language,
    )
    person.sectors.set(sectors)
    sync_audiences(person=person, actor=actor or person)
    return person


# --- people ------------------------------------------------------------------------------------


@transaction.atomic
def update_membership(
    *,
    actor: Person,
    person: Person,
    role: str | None = None,
    sectors: Iterable[Sector] | None = None,
    organization: Organization | None | type[Ellipsis] = ...,
    is_active: bool | None = None,
) -> Person:
    """Change someone's role, sectors, organization or whether their account is open. Their
    audiences follow at once."""
    if not actor.is_coordinator or actor.community_id != person.community_id:
        raise ValidationError(_("Only coordinators of this community can change memberships."))
    if actor.pk == person.pk:  # nobody locks themself out, or the community out of coordinators
        raise ValidationError(
            _("Another coordinator changes your own membership; to go, leave the platform.")
        )
    before = _membership_snapshot(person)
    closing = person.is_active and is_active is False
    if role is not None:
        if role not in Role.values:
            raise ValidationError({"role": _("Choose a role from the list.")})
        person.role = role
    if organization is not ...:
        if organization is not None and organization.community_id != person.community_id:
            raise ValidationError({"organization": _("Choose an organization of this community.")})
        person.organization = organization
    if is_active is not None:
        person.is_active = is_active
    person.save()
    if sectors is not None:
        sectors = list(sectors)
        if any(sector.community_id != person.community_id for sector in sectors):
            raise ValidationError({"sectors": _("Choose sectors of this community.")})
        person.sectors.set(sectors)
    record_audit(
        action="person.membership",
        actor=actor,
        community=person.community,
        target=person,
        changes={"before": before, "after": _membership_snapshot(person)},
    )
    sync_audiences(person=person, actor=actor)
    for step in _membership_steps:
        step(person=person, actor=actor)
    if closing:  # a closed account is signed out everywhere at once, its API token too
        end_sessions(person=person, actor=actor)
    return person


# What else follows a change of someone's membership (`update_membership`), in the same
# transaction: the committee ends the seats and roles they can no longer hold. Registered from
# the other apps' `AppConfig.ready()`, since this app cannot import them. Each step is called as
# `step(person=..., actor=...)`.
_membership_steps: Steps[Callable[..., None]] = Steps()
register_membership_step = _membership_steps.register


def _membership_snapshot(person: Person) -> dict[str, Any]:
    return {
        "role": person.role,
        "organization": person.organization_id,
        "sectors": sorted(person.sectors.values_list("key", flat=True)),
        "is_active": person.is_active,
    }


# --- organization notes (the first sensitive record kind) --------------------------------------


@transaction.atomic
def write_organization_note(
    *,
    author: Person,
    organization: Organization,
    body: str,
    visibility: str,
    sectors: Iterable[Sector] = (),
) -> OrganizationNote:
    if organization.community_id != author.community_id:
        raise ValidationError({"organization": _("Choose an organization of your own community.")})
    if not body.strip():
        raise ValidationError({"body": _("Write the note before saving it.")})
    note = OrganizationNote(
        community_id=author.community_id, organization=organization, author=author, body=body
    )
    save_visible_record(record=note, author=author, visibility=visibility, sectors=sectors)
    record_audit(
        action="organization_note.create", actor=author, community=note.community, target=note
    )
    return note


@transaction.atomic
def change_note_visibility(
    *, actor: Person, note: OrganizationNote, visibility: str, sectors: Iterable[Sector] = ()
) -> OrganizationNote:
    """Only the author changes who can see their note."""
    if note.author_id != actor.pk:
        raise ValidationError(_("Only the author can change who sees this note."))
    save_visible_record(record=note, author=actor, visibility=visibility, sectors=sectors)
    return note


# --- sectors (editable per community) ----------------------------------------------------------


@transaction.atomic
def save_sector(
    *,
    actor: Person,
    name: str,
    is_required: bool,
    is_experiential: bool = False,
    sector: Sector | None = None,
    name_fr: str = "",
) -> Sector:
    """Rename a sector of the actor's community or add one. The model's own sectors keep their
    key, so the seed's list can still be recognised after a rename. Without a French name,
    French readers see `name` too."""
    if not actor.is_coordinator:
        raise ValidationError(_("Only coordinators can change the sectors."))
    if sector is not None and sector.community_id != actor.community_id:
        raise ValidationError(_("Only coordinators can change the sectors."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the sector a name.")})
    clash = Sector.objects.filter(community_id=actor.community_id, name__iexact=name)
    if sector is not None:
        clash = clash.exclude(pk=sector.pk)
    if clash.exists():
        raise ValidationError({"name": _("Your community already has a sector with this name.")})
    before = None
    if sector is None:
        key = slugify(name)[:50] or "sector"
        if Sector.objects.filter(community_id=actor.community_id, key=key).exists():
            key = f"{key}-{secrets.token_hex(3)}"
        last = Sector.objects.filter(community_id=actor.community_id).order_by("-position").first()
        sector = Sector(
            community_id=actor.community_id,
            key=key,
            position=(last.position + 1) if last else 0,
            is_experiential=is_experiential,
        )
    else:
        before = {"name": sector.name, "name_fr": sector.name_fr, "is_required": sector.is_required}
    sector.name = name
    sector.name_fr = name_fr.strip()
    sector.is_required = is_required
    sector.full_clean()
    sector.save()
    after = {"name": name, "name_fr": sector.name_fr, "is_required": is_required}
    record_audit(
        action="sector.save",
        actor=actor,
        community=sector.community,
        target=sector,
        changes={"before": before, "after": after},
    )
    public_page.changed(sector.community_id)
    return sector


# --- the community's public page ---------------------------------------------------------------


@transaction.atomic
def set_public_page(*, actor: Person, enabled: bool, indexed: bool) -> Community:
    """A coordinator switches the community's public page on or off, and lets search engines
    list it or not. Off, its address answers 404 to everyone outside the community."""
    if not actor.is_coordinator or not actor.is_active:
        raise ValidationError(_("Only coordinators can change the public page."))
    community = Community.objects.select_for_update().get(pk=actor.community_id)
    before = {"enabled": community.public_page, "indexed": community.public_page_indexed}
    after = {"enabled": bool(enabled), "indexed": bool(indexed)}
    if before == after:
        return community
    community.public_page, community.public_page_indexed = after["enabled"], after["indexed"]
    community.save(update_fields=["public_page", "public_page_indexed"])
    record_audit(
        action="community.public_page",
        actor=actor,
        community=community,
        target=community,
        changes={"before": before, "after": after},
    )
    public_page.changed(community.pk)
    return community


# --- a person's own profile --------------------------------------------------------------------


@transaction.atomic
def update_profile(
    *, person: Person, display_name: str, email: str, phone: str, preferred_language: str
) -> Person:
    """A person changes how they are named and reached, and their language. Only they do."""
    before = {"display_name": person.display_name, "email": person.email, "phone": person.phone}
    person.display_name = display_name.strip()
    person.email = email.strip()
    person.phone = phone.strip()
    person.preferred_language = preferred_language
    person.full_clean(exclude=["user", "community", "organization", "sectors"])
    person.save()
    record_audit(
        action="person.profile",
        actor=person,
        community=person.community,
        target=person,
        changes={"changed": sorted(k for k, v in before.items() if getattr(person, k) != v)},
    )
    return person


# --- sign-in protection ------------------------------------------------------------------------


@transaction.atomic
def lift_sign_in_pause(*, actor: Person, person: Person) -> None:
    """A coordinator lets someone whose sign-in was paused after failed attempts try again now:
    their username and the addresses their attempts came from are cleared."""
    from axes.models import AccessAttempt
    from axes.utils import reset

    if not actor.is_coordinator or actor.community_id != person.community_id:
        raise ValidationError(_("Only coordinators of this community can lift a pause."))
    username = person.user.get_username()
    addresses = set(
        AccessAttempt.objects.filter(username=username).values_list("ip_address", flat=True)
    )
    reset(username=username)
    for address in addresses - {None}:
        reset(ip=address)
    record_audit(
        action="person.sign_in_unpaused", actor=actor, community=person.community, target=person
    )


# --- signed-in sessions and password -----------------------------------------------------------


def record_session(
    *,
    user: AbstractBaseUser,
    session_key: str,
    previous_key: str | None = None,
    user_agent: str = "",
    ip_address: str | None = None,
) -> None:
    """Note that the session `session_key` is signed in as `user` and was seen now. A session
    whose key was just renewed (at sign-in, after the two-step code) keeps its row and start."""
    now = timezone.now()
    own = AccountSession.objects.filter(user=user)
    if previous_key and previous_key != session_key:
        own.filter(session_key=previous_key).update(session_key=session_key)
    seen = {"last_seen_at": now, "user_agent": user_agent[:300], "ip_address": ip_address}
    if own.filter(session_key=session_key).update(**seen):
        return
    AccountSession.objects.get_or_create(
        session_key=session_key, defaults={"user": user, "created_at": now, **seen}
    )
    # Sessions that have expired on their own (and their addresses) are forgotten whenever a
    # new one starts.
    alive_for = timedelta(seconds=settings.SESSION_COOKIE_AGE) + AccountSession.SEEN_EVERY
    AccountSession.objects.filter(last_seen_at__lt=now - alive_for).delete()


def forget_session(*, session_key: str) -> None:
    """The session has ended: its owner signed out of it."""
    AccountSession.objects.filter(session_key=session_key).delete()


# What else lets a device in, ended by other apps whenever a person is signed out everywhere
# (`end_sessions`): the committee gives a live calendar feed a new address. Registered from
# their `AppConfig.ready()`, since this app cannot import them.
_sign_out_steps: Steps[Callable[[Person], None]] = Steps()
register_sign_out_step = _sign_out_steps.register


def _delete_django_sessions(session_keys: Iterable[str]) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in session_keys:
        store(session_key=session_key).delete()


@transaction.atomic
def end_session(*, person: Person, session: AccountSession) -> None:
    """Sign the person out of one of their sessions: its next request is signed out."""
    if session.user_id != person.user_id:
        raise ValidationError(_("You can only end your own sessions."))
    _delete_django_sessions([session.session_key])
    session.delete()
    record_audit(
        action="sessions.end",
        actor=person,
        community=person.community,
        target=person,
        changes={"sessions": 1},
    )


@transaction.atomic
def end_sessions(
    *, person: Person, keep_session_key: str | None = None, actor: Person | None = None
) -> int:
    """Sign the person out everywhere but the session `keep_session_key` (everywhere when None),
    and end their API token and what `register_sign_out_step` adds; by themself, or by `actor`
    (a coordinator closing the account). Returns how many sessions ended."""
    sessions = AccountSession.objects.filter(user_id=person.user_id)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    keys = list(sessions.values_list("session_key", flat=True))
    _delete_django_sessions(keys)
    sessions.delete()
    tokens, _deleted = Token.objects.filter(user_id=person.user_id).delete()
    for step in _sign_out_steps:
        step(person)
    record_audit(
        action="sessions.end",
        actor=actor or person,
        community=person.community,
        target=person,
        changes={
            "sessions": len(keys),
            "kept_current": bool(keep_session_key),
            "api_token": tokens,
        },
    )
    return len(keys)


@transaction.atomic
def change_password(*, person: Person, password: str, keep_session_key: str | None) -> None:
    """A person sets a new password (the view has checked the old one). Every other session and
    their API token end with the old password."""
    validate_password(password, user=person.user)
    person.user.set_password(password)
    person.user.save(update_fields=["password"])
    record_audit(action="person.password", actor=person, community=person.community, target=person)
    end_sessions(person=person, keep_session_key=keep_session_key)
