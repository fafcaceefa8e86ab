"""Meetings in the browser, as each persona sees them: the coordinator schedules, reschedules
and cancels; a member answers (with and without HTMX), suggests an item; the coordinator records
attendance and writes the minutes, approved at a later meeting; the quorum shows who sent
regrets. And the matrix: a meeting you may not see is a 404 on every address under it, exactly
like a missing one."""

import html as html_module
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from committee import services
from committee.models import AgendaItem, Attendance, Meeting, Minutes, Rsvp
from tests.committee.test_meetings import let_time_pass, schedule
from tests.conftest import make_person, make_proposal

SLUG = "riverside"
HTMX = {"HTTP_HX_REQUEST": "true"}
VANCOUVER = ZoneInfo("America/Vancouver")


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def url(meeting, suffix: str = "") -> str:
    pk = meeting if isinstance(meeting, int) else meeting.pk
    return f"/c/{SLUG}/meetings/{pk}/{suffix}"


def html_of(response) -> str:
    return html_module.unescape(response.content.decode())


def section(html: str, element_id: str) -> str:
    begin = html.index(f'id="{element_id}"')
    return html[begin : html.index("</section>", begin)]


def local_input(moment: datetime) -> str:
    """How a datetime-local field sends a time in the community's zone."""
    return moment.astimezone(VANCOUVER).strftime("%Y-%m-%dT%H:%M")


def next_week_at(hour: int) -> datetime:
    day = timezone.localtime(timezone=VANCOUVER).date() + timedelta(days=7)
    return datetime.combine(day, time(hour, 0), tzinfo=VANCOUVER)


# --- the list and the menu ---------------------------------------------------------------------


def test_members_find_meetings_in_the_menu_and_administrators_do_not(personas, seated):
    assert f'href="/c/{SLUG}/meetings/"' in client_for(personas.police).get(f"/c/{SLUG}/").text
    assert f'href="/c/{SLUG}/meetings/"' not in client_for(personas.admin).get(f"/c/{SLUG}/").text


def test_the_list_shows_upcoming_meetings_first_then_past_ones(personas, seated):
    past = let_time_pass(schedule(personas.coordinator, "Last month"), started_hours_ago=24 * 28)
    services.rsvp(
        person=personas.police, meeting=schedule(personas.coordinator, "Next week"), answer="maybe"
    )
    off = schedule(personas.coordinator, "Called off", days=3)
    services.cancel_meeting(actor=personas.coordinator, meeting=off)

    html = html_of(client_for(personas.police).get(f"/c/{SLUG}/meetings/"))

    upcoming = section(html, "upcoming-heading")
    assert upcoming.index("Called off") < upcoming.index("Next week")
    assert "Cancelled" in upcoming
    assert "Your answer: Maybe" in upcoming
    assert past.title in section(html, "past-heading")
    assert past.title not in upcoming
    assert "Schedule a meeting" not in html
    assert "Schedule a meeting" in client_for(personas.coordinator).get(f"/c/{SLUG}/meetings/").text


# --- scheduling, rescheduling, cancelling ------------------------------------------------------


