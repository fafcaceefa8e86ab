"""A coordinator shares the committee's work with the broader community: switches the public
page on, shares an agreed action area and one of its approved actions; a visitor who is not
signed in sees that action and not the one kept to the committee; switched off, the page is
"Not found" for the visitor again. The plan itself is set up through the services, as the
committee would have agreed it."""

import pytest
from playwright.sync_api import expect

from stakeholders.models import Visibility
from tests.workplans.conftest import agreed_proposal
from workplans import services

from .conftest import PHONE, screenshot, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHARED = "Night outreach van on weekends"
KEPT = "Liaison schedule with the police"


@pytest.fixture
def agreed_plan(personas, seated):
    p = personas
    proposal = agreed_proposal(p, "Agree the outreach plan")
    area = services.create_action_area(
        actor=p.coordinator, title="Safer nights", visibility=Visibility.COMMITTEE
    )
    services.agree_action_area(actor=p.coordinator, area=area, proposal=proposal)
    objective = services.create_objective(actor=p.coordinator, area=area, title="Reach people")
    actions = [
        services.create_action(
            actor=p.coordinator, objective=objective, title=title, visibility=Visibility.COMMITTEE
        )
        for title in (SHARED, KEPT)
    ]
    services.approve_actions(actor=p.coordinator, proposal=proposal, actions=actions)
    return area, actions


def test_a_coordinator_shares_an_agreed_action_with_the_public(new_page, agreed_plan):
    area, (shared, kept) = agreed_plan
    visitor = new_page(PHONE)
    assert visitor.goto("/c/riverside/").status == 404

    sam = new_page()
    sign_in(sam, "sam")
    sam.get_by_role("navigation", name="Main").get_by_role("link", name="Public page").click()
    expect(sam.get_by_role("heading", level=1, name="Public page")).to_be_visible()
    sam.get_by_label("Show a public page for the broader community").check()
    sam.get_by_role("button", name="Save").click()
    expect(sam.locator(".messages")).to_contain_text("The public page is on.")

    sam.locator(f"#area-{area.pk}").get_by_role(
        "button", name="Share on the public page"
    ).first.click()
    expect(sam.locator(".messages")).to_contain_text("It is on the public page.")
    sam.locator(f"#action-{shared.pk}").get_by_role(
        "button", name="Share on the public page"
    ).click()
    expect(sam.locator(f"#action-{shared.pk}")).to_contain_text("Public")
    expect(sam.locator(f"#action-{kept.pk}")).to_contain_text("The whole steering committee")
    screenshot(sam, "public-page-settings")

    response = visitor.goto("/c/riverside/")
    assert response.status == 200
    assert response.headers["x-robots-tag"] == "noindex"
    expect(visitor.get_by_role("heading", level=1, name="Riverside")).to_be_visible()
    expect(visitor.locator(f"#action-{shared.pk}")).to_contain_text(SHARED)
    expect(visitor.get_by_text(KEPT)).to_have_count(0)
    expect(visitor.locator('meta[name="robots"]')).to_have_attribute("content", "noindex")
    screenshot(visitor, "public-page-phone")

    sam.get_by_label("Show a public page for the broader community").uncheck()
    sam.get_by_role("button", name="Save").click()
    expect(sam.locator(".messages")).to_contain_text("The public page is off")
    assert visitor.reload().status == 404
    expect(visitor.get_by_role("heading", level=1, name="Not found")).to_be_visible()
