"""The charter and the trust agreement in the browser: the charter page with its history, the
"propose a change" forms, the change shown on the proposal page, the agreement in place of the
position, comment and agenda forms until accepted, and who accepted (coordinators only)."""

import html as html_module

from django.test import Client

from committee import selectors, services
from committee.models import Amendment, ProposalStatus
from tests.committee.test_charter_and_agreement import (
    a_meeting,
    agreement_proposal,
    charter_change,
    decide,
    open_proposal,
)

SLUG = "riverside"


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def page(person, path: str) -> tuple[int, str]:
    response = client_for(person).get(f"/c/{SLUG}/{path}")
    return response.status_code, html_module.unescape(response.content.decode())


def test_everyone_in_the_community_reads_the_models_charter(personas):
    for person in (personas.experiential, personas.admin, personas.coordinator):
        status, html = page(person, "charter/")
        assert status == 200
        assert "Reduce and prevent sexual exploitation" in html
        assert "Openness to listen and understand different perspectives" in html
        assert "Version 1: the Living in Community model's own" in html
    assert client_for(personas.outsider).get(f"/c/{SLUG}/charter/").status_code == 404


def test_a_french_reader_sees_french_where_it_was_written_and_english_otherwise(personas, seated):
    p = personas
    decide(p, charter_change(p.coordinator))
    p.resident.preferred_language = "fr"
    p.resident.save(update_fields=["preferred_language"])
    status, html = page(p.resident, "charter/")
    assert '<li id="objective-exploitation" lang="en">Reduce and end sexual exploitation' in html
    assert 'lang="fr">Protéger les jeunes</li>' in html


def test_proposing_a_change_from_the_form_creates_a_draft_with_the_new_text(personas, seated):
    p = personas
    client = client_for(p.resident)
    form = client.get(f"/c/{SLUG}/charter/propose/")
    assert form.status_code == 200
    data = {key: value for key, value in _initial(form).items()}
    data.update(
        {
            "title": "Say 'end' exploitation",
            "body": "Because we mean it.",
            "objective-1-en": "Reduce and end sexual exploitation",
            "objective-1-fr": "",
        }
    )
    response = client.post(f"/c/{SLUG}/charter/propose/", data)
    amendment = Amendment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/c/{SLUG}/proposals/{amendment.proposal_id}/"
    assert amendment.proposal.status == ProposalStatus.DRAFT
    assert amendment.content["objectives"][1] == {
        "key": "exploitation",
        "en": "Reduce and end sexual exploitation",
        "fr": "",
    }
    status, html = page(p.resident, f"proposals/{amendment.proposal_id}/")
    assert "Reworded:" in html and "Reduce and end sexual exploitation" in html
    assert "Nothing changes unless the whole committee agrees" in html


def test_a_change_moves_an_objective_by_giving_it_the_place_of_another(personas, seated):
    """The third objective given place 1 goes first; the others keep their order, and the
    proposal shows that one objective moved (not the two it passed)."""
    p = personas
    client = client_for(p.resident)
    before = [objective.key for objective in selectors.current_charter(p.community).objectives]
    data = _initial(client.get(f"/c/{SLUG}/charter/propose/"))
    data.update({"title": "Youth first", "body": "Our first concern.", "objective-2-place": "1"})

    response = client.post(f"/c/{SLUG}/charter/propose/", data)

    assert response.status_code == 302, response.content
    amendment = Amendment.objects.get()
    after = [objective["key"] for objective in amendment.content["objectives"]]
    assert after == [before[2], before[0], before[1], *before[3:]]
    status, html = page(p.resident, f"proposals/{amendment.proposal_id}/")
    assert html.count("Moved here:") == 1
    moved = html.split("Moved here:", 1)[1].split("</li>", 1)[0]
    assert selectors.current_charter(p.community).objectives[2].text.en in moved


def test_a_place_outside_the_list_is_refused_and_nothing_is_saved(personas, seated):
    client = client_for(personas.resident)
    data = _initial(client.get(f"/c/{SLUG}/charter/propose/"))
    data.update({"title": "Reorder", "body": "Why not.", "objective-0-place": "99"})

    response = client.post(f"/c/{SLUG}/charter/propose/", data)

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to" in response.content.decode()
    assert not Amendment.objects.exists()


def _initial(response) -> dict:
    form = response.context["form"]
    values = {name: form.get_initial_for_field(field, name) for name, field in form.fields.items()}
    return {name: "" if value is None else value for name, value in values.items()}


def test_an_admin_or_observer_cannot_propose_a_change(personas, seated):
    assert client_for(personas.admin).get(f"/c/{SLUG}/charter/propose/").status_code == 404
    assert client_for(seated.observer).get(f"/c/{SLUG}/charter/propose/").status_code == 404


