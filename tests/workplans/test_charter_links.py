"""Action areas and actions linked to the charter's objectives and the community's intended
outcomes: who may link, links that hold while the charter's words change, and the progress view
grouped by either, counting only what the viewer may see."""

import html as html_module

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client

from committee import selectors as committee_selectors
from committee import services as committee_services
from stakeholders.models import AuditEntry
from tests.committee.test_charter_and_agreement import charter_change, decide
from workplans import selectors, services
from workplans.models import CharterLink, IntendedOutcome

SLUG = "riverside"


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def progress_page(person, by: str) -> str:
    response = client_for(person).get(f"/c/{SLUG}/workplan/progress/?by={by}")
    assert response.status_code == 200
    return html_module.unescape(response.content.decode())


def row(html: str, label: str) -> str:
    start = html.index(f'<tr><th scope="row">{label}</th>')
    return html[start : html.index("</tr>", start)]


@pytest.fixture
def safety(personas) -> IntendedOutcome:
    services.choose_model_outcome(actor=personas.coordinator, key="sex-worker-safety")
    return IntendedOutcome.objects.get(key="sex-worker-safety")


def test_a_coordinator_links_an_area_and_an_action(personas, plan, safety):
    p = personas
    services.link_intentions(
        actor=p.coordinator, record=plan.area, objective_keys=["exploitation"], outcomes=[safety]
    )
    services.link_intentions(
        actor=p.coordinator, record=plan.action, objective_keys=["awareness"], outcomes=[]
    )
    assert set(CharterLink.objects.values_list("objective_key", flat=True)) == {
        "exploitation",
        "awareness",
    }
    assert list(plan.area.intended_outcomes.all()) == [safety]
    entry = AuditEntry.objects.get(action="action_area.link")
    assert entry.changes["after"] == {"objectives": ["exploitation"], "outcomes": [safety.pk]}


def test_links_are_refused_to_unknown_objectives_other_communities_and_non_planners(
    personas, plan, safety
):
    p = personas
    with pytest.raises(ValidationError) as error:
        services.link_intentions(
            actor=p.coordinator, record=plan.area, objective_keys=["invented"], outcomes=[]
        )
    assert "charter_objectives" in error.value.message_dict
    other = IntendedOutcome.objects.create(community=p.other_community, title="Elsewhere")
    with pytest.raises(ValidationError):
        services.link_intentions(
            actor=p.coordinator, record=plan.area, objective_keys=[], outcomes=[other]
        )
    with pytest.raises(ValidationError):  # a member plans only caucus records
        services.link_intentions(
            actor=p.police, record=plan.area, objective_keys=["policy"], outcomes=[]
        )
    with pytest.raises(Http404):  # the caucus's area does not exist for the police
        services.link_intentions(
            actor=p.police, record=plan.caucus_area, objective_keys=[], outcomes=[]
        )
    assert not CharterLink.objects.exists()


def test_a_link_holds_when_the_objective_is_reworded_and_stays_when_it_is_removed(personas, plan):
    p = personas
    services.link_intentions(
        actor=p.coordinator, record=plan.area, objective_keys=["exploitation"], outcomes=[]
    )
    decide(p, charter_change(p.coordinator))  # rewords "exploitation"
    html = progress_page(p.police, "objective")
    assert row(html, "Reduce and end sexual exploitation")

    base = committee_selectors.current_charter(p.community)
    objectives, _outcomes = selectors.intention_options(p.coordinator.user, p.community, plan.area)
    assert ("exploitation", "Reduce and end sexual exploitation") in objectives
    assert len(objectives) == len(base.objectives)

    without = committee_services.propose_charter_change(
        author=p.coordinator,
        title="Drop an objective",
        body="It is covered elsewhere.",
        purpose=base.purpose,
        objectives=[(o.key, o.text) for o in base.objectives if o.key != "exploitation"],
        values=list(base.values),
    )
    decide(p, without)
    removed = "Reduce and end sexual exploitation (no longer in the charter)"
    assert row(progress_page(p.police, "objective"), removed)
    objectives, _outcomes = selectors.intention_options(p.coordinator.user, p.community, plan.area)
    assert ("exploitation", removed) in objectives
    other_area_options, _ = selectors.intention_options(p.coordinator.user, p.community)
    assert "exploitation" not in dict(other_area_options)  # not offered for new links


def test_progress_grouped_by_objective_counts_only_visible_actions(personas, plan):
    p = personas
    services.link_intentions(
        actor=p.coordinator, record=plan.area, objective_keys=["exploitation"], outcomes=[]
    )
    # the caucus action sits under the committee area, so it serves the area's objective too
    police = row(progress_page(p.police, "objective"), "Reduce and prevent sexual exploitation")
    caucus = row(
        progress_page(p.experiential, "objective"), "Reduce and prevent sexual exploitation"
    )
    assert police.endswith('<td data-label="Actions">1</td>')
    assert caucus.endswith('<td data-label="Actions">2</td>')
    assert "40%" in police
    unlinked = row(progress_page(p.experiential, "objective"), "Not linked to a charter objective")
    assert unlinked.endswith('<td data-label="Actions">1</td>')  # the caucus area's action


def test_progress_grouped_by_outcome_and_by_default_by_area(personas, plan, safety):
    p = personas
    services.link_intentions(
        actor=p.coordinator, record=plan.action, objective_keys=[], outcomes=[safety]
    )
    html = progress_page(p.police, "outcome")
    assert row(html, "Improve the safety and health of sex workers").endswith(
        '<td data-label="Actions">1</td>'
    )
    default = client_for(p.police).get(f"/c/{SLUG}/workplan/progress/").content.decode()
    assert "Progress by action area" in default
    assert '<tr><th scope="row">area:committee</th>' in default
    nonsense = client_for(p.police).get(f"/c/{SLUG}/workplan/progress/?by=secret").content
    assert "Progress by action area" in nonsense.decode()


def test_the_area_and_action_forms_edit_the_links(personas, plan, safety):
    p = personas
    client = client_for(p.coordinator)
    form = client.get(f"/c/{SLUG}/workplan/areas/{plan.area.pk}/edit/")
    assert form.status_code == 200
    assert "Charter objectives it serves" in form.content.decode()
    response = client.post(
        f"/c/{SLUG}/workplan/areas/{plan.area.pk}/edit/",
        {
            "title": "area:committee",
            "description": "",
            "needs": [plan.need.pk],
            "charter_objectives": ["direct-services", "exiting"],
            "intended_outcomes": [safety.pk],
        },
    )
    assert response.status_code == 302
    assert set(plan.area.charter_links.values_list("objective_key", flat=True)) == {
        "direct-services",
        "exiting",
    }
    response = client.post(
        f"/c/{SLUG}/workplan/actions/{plan.action.pk}/edit/",
        {"title": "action:committee", "charter_objectives": ["policy"]},
    )
    assert response.status_code == 302, response.content
    assert list(plan.action.charter_links.values_list("objective_key", flat=True)) == ["policy"]
    detail = html_module.unescape(
        client.get(f"/c/{SLUG}/workplan/actions/{plan.action.pk}/").content.decode()
    )
    assert "Increase direct services; Provide transitioning" in detail  # through its area
    assert "Affect policy and legal change" in detail
    assert "Improve the safety and health of sex workers" in detail