def test_a_coordinator_schedules_a_meeting_in_the_communitys_time_zone(personas, seated):
    starts = next_week_at(18)
    client = client_for(personas.coordinator)
    assert client.get(f"/c/{SLUG}/meetings/new/").status_code == 200

    response = client.post(
        f"/c/{SLUG}/meetings/new/",
        {
            "title": "Monthly meeting",
            "starts_at": local_input(starts),
            "ends_at": local_input(starts + timedelta(hours=2)),
            "place": "Old Mill Neighbourhood House",
            "online_link": "",
            "visibility": "committee",
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(meeting)
    assert meeting.starts_at == starts  # 6 pm in Vancouver, whatever the server's zone
    page = html_of(client.get(url(meeting)))
    assert f'<time datetime="{starts.isoformat()}">' in page  # shown in Vancouver time
    assert "6 p.m." in page
    assert "(America/Vancouver)" in page


def test_the_form_shows_what_is_wrong_and_schedules_nothing(personas, seated):
    starts = next_week_at(18)

    response = client_for(personas.coordinator).post(
        f"/c/{SLUG}/meetings/new/",
        {
            "title": "Monthly meeting",
            "starts_at": local_input(starts),
            "ends_at": local_input(starts - timedelta(hours=1)),
            "place": "",
            "online_link": "",
            "visibility": "committee",
        },
    )

    assert response.status_code == 200
    html = html_of(response)
    assert "The meeting must end after it starts." in html
    assert "Give a place, an online link, or both." in html
    assert not Meeting.objects.exists()


def test_only_coordinators_find_the_scheduling_pages(personas, seated):
    meeting = schedule(personas.coordinator)
    police = client_for(personas.police)

    for address in (f"/c/{SLUG}/meetings/new/", url(meeting, "edit/"), url(meeting, "cancel/")):
        assert police.get(address).status_code == 404
    assert police.post(url(meeting, "cancel/")).status_code == 404
    assert police.post(f"/c/{SLUG}/meetings/new/", {"title": "Mine"}).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"


def test_a_coordinator_reschedules_and_the_uid_stays(personas, seated):
    meeting = schedule(personas.coordinator)
    uid = meeting.uid
    client = client_for(personas.coordinator)
    new_start = next_week_at(19) + timedelta(days=1)
    assert client.get(url(meeting, "edit/")).status_code == 200

    response = client.post(
        url(meeting, "edit/"),
        {
            "title": meeting.title,
            "starts_at": local_input(new_start),
            "ends_at": local_input(new_start + timedelta(hours=2)),
            "place": meeting.place,
            "online_link": "",
        },
        follow=True,
    )

    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.uid, meeting.sequence) == (new_start, uid, 1)
    assert "The meeting is rescheduled" in html_of(response)


def test_a_coordinator_cancels_after_confirming(personas, seated):
    meeting = schedule(personas.coordinator)
    client = client_for(personas.coordinator)

    confirm = html_of(client.get(url(meeting, "cancel/")))
    assert "Yes, cancel the meeting" in confirm
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"

    page = html_of(client.post(url(meeting, "cancel/"), follow=True))

    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)
    assert "The meeting is cancelled" in page
    assert "Change the time or place" not in page
    assert "This meeting is cancelled." in section(page, "rsvp-panel")


def test_a_coordinator_marks_a_started_meeting_as_held(personas, seated):
    meeting = schedule(personas.coordinator)
    client = client_for(personas.coordinator)
    assert "Mark as held" not in client.get(url(meeting)).text

    let_time_pass(meeting)
    assert "Mark as held" in client.get(url(meeting)).text
    client.post(url(meeting, "held/"))

    meeting.refresh_from_db()
    assert meeting.status == "held"


# --- answering ---------------------------------------------------------------------------------


def test_a_member_answers_without_javascript(personas, seated):
    meeting = schedule(personas.coordinator)
    client = client_for(personas.police)

    response = client.post(url(meeting, "rsvp/"), {"answer": "attending"})

    assert response.status_code == 302
    assert response["Location"] == url(meeting) + "#rsvp-panel"
    assert Rsvp.objects.get(person=personas.police).answer == "attending"
    panel = section(html_of(client.get(url(meeting))), "rsvp-panel")
    assert "Your answer: Attending" in panel


def test_a_member_answers_with_htmx_and_gets_the_panel_back(personas, seated):
    meeting = schedule(personas.coordinator)
    client = client_for(personas.police)

    response = client.post(url(meeting, "rsvp/"), {"answer": "not_attending"}, **HTMX)

    assert response.status_code == 200
    html = html_of(response)
    assert html.startswith('<section id="rsvp-panel"')
    assert "<html" not in html
    assert "Your answer is saved: Not attending." in html
    assert 'value="not_attending" class="" aria-pressed="true"' in html
    assert Rsvp.objects.get(person=personas.police).answer == "not_attending"


def test_an_htmx_answer_refreshes_the_quorum_in_the_same_response(personas, seated):
    meeting = schedule(personas.coordinator)
    client = client_for(personas.police)
    before = section(html_of(client.get(url(meeting))), "quorum")
    assert re.search(r"Law enforcement[^<]*</span>\s*<strong>No word yet", before)

    response = client.post(url(meeting, "rsvp/"), {"answer": "not_attending"}, **HTMX)

    html = html_of(response)
    assert html.count('<section id="quorum"') == 1
    quorum = section(html, "quorum")
    assert 'hx-swap-oob="true"' in html[html.index('<section id="quorum"') :].split(">", 1)[0]
    assert re.search(r"Law enforcement[^<]*</span>\s*<strong>Sent regrets", quorum)
    # The page itself shows it the same way, without out-of-band swapping.
    page = html_of(client.get(url(meeting)))
    assert re.search(r"Law enforcement[^<]*</span>\s*<strong>Sent regrets", section(page, "quorum"))
    assert "hx-swap-oob" not in page


