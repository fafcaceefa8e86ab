"""The stakeholders REST API as its callers meet it: token sign-in, lists scoped to the caller's
community, contact details only where allowed, onboarding for onboarders only, notes with every
visibility, a valid schema with offline docs, and lists that do not grow in queries."""

import re

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from stakeholders import services
from stakeholders.models import (
    AuditEntry,
    Invitation,
    Organization,
    OrganizationNote,
    Person,
    Role,
    Sector,
    Visibility,
)
from tests.conftest import make_community, make_organization, make_person

PASSWORD = "a-Long-test-pass-2026"  # what tests/conftest.py gives every persona
LISTS = ["communities", "sectors", "organizations", "people", "invitations", "organization-notes"]


def api_as(person: Person | None) -> APIClient:
    client = APIClient()
    if person is not None:
        token, _created = Token.objects.get_or_create(user=person.user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def note_on(organization: Organization, author: Person, body: str, **kwargs) -> OrganizationNote:
    kwargs.setdefault("visibility", Visibility.COMMITTEE)
    return services.write_organization_note(
        author=author, organization=organization, body=body, **kwargs
    )


# --- token authentication ----------------------------------------------------------------------


def test_a_member_gets_a_token_with_their_password_and_the_api_answers_with_it(personas):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "jade", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=personas.experiential.user).key
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    people = client.get("/api/v1/people/")
    assert people.status_code == 200
    assert personas.experiential.pk in ids(people)


def test_a_wrong_password_gets_no_token(personas):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "jade", "password": "not-her-password"}, format="json"
    )

    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.filter(user=personas.experiential.user).exists()


def test_a_made_up_token_is_refused(personas):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get("/api/v1/people/")
    assert response.status_code in {401, 403}
    assert "results" not in response.json()


@pytest.mark.parametrize("kind", LISTS)
def test_an_anonymous_caller_is_refused_every_list(personas, kind):
    note_on(personas.police.organization, personas.police, "Public record? No.")
    services.invite_person(
        actor=personas.coordinator, email="x@example.org", sectors=[personas.sector("youth")]
    )

    response = APIClient().get(f"/api/v1/{kind}/")

    assert response.status_code in {401, 403}
    assert "results" not in response.json()
    assert b"riverside" not in response.content.lower()


# --- scoped to the caller's community ----------------------------------------------------------


@pytest.fixture
def riverside_records(personas, django_capture_on_commit_callbacks):
    """One record of every kind in Riverside that someone there can see."""
    organization = personas.police.organization
    return {
        "communities": personas.community.pk,
        "sectors": personas.sector("experiential").pk,
        "organizations": organization.pk,
        "people": personas.experiential.pk,
        "invitations": services.invite_person(
            actor=personas.coordinator,
            email="river.invitee@example.org",
            sectors=[personas.sector("youth")],
        ).pk,
        "organization-notes": note_on(
            organization, personas.coordinator, "Shared with the whole committee."
        ).pk,
    }


def test_lists_are_paginated(personas, riverside_records):
    response = api_as(personas.coordinator).get("/api/v1/people/")

    body = response.json()
    assert body["count"] == Person.objects.filter(community=personas.community).count() == 9
    assert len(body["results"]) == 9
    assert body["next"] is None
    assert {"count", "next", "previous", "results"} <= set(body)


def test_each_list_holds_the_callers_community_only(personas, riverside_records):
    coordinator = api_as(personas.coordinator)
    outsider = api_as(personas.outsider)

    for kind, record_id in riverside_records.items():
        assert record_id in ids(coordinator.get(f"/api/v1/{kind}/")), kind
        assert record_id not in ids(outsider.get(f"/api/v1/{kind}/")), kind

    assert ids(outsider.get("/api/v1/organizations/")) == set(
        Organization.objects.filter(community=personas.other_community).values_list("pk", flat=True)
    )
    assert ids(outsider.get("/api/v1/people/")) == {personas.outsider.pk}
    assert ids(outsider.get("/api/v1/sectors/")) == set(
        Sector.objects.filter(community=personas.other_community).values_list("pk", flat=True)
    )
    assert ids(outsider.get("/api/v1/communities/")) == {personas.other_community.pk}
    assert ids(outsider.get("/api/v1/invitations/")) == set()
    assert ids(outsider.get("/api/v1/organization-notes/")) == set()


