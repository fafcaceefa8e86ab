"""The `public` level, enforced in the services: only coordinators set it, never as a default,
never on a person, a position, a comment, a caucus record or a contact detail; only agreed
areas, approved actions (under a public area) and community profile entries can carry it."""

import re
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client

from committee.models import Comment, Position, Seat
from stakeholders import services as stakeholder_services
from stakeholders.models import Person, Visibility, VisibleRecord
from tests.conftest import make_person, make_proposal
from workplans import services
from workplans.models import ActionArea, RealityEntry

SLUG = "riverside"


def visible_record_models() -> list[type[VisibleRecord]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, VisibleRecord) and not model._meta.abstract
    ]


def test_public_is_never_the_default_of_any_record_kind():
    models = visible_record_models()
    assert {model.__name__ for model in models} >= {
        "OrganizationNote",
        "Proposal",
        "Meeting",
        "Minutes",
        "Need",
        "ActionArea",
        "Action",
        "RealityEntry",
    }
    for model in models:
        assert model._meta.get_field("visibility").default == Visibility.COMMITTEE


def test_only_the_work_plan_and_the_community_profile_may_ever_be_public():
    may_be_public = {
        model.__name__
        for model in visible_record_models()
        if Visibility.PUBLIC in model.allowed_visibilities
    }
    assert may_be_public == {"ActionArea", "Action", "RealityEntry"}


def test_people_positions_comments_and_seats_have_no_visibility_to_make_public():
    for model in (Person, Position, Comment, Seat):
        assert not issubclass(model, VisibleRecord)
        assert "visibility" not in {field.name for field in model._meta.get_fields()}


@pytest.mark.parametrize(
    "path",
    ["reality/new/", "needs/new/", "workplan/areas/new/", "proposals/new/", "meetings/new/"],
)
def test_no_form_starts_on_public_even_for_a_coordinator(personas, path):
    client = Client()
    client.force_login(personas.coordinator.user)
    response = client.get(f"/c/{SLUG}/{path}")
    assert response.status_code == 200
    checked = re.findall(
        r'<input type="radio" name="visibility" value="(\w+)"[^>]*checked',
        response.content.decode(),
    )
    assert checked and "public" not in checked


def test_a_member_neither_publishes_nor_withdraws(personas, world):
    p = personas
    with pytest.raises(ValidationError):
        services.set_public(
            actor=p.police, record=world.records["reality-committee-zq"], public=True
        )
    with pytest.raises(ValidationError):
        services.set_public(actor=p.police, record=world.records["area-public-zq"], public=False)
    with pytest.raises(ValidationError):
        services.create_action_area(actor=p.experiential, title="x", visibility=Visibility.PUBLIC)
    assert ActionArea.objects.filter(visibility=Visibility.PUBLIC).count() == 1


def test_notes_proposals_and_needs_are_never_public_not_even_from_a_coordinator(personas):
    p = personas
    with pytest.raises(ValidationError):
        stakeholder_services.write_organization_note(
            author=p.coordinator,
            organization=p.health.organization,
            body="note",
            visibility=Visibility.PUBLIC,
        )
    with pytest.raises(ValidationError):
        make_proposal(p.coordinator, "Public proposal", visibility=Visibility.PUBLIC)
    with pytest.raises(ValidationError):
        services.record_need(
            author=p.coordinator,
            title="Public need",
            sector=p.sector("health"),
            visibility=Visibility.PUBLIC,
        )


def test_a_caucus_record_is_never_made_public_even_by_a_coordinator_of_that_caucus(personas):
    """A coordinator who is also in the experiential sector sees the caucus's record; still,
    neither the author's own change nor publishing makes it public."""
    p = personas
    cora = make_person(p.community, "cora", sector_keys=("experiential",), role="coordinator")
    entry = services.record_reality_entry(
        author=cora,
        kind="concern",
        sector=p.sector("experiential"),
        observed_on=date(2026, 3, 1),
        text="Kept in the caucus",
        visibility=Visibility.SECTORS,
        sectors=[p.sector("experiential")],
    )
    with pytest.raises(ValidationError) as refused:
        services.change_visibility(actor=cora, record=entry, visibility=Visibility.PUBLIC)
    assert "caucus" in str(refused.value)
    with pytest.raises(ValidationError):
        services.set_public(actor=cora, record=entry, public=True)
    entry.refresh_from_db()
    assert entry.visibility == Visibility.SECTORS


def test_only_what_the_whole_committee_sees_is_published(personas, seated):
    p = personas
    confidential = services.record_reality_entry(
        author=p.coordinator,
        kind="concern",
        sector=p.sector("sex-worker-services"),
        observed_on=date(2026, 3, 1),
        text="Coordinators only",
        visibility=Visibility.COORDINATORS,
    )
    with pytest.raises(ValidationError) as refused:
        services.set_public(actor=p.coordinator, record=confidential, public=True)
    assert "whole committee" in str(refused.value)
    not_agreed = services.create_action_area(
        actor=p.coordinator, title="Not agreed yet", visibility=Visibility.COMMITTEE
    )
    with pytest.raises(ValidationError) as refused:
        services.set_public(actor=p.coordinator, record=not_agreed, public=True)
    assert "agreed" in str(refused.value)
    assert RealityEntry.objects.filter(visibility=Visibility.PUBLIC).count() == 0


def test_contact_details_are_for_no_visitor(personas):
    from django.contrib.auth.models import AnonymousUser

    from stakeholders.selectors import can_see_contact

    assert not can_see_contact(AnonymousUser(), personas.police)
