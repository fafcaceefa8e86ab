"""The committee's own pages: who sits on it and its rule, as each persona sees them; its
settings, seats and roles, as coordinators change them."""

import pytest
from django.test import Client

from committee import services
from committee.models import Committee, CommitteeMember, CommitteeRole, Seat
from stakeholders.models import Organization
from tests.conftest import make_organization, make_person

COMMITTEE = "/c/riverside/committee/"
SETTINGS = "/c/riverside/committee/settings/"
SEATS = "/c/riverside/committee/seats/"
ROLES = "/c/riverside/committee/roles/"


def client_for(person):
    client = Client()
    client.force_login(person.user)
    return client


def page(person, url=COMMITTEE) -> str:
    response = client_for(person).get(url)
    assert response.status_code == 200
    return response.content.decode()


def sector_block(html: str, key: str) -> str:
    """The part of the committee page about one sector."""
    return html.split(f'id="sector-{key}"', 1)[1].split('id="sector-', 1)[0].split("</section>")[0]


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def seat_end_url(seat) -> str:
    return f"/c/riverside/committee/seats/{seat.pk}/end/"


def seat_post(sector, primary, *, organization=None, alternate=None) -> dict:
    return {
        "seat-sector": sector.pk,
        "seat-organization": organization.pk if organization else "",
        "seat-primary": primary.pk,
        "seat-alternate": alternate.pk if alternate else "",
    }


def current_seat_count(committee) -> int:
    return Seat.objects.filter(committee=committee, ended_on__isnull=True).count()


# --- the committee page ------------------------------------------------------------------------


def test_the_committee_page_lists_each_sectors_seats_with_their_names(personas, seated):
    html = page(personas.resident)
    police = sector_block(html, "law-enforcement")
    assert "Riverside Police" in police and "Alex" in police
    residents = sector_block(html, "residents")
    assert "Independent member" in residents and "Marguerite" in residents
    assert "Jade" in sector_block(html, "experiential")
    assert "6 seats" in html


def test_the_alternate_is_shown_on_their_seat(personas, seated):
    police = sector_block(page(personas.business), "law-enforcement")
    assert "Alternate" in police and "Maria" in police
    assert "Alternate" not in sector_block(page(personas.business), "health")


def test_sectors_without_a_seat_are_missing_and_required_ones_are_marked(personas, seated):
    aboriginal = personas.sector("aboriginal")
    aboriginal.is_required = False
    aboriginal.save()
    html = page(personas.police)
    youth = sector_block(html, "youth")
    assert "No seat — this voice is missing." in youth
    assert "must be represented" in youth
    assert "is-required" in html.split('id="sector-youth"')[0].rsplit("<li", 1)[1]
    optional = sector_block(html, "aboriginal")
    assert "No seat — this voice is missing." in optional
    assert "must be represented" not in optional
    assert "missing" not in sector_block(html, "experiential")
    must_be_there = html.split("Sectors that must be represented and have no seat:")[1]
    assert "Youth and youth-serving organizations" in must_be_there.split("</p>")[0]
    assert "Aboriginal organizations" not in must_be_there.split("</p>")[0]


def test_the_observer_is_listed_as_an_observer_and_holds_no_seat(personas, seated):
    html = page(personas.experiential)
    roles = section(html, "roles")
    assert "<dt>Observer</dt>" in roles
    assert "Olive" in roles.split("<dt>Observer</dt>")[1].split("</div>")[0]
    assert "Olive" not in section(html, "seats")


def test_the_rule_says_in_plain_words_that_every_seated_sector_must_answer(personas, seated):
    rule = section(page(personas.health), "rule")
    assert "A proposal is agreed when nobody blocks and every sector with a seat has answered." in (
        rule
    )
    assert "of the seats must have given a position" not in rule


def test_the_committee_is_set_up_on_the_first_visit(personas):
    assert not Committee.objects.filter(community=personas.community).exists()
    html = page(personas.experiential)
    assert "Riverside steering committee" in html
    assert "0 seats" in html
    assert Committee.objects.filter(community=personas.community).count() == 1


