"""Browser pages for the committee itself: who sits on it and its rule, for those who take
part in it (administrators onboard but see no committee content); its settings, seats and
roles, for coordinators. Thin: records come from selectors,
writes go to services, and a service's ValidationError is shown on the form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stakeholders import selectors as stakeholder_selectors
from stakeholders.models import Role
from stakeholders.views import add_form_errors, coordinators_page

from .. import selectors, services
from ..forms.members import CommitteeRoleForm, CommitteeSettingsForm, SeatForm
from ..models import CommitteeRole
from .notifications import member_page


def _without_a_seat_labels() -> dict[str, str]:
    """Roles a seat already shows: the roles list names these people only when they hold no
    seat, under these labels."""
    return {
        CommitteeRole.MEMBER: _("Members without a seat"),
        CommitteeRole.ALTERNATE: _("Alternates without a seat"),
    }


def _committee_people(user):
    """Who can sit on the committee or take a role on it: its members and coordinators."""
    return stakeholder_selectors.people_for(user).filter(role__in=[Role.MEMBER, Role.COORDINATOR])


def _roles_by_kind(user, seats) -> list[tuple[str, list]]:
    """The committee's current roles in the order of `CommitteeRole`, each with its people;
    members and alternates are listed here only when no seat names them."""
    seated = {seat.primary_id for seat in seats} | {seat.alternate_id for seat in seats}
    without_a_seat = _without_a_seat_labels()
    memberships = list(selectors.committee_roles_for(user))
    groups = []
    for role in CommitteeRole:
        people = [
            membership.person
            for membership in memberships
            if membership.role == role
            and not (role in without_a_seat and membership.person_id in seated)
        ]
        if people:
            groups.append((without_a_seat.get(role, role.label), people))
    return groups


@member_page
def committee_page(request, community):
    committee = services.ensure_committee(community=community)
    rows = selectors.representation(request.user)
    seats = [seat for row in rows for seat in row.seats]
    return render(
        request,
        "committee/committee.html",
        {
            "community": community,
            "committee": committee,
            "must_answer": committee.sectors_that_must_answer.order_by("position", "name"),
            "rows": rows,
            "seat_count": len(seats),
            "missing_required": [
                row.sector for row in rows if row.is_missing and row.sector.is_required
            ],
            "roles": _roles_by_kind(request.user, seats),
            "past_seats": selectors.past_seats_for(request.user),
        },
    )


@coordinators_page
def committee_settings(request, community):
    me = stakeholder_selectors.person_of(request.user)
    committee = services.ensure_committee(community=community)
    form = CommitteeSettingsForm(
        request.POST or None,
        sectors=stakeholder_selectors.sectors_for(request.user).order_by("position", "name"),
        initial={
            "name": committee.name,
            "terms_of_reference": committee.terms_of_reference,
            "sectors_that_must_answer": committee.sectors_that_must_answer.all(),
            "minimum_participation": committee.minimum_participation,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_committee(actor=me, committee=committee, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The committee's settings are saved."))
            return redirect("committee", slug=community.slug)
    return render(
        request,
        "committee/committee_settings.html",
        {"community": community, "committee": committee, "form": form},
    )


@coordinators_page
def seat_admin(request, community):
    me = stakeholder_selectors.person_of(request.user)
    committee = services.ensure_committee(community=community)
    people = _committee_people(request.user)
    seat_form = SeatForm(
        request.POST or None,
        prefix="seat",
        sectors=stakeholder_selectors.sectors_for(request.user).order_by("position", "name"),
        organizations=stakeholder_selectors.organizations_for(request.user).order_by("name"),
        people=people,
    )
    if request.method == "POST" and seat_form.is_valid():
        try:
            seat = services.create_seat(actor=me, committee=committee, **seat_form.cleaned_data)
        except ValidationError as error:
            add_form_errors(seat_form, error)
        else:
            messages.success(
                request,
                _("%(holder)s now holds a seat for %(sector)s.")
                % {"holder": seat.holder_name, "sector": seat.sector.localized_name},
            )
            return redirect("committee-seats", slug=community.slug)
    return render(
        request,
        "committee/seat_admin.html",
        {
            "community": community,
            "committee": committee,
            "seats": selectors.seats_for(request.user),
            "roles": selectors.committee_roles_for(request.user),
            "seat_form": seat_form,
            "role_form": CommitteeRoleForm(prefix="role", people=people),
        },
    )


@require_POST
@coordinators_page
def seat_end(request, community, pk):
    seat = selectors.seats_for(request.user).filter(pk=pk).first()
    if seat is None:
        raise Http404
    try:
        services.end_seat(actor=stakeholder_selectors.person_of(request.user), seat=seat)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The seat of %(holder)s has ended; it is kept with the past seats.")
            % {"holder": seat.holder_name},
        )
    return redirect("committee-seats", slug=community.slug)


@require_POST
@coordinators_page
def role_set(request, community):
    committee = services.ensure_committee(community=community)
    form = CommitteeRoleForm(request.POST, prefix="role", people=_committee_people(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose a person and a role from the lists."))
        return redirect("committee-seats", slug=community.slug)
    person, role = form.cleaned_data["person"], form.cleaned_data["role"]
    try:
        services.set_committee_role(
            actor=stakeholder_selectors.person_of(request.user),
            committee=committee,
            person=person,
            role=role,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Role saved: %(name)s, %(role)s.")
            % {"name": person.display_name, "role": CommitteeRole(role).label},
        )
    return redirect("committee-seats", slug=community.slug)
