"""Writes about who sits on the committee: its rule, committee roles and seats."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from stakeholders.models import Community, Organization, Person, Sector
from stakeholders.services import record_audit

from .. import selectors
from ..models import (
    Committee,
    CommitteeMember,
    CommitteeRole,
    Seat,
)
from . import notifications
from .access import require_coordinator


def _holds(person: Person) -> Q:
    """Seats where the person is the primary member or the alternate."""
    return Q(primary=person) | Q(alternate=person)


# --- the committee -----------------------------------------------------------------------------


def ensure_committee(*, community: Community) -> Committee:
    """The community's steering committee, set up on first use with the default rule."""
    committee, _created = Committee.objects.get_or_create(
        community=community,
        defaults={"name": _("%(community)s steering committee") % {"community": community.name}},
    )
    return committee


@transaction.atomic
def update_committee(
    *,
    actor: Person,
    committee: Committee,
    name: str,
    terms_of_reference: str,
    sectors_that_must_answer: Iterable[Sector],
    minimum_participation: int,
) -> Committee:
    require_coordinator(actor, committee.community_id)
    sectors = list(sectors_that_must_answer)
    if any(sector.community_id != committee.community_id for sector in sectors):
        raise ValidationError({"sectors_that_must_answer": _("Choose sectors of this community.")})
    if not 0 <= minimum_participation <= 100:
        raise ValidationError({"minimum_participation": _("Give a percentage from 0 to 100.")})
    if not name.strip():
        raise ValidationError({"name": _("Give the committee a name.")})
    committee.name = name.strip()
    committee.terms_of_reference = terms_of_reference
    committee.minimum_participation = minimum_participation
    committee.full_clean(exclude=["community", "sectors_that_must_answer"])
    committee.save()
    committee.sectors_that_must_answer.set(sectors)
    record_audit(
        action="committee.update",
        actor=actor,
        community=committee.community,
        target=committee,
        changes={
            "name": committee.name,
            "sectors_that_must_answer": sorted(sector.key for sector in sectors),
            "minimum_participation": minimum_participation,
        },
    )
    return committee


