"""The community's public page and its API: exactly the public records, nothing else, for
anyone outside the community; 404 while it is off; members keep their home at /c/<slug>/."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from stakeholders import services as stakeholder_services
from stakeholders.models import AuditEntry, Community
from tests.committee.test_charter_and_agreement import charter_change, decide
from tests.workplans.conftest import community_today
from workplans import services
from workplans.models import Action, ActionArea

SLUG = "riverside"


def client_for(person=None) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person.user)
    return client


def contains(text: str, needle: str) -> bool:
    return re.search(rf"(?<![\w@.-]){re.escape(needle)}(?![\w@-])", text) is not None


def assert_exactly_public(text: str, world, *, not_shown: tuple[str, ...] = ()) -> None:
    """Every public record is there (but `not_shown`), and no other record, person or
    organization's name."""
    missing = [name for name in world.public if name not in not_shown and not contains(text, name)]
    leaked = [name for name in world.hidden if contains(text, name)]
    assert missing == [] and leaked == []


def without_csrf(content: bytes) -> bytes:
    """A page with the signed-in visitor's menu carries a fresh CSRF token on each render."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


# --- exactly the public records ----------------------------------------------------------------


@pytest.mark.parametrize("path", [f"/c/{SLUG}/", f"/c/{SLUG}/public/"])
def test_an_anonymous_visitor_sees_exactly_the_public_records(public_world, path):
    response = client_for().get(path)
    assert response.status_code == 200
    assert_exactly_public(response.content.decode(), public_world)


def test_a_signed_in_outsider_sees_the_same_public_page(public_world, personas):
    response = client_for(personas.outsider).get(f"/c/{SLUG}/")
    assert response.status_code == 200
    assert_exactly_public(response.content.decode(), public_world)


def test_a_member_previewing_the_page_sees_only_what_visitors_see(public_world, personas):
    """The preview is read as a visitor, whoever looks: the caucus sees no caucus record in
    it, the coordinator nothing confidential."""
    for person in (personas.experiential, personas.coordinator):
        text = client_for(person).get(f"/c/{SLUG}/public/").content.decode()
        assert_exactly_public(text.replace(person.display_name, ""), public_world)


def test_the_api_holds_exactly_the_public_records(public_world):
    response = APIClient().get(f"/api/v1/public/{SLUG}/")
    assert response.status_code == 200
    data = response.json()
    assert_exactly_public(json.dumps(data, ensure_ascii=False), public_world)
    action = data["areas"][0]["objectives"][0]["actions"][0]
    assert set(action) == {
        "id",
        "title",
        "description",
        "status",
        "progress",
        "starts_on",
        "due_on",
        "indicators",
    }
    assert (action["status"], action["progress"]) == ("approved", 30)
    assert data["charter"]["number"] == 1
    assert len(data["charter"]["objectives"]) == 5 and "proposal" not in data["charter"]


def test_the_yearly_summary_holds_exactly_the_public_records_of_that_year(public_world):
    text = client_for().get(f"/c/{SLUG}/public/2026/").content.decode()
    assert_exactly_public(text, public_world, not_shown=("objective-public-zq",))
    assert 'class="printable public-page"' in text
    assert "12 nights" in text  # the indicator's value reported in the year
    api = APIClient().get(f"/api/v1/public/{SLUG}/?year=2026").json()
    assert [row["action"]["title"] for row in api["actions"]] == ["action-public-zq"]
    assert api["reality"][0]["entries"][0]["text"] == "reality-public-zq"


def test_a_year_without_anything_shared_is_empty_and_a_future_year_does_not_exist(public_world):
    text = client_for().get(f"/c/{SLUG}/public/2024/").content.decode()
    assert "action-public-zq" not in text and "reality-public-zq" not in text
    assert "Nothing shared for this year." in text
    future = community_today().year + 1
    assert client_for().get(f"/c/{SLUG}/public/{future}/").status_code == 404
    assert APIClient().get(f"/api/v1/public/{SLUG}/?year=soon").status_code == 400


def test_sectors_show_in_the_readers_language_with_counts_of_organizations(public_world):
    english = client_for().get(f"/c/{SLUG}/").content.decode()
    assert "Current and former sex workers: 1 organization" in english
    assert "Law enforcement: 1 organization" in english
    french = client_for().get(f"/c/{SLUG}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Travailleuses et travailleurs du sexe, actuels et anciens" in french
    api = APIClient().get(f"/api/v1/public/{SLUG}/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert {"key": "law-enforcement", "name": "Forces de l'ordre", "organizations": 1} in api[
        "sectors"
    ]


# --- off: 404, the same as nothing there -------------------------------------------------------


def test_while_off_the_page_and_api_do_not_exist_for_anyone_outside(world, personas):
    for client in (client_for(), client_for(personas.outsider)):
        for path in (f"/c/{SLUG}/", f"/c/{SLUG}/public/", f"/c/{SLUG}/public/2026/"):
            missing = client.get(path.replace(SLUG, "nowhere"))
            response = client.get(path)
            assert response.status_code == 404
            assert without_csrf(response.content) == without_csrf(missing.content)
    api = APIClient().get(f"/api/v1/public/{SLUG}/")
    assert api.status_code == 404
    assert api.content == APIClient().get("/api/v1/public/nowhere/").content


def test_members_keep_their_home_at_the_community_address(public_world, personas):
    home = client_for(personas.police).get(f"/c/{SLUG}/")
    assert home.status_code == 200
    assert "stakeholders/community_home.html" in [t.name for t in home.templates]
    admin = client_for(personas.admin).get(f"/c/{SLUG}/")
    assert "stakeholders/community_home.html" in [t.name for t in admin.templates]


def test_members_may_preview_the_page_while_it_is_off(world, personas):
    text = client_for(personas.police).get(f"/c/{SLUG}/public/").content.decode()
    assert "The public page is off" in text
    assert_exactly_public(text.replace(personas.police.display_name, ""), world)


# --- search engines ----------------------------------------------------------------------------


def test_search_engines_are_asked_not_to_index_unless_the_community_chooses(public_world, personas):
    response = client_for().get(f"/c/{SLUG}/")
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert APIClient().get(f"/api/v1/public/{SLUG}/")["X-Robots-Tag"] == "noindex"
    stakeholder_services.set_public_page(actor=personas.coordinator, enabled=True, indexed=True)
    response = client_for().get(f"/c/{SLUG}/")
    assert "X-Robots-Tag" not in response
    assert 'name="robots"' not in response.content.decode()


# --- the cache ---------------------------------------------------------------------------------


def test_anonymous_visitors_get_the_page_from_the_cache(
    public_world, django_assert_max_num_queries
):
    first = client_for().get(f"/c/{SLUG}/")
    with django_assert_max_num_queries(1):  # the community, nothing else
        again = client_for().get(f"/c/{SLUG}/")
    assert again.content == first.content
    assert again["X-Robots-Tag"] == "noindex"


def test_an_edit_of_a_public_record_shows_at_once(public_world, personas):
    p = personas
    client = client_for()
    assert "action-public-zq" in client.get(f"/c/{SLUG}/").content.decode()
    action = public_world.records["action-public-zq"]
    services.update_action(actor=p.coordinator, action=action, title="renamed-action-zq")
    text = client.get(f"/c/{SLUG}/").content.decode()
    assert "renamed-action-zq" in text and "action-public-zq" not in text
    services.set_action_progress(actor=p.coordinator, action=action, progress=75)
    assert "75% done" in client.get(f"/c/{SLUG}/").content.decode()
    area = public_world.records["area-public-zq"]
    services.set_public(actor=p.coordinator, record=area, public=False)
    text = client.get(f"/c/{SLUG}/").content.decode()
    assert "area-public-zq" not in text and "renamed-action-zq" not in text
    stakeholder_services.set_public_page(actor=p.coordinator, enabled=False, indexed=False)
    assert client.get(f"/c/{SLUG}/").status_code == 404


def test_the_charter_in_force_shows_and_an_agreed_change_shows_at_once(public_world, personas):
    """The charter is the committee's public face; the proposal that changed it is not."""
    client = client_for()
    text = client.get(f"/c/{SLUG}/").content.decode()
    assert "To create communities that are healthier" in text
    assert "Reduce and end sexual exploitation" not in text
    decide(personas, charter_change(personas.coordinator))
    text = client.get(f"/c/{SLUG}/").content.decode()
    assert "Reduce and end sexual exploitation" in text
    assert "Sharpen our objectives" not in text
    french = client.get(f"/c/{SLUG}/", HTTP_ACCEPT_LANGUAGE="fr-CA").content.decode()
    assert "Protéger les jeunes" in french


