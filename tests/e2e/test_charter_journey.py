"""The committee's own texts in a browser: a coordinator changes a charter objective through a
proposal that the committee agrees, and the earlier charter stays readable; a new member meets
the trust agreement in place of the position form, accepts it, and then gives a position."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee import selectors, services
from committee.consensus import Stance
from committee.governing_texts import Bilingual
from committee.models import Position
from tests.conftest import make_person

from .conftest import PHONE, screenshot, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OLD = "Reduce and prevent sexual exploitation"
NEW = "Reduce and end sexual exploitation, with survivors leading"
TITLE = "Say what we mean: end sexual exploitation"


def test_a_coordinator_changes_an_objective_and_the_committee_agrees_it(new_page, personas, seated):
    p = personas
    sam = new_page()
    sign_in(sam, p.coordinator.user.username)
    sam.get_by_role("navigation", name="Main").get_by_role("link", name="Charter").click()
    expect(sam.get_by_role("heading", level=1, name="Our charter")).to_be_visible()
    expect(sam.locator(".charter-objectives")).to_contain_text(OLD)

    sam.get_by_role("link", name="Propose a change").click()
    sam.get_by_label("Title of the proposal").fill(TITLE)
    sam.get_by_label("Why this change").fill("Survivors asked us to be clearer.")
    sam.get_by_label("Objective 2 (English)").fill(NEW)
    sam.get_by_label("Objective 2 (French)").fill(
        "Réduire et faire cesser l'exploitation sexuelle, sous la conduite des survivantes"
    )
    sam.get_by_label("Place of objective 2").fill("1")  # and put it first
    screenshot(sam, "charter-change-form")
    sam.get_by_role("button", name="Save the draft proposal").click()
    expect(sam.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    change = sam.locator("#amendment")
    expect(change).to_contain_text("Reworded:")
    first = change.locator(".objective-changes li").first
    expect(first).to_contain_text("Moved here:")
    expect(first).to_contain_text(NEW)
    expect(change.locator(".change-moved")).to_have_count(1)
    expect(change.locator("del")).to_have_text(OLD)
    expect(change.locator("ins")).to_have_text(NEW)
    sam.get_by_role("button", name="Start the discussion").click()
    sam.get_by_role("button", name="Ask for positions").click()
    expect(sam.get_by_text("The proposal is open for positions.")).to_be_visible()

    # Members state their positions: Jade from her phone, the other seats as they come in.
    jade = new_page(PHONE)
    sign_in(jade, p.experiential.user.username)
    jade.get_by_role("navigation", name="Main").get_by_role("link", name="Proposals").click()
    jade.get_by_role("link", name=TITLE).first.click()
    expect(jade.locator("#amendment")).to_contain_text(NEW)
    jade.get_by_label("Agree", exact=True).check()
    jade.get_by_role("button", name="Give my seat's position").click()
    expect(jade.locator("#position-panel")).to_contain_text("Your seat's current position: Agree")
    screenshot(jade, "charter-change-phone")
    proposal = Position.objects.get(given_by=p.experiential).proposal
    for person in (p.police, p.resident, p.business, p.health, p.coordinator):
        services.cast_position(person=person, proposal=proposal, stance=Stance.AGREE)

    sam.reload()
    sam.get_by_role("button", name="Close now and record the outcome").click()
    expect(sam.locator("#amendment")).to_contain_text("Agreed: this is version 2 of the charter.")

    sam.get_by_role("navigation", name="Main").get_by_role("link", name="Charter").click()
    expect(sam.locator(".charter-objectives li").first).to_have_text(NEW)
    expect(sam.locator(".charter-objectives")).not_to_contain_text(OLD)
    history = sam.get_by_role("region", name="History")
    expect(history).to_contain_text(TITLE)
    screenshot(sam, "charter-version-2")
    history.get_by_role("link", name="Version 1").click()
    expect(sam.get_by_text("This is an earlier version.")).to_be_visible()
    expect(sam.locator(".charter-objectives")).to_contain_text(OLD)
    assert selectors.current_charter(p.community).number == 2


def test_a_new_member_accepts_the_agreement_before_giving_a_position(new_page, personas, seated):
    p = personas
    agreement = services.propose_agreement(
        author=p.coordinator,
        title="Our trust agreement",
        body="How we work together.",
        text=Bilingual(en="What is said in a caucus stays in the caucus. No recording."),
    )
    services.open_for_positions(
        actor=p.coordinator, proposal=agreement, closes_at=timezone.now() + timedelta(days=1)
    )
    for person in (p.experiential, p.police, p.resident, p.business, p.health, p.coordinator):
        services.cast_position(person=person, proposal=agreement, stance=Stance.AGREE)
    services.close_proposal(actor=p.coordinator, proposal=agreement)
    newcomer = make_person(p.community, "tasha", sector_keys=("youth",), display_name="Tasha")
    services.create_seat(
        actor=None,
        committee=seated.committee,
        sector=p.sector("youth"),
        primary=newcomer,
        organization=None,
    )
    proposal = services.create_proposal(
        author=p.coordinator,
        title="Youth drop-in on Saturdays",
        body="Open the youth drop-in on Saturdays.",
        visibility="committee",
    )
    services.open_for_positions(
        actor=p.coordinator, proposal=proposal, closes_at=timezone.now() + timedelta(days=3)
    )

    tasha = new_page(PHONE)
    sign_in(tasha, "tasha")
    tasha.get_by_role("region", name="Waiting for your position").get_by_role(
        "link", name="Youth drop-in on Saturdays"
    ).click()
    gate = tasha.get_by_role("region", name="First, our trust agreement")
    expect(gate).to_contain_text("No recording.")
    expect(tasha.get_by_role("button", name="Give my seat's position")).to_have_count(0)
    expect(tasha.get_by_role("button", name="Post comment")).to_have_count(0)
    screenshot(tasha, "agreement-gate-phone")

    gate.get_by_role("button", name="I accept the trust agreement").click()
    expect(tasha.get_by_text("Thank you: you accepted the trust agreement.")).to_be_visible()
    expect(tasha.get_by_role("heading", level=1, name="Youth drop-in on Saturdays")).to_be_visible()
    tasha.get_by_label("Agree", exact=True).check()
    tasha.get_by_role("button", name="Give my seat's position").click()
    expect(tasha.locator("#position-panel")).to_contain_text("Your seat's current position: Agree")
    assert Position.objects.get(given_by=newcomer, proposal=proposal).stance == Stance.AGREE

    # The coordinators see who accepted which version, and when.
    sam = new_page()
    sign_in(sam, p.coordinator.user.username)
    sam.goto(f"/c/{p.community.slug}/agreement/acceptances/")
    expect(sam.get_by_role("row", name="Tasha")).not_to_contain_text("Not yet")
    expect(sam.get_by_role("row", name="Jade")).to_contain_text("Not yet")
