"""People, contact details and the stakeholder map, as each persona sees them."""

import pytest
from django.test import Client

from stakeholders import services
from tests.conftest import make_person


def page(person, url):
    client = Client()
    client.force_login(person.user)
    return client.get(url)


@pytest.mark.parametrize(
    "viewer, sees_contact",
    [
        ("experiential", True),  # themself
        ("coordinator", True),
        ("experiential_peer", False),
        ("police", False),
        ("resident", False),
        ("admin", False),
    ],
)
def test_contact_details_of_a_person_are_for_them_and_coordinators(personas, viewer, sees_contact):
    subject = personas.experiential
    subject.email, subject.phone = "jade@private.example", "604-555-0199"
    subject.save()
    response = page(getattr(personas, viewer), f"/c/riverside/people/{subject.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert subject.display_name in html and "Current and former sex workers" in html
    assert ("jade@private.example" in html) is sees_contact
    assert ("604-555-0199" in html) is sees_contact


def test_the_people_page_shows_names_and_sectors_but_no_contact_details(personas):
    html = page(personas.police, "/c/riverside/people/").content.decode()
    assert "Jade" in html and "Marguerite" in html
    assert "@example.org" not in html
    assert f">{personas.outsider.display_name}<" not in html  # nobody from another community


def test_a_person_of_another_community_does_not_exist_for_a_member(personas):
    response = page(personas.police, f"/c/riverside/people/{personas.outsider.pk}/")
    assert response.status_code == 404


def test_the_stakeholder_map_shows_which_sectors_and_organizations_hold_a_seat(personas, seated):
    html = page(personas.resident, "/c/riverside/map/").content.decode()
    police = sector_block(html, "Law enforcement")
    assert "1 seat on the committee" in police and "2 committee members" in police
    assert "Riverside Police</a>\n        — holds a seat" in police
    assert "No seat on the committee for this sector yet." in sector_block(
        html, "Aboriginal organizations"
    )
    business = sector_block(html, "Business")
    assert "1 seat on the committee" in business and "1 committee member" in business
    city = sector_block(html, "Municipal government")
    assert "City Social Planning</a>\n        — no seat yet" in city
    assert "Alex" not in html and "Jade" not in html  # counts and organizations, never who


def test_members_without_a_seat_do_not_make_a_sector_represented(personas):
    """Representation is a seat on the committee: a sector whose members hold none is a gap."""
    html = page(personas.resident, "/c/riverside/map/").content.decode()
    business = sector_block(html, "Business")
    assert "No seat on the committee for this sector yet." in business
    assert "1 committee member" in business
    assert "No current or former sex worker holds a seat yet." in html
    assert "— holds a seat" not in html
    home = page(personas.resident, "/c/riverside/").content.decode()
    assert "Sectors without a seat on the committee yet:" in home
    assert "Business" in home.split("Sectors without a seat on the committee yet:")[1]


def test_the_map_says_plainly_when_no_experiential_member_holds_a_seat(personas, seated):
    """Closing the experiential members' accounts ends Jade's seat: the sector is a gap."""
    html = page(personas.resident, "/c/riverside/map/").content.decode()
    assert "No current or former sex worker holds a seat yet." not in html
    for person in [personas.experiential, personas.experiential_peer]:
        services.update_membership(actor=personas.coordinator, person=person, is_active=False)
    html = page(personas.resident, "/c/riverside/map/").content.decode()
    assert "No current or former sex worker holds a seat yet." in html
    home = page(personas.resident, "/c/riverside/").content.decode()
    gaps = home.split("Sectors without a seat on the committee yet:")[1].split("</p>")[0]
    assert "Current and former sex workers" in gaps
    assert "Law enforcement" not in gaps


def test_an_administrator_is_not_counted_as_representing_their_sector(personas, seated):
    """The administrator (municipal government) onboards; they hold no seat."""
    html = page(personas.police, "/c/riverside/map/").content.decode()
    assert "No seat on the committee for this sector yet." in sector_block(
        html, "Municipal government"
    )
    assert "No seat on the committee" not in sector_block(html, "Law enforcement")


def sector_block(html: str, name: str) -> str:
    return next(block for block in html.split('<li class="sector') if f"<h2>{name}</h2>" in block)


def test_the_home_page_counts_only_committee_members_of_this_community(personas):
    make_person(personas.other_community, "elsewhere", sector_keys=("residents",))
    html = page(personas.business, "/c/riverside/").content.decode()
    assert "Riverside steering committee" in html
    assert "8 committee members" in html  # the administrator onboards, and is not counted
