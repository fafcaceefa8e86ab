"""The community profile (step 1): who records, who sees and who edits an entry, through the
services, the pages and the API. An experiential member's account kept in the caucus exists for
nobody else, coordinators included."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from rest_framework.test import APIClient

from stakeholders.models import AuditEntry, Visibility
from tests.conftest import Personas
from workplans import services
from workplans.models import RealityEntry

SLUG = "riverside"
DAY = date(2026, 3, 1)


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def api_for(person) -> APIClient:
    client = APIClient()
    client.force_login(person.user)
    return client


def entry(p: Personas, author=None, *, text="Street-based work east of the rail yard.", **kw):
    author = author or p.police
    defaults = {
        "kind": "presence",
        "sector": author.sectors.first(),
        "observed_on": DAY,
        "visibility": Visibility.COMMITTEE,
    }
    return services.record_reality_entry(author=author, text=text, **{**defaults, **kw})


def caucus_entry(p: Personas) -> RealityEntry:
    experiential = p.sector("experiential")
    return entry(
        p,
        p.experiential,
        text="caucus-account: turned away from the shelter after midnight",
        kind="concern",
        visibility=Visibility.SECTORS,
        sectors=[experiential],
    )


# --- services ----------------------------------------------------------------------------------


def test_a_member_records_an_entry_for_their_own_sector_and_it_is_audited(personas):
    p = personas
    record = entry(p, sources="Patrol notes")
    assert (record.kind, record.sector.key, record.author, record.sources) == (
        "presence",
        "law-enforcement",
        p.police,
        "Patrol notes",
    )
    assert AuditEntry.objects.filter(action="reality.create", target_id=str(record.pk)).exists()


def test_a_member_cannot_speak_for_another_sector_but_a_coordinator_writes_for_any(personas):
    p = personas
    with pytest.raises(ValidationError) as refused:
        entry(p, p.police, sector=p.sector("residents"))
    assert "sector you belong to" in str(refused.value)
    assert entry(p, p.coordinator, sector=p.sector("residents")).sector.key == "residents"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": "   "}, "text"),
        ({"kind": "rumour"}, "kind"),
        ({"observed_on": None}, "observed_on"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(personas, change, field):
    with pytest.raises(ValidationError) as refused:
        entry(personas, **change)
    assert field in refused.value.message_dict
    assert not RealityEntry.objects.exists()


def test_administrators_and_people_of_another_community_record_nothing(personas):
    p = personas
    with pytest.raises(ValidationError):
        entry(p, p.admin, sector=p.sector("municipal-government"))
    with pytest.raises(ValidationError):
        entry(p, p.outsider, sector=p.sector("experiential"))
    assert not RealityEntry.objects.exists()


def test_only_a_coordinator_makes_an_entry_public(personas):
    p = personas
    with pytest.raises(ValidationError) as refused:
        entry(p, p.police, visibility=Visibility.PUBLIC)
    assert "Only coordinators" in str(refused.value)
    assert entry(p, p.coordinator, visibility=Visibility.PUBLIC).visibility == Visibility.PUBLIC


def test_the_author_and_coordinators_edit_an_entry_and_nobody_else(personas):
    p = personas
    record = entry(p)
    fields = {
        "kind": "concern",
        "sector": p.sector("law-enforcement"),
        "observed_on": date(2026, 4, 2),
        "text": "Fewer reports this spring.",
    }
    services.update_reality_entry(actor=p.police, entry=record, **fields)
    record.refresh_from_db()
    assert (record.kind, record.observed_on, record.text) == (
        "concern",
        date(2026, 4, 2),
        "Fewer reports this spring.",
    )
    with pytest.raises(ValidationError):
        services.update_reality_entry(actor=p.resident, entry=record, **fields)
    services.update_reality_entry(actor=p.coordinator, entry=record, **{**fields, "text": "Edited"})
    record.refresh_from_db()
    assert record.text == "Edited"
    assert AuditEntry.objects.filter(action="reality.update").count() == 2


def test_a_caucus_entry_does_not_exist_outside_the_caucus_not_even_for_coordinators(personas):
    p = personas
    record = caucus_entry(p)
    from workplans import selectors

    assert list(selectors.reality_entries_for(p.experiential_peer.user)) == [record]
    for person in (p.coordinator, p.police, p.admin, p.outsider):
        assert not selectors.reality_entries_for(person.user).exists()
        with pytest.raises(Http404):
            selectors.get_reality_entry(person.user, record.pk)
    with pytest.raises(Http404):
        services.update_reality_entry(
            actor=p.coordinator,
            entry=record,
            kind="concern",
            sector=p.sector("experiential"),
            observed_on=DAY,
            text="overwritten",
        )


# --- pages -------------------------------------------------------------------------------------


def test_the_profile_groups_entries_by_kind_and_shows_each_ones_audience(personas):
    p = personas
    entry(p, text="presence-entry")
    entry(p, p.coordinator, kind="services", text="services-entry", sector=p.sector("health"))
    caucus_entry(p)
    text = client_for(p.police).get(f"/c/{SLUG}/reality/").content.decode()
    presence, services_, concerns = (
        text.index("Where and how sex work"),
        text.index("Services that exist"),
        text.index("A sector&#x27;s concerns"),
    )
    assert presence < text.index("presence-entry") < services_ < text.index("services-entry")
    assert concerns < text.index("Nothing recorded here yet that you can see.")
    assert "caucus-account" not in text
    assert "2 entries you can see" in text
    assert "The whole steering committee" in text
    caucus_view = client_for(p.experiential).get(f"/c/{SLUG}/reality/").content.decode()
    assert "caucus-account" in caucus_view


def test_the_profile_filters_by_sector_and_answers_htmx_with_the_list_alone(
    personas,
):
    p = personas
    entry(p, text="police-entry")
    entry(p, p.resident, text="resident-entry", kind="concern")
    client = client_for(p.coordinator)
    residents = p.sector("residents")
    text = client.get(f"/c/{SLUG}/reality/?sector={residents.pk}").content.decode()
    assert "resident-entry" in text and "police-entry" not in text
    assert "1 entry you can see from Residents" in text
    partial = client.get(f"/c/{SLUG}/reality/?sector={residents.pk}", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert body.startswith('<div id="reality-entries"') and "<html" not in body
    assert "resident-entry" in body
    # a sector of another community is no filter at all
    other = personas.other_community.sectors.first()
    assert "police-entry" in client.get(f"/c/{SLUG}/reality/?sector={other.pk}").content.decode()


def test_a_member_adds_an_entry_in_markdown_and_nothing_in_it_runs(personas):
    p = personas
    response = client_for(p.experiential).post(
        f"/c/{SLUG}/reality/new/",
        {
            "kind": "concern",
            "sector": p.sector("experiential").pk,
            "observed_on": "2026-03-01",
            "text": "**Bad dates** <script>alert(1)</script>",
            "sources": "Caucus meeting",
            "visibility": "sectors",
            "visible_sectors": [p.sector("experiential").pk],
        },
    )
    record = RealityEntry.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{record.pk}")
    assert record.visibility == Visibility.SECTORS
    text = client_for(p.experiential).get(f"/c/{SLUG}/reality/").content.decode()
    assert "<strong>Bad dates</strong>" in text and "<script>alert" not in text


def test_the_form_offers_public_to_coordinators_only(personas):
    p = personas
    assert (
        'value="public"' not in client_for(p.police).get(f"/c/{SLUG}/reality/new/").content.decode()
    )
    form = client_for(p.coordinator).get(f"/c/{SLUG}/reality/new/").content.decode()
    assert 'value="public"' in form
    checked = re.findall(r'<input type="radio" name="visibility" value="(\w+)"[^>]*checked', form)
    assert checked == ["committee"]


def test_the_edit_page_is_for_the_author_and_coordinators(personas):
    p = personas
    record = entry(p)
    url = f"/c/{SLUG}/reality/{record.pk}/edit/"
    assert client_for(p.police).get(url).status_code == 200
    assert client_for(p.coordinator).get(url).status_code == 200
    assert client_for(p.resident).get(url).status_code == 404
    response = client_for(p.police).post(
        url,
        {
            "kind": "services",
            "sector": p.sector("law-enforcement").pk,
            "observed_on": "2026-05-01",
            "text": "A victim services worker now rides along.",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.kind, record.observed_on) == ("services", date(2026, 5, 1))
    hidden = caucus_entry(p)
    assert client_for(p.coordinator).get(f"/c/{SLUG}/reality/{hidden.pk}/edit/").status_code == 404


# --- API ---------------------------------------------------------------------------------------


def test_the_api_lists_creates_and_reads_entries_through_the_selectors(personas):
    p = personas
    caucus = caucus_entry(p)
    api = api_for(p.police)
    created = api.post(
        "/api/v1/reality/",
        {
            "kind": "presence",
            "sector": p.sector("law-enforcement").pk,
            "observed_on": "2026-03-02",
            "text": "api-entry",
            "visibility": "committee",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["sector"]["id"] == p.sector("law-enforcement").pk
    listed = api.get("/api/v1/reality/").json()
    assert [row["text"] for row in listed["results"]] == ["api-entry"]
    assert api.get(f"/api/v1/reality/{caucus.pk}/").status_code == 404
    assert (
        api.get("/api/v1/reality/999999/").content
        == api.get(f"/api/v1/reality/{caucus.pk}/").content
    )
    caucus_api = api_for(p.experiential)
    assert caucus_api.get(f"/api/v1/reality/{caucus.pk}/").json()["visibility"] == "sectors"
    assert caucus_api.get("/api/v1/reality/?kind=concern").json()["count"] == 1
    assert caucus_api.get("/api/v1/reality/?kind=rumour").status_code == 400


def test_the_api_refuses_public_from_a_member_and_saves_nothing(personas):
    p = personas
    response = api_for(p.police).post(
        "/api/v1/reality/",
        {
            "kind": "presence",
            "sector": p.sector("law-enforcement").pk,
            "observed_on": "2026-03-02",
            "text": "would-be public",
            "visibility": "public",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "visibility" in response.json()
    assert not RealityEntry.objects.exists()