def test_a_wrong_answer_is_refused_and_saves_nothing(personas, seated):
    meeting = schedule(personas.coordinator)
    client = client_for(personas.police)

    panel = html_of(client.post(url(meeting, "rsvp/"), {"answer": "perhaps"}, **HTMX))
    assert 'role="alert"' in panel
    client.post(url(meeting, "rsvp/"), {"answer": "perhaps"})

    assert not Rsvp.objects.exists()


def test_the_quorum_shows_which_sectors_sent_regrets(personas, seated):
    meeting = schedule(personas.coordinator)
    client_for(personas.resident).post(url(meeting, "rsvp/"), {"answer": "not_attending"})
    client_for(personas.police).post(url(meeting, "rsvp/"), {"answer": "attending"})

    quorum = section(html_of(client_for(personas.health).get(url(meeting))), "quorum")

    assert re.search(r"Residents</span>\s*<strong>Sent regrets", quorum)
    assert re.search(r"Law enforcement[^<]*</span>\s*<strong>Coming", quorum)
    assert "alex" not in quorum.lower()  # sectors, not names


def test_a_coordinator_records_attendance_and_the_quorum_follows_it(personas, seated):
    meeting = let_time_pass(schedule(personas.coordinator))
    client = client_for(personas.coordinator)
    assert "Record attendance" in client.get(url(meeting)).text
    assert "Record attendance" not in client_for(personas.police).get(url(meeting)).text

    client.post(
        url(meeting, "attendance/"), {"present": [personas.police.pk, personas.experiential.pk]}
    )

    present = set(Attendance.objects.filter(present=True).values_list("person", flat=True))
    assert present == {personas.police.pk, personas.experiential.pk}
    assert Attendance.objects.filter(present=False, person=personas.resident).exists()
    quorum = section(html_of(client.get(url(meeting))), "quorum")
    assert re.search(r"Current and former sex workers</span>\s*<strong>Present", quorum)
    assert re.search(r"Residents</span>\s*<strong>Absent", quorum)


# --- the agenda --------------------------------------------------------------------------------


def test_a_member_suggests_and_the_coordinator_accepts_and_orders_the_agenda(personas, seated):
    meeting = schedule(personas.coordinator)
    coordinator = client_for(personas.coordinator)
    coordinator.post(url(meeting, "agenda/"), {"title": "Welcome", "duration_minutes": "10"})

    client_for(personas.business).post(url(meeting, "agenda/suggest/"), {"title": "Lighting"})
    suggestion = AgendaItem.objects.get(title="Lighting")
    assert "Lighting" not in client_for(personas.police).get(url(meeting)).text
    assert "Lighting" in section(html_of(coordinator.get(url(meeting))), "agenda")

    coordinator.post(url(meeting, f"agenda/{suggestion.pk}/"), {"action": "accept"})
    coordinator.post(url(meeting, f"agenda/{suggestion.pk}/"), {"action": "up"})

    agenda = section(html_of(client_for(personas.police).get(url(meeting))), "agenda")
    assert agenda.index("Lighting") < agenda.index("Welcome")
    assert "10 minutes" in agenda


def test_members_cannot_manage_the_agenda(personas, seated):
    meeting = schedule(personas.coordinator)
    item = services.add_agenda_item(actor=personas.coordinator, meeting=meeting, title="Welcome")
    police = client_for(personas.police)

    police.post(url(meeting, "agenda/"), {"title": "Mine"})
    police.post(url(meeting, f"agenda/{item.pk}/"), {"action": "remove"})

    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["Welcome"]
    assert "Add to the agenda" not in police.get(url(meeting)).text