@transaction.atomic
def set_committee_role(
    *,
    actor: Person | None,
    committee: Committee,
    person: Person,
    role: str,
    on: date | None = None,
) -> CommitteeMember:
    """Give someone a role on the committee from a day on (today by default); their earlier
    role ends that day and stays in the history. `actor` None is the demo seed or a test."""
    if actor is not None:
        require_coordinator(actor, committee.community_id)
    if role not in CommitteeRole.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    if person.community_id != committee.community_id or not person.is_committee_member:
        raise ValidationError({"person": _("Choose a committee member of this community.")})
    on = on or committee.community.today()
    if role == CommitteeRole.OBSERVER and selectors.current_seats(committee, on=on).filter(
        _holds(person)
    ):
        raise ValidationError(
            {"role": _("An observer cannot hold a seat. End or hand over their seat first.")}
        )
    current = (
        CommitteeMember.objects.select_for_update()
        .filter(committee=committee, person=person, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        if current.role == role:
            return current
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    membership = CommitteeMember.objects.create(
        committee=committee, person=person, role=role, started_on=on
    )
    record_audit(
        action="committee.role",
        actor=actor,
        community=committee.community,
        target=person,
        changes={"before": current.role if current else None, "after": role},
    )
    return membership


@transaction.atomic
def end_committee_role(*, actor: Person, membership: CommitteeMember, on: date | None = None):
    require_coordinator(actor, membership.committee.community_id)
    if membership.ended_on is None:
        membership.ended_on = on or membership.committee.community.today()
        membership.save(update_fields=["ended_on"])
        record_audit(
            action="committee.role_end",
            actor=actor,
            community=membership.committee.community,
            target=membership.person,
            changes={"role": membership.role},
        )


def _check_seat_holder(committee: Committee, person: Person, sector: Sector, organization) -> None:
    if person.community_id != committee.community_id or not person.is_committee_member:
        raise ValidationError(_("%(name)s is not a committee member.") % {"name": person})
    if selectors.is_observer(person, committee):
        raise ValidationError(
            _("%(name)s is an observer; observers do not hold seats.") % {"name": person}
        )
    if organization is not None and person.organization_id != organization.pk:
        raise ValidationError(
            _("%(name)s is not part of %(organization)s.")
            % {"name": person, "organization": organization}
        )
    if organization is None and not person.sectors.filter(pk=sector.pk).exists():
        raise ValidationError(
            _("%(name)s is not part of the %(sector)s sector.") % {"name": person, "sector": sector}
        )


@transaction.atomic
def create_seat(
    *,
    actor: Person | None,
    committee: Committee,
    sector: Sector,
    primary: Person,
    organization: Organization | None = None,
    alternate: Person | None = None,
    started_on: date | None = None,
) -> Seat:
    """Seat an organization (or an independent member, with no organization) for a sector.
    `actor` None is the demo seed or a test."""
    if actor is not None:
        require_coordinator(actor, committee.community_id)
    today = committee.community.today()
    started_on = started_on or today
    if started_on > today:
        raise ValidationError({"started_on": _("A seat starts today or on a past day.")})
    if sector.community_id != committee.community_id:
        raise ValidationError({"sector": _("Choose a sector of this community.")})
    if organization is not None and organization.sector_id != sector.pk:
        raise ValidationError({"organization": _("This organization belongs to another sector.")})
    _check_seat_holder(committee, primary, sector, organization)
    if alternate is not None:
        if alternate.pk == primary.pk:
            raise ValidationError({"alternate": _("The alternate must be someone else.")})
        _check_seat_holder(committee, alternate, sector, organization)
    current = selectors.current_seats(committee)
    if organization is not None and current.filter(organization=organization).exists():
        raise ValidationError({"organization": _("This organization already has a seat.")})
    holders = [primary] + ([alternate] if alternate else [])
    for person in holders:
        if current.filter(_holds(person)).exists():
            raise ValidationError(_("%(name)s already holds a seat.") % {"name": person})
    seat = Seat.objects.create(
        committee=committee,
        sector=sector,
        organization=organization,
        primary=primary,
        alternate=alternate,
        started_on=started_on,
    )
    for person, role in ((primary, CommitteeRole.MEMBER), (alternate, CommitteeRole.ALTERNATE)):
        if person is not None and selectors.committee_role_of(person, committee) is None:
            CommitteeMember.objects.create(
                committee=committee, person=person, role=role, started_on=seat.started_on
            )
    record_audit(
        action="seat.create",
        actor=actor,
        community=committee.community,
        target=seat,
        changes={
            "sector": sector.key,
            "organization": organization.name if organization else None,
            "primary": primary.pk,
            "alternate": alternate.pk if alternate else None,
        },
    )
    notifications.seat_started(seat)
    return seat


@transaction.atomic
def end_seat(*, actor: Person, seat: Seat, on: date | None = None) -> Seat:
    """The seat is no longer held from that day; its positions stay in the history."""
    require_coordinator(actor, seat.committee.community_id)
    today = seat.committee.community.today()
    on = on or today
    if not seat.started_on <= on <= today:
        # A future end would free the organization's place while the seat still counts.
        raise ValidationError(
            {"ended_on": _("A seat can end today or on an earlier day, but not before it started.")}
        )
    if seat.ended_on is None:
        seat.ended_on = on
        seat.save(update_fields=["ended_on"])
        record_audit(
            action="seat.end", actor=actor, community=seat.committee.community, target=seat
        )
    return seat


# --- when someone stops taking part --------------------------------------------------------------


def _still_fits(person: Person, seat: Seat) -> bool:
    """Whether `person` may still hold (or stand in for) `seat`, by the rules `create_seat`
    checks: taking part in the committee, and part of the seated organization (or, for an
    independent member's seat, of its sector)."""
    if not person.is_committee_member or person.left_at is not None:
        return False
    if seat.organization_id is not None:
        return person.organization_id == seat.organization_id
    return person.sectors.filter(pk=seat.sector_id).exists()


def _hand_over(seat: Seat, *, actor: Person | None, on: date) -> Seat | None:
    """End a seat whose primary member can no longer hold it. Its alternate, if they may
    still hold it, takes it over from the same day as its primary, for the same sector and
    organization (with no alternate): the organization keeps its place at the table. The
    ended seat keeps its history and its positions; on a proposal still open, the new seat
    answers afresh. Returns the new seat, if any."""
    successor = seat.alternate
    seat.ended_on = on
    seat.save(update_fields=["ended_on"])
    community = seat.committee.community
    record_audit(action="seat.end", actor=actor, community=community, target=seat)
    if successor is None or not _still_fits(successor, seat):
        return None
    if selectors.is_observer(successor, seat.committee):
        return None
    new_seat = Seat.objects.create(
        committee=seat.committee,
        sector=seat.sector,
        organization=seat.organization,
        primary=successor,
        started_on=on,
    )
    if selectors.committee_role_of(successor, seat.committee) in {None, CommitteeRole.ALTERNATE}:
        _set_role(seat.committee, successor, CommitteeRole.MEMBER, on=on, actor=actor)
    record_audit(
        action="seat.create",
        actor=actor,
        community=community,
        target=new_seat,
        changes={
            "sector": seat.sector.key,
            "organization": seat.organization.name if seat.organization else None,
            "primary": successor.pk,
            "alternate": None,
            "took_over_from_seat": seat.pk,
        },
    )
    notifications.seat_started(new_seat)
    return new_seat


def _end_current_role(committee: Committee, person: Person, on: date) -> CommitteeMember | None:
    """End the person's current role on the committee, if any, and return it."""
    current = (
        CommitteeMember.objects.select_for_update()
        .filter(committee=committee, person=person, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    return current


def _set_role(committee: Committee, person: Person, role: str, *, on: date, actor) -> None:
    current = _end_current_role(committee, person, on)
    CommitteeMember.objects.create(committee=committee, person=person, role=role, started_on=on)
    record_audit(
        action="committee.role",
        actor=actor,
        community=committee.community,
        target=person,
        changes={"before": current.role if current else None, "after": role},
    )


@transaction.atomic
def follow_membership(*, person: Person, actor: Person | None, leaving: bool = False) -> None:
    """Someone's place in the community changed (`stakeholders.services.update_membership`) or
    they are leaving the platform (`leaving`): what they can no longer hold on the committee
    ends today, and its history stays.

    - Someone who no longer takes part (account closed, leaving, now an administrator) ends
      every seat they hold and their role on the committee.
    - Someone who still takes part but is no longer part of the organization their seat is
      for (or, for an independent member's seat, of its sector) no longer holds that seat.
    - A seat whose primary member goes ends; its alternate, if any, takes it over
      (`_hand_over`).
    - An alternate who goes is no longer the alternate of their seat, which stays as it is.
    """
    committee = Committee.objects.filter(community_id=person.community_id).first()
    if committee is None:
        return
    on = person.community.today()
    taking_part = person.is_committee_member and not leaving
    seats = (
        Seat.objects.select_for_update(of=("self",))
        .filter(committee=committee, ended_on__isnull=True)
        .filter(_holds(person))
        .select_related("committee__community", "sector", "organization", "alternate")
    )
    for seat in seats:
        if taking_part and _still_fits(person, seat):
            continue
        if seat.primary_id == person.pk:
            _hand_over(seat, actor=actor, on=on)
        else:
            seat.alternate = None
            seat.save(update_fields=["alternate"])
            record_audit(
                action="seat.alternate_end",
                actor=actor,
                community=committee.community,
                target=seat,
                changes={"alternate": person.pk},
            )
    if not taking_part:
        membership = _end_current_role(committee, person, on)
        if membership is not None:
            record_audit(
                action="committee.role_end",
                actor=actor,
                community=committee.community,
                target=person,
                changes={"role": membership.role},
            )
