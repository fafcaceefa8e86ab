"""Meetings through the REST API, as each persona meets them: the list (upcoming first) and one
meeting exactly as its visibility allows, and 404 at every address under one the caller may not
see, byte for byte as a missing one; an agenda item about a hidden proposal without its title or
link; minutes hidden by their own visibility; a quorum that names sectors, never people; the
coordinator schedules, reschedules and cancels, members answer and suggest, attendance is for
coordinators only; a list that does not grow in queries.

Endpoints for coordinators only (schedule, reschedule, cancel, attendance) answer anyone else
404, as the coordinator pages do; rules about the meeting as it is now answer 400."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from committee import services
from committee.models import AgendaItem, Attendance, Meeting, MeetingStatus, Rsvp
from stakeholders.models import Person
from tests.committee.test_meetings import let_time_pass, schedule
from tests.conftest import make_person, make_proposal

MISSING = 999_999


def api_as(person: Person) -> APIClient:
    client = APIClient()
    client.force_login(person.user)
    return client


def url(meeting: Meeting | int, suffix: str = "") -> str:
    pk = meeting if isinstance(meeting, int) else meeting.pk
    return f"/api/v1/meetings/{pk}/{suffix}"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def in_a_week() -> dict:
    starts = timezone.now() + timedelta(days=7)
    return {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()}


@pytest.fixture
def caucus_coordinator(personas) -> Person:
    """A coordinator from the experiential sector, who may hold a caucus meeting."""
    return make_person(
        personas.community, "ruby", sector_keys=("experiential",), role="coordinator"
    )


@pytest.fixture
def meetings(personas, seated, caucus_coordinator) -> dict[str, Meeting]:
    p = personas
    return {
        "committee": schedule(p.coordinator, "committee"),
        "caucus": schedule(
            caucus_coordinator,
            "caucus",
            days=8,
            visibility="sectors",
            sectors=[p.sector("experiential")],
        ),
        "coordinators": schedule(p.coordinator, "coordinators", days=9, visibility="coordinators"),
    }


@pytest.fixture
def caucus_proposal(personas, seated):
    return make_proposal(
        personas.experiential,
        "Share bad-date reports only with consent",
        status="discussion",
        visibility="sectors",
        sectors=[personas.sector("experiential")],
    )


# --- who sees which meeting --------------------------------------------------------------------


SEES = {
    "experiential": ["committee", "caucus"],
    "experiential_peer": ["committee", "caucus"],
    "police": ["committee"],
    "resident": ["committee"],
    "coordinator": ["committee", "coordinators"],
    "caucus_coordinator": ["committee", "caucus", "coordinators"],
    "observer": ["committee"],
    "admin": [],
    "outsider": [],
}


def persona(personas, seated, caucus_coordinator, who: str) -> Person:
    if who == "observer":
        return seated.observer
    if who == "caucus_coordinator":
        return caucus_coordinator
    return getattr(personas, who)


@pytest.mark.parametrize("who", SEES)
def test_each_persona_lists_and_reads_exactly_the_meetings_they_may_see(
    personas, seated, caucus_coordinator, meetings, who
):
    client = api_as(persona(personas, seated, caucus_coordinator, who))

    assert titles(client.get("/api/v1/meetings/")) == SEES[who]
    for label, meeting in meetings.items():
        assert client.get(url(meeting)).status_code == (200 if label in SEES[who] else 404), label


GETS = ["", "attendance/"]
POSTS = [
    ("rsvp/", {"answer": "attending"}),
    ("attendance/", {"person": 1, "present": True}),
    ("reschedule/", {"title": "Taken over"}),
    ("cancel/", {}),
    ("agenda/", {"title": "Mine now"}),
]


@pytest.mark.parametrize("who", ["police", "admin", "outsider"])
def test_a_caucus_meeting_does_not_exist_at_any_address_for_those_outside_it(
    personas, seated, meetings, who
):
    client = api_as(getattr(personas, who))
    caucus = meetings["caucus"]

    for suffix in GETS:
        hidden = client.get(url(caucus, suffix))
        missing = client.get(url(MISSING, suffix))
        assert hidden.status_code == missing.status_code == 404, suffix
        assert hidden.content == missing.content, suffix
    for suffix, data in POSTS:
        hidden = client.post(url(caucus, suffix), data, format="json")
        missing = client.post(url(MISSING, suffix), data, format="json")
        assert hidden.status_code == missing.status_code == 404, suffix
        assert hidden.content == missing.content, suffix
    caucus.refresh_from_db()
    assert (caucus.title, caucus.status, caucus.sequence) == ("caucus", "scheduled", 0)
    assert not Rsvp.objects.exists()
    assert not AgendaItem.objects.exists()


def test_a_french_caller_gets_the_same_404_for_a_hidden_meeting_and_a_missing_one(
    personas, seated, meetings
):
    client = api_as(personas.police)

    hidden = client.get(url(meetings["caucus"]), HTTP_ACCEPT_LANGUAGE="fr")
    missing = client.get(url(MISSING), HTTP_ACCEPT_LANGUAGE="fr")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_the_list_shows_upcoming_meetings_soonest_first_then_past_ones_latest_first(
    personas, seated
):
    p = personas
    let_time_pass(schedule(p.coordinator, "Last month"), started_hours_ago=24 * 28)
    let_time_pass(schedule(p.coordinator, "Last week"), started_hours_ago=24 * 7)
    schedule(p.coordinator, "Next week", days=7)
    services.cancel_meeting(actor=p.coordinator, meeting=schedule(p.coordinator, "Off", days=3))
    schedule(p.coordinator, "Tomorrow", days=1)

    response = api_as(p.police).get("/api/v1/meetings/")

    assert titles(response) == ["Tomorrow", "Off", "Next week", "Last week", "Last month"]


def test_the_list_filters_by_status_and_refuses_an_unknown_one(personas, seated):
    p = personas
    schedule(p.coordinator, "On")
    services.cancel_meeting(actor=p.coordinator, meeting=schedule(p.coordinator, "Off"))
    client = api_as(p.police)

    assert titles(client.get("/api/v1/meetings/?status=cancelled")) == ["Off"]
    assert titles(client.get("/api/v1/meetings/?status=scheduled")) == ["On"]
    response = client.get("/api/v1/meetings/?status=postponed")
    assert response.status_code == 400
    assert response.json() == {
        "status": "Unknown status “postponed”. Choose one of: scheduled, held, cancelled."
    }


def test_another_communitys_committee_meeting_is_not_listed_or_read_here(personas, seated):
    p = personas
    theirs = schedule(p.outsider, "Harbourview's own")
    ours = schedule(p.coordinator, "Riverside's own")

    client = api_as(p.outsider)

    assert titles(client.get("/api/v1/meetings/")) == ["Harbourview's own"]
    assert client.get(url(ours)).status_code == 404
    assert titles(api_as(p.police).get("/api/v1/meetings/")) == ["Riverside's own"]
    assert api_as(p.police).get(url(theirs)).status_code == 404


# --- one meeting -------------------------------------------------------------------------------


def test_a_member_reads_the_meeting_with_their_answer_and_the_quorum_by_sector_only(
    personas, seated
):
    p = personas
    meeting = schedule(p.coordinator, "Monthly meeting", online_link="https://meet.example.org/x")
    services.rsvp(person=p.police, meeting=meeting, answer="attending")
    services.rsvp(person=p.health, meeting=meeting, answer="not_attending")

    response = api_as(p.police).get(url(meeting))

    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Monthly meeting"
    assert (data["status"], data["visibility"], data["sequence"]) == ("scheduled", "committee", 0)
    assert data["uid"] == str(meeting.uid)
    assert data["place"] == "Old Mill Neighbourhood House"
    assert data["online_link"] == "https://meet.example.org/x"
    assert data["my_rsvp"]["answer"] == "attending"
    assert data["steps"] == ["rsvp", "suggest"]
    quorum = {row["sector"]["name"]: row["presence"] for row in data["quorum"]}
    assert quorum[p.sector("law-enforcement").name] == "attending"
    assert quorum[p.sector("health").name] == "regrets"
    assert quorum[p.sector("residents").name] == "no_word"
    assert data["attendance_recorded"] is False
    quorum_text = json.dumps(data["quorum"])
    for person in (p.police, p.police_colleague, p.health, p.resident, p.coordinator):
        assert person.display_name not in quorum_text
    assert data["minutes"] is None


def test_the_list_carries_my_answer_and_not_the_others(personas, seated):
    p = personas
    meeting = schedule(p.coordinator)
    services.rsvp(person=p.health, meeting=meeting, answer="maybe")

    [row] = api_as(p.police).get("/api/v1/meetings/").json()["results"]
    assert row["my_rsvp"] is None
    [row] = api_as(p.health).get("/api/v1/meetings/").json()["results"]
    assert row["my_rsvp"]["answer"] == "maybe"


def test_an_item_about_a_caucus_proposal_reaches_the_police_without_its_title_or_link(
    personas, seated, caucus_proposal
):
    p = personas
    meeting = schedule(p.coordinator)
    item = services.suggest_agenda_item(
        person=p.experiential, meeting=meeting, title="", proposal=caucus_proposal
    )
    services.accept_agenda_item(actor=p.coordinator, item=item)
    services.add_agenda_item(
        actor=p.coordinator, meeting=meeting, title="Budget", duration_minutes=20
    )

    police = api_as(p.police).get(url(meeting))

    masked, budget = police.json()["agenda"]
    assert masked == {
        "id": item.pk,
        "status": "accepted",
        "title": None,
        "proposal": None,
        "duration_minutes": None,
        "suggested_by": None,
        "is_mine": False,
        "hidden": True,
    }
    assert (budget["title"], budget["duration_minutes"], budget["hidden"]) == ("Budget", 20, False)
    assert caucus_proposal.title not in police.content.decode()
    [seen, _budget] = api_as(p.experiential_peer).get(url(meeting)).json()["agenda"]
    assert seen["title"] == caucus_proposal.title
    assert seen["proposal"] == {"id": caucus_proposal.pk, "title": caucus_proposal.title}
    assert seen["hidden"] is False


def test_only_coordinators_see_who_suggested_an_item(personas, seated):
    p = personas
    meeting = schedule(p.coordinator)
    item = services.suggest_agenda_item(person=p.resident, meeting=meeting, title="Lighting")
    services.accept_agenda_item(actor=p.coordinator, item=item)

    [for_coordinator] = api_as(p.coordinator).get(url(meeting)).json()["agenda"]
    [for_police] = api_as(p.police).get(url(meeting)).json()["agenda"]
    [for_resident] = api_as(p.resident).get(url(meeting)).json()["agenda"]

    assert for_coordinator["suggested_by"] == {
        "id": p.resident.pk,
        "display_name": p.resident.display_name,
    }
    assert for_police["suggested_by"] is None
    assert (for_resident["suggested_by"], for_resident["is_mine"]) == (None, True)


def test_minutes_for_coordinators_only_are_null_for_members_of_a_meeting_they_see(
    personas, seated, caucus_proposal
):
    p = personas
    meeting = let_time_pass(schedule(p.coordinator))
    minutes = services.write_minutes(
        actor=p.coordinator,
        meeting=meeting,
        body="Confidential: **staffing**",
        visibility="coordinators",
    )

    assert api_as(p.police).get(url(meeting)).json()["minutes"] is None
    assert api_as(seated.observer).get(url(meeting)).json()["minutes"] is None
    data = api_as(p.coordinator).get(url(meeting)).json()["minutes"]
    assert data["body"] == "Confidential: **staffing**"
    assert "<strong>staffing</strong>" in data["body_html"]
    assert (data["status"], data["visibility"]) == ("draft", "coordinators")
    assert minutes.pk  # written


def test_minutes_link_only_the_proposals_the_reader_can_see(personas, seated, caucus_proposal):
    p = personas
    meeting = let_time_pass(schedule(p.coordinator))
    minutes = services.write_minutes(
        actor=p.coordinator,
        meeting=meeting,
        body="Notes",
        visibility="committee",
        action_items=[("Book the hall", p.resident, None)],
    )
    # Recorded by someone who could see the caucus proposal.
    minutes.decisions.create(proposal=caucus_proposal, text="The caucus reported back")

    police = api_as(p.police).get(url(meeting))
    caucus = api_as(p.experiential).get(url(meeting)).json()["minutes"]

    assert police.json()["minutes"]["decisions"] == [
        {"text": "The caucus reported back", "proposal": None}
    ]
    assert caucus_proposal.title not in police.content.decode()
    assert caucus["decisions"][0]["proposal"] == {
        "id": caucus_proposal.pk,
        "title": caucus_proposal.title,
    }
    [action] = caucus["action_items"]
    assert action["text"] == "Book the hall"
    assert action["owner"] == {"id": p.resident.pk, "display_name": p.resident.display_name}


def test_caucus_minutes_of_a_committee_meeting_are_null_outside_the_caucus(
    personas, seated, caucus_coordinator
):
    p = personas
    meeting = let_time_pass(schedule(p.coordinator))
    # A coordinator of the experiential caucus writes minutes only the caucus may read.
    services.write_minutes(
        actor=caucus_coordinator,
        meeting=meeting,
        body="Caucus notes",
        visibility="sectors",
        sectors=[p.sector("experiential")],
    )

    assert api_as(p.police).get(url(meeting)).json()["minutes"] is None
    assert api_as(p.coordinator).get(url(meeting)).json()["minutes"] is None
    assert api_as(p.experiential).get(url(meeting)).json()["minutes"]["body"] == "Caucus notes"


def test_minutes_approved_at_a_caucus_meeting_name_it_only_to_the_caucus(
    personas, seated, caucus_coordinator
):
    p = personas
    meeting = let_time_pass(schedule(p.coordinator, "Monthly meeting"), started_hours_ago=48)
    minutes = services.write_minutes(
        actor=p.coordinator, meeting=meeting, body="Notes", visibility="committee"
    )
    caucus = let_time_pass(
        schedule(
            caucus_coordinator, "Caucus", visibility="sectors", sectors=[p.sector("experiential")]
        )
    )
    services.approve_minutes(actor=caucus_coordinator, minutes=minutes, at_meeting=caucus)

    for_police = api_as(p.police).get(url(meeting)).json()["minutes"]
    for_caucus = api_as(p.experiential).get(url(meeting)).json()["minutes"]

    assert (for_police["status"], for_police["approved_at_meeting"]) == ("approved", None)
    assert for_police["approved_at"] is not None
    assert for_caucus["approved_at_meeting"] == {"id": caucus.pk, "title": "Caucus"}


# --- scheduling, rescheduling, cancelling ------------------------------------------------------


def test_a_coordinator_schedules_reschedules_and_cancels_a_meeting(personas, seated):
    client = api_as(personas.coordinator)

    created = client.post(
        "/api/v1/meetings/",
        {"title": "Monthly meeting", "place": "Riverside Hall", "visibility": "committee"}
        | in_a_week(),
        format="json",
    )

    assert created.status_code == 201, created.content
    meeting = Meeting.objects.get()
    assert created.json()["id"] == meeting.pk
    assert created.json()["steps"] == ["agenda", "cancel", "edit", "rsvp", "suggest"]
    new_start = meeting.starts_at + timedelta(days=1)
    moved = client.post(
        url(meeting, "reschedule/"),
        {
            "starts_at": new_start.isoformat(),
            "ends_at": (new_start + timedelta(hours=2)).isoformat(),
        },
        format="json",
    )
    assert moved.status_code == 200, moved.content
    assert (moved.json()["uid"], moved.json()["sequence"]) == (str(meeting.uid), 1)
    assert moved.json()["place"] == "Riverside Hall"  # left out, kept
    meeting.refresh_from_db()
    assert meeting.starts_at == new_start
    cancelled = client.post(url(meeting, "cancel/"))
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["sequence"]) == ("cancelled", 2)
    again = client.post(url(meeting, "cancel/"))
    assert again.status_code == 400
    assert again.json() == {"detail": ["This cannot be done now that the meeting is cancelled."]}


def test_a_meeting_is_refused_with_the_services_messages_and_nothing_is_scheduled(personas, seated):
    starts = timezone.now() + timedelta(days=7)

    response = api_as(personas.coordinator).post(
        "/api/v1/meetings/",
        {
            "title": "Monthly meeting",
            "starts_at": starts.isoformat(),
            "ends_at": (starts - timedelta(hours=1)).isoformat(),
            "visibility": "committee",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "ends_at": ["The meeting must end after it starts."],
        "place": ["Give a place, an online link, or both."],
    }
    assert not Meeting.objects.exists()


def test_a_coordinator_holds_a_caucus_meeting_only_for_a_sector_of_their_own(personas, seated):
    p = personas

    response = api_as(p.coordinator).post(
        "/api/v1/meetings/",
        {
            "title": "Caucus",
            "place": "Room 2",
            "visibility": "sectors",
            "visible_sectors": [p.sector("experiential").pk],
        }
        | in_a_week(),
        format="json",
    )

    assert response.status_code == 400
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("who", ["police", "observer"])
def test_members_find_no_scheduling_rescheduling_or_cancelling(personas, seated, who):
    member = seated.observer if who == "observer" else getattr(personas, who)
    meeting = schedule(personas.coordinator)
    client = api_as(member)
    missing = client.get(url(MISSING))

    attempts = [
        client.post(
            "/api/v1/meetings/",
            {"title": "Mine", "place": "Here", "visibility": "committee"} | in_a_week(),
            format="json",
        ),
        client.post(url(meeting, "reschedule/"), {"title": "Mine"}, format="json"),
        client.post(url(meeting, "cancel/")),
    ]

    for response in attempts:
        assert response.status_code == 404
        assert response.content == missing.content
    meeting.refresh_from_db()
    assert (meeting.title, meeting.status, meeting.sequence) == ("Monthly meeting", "scheduled", 0)
    assert Meeting.objects.count() == 1


def test_a_new_time_must_be_in_the_future(personas, seated):
    meeting = schedule(personas.coordinator)
    starts = timezone.now() - timedelta(days=1)

    response = api_as(personas.coordinator).post(
        url(meeting, "reschedule/"),
        {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1)).isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"starts_at": ["Choose a start in the future."]}
    meeting.refresh_from_db()
    assert meeting.sequence == 0


# --- answers -----------------------------------------------------------------------------------


def test_a_member_answers_and_changes_their_answer(personas, seated):
    meeting = schedule(personas.coordinator)
    client = api_as(personas.police)

    first = client.post(url(meeting, "rsvp/"), {"answer": "maybe"}, format="json")
    second = client.post(url(meeting, "rsvp/"), {"answer": "not_attending"}, format="json")

    assert first.status_code == second.status_code == 200
    assert second.json()["answer"] == "not_attending"
    assert Rsvp.objects.get(person=personas.police).answer == "not_attending"
    assert client.get(url(meeting)).json()["my_rsvp"]["answer"] == "not_attending"


def test_no_answer_is_taken_once_the_meeting_has_ended_or_is_cancelled(personas, seated):
    p = personas
    ended = let_time_pass(schedule(p.coordinator, "Ended"), started_hours_ago=5)
    off = schedule(p.coordinator, "Off")
    services.cancel_meeting(actor=p.coordinator, meeting=off)
    client = api_as(p.police)

    for meeting in (ended, off):
        response = client.post(url(meeting, "rsvp/"), {"answer": "attending"}, format="json")
        assert response.status_code == 400
        assert response.json() == {
            "detail": ["Answers are taken only until a scheduled meeting ends."]
        }
    assert not Rsvp.objects.exists()


def test_an_unknown_answer_is_refused(personas, seated):
    meeting = schedule(personas.coordinator)

    response = api_as(personas.police).post(url(meeting, "rsvp/"), {"answer": "yes"}, format="json")

    assert response.status_code == 400
    assert "answer" in response.json()
    assert not Rsvp.objects.exists()


# --- attendance --------------------------------------------------------------------------------


def test_a_coordinator_records_attendance_once_the_meeting_has_started(personas, seated):
    p = personas
    meeting = schedule(p.coordinator)
    services.rsvp(person=p.police, meeting=meeting, answer="attending")
    client = api_as(p.coordinator)

    early = client.post(
        url(meeting, "attendance/"), {"person": p.police.pk, "present": True}, format="json"
    )
    assert early.status_code == 400
    let_time_pass(meeting)
    recorded = client.post(
        url(meeting, "attendance/"), {"person": p.police.pk, "present": True}, format="json"
    )
    rows = {row["person"]: row for row in client.get(url(meeting, "attendance/")).json()}

    assert recorded.status_code == 200, recorded.content
    assert recorded.json() == {
        "person": p.police.pk,
        "display_name": p.police.display_name,
        "present": True,
        "answer": "attending",
    }
    assert rows[p.police.pk]["present"] is True
    assert rows[p.health.pk] == {
        "person": p.health.pk,
        "display_name": p.health.display_name,
        "present": None,
        "answer": None,
    }
    assert p.admin.pk not in rows  # administrators are not invited
    detail = api_as(p.police).get(url(meeting)).json()
    assert detail["attendance_recorded"] is True
    quorum = {row["sector"]["name"]: row["presence"] for row in detail["quorum"]}
    assert quorum[p.sector("law-enforcement").name] == "present"


def test_attendance_is_recorded_only_for_people_the_meeting_is_for(
    personas, seated, caucus_coordinator
):
    p = personas
    caucus = let_time_pass(
        schedule(
            caucus_coordinator, "Caucus", visibility="sectors", sectors=[p.sector("experiential")]
        )
    )

    response = api_as(caucus_coordinator).post(
        url(caucus, "attendance/"), {"person": p.police.pk, "present": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "person": [f"{p.police.display_name} is not invited to this meeting."]
    }
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who", ["police", "experiential", "observer"])
def test_attendance_does_not_exist_for_members(personas, seated, who):
    member = seated.observer if who == "observer" else getattr(personas, who)
    meeting = let_time_pass(schedule(personas.coordinator))
    client = api_as(member)
    missing = client.get(url(MISSING, "attendance/"))

    listed = client.get(url(meeting, "attendance/"))
    recorded = client.post(
        url(meeting, "attendance/"), {"person": member.pk, "present": True}, format="json"
    )

    for response in (listed, recorded):
        assert response.status_code == 404
        assert response.content == missing.content
    assert not Attendance.objects.exists()


# --- the agenda --------------------------------------------------------------------------------


def test_a_coordinator_adds_an_item_and_a_member_suggests_one(personas, seated):
    p = personas
    meeting = schedule(p.coordinator)
    proposal = make_proposal(p.police, "Night van", status="discussion")

    added = api_as(p.coordinator).post(
        url(meeting, "agenda/"),
        {"title": "", "duration_minutes": 15, "proposal": proposal.pk},
        format="json",
    )
    suggested = api_as(p.resident).post(
        url(meeting, "agenda/"), {"title": "Street lighting"}, format="json"
    )

    assert added.status_code == 201, added.content
    assert added.json() | {"id": 0} == {
        "id": 0,
        "status": "accepted",
        "title": "Night van",
        "proposal": {"id": proposal.pk, "title": "Night van"},
        "duration_minutes": 15,
        "suggested_by": None,
        "is_mine": False,
        "hidden": False,
    }
    assert suggested.status_code == 201, suggested.content
    assert (suggested.json()["status"], suggested.json()["is_mine"]) == ("suggested", True)
    police_agenda = api_as(p.police).get(url(meeting)).json()["agenda"]
    assert [row["title"] for row in police_agenda] == ["Night van"]  # not the suggestion
    coordinator_agenda = api_as(p.coordinator).get(url(meeting)).json()["agenda"]
    assert [row["status"] for row in coordinator_agenda] == ["accepted", "suggested"]


def test_a_member_suggests_an_item_without_its_length(personas, seated):
    meeting = schedule(personas.coordinator)

    response = api_as(personas.resident).post(
        url(meeting, "agenda/"), {"title": "Lighting", "duration_minutes": 10}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"duration_minutes": ["Coordinators set how long an item takes."]}
    assert not AgendaItem.objects.exists()


def test_an_item_cannot_link_a_proposal_its_author_cannot_see(personas, seated, caucus_proposal):
    meeting = schedule(personas.coordinator)
    client = api_as(personas.police)

    hidden = client.post(
        url(meeting, "agenda/"), {"title": "x", "proposal": caucus_proposal.pk}, format="json"
    )
    missing = client.post(
        url(meeting, "agenda/"), {"title": "x", "proposal": MISSING}, format="json"
    )

    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["proposal"] == [
        message.replace(str(MISSING), str(caucus_proposal.pk))
        for message in missing.json()["proposal"]
    ]
    assert not AgendaItem.objects.exists()


def test_the_agenda_is_fixed_once_the_meeting_is_cancelled(personas, seated):
    p = personas
    meeting = schedule(p.coordinator)
    services.cancel_meeting(actor=p.coordinator, meeting=meeting)

    for person in (p.coordinator, p.resident):
        response = api_as(person).post(url(meeting, "agenda/"), {"title": "Late"}, format="json")
        assert response.status_code == 400
        assert response.json() == {
            "detail": ["This cannot be done now that the meeting is cancelled."]
        }
    assert not AgendaItem.objects.exists()
    assert Meeting.objects.get().status == MeetingStatus.CANCELLED


# --- query counts ------------------------------------------------------------------------------

# What listing meetings costs, however many there are: the session, the user and their two-step
# devices (2), the caller's person, the count for the page, the page (with its committee and
# community), the visible sectors, and the caller's answers.
LIST_QUERY_BUDGET = 9


def _list_queries(client: APIClient, expected_rows: int) -> int:
    client.get("/api/v1/meetings/")  # warm per-process caches (permission ids) before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/meetings/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == expected_rows
    return len(queries)


def test_the_meeting_list_costs_the_same_queries_for_one_meeting_and_for_ten(
    personas, seated, caucus_coordinator
):
    p = personas
    first = schedule(p.coordinator, "Meeting 0")
    services.rsvp(person=p.experiential, meeting=first, answer="attending")
    one = _list_queries(api_as(p.experiential), 1)

    for number in range(1, 10):
        if number % 3 == 0:
            meeting = schedule(
                caucus_coordinator,
                f"Meeting {number}",
                days=number,
                visibility="sectors",
                sectors=[p.sector("experiential")],
            )
        else:
            meeting = schedule(p.coordinator, f"Meeting {number}", days=number)
        if number % 2:
            services.rsvp(person=p.experiential, meeting=meeting, answer="maybe")
    ten = _list_queries(api_as(p.experiential), 10)

    assert ten == one <= LIST_QUERY_BUDGET
