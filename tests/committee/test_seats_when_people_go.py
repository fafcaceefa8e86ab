"""When someone stops taking part (a coordinator closes their account, makes them an
administrator, or they leave the platform) or leaves the organization their seat is for, what
they held on the committee ends that day and its history stays:

- a seat whose primary member goes ends; if it had an alternate, the alternate takes it over
  as the primary of a new seat for the same sector and organization (the organization keeps its
  place at the table);
- an alternate who goes is no longer the seat's alternate; the seat stays with its primary;
- the person's role on the committee ends.
"""

from django.test import Client

from committee import selectors, services
from committee.models import CommitteeMember, CommitteeRole, Position, Seat
from stakeholders import services as stakeholder_services
from stakeholders.models import AuditEntry, Role
from tests.conftest import make_organization, make_proposal
from tests.workplans.conftest import community_today

COMMITTEE = "/c/riverside/committee/"


def close_account(personas, person):
    stakeholder_services.update_membership(
        actor=personas.coordinator, person=person, is_active=False
    )


def current_seat_of(person) -> Seat | None:
    return Seat.objects.filter(primary=person, ended_on__isnull=True).first()


def current_role(person) -> str | None:
    membership = CommitteeMember.objects.filter(person=person, ended_on__isnull=True).first()
    return membership.role if membership else None


def committee_page(person) -> str:
    client = Client()
    client.force_login(person.user)
    response = client.get(COMMITTEE)
    assert response.status_code == 200
    return response.content.decode()


def sector_block(html: str, key: str) -> str:
    return html.split(f'id="sector-{key}"', 1)[1].split('id="sector-', 1)[0].split("</section>")[0]


def test_closing_an_account_ends_the_seat_and_the_role_and_keeps_the_history(personas, seated):
    p = personas
    seat = seated.seats["residents"]
    proposal = make_proposal(p.coordinator, status="decision")
    services.cast_position(person=p.resident, proposal=proposal, stance="agree")
    assert selectors.live_outcome(proposal).answered_seats == 1

    close_account(p, p.resident)

    seat.refresh_from_db()
    assert seat.ended_on == community_today()
    assert current_role(p.resident) is None
    assert CommitteeMember.objects.filter(person=p.resident, ended_on__isnull=False).exists()
    # The position stays in the history; the ended seat no longer counts while it is open.
    assert Position.objects.filter(proposal=proposal, seat=seat, is_current=True).exists()
    outcome = selectors.live_outcome(proposal)
    assert (outcome.answered_seats, outcome.total_seats) == (0, len(seated.seats) - 1)
    html = committee_page(p.business)
    assert "No seat — this voice is missing." in sector_block(html, "residents")
    assert "Marguerite" in html.split('id="past-seats"')[1]
    actions = AuditEntry.objects.filter(actor=p.coordinator.user).values_list("action", flat=True)
    assert {"seat.end", "committee.role_end"} <= set(actions)


def test_the_proposal_page_says_a_position_of_an_ended_seat_is_not_counted(personas, seated):
    p = personas
    proposal = make_proposal(p.coordinator, status="decision")
    services.cast_position(person=p.resident, proposal=proposal, stance="agree")
    client = Client()
    client.force_login(p.business.user)
    url = f"/c/riverside/proposals/{proposal.pk}/"
    assert "not counted" not in client.get(url).content.decode()

    close_account(p, p.resident)

    html = client.get(url).content.decode()
    assert "this seat has ended: not counted" in html
    services.close_proposal(actor=p.coordinator, proposal=proposal)
    assert "not counted" not in client.get(url).content.decode()