def test_police_see_the_caucus_item_without_its_title_or_link(personas, seated):
    caucus = make_proposal(
        personas.experiential,
        "Bad-date reports only with consent",
        status="discussion",
        visibility="sectors",
        sectors=[personas.sector("experiential")],
    )
    meeting = schedule(personas.coordinator)
    client_for(personas.experiential).post(
        url(meeting, "agenda/suggest/"), {"title": "", "proposal": caucus.pk}
    )
    item = AgendaItem.objects.get()
    client_for(personas.coordinator).post(url(meeting, f"agenda/{item.pk}/"), {"action": "accept"})

    police = html_of(client_for(personas.police).get(url(meeting)))
    peer = html_of(client_for(personas.experiential_peer).get(url(meeting)))

    assert "An item that is not shared with you" in section(police, "agenda")
    assert caucus.title not in police
    assert f"/proposals/{caucus.pk}/" not in police
    assert f'href="/c/{SLUG}/proposals/{caucus.pk}/">{caucus.title}</a>' in section(peer, "agenda")


# --- minutes -----------------------------------------------------------------------------------


def minutes_post(body="### Van stops\n\nAgreed.", visibility="committee", decisions=(), **extra):
    data = {
        "body": body,
        "visibility": visibility,
        "decisions-TOTAL_FORMS": str(max(len(decisions), 1)),
        "decisions-INITIAL_FORMS": "0",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "decisions-0-text": "",
        "decisions-0-proposal": "",
        "actions-0-text": "",
        **extra,
    }
    for index, (proposal, text) in enumerate(decisions):
        data[f"decisions-{index}-proposal"] = proposal.pk if proposal else ""
        data[f"decisions-{index}-text"] = text
    return data


def test_minutes_are_written_then_approved_at_a_later_meeting(personas, seated):
    proposal = make_proposal(personas.police, "Patrols away from van stops", status="discussion")
    first = let_time_pass(schedule(personas.coordinator, "First"), started_hours_ago=24 * 28)
    services.add_agenda_item(actor=personas.coordinator, meeting=first, title="", proposal=proposal)
    later = let_time_pass(schedule(personas.coordinator, "Later"), started_hours_ago=0.5)
    coordinator = client_for(personas.coordinator)

    draft = html_of(coordinator.get(url(first, "minutes/")))
    assert "### Patrols away from van stops" in draft  # the draft starts from the agenda
    response = coordinator.post(
        url(first, "minutes/"),
        minutes_post(
            decisions=[(proposal, "Patrols keep away from the stops")],
            **{
                "actions-0-text": "Tell the night shift",
                "actions-0-owner": personas.police.pk,
                "actions-0-due_on": "2031-01-15",
            },
        ),
    )
    assert response.status_code == 302
    minutes = Minutes.objects.get()
    assert minutes.status == "draft"

    page = section(html_of(client_for(personas.health).get(url(first))), "minutes")
    assert "Draft" in page
    assert "Patrols keep away from the stops" in page
    assert f'href="/c/{SLUG}/proposals/{proposal.pk}/"' in page
    assert "Tell the night shift · <strong>Alex</strong>" in page

    coordinator.post(url(first, "minutes/approve/"), {"at_meeting": later.pk})

    minutes.refresh_from_db()
    assert (minutes.status, minutes.approved_at_meeting) == ("approved", later)
    page = section(html_of(client_for(personas.health).get(url(first))), "minutes")
    assert "Approved" in page and "“Later”" in page
    assert "Edit the draft minutes" not in section(html_of(coordinator.get(url(first))), "minutes")
    coordinator.post(url(first, "minutes/"), minutes_post(body="Rewritten"))
    minutes.refresh_from_db()
    assert minutes.body.startswith("### Van stops")


def rows_post(decisions=(), actions=(), **extra) -> dict:
    """The minutes form as a browser sends it: any number of decision rows (proposal, text) and
    action rows (text, owner, due)."""
    data = {
        "body": "### Van stops\n\nAgreed.",
        "visibility": "committee",
        "decisions-TOTAL_FORMS": str(len(decisions)),
        "decisions-INITIAL_FORMS": "0",
        "actions-TOTAL_FORMS": str(len(actions)),
        "actions-INITIAL_FORMS": "0",
    }
    for index, (proposal, text) in enumerate(decisions):
        data[f"decisions-{index}-proposal"] = proposal.pk if proposal else ""
        data[f"decisions-{index}-text"] = text
    for index, (text, owner, due_on) in enumerate(actions):
        data[f"actions-{index}-text"] = text
        data[f"actions-{index}-owner"] = owner.pk if owner else ""
        data[f"actions-{index}-due_on"] = due_on
    return {**data, **extra}


def rows_of(html: str, prefix: str) -> int:
    return int(re.search(rf'name="{prefix}-TOTAL_FORMS" value="(\d+)"', html).group(1))


