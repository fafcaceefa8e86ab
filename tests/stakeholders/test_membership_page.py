"""A coordinator changes someone's role, sectors and organization, or closes their account, from
that person's page (`services.update_membership`): what they may see follows at once, every
change is audited, and bad input changes nothing. Nobody else has the form or its address, and a
coordinator does not change their own membership."""

from django.test import Client

from committee.models import Seat
from stakeholders.models import AuditEntry, Organization, Person, Role
from tests.conftest import PASSWORD

SLUG = "riverside"


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def membership_url(person) -> str:
    return f"/c/{SLUG}/people/{person.pk}/membership/"


def form_data(person, **changes) -> dict:
    data = {
        "membership-role": person.role,
        "membership-organization": person.organization_id or "",
        "membership-sectors": [sector.pk for sector in person.sectors.all()],
    }
    data.update({f"membership-{name}": value for name, value in changes.items()})
    return data


def snapshot(person) -> tuple:
    person = Person.objects.get(pk=person.pk)
    sectors = sorted(person.sectors.values_list("key", flat=True))
    return (person.role, person.organization_id, sectors, person.is_active)


def test_only_a_coordinator_sees_the_form_and_not_on_their_own_page(personas):
    p = personas
    page = f"/c/{SLUG}/people/{p.resident.pk}/"
    assert "Save the membership" in client_for(p.coordinator).get(page).content.decode()
    for person in (p.police, p.admin, p.resident):
        assert "Save the membership" not in client_for(person).get(page).content.decode()
    own = f"/c/{SLUG}/people/{p.coordinator.pk}/"
    assert "Save the membership" not in client_for(p.coordinator).get(own).content.decode()


def test_a_coordinator_makes_a_member_coordinator_and_moves_their_sector(personas):
    p = personas
    response = client_for(p.coordinator).post(
        membership_url(p.resident),
        form_data(p.resident, role=Role.COORDINATOR, sectors=[p.sector("business").pk]),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/c/{SLUG}/people/{p.resident.pk}/"
    assert snapshot(p.resident)[0] == Role.COORDINATOR
    assert snapshot(p.resident)[2] == ["business"]
    entry = AuditEntry.objects.filter(action="person.membership").latest("pk")
    assert entry.target_id == str(p.resident.pk) and entry.actor == p.coordinator.user
    assert entry.changes["after"]["role"] == Role.COORDINATOR


def test_closing_an_account_signs_them_out_and_ends_their_seat(personas, seated):
    p = personas
    police = client_for(p.police)
    assert police.get(f"/c/{SLUG}/people/").status_code == 200

    response = client_for(p.coordinator).post(
        membership_url(p.police), form_data(p.police, close_account="on")
    )

    assert response.status_code == 302 and response["Location"] == f"/c/{SLUG}/people/"
    assert snapshot(p.police)[3] is False
    assert police.get(f"/c/{SLUG}/people/").status_code == 302  # signed out: to sign in
    assert not Seat.objects.filter(primary=p.police, ended_on__isnull=True).exists()
    page = client_for(p.coordinator).get(f"/c/{SLUG}/people/{p.police.pk}/")
    assert page.status_code == 404


def test_bad_input_is_refused_on_its_field_and_changes_nothing(personas):
    p = personas
    before = snapshot(p.resident)
    elsewhere = Organization.objects.get(name="Harbour Peers")
    cases = {
        "role": form_data(p.resident, role="owner"),
        "organization": form_data(p.resident, organization=elsewhere.pk),
        "sectors": form_data(p.resident, sectors=[999999]),
    }
    for field, data in cases.items():
        response = client_for(p.coordinator).post(membership_url(p.resident), data)
        assert response.status_code == 400, field
        assert f'id="id_membership-{field}_errors"' in response.content.decode(), field
        assert snapshot(p.resident) == before, field
    assert not AuditEntry.objects.filter(action="person.membership").exists()


def test_a_coordinator_does_not_change_their_own_membership(personas):
    p = personas
    before = snapshot(p.coordinator)
    response = client_for(p.coordinator).post(
        membership_url(p.coordinator), form_data(p.coordinator, role=Role.MEMBER)
    )

    assert response.status_code == 400
    assert "Another coordinator changes your own membership" in response.content.decode()
    assert snapshot(p.coordinator) == before


def test_the_address_does_not_exist_for_anyone_but_a_coordinator_of_that_person(personas):
    p = personas
    before = snapshot(p.resident)
    data = form_data(p.resident, role=Role.COORDINATOR)
    for person in (p.police, p.admin, p.resident, p.outsider):
        assert client_for(person).post(membership_url(p.resident), data).status_code == 404
    assert client_for(p.coordinator).get(membership_url(p.resident)).status_code == 405
    assert snapshot(p.resident) == before
    stranger = Person.objects.filter(community=p.other_community).first()
    assert client_for(p.coordinator).post(membership_url(stranger), data).status_code == 404


def test_a_coordinator_reopens_a_closed_account_and_only_they_see_the_list(personas):
    p = personas
    p.resident.sectors.set([p.sector("residents")])
    client_for(p.coordinator).post(
        membership_url(p.resident), form_data(p.resident, close_account="on")
    )
    people = f"/c/{SLUG}/people/"
    listing = client_for(p.coordinator).get(people).content.decode()
    assert "Closed accounts" in listing and f"/people/{p.resident.pk}/reopen/" in listing
    for person in (p.police, p.admin):
        page = client_for(person).get(people).content.decode()
        assert "Closed accounts" not in page and p.resident.display_name not in page
        reopen = client_for(person).post(f"/c/{SLUG}/people/{p.resident.pk}/reopen/")
        assert reopen.status_code == 404
    assert snapshot(p.resident)[3] is False

    response = client_for(p.coordinator).post(f"/c/{SLUG}/people/{p.resident.pk}/reopen/")

    assert response.status_code == 302
    assert response["Location"] == f"/c/{SLUG}/people/{p.resident.pk}/"
    assert snapshot(p.resident)[2:] == (["residents"], True)
    assert client_for(p.resident).get(people).status_code == 200
    again = client_for(p.coordinator).post(f"/c/{SLUG}/people/{p.resident.pk}/reopen/")
    assert again.status_code == 404  # open: nothing to reopen
    assert AuditEntry.objects.filter(action="person.membership").count() == 2


def test_someone_who_left_the_platform_is_not_offered_for_reopening(personas):
    from stakeholders.personal_data import leave_platform

    p = personas
    leave_platform(person=p.resident, password=PASSWORD)
    listing = client_for(p.coordinator).get(f"/c/{SLUG}/people/").content.decode()
    assert "Closed accounts" not in listing
    response = client_for(p.coordinator).post(f"/c/{SLUG}/people/{p.resident.pk}/reopen/")
    assert response.status_code == 404
    assert snapshot(p.resident)[3] is False
