"""Every read in `stakeholders` that depends on who is asking. Views and the API get
permissioned records only from here (and from other apps' selectors built on `visible_to`)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device

from . import audit_trail
from .models import (
    AccountSession,
    Audience,
    AuditEntry,
    Community,
    Invitation,
    Organization,
    OrganizationNote,
    Person,
    Role,
    Sector,
    Visibility,
    VisibleRecord,
)

Record = TypeVar("Record", bound=VisibleRecord)
Viewer = AbstractBaseUser | AnonymousUser


def person_of(user: Viewer) -> Person | None:
    """The viewer's profile, cached on the user object for the request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_lic_person"):
        user._lic_person = (
            Person.objects.select_related("community", "organization")
            .filter(user=user, is_active=True)
            .first()
        )
    return user._lic_person


def community_of(user: Viewer, slug: str) -> Community:
    """The viewer's community by its slug; any other community does not exist for them."""
    person = person_of(user)
    if person is None or person.community.slug != slug:
        raise Http404
    return person.community


def _view_permission(model: type[VisibleRecord]) -> QuerySet[Permission]:
    return (
        Permission.objects.filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
            codename=f"view_{model._meta.model_name}",
        )
        .order_by()
        .values("pk")
    )


def visible_to(user: Viewer, queryset: QuerySet[Record]) -> QuerySet[Record]:
    """Narrow a queryset of a `VisibleRecord` kind to what `user` may see: public records, and
    in the viewer's own community those granted to one of their audiences, and their own.
    Lists of one community should also filter on it, so that PostgreSQL can start from the
    community's index rather than every public record."""
    model = queryset.model
    public = Q(visibility=Visibility.PUBLIC)
    person = person_of(user)
    if person is None or not person.is_committee_member:
        return queryset.filter(public)
    granted = model.grant_model.objects.filter(
        content_object=OuterRef("pk"),
        # The permission as a value rather than a join, so that PostgreSQL estimates how many
        # grants the viewer's audiences hold (docs/scaling.md).
        permission_id=Subquery(_view_permission(model)),
        group_id__in=user.groups.exclude(audience__kind=Audience.Kind.MEMBERS).values("pk"),
    )
    # A `committee` record is granted to its community's members audience, which every
    # committee member of the community is in (`visibility.audiences_of_person`): that much is
    # read from the record itself. So the grants looked up are only those of the narrower
    # audiences (sectors, organization, coordinators), not one for nearly every record, which
    # every list would otherwise read in full before its first row.
    own_community = Q(community_id=person.community_id) & (
        Q(visibility=Visibility.COMMITTEE) | Exists(granted) | Q(author_id=person.pk)
    )
    return queryset.filter(public | own_community)


def visible_pairs(
    records: dict[int, Record], wanted: dict[Person, Iterable[int]]
) -> set[tuple[int, int]]:
    """`visible_to` for many viewers and records at once (the notification sweep checks a whole
    batch): of the (person, record id) pairs asked for, those where the person may see the
    record, as (person id, record id). `records` are the records by id, all of one model; one
    query reads the grants. It applies the rule of `visible_to` to the records in memory, and
    `tests/committee/test_sweep_visibility.py` holds the two to the same answers."""
    if not records:
        return set()
    model = type(next(iter(records.values())))
    members = {person.user_id for person in wanted if person.is_committee_member}
    granted = set(
        model.grant_model.objects.filter(
            content_object_id__in=records,
            permission__codename=f"view_{model._meta.model_name}",
            group__user__in=members,
        )
        .exclude(group__audience__kind=Audience.Kind.MEMBERS)
        .values_list("group__user", "content_object_id")
    )
    pairs = set()
    for person, record_ids in wanted.items():
        for pk in record_ids:
            record = records.get(pk)
            if record is None:
                continue
            if record.visibility == Visibility.PUBLIC or (
                person.is_committee_member
                and record.community_id == person.community_id
                and (
                    record.visibility == Visibility.COMMITTEE
                    or (person.user_id, pk) in granted
                    or record.author_id == person.pk
                )
            ):
                pairs.add((person.pk, pk))
    return pairs


def people_who_can_see(record: VisibleRecord) -> QuerySet[Person]:
    """The reverse of `visible_to`: the people of the record's community who may see it now
    (for notifications and reminders). Anonymous visitors of a public record are not people."""
    people = Person.objects.filter(
        community_id=record.community_id,
        is_active=True,
        role__in=[Role.MEMBER, Role.COORDINATOR],
    )
    if record.visibility == Visibility.PUBLIC:
        return people
    model = type(record)
    granted_groups = model.grant_model.objects.filter(
        content_object=record, permission__codename=f"view_{model._meta.model_name}"
    ).values("group")
    return people.filter(
        Q(pk__in=people.filter(user__groups__in=granted_groups).values("pk"))
        | Q(pk=record.author_id)
    )


def get_visible(user: Viewer, queryset: QuerySet[Record], **lookup) -> Record:
    """One record the user may see, or Http404 exactly as for a record that does not exist."""
    record = visible_to(user, queryset).filter(**lookup).first()
    if record is None:
        raise Http404
    return record