def test_a_renamed_sector_and_a_new_organization_show_at_once(public_world, personas):
    p = personas
    client = client_for()
    client.get(f"/c/{SLUG}/")
    stakeholder_services.save_sector(
        actor=p.coordinator, sector=p.sector("residents"), name="Neighbours", is_required=True
    )
    stakeholder_services.create_organization(
        community=p.community,
        sector=p.sector("residents"),
        name="Laneway Association",
        status="active",
    )
    text = client.get(f"/c/{SLUG}/").content.decode()
    assert "Neighbours: 1 organization" in text
    assert "Laneway Association" not in text


def test_the_cache_of_one_community_is_not_another_ones(public_world, personas):
    other = personas.other_community
    Community.objects.filter(pk=other.pk).update(public_page=True)
    ours = client_for().get(f"/c/{SLUG}/").content.decode()
    theirs = client_for().get(f"/c/{other.slug}/").content.decode()
    assert "action-public-zq" in ours and "action-public-zq" not in theirs


# --- switching it on and off -------------------------------------------------------------------


def test_only_coordinators_switch_the_page_and_every_change_is_audited(world, personas):
    p = personas
    for person in (p.police, p.admin):
        with pytest.raises(ValidationError):
            stakeholder_services.set_public_page(actor=person, enabled=True, indexed=False)
    assert Community.objects.get(pk=p.community.pk).public_page is False
    assert client_for(p.police).get(f"/c/{SLUG}/public/settings/").status_code == 404
    settings = client_for(p.coordinator)
    assert settings.get(f"/c/{SLUG}/public/settings/").status_code == 200
    response = settings.post(f"/c/{SLUG}/public/settings/", {"enabled": "on"})
    assert response.status_code == 302
    community = Community.objects.get(pk=p.community.pk)
    assert (community.public_page, community.public_page_indexed) == (True, False)
    entry = AuditEntry.objects.get(action="community.public_page")
    assert entry.changes == {
        "before": {"enabled": False, "indexed": False},
        "after": {"enabled": True, "indexed": False},
    }
    assert client_for().get(f"/c/{SLUG}/").status_code == 200