def test_add_a_row_without_javascript_keeps_what_was_typed_and_saves_nothing(personas, seated):
    proposal = make_proposal(personas.police, "Patrols away from van stops", status="discussion")
    meeting = let_time_pass(schedule(personas.coordinator))
    coordinator = client_for(personas.coordinator)
    typed = rows_post(
        decisions=[(proposal, "Patrols keep away"), (None, "Meet again in May")],
        actions=[("Tell the night shift", personas.police, "2031-01-15")],
        body="",  # not written yet: adding a row checks nothing
    )

    response = coordinator.post(url(meeting, "minutes/"), {**typed, "add_row": "decisions"})

    assert response.status_code == 200
    page = html_of(response)
    assert rows_of(page, "decisions") == 3
    assert rows_of(page, "actions") == 1
    assert "Patrols keep away" in page and "Meet again in May" in page
    assert f'<option value="{proposal.pk}" selected>' in page
    assert "Tell the night shift" in page and 'value="2031-01-15"' in page
    assert f'<option value="{personas.police.pk}" selected>' in page
    assert re.search(r'name="decisions-2-text"[^>]*autofocus', page)
    assert 'role="alert"' not in page  # nothing was checked
    assert not Minutes.objects.exists()

    # Another action row, then the whole thing saved: every row counts.
    page = html_of(
        coordinator.post(
            url(meeting, "minutes/"),
            {**typed, "decisions-TOTAL_FORMS": "3", "add_row": "actions"},
        )
    )
    assert rows_of(page, "actions") == 2
    saved = coordinator.post(
        url(meeting, "minutes/"),
        rows_post(
            decisions=[
                (proposal, "Patrols keep away"),
                (None, "Meet again in May"),
                (None, "Thank the van team"),
            ],
            actions=[
                ("Tell the night shift", personas.police, "2031-01-15"),
                ("Book the hall", None, ""),
            ],
        ),
    )
    assert saved.status_code == 302
    minutes = Minutes.objects.get()
    assert [d.text for d in minutes.decisions.all()] == [
        "Patrols keep away",
        "Meet again in May",
        "Thank the van team",
    ]
    assert [a.text for a in minutes.action_items.all()] == ["Tell the night shift", "Book the hall"]


def test_add_a_row_with_htmx_answers_the_page_whose_rows_it_swaps_in(personas, seated):
    meeting = let_time_pass(schedule(personas.coordinator))
    coordinator = client_for(personas.coordinator)
    form = html_of(coordinator.get(url(meeting, "minutes/")))
    button = re.search(r'<button[^>]*value="decisions"[^>]*>', form).group(0)
    assert 'hx-select="#decision-rows"' in button and 'hx-target="#decision-rows"' in button
    assert "formnovalidate" in button  # without JavaScript too, an empty body does not block it

    response = coordinator.post(
        url(meeting, "minutes/"),
        {**rows_post(decisions=[(None, "Meet again in May")]), "add_row": "decisions"},
        **HTMX,
    )

    html = html_of(response)
    rows = html[html.index('id="decision-rows"') : html.index('id="action-rows"')]
    assert rows_of(rows, "decisions") == 2
    assert "Meet again in May" in rows
    assert not Minutes.objects.exists()


def test_the_minutes_hold_a_limited_number_of_rows_and_say_so(personas, seated):
    meeting = let_time_pass(schedule(personas.coordinator))
    full = rows_post(decisions=[(None, f"Decision {n}") for n in range(50)])

    page = html_of(
        client_for(personas.coordinator).post(
            url(meeting, "minutes/"), {**full, "add_row": "decisions"}
        )
    )

    assert rows_of(page, "decisions") == 50
    assert "The minutes can hold at most 50 decisions." in page
    assert "Decision 49" in page
    too_many = rows_post(decisions=[(None, f"Decision {n}") for n in range(51)])
    refused = client_for(personas.coordinator).post(url(meeting, "minutes/"), too_many)
    assert refused.status_code == 200
    assert not Minutes.objects.exists()


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        ({"decisions": [("proposal", "")]}, "Write what was decided, or clear this row."),
        ({"actions": [("", "owner", "")]}, "Say what is to be done, or clear this row."),
        ({"actions": [("", None, "2031-01-15")]}, "Say what is to be done, or clear this row."),
        ({"actions": [("Book the hall", None, "the fifteenth")]}, "Enter a valid date."),
    ],
)
def test_a_half_filled_or_wrong_row_is_refused_and_nothing_typed_is_lost(
    personas, seated, rows, error
):
    proposal = make_proposal(personas.police, "Patrols away from van stops", status="discussion")
    meeting = let_time_pass(schedule(personas.coordinator))
    swap = {"proposal": proposal, "owner": personas.police}
    decisions = [(swap.get(p, p), text) for p, text in rows.get("decisions", [])]
    actions = [(text, swap.get(o, o), due) for text, o, due in rows.get("actions", [])]
    data = rows_post(
        decisions=[*decisions, (None, "Meet again in May")],
        actions=actions,
        body="### Van stops\n\nTyped with care.",
    )

    response = client_for(personas.coordinator).post(url(meeting, "minutes/"), data)

    assert response.status_code == 200
    page = html_of(response)
    assert error in page
    assert "The minutes are not saved yet" in page
    assert "Typed with care." in page and "Meet again in May" in page
    assert not Minutes.objects.exists()


