"""Sectors are named in the reader's language: on pages, in a closed proposal's frozen outcome
and in emails. A name the community chose shows as chosen unless it gives a French one too."""

from django.test import Client

from committee import services as committee_services
from committee.consensus import Stance
from committee.models import Notification, NotificationKind
from committee.services.notifications import render_email
from tests.conftest import make_proposal

EXPERIENTIAL_FR = "Travailleuses et travailleurs du sexe, actuels et anciens"


def reader(person, language: str) -> Client:
    """A signed-in browser of `person`, who reads the platform in `language`."""
    person.preferred_language = language
    person.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(person.user)
    return client


def test_the_stakeholder_map_names_each_sector_in_the_readers_language(personas):
    french = reader(personas.resident, "fr").get("/c/riverside/map/").text
    english = reader(personas.police, "en").get("/c/riverside/map/").text

    assert EXPERIENTIAL_FR in french and "Forces de l&#x27;ordre" in french
    assert "Current and former sex workers" not in french
    assert "Current and former sex workers" in english and EXPERIENTIAL_FR not in english


def test_a_renamed_sector_shows_its_chosen_name_until_it_has_a_french_one(personas):
    sector = personas.sector("residents")
    coordinator = reader(personas.coordinator, "en")
    prefix = f"s{sector.pk}"
    form = {"sector": sector.pk, f"{prefix}-name": "Neighbours", f"{prefix}-is_required": "on"}
    coordinator.post("/c/riverside/sectors/", form)
    french = reader(personas.resident, "fr")
    assert "Neighbours" in french.get("/c/riverside/people/").text

    coordinator.post("/c/riverside/sectors/", {**form, f"s{sector.pk}-name_fr": "Voisinage"})

    text = french.get("/c/riverside/people/").text
    assert "Voisinage" in text and "Neighbours" not in text
    assert "Neighbours" in coordinator.get("/c/riverside/people/").text


def test_a_closed_proposals_outcome_and_its_email_name_sectors_in_the_readers_language(seated):
    proposal = make_proposal(seated.seats["health"].primary, status="decision")
    committee_services.cast_position(
        person=seated.seats["experiential"].primary,
        proposal=proposal,
        stance=Stance.BLOCK,
        reason="Not safe for us.",
    )
    coordinator = seated.seats["sex-worker-services"].primary
    reader(coordinator, "fr")
    committee_services.close_proposal(actor=coordinator, proposal=proposal)  # closed in French
    proposal.refresh_from_db()
    assert proposal.outcome["blocks"][0]["sector_name"] == "Current and former sex workers"

    page = reader(seated.seats["health"].primary, "fr").get(
        f"/c/riverside/proposals/{proposal.pk}/"
    )
    assert EXPERIENTIAL_FR in page.text
    assert "Current and former sex workers" not in page.text

    row = Notification.objects.filter(
        proposal=proposal, kind=NotificationKind.PROPOSAL_OUTCOME, recipient=coordinator
    ).first()
    assert row is not None
    email = render_email(row, coordinator)
    assert EXPERIENTIAL_FR in email.text and "Current and former sex workers" not in email.text
