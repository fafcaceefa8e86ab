"""Coordinators read the community's audit trail in the browser — who changed what, when — but
only for the records they may see: an entry about a caucus proposal, its positions, comments or
grants does not exist for a coordinator outside the caucus. Nobody else reads the trail."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from guardian.models import GroupObjectPermissionBase

from committee import services as committee_services
from committee.models import Comment, Position, Proposal
from stakeholders import audit_trail, selectors, services
from stakeholders.models import AuditEntry, Person, VisibleRecord
from tests.conftest import make_person, make_proposal

AUDIT = "/c/riverside/audit/"


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


@pytest.fixture
def caucus(personas, seated):
    """A proposal of the experiential caucus, open for positions, with a position and a
    comment; and a committee-wide proposal beside it."""
    p = personas
    proposal = make_proposal(
        p.experiential_peer,
        "Caucus: our own safety line",
        status="decision",
        visibility="sectors",
        sectors=[p.sector("experiential")],
    )
    committee_services.cast_position(person=p.experiential, proposal=proposal, stance="agree")
    committee_services.add_comment(author=p.experiential, proposal=proposal, body="Yes to this.")
    open_one = make_proposal(p.coordinator, "Budget for the drop-in", status="decision")
    committee_services.cast_position(person=p.police, proposal=open_one, stance="agree")
    return proposal, open_one


def entries_about(entries, model, pks) -> list[AuditEntry]:
    content_type = ContentType.objects.get_for_model(model)
    return [
        entry
        for entry in entries
        if entry.target_type_id == content_type.pk and entry.target_id in {str(pk) for pk in pks}
    ]


def test_a_coordinator_outside_the_caucus_sees_no_entry_about_a_caucus_proposal(personas, caucus):
    proposal, open_one = caucus
    entries = list(selectors.audit_entries_for(personas.coordinator.user))

    positions = Position.objects.filter(proposal=proposal).values_list("pk", flat=True)
    comments = Comment.objects.filter(proposal=proposal).values_list("pk", flat=True)
    assert entries_about(entries, Proposal, [proposal.pk]) == []  # its creation, its grants
    assert entries_about(entries, Position, positions) == []
    assert entries_about(entries, Comment, comments) == []
    # ...while the committee's proposal is there, with its grants and its position.
    about_open = {entry.action for entry in entries_about(entries, Proposal, [open_one.pk])}
    assert {"proposal.create", "visibility.grants", "proposal.status"} <= about_open
    open_positions = Position.objects.filter(proposal=open_one).values_list("pk", flat=True)
    assert [e.action for e in entries_about(entries, Position, open_positions)] == ["position.cast"]

    html = client_for(personas.coordinator).get(AUDIT).content.decode()
    assert "Caucus" not in html
    assert "Budget for the drop-in" in html


def test_a_coordinator_in_the_caucus_sees_its_entries(personas, caucus):
    proposal, _open = caucus
    caucus_coordinator = make_person(
        personas.community, "ines", sector_keys=("experiential",), role="coordinator"
    )
    entries = list(selectors.audit_entries_for(caucus_coordinator.user))

    actions = {entry.action for entry in entries_about(entries, Proposal, [proposal.pk])}
    assert {"proposal.create", "visibility.grants"} <= actions
    positions = Position.objects.filter(proposal=proposal).values_list("pk", flat=True)
    assert len(entries_about(entries, Position, positions)) == 1
    html = client_for(caucus_coordinator).get(AUDIT).content.decode()
    assert "Caucus: our own safety line" in html


def test_the_coordinator_sees_entries_about_seats_memberships_and_invitations(personas, seated):
    p = personas
    invitation = services.invite_person(
        actor=p.coordinator, email="new@example.org", sectors=[p.sector("residents")]
    )
    services.update_membership(actor=p.coordinator, person=p.resident, role="coordinator")

    entries = list(selectors.audit_entries_for(p.coordinator.user))
    actions = {entry.action for entry in entries}

    assert {"seat.create", "person.membership", "person.audiences", "invitation.create"} <= actions
    assert entries_about(entries, type(invitation), [invitation.pk])
    html = client_for(p.coordinator).get(AUDIT).content.decode()
    assert "seated someone" in html
    assert "invited someone" in html
    assert "new@example.org" in html  # coordinators see contact details


@pytest.mark.parametrize("who", ["experiential", "police", "resident", "admin", "outsider"])
def test_nobody_but_the_community_s_coordinators_reads_the_trail(personas, who):
    response = client_for(getattr(personas, who)).get(AUDIT)

    assert response.status_code == 404


def test_the_trail_asks_anonymous_visitors_to_sign_in(personas):
    response = Client().get(AUDIT)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_rows_say_when_who_what_and_about_what(personas, caucus):
    _caucus, open_one = caucus
    client = client_for(personas.coordinator)

    html = client.get(AUDIT, {"group": "position"}).content.decode()

    assert "Alex" in html  # police gave the position
    assert "gave a position" in html
    assert f'href="/c/riverside/proposals/{open_one.pk}/"' in html
    assert "Times are in America/Vancouver" in html
    assert "after: agree" in html


def test_actions_by_the_platform_say_so(personas, seated):
    html = client_for(personas.coordinator).get(AUDIT, {"group": "seat"}).content.decode()

    assert "the platform</strong> seated someone" in html


def test_the_trail_filters_by_kind_of_action_and_by_person(personas, caucus):
    p = personas
    by_group = list(selectors.audit_entries_for(p.coordinator.user, group="position"))
    by_actor = list(selectors.audit_entries_for(p.coordinator.user, actor=p.police))

    assert by_group and {entry.action for entry in by_group} == {"position.cast"}
    assert by_actor and {entry.actor_id for entry in by_actor} == {p.police.user_id}
    response = client_for(p.coordinator).get(AUDIT, {"person": p.police.pk, "group": "position"})
    assert response.content.decode().count('class="audit-entry"') == 1


def test_an_unknown_filter_shows_everything_rather_than_failing(personas, caucus):
    response = client_for(personas.coordinator).get(AUDIT, {"group": "nope", "person": "x"})

    assert response.status_code == 200
    assert 'class="audit-entry"' in response.content.decode()


def test_the_trail_is_paginated_newest_first(personas):
    p = personas
    for number in range(60):
        services.record_audit(
            action="sector.save",
            actor=p.coordinator,
            community=p.community,
            changes={"number": number},
        )
    client = client_for(p.coordinator)

    first = client.get(AUDIT, {"group": "sector"}).content.decode()
    second = client.get(AUDIT, {"group": "sector", "page": 2}).content.decode()

    assert first.count('class="audit-entry"') == 50
    assert second.count('class="audit-entry"') == 10
    assert "number: 59" in first and "number: 0" in second
    assert "group=sector&amp;page=2" in first


def test_the_page_costs_the_same_number_of_queries_for_more_rows(personas, seated):
    p = personas
    client = client_for(p.coordinator)

    def discuss(title: str) -> None:
        proposal = make_proposal(p.coordinator, title, status="decision")
        committee_services.cast_position(person=p.police, proposal=proposal, stance="agree")
        committee_services.add_comment(author=p.police, proposal=proposal, body="Fine.")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(AUDIT).status_code == 200
        return len(captured)

    discuss("One")
    queries()  # the session's first request records it
    few = queries()
    for number in range(5):
        discuss(f"More {number}")

    assert queries() <= few  # one query per kind of record on the page, not one per row


def test_a_hidden_entry_is_left_out_of_the_count_too(personas, caucus):
    visible = selectors.audit_entries_for(personas.coordinator.user)
    everything = AuditEntry.objects.filter(community=personas.community)

    assert visible.count() < everything.count()
    assert visible.count() == len(list(visible))


def test_an_entry_about_an_unregistered_child_of_a_visible_record_is_never_shown(personas):
    """Fail closed: a model hanging under a visible record, that no app told the trail about,
    cannot leak through it. Every such model in the project is registered."""
    children = [
        model
        for model in apps.get_models()
        if not issubclass(model, VisibleRecord | GroupObjectPermissionBase)
        and any(
            isinstance(field, models.ForeignKey)
            and not field.null
            and issubclass(field.related_model, VisibleRecord)
            for field in model._meta.concrete_fields
        )
    ]
    assert children  # positions, comments, agenda items...
    unregistered = [m for m in children if m not in audit_trail.registered_kinds()]
    assert unregistered == []
    for model in children:
        assert audit_trail.registered_kinds()[model].restricted, model
    assert audit_trail.is_unregistered_child(GroupObjectPermissionBase)


def test_the_changes_never_list_a_new_order(personas):
    rows = audit_trail.readable_changes({"order": [3, 1, 2], "title": "Housing", "sectors": []})

    assert [(row.label, row.value) for row in rows] == [
        ("new order", ""),
        ("title", "Housing"),
        ("sectors", "—"),
    ]


def test_an_administrator_acting_has_a_name_and_a_left_member_too(personas):
    p = personas
    services.record_audit(
        action="person.profile", actor=p.admin, community=p.community, target=p.admin
    )
    Person.objects.filter(pk=p.admin.pk).update(display_name="Former member, Municipal")

    html = client_for(p.coordinator).get(AUDIT, {"group": "person"}).content.decode()

    assert "Former member, Municipal</strong> changed their profile" in html
