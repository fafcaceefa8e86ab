"""The visibility rules, as pure functions: which audiences a record's visibility grants to,
which audiences a person belongs to, and which visibility a person may choose.

Services turn these answers into rows (grants, group memberships); selectors read the rows.
Nothing else decides who may see what."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Audience, Person, Sector, Visibility, VisibleRecord


@dataclass(frozen=True)
class AudienceKey:
    """Names an audience without touching the database: (kind, community id, target id)."""

    kind: str
    community_id: int
    target_id: int | None = None


def audiences_of_person(person: Person) -> set[AudienceKey]:
    """The audiences a person is in. Administrators onboard people but see no committee
    content, so they are in none; a closed account is in none."""
    if not person.is_committee_member:
        return set()
    community_id = person.community_id
    keys = {AudienceKey(Audience.Kind.MEMBERS, community_id)}
    if person.is_coordinator:
        keys.add(AudienceKey(Audience.Kind.COORDINATORS, community_id))
    for sector in person.sectors.all():
        keys.add(AudienceKey(Audience.Kind.SECTOR, community_id, sector.pk))
    if person.organization_id is not None:
        keys.add(AudienceKey(Audience.Kind.ORGANIZATION, community_id, person.organization_id))
    return keys


def audiences_of_record(record: VisibleRecord, sector_ids: Iterable[int]) -> set[AudienceKey]:
    """The audiences a record is granted to. `public` records need no grant: selectors let
    everyone read them."""
    community_id = record.community_id
    match record.visibility:
        case Visibility.PUBLIC:
            return set()
        case Visibility.COMMITTEE:
            return {AudienceKey(Audience.Kind.MEMBERS, community_id)}
        case Visibility.SECTORS:
            return {AudienceKey(Audience.Kind.SECTOR, community_id, pk) for pk in sector_ids}
        case Visibility.ORGANIZATION:
            return {
                AudienceKey(Audience.Kind.ORGANIZATION, community_id, record.owner_organization_id)
            }
        case Visibility.COORDINATORS:
            return {AudienceKey(Audience.Kind.COORDINATORS, community_id)}
    raise ValueError(f"unknown visibility {record.visibility!r}")


def check_visibility_choice(
    *,
    author: Person,
    record_type: type[VisibleRecord],
    visibility: str,
    sectors: Iterable[Sector],
) -> None:
    """Raise ValidationError (with a message for the author) unless `author` may give a record
    of `record_type` this visibility."""
    sectors = list(sectors)
    if not author.is_committee_member:
        raise ValidationError(_("Only committee members can write here."))
    if visibility not in record_type.allowed_visibilities:
        raise ValidationError({"visibility": _("This kind of record cannot be shared that way.")})
    if visibility == Visibility.PUBLIC and not author.is_coordinator:
        raise ValidationError({"visibility": _("Only coordinators can make something public.")})
    if visibility == Visibility.SECTORS:
        if not sectors:
            raise ValidationError({"visible_sectors": _("Choose at least one sector.")})
        own = {sector.pk for sector in author.sectors.all()}
        if any(sector.pk not in own for sector in sectors):
            raise ValidationError(
                {"visible_sectors": _("You can only restrict a record to sectors you belong to.")}
            )
    elif sectors:
        raise ValidationError(
            {"visible_sectors": _("Sectors are chosen only when sharing with sectors.")}
        )
    if visibility == Visibility.ORGANIZATION and author.organization_id is None:
        raise ValidationError(
            {"visibility": _("You are not part of an organization, so choose another option.")}
        )