def test_a_decision_drafted_from_the_agenda_and_left_alone_is_left_out(personas, seated):
    proposal = make_proposal(personas.police, "Patrols away from van stops", status="discussion")
    meeting = schedule(personas.coordinator)
    services.add_agenda_item(
        actor=personas.coordinator, meeting=meeting, title="", proposal=proposal
    )
    meeting = let_time_pass(meeting)
    coordinator = client_for(personas.coordinator)
    draft = html_of(coordinator.get(url(meeting, "minutes/")))
    assert f'<option value="{proposal.pk}" selected>' in draft  # offered, not typed

    data = rows_post(decisions=[(proposal, ""), (None, "")])
    response = coordinator.post(url(meeting, "minutes/"), data)

    assert response.status_code == 302
    assert not Minutes.objects.get().decisions.exists()


def test_minutes_for_coordinators_only_are_not_shown_to_members(personas, seated):
    meeting = let_time_pass(schedule(personas.coordinator))
    client_for(personas.coordinator).post(
        url(meeting, "minutes/"), minutes_post(body="Confidential notes", visibility="coordinators")
    )
    assert Minutes.objects.exists()

    page = html_of(client_for(personas.police).get(url(meeting)))

    assert "Confidential notes" not in page
    assert "The minutes have not been written yet." in section(page, "minutes")
    assert client_for(personas.police).get(url(meeting, "minutes/")).status_code == 404
    assert client_for(personas.police).post(url(meeting, "minutes/approve/")).status_code == 404


# --- the matrix: a meeting you may not see does not exist for you ------------------------------

PERSONAS = [
    "experiential",
    "experiential_peer",
    "police",
    "police_colleague",
    "resident",
    "business",
    "health",
    "coordinator",
    "observer",
    "admin",
    "outsider",
]
COMMITTEE = set(PERSONAS) - {"admin", "outsider"}
EXPECTED = {
    "committee": COMMITTEE,
    "caucus": {"experiential", "experiential_peer"},
    "to-coordinators": {"coordinator"},
}


def someone(personas, seated, who):
    return seated.observer if who == "observer" else getattr(personas, who)


@pytest.fixture
def meetings(personas, seated):
    """One meeting per visibility, each with an agenda item and written minutes (they have
    started), and a suggestion by one of their readers."""
    caucus_coordinator = make_person(
        personas.community, "ruby", sector_keys=("experiential",), role="coordinator"
    )
    specs = {
        "committee": (personas.coordinator, "committee", []),
        "caucus": (caucus_coordinator, "sectors", [personas.sector("experiential")]),
        "to-coordinators": (personas.coordinator, "coordinators", []),
    }
    made = {}
    for label, (coordinator, visibility, sectors) in specs.items():
        meeting = schedule(
            coordinator, f"meeting:{label}", visibility=visibility, sectors=sectors, days=1
        )
        services.add_agenda_item(actor=coordinator, meeting=meeting, title=f"item:{label}")
        made[label] = meeting
    return made