def test_the_history_keeps_every_version_with_its_proposal(personas, seated):
    p = personas
    proposal = charter_change(p.coordinator)
    decide(p, proposal)
    status, html = page(p.health, "charter/")
    assert "Reduce and end sexual exploitation" in html
    assert "Version 2" in html and proposal.title in html
    status, html = page(p.health, "charter/versions/1/")
    assert "Reduce and prevent sexual exploitation" in html
    assert "This is an earlier version" in html
    # the administrator reads the charter but not the proposal that made it
    status, html = page(p.admin, "charter/")
    assert "Reduce and end sexual exploitation" in html and proposal.title not in html
    assert client_for(p.health).get(f"/c/{SLUG}/charter/versions/9/").status_code == 404


def test_the_agreement_replaces_the_forms_until_it_is_accepted(personas, seated):
    p = personas
    decide(p, agreement_proposal(p.coordinator, "We never record meetings."), accept=False)
    proposal = open_proposal(p)
    status, html = page(p.experiential, f"proposals/{proposal.pk}/")
    assert status == 200
    assert "We never record meetings." in html
    assert "I accept the trust agreement" in html
    assert "Give my seat's position" not in html and "Post comment" not in html

    client = client_for(p.experiential)
    refused = client.post(f"/c/{SLUG}/proposals/{proposal.pk}/position/", {"stance": "agree"})
    assert refused.status_code == 403

    accepted = client.post(
        f"/c/{SLUG}/agreement/accept/",
        {"version": "1", "next": f"/c/{SLUG}/proposals/{proposal.pk}/"},
    )
    assert accepted["Location"] == f"/c/{SLUG}/proposals/{proposal.pk}/"
    status, html = page(p.experiential, f"proposals/{proposal.pk}/")
    assert "Give my seat's position" in html and "Post comment" in html
    assert "I accept the trust agreement" not in html


def test_accepting_refuses_a_next_address_elsewhere(personas, seated):
    p = personas
    decide(p, agreement_proposal(p.coordinator), accept=False)
    response = client_for(p.health).post(
        f"/c/{SLUG}/agreement/accept/", {"version": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/c/{SLUG}/agreement/"


def test_the_meeting_page_asks_for_the_agreement_before_suggestions(personas, seated):
    p = personas
    decide(p, agreement_proposal(p.coordinator, "Respect across disagreement."), accept=False)
    meeting = a_meeting(p)
    status, html = page(p.resident, f"meetings/{meeting.pk}/")
    assert "Respect across disagreement." in html and "Suggest it" not in html
    services.accept_agreement(person=p.resident, number=1)
    status, html = page(p.resident, f"meetings/{meeting.pk}/")
    assert "Suggest it" in html and "I accept the trust agreement" not in html


def test_who_accepted_is_for_coordinators_only(personas, seated):
    p = personas
    decide(p, agreement_proposal(p.coordinator), accept=False)
    services.accept_agreement(person=p.resident, number=1)
    status, html = page(p.coordinator, "agreement/acceptances/")
    assert status == 200 and "Marguerite" in html and "Not yet" in html
    for person in (p.resident, p.admin, p.experiential):
        assert client_for(person).get(f"/c/{SLUG}/agreement/acceptances/").status_code == 404
    status, html = page(p.resident, "agreement/")
    assert "You accepted this version" in html and "Who has accepted it" not in html


def test_the_agreement_page_before_any_agreement_offers_a_starting_text(personas, seated):
    status, html = page(personas.resident, "agreement/")
    assert "has not agreed its trust agreement yet" in html
    status, html = page(personas.resident, "agreement/propose/")
    assert "Caucus discussions stay in the caucus" in html
    assert client_for(personas.admin).get(f"/c/{SLUG}/agreement/").status_code == 404


def test_the_proposal_page_says_when_an_agreed_change_was_applied(personas, seated):
    p = personas
    proposal = decide(p, charter_change(p.coordinator))
    status, html = page(p.police, f"proposals/{proposal.pk}/")
    assert "Agreed: this is version 2 of the charter." in html
    assert selectors.current_charter(p.community).number == 2


def test_the_author_edits_the_proposed_text_from_the_proposal_page(personas, seated):
    p = personas
    proposal = charter_change(p.resident)
    status, html = page(p.resident, f"proposals/{proposal.pk}/")
    assert "Edit the proposed text" in html
    assert client_for(p.police).get(f"/c/{SLUG}/proposals/{proposal.pk}/").status_code == 404
    client = client_for(p.resident)
    form = client.get(f"/c/{SLUG}/proposals/{proposal.pk}/change/")
    data = _initial(form)
    data["objective-5-en"] = "Keep youth safe online and offline"
    response = client.post(f"/c/{SLUG}/proposals/{proposal.pk}/change/", data)
    assert response.status_code == 302
    objectives = Amendment.objects.get(proposal=proposal).content["objectives"]
    assert objectives[5]["en"] == "Keep youth safe online and offline"
    assert objectives[5]["key"].startswith("objective-")
    services.start_discussion(actor=p.resident, proposal=proposal)
    # others may read it in discussion but not rewrite it
    assert client_for(p.police).get(f"/c/{SLUG}/proposals/{proposal.pk}/change/").status_code == (
        404
    )
