"""Every change of someone's audiences (group membership) and of a record's visibility is in
the audit trail, and nothing else can change groups unrecorded: Django's admin only shows
them. A coordinator closing someone's account signs that person out everywhere at once."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token

from stakeholders import services
from stakeholders.models import AuditEntry, Role, Visibility
from tests.conftest import PASSWORD


def entries(action: str, target) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, target_id=str(target.pk)).order_by("pk"))


def test_a_change_of_role_records_the_audiences_gained_and_lost(personas):
    p = personas
    services.update_membership(actor=p.coordinator, person=p.resident, role=Role.COORDINATOR)

    [entry] = entries("person.audiences", p.resident)[-1:]
    assert entry.actor == p.coordinator.user
    assert any(":coordinators" in name for name in entry.changes["added"])
    assert entry.changes["removed"] == []
    assert set(p.resident.user.groups.values_list("name", flat=True)) >= set(entry.changes["added"])


def test_a_change_of_a_notes_visibility_records_who_could_see_it_before_and_after(personas):
    p = personas
    note = services.write_organization_note(
        author=p.experiential,
        organization=p.experiential.organization,
        body="Outreach hours",
        visibility=Visibility.COMMITTEE,
    )
    services.change_note_visibility(
        actor=p.experiential,
        note=note,
        visibility=Visibility.SECTORS,
        sectors=[p.sector("experiential")],
    )

    first, change = entries("visibility.grants", note)
    assert change.actor == p.experiential.user
    assert change.changes["visibility"] == Visibility.SECTORS
    assert change.changes["before"] == first.changes["after"]
    assert change.changes["after"] != change.changes["before"]


def test_the_admin_shows_groups_but_cannot_change_them(admin_client, personas, rf, admin_user):
    user_admin = admin.site._registry[get_user_model()]
    request = rf.get("/admin/")
    request.user = admin_user

    assert {"groups", "user_permissions"} <= set(user_admin.get_readonly_fields(request))
    assert admin_client.get("/admin/auth/group/").status_code == 404
    page = admin_client.get(f"/admin/auth/user/{personas.resident.user.pk}/change/")
    assert page.status_code == 200


def test_a_coordinator_closing_an_account_signs_it_out_everywhere(personas):
    p = personas
    browser = Client()
    assert (
        browser.post(
            "/accounts/login/", {"username": p.resident.user.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    assert browser.get("/c/riverside/").status_code == 200
    token = Token.objects.create(user=p.resident.user)

    services.update_membership(actor=p.coordinator, person=p.resident, is_active=False)

    assert "_auth_user_id" not in browser.session
    assert browser.get("/c/riverside/").status_code == 302  # to sign in
    assert not Token.objects.filter(key=token.key).exists()
    [ended] = entries("sessions.end", p.resident)
    assert ended.actor == p.coordinator.user
    assert ended.changes["sessions"] == 1


def test_signing_out_everywhere_gives_the_calendar_feed_a_new_address(personas):
    from committee import services as committee_services

    p = personas
    old = committee_services.create_calendar_feed(person=p.resident)
    old_address = f"/calendar/{committee_services.calendar_feed_token(old)}.ics"
    assert Client().get(old_address).status_code == 200

    services.end_sessions(person=p.resident)

    new = committee_services.calendar_feed_of(p.resident)
    assert new is not None and new.pk != old.pk
    assert Client().get(old_address).status_code == 404
    assert (
        Client().get(f"/calendar/{committee_services.calendar_feed_token(new)}.ics").status_code
        == 200
    )


def test_closing_an_account_stops_its_calendar_feed(personas):
    from committee import services as committee_services

    p = personas
    committee_services.create_calendar_feed(person=p.resident)

    services.update_membership(actor=p.coordinator, person=p.resident, is_active=False)

    assert committee_services.calendar_feed_of(p.resident) is None