def test_an_ended_seat_moves_to_the_past_seats(personas, seated):
    assert "past seat" not in page(personas.resident)
    response = client_for(personas.coordinator).post(seat_end_url(seated.seats["business"]))
    assert response.status_code == 302
    html = page(personas.resident)
    assert "No seat — this voice is missing." in sector_block(html, "business")
    past = section(html, "past-seats")
    assert "1 past seat" in past and "Priya" in past and "Business" in past
    assert "until" in past
    assert "5 seats" in html


@pytest.mark.parametrize("who", ["experiential", "police_colleague", "observer"])
def test_members_see_the_committee_but_no_edit_controls(personas, seated, who):
    person = seated.observer if who == "observer" else getattr(personas, who)
    html = page(person)
    assert "Riverside Police" in html
    assert SETTINGS not in html and SEATS not in html
    assert "End seat" not in html


def test_the_committee_page_does_not_exist_for_an_administrator(personas, seated):
    """Administrators onboard people but see no committee content: not its terms of
    reference, its rule, who holds which seat, nor its roles."""
    client = client_for(personas.admin)
    hidden = client.get(COMMITTEE)
    missing = client.get("/c/riverside/no-such-page/")
    assert hidden.status_code == missing.status_code == 404
    assert f'href="{COMMITTEE}"' not in client.get("/c/riverside/").content.decode()


def test_a_coordinator_finds_the_edit_controls_on_the_committee_page(personas, seated):
    html = page(personas.coordinator)
    assert SETTINGS in html and SEATS in html


def test_the_navigation_links_to_the_committee(personas):
    assert f'href="{COMMITTEE}"' in page(personas.business, "/c/riverside/")


def test_another_communitys_committee_does_not_exist_for_a_member(personas, seated):
    assert client_for(personas.outsider).get(COMMITTEE).status_code == 404
    assert client_for(personas.coordinator).get("/c/harbourview/committee/").status_code == 404


