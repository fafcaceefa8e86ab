"""Meetings through their services and selectors: who schedules, reschedules and cancels them and
what the outbox hears of it; the agenda, answers, attendance, quorum and minutes; and who sees
what: a meeting, an agenda item about a hidden proposal, minutes with their own visibility.
A refusal changes nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from committee import selectors, services
from committee.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Rsvp,
)
from committee.services import notifications
from stakeholders.models import AuditEntry, Person
from tests.conftest import make_person, make_proposal


def schedule(coordinator, title="Monthly meeting", *, days=7, **options) -> Meeting:
    starts = timezone.now() + timedelta(days=days)
    options.setdefault("place", "Old Mill Neighbourhood House")
    options.setdefault("visibility", "committee")
    return services.schedule_meeting(
        actor=coordinator,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        **options,
    )


def let_time_pass(meeting: Meeting, *, started_hours_ago: float = 1, hours: float = 2) -> Meeting:
    """Move a meeting into the past, as if time had passed since it was scheduled."""
    starts = timezone.now() - timedelta(hours=started_hours_ago)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=hours)
    )
    meeting.refresh_from_db()
    return meeting


def audits(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


@pytest.fixture
def outbox_calls(monkeypatch) -> list[tuple]:
    """What the outbox is told, in order, instead of planning rows."""
    calls: list[tuple] = []
    monkeypatch.setattr(
        notifications, "plan_meeting_notifications", lambda meeting: calls.append(("plan", meeting))
    )
    monkeypatch.setattr(
        notifications,
        "meeting_rescheduled",
        lambda meeting, *, old_starts_at: calls.append(("rescheduled", meeting, old_starts_at)),
    )
    monkeypatch.setattr(
        notifications, "meeting_cancelled", lambda meeting: calls.append(("cancelled", meeting))
    )
    return calls


@pytest.fixture
def caucus_coordinator(personas) -> Person:
    """A coordinator from the experiential sector, who may hold a caucus meeting."""
    return make_person(
        personas.community, "ruby", sector_keys=("experiential",), role="coordinator"
    )


@pytest.fixture
def caucus_meeting(personas, seated, caucus_coordinator) -> Meeting:
    return schedule(
        caucus_coordinator,
        "Caucus: our own meeting",
        visibility="sectors",
        sectors=[personas.sector("experiential")],
    )


@pytest.fixture
def caucus_proposal(personas, seated):
    return make_proposal(
        personas.experiential,
        "Share bad-date reports only with consent",
        status="discussion",
        visibility="sectors",
        sectors=[personas.sector("experiential")],
    )


# --- scheduling --------------------------------------------------------------------------------


def test_a_coordinator_schedules_a_meeting_and_the_outbox_plans_it(personas, outbox_calls):
    meeting = schedule(personas.coordinator, online_link="https://meet.example.org/riverside")

    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.sequence == 0
    assert meeting.committee.community == personas.community
    assert outbox_calls == [("plan", meeting)]
    assert audits("meeting.schedule") == 1


def test_members_do_not_schedule_meetings(personas, outbox_calls):
    with pytest.raises(ValidationError):
        schedule(personas.police)

    assert not Meeting.objects.exists()
    assert outbox_calls == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_before": True}, "ends_at"),
        ({"days": -1}, "starts_at"),
        ({"place": "", "online_link": ""}, "place"),
        ({"place": "", "online_link": "javascript:alert(1)"}, "online_link"),
        ({"title": "  "}, "title"),
    ],
    ids=["ends-before-it-starts", "starts-in-the-past", "nowhere", "not-a-link", "no-title"],
)
def test_a_meeting_needs_a_future_start_an_end_after_it_a_title_and_a_place_or_link(
    personas, outbox_calls, change, field
):
    starts = timezone.now() + timedelta(days=change.pop("days", 7))
    ends = (
        starts - timedelta(hours=1)
        if change.pop("ends_before", False)
        else starts + timedelta(hours=2)
    )
    options = {"title": "Monthly meeting", "place": "Old Mill", "online_link": "", **change}
    with pytest.raises(ValidationError) as refused:
        services.schedule_meeting(
            actor=personas.coordinator,
            starts_at=starts,
            ends_at=ends,
            visibility="committee",
            **options,
        )

    assert field in refused.value.message_dict
    assert not Meeting.objects.exists()
    assert outbox_calls == []


def test_an_online_link_alone_is_a_place_to_meet(personas):
    meeting = schedule(personas.coordinator, place="", online_link="https://meet.example.org/r")

    assert meeting.online_link == "https://meet.example.org/r"


def test_only_a_coordinator_of_the_caucus_makes_a_caucus_meeting(personas, caucus_coordinator):
    with pytest.raises(ValidationError):
        schedule(
            personas.coordinator,  # not in the experiential sector
            visibility="sectors",
            sectors=[personas.sector("experiential")],
        )
    assert not Meeting.objects.exists()

    meeting = schedule(
        caucus_coordinator, visibility="sectors", sectors=[personas.sector("experiential")]
    )
    assert meeting.visibility == "sectors"


def test_a_failing_outbox_leaves_no_meeting_behind(personas, monkeypatch):
    def broken(meeting):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(notifications, "plan_meeting_notifications", broken)
    with pytest.raises(RuntimeError):
        schedule(personas.coordinator)

    assert not Meeting.objects.exists()


# --- rescheduling, cancelling, holding ---------------------------------------------------------


def reschedule(actor, meeting, **changes) -> Meeting:
    fields = {
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "online_link": meeting.online_link,
        **changes,
    }
    return services.reschedule_meeting(actor=actor, meeting=meeting, **fields)


def test_a_new_time_keeps_the_uid_adds_to_the_sequence_and_tells_the_outbox(personas, outbox_calls):
    meeting = schedule(personas.coordinator)
    uid, old_start = meeting.uid, meeting.starts_at

    moved = reschedule(
        personas.coordinator,
        meeting,
        starts_at=old_start + timedelta(days=1),
        ends_at=meeting.ends_at + timedelta(days=1),
    )

    moved.refresh_from_db()
    assert moved.uid == uid
    assert moved.sequence == 1
    assert moved.starts_at == old_start + timedelta(days=1)
    assert outbox_calls[1:] == [("rescheduled", moved, old_start)]
    assert audits("meeting.reschedule") == 1

    again = reschedule(personas.coordinator, moved, ends_at=moved.ends_at + timedelta(hours=1))
    assert (again.uid, again.sequence) == (uid, 2)
    assert [call[0] for call in outbox_calls] == ["plan", "rescheduled", "rescheduled"]


def test_a_new_place_or_title_adds_to_the_sequence_without_a_reschedule_notice(
    personas, outbox_calls
):
    meeting = schedule(personas.coordinator)

    changed = reschedule(personas.coordinator, meeting, place="City Hall, room 3", title="Retreat")

    changed.refresh_from_db()
    assert (changed.place, changed.title, changed.sequence) == ("City Hall, room 3", "Retreat", 1)
    assert [call[0] for call in outbox_calls] == ["plan"]
    assert audits("meeting.update") == 1


def test_saving_the_meeting_unchanged_changes_nothing(personas, outbox_calls):
    meeting = schedule(personas.coordinator)
    before = AuditEntry.objects.count()

    same = reschedule(personas.coordinator, meeting)

    assert same.sequence == 0
    assert AuditEntry.objects.count() == before
    assert [call[0] for call in outbox_calls] == ["plan"]


def test_a_new_time_must_be_in_the_future(personas, outbox_calls):
    meeting = schedule(personas.coordinator)
    earlier = timezone.now() - timedelta(hours=3)

    with pytest.raises(ValidationError) as refused:
        reschedule(
            personas.coordinator, meeting, starts_at=earlier, ends_at=earlier + timedelta(hours=1)
        )

    assert "starts_at" in refused.value.message_dict
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    assert [call[0] for call in outbox_calls] == ["plan"]


def test_members_do_not_reschedule_or_cancel(personas, seated, outbox_calls):
    meeting = schedule(personas.coordinator)

    with pytest.raises(ValidationError):
        reschedule(personas.police, meeting, place="Elsewhere")
    with pytest.raises(ValidationError):
        services.cancel_meeting(actor=personas.police, meeting=meeting)
    with pytest.raises(ValidationError):
        services.cancel_meeting(actor=seated.observer, meeting=meeting)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.place, meeting.sequence) == (
        "scheduled",
        "Old Mill Neighbourhood House",
        0,
    )
    assert [call[0] for call in outbox_calls] == ["plan"]


def test_cancelling_adds_to_the_sequence_tells_the_outbox_and_happens_once(personas, outbox_calls):
    meeting = schedule(personas.coordinator)

    cancelled = services.cancel_meeting(actor=personas.coordinator, meeting=meeting)

    assert (cancelled.status, cancelled.sequence, cancelled.uid) == (
        "cancelled",
        1,
        meeting.uid,
    )
    assert outbox_calls[1:] == [("cancelled", cancelled)]
    with pytest.raises(ValidationError):
        services.cancel_meeting(actor=personas.coordinator, meeting=meeting)
    with pytest.raises(ValidationError):
        reschedule(personas.coordinator, meeting, place="Elsewhere")
    cancelled.refresh_from_db()
    assert cancelled.sequence == 1
    assert len(outbox_calls) == 2


def test_a_meeting_is_marked_held_once_it_has_started(personas):
    meeting = schedule(personas.coordinator)

    with pytest.raises(ValidationError):
        services.mark_meeting_held(actor=personas.coordinator, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"

    let_time_pass(meeting)
    held = services.mark_meeting_held(actor=personas.coordinator, meeting=meeting)
    assert held.status == "held"
    with pytest.raises(ValidationError):
        services.mark_meeting_held(actor=personas.coordinator, meeting=meeting)


def test_nobody_changes_a_meeting_they_cannot_see(outbox_calls, personas, caucus_meeting):
    for outsider_of_the_caucus in (personas.coordinator, personas.outsider, personas.admin):
        with pytest.raises(Http404):
            reschedule(outsider_of_the_caucus, caucus_meeting, place="Elsewhere")
        with pytest.raises(Http404):
            services.cancel_meeting(actor=outsider_of_the_caucus, meeting=caucus_meeting)

    caucus_meeting.refresh_from_db()
    assert (caucus_meeting.status, caucus_meeting.sequence) == ("scheduled", 0)
    assert [call[0] for call in outbox_calls] == ["plan"]


# --- the agenda --------------------------------------------------------------------------------


def accepted_titles(user, meeting) -> list[str | None]:
    return [row.title for row in selectors.agenda_for(user, meeting) if row.status == "accepted"]


def test_a_coordinator_builds_the_agenda_in_order_and_moves_items(personas):
    meeting = schedule(personas.coordinator)
    coordinator = personas.coordinator
    welcome, budget, round_table = (
        services.add_agenda_item(
            actor=coordinator, meeting=meeting, title=title, duration_minutes=m
        )
        for title, m in [("Welcome", 10), ("Budget", 30), ("Round table", None)]
    )
    user = personas.police.user
    assert accepted_titles(user, meeting) == ["Welcome", "Budget", "Round table"]

    services.move_agenda_item(actor=coordinator, item=round_table, direction="up")
    assert accepted_titles(user, meeting) == ["Welcome", "Round table", "Budget"]
    services.move_agenda_item(actor=coordinator, item=welcome, direction="up")  # already first
    services.move_agenda_item(actor=coordinator, item=welcome, direction="down")
    assert accepted_titles(user, meeting) == ["Round table", "Welcome", "Budget"]

    services.remove_agenda_item(actor=coordinator, item=budget)
    assert accepted_titles(user, meeting) == ["Round table", "Welcome"]
    assert [row.duration_minutes for row in selectors.agenda_for(user, meeting)] == [None, 10]


def test_an_item_about_a_proposal_takes_its_title_when_left_blank(personas, seated):
    meeting = schedule(personas.coordinator)
    proposal = make_proposal(personas.police, "Patrols away from van stops", status="discussion")

    item = services.add_agenda_item(
        actor=personas.coordinator, meeting=meeting, title="", proposal=proposal
    )

    assert item.title == "Patrols away from van stops"
    [row] = selectors.agenda_for(personas.health.user, meeting)
    assert (row.title, row.proposal, row.hidden) == (item.title, proposal, False)


def test_an_item_links_only_a_proposal_of_this_committee_that_its_author_can_see(
    personas, seated, caucus_proposal
):
    meeting = schedule(personas.coordinator)
    elsewhere = make_proposal(personas.outsider, "Harbourview's own proposal", status="discussion")

    refusals = []
    for proposal in (caucus_proposal, elsewhere):
        with pytest.raises(ValidationError) as refused:
            services.add_agenda_item(
                actor=personas.coordinator, meeting=meeting, title="Item", proposal=proposal
            )
        refusals.append(refused.value.message_dict)

    assert refusals[0] == refusals[1]  # a hidden proposal is refused as one that is not there
    assert not AgendaItem.objects.exists()


def test_suggestions_are_seen_by_coordinators_and_their_suggester_only(personas, seated):
    meeting = schedule(personas.coordinator)

    from_observer = services.suggest_agenda_item(
        person=seated.observer, meeting=meeting, title="Youth hours in summer"
    )
    services.suggest_agenda_item(person=personas.resident, meeting=meeting, title="Noise at night")

    def suggestions(person) -> set[str]:
        return {row.title for row in selectors.agenda_for(person.user, meeting)}

    assert from_observer.status == "suggested"
    assert suggestions(personas.coordinator) == {"Youth hours in summer", "Noise at night"}
    assert suggestions(seated.observer) == {"Youth hours in summer"}
    assert suggestions(personas.resident) == {"Noise at night"}
    assert suggestions(personas.police) == set()
    with pytest.raises(Http404):
        selectors.get_agenda_item(personas.police.user, meeting, from_observer.pk)


def test_accepting_puts_a_suggestion_last_and_declining_leaves_it_to_its_suggester(personas):
    meeting = schedule(personas.coordinator)
    coordinator = personas.coordinator
    services.add_agenda_item(actor=coordinator, meeting=meeting, title="Welcome")
    first = services.suggest_agenda_item(person=personas.health, meeting=meeting, title="Naloxone")
    second = services.suggest_agenda_item(person=personas.health, meeting=meeting, title="Nurses")
    services.add_agenda_item(actor=coordinator, meeting=meeting, title="Round table")

    services.accept_agenda_item(actor=coordinator, item=first)
    services.decline_agenda_item(actor=coordinator, item=second)

    assert accepted_titles(personas.police.user, meeting) == ["Welcome", "Round table", "Naloxone"]
    health_rows = {
        row.title: row.status for row in selectors.agenda_for(personas.health.user, meeting)
    }
    assert health_rows["Nurses"] == "declined"
    assert "Nurses" not in {
        row.title for row in selectors.agenda_for(personas.police.user, meeting)
    }
    with pytest.raises(ValidationError):
        services.decline_agenda_item(actor=coordinator, item=first)  # already on the agenda


def test_members_do_not_accept_decline_move_or_remove_items(personas):
    meeting = schedule(personas.coordinator)
    item = services.add_agenda_item(actor=personas.coordinator, meeting=meeting, title="Welcome")
    other = services.add_agenda_item(actor=personas.coordinator, meeting=meeting, title="Budget")
    suggestion = services.suggest_agenda_item(
        person=personas.business, meeting=meeting, title="Lighting"
    )
    snapshot = list(AgendaItem.objects.values_list("pk", "status", "position"))

    for attempt in (
        lambda: services.accept_agenda_item(actor=personas.police, item=suggestion),
        lambda: services.decline_agenda_item(actor=personas.police, item=suggestion),
        lambda: services.move_agenda_item(actor=personas.police, item=other, direction="up"),
        lambda: services.remove_agenda_item(actor=personas.police, item=item),
        lambda: services.remove_agenda_item(actor=personas.police, item=suggestion),
        lambda: services.remove_agenda_item(actor=personas.business, item=item),
    ):
        with pytest.raises(ValidationError):
            attempt()

    assert list(AgendaItem.objects.values_list("pk", "status", "position")) == snapshot
    services.remove_agenda_item(actor=personas.business, item=suggestion)  # their own
    assert not AgendaItem.objects.filter(pk=suggestion.pk).exists()


def test_the_agenda_is_fixed_once_the_meeting_is_held_or_cancelled(personas):
    held = let_time_pass(schedule(personas.coordinator, "Held"))
    services.mark_meeting_held(actor=personas.coordinator, meeting=held)
    cancelled = schedule(personas.coordinator, "Off")
    services.cancel_meeting(actor=personas.coordinator, meeting=cancelled)

    for meeting in (held, cancelled):
        with pytest.raises(ValidationError):
            services.add_agenda_item(actor=personas.coordinator, meeting=meeting, title="Late")
        with pytest.raises(ValidationError):
            services.suggest_agenda_item(person=personas.police, meeting=meeting, title="Late")
    assert not AgendaItem.objects.exists()


# --- answers and attendance --------------------------------------------------------------------


def test_a_member_answers_and_changes_their_answer(personas):
    meeting = schedule(personas.coordinator)

    services.rsvp(person=personas.police, meeting=meeting, answer="attending")
    services.rsvp(person=personas.police, meeting=meeting, answer="attending")
    services.rsvp(person=personas.police, meeting=meeting, answer="maybe")

    assert selectors.my_rsvp(personas.police, meeting).answer == "maybe"
    assert Rsvp.objects.count() == 1
    assert audits("meeting.rsvp") == 2  # the same answer again is not a change


def test_answers_close_when_the_meeting_ends_or_is_cancelled(personas):
    ended = let_time_pass(schedule(personas.coordinator, "Ended"), started_hours_ago=3)
    cancelled = schedule(personas.coordinator, "Off")
    services.cancel_meeting(actor=personas.coordinator, meeting=cancelled)
    under_way = let_time_pass(schedule(personas.coordinator, "Under way"), started_hours_ago=0.5)

    for meeting in (ended, cancelled):
        with pytest.raises(ValidationError):
            services.rsvp(person=personas.police, meeting=meeting, answer="attending")
    services.rsvp(person=personas.police, meeting=under_way, answer="attending")
    with pytest.raises(ValidationError):
        services.rsvp(person=personas.police, meeting=under_way, answer="present")

    assert list(Rsvp.objects.values_list("meeting__title", "answer")) == [
        ("Under way", "attending")
    ]


def test_nobody_answers_for_a_meeting_they_cannot_see(personas, caucus_meeting):
    for person in (personas.police, personas.admin, personas.outsider, personas.coordinator):
        with pytest.raises(Http404):
            services.rsvp(person=person, meeting=caucus_meeting, answer="attending")

    services.rsvp(person=personas.experiential_peer, meeting=caucus_meeting, answer="attending")
    assert list(Rsvp.objects.values_list("person__display_name", flat=True)) == ["Rosa"]


def test_attendance_is_recorded_once_the_meeting_has_started_for_its_people_only(
    personas, caucus_meeting, caucus_coordinator
):
    with pytest.raises(ValidationError):
        services.record_attendance(
            actor=caucus_coordinator,
            meeting=caucus_meeting,
            person=personas.experiential,
            present=True,
        )
    let_time_pass(caucus_meeting)
    with pytest.raises(ValidationError):  # police may not see the caucus meeting
        services.record_attendance(
            actor=caucus_coordinator, meeting=caucus_meeting, person=personas.police, present=True
        )
    with pytest.raises(ValidationError):  # only coordinators record it
        services.record_attendance(
            actor=personas.experiential_peer,
            meeting=caucus_meeting,
            person=personas.experiential,
            present=True,
        )
    assert not Attendance.objects.exists()

    services.record_attendance(
        actor=caucus_coordinator, meeting=caucus_meeting, person=personas.experiential, present=True
    )
    assert list(Attendance.objects.values_list("person__display_name", "present")) == [
        ("Jade", True)
    ]


# --- quorum ------------------------------------------------------------------------------------


def test_quorum_shows_each_seated_sector_from_the_answers_then_from_the_attendance(
    personas, seated
):
    meeting = schedule(personas.coordinator)
    services.rsvp(person=personas.police, meeting=meeting, answer="attending")
    services.rsvp(person=personas.resident, meeting=meeting, answer="not_attending")
    services.rsvp(person=personas.business, meeting=meeting, answer="maybe")

    def presence() -> dict[str, str]:
        return {row.sector.key: row.presence for row in selectors.quorum(meeting)}

    assert presence() == {
        "experiential": "no_word",
        "sex-worker-services": "no_word",
        "law-enforcement": "attending",
        "health": "no_word",
        "residents": "regrets",
        "business": "maybe",
    }

    let_time_pass(meeting)
    for person, present in [(personas.police_colleague, True), (personas.health, False)]:
        services.record_attendance(
            actor=personas.coordinator, meeting=meeting, person=person, present=present
        )
    now = presence()
    assert now["law-enforcement"] == "present"  # the alternate came for the seat
    assert now["residents"] == "regrets"
    assert now["business"] == "absent"
    assert now["health"] == "absent"


def test_a_caucus_meetings_quorum_counts_only_the_sectors_it_is_for(
    personas, seated, caucus_meeting
):
    assert [row.sector.key for row in selectors.quorum(caucus_meeting)] == ["experiential"]


# --- minutes -----------------------------------------------------------------------------------


def test_a_coordinator_writes_draft_minutes_and_rewrites_them(personas, seated):
    meeting = let_time_pass(schedule(personas.coordinator))
    proposal = make_proposal(personas.police, "Patrols away from van stops", status="discussion")

    minutes = services.write_minutes(
        actor=personas.coordinator,
        meeting=meeting,
        body="### Van stops\n\nAgreed in principle.",
        visibility="committee",
        decisions=[(proposal, "Patrols keep away"), (None, "Meet monthly")],
        action_items=[("Book the hall", personas.resident, None)],
    )
    assert minutes.status == MinutesStatus.DRAFT
    assert [d.text for d in minutes.decisions.all()] == ["Patrols keep away", "Meet monthly"]

    services.write_minutes(
        actor=personas.coordinator,
        meeting=meeting,
        body="### Van stops\n\nAgreed.",
        visibility="committee",
        decisions=[(None, "Meet monthly")],
    )
    minutes.refresh_from_db()
    assert minutes.body.endswith("Agreed.")
    assert [d.text for d in minutes.decisions.all()] == ["Meet monthly"]
    assert not minutes.action_items.exists()
    assert Minutes.objects.count() == 1
    assert (audits("minutes.write"), audits("minutes.update")) == (1, 1)


def test_minutes_wait_for_the_meeting_and_only_coordinators_write_them(personas):
    meeting = schedule(personas.coordinator)
    write = dict(meeting=meeting, body="Notes", visibility="committee")

    with pytest.raises(ValidationError):
        services.write_minutes(actor=personas.coordinator, **write)
    let_time_pass(meeting)
    with pytest.raises(ValidationError):
        services.write_minutes(actor=personas.police, **write)

    assert not Minutes.objects.exists()


def test_a_decision_links_only_a_proposal_its_writer_can_see(personas, seated, caucus_proposal):
    meeting = let_time_pass(schedule(personas.coordinator))

    with pytest.raises(ValidationError) as refused:
        services.write_minutes(
            actor=personas.coordinator,
            meeting=meeting,
            body="Notes",
            visibility="committee",
            decisions=[(caucus_proposal, "The caucus decided")],
        )

    assert "decisions" in refused.value.message_dict
    assert not Minutes.objects.exists()


def test_minutes_are_approved_at_a_later_meeting_under_way_and_then_frozen(personas):
    coordinator = personas.coordinator
    first = let_time_pass(schedule(coordinator, "First"), started_hours_ago=24 * 30)
    later = schedule(coordinator, "Later")
    minutes = services.write_minutes(
        actor=coordinator, meeting=first, body="Notes", visibility="committee"
    )

    with pytest.raises(ValidationError):  # the later meeting has not started
        services.approve_minutes(actor=coordinator, minutes=minutes, at_meeting=later)
    with pytest.raises(ValidationError):  # not at the meeting itself
        services.approve_minutes(actor=coordinator, minutes=minutes, at_meeting=first)
    let_time_pass(later, started_hours_ago=0.5)
    with pytest.raises(ValidationError):
        services.approve_minutes(actor=personas.police, minutes=minutes, at_meeting=later)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT

    services.approve_minutes(actor=coordinator, minutes=minutes, at_meeting=later)

    minutes.refresh_from_db()
    assert (minutes.status, minutes.approved_at_meeting) == (MinutesStatus.APPROVED, later)
    with pytest.raises(ValidationError):
        services.write_minutes(actor=coordinator, meeting=first, body="New", visibility="committee")
    with pytest.raises(ValidationError):
        services.approve_minutes(actor=coordinator, minutes=minutes, at_meeting=later)
    minutes.refresh_from_db()
    assert minutes.body == "Notes"


# --- who sees what -----------------------------------------------------------------------------


def test_a_caucus_meeting_exists_only_for_the_caucus(personas, seated, caucus_meeting):
    readers = {personas.experiential, personas.experiential_peer}
    everyone = [
        personas.experiential,
        personas.experiential_peer,
        personas.police,
        personas.resident,
        personas.coordinator,
        personas.admin,
        personas.outsider,
        seated.observer,
    ]
    for person in everyone:
        sees = selectors.meetings_for(person.user).filter(pk=caucus_meeting.pk).exists()
        assert sees == (person in readers), person
        if person not in readers:
            with pytest.raises(Http404):
                selectors.get_meeting(person.user, caucus_meeting.pk)
            assert caucus_meeting not in selectors.upcoming_meetings_for(person.user)


def test_police_see_a_caucus_item_without_its_title_or_link(personas, seated, caucus_proposal):
    meeting = schedule(personas.coordinator)
    item = services.suggest_agenda_item(
        person=personas.experiential, meeting=meeting, title="", proposal=caucus_proposal
    )
    services.accept_agenda_item(actor=personas.coordinator, item=item)

    [for_police] = selectors.agenda_for(personas.police.user, meeting)
    assert (for_police.hidden, for_police.title, for_police.proposal) == (True, None, None)
    assert for_police.suggested_by is None
    [for_caucus] = selectors.agenda_for(personas.experiential_peer.user, meeting)
    assert (for_caucus.hidden, for_caucus.title) == (False, caucus_proposal.title)
    assert for_caucus.proposal == caucus_proposal


def test_minutes_for_coordinators_are_hidden_from_members_of_a_meeting_they_see(personas, seated):
    meeting = let_time_pass(schedule(personas.coordinator))
    minutes = services.write_minutes(
        actor=personas.coordinator, meeting=meeting, body="Confidential", visibility="coordinators"
    )

    assert selectors.get_meeting(personas.police.user, meeting.pk) == meeting
    assert selectors.minutes_for(personas.police.user, meeting) is None
    assert selectors.minutes_for(seated.observer.user, meeting) is None
    assert selectors.minutes_for(personas.coordinator.user, meeting) == minutes


def test_minutes_shared_widely_still_reach_only_their_meetings_readers(
    personas, seated, caucus_meeting, caucus_coordinator
):
    let_time_pass(caucus_meeting)
    services.write_minutes(
        actor=caucus_coordinator,
        meeting=caucus_meeting,
        body="Caucus notes",
        visibility="committee",
    )

    assert selectors.minutes_for(personas.police.user, caucus_meeting) is None
    assert selectors.minutes_for(personas.experiential.user, caucus_meeting) is not None


def test_decisions_link_only_the_proposals_the_reader_can_see(personas, seated, caucus_proposal):
    meeting = let_time_pass(schedule(personas.coordinator))
    minutes = services.write_minutes(
        actor=personas.coordinator, meeting=meeting, body="Notes", visibility="committee"
    )
    # The decision was recorded by someone who could see the proposal (the caucus's author).
    minutes.decisions.create(proposal=caucus_proposal, text="The caucus reported back")

    def links(person):
        rows = selectors.decisions_of(person.user, selectors.minutes_for(person.user, meeting))
        return [(row.text, row.proposal) for row in rows]

    assert links(personas.police) == [("The caucus reported back", None)]
    assert links(personas.experiential) == [("The caucus reported back", caucus_proposal)]


def test_upcoming_and_past_meetings(personas):
    past = let_time_pass(schedule(personas.coordinator, "Past"), started_hours_ago=48)
    soon = schedule(personas.coordinator, "Soon", days=2)
    later = schedule(personas.coordinator, "Later", days=9)
    off = schedule(personas.coordinator, "Off", days=3)
    services.cancel_meeting(actor=personas.coordinator, meeting=off)
    user = personas.police.user

    assert list(selectors.upcoming_meetings_for(user)) == [soon, later]
    assert list(selectors.upcoming_meetings_for(user, include_cancelled=True)) == [soon, off, later]
    assert list(selectors.past_meetings_for(user)) == [past]


# --- the demo ----------------------------------------------------------------------------------


def test_the_demo_has_a_meeting_next_week_and_one_held_with_draft_minutes(db):
    call_command("seed_demo", stdout=StringIO())
    police = Person.objects.get(user__username="demo-police").user
    experiential = Person.objects.get(user__username="demo-experiential").user

    [upcoming] = selectors.upcoming_meetings_for(police)
    assert timedelta(days=6) < upcoming.starts_at - timezone.now() < timedelta(days=8)
    police_agenda = selectors.agenda_for(police, upcoming)
    caucus_title = "Share bad-date reports with police only with consent"
    assert [row.hidden for row in police_agenda].count(True) == 1
    assert caucus_title not in {row.title for row in police_agenda}
    assert caucus_title in {row.title for row in selectors.agenda_for(experiential, upcoming)}
    assert "Outreach van stops on the Eastside at night" in {row.title for row in police_agenda}

    [past] = selectors.past_meetings_for(police)
    assert past.status == "held"
    assert selectors.minutes_for(police, past).status == "draft"

    counts = (Meeting.objects.count(), AgendaItem.objects.count(), Minutes.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Meeting.objects.count(), AgendaItem.objects.count(), Minutes.objects.count()) == counts
