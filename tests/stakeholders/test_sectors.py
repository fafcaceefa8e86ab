"""Sectors start as the model's list and are edited per community by its coordinators."""

import pytest
from django.test import Client

from stakeholders.models import AuditEntry, Sector, SectorTemplate


def client_for(person):
    client = Client()
    client.force_login(person.user)
    return client


def test_a_new_community_starts_with_the_models_twelve_sectors(personas):
    keys = list(personas.community.sectors.order_by("position").values_list("key", flat=True))
    assert keys == list(SectorTemplate.objects.order_by("position").values_list("key", flat=True))
    assert len(keys) == 12
    assert personas.community.sectors.get(is_experiential=True).key == "experiential"


def test_a_coordinator_renames_a_sector_for_their_community_only(personas):
    sector = personas.sector("residents")
    response = client_for(personas.coordinator).post(
        "/c/riverside/sectors/",
        {
            "sector": sector.pk,
            f"s{sector.pk}-name": "Residents and neighbours",
            f"s{sector.pk}-is_required": "on",
        },
    )
    assert response.status_code == 302
    sector.refresh_from_db()
    assert sector.name == "Residents and neighbours" and sector.key == "residents"
    other = Sector.objects.get(community=personas.other_community, key="residents")
    assert other.name == "Residents"
    assert AuditEntry.objects.filter(action="sector.save", target_id=str(sector.pk)).exists()


def test_a_coordinator_adds_a_sector_and_can_make_one_optional(personas):
    client = client_for(personas.coordinator)
    client.post("/c/riverside/sectors/", {"new-name": "Faith communities"})
    added = personas.community.sectors.get(name="Faith communities")
    assert added.is_required is False  # an unticked box
    assert added.position == 12


def test_a_duplicate_or_empty_name_is_refused_and_nothing_changes(personas):
    client = client_for(personas.coordinator)
    response = client.post("/c/riverside/sectors/", {"new-name": "Business"})
    assert response.status_code == 200
    assert "already has a sector with this name" in response.content.decode()
    sector = personas.sector("health")
    response = client.post("/c/riverside/sectors/", {"sector": sector.pk, f"s{sector.pk}-name": ""})
    assert response.status_code == 200
    sector.refresh_from_db()
    assert sector.name == "Health"
    assert personas.community.sectors.count() == 12


@pytest.mark.parametrize("who", ["police", "experiential", "admin", "outsider"])
def test_only_coordinators_of_the_community_reach_the_sectors_page(personas, who):
    client = client_for(getattr(personas, who))
    assert client.get("/c/riverside/sectors/").status_code == 404
    sector = personas.sector("health")
    response = client.post(
        "/c/riverside/sectors/", {"sector": sector.pk, f"s{sector.pk}-name": "Renamed"}
    )
    assert response.status_code == 404
    sector.refresh_from_db()
    assert sector.name == "Health"


def test_a_coordinator_cannot_edit_another_communitys_sector(personas):
    foreign = Sector.objects.get(community=personas.other_community, key="health")
    response = client_for(personas.coordinator).post(
        "/c/riverside/sectors/", {"sector": foreign.pk, f"s{foreign.pk}-name": "Renamed"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Health"
