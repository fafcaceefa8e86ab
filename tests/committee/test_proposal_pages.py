"""Proposals in the browser, as each persona sees them: the home page, the list, one proposal
with its sector breakdown, the position form (with and without HTMX), the discussion, the
lifecycle controls and earlier versions."""

import html as html_module
import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from committee import services
from committee.models import Comment, Position, Proposal
from stakeholders.models import Visibility
from tests.conftest import make_proposal

SLUG = "riverside"
HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def url(proposal: Proposal, suffix: str = "") -> str:
    return f"/c/{SLUG}/proposals/{proposal.pk}/{suffix}"


def html_of(response) -> str:
    """The page as text: entities decoded, so that assertions read as the user reads."""
    return html_module.unescape(response.content.decode())


def section(html: str, start: str, end: str = "</section>") -> str:
    """The part of a page from `start` to the first `end` after it."""
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def position_panel(html: str) -> str:
    return section(html, 'id="position-panel"')


def propose(
    author,
    *,
    title="Extend the drop-in hours",
    body="Open the drop-in **until midnight** on Fridays.",
    status="decision",
    **options,
) -> Proposal:
    return make_proposal(author, title, status=status, body=body, **options)


# --- the home page and the list ------------------------------------------------------------------


def test_the_home_shows_waiting_for_your_position_only_to_seats_that_have_not_answered(
    personas, seated
):
    proposal = propose(personas.coordinator)
    services.cast_position(person=personas.experiential, proposal=proposal, stance="agree")

    def waiting(person) -> str:
        html = html_of(client_for(person).get(f"/c/{SLUG}/"))
        return section(html, 'class="awaiting"')

    assert proposal.title in waiting(personas.police)
    assert proposal.title in waiting(personas.police_colleague)  # the alternate, for the seat
    assert proposal.title not in waiting(personas.experiential)  # already answered
    assert proposal.title not in waiting(seated.observer)  # holds no seat
    services.cast_position(person=personas.police, proposal=proposal, stance="stand_aside")
    assert proposal.title not in waiting(personas.police_colleague)
    # Those who are not waited for still find it among the open proposals.
    observer_home = html_of(client_for(seated.observer).get(f"/c/{SLUG}/"))
    assert proposal.title in section(observer_home, 'id="open-heading"')


def test_the_home_still_shows_the_committee_at_a_glance(personas, seated):
    html = html_of(client_for(personas.resident).get(f"/c/{SLUG}/"))
    assert "Your sectors:" in html and "Residents" in html
    assert "See the stakeholder map" in html


def test_the_list_puts_proposals_awaiting_my_position_first_and_filters_by_status(personas, seated):
    answered = propose(personas.coordinator, title="Answered already")
    services.cast_position(person=personas.resident, proposal=answered, stance="agree")
    propose(personas.coordinator, title="Still in discussion", status="discussion")
    awaiting = propose(personas.coordinator, title="Waiting on residents")
    client = client_for(personas.resident)

    html = html_of(client.get(f"/c/{SLUG}/proposals/"))
    order = [html.index(title) for title in ("Waiting on residents", "Answered already")]
    assert order == sorted(order)
    assert html.index("Answered already") < html.index("Still in discussion")
    first_item = section(html, '<li class="proposal-item', "</li>")
    assert awaiting.title in first_item and "Waiting for your position" in first_item
    assert "If it closed now:" in html and "1 of 6 seats answered" in html

    only_discussion = html_of(client.get(f"/c/{SLUG}/proposals/?status=discussion"))
    assert "Still in discussion" in only_discussion
    assert "Answered already" not in only_discussion


def test_the_closing_time_is_shown_in_the_communitys_time_zone(personas, seated):
    proposal = propose(personas.coordinator, status="discussion")
    services.open_for_positions(
        actor=personas.coordinator,
        proposal=proposal,
        closes_at=datetime(2031, 1, 15, 21, 30, tzinfo=UTC),  # 13:30 in Vancouver
    )
    html = html_of(client_for(personas.resident).get(f"/c/{SLUG}/proposals/"))
    assert "Jan. 15, 2031, 1:30 p.m." in html


