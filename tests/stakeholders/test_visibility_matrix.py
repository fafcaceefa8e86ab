"""Who sees which organization note, through every way in: the notes page, the organization
page, the note page, the API list and the API detail. A record you may not see does not exist
for you: it is absent from lists and its address is a 404 like any missing one."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from stakeholders import services
from stakeholders.models import OrganizationNote, Visibility

PERSONAS = [
    "experiential",
    "experiential_peer",
    "police",
    "police_colleague",
    "resident",
    "business",
    "health",
    "coordinator",
    "admin",
    "outsider",
]
COMMITTEE = {
    "experiential",
    "experiential_peer",
    "police",
    "police_colleague",
    "resident",
    "business",
    "health",
    "coordinator",
}

# note label -> who may see it
EXPECTED = {
    "committee": COMMITTEE,
    "caucus": {"experiential", "experiential_peer"},
    "police-only": {"police", "police_colleague"},
    "to-coordinators": {"coordinator", "resident"},  # the resident wrote it
    "coordinators-own": {"coordinator"},
}


@pytest.fixture
def notes(personas):
    """One note per visibility, each about the police service, by different authors."""
    subject = personas.police.organization
    specs = {
        "committee": (personas.police, Visibility.COMMITTEE, []),
        "caucus": (personas.experiential, Visibility.SECTORS, [personas.sector("experiential")]),
        "police-only": (personas.police, Visibility.ORGANIZATION, []),
        "to-coordinators": (personas.resident, Visibility.COORDINATORS, []),
        "coordinators-own": (personas.coordinator, Visibility.COORDINATORS, []),
    }
    return {
        label: services.write_organization_note(
            author=author,
            organization=subject,
            body=f"note:{label}",
            visibility=visibility,
            sectors=sectors,
        )
        for label, (author, visibility, sectors) in specs.items()
    }


def labels_in(html: str) -> set[str]:
    return set(re.findall(r"note:([a-z-]+)", html))


def page_client(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def api_client(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(person.user)
    return client


LIST_PAGES = {
    "notes page": lambda p: f"/c/{p.community.slug}/notes/",
    "organization page": lambda p: (
        f"/c/{p.community.slug}/organizations/{p.police.organization_id}/"
    ),
}


@pytest.mark.parametrize("page", LIST_PAGES)
@pytest.mark.parametrize("who", PERSONAS)
def test_pages_list_exactly_the_notes_the_persona_may_see(personas, notes, who, page):
    response = page_client(getattr(personas, who)).get(LIST_PAGES[page](personas))
    if who == "outsider":  # another community's pages do not exist for them
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert labels_in(response.content.decode()) == {
        label for label, readers in EXPECTED.items() if who in readers
    }


@pytest.mark.parametrize("who", PERSONAS)
def test_note_pages_open_only_for_those_who_may_see_them(personas, notes, who):
    client = page_client(getattr(personas, who))
    for label, note in notes.items():
        response = client.get(f"/c/{personas.community.slug}/notes/{note.pk}/")
        expected = 200 if who in EXPECTED[label] else 404
        assert response.status_code == expected, label


@pytest.mark.parametrize("who", PERSONAS)
def test_api_lists_exactly_the_notes_the_persona_may_see(personas, notes, who):
    response = api_client(getattr(personas, who)).get("/api/v1/organization-notes/")
    assert response.status_code == 200
    seen = {row["body"].removeprefix("note:") for row in response.json()["results"]}
    assert seen == {label for label, readers in EXPECTED.items() if who in readers}
    assert response.json()["count"] == len(seen)


@pytest.mark.parametrize("who", PERSONAS)
def test_api_detail_opens_only_for_those_who_may_see_it(personas, notes, who):
    client = api_client(getattr(personas, who))
    for label, note in notes.items():
        response = client.get(f"/api/v1/organization-notes/{note.pk}/")
        assert response.status_code == (200 if who in EXPECTED[label] else 404), label


def test_anonymous_visitors_see_no_notes_anywhere(personas, notes):
    anonymous = Client()
    for note in notes.values():
        page = anonymous.get(f"/c/{personas.community.slug}/notes/{note.pk}/")
        assert page.status_code == 302 and "/accounts/login/" in page["Location"]
        assert anonymous.get(f"/api/v1/organization-notes/{note.pk}/").status_code in {401, 403}
    assert anonymous.get("/api/v1/organization-notes/").status_code in {401, 403}


def test_removing_a_grant_hides_the_note_at_once(personas, notes):
    """The reads follow the grant rows: without the experiential sector's grant, the caucus
    note is gone for its members (the author still sees what they wrote)."""
    caucus = notes["caucus"]
    peer = page_client(personas.experiential_peer)
    url = f"/c/{personas.community.slug}/notes/{caucus.pk}/"
    assert peer.get(url).status_code == 200

    OrganizationNote.grant_model.objects.filter(content_object=caucus).delete()

    assert peer.get(url).status_code == 404
    listed = api_client(personas.experiential_peer).get("/api/v1/organization-notes/").json()
    assert "note:caucus" not in {row["body"] for row in listed["results"]}
    assert page_client(personas.experiential).get(url).status_code == 200


def test_leaving_a_sector_takes_effect_on_the_next_request(personas, notes):
    url = f"/c/{personas.community.slug}/notes/{notes['caucus'].pk}/"
    peer = page_client(personas.experiential_peer)
    assert peer.get(url).status_code == 200

    services.update_membership(
        actor=personas.coordinator,
        person=personas.experiential_peer,
        sectors=[personas.sector("residents")],
    )

    assert peer.get(url).status_code == 404


def test_a_closed_account_sees_nothing(personas, notes):
    services.update_membership(
        actor=personas.coordinator, person=personas.police_colleague, is_active=False
    )
    response = api_client(personas.police_colleague).get("/api/v1/organization-notes/")
    assert response.json()["count"] == 0


def test_changing_a_notes_visibility_moves_its_readers(personas, notes):
    note = notes["police-only"]
    services.change_note_visibility(
        actor=personas.police, note=note, visibility=Visibility.COORDINATORS
    )
    assert (
        api_client(personas.police_colleague)
        .get(f"/api/v1/organization-notes/{note.pk}/")
        .status_code
        == 404
    )
    assert (
        api_client(personas.coordinator).get(f"/api/v1/organization-notes/{note.pk}/").status_code
        == 200
    )


def test_grants_are_group_permissions_and_every_change_is_audited(personas, notes):
    caucus = notes["caucus"]
    grants = OrganizationNote.grant_model.objects.filter(content_object=caucus)
    assert [grant.group.audience.kind for grant in grants] == ["sector"]
    assert grants.get().group.audience.sector.key == "experiential"
    entry = caucus.community.audit_entries.filter(
        action="visibility.grants", target_id=str(caucus.pk)
    ).get()
    assert entry.changes["visibility"] == "sectors"
    assert entry.actor == personas.experiential.user


def test_a_public_record_would_reach_everyone_including_anonymous(personas, notes):
    """No record kind is public yet; the layer already carries the level to anonymous
    visitors and other communities without a grant row."""
    from django.contrib.auth.models import AnonymousUser

    from stakeholders.selectors import organization_notes_for

    OrganizationNote.objects.filter(pk=notes["committee"].pk).update(visibility="public")
    for viewer in [AnonymousUser(), personas.outsider.user, personas.admin.user]:
        assert list(organization_notes_for(viewer).values_list("body", flat=True)) == [
            "note:committee"
        ]


@pytest.mark.parametrize(
    "author, visibility, sector_keys, message",
    [
        ("police", Visibility.SECTORS, ["experiential"], "sectors you belong to"),
        ("coordinator", Visibility.SECTORS, ["experiential"], "sectors you belong to"),
        ("experiential", Visibility.SECTORS, [], "at least one sector"),
        ("resident", Visibility.ORGANIZATION, [], "not part of an organization"),
        ("police", Visibility.PUBLIC, [], "cannot be shared that way"),
        ("admin", Visibility.COMMITTEE, [], "Only committee members"),
        ("police", Visibility.COMMITTEE, ["law-enforcement"], "only when sharing with sectors"),
    ],
)
def test_a_visibility_the_author_may_not_choose_is_refused_and_nothing_is_saved(
    personas, author, visibility, sector_keys, message
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        services.write_organization_note(
            author=getattr(personas, author),
            organization=personas.police.organization,
            body="should not exist",
            visibility=visibility,
            sectors=[personas.sector(key) for key in sector_keys],
        )
    assert not OrganizationNote.objects.filter(body="should not exist").exists()


def _without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_hidden_notes_404_is_identical_to_a_missing_ones(personas, notes, language):
    personas.police.preferred_language = language
    personas.police.save()
    client = page_client(personas.police)
    missing_pk = OrganizationNote.objects.order_by("-pk").first().pk + 1000
    hidden_pk = notes["caucus"].pk
    base = f"/c/{personas.community.slug}/notes/"
    for accept in ["en", "fr-CA,fr;q=0.9"]:
        hidden = client.get(f"{base}{hidden_pk}/", HTTP_ACCEPT_LANGUAGE=accept)
        missing = client.get(f"{base}{missing_pk}/", HTTP_ACCEPT_LANGUAGE=accept)
        assert hidden.status_code == missing.status_code == 404
        assert _without_csrf(hidden.content) == _without_csrf(missing.content)
        assert sorted(hidden.headers.items()) == sorted(missing.headers.items())

    api = api_client(personas.police)
    for accept in ["en", "fr"]:
        hidden = api.get(f"/api/v1/organization-notes/{hidden_pk}/", HTTP_ACCEPT_LANGUAGE=accept)
        missing = api.get(f"/api/v1/organization-notes/{missing_pk}/", HTTP_ACCEPT_LANGUAGE=accept)
        assert hidden.status_code == missing.status_code == 404
        assert hidden.content == missing.content


def test_another_communitys_organization_does_not_exist_for_a_member(personas):
    other_org = personas.outsider.organization
    client = page_client(personas.police)
    response = client.get(f"/c/{personas.community.slug}/organizations/{other_org.pk}/")
    assert response.status_code == 404
    assert client.get(f"/c/{personas.other_community.slug}/").status_code == 404
    assert (
        api_client(personas.police).get(f"/api/v1/organizations/{other_org.pk}/").status_code == 404
    )


def test_who_can_see_a_note_is_exactly_who_it_is_shown_to(personas, notes):
    """`people_who_can_see` (used to address notifications) is the reverse of `visible_to`."""
    from stakeholders.selectors import people_who_can_see

    everyone = {who: getattr(personas, who) for who in PERSONAS}
    for label, note in notes.items():
        addressed = set(people_who_can_see(note))
        assert addressed == {everyone[who] for who in EXPECTED[label]}, label
