"""The audit trail as people read it: what each kind of record is called, who may see an entry
about it, where it links, what each action is called, and the changes as a readable list.

`stakeholders` cannot import `committee` or `workplans`, so each app tells this module about its
own records and actions from its `AppConfig.ready()` (`register_kind`, `register_actions`). The
reads that depend on the viewer are in `selectors` (`audit_entries_for`, `audit_rows`).

Who may see an entry: a coordinator sees every entry of their community, except those about a
record they may not see (the entry and its changes, which may carry its title, are left out as
if they did not exist). A kind registered with `restricted=True` names the records of that kind
the viewer may see; a `VisibleRecord` kind nobody registered falls back to `visible_to`; and a
kind that hangs under a `VisibleRecord` (a required foreign key to one) that nobody registered is
never shown at all, so that a new child model cannot leak through the trail by being forgotten."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.models import GroupObjectPermissionBase

from .models import VisibleRecord

Viewer = Any  # a user (or AnonymousUser); kept loose to avoid importing selectors here


@dataclass(frozen=True)
class AuditKind:
    """How the trail shows entries about one model.

    `records(user)` gives the records of this kind that the viewer may see, with whatever
    `describe` and `link` read (select_related), so that a page needs one query per kind.
    `restricted` says whether an entry about a record missing from `records(user)` must be left
    out (True for anything with a visibility); False for the committee-wide kinds (seats,
    people, invitations), whose entries every coordinator sees even once the record is gone."""

    model: type[models.Model]
    records: Callable[[Viewer], QuerySet]
    restricted: bool
    describe: Callable[[Any], str] = str
    link: Callable[[Any, str], str | None] | None = None


_kinds: dict[type[models.Model], AuditKind] = {}
_labels: dict[str, Any] = {}
_groups: dict[str, Any] = {}


def register_kind(
    model: type[models.Model],
    *,
    records: Callable[[Viewer], QuerySet] | None = None,
    restricted: bool,
    describe: Callable[[Any], str] = str,
    link: Callable[[Any, str], str | None] | None = None,
) -> None:
    """Tell the trail about a model that entries can be about. `records` defaults to every
    record of the model (for `restricted=False`)."""
    if restricted and records is None:
        raise ValueError(f"{model.__name__}: a restricted kind needs `records`")
    _kinds[model] = AuditKind(
        model=model,
        records=records or (lambda user: model._default_manager.all()),
        restricted=restricted,
        describe=describe,
        link=link,
    )


def register_actions(*, groups: Mapping[str, Any], labels: Mapping[str, Any]) -> None:
    """Readable (lazily translated) names: `groups` per action prefix ("proposal" → Proposals,
    offered as a filter), `labels` per action ("proposal.create" → created a proposal)."""
    _groups.update(groups)
    _labels.update(labels)


def kind_for(model: type[models.Model] | None) -> AuditKind | None:
    """The registered kind, the default for an unregistered `VisibleRecord`, or None."""
    if model is None:
        return None
    if model in _kinds:
        return _kinds[model]
    if issubclass(model, VisibleRecord):
        from .selectors import visible_to

        return AuditKind(
            model=model,
            records=lambda user: visible_to(user, model._default_manager.all()),
            restricted=True,
        )
    return None


def is_unregistered_child(model: type[models.Model] | None) -> bool:
    """A model nobody registered whose rows hang under a `VisibleRecord` (or whose class is
    gone): entries about it are never shown."""
    if model is None:
        return True
    if model in _kinds or issubclass(model, VisibleRecord):
        return False
    return issubclass(model, GroupObjectPermissionBase) or any(
        isinstance(field, models.ForeignKey)
        and not field.null
        and issubclass(field.related_model, VisibleRecord)
        for field in model._meta.concrete_fields
    )


def registered_kinds() -> dict[type[models.Model], AuditKind]:
    return dict(_kinds)


def action_label(action: str) -> str:
    label = _labels.get(action)
    return str(label) if label is not None else action


def action_groups() -> list[tuple[str, str]]:
    """(prefix, label) for the filter, in the order of their labels."""
    return sorted(((prefix, str(label)) for prefix, label in _groups.items()), key=lambda x: x[1])


def kind_label(model: type[models.Model] | None) -> str:
    if model is None:
        return _("a record that no longer exists")
    return str(model._meta.verbose_name)


# --- the changes as a readable list ------------------------------------------------------------

# Keys whose values say nothing useful to a reader, or could list records the reader may not see
# (a new order lists the ids of every record reordered, hidden ones too).
_VALUE_LEFT_OUT = frozenset({"order"})

_KEY_LABELS: dict[str, Any] = {
    "before": gettext_lazy("before"),
    "after": gettext_lazy("after"),
    "title": gettext_lazy("title"),
    "name": gettext_lazy("name"),
    "name_fr": gettext_lazy("name in French"),
    "is_required": gettext_lazy("must be on the committee"),
    "email": gettext_lazy("email"),
    "role": gettext_lazy("role"),
    "sectors": gettext_lazy("sectors"),
    "sector": gettext_lazy("sector"),
    "organization": gettext_lazy("organization"),
    "visibility": gettext_lazy("visibility"),
    "added": gettext_lazy("added"),
    "removed": gettext_lazy("removed"),
    "changed": gettext_lazy("changed"),
    "status": gettext_lazy("status"),
    "order": gettext_lazy("new order"),
    "is_active": gettext_lazy("account open"),
    "anonymous": gettext_lazy("names hidden"),
    "version": gettext_lazy("version"),
    "sessions": gettext_lazy("sessions"),
    "api_token": gettext_lazy("API token"),
    "kept_current": gettext_lazy("kept this session"),
    "comments_deleted": gettext_lazy("comments deleted"),
    "proposal": gettext_lazy("proposal"),
    "seat": gettext_lazy("seat"),
    "meeting": gettext_lazy("meeting"),
    "person": gettext_lazy("person"),
    "primary": gettext_lazy("holder"),
    "alternate": gettext_lazy("alternate"),
    "present": gettext_lazy("present"),
    "revoked": gettext_lazy("stopped"),
}


@dataclass(frozen=True)
class Change:
    label: str
    value: str


def readable_changes(changes: Mapping[str, Any] | None) -> list[Change]:
    """An entry's `changes` as (label, value) lines: nested dicts flattened into "a: b" parts,
    lists joined, empty values as a dash, the value of `_VALUE_LEFT_OUT` keys left out."""
    if not isinstance(changes, Mapping):
        return []
    return [
        Change(_key_label(key), "" if key in _VALUE_LEFT_OUT else _value(value))
        for key, value in changes.items()
    ]


def _key_label(key: str) -> str:
    label = _KEY_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ")


def _value(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Mapping):
        return "; ".join(f"{_key_label(key)}: {_value(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_value(item) for item in value)
    if isinstance(value, datetime | date):
        return formats.localize(value)
    return str(value)


# --- stakeholders' own records and actions -----------------------------------------------------


def register() -> None:
    """Called from `StakeholdersConfig.ready()`."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from .models import Community, Invitation, Organization, OrganizationNote, Person, Sector

    def person_link(person: Person, slug: str) -> str | None:
        return reverse("person-detail", args=[slug, person.pk]) if person.is_active else None

    def organization_notes(user: Viewer) -> QuerySet:
        from .selectors import organization_notes_for

        return organization_notes_for(user).select_related("organization")

    register_kind(Community, restricted=False, describe=lambda community: community.name)
    register_kind(
        Person,
        restricted=False,
        describe=lambda person: person.display_name,
        link=person_link,
    )
    # Accounts without a profile (site staff) are named by nobody.
    register_kind(get_user_model(), restricted=False, describe=lambda user: "")
    register_kind(
        Invitation,
        restricted=False,
        describe=lambda invitation: (
            invitation.display_name or invitation.email or _("erased invitation")
        ),
        link=lambda invitation, slug: reverse("onboarding", args=[slug]),
    )
    register_kind(
        Organization,
        restricted=False,
        describe=lambda organization: organization.name,
        link=lambda organization, slug: reverse(
            "organization-detail", args=[slug, organization.pk]
        ),
    )
    register_kind(
        Sector,
        restricted=False,
        describe=lambda sector: sector.localized_name,
        link=lambda sector, slug: reverse("sector-list", args=[slug]),
    )
    register_kind(
        OrganizationNote,
        restricted=True,
        records=organization_notes,
        describe=lambda note: note.organization.name,
        link=lambda note, slug: reverse("note-detail", args=[slug, note.pk]),
    )
    register_actions(
        groups={
            "community": gettext_lazy("Community"),
            "sector": gettext_lazy("Sectors"),
            "organization": gettext_lazy("Organizations"),
            "organization_note": gettext_lazy("Notes on organizations"),
            "invitation": gettext_lazy("Invitations"),
            "person": gettext_lazy("People and memberships"),
            "visibility": gettext_lazy("Who can see what"),
            "sessions": gettext_lazy("Signed-in sessions"),
            "two_factor": gettext_lazy("Two-step sign-in"),
        },
        labels={
            "community.create": gettext_lazy("created the community"),
            "community.public_page": gettext_lazy("changed the community's public page"),
            "sector.save": gettext_lazy("saved a sector"),
            "organization.register": gettext_lazy("registered an organization"),
            "organization_note.create": gettext_lazy("wrote a note on an organization"),
            "invitation.create": gettext_lazy("invited someone"),
            "invitation.revoke": gettext_lazy("revoked an invitation"),
            "invitation.accept": gettext_lazy("accepted an invitation"),
            "invitation.erase": gettext_lazy("erased the contact details of an old invitation"),
            "person.audiences": gettext_lazy("changed what someone can see (their groups)"),
            "person.membership": gettext_lazy("changed someone's role, sectors or organization"),
            "person.profile": gettext_lazy("changed their profile"),
            "person.password": gettext_lazy("changed their password"),
            "person.sign_in_unpaused": gettext_lazy("let someone sign in again"),
            "person.left": gettext_lazy("left the platform"),
            "visibility.grants": gettext_lazy("set who can see a record"),
            "sessions.end": gettext_lazy("ended signed-in sessions"),
            "two_factor.on": gettext_lazy("turned on two-step sign-in"),
            "two_factor.off": gettext_lazy("turned off two-step sign-in"),
            "two_factor.recovery_codes": gettext_lazy("made new recovery codes"),
        },
    )