@pytest.mark.parametrize("kind", LISTS)
def test_another_communitys_record_reads_exactly_like_a_missing_one(
    personas, riverside_records, kind
):
    outsider = api_as(personas.outsider)
    hidden = outsider.get(f"/api/v1/{kind}/{riverside_records[kind]}/")
    missing = outsider.get(f"/api/v1/{kind}/987654/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert hidden.content == b'{"detail":"Not found."}'
    own = api_as(personas.coordinator).get(f"/api/v1/{kind}/{riverside_records[kind]}/")
    assert own.status_code == 200


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_hidden_note_reads_like_a_missing_one_in_every_language(personas, language):
    caucus = note_on(
        personas.experiential.organization,
        personas.experiential,
        "Caucus only.",
        visibility=Visibility.SECTORS,
        sectors=[personas.sector("experiential")],
    )
    police = api_as(personas.police)

    hidden = police.get(f"/api/v1/organization-notes/{caucus.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    missing = police.get("/api/v1/organization-notes/987654/", HTTP_ACCEPT_LANGUAGE=language)

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_another_communitys_token_cannot_write_here(personas):
    outsider = api_as(personas.outsider)
    riverside_org = personas.police.organization

    note = outsider.post(
        "/api/v1/organization-notes/",
        {"organization": riverside_org.pk, "body": "Planted.", "visibility": "committee"},
        format="json",
    )
    invitation = outsider.post(
        "/api/v1/invitations/",
        {"email": "planted@example.org", "sectors": [personas.sector("youth").pk]},
        format="json",
    )
    organization = outsider.post(
        "/api/v1/organizations/",
        {"name": "Planted Org", "sector": personas.sector("youth").pk},
        format="json",
    )

    assert note.status_code == invitation.status_code == organization.status_code == 400
    assert "does not exist" in note.json()["organization"][0]
    assert "does not exist" in invitation.json()["sectors"][0]
    assert "does not exist" in organization.json()["sector"][0]
    assert not OrganizationNote.objects.exists()
    assert not Invitation.objects.filter(email="planted@example.org").exists()
    assert not Organization.objects.filter(name="Planted Org").exists()


# --- contact details ---------------------------------------------------------------------------


def _people_by_id(client) -> dict[int, dict]:
    response = client.get("/api/v1/people/")
    assert response.status_code == 200
    return {row["id"]: row for row in response.json()["results"]}


def test_a_coordinator_sees_everyones_contact_details(personas):
    people = _people_by_id(api_as(personas.coordinator))

    assert people[personas.police.pk]["email"] == "alex@example.org"
    assert people[personas.police.pk]["phone"] == "604-555-0100"
    assert all("email" in row and "phone" in row for row in people.values())


def test_a_person_sees_their_own_contact_details(personas):
    client = api_as(personas.experiential)

    assert _people_by_id(client)[personas.experiential.pk]["email"] == "jade@example.org"
    detail = client.get(f"/api/v1/people/{personas.experiential.pk}/").json()
    assert detail["email"] == "jade@example.org"
    assert detail["phone"] == "604-555-0100"


@pytest.mark.parametrize(
    ("viewer", "subject"),
    [
        ("experiential", "experiential_peer"),  # same sector
        ("police_colleague", "police"),  # same organization
        ("resident", "coordinator"),
        ("admin", "experiential"),  # administrators onboard, they do not get contacts
        ("admin", "coordinator"),
    ],
)
def test_nobody_else_sees_a_persons_contact_details(personas, viewer, subject):
    client = api_as(getattr(personas, viewer))
    person = getattr(personas, subject)

    row = _people_by_id(client)[person.pk]
    detail = client.get(f"/api/v1/people/{person.pk}/")

    assert row["display_name"] == person.display_name
    assert row["sectors"] == list(person.sectors.values_list("pk", flat=True))
    for shown in (row, detail.json()):
        assert "email" not in shown
        assert "phone" not in shown
    assert person.email.encode() not in detail.content
    assert person.email.encode() not in client.get("/api/v1/people/").content


# --- invitations: onboarders only --------------------------------------------------------------


@pytest.mark.parametrize("onboarder", ["coordinator", "admin"])
def test_an_onboarder_invites_lists_and_revokes_through_the_api(
    personas, onboarder, django_capture_on_commit_callbacks
):
    client = api_as(getattr(personas, onboarder))
    youth = personas.sector("youth")

    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/invitations/",
            {"email": "new@example.org", "sectors": [youth.pk], "language": "fr"},
            format="json",
        )

    assert created.status_code == 201, created.content
    invitation = created.json()
    assert invitation["state"] == "open"
    assert invitation["role"] == Role.MEMBER
    assert invitation["sectors"] == [youth.pk]
    assert [message.to for message in mail.outbox] == [["new@example.org"]]
    assert invitation["id"] in ids(client.get("/api/v1/invitations/"))

    revoked = client.post(f"/api/v1/invitations/{invitation['id']}/revoke/")

    assert revoked.status_code == 200
    assert revoked.json()["state"] == "revoked"
    assert AuditEntry.objects.filter(
        action="invitation.revoke", target_id=str(invitation["id"])
    ).exists()


@pytest.mark.parametrize("member", ["experiential", "police", "resident"])
def test_a_member_neither_sees_nor_sends_nor_revokes_invitations(
    personas, member, django_capture_on_commit_callbacks
):
    existing = services.invite_person(
        actor=personas.coordinator, email="pending@example.org", sectors=[personas.sector("youth")]
    )
    client = api_as(getattr(personas, member))

    with django_capture_on_commit_callbacks(execute=True):
        listed = client.get("/api/v1/invitations/")
        detail = client.get(f"/api/v1/invitations/{existing.pk}/")
        created = client.post(
            "/api/v1/invitations/",
            {"email": "friend@example.org", "sectors": [personas.sector("youth").pk]},
            format="json",
        )
        revoked = client.post(f"/api/v1/invitations/{existing.pk}/revoke/")

    assert listed.json()["count"] == 0
    assert detail.status_code == 404
    assert detail.content == client.get("/api/v1/invitations/987654/").content
    assert created.status_code == 400
    assert created.json() == {"detail": ["Only administrators and coordinators can invite people."]}
    assert revoked.status_code == 404
    existing.refresh_from_db()
    assert existing.revoked_at is None
    assert not Invitation.objects.filter(email="friend@example.org").exists()
    assert mail.outbox == []


def test_an_administrator_cannot_invite_a_coordinator_through_the_api(personas):
    response = api_as(personas.admin).post(
        "/api/v1/invitations/",
        {
            "email": "boss@example.org",
            "sectors": [personas.sector("youth").pk],
            "role": "coordinator",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "role": ["Only coordinators can invite coordinators or administrators."]
    }
    assert not Invitation.objects.filter(email="boss@example.org").exists()


def test_an_accepted_invitation_cannot_be_revoked_through_the_api(personas):
    invitation = services.invite_person(
        actor=personas.coordinator, email="joined@example.org", sectors=[personas.sector("youth")]
    )
    services.accept_invitation(
        token=services.invitation_token(invitation),
        username="joined",
        password="Lantern-river-4096",
        display_name="Joined",
        preferred_language="en",
    )

    response = api_as(personas.coordinator).post(f"/api/v1/invitations/{invitation.pk}/revoke/")

    assert response.status_code == 400
    assert response.json() == {"detail": ["This invitation has already been accepted."]}
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- organization notes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "visibility", "sector_keys", "sees", "does_not_see"),
    [
        ("police", Visibility.COMMITTEE, (), ["resident", "coordinator"], ["admin", "outsider"]),
        (
            "experiential",
            Visibility.SECTORS,
            ("experiential",),
            ["experiential_peer"],
            ["police", "coordinator", "admin"],
        ),
        (
            "police",
            Visibility.ORGANIZATION,
            (),
            ["police_colleague"],
            ["resident", "experiential", "coordinator"],
        ),
        (
            "experiential",
            Visibility.COORDINATORS,
            (),
            ["coordinator"],
            ["experiential_peer", "police", "admin"],
        ),
    ],
)
def test_a_member_writes_a_note_with_each_visibility_and_exactly_its_audience_reads_it(
    personas, author, visibility, sector_keys, sees, does_not_see
):
    writer = getattr(personas, author)
    organization = personas.health.organization
    sector_ids = [personas.sector(key).pk for key in sector_keys]

    response = api_as(writer).post(
        "/api/v1/organization-notes/",
        {
            "organization": organization.pk,
            "body": f"Written for {visibility}.",
            "visibility": visibility,
            "visible_sectors": sector_ids,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    note = response.json()
    assert note["visibility"] == visibility
    assert note["visible_sectors"] == sector_ids
    assert note["author"] == writer.display_name
    assert note["organization"] == organization.pk
    for reader in [author, *sees]:
        assert note["id"] in ids(
            api_as(getattr(personas, reader)).get("/api/v1/organization-notes/")
        )
    for reader in does_not_see:
        client = api_as(getattr(personas, reader))
        assert note["id"] not in ids(client.get("/api/v1/organization-notes/")), reader
        assert client.get(f"/api/v1/organization-notes/{note['id']}/").status_code == 404


@pytest.mark.parametrize("author", ["experiential", "coordinator"])
def test_a_note_cannot_be_made_public(personas, author):
    response = api_as(getattr(personas, author)).post(
        "/api/v1/organization-notes/",
        {
            "organization": personas.health.organization.pk,
            "body": "For everyone?",
            "visibility": "public",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"visibility": ["This kind of record cannot be shared that way."]}
    assert not OrganizationNote.objects.exists()


def test_restricting_a_note_to_a_sector_the_author_is_not_in_is_refused(personas):
    response = api_as(personas.police).post(
        "/api/v1/organization-notes/",
        {
            "organization": personas.health.organization.pk,
            "body": "Reading the caucus.",
            "visibility": "sectors",
            "visible_sectors": [personas.sector("experiential").pk],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "visible_sectors": ["You can only restrict a record to sectors you belong to."]
    }
    assert not OrganizationNote.objects.exists()
    assert not OrganizationNote.grant_model.objects.exists()
    assert not AuditEntry.objects.filter(
        action__in=["visibility.grants", "organization_note.create"]
    )


def test_restricting_a_note_to_sectors_without_naming_one_is_refused(personas):
    response = api_as(personas.experiential).post(
        "/api/v1/organization-notes/",
        {"organization": personas.health.organization.pk, "body": "?", "visibility": "sectors"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"visible_sectors": ["Choose at least one sector."]}
    assert not OrganizationNote.objects.exists()


def test_someone_without_an_organization_cannot_share_with_their_organization(personas):
    response = api_as(personas.resident).post(
        "/api/v1/organization-notes/",
        {
            "organization": personas.health.organization.pk,
            "body": "Mine only.",
            "visibility": "organization",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "visibility": ["You are not part of an organization, so choose another option."]
    }
    assert not OrganizationNote.objects.exists()


def test_an_administrator_cannot_write_notes(personas):
    response = api_as(personas.admin).post(
        "/api/v1/organization-notes/",
        {
            "organization": personas.health.organization.pk,
            "body": "Admin note.",
            "visibility": "committee",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"detail": ["Only committee members can write here."]}
    assert not OrganizationNote.objects.exists()


# --- schema and docs ---------------------------------------------------------------------------


def test_the_openapi_schema_is_valid_and_lists_the_endpoints(db):
    response = APIClient().get("/api/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/auth/token/",
        "/api/v1/people/",
        "/api/v1/people/{id}/",
        "/api/v1/organizations/",
        "/api/v1/sectors/",
        "/api/v1/invitations/",
        "/api/v1/invitations/{id}/revoke/",
        "/api/v1/organization-notes/",
    ]:
        assert path in schema["paths"], path
    schemes = schema["components"]["securitySchemes"]
    assert {"tokenAuth", "cookieAuth"} <= set(schemes)


def test_the_schema_builds_without_warnings(db, tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    assert "/api/v1/people/" in (tmp_path / "schema.yaml").read_text()


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]*)"', html)


def test_the_api_docs_load_only_assets_served_by_us(db):
    client = APIClient()
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    urls = _asset_urls(html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    for url in urls:
        assert not re.match(r"^(https?:)?//", url), url
        assert url.startswith("/"), url
    assert "http://" not in html and "https://" not in html


def test_the_api_docs_run_under_our_content_security_policy(db):
    """Our CSP allows no inline script, so the docs page must load its start-up script from a
    URL of ours; an inline one would leave the page blank in a browser."""
    client = APIClient()
    response = client.get("/api/docs/")

    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script on the docs page"
    assert "<style" not in html and " style=" not in html, "inline style on the docs page"
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]*)"', html)
    assert f"{settings.STATIC_URL}css/api-docs.css" in sheets
    for url in sheets:
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url
    scripts = [
        url.replace("&amp;", "&") for url in re.findall(r'<script[^>]*\bsrc="([^"]*)"', html)
    ]
    for url in scripts:
        if url.startswith(settings.STATIC_URL):
            assert finders.find(url.removeprefix(settings.STATIC_URL)), url
        else:
            script = client.get(url)
            assert script.status_code == 200, url
            assert script["Content-Type"].startswith("application/javascript")
            assert b"SwaggerUIBundle" in script.content


# --- query counts ------------------------------------------------------------------------------


def _queries_for(client: APIClient, url: str, expected_rows: int) -> int:
    client.get(url)  # warm per-process caches (permission ids) before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) == expected_rows
    return len(queries)


def test_the_people_list_costs_the_same_queries_for_one_person_and_for_thirty(db):
    community = make_community("Lakeside", "lakeside")
    coordinator = make_person(community, "lake-coord", sector_keys=("health",), role="coordinator")
    client = APIClient()
    client.force_authenticate(coordinator.user)
    one = _queries_for(client, "/api/v1/people/", 1)

    keys = [sector.key for sector in Sector.objects.filter(community=community)]
    for number in range(29):
        organization = make_organization(community, keys[number % len(keys)], f"Org {number}")
        make_person(
            community,
            f"lake-{number}",
            sector_keys=(keys[number % len(keys)], keys[(number + 1) % len(keys)]),
            organization=organization,
        )
    client = APIClient()
    client.force_authenticate(coordinator.user)
    thirty = _queries_for(client, "/api/v1/people/", 30)

    assert thirty == one


def test_the_notes_list_costs_the_same_queries_for_one_note_and_for_thirty(db):
    community = make_community("Lakeside", "lakeside")
    peers = make_organization(community, "experiential", "Lake Peers")
    reader = make_person(
        community, "lake-reader", sector_keys=("experiential",), organization=peers
    )
    client = APIClient()
    client.force_authenticate(reader.user)
    note_on(peers, reader, "The first note.")
    one = _queries_for(client, "/api/v1/organization-notes/", 1)

    experiential = Sector.objects.get(community=community, key="experiential")
    visibilities = [
        {"visibility": Visibility.COMMITTEE},
        {"visibility": Visibility.SECTORS, "sectors": [experiential]},
        {"visibility": Visibility.ORGANIZATION},
    ]
    for number in range(29):
        author = make_person(
            community, f"lake-author-{number}", sector_keys=("experiential",), organization=peers
        )
        subject = make_organization(community, "health", f"Clinic {number}")
        note_on(subject, author, f"Note {number}.", **visibilities[number % len(visibilities)])
    client = APIClient()
    client.force_authenticate(reader.user)
    thirty = _queries_for(client, "/api/v1/organization-notes/", 30)

    assert thirty == one