def test_when_the_primary_goes_the_alternate_takes_the_seat_over(personas, seated):
    p = personas
    old = seated.seats["law-enforcement"]
    proposal = make_proposal(p.coordinator, status="decision")
    services.cast_position(person=p.police, proposal=proposal, stance="agree")

    close_account(p, p.police)

    old.refresh_from_db()
    assert old.ended_on == community_today()
    assert (old.primary, old.alternate) == (p.police, p.police_colleague)  # history unchanged
    new = current_seat_of(p.police_colleague)
    assert new is not None and new.pk != old.pk
    assert (new.sector, new.organization, new.alternate) == (old.sector, old.organization, None)
    assert new.started_on == community_today()
    assert current_role(p.police_colleague) == CommitteeRole.MEMBER
    assert selectors.seat_of(p.police_colleague, seated.committee) == new
    # The new seat answers afresh for the organization; the alternate's answer now counts.
    police = next(
        t for t in selectors.live_outcome(proposal).tallies if t.sector_id == old.sector_id
    )
    assert (police.agree, police.not_answered) == (0, 1)
    services.cast_position(
        person=p.police_colleague, proposal=proposal, stance="block", reason="Not yet."
    )
    assert selectors.live_outcome(proposal).result == "blocked"
    html = sector_block(committee_page(p.business), "law-enforcement")
    assert "Riverside Police" in html and "Maria" in html and "Alex" not in html
    took_over = AuditEntry.objects.get(action="seat.create", target_id=str(new.pk))
    assert took_over.changes["took_over_from_seat"] == old.pk


def test_when_the_alternate_goes_the_seat_stays_with_its_primary(personas, seated):
    p = personas
    seat = seated.seats["law-enforcement"]
    proposal = make_proposal(p.coordinator, status="decision")
    services.cast_position(person=p.police, proposal=proposal, stance="agree")

    close_account(p, p.police_colleague)

    seat.refresh_from_db()
    assert (seat.ended_on, seat.primary, seat.alternate) == (None, p.police, None)
    assert current_role(p.police_colleague) is None
    assert selectors.live_outcome(proposal).answered_seats == 1
    assert "Maria" not in sector_block(committee_page(p.business), "law-enforcement")
    assert AuditEntry.objects.filter(action="seat.alternate_end", target_id=str(seat.pk)).exists()


def test_becoming_an_administrator_ends_the_seat_and_the_role(personas, seated):
    p = personas
    stakeholder_services.update_membership(
        actor=p.coordinator, person=p.business, role=Role.ADMINISTRATOR
    )
    assert current_seat_of(p.business) is None
    assert current_role(p.business) is None
    assert seated.seats["business"].pk in [s.pk for s in Seat.objects.filter(primary=p.business)]


def test_leaving_the_seated_organization_ends_that_seat_but_not_the_role(personas, seated):
    p = personas
    other = make_organization(p.community, "law-enforcement", "Transit Police")
    stakeholder_services.update_membership(actor=p.coordinator, person=p.police, organization=other)

    assert current_seat_of(p.police) is None
    assert current_role(p.police) == CommitteeRole.MEMBER  # still on the committee, seatless
    new = current_seat_of(p.police_colleague)
    assert new.organization == seated.seats["law-enforcement"].organization


def test_an_independent_member_who_leaves_the_sector_no_longer_holds_its_seat(personas, seated):
    p = personas
    stakeholder_services.update_membership(
        actor=p.coordinator, person=p.resident, sectors=[p.sector("business")]
    )
    assert current_seat_of(p.resident) is None


def test_a_change_that_still_fits_the_seat_keeps_it(personas, seated):
    p = personas
    stakeholder_services.update_membership(
        actor=p.coordinator,
        person=p.resident,
        sectors=[p.sector("residents"), p.sector("business")],
        role=Role.COORDINATOR,
    )
    assert current_seat_of(p.resident) == seated.seats["residents"]
    assert current_role(p.resident) == CommitteeRole.MEMBER


def test_reopening_an_account_does_not_seat_anyone_again(personas, seated):
    p = personas
    close_account(p, p.health)
    stakeholder_services.update_membership(actor=p.coordinator, person=p.health, is_active=True)
    assert current_seat_of(p.health) is None
    assert current_role(p.health) is None


def test_a_closed_proposal_keeps_its_frozen_outcome_when_a_seat_ends(personas, seated):
    p = personas
    proposal = make_proposal(p.coordinator, status="decision")
    services.cast_position(person=p.resident, proposal=proposal, stance="block", reason="No.")
    services.close_proposal(actor=p.coordinator, proposal=proposal)
    before = selectors.outcome_of(proposal).to_dict()

    close_account(p, p.resident)

    proposal.refresh_from_db()
    assert proposal.result == "blocked"
    assert selectors.outcome_of(proposal).to_dict() == before