# --- directory ---------------------------------------------------------------------------------


def sectors_for(user: Viewer) -> QuerySet[Sector]:
    person = person_of(user)
    if person is None:
        return Sector.objects.none()
    return Sector.objects.filter(community_id=person.community_id)


def organizations_for(user: Viewer) -> QuerySet[Organization]:
    person = person_of(user)
    if person is None:
        return Organization.objects.none()
    return Organization.objects.filter(community_id=person.community_id).select_related("sector")


def people_for(user: Viewer) -> QuerySet[Person]:
    """The people of the viewer's community with an open account."""
    person = person_of(user)
    if person is None:
        return Person.objects.none()
    return (
        Person.objects.filter(community_id=person.community_id, is_active=True)
        .select_related("organization")
        .prefetch_related(Prefetch("sectors", queryset=Sector.objects.order_by("position")))
    )


def closed_accounts_for(user: Viewer) -> QuerySet[Person]:
    """For a coordinator: the people of their community whose account a coordinator closed
    (not those who left the platform, whose data is gone). Nobody else sees any."""
    person = person_of(user)
    if person is None or not person.is_coordinator:
        return Person.objects.none()
    return Person.objects.filter(
        community_id=person.community_id, is_active=False, left_at__isnull=True
    ).order_by("display_name", "pk")


def can_see_contact(viewer: Viewer, person: Person) -> bool:
    """Contact details are for the person themself and their community's coordinators."""
    me = person_of(viewer)
    if me is None:
        return False
    return me.pk == person.pk or (me.is_coordinator and me.community_id == person.community_id)


def invitations_for(user: Viewer) -> QuerySet[Invitation]:
    person = person_of(user)
    if person is None or not person.can_onboard:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(community_id=person.community_id)
        .select_related("organization", "invited_by", "accepted_by")
        .prefetch_related("sectors")
    )


def organization_notes_for(user: Viewer) -> QuerySet[OrganizationNote]:
    return visible_to(
        user,
        OrganizationNote.objects.select_related("organization", "author").prefetch_related(
            "visible_sectors"
        ),
    )


# --- stakeholder map ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatHoldings:
    """Who holds a seat on a community's committee today, by sector and organization."""

    seats_by_sector: dict[int, int] = field(default_factory=dict)  # sector id -> current seats
    seated_organizations: frozenset[int] = frozenset()


# A sector is represented when it holds a seat on the committee, not when someone of it merely
# has an account: the committee app says who holds seats (registered from its
# `AppConfig.ready()`, since this app cannot import it). Until it does, nobody holds one.
_seat_holdings: list[Callable[[Community], SeatHoldings]] = []


def register_seat_holdings(source: Callable[[Community], SeatHoldings]) -> None:
    _seat_holdings[:] = [source]


def seat_holdings(community: Community) -> SeatHoldings:
    return _seat_holdings[0](community) if _seat_holdings else SeatHoldings()


def stakeholder_map(user: Viewer) -> list[dict]:
    """Per sector of the viewer's community: its organizations (and whether each holds a seat
    on the committee), how many seats it holds and how many committee members it has, and
    whether it is a gap: no seat on the committee."""
    person = person_of(user)
    if person is None:
        return []
    committee = Q(people__is_active=True, people__role__in=["member", "coordinator"])
    sectors = (
        Sector.objects.filter(community_id=person.community_id)
        .annotate(committee_members=Count("people", filter=committee, distinct=True))
        .prefetch_related(Prefetch("organizations", queryset=Organization.objects.order_by("name")))
        .order_by("position", "name")
    )
    holdings = seat_holdings(person.community)
    rows = []
    for sector in sectors:
        organizations = list(sector.organizations.all())
        for organization in organizations:
            organization.holds_seat = organization.pk in holdings.seated_organizations
        seats = holdings.seats_by_sector.get(sector.pk, 0)
        rows.append(
            {
                "sector": sector,
                "organizations": organizations,
                "seats": seats,
                "committee_members": sector.committee_members,
                "is_gap": seats == 0,
            }
        )
    return rows


# --- sign-in protection ------------------------------------------------------------------------