def test_only_members_who_may_propose_see_the_new_proposal_button(personas, seated):
    assert "New proposal" in html_of(client_for(personas.resident).get(f"/c/{SLUG}/proposals/"))
    observer = client_for(seated.observer)
    assert "New proposal" not in html_of(observer.get(f"/c/{SLUG}/proposals/"))
    assert observer.get(f"/c/{SLUG}/proposals/new/").status_code == 404
    assert client_for(personas.admin).get(f"/c/{SLUG}/proposals/new/").status_code == 404


# --- visibility ----------------------------------------------------------------------------------


def test_a_caucus_proposal_does_not_exist_outside_its_sector(personas, seated):
    caucus = propose(
        personas.experiential,
        title="Caucus: safety at the drop-in",
        visibility=Visibility.SECTORS,
        sectors=[personas.sector("experiential")],
    )
    peer = client_for(personas.experiential_peer)
    assert peer.get(url(caucus)).status_code == 200
    assert caucus.title in html_of(peer.get(f"/c/{SLUG}/proposals/"))
    for someone in (personas.police, personas.admin, personas.outsider, personas.coordinator):
        client = client_for(someone)
        for suffix in ("", "position/", "edit/", "revise/", "versions/1/"):
            assert client.get(url(caucus, suffix)).status_code == 404, (someone, suffix)
        own_slug = someone.community.slug
        for page in (f"/c/{own_slug}/", f"/c/{own_slug}/proposals/"):
            assert caucus.title not in html_of(client.get(page)), (someone, page)


def test_a_draft_is_seen_only_by_its_author_and_the_coordinators(personas, seated):
    draft = propose(personas.resident, title="A rough idea", status="draft")
    assert client_for(personas.resident).get(url(draft)).status_code == 200
    assert client_for(personas.coordinator).get(url(draft)).status_code == 200
    police = client_for(personas.police)
    assert police.get(url(draft)).status_code == 404
    assert "A rough idea" not in html_of(police.get(f"/c/{SLUG}/proposals/"))


# --- giving a position ---------------------------------------------------------------------------


def test_a_position_posted_without_javascript_is_saved_and_redirects_to_the_page(personas, seated):
    proposal = propose(personas.coordinator)
    client = client_for(personas.resident)
    response = client.post(url(proposal, "position/"), {"stance": "agree", "reason": ""})
    assert response.status_code == 302
    assert response["Location"].startswith(url(proposal))
    position = Position.objects.get(proposal=proposal, is_current=True)
    assert (position.seat, position.stance) == (seated.seats["residents"], "agree")
    page = html_of(client.get(response["Location"]))
    assert "Your seat's position is saved: Agree." in page
    assert "Your seat's current position:" in page