@pytest.mark.parametrize("url", [COMMITTEE, SETTINGS, SEATS])
def test_an_anonymous_visitor_is_sent_to_sign_in(personas, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


# --- coordinators only -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["experiential", "police", "admin", "outsider", "observer"])
def test_the_settings_and_seats_pages_do_not_exist_for_anyone_but_coordinators(
    personas, seated, who
):
    person = seated.observer if who == "observer" else getattr(personas, who)
    client = client_for(person)
    assert client.get(SETTINGS).status_code == 404
    assert client.get(SEATS).status_code == 404
    youth = personas.sector("youth")
    assert client.post(SEATS, seat_post(youth, personas.experiential_peer)).status_code == 404
    assert client.post(seat_end_url(seated.seats["business"])).status_code == 404
    assert (
        client.post(ROLES, {"role-person": personas.resident.pk, "role-role": "chair"}).status_code
        == 404
    )
    assert current_seat_count(seated.committee) == 6
    assert CommitteeMember.objects.filter(role=CommitteeRole.CHAIR).count() == 0


def test_ending_a_seat_and_setting_a_role_only_take_a_post(personas, seated):
    client = client_for(personas.coordinator)
    assert client.get(seat_end_url(seated.seats["business"])).status_code == 405
    assert client.get(ROLES).status_code == 405
    assert current_seat_count(seated.committee) == 6


def test_a_coordinator_seats_an_organization_with_an_alternate(personas, seated):
    youth_org = make_organization(personas.community, "youth", "Youth Voices")
    kai = make_person(personas.community, "kai", sector_keys=("youth",), organization=youth_org)
    lee = make_person(personas.community, "lee", sector_keys=("youth",), organization=youth_org)
    client = client_for(personas.coordinator)
    seats_page = client.get(SEATS).content.decode()
    assert "Youth Voices" in seats_page and "Kai" in seats_page
    assert "Harbour Peers" not in seats_page and ">Harbour (" not in seats_page  # elsewhere
    response = client.post(
        SEATS, seat_post(personas.sector("youth"), kai, organization=youth_org, alternate=lee)
    )
    assert response.status_code == 302
    seat = Seat.objects.get(committee=seated.committee, organization=youth_org)
    assert (seat.primary, seat.alternate) == (kai, lee)
    youth = sector_block(page(personas.experiential), "youth")
    assert "Youth Voices" in youth and "Kai" in youth and "Lee" in youth
    assert "missing" not in youth


@pytest.mark.parametrize(
    "case, message",
    [
        ("primary_from_another_organization", "Rosa is not part of Youth Voices."),
        ("observer_as_primary", "Olive is an observer; observers do not hold seats."),
        ("organization_already_seated", "This organization already has a seat."),
    ],
)
def test_a_seat_the_rule_refuses_shows_why_and_saves_nothing(personas, seated, case, message):
    youth_org = make_organization(personas.community, "youth", "Youth Voices")
    youth = personas.sector("youth")
    data = {
        "primary_from_another_organization": seat_post(
            youth, personas.experiential_peer, organization=youth_org
        ),
        "observer_as_primary": seat_post(youth, seated.observer),
        "organization_already_seated": seat_post(
            personas.sector("law-enforcement"),
            make_person(
                personas.community,
                "jordan",
                sector_keys=("law-enforcement",),
                organization=Organization.objects.get(name="Riverside Police"),
            ),
            organization=Organization.objects.get(name="Riverside Police"),
        ),
    }[case]
    response = client_for(personas.coordinator).post(SEATS, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Seat.objects.filter(committee=seated.committee).count() == 6


def test_a_coordinator_cannot_end_a_seat_of_another_community(personas, seated):
    other = services.ensure_committee(community=personas.other_community)
    foreign = services.create_seat(
        actor=None,
        committee=other,
        sector=personas.outsider.sectors.get(),
        primary=personas.outsider,
        organization=personas.outsider.organization,
    )
    response = client_for(personas.coordinator).post(seat_end_url(foreign))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.ended_on is None


def test_a_coordinator_makes_a_member_chair(personas, seated):
    client = client_for(personas.coordinator)
    response = client.post(
        ROLES, {"role-person": personas.experiential.pk, "role-role": "chair"}, follow=True
    )
    assert "Role saved: Jade, Chair." in response.content.decode()
    roles = section(page(personas.police), "roles")
    assert "Jade" in roles.split("<dt>Chair</dt>")[1].split("</div>")[0]
    assert (
        CommitteeMember.objects.get(
            committee=seated.committee, person=personas.experiential, ended_on__isnull=True
        ).role
        == CommitteeRole.CHAIR
    )


def test_someone_holding_a_seat_cannot_be_made_an_observer(personas, seated):
    response = client_for(personas.coordinator).post(
        ROLES, {"role-person": personas.police.pk, "role-role": "observer"}, follow=True
    )
    html = response.content.decode()
    assert "An observer cannot hold a seat. End or hand over their seat first." in html
    current = CommitteeMember.objects.get(
        committee=seated.committee, person=personas.police, ended_on__isnull=True
    )
    assert current.role == CommitteeRole.MEMBER


def test_the_settings_change_the_rule_shown_on_the_committee_page(personas, seated):
    experiential, police = personas.sector("experiential"), personas.sector("law-enforcement")
    response = client_for(personas.coordinator).post(
        SETTINGS,
        {
            "name": "Riverside LIC committee",
            "terms_of_reference": "We **meet monthly**.<script>alert(1)</script>",
            "sectors_that_must_answer": [experiential.pk, police.pk],
            "minimum_participation": "50",
        },
    )
    assert response.status_code == 302
    html = page(personas.business)
    assert "<h1>Riverside LIC committee</h1>" in html
    assert "<strong>meet monthly</strong>" in html and "<script>alert" not in html
    rule = section(html, "rule")
    assert "each of these sectors has answered" in rule
    assert "Current and former sex workers" in rule and "Law enforcement" in rule
    assert "Business" not in rule
    assert "At least 50% of the seats must have given a position." in rule
    assert "every sector with a seat" not in rule


def test_a_minimum_participation_above_100_is_refused_and_nothing_is_saved(personas, seated):
    response = client_for(personas.coordinator).post(
        SETTINGS,
        {"name": "Renamed", "terms_of_reference": "", "minimum_participation": "150"},
    )
    assert response.status_code == 200
    assert "Give a percentage from 0 to 100." in response.content.decode()
    seated.committee.refresh_from_db()
    assert seated.committee.minimum_participation == 0
    assert seated.committee.name == "Riverside steering committee"