def sign_in_paused(person: Person) -> bool:
    """Whether too many failed sign-ins have paused this person's account (django-axes)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    return AccessAttempt.objects.filter(
        username=person.user.get_username(),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).exists()


# --- account security: two-step sign-in and signed-in sessions ---------------------------------

VERIFY = "verify"
SET_UP = "set-up"


def two_factor_required(user: Viewer) -> bool:
    """Whether this account must use two-step sign-in: people whose role is listed in
    TWO_FACTOR_REQUIRED_ROLES, and Django admin staff (who can reach every record) whenever any
    role is listed."""
    roles = settings.TWO_FACTOR_REQUIRED_ROLES
    if not roles or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    person = person_of(user)
    return person is not None and person.role in roles


def has_two_factor(user: Viewer) -> bool:
    """Whether the account has two-step sign-in on (a confirmed device)."""
    return user.is_authenticated and user_has_device(user, confirmed=True)


def two_factor_step(user: Viewer) -> str | None:
    """What a signed-in session still owes before the platform opens to it: `VERIFY` (a code
    from the person's device), `SET_UP` (the person must set up two-step sign-in first), or
    None."""
    if not user.is_authenticated or getattr(user, "otp_device", None) is not None:
        return None
    if has_two_factor(user):
        return VERIFY
    if two_factor_required(user):
        return SET_UP
    return None


def account_sessions_for(user: Viewer) -> QuerySet[AccountSession]:
    """The viewer's own signed-in sessions that may still be alive, most recently seen first: a
    session expires at most SESSION_COOKIE_AGE after its last request."""
    if not user.is_authenticated:
        return AccountSession.objects.none()
    alive_for = timedelta(seconds=settings.SESSION_COOKIE_AGE) + AccountSession.SEEN_EVERY
    oldest = timezone.now() - alive_for
    return AccountSession.objects.filter(user=user, last_seen_at__gte=oldest)


# --- the audit trail ---------------------------------------------------------------------------


def _without_hidden_entries(user: Viewer, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """Leave out every entry about a record the viewer may not see (see `audit_trail`), in the
    database, so that pages and counts are right. One subquery per kind of record the entries
    are about."""
    type_ids = set(
        entries.exclude(target_type=None).order_by().values_list("target_type", flat=True)
    )
    hidden = Q()
    for type_id in sorted(type_ids):
        model = ContentType.objects.get_for_id(type_id).model_class()
        if audit_trail.is_unregistered_child(model):
            hidden |= Q(target_type=type_id)
            continue
        kind = audit_trail.kind_for(model)
        if kind is None or not kind.restricted:
            continue
        visible_ids = (
            kind.records(user)
            .order_by()
            .annotate(pk_text=Cast("pk", output_field=CharField()))
            .values("pk_text")
        )
        hidden |= Q(target_type=type_id) & ~Q(target_id__in=visible_ids)
    return entries.exclude(hidden) if hidden else entries


def audit_entries_for(
    user: Viewer, *, group: str | None = None, actor: Person | None = None
) -> QuerySet[AuditEntry]:
    """The audit trail of the viewer's community, newest first, for its coordinators (nobody
    else reads it): every entry except those about records they may not see. `group` narrows
    to one kind of action ("proposal" for proposal.*), `actor` to what one person did."""
    person = person_of(user)
    if person is None or not person.is_coordinator:
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.filter(community_id=person.community_id)
    if group:
        entries = entries.filter(action__startswith=f"{group}.")
    if actor is not None:
        entries = entries.filter(actor_id=actor.user_id)
    return _without_hidden_entries(user, entries).select_related("actor__person", "target_type")


def audit_entries_about_me(user: Viewer) -> QuerySet[AuditEntry]:
    """The entries of the viewer's community where they acted or that are about them, with the
    same rule as the audit trail: none about a record they may not see (now)."""
    person = person_of(user)
    if person is None:
        return AuditEntry.objects.none()
    about_me = Q(target_type=ContentType.objects.get_for_model(Person), target_id=str(person.pk))
    entries = AuditEntry.objects.filter(community_id=person.community_id).filter(
        Q(actor=user) | about_me
    )
    return _without_hidden_entries(user, entries).select_related("actor__person", "target_type")


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    who: str
    what: str
    kind: str
    target: str  # how the record is named; empty when it cannot be shown
    url: str | None
    changes: list[audit_trail.Change]


def audit_rows(user: Viewer, entries: Iterable[AuditEntry], *, slug: str) -> list[AuditRow]:
    """A page of entries from `audit_entries_for` or `audit_entries_about_me`, readable: who,
    what, about which record (named and linked only where the viewer may see it) and the
    changes. The records are loaded in one query per kind."""
    entries = list(entries)
    wanted: dict[int, set[str]] = {}
    for entry in entries:
        if entry.target_type_id is not None and entry.target_id:
            wanted.setdefault(entry.target_type_id, set()).add(entry.target_id)
    loaded: dict[tuple[int, str], Any] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        kind = audit_trail.registered_kinds().get(model)
        if kind is None:
            continue  # unregistered kinds are shown by their name only
        numeric = [target_id for target_id in ids if target_id.isdigit()]
        for record in kind.records(user).filter(pk__in=numeric):
            loaded[(type_id, str(record.pk))] = record
    rows = []
    for entry in entries:
        model = entry.target_type.model_class() if entry.target_type_id else None
        record = loaded.get((entry.target_type_id, entry.target_id))
        kind = audit_trail.registered_kinds().get(model) if record is not None else None
        rows.append(
            AuditRow(
                entry=entry,
                who=_actor_name(entry),
                what=audit_trail.action_label(entry.action),
                kind=audit_trail.kind_label(model) if entry.target_type_id else "",
                target=kind.describe(record) if kind else "",
                url=kind.link(record, slug) if kind and kind.link else None,
                changes=audit_trail.readable_changes(entry.changes),
            )
        )
    return rows


def _actor_name(entry: AuditEntry) -> str:
    if entry.actor_id is None:
        return str(_("the platform"))
    person = getattr(entry.actor, "person", None)
    return person.display_name if person is not None else str(_("site staff"))