def test_a_new_community_starts_with_its_page_off(db):
    community = stakeholder_services.create_community(
        name="Eastside", slug="eastside", timezone_name="America/Toronto"
    )
    assert (community.public_page, community.public_page_indexed) == (False, False)


def test_the_settings_page_lists_what_can_be_shared_and_shares_it(world, personas):
    p = personas
    client = client_for(p.coordinator)
    text = client.get(f"/c/{SLUG}/public/settings/").content.decode()
    assert "area-public-zq" in text
    assert "area-committee-zq" not in text  # not agreed: nothing to share yet
    assert "area-coordinators-zq" not in text and "action-coordinators-zq" not in text
    action = world.records["action-public-zq"]
    response = client.post(
        f"/c/{SLUG}/publish/",
        {"kind": "action", "pk": action.pk, "public": "no", "next": f"/c/{SLUG}/public/settings/"},
    )
    assert response["Location"] == f"/c/{SLUG}/public/settings/"
    assert Action.objects.get(pk=action.pk).visibility == "committee"
    client.post(f"/c/{SLUG}/publish/", {"kind": "action", "pk": action.pk, "public": "yes"})
    assert Action.objects.get(pk=action.pk).visibility == "public"
    assert (
        client_for(p.police)
        .post(f"/c/{SLUG}/publish/", {"kind": "action", "pk": action.pk, "public": "no"})
        .status_code
        == 404
    )
    assert Action.objects.get(pk=action.pk).visibility == "public"
    assert list(
        AuditEntry.objects.filter(action__startswith="public.").values_list("action", flat=True)
    )[:2] == ["public.publish", "public.withdraw"]


def test_publishing_the_reality_from_the_profile_page(world, personas):
    p = personas
    entry = world.records["reality-committee-zq"]
    page = client_for(p.coordinator).get(f"/c/{SLUG}/reality/").content.decode()
    assert "Share on the public page" in page
    assert (
        "Share on the public page"
        not in client_for(p.police).get(f"/c/{SLUG}/reality/").content.decode()
    )
    client_for(p.coordinator).post(
        f"/c/{SLUG}/publish/", {"kind": "reality", "pk": entry.pk, "public": "yes"}
    )
    entry.refresh_from_db()
    assert entry.visibility == "public"


def test_the_area_must_be_public_before_its_action(world, personas):
    p = personas
    area = world.records["area-public-zq"]
    action = world.records["action-public-zq"]
    services.set_public(actor=p.coordinator, record=area, public=False)
    assert ActionArea.objects.get(pk=area.pk).visibility == "committee"
    assert Action.objects.get(pk=action.pk).visibility == "committee"  # withdrawn with it
    with pytest.raises(ValidationError) as refused:
        services.set_public(actor=p.coordinator, record=action, public=True)
    assert "action area public first" in str(refused.value)