def test_a_position_posted_with_htmx_returns_the_panel_with_the_breakdown(personas, seated):
    proposal = propose(personas.coordinator)
    response = client_for(personas.health).post(
        url(proposal, "position/"), {"stance": "stand_aside", "reason": ""}, **HTMX
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="position-panel"')
    assert "How each sector answered" in html and "If it closed now" in html
    assert "Your seat's position is saved: Stand aside." in html
    health_row = section(html, '<th scope="row">Health</th>', "</tr>")
    assert re.findall(r">(\d+)</td>", health_row) == ["0", "0", "1", "0", "0"]
    assert Position.objects.get(proposal=proposal).stance == "stand_aside"


def test_the_position_form_names_each_position_in_plain_words(personas, seated):
    proposal = propose(personas.coordinator)
    html = html_of(client_for(personas.business).get(url(proposal)))
    form = section(html, 'class="stack position-form"', "</form>")
    assert 'hx-post="' + url(proposal, "position/") + '"' in form
    assert 'hx-target="#position-panel"' in form and 'hx-swap="outerHTML"' in form
    for words in (
        "Agree with reservations",
        "want your concerns recorded",
        "counts as an answer",
        "must not go ahead",
    ):
        assert words in form


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_block_without_a_reason_is_refused_on_the_reason_field(personas, seated, headers):
    proposal = propose(personas.coordinator)
    response = client_for(personas.experiential).post(
        url(proposal, "position/"), {"stance": "block", "reason": "  "}, **headers
    )
    assert response.status_code == 200
    html = html_of(response)
    reason_errors = section(html, 'id="id_reason_errors"', "</div>")
    assert "a block or a reservation needs a reason" in reason_errors
    assert re.search(r'<input type="radio" name="stance" value="block"[^>]* checked', html)
    assert not Position.objects.filter(proposal=proposal).exists()


def test_an_observer_sees_no_position_form_and_their_post_is_refused(personas, seated):
    proposal = propose(personas.coordinator)
    client = client_for(seated.observer)
    html = html_of(client.get(url(proposal)))
    assert "position-form" not in html
    assert "Observers read and discuss; they do not give positions." in html
    response = client.post(url(proposal, "position/"), {"stance": "agree"})
    assert "Only members who hold a seat" in html_of(response)
    assert not Position.objects.filter(proposal=proposal).exists()


def test_after_close_there_is_no_form_and_a_late_position_is_refused(personas, seated):
    proposal = propose(personas.coordinator)
    services.close_proposal(actor=personas.coordinator, proposal=proposal)
    client = client_for(personas.resident)
    html = html_of(client.get(url(proposal)))
    assert "position-form" not in html and "Outcome" in html
    for headers in ({}, HTMX):
        response = client.post(url(proposal, "position/"), {"stance": "agree"}, **headers)
        assert "This proposal is not open for positions." in html_of(response)
    assert not Position.objects.filter(proposal=proposal).exists()


def test_the_alternate_is_told_when_the_primary_has_answered(personas, seated):
    proposal = propose(personas.coordinator)
    services.cast_position(person=personas.police, proposal=proposal, stance="agree")
    html = html_of(client_for(personas.police_colleague).get(url(proposal)))
    assert "position-form" not in html
    assert "Alex, the seat's primary member, has answered" in html


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
def test_an_anonymous_proposal_never_names_another_seat_holder_in_its_positions(
    personas, seated, closed
):
    proposal = propose(personas.coordinator, anonymous=True)
    p = personas
    services.cast_position(person=p.experiential, proposal=proposal, stance="block", reason="No.")
    services.cast_position(person=p.police_colleague, proposal=proposal, stance="agree")
    services.cast_position(
        person=p.health, proposal=proposal, stance="reservations", reason="Staffing."
    )
    services.cast_position(person=p.resident, proposal=proposal, stance="agree")
    services.cast_position(person=p.resident, proposal=proposal, stance="stand_aside")
    if closed:
        services.close_proposal(actor=p.coordinator, proposal=proposal)
    panel = position_panel(html_of(client_for(p.resident).get(url(proposal))))
    others = [p.experiential, p.police, p.police_colleague, p.health, p.business, p.coordinator]
    for someone in others:
        assert not re.search(rf"\b{someone.display_name}\b", panel), someone
    for organization in ("Peers Riverside", "Riverside Police", "Community Health"):
        assert organization not in panel
    assert "your seat" in panel and "Current and former sex workers" in panel
    assert "No." in panel and "Staffing." in panel  # reasons, by sector


def test_a_proposal_with_names_shows_who_gave_each_position(personas, seated):
    proposal = propose(personas.coordinator)
    services.cast_position(
        person=personas.experiential, proposal=proposal, stance="block", reason="Not safe."
    )
    panel = position_panel(html_of(client_for(personas.resident).get(url(proposal))))
    assert "Jade (Peers Riverside)" in panel
    blocked_by = section(panel, "Blocked by", "</ul>")
    assert "Current and former sex workers" in blocked_by and "Not safe." in blocked_by


def test_the_live_outcome_names_the_sectors_that_have_not_answered(personas, seated):
    proposal = propose(personas.coordinator)
    for someone in (personas.experiential, personas.police, personas.resident, personas.health):
        services.cast_position(person=someone, proposal=proposal, stance="agree")
    outcome = section(html_of(client_for(personas.resident).get(url(proposal))), 'id="outcome"')
    assert "If it closed now" in outcome and "No consensus" in outcome
    missing = section(outcome, 'class="missing"', "</p>")
    assert "Business" in missing and "Organizations serving sex workers" in missing
    assert "Health" not in missing
    assert "4 of 6 seats answered (66%)." in outcome


def test_a_changed_position_stays_in_the_history(personas, seated):
    proposal = propose(personas.coordinator)
    services.cast_position(person=personas.business, proposal=proposal, stance="agree")
    services.cast_position(
        person=personas.business, proposal=proposal, stance="block", reason="Parking."
    )
    html = html_of(client_for(personas.business).get(url(proposal)))
    history = section(html, '<details class="history">', "</details>")
    assert "History of positions on this version (2 entries)" in history
    assert "Agree" in history and "later changed" in history and "Parking." in history


# --- the proposal's text and discussion ----------------------------------------------------------


def test_markdown_in_a_proposal_is_rendered_but_a_script_in_it_is_not(personas, seated):
    proposal = propose(
        personas.coordinator,
        body="We **agree** to this.\n\n<script>alert('pwned')</script>\n\n<img src=x onerror=x()>",
    )
    html = html_of(client_for(personas.resident).get(url(proposal)))
    assert "<strong>agree</strong>" in html
    assert "alert(" not in html and "onerror" not in html


def test_comments_are_posted_edited_and_deleted_leaving_a_trace(personas, seated):
    proposal = propose(personas.coordinator, status="discussion")
    jade = client_for(personas.experiential)
    response = jade.post(url(proposal, "comments/"), {"body": "First *thought*."})
    assert response.status_code == 302
    comment = Comment.objects.get(proposal=proposal)
    assert response["Location"].endswith(f"#comment-{comment.pk}")

    edit_url = url(proposal, f"comments/{comment.pk}/edit/")
    assert "First *thought*." in html_of(jade.get(edit_url))
    assert jade.post(edit_url, {"body": "Second thought."}).status_code == 302
    thread = section(html_of(jade.get(url(proposal))), 'id="discussion"')
    assert "Second thought." in thread and "edited" in thread
    earlier = section(thread, '<details class="revisions">', "</details>")
    assert "<em>thought</em>" in earlier

    # Someone else can neither edit nor delete it, and sees no controls for it.
    police = client_for(personas.police)
    police_thread = section(html_of(police.get(url(proposal))), 'id="discussion"')
    assert edit_url not in police_thread and f"comments/{comment.pk}/delete/" not in police_thread
    refused = police.post(edit_url, {"body": "Rewritten by police."})
    assert "Only the author can edit this comment." in html_of(refused)
    police.post(url(proposal, f"comments/{comment.pk}/delete/"))
    comment.refresh_from_db()
    assert (comment.body, comment.deleted_at) == ("Second thought.", None)

    # A coordinator deletes it: the thread says so, with the date, and the text is gone.
    response = client_for(personas.coordinator).post(
        url(proposal, f"comments/{comment.pk}/delete/"), follow=True
    )
    assert "The comment is deleted." in html_of(response)
    thread = section(html_of(response), 'id="discussion"')
    assert "Comment deleted" in thread and "Second thought." not in thread
    assert comment.revisions.filter(was_deleted=True, body="Second thought.").exists()


def test_an_empty_comment_is_refused_on_the_page(personas, seated):
    proposal = propose(personas.coordinator, status="discussion")
    response = client_for(personas.resident).post(url(proposal, "comments/"), {"body": ""})
    assert response.status_code == 200
    assert "This field is required." in section(html_of(response), 'id="discussion"')
    assert not Comment.objects.exists()


# --- moving it along -----------------------------------------------------------------------------


def test_lifecycle_controls_are_only_for_the_author_and_coordinators(personas, seated):
    proposal = propose(personas.resident, status="discussion")
    for someone in (personas.resident, personas.coordinator):
        html = html_of(client_for(someone).get(url(proposal)))
        assert "Ask for positions" in html and 'type="datetime-local"' in html
        assert "Withdraw the proposal" in html and "Edit the proposal" in html
    for someone in (personas.police, seated.observer):
        html = html_of(client_for(someone).get(url(proposal)))
        assert "Move it along" not in html and "Withdraw the proposal" not in html


def test_a_move_by_someone_else_is_refused_and_changes_nothing(personas, seated):
    proposal = propose(personas.resident, status="discussion")
    response = client_for(personas.police).post(
        url(proposal, "move/"), {"to": "withdrawn"}, follow=True
    )
    assert "Only coordinators of this committee can do this." in html_of(response)
    proposal.refresh_from_db()
    assert proposal.status == "discussion"


def test_the_author_opens_a_proposal_with_a_closing_time_in_the_communitys_time_zone(
    personas, seated
):
    proposal = propose(personas.resident, status="discussion")
    response = client_for(personas.resident).post(
        url(proposal, "move/"), {"to": "decision", "closes_at": "2031-01-15T13:30"}, follow=True
    )
    assert "The proposal is open for positions." in html_of(response)
    proposal.refresh_from_db()
    assert proposal.status == "decision"
    assert proposal.closes_at == datetime(2031, 1, 15, 21, 30, tzinfo=UTC)


def test_a_closing_time_in_the_past_is_refused_with_the_reason(personas, seated):
    proposal = propose(personas.resident, status="discussion")
    response = client_for(personas.resident).post(
        url(proposal, "move/"), {"to": "decision", "closes_at": "2020-01-01T10:00"}, follow=True
    )
    assert "Choose a closing time in the future." in html_of(response)
    proposal.refresh_from_db()
    assert proposal.status == "discussion"


def test_a_coordinator_closes_with_an_outcome_statement_and_can_update_it(personas, seated):
    proposal = propose(personas.resident)
    services.cast_position(person=personas.police, proposal=proposal, stance="block", reason="No")
    coordinator = client_for(personas.coordinator)
    response = coordinator.post(
        url(proposal, "move/"),
        {"to": "closed", "statement": "Blocked by **police**; revise."},
        follow=True,
    )
    outcome = section(html_of(response), 'id="outcome"')
    assert "Blocked" in outcome and "<strong>police</strong>" in outcome
    coordinator.post(url(proposal, "statement/"), {"outcome_statement": "Revised statement."})
    outcome = section(html_of(coordinator.get(url(proposal))), 'id="outcome"')
    assert "Revised statement." in outcome
    # The author (not a coordinator) is offered no statement form, and is refused one.
    author = client_for(personas.resident)
    assert "Write the outcome statement" not in html_of(author.get(url(proposal)))
    author.post(url(proposal, "statement/"), {"outcome_statement": "Mine."})
    proposal.refresh_from_db()
    assert proposal.outcome_statement == "Revised statement."


def test_editing_is_refused_once_the_proposal_is_open(personas, seated):
    proposal = propose(personas.resident)
    response = client_for(personas.resident).post(
        url(proposal, "edit/"),
        {"title": "New title", "body": "New body", "visibility": "committee"},
    )
    assert "This cannot be done while the proposal is open for positions." in html_of(response)
    proposal.refresh_from_db()
    assert proposal.title == "Extend the drop-in hours"


def test_a_member_drafts_a_proposal_shared_with_their_own_sector_only(personas, seated):
    client = client_for(personas.police)
    form = html_of(client.get(f"/c/{SLUG}/proposals/new/"))
    assert "Law enforcement" in form and "Current and former sex workers" not in form
    assert 'value="public"' not in form
    law = personas.sector("law-enforcement")
    response = client.post(
        f"/c/{SLUG}/proposals/new/",
        {
            "title": "Police caucus idea",
            "body": "Text",
            "visibility": "sectors",
            "visible_sectors": [law.pk],
        },
    )
    proposal = Proposal.objects.get(title="Police caucus idea")
    assert response["Location"] == url(proposal)
    assert (proposal.status, proposal.visibility) == ("draft", "sectors")
    assert list(proposal.visible_sectors.all()) == [law]


def test_revising_makes_version_2_and_version_1_keeps_its_positions(personas, seated):
    proposal = propose(personas.coordinator)
    services.cast_position(
        person=personas.police, proposal=proposal, stance="block", reason="Not enough staff."
    )
    services.close_proposal(actor=personas.coordinator, proposal=proposal)
    coordinator = client_for(personas.coordinator)
    assert "Revise into version 2" in html_of(coordinator.get(url(proposal)))
    form = html_of(coordinator.get(url(proposal, "revise/")))
    assert "Open the drop-in **until midnight** on Fridays." in form

    response = coordinator.post(
        url(proposal, "revise/"), {"title": "Extend the hours, staffed", "body": "With staff."}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.version, proposal.status) == (2, "discussion")

    page = html_of(client_for(personas.resident).get(url(proposal)))
    assert "Extend the hours, staffed" in page and "Not enough staff." not in page
    assert f'href="{url(proposal, "versions/1/")}"' in page
    earlier = html_of(client_for(personas.resident).get(url(proposal, "versions/1/")))
    assert "Extend the drop-in hours" in earlier and "Not enough staff." in earlier
    assert "Block" in earlier and "Blocked" in earlier
    assert client_for(personas.resident).get(url(proposal, "versions/7/")).status_code == 404