def addresses(meeting_pk: int, item_pk: int) -> list[tuple[str, str, dict]]:
    """Every meeting address: (method, path, data)."""
    return [
        ("get", url(meeting_pk), {}),
        ("get", url(meeting_pk, "edit/"), {}),
        ("post", url(meeting_pk, "edit/"), {"title": "x"}),
        ("get", url(meeting_pk, "cancel/"), {}),
        ("post", url(meeting_pk, "cancel/"), {}),
        ("post", url(meeting_pk, "held/"), {}),
        ("get", url(meeting_pk, "rsvp/"), {}),
        ("post", url(meeting_pk, "rsvp/"), {"answer": "attending"}),
        ("post", url(meeting_pk, "attendance/"), {"present": []}),
        ("post", url(meeting_pk, "agenda/"), {"title": "x"}),
        ("post", url(meeting_pk, "agenda/suggest/"), {"title": "x"}),
        ("post", url(meeting_pk, f"agenda/{item_pk}/"), {"action": "remove"}),
        ("get", url(meeting_pk, "minutes/"), {}),
        ("post", url(meeting_pk, "minutes/"), minutes_post()),
        ("post", url(meeting_pk, "minutes/approve/"), {"at_meeting": meeting_pk}),
    ]


def without_tokens(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


@pytest.mark.parametrize("who", PERSONAS)
def test_the_list_shows_exactly_the_meetings_the_persona_may_see(personas, seated, meetings, who):
    html = client_for(someone(personas, seated, who)).get(f"/c/{SLUG}/meetings/").text
    expected = {label for label, readers in EXPECTED.items() if who in readers}
    if who == "outsider":
        assert "meeting:" not in html
        return
    assert set(re.findall(r"meeting:([a-z-]+)", html)) == expected


@pytest.mark.parametrize("who", PERSONAS)
def test_every_address_of_a_hidden_meeting_is_a_404_like_a_missing_one(
    personas, seated, meetings, who
):
    person = someone(personas, seated, who)
    client = client_for(person)
    hidden = [label for label, readers in EXPECTED.items() if who not in readers]
    missing = 999_999
    for label in hidden:
        meeting = meetings[label]
        item = meeting.agenda.get()
        for (method, path, data), (_m, missing_path, _d) in zip(
            addresses(meeting.pk, item.pk), addresses(missing, item.pk), strict=True
        ):
            response = getattr(client, method)(path, data)
            assert response.status_code == 404, (who, label, method, path)
            twin = getattr(client, method)(missing_path, data)
            assert without_tokens(response.content) == without_tokens(twin.content), path
    assert not Rsvp.objects.exists()
    assert AgendaItem.objects.count() == len(meetings)
    assert Meeting.objects.filter(status="scheduled").count() == len(meetings)


@pytest.mark.parametrize("who", sorted(COMMITTEE))
def test_a_visible_meeting_shows_its_title_and_agenda_to_its_readers(
    personas, seated, meetings, who
):
    client = client_for(someone(personas, seated, who))
    for label, readers in EXPECTED.items():
        if who in readers:
            page = client.get(url(meetings[label])).text
            assert f"meeting:{label}" in page and f"item:{label}" in page


def test_minutes_never_name_an_approving_meeting_the_reader_cannot_see(personas, seated):
    first = let_time_pass(schedule(personas.coordinator, "First"), started_hours_ago=24 * 28)
    private = let_time_pass(
        schedule(personas.coordinator, "Coordinators' catch-up", visibility="coordinators"),
        started_hours_ago=0.5,
    )
    minutes = services.write_minutes(
        actor=personas.coordinator, meeting=first, body="Agreed.", visibility="committee"
    )
    services.approve_minutes(actor=personas.coordinator, minutes=minutes, at_meeting=private)

    police = section(html_of(client_for(personas.police).get(url(first))), "minutes")
    coordinator = section(html_of(client_for(personas.coordinator).get(url(first))), "minutes")

    assert "Approved" in police and "catch-up" not in police
    assert "Coordinators&#x27; catch-up" in coordinator or "Coordinators' catch-up" in coordinator


def test_the_home_page_shows_the_next_meetings_the_member_may_see(personas, seated):
    schedule(personas.coordinator, "Monthly meeting")
    schedule(personas.coordinator, "Coordinators' catch-up", visibility="coordinators")

    police = section(html_of(client_for(personas.police).get(f"/c/{SLUG}/")), "meetings-heading")
    coordinator = section(
        html_of(client_for(personas.coordinator).get(f"/c/{SLUG}/")), "meetings-heading"
    )

    assert "Monthly meeting" in police and "catch-up" not in police
    assert "catch-up" in coordinator
