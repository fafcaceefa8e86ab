"""Writes about meetings: scheduling, rescheduling and cancelling them, their agenda, answers
(RSVP), attendance and minutes.

Every function checks that the actor may see the meeting first (a meeting they may not see does
not exist for them: Http404, as in pages), then who may act (coordinators, unless said), then
the rules below; a refusal changes nothing. Each change is audit-logged, and the outbox hears of
scheduling, rescheduling and cancelling in the same transaction (`notifications`).

What counts as a change for calendars and for people:
- Any change a calendar shows (title, start, end, place, online link, cancelling) adds one to
  `sequence` (iCalendar SEQUENCE); `uid` never changes.
- Only a change of time (start or end) is a "rescheduled" notice and replaces the reminders
  (`notifications.meeting_rescheduled`). A new title, place or link reaches calendars through
  their feeds, and reminders that go out later carry the place as it is then; nobody is
  notified of it on its own.
- The agenda changes only while the meeting is scheduled. Attendance and minutes are recorded
  once it has started (and never for a cancelled one); answers are taken until it ends.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders.models import Person, Sector
from stakeholders.selectors import people_who_can_see
from stakeholders.services import record_audit, save_visible_record

from .. import selectors
from ..models import (
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesActionItem,
    MinutesDecision,
    MinutesStatus,
    Proposal,
    Rsvp,
    RsvpAnswer,
)
from . import amendments, notifications
from .access import is_coordinator_of, require_coordinator
from .members import ensure_committee

# The longest an agenda item may be planned for, in minutes.
MAX_ITEM_MINUTES = 600


# --- shared checks -----------------------------------------------------------------------------


def _require_visible(person: Person, meeting: Meeting) -> None:
    """A meeting the person may not see does not exist for them, in services as in pages."""
    if not selectors.meetings_for(person.user).filter(pk=meeting.pk).exists():
        raise Http404


def _require_coordinator_of(actor: Person, meeting: Meeting) -> None:
    _require_visible(actor, meeting)
    require_coordinator(actor, meeting.community_id)


def _lock(meeting: Meeting) -> Meeting:
    """Re-read the meeting under a row lock: changes to one meeting (and its agenda, answers
    and minutes) are serialized."""
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("committee", "community")
        .get(pk=meeting.pk)
    )


def _require_scheduled(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(
            _("This cannot be done now that the meeting is %(status)s.")
            % {"status": meeting.get_status_display().lower()}
        )


def has_started(meeting: Meeting, *, now: datetime | None = None) -> bool:
    return meeting.starts_at <= (now or timezone.now())


def takes_answers(meeting: Meeting, *, now: datetime | None = None) -> bool:
    """Answers (RSVP) are taken while the meeting is scheduled and has not ended."""
    return meeting.status == MeetingStatus.SCHEDULED and meeting.ends_at > (now or timezone.now())


def is_under_way_or_held(meeting: Meeting, *, now: datetime | None = None) -> bool:
    """Attendance and minutes belong to a meeting that has started and was not cancelled."""
    return meeting.status != MeetingStatus.CANCELLED and has_started(meeting, now=now)


def _require_proposal_for(person: Person, meeting: Meeting, proposal: Proposal | None, field: str):
    """A linked proposal must be one of this committee that the person may see. The message is
    the same for a hidden proposal and a missing one."""
    if proposal is None:
        return
    visible = selectors.proposals_for(person.user).filter(
        pk=proposal.pk, committee_id=meeting.committee_id
    )
    if not visible.exists():
        raise ValidationError({field: _("Choose a proposal of this committee that you can see.")})


def meeting_steps(actor: Person | None, meeting: Meeting) -> frozenset[str]:
    """What `actor` may do to the meeting as it is now, by the rules the services enforce:
    "edit", "cancel", "held", "agenda", "attendance", "minutes" (coordinators), "rsvp" and
    "suggest" (committee members). Pages show only these controls; the services stay the gate.
    The caller has the meeting from a selector, so the actor may see it."""
    if actor is None or not actor.is_committee_member:
        return frozenset()
    steps = set()
    scheduled = meeting.status == MeetingStatus.SCHEDULED
    if scheduled:
        steps.add("suggest")
    if takes_answers(meeting):
        steps.add("rsvp")
    if is_coordinator_of(actor, meeting.community_id):
        if scheduled:
            steps |= {"edit", "cancel", "agenda"}
            if has_started(meeting):
                steps.add("held")
        if is_under_way_or_held(meeting):
            steps |= {"attendance", "minutes"}
    return frozenset(steps)


# --- scheduling --------------------------------------------------------------------------------


def _clean_meeting(
    *,
    title: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    place: str,
    online_link: str,
    new_time: bool,
) -> tuple[str, str, str]:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the meeting a title.")
    if starts_at is None:
        errors["starts_at"] = _("Choose when the meeting starts.")
    elif new_time and starts_at <= timezone.now():
        errors["starts_at"] = _("Choose a start in the future.")
    if ends_at is None:
        errors["ends_at"] = _("Choose when the meeting ends.")
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if not place.strip() and not online_link.strip():
        errors["place"] = _("Give a place, an online link, or both.")
    if errors:
        raise ValidationError(errors)
    return title.strip(), place.strip(), online_link.strip()


def _calendar_fields(meeting: Meeting) -> dict:
    return {
        "title": meeting.title,
        "starts_at": meeting.starts_at.astimezone(UTC).isoformat(),
        "ends_at": meeting.ends_at.astimezone(UTC).isoformat(),
        "place": meeting.place,
        "online_link": meeting.online_link,
    }


@transaction.atomic
def schedule_meeting(
    *,
    actor: Person,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    online_link: str = "",
    visibility: str,
    sectors: Iterable[Sector] = (),
) -> Meeting:
    """A coordinator schedules a meeting of their community's committee. Its visibility is
    chosen as for any record (a caucus meeting needs the coordinator's own sectors); the outbox
    plans its reminders."""
    require_coordinator(actor, actor.community_id)
    title, place, online_link = _clean_meeting(
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_link=online_link,
        new_time=True,
    )
    meeting = Meeting(
        community_id=actor.community_id,
        committee=ensure_committee(community=actor.community),
        author=actor,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_link=online_link,
    )
    save_visible_record(record=meeting, author=actor, visibility=visibility, sectors=sectors)
    record_audit(
        action="meeting.schedule",
        actor=actor,
        community=meeting.community,
        target=meeting,
        changes=_calendar_fields(meeting),
    )
    notifications.plan_meeting_notifications(meeting)
    return meeting


@transaction.atomic
def reschedule_meeting(
    *,
    actor: Person,
    meeting: Meeting,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    online_link: str,
    title: str | None = None,
) -> Meeting:
    """Change a scheduled meeting's time, place, link or title (None keeps the title). Any
    change adds one to `sequence`; a change of time must be to the future and tells the outbox
    (`meeting_rescheduled`), which replaces the reminders. Nothing changed: nothing happens."""
    _require_coordinator_of(actor, meeting)
    meeting = _lock(meeting)
    _require_scheduled(meeting)
    time_changed = (starts_at, ends_at) != (meeting.starts_at, meeting.ends_at)
    title, place, online_link = _clean_meeting(
        title=meeting.title if title is None else title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_link=online_link,
        new_time=time_changed,
    )
    before = _calendar_fields(meeting)
    old_starts_at = meeting.starts_at
    meeting.title, meeting.place, meeting.online_link = title, place, online_link
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    if _calendar_fields(meeting) == before:
        return meeting
    meeting.sequence += 1
    meeting.full_clean(exclude=["visible_sectors"])
    meeting.save()
    record_audit(
        action="meeting.reschedule" if time_changed else "meeting.update",
        actor=actor,
        community=meeting.community,
        target=meeting,
        changes={"before": before, "after": _calendar_fields(meeting)},
    )
    if time_changed:
        notifications.meeting_rescheduled(meeting, old_starts_at=old_starts_at)
    return meeting


@transaction.atomic
def cancel_meeting(*, actor: Person, meeting: Meeting) -> Meeting:
    """Call off a scheduled meeting. It stays listed as cancelled; the outbox cancels its
    reminders and tells its people."""
    _require_coordinator_of(actor, meeting)
    meeting = _lock(meeting)
    _require_scheduled(meeting)
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    record_audit(action="meeting.cancel", actor=actor, community=meeting.community, target=meeting)
    notifications.meeting_cancelled(meeting)
    return meeting


@transaction.atomic
def mark_meeting_held(*, actor: Person, meeting: Meeting) -> Meeting:
    """Record that a scheduled meeting took place (once it has started)."""
    _require_coordinator_of(actor, meeting)
    meeting = _lock(meeting)
    _require_scheduled(meeting)
    if not has_started(meeting):
        raise ValidationError(_("A meeting can be marked as held once it has started."))
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    record_audit(action="meeting.held", actor=actor, community=meeting.community, target=meeting)
    return meeting


# --- the agenda --------------------------------------------------------------------------------


def _clean_item(
    title: str, proposal: Proposal | None, duration_minutes: int | None = None
) -> tuple[str, int | None]:
    title = title.strip() or (proposal.title if proposal is not None else "")
    errors = {}
    if not title:
        errors["title"] = _("Say what the item is, or choose a proposal.")
    if duration_minutes is not None and not 1 <= duration_minutes <= MAX_ITEM_MINUTES:
        errors["duration_minutes"] = _("Give a length from 1 to %(max)s minutes.") % {
            "max": MAX_ITEM_MINUTES
        }
    if errors:
        raise ValidationError(errors)
    return title[:200], duration_minutes


def _next_position(meeting: Meeting) -> int:
    last = meeting.agenda.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _item_changes(item: AgendaItem) -> dict:
    return {"meeting": item.meeting_id, "item": item.pk, "proposal": item.proposal_id}


@transaction.atomic
def add_agenda_item(
    *,
    actor: Person,
    meeting: Meeting,
    title: str,
    duration_minutes: int | None = None,
    proposal: Proposal | None = None,
) -> AgendaItem:
    """A coordinator adds an item at the end of the agenda. A blank title with a proposal takes
    the proposal's title (those who may not see the proposal never see it)."""
    _require_coordinator_of(actor, meeting)
    meeting = _lock(meeting)
    _require_scheduled(meeting)
    _require_proposal_for(actor, meeting, proposal, "proposal")
    title, duration_minutes = _clean_item(title, proposal, duration_minutes)
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        title=title,
        duration_minutes=duration_minutes,
        proposal=proposal,
        status=AgendaItemStatus.ACCEPTED,
    )
    record_audit(
        action="agenda.add",
        actor=actor,
        community=meeting.community,
        target=item,
        changes=_item_changes(item),
    )
    return item


@transaction.atomic
def suggest_agenda_item(
    *, person: Person, meeting: Meeting, title: str, proposal: Proposal | None = None
) -> AgendaItem:
    """Any committee member who may see the meeting (observers too) suggests an item; only
    coordinators and the suggester see it until a coordinator accepts it."""
    _require_visible(person, meeting)
    if not person.is_committee_member:
        raise ValidationError(_("Only committee members can suggest agenda items."))
    amendments.require_agreement_accepted(person)
    meeting = _lock(meeting)
    _require_scheduled(meeting)
    _require_proposal_for(person, meeting, proposal, "proposal")
    title, _duration = _clean_item(title, proposal)
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        title=title,
        proposal=proposal,
        status=AgendaItemStatus.SUGGESTED,
        suggested_by=person,
    )
    record_audit(
        action="agenda.suggest",
        actor=person,
        community=meeting.community,
        target=item,
        changes=_item_changes(item),
    )
    return item


def _locked_item(actor: Person, item: AgendaItem) -> tuple[Meeting, AgendaItem]:
    """The item's meeting (which the actor must see) locked, and the item as it is now."""
    meeting = item.meeting
    _require_visible(actor, meeting)
    meeting = _lock(meeting)
    item = AgendaItem.objects.filter(pk=item.pk, meeting=meeting).first()
    if item is None:
        raise Http404
    return meeting, item


def _set_status(actor: Person, item: AgendaItem, status: str, *, allowed_from: tuple) -> AgendaItem:
    meeting, item = _locked_item(actor, item)
    require_coordinator(actor, meeting.community_id)
    _require_scheduled(meeting)
    if item.status not in allowed_from:
        raise ValidationError(_("This item has already been dealt with."))
    before = item.status
    item.status = status
    if status == AgendaItemStatus.ACCEPTED:
        item.position = _next_position(meeting)
    item.save(update_fields=["status", "position"])
    record_audit(
        action=f"agenda.{status}",
        actor=actor,
        community=meeting.community,
        target=item,
        changes={**_item_changes(item), "before": before, "after": status},
    )
    return item


@transaction.atomic
def accept_agenda_item(*, actor: Person, item: AgendaItem) -> AgendaItem:
    """A coordinator takes a suggestion (or one declined earlier) onto the end of the agenda."""
    return _set_status(
        actor,
        item,
        AgendaItemStatus.ACCEPTED,
        allowed_from=(AgendaItemStatus.SUGGESTED, AgendaItemStatus.DECLINED),
    )


@transaction.atomic
def decline_agenda_item(*, actor: Person, item: AgendaItem) -> AgendaItem:
    """A coordinator does not take up a suggestion; the suggester still sees it, as declined."""
    return _set_status(
        actor, item, AgendaItemStatus.DECLINED, allowed_from=(AgendaItemStatus.SUGGESTED,)
    )


@transaction.atomic
def move_agenda_item(*, actor: Person, item: AgendaItem, direction: str) -> AgendaItem:
    """Swap an item of the agenda with the one before ("up") or after ("down") it. At either
    end it stays where it is."""
    if direction not in {"up", "down"}:
        raise ValidationError(_("Move an item up or down."))
    meeting, item = _locked_item(actor, item)
    require_coordinator(actor, meeting.community_id)
    _require_scheduled(meeting)
    if item.status != AgendaItemStatus.ACCEPTED:
        raise ValidationError(_("Only items on the agenda can be moved."))
    items = list(meeting.agenda.filter(status=AgendaItemStatus.ACCEPTED).order_by("position", "pk"))
    index = next(i for i, each in enumerate(items) if each.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return item
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items):
        each.position = position
    AgendaItem.objects.bulk_update(items, ["position"])
    record_audit(
        action="agenda.move",
        actor=actor,
        community=meeting.community,
        target=item,
        changes={**_item_changes(item), "direction": direction},
    )
    return next(each for each in items if each.pk == item.pk)


@transaction.atomic
def remove_agenda_item(*, actor: Person, item: AgendaItem) -> None:
    """A coordinator removes any item; a member withdraws a suggestion of their own that has
    not been accepted."""
    meeting, item = _locked_item(actor, item)
    own_suggestion = item.suggested_by_id == actor.pk and item.status != AgendaItemStatus.ACCEPTED
    if not own_suggestion:
        require_coordinator(actor, meeting.community_id)
    _require_scheduled(meeting)
    changes = {**_item_changes(item), "title": item.title, "status": item.status}
    record_audit(
        action="agenda.remove",
        actor=actor,
        community=meeting.community,
        target=item,
        changes=changes,
    )
    item.delete()


# --- answers and attendance --------------------------------------------------------------------


@transaction.atomic
def rsvp(*, person: Person, meeting: Meeting, answer: str) -> Rsvp:
    """A committee member who may see the meeting says whether they will come, while it is
    scheduled and until it ends. The same answer again changes nothing."""
    _require_visible(person, meeting)
    if not person.is_committee_member:
        raise ValidationError(_("Only committee members answer for meetings."))
    if answer not in RsvpAnswer.values:
        raise ValidationError({"answer": _("Choose attending, not attending or maybe.")})
    meeting = _lock(meeting)
    if not takes_answers(meeting):
        raise ValidationError(_("Answers are taken only until a scheduled meeting ends."))
    current = Rsvp.objects.filter(meeting=meeting, person=person).first()
    if current is not None and current.answer == answer:
        return current
    answer_row, _created = Rsvp.objects.update_or_create(
        meeting=meeting, person=person, defaults={"answer": answer}
    )
    record_audit(
        action="meeting.rsvp",
        actor=person,
        community=meeting.community,
        target=answer_row,
        changes={
            "meeting": meeting.pk,
            "before": current.answer if current else None,
            "after": answer,
        },
    )
    return answer_row


@transaction.atomic
def record_attendance(
    *, actor: Person, meeting: Meeting, person: Person, present: bool
) -> Attendance:
    """A coordinator records whether someone who may see the meeting was there, once it has
    started. Recording the same again changes nothing."""
    _require_coordinator_of(actor, meeting)
    meeting = _lock(meeting)
    if not is_under_way_or_held(meeting):
        raise ValidationError(
            _("Attendance is recorded once the meeting has started, and not for a cancelled one.")
        )
    if not people_who_can_see(meeting).filter(pk=person.pk).exists():
        raise ValidationError(
            {"person": _("%(name)s is not invited to this meeting.") % {"name": person}}
        )
    current = Attendance.objects.filter(meeting=meeting, person=person).first()
    if current is not None and current.present == present:
        return current
    row, _created = Attendance.objects.update_or_create(
        meeting=meeting, person=person, defaults={"present": present, "recorded_by": actor}
    )
    record_audit(
        action="meeting.attendance",
        actor=actor,
        community=meeting.community,
        target=row,
        changes={"meeting": meeting.pk, "person": person.pk, "present": present},
    )
    return row


# --- minutes -----------------------------------------------------------------------------------


def _clean_minutes(
    actor: Person,
    meeting: Meeting,
    body: str,
    decisions: Iterable[tuple[Proposal | None, str]],
    action_items: Iterable[tuple[str, Person | None, date | None]],
) -> tuple[list[tuple[Proposal | None, str]], list[tuple[str, Person | None, date | None]]]:
    if not body.strip():
        raise ValidationError({"body": _("Write the minutes first.")})
    decisions = [(proposal, text.strip()) for proposal, text in decisions]
    if any(not text for _proposal, text in decisions):
        raise ValidationError({"decisions": _("Write what was decided.")})
    for proposal, _text in decisions:
        _require_proposal_for(actor, meeting, proposal, "decisions")
    action_items = [(text.strip(), owner, due_on) for text, owner, due_on in action_items]
    if any(not text for text, _owner, _due in action_items):
        raise ValidationError({"action_items": _("Say what is to be done.")})
    for _text, owner, _due in action_items:
        if owner is not None and not (
            owner.community_id == meeting.community_id and owner.is_committee_member
        ):
            raise ValidationError(
                {"action_items": _("An action is owned by a member of this committee.")}
            )
    return decisions, action_items


@transaction.atomic
def write_minutes(
    *,
    actor: Person,
    meeting: Meeting,
    body: str,
    visibility: str,
    sectors: Iterable[Sector] = (),
    decisions: Iterable[tuple[Proposal | None, str]] = (),
    action_items: Iterable[tuple[str, Person | None, date | None]] = (),
) -> Minutes:
    """A coordinator writes or rewrites the draft minutes of a meeting that has started (and
    was not cancelled), with their own visibility. The decisions and action items given replace
    the earlier ones. Approved minutes can no longer be changed.

    Minutes are read only through a meeting the reader may see (`selectors.minutes_for`), so
    minutes shared more widely than their meeting still reach only the meeting's readers.
    Minutes that exist but that the actor may not see are as missing (Http404)."""
    _require_coordinator_of(actor, meeting)
    meeting = _lock(meeting)
    if not is_under_way_or_held(meeting):
        raise ValidationError(
            _("Minutes are written once the meeting has started, and not for a cancelled one.")
        )
    decisions, action_items = _clean_minutes(actor, meeting, body, decisions, action_items)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None:
        if selectors.minutes_for(actor.user, meeting) is None:
            raise Http404
        if minutes.status == MinutesStatus.APPROVED:
            raise ValidationError(_("Approved minutes can no longer be changed."))
    else:
        minutes = Minutes(community_id=meeting.community_id, meeting=meeting, author=actor)
    created = minutes.pk is None
    minutes.body = body
    save_visible_record(record=minutes, author=actor, visibility=visibility, sectors=sectors)
    minutes.decisions.all().delete()
    MinutesDecision.objects.bulk_create(
        MinutesDecision(minutes=minutes, proposal=proposal, text=text)
        for proposal, text in decisions
    )
    minutes.action_items.all().delete()
    MinutesActionItem.objects.bulk_create(
        MinutesActionItem(minutes=minutes, text=text, owner=owner, due_on=due_on)
        for text, owner, due_on in action_items
    )
    record_audit(
        action="minutes.write" if created else "minutes.update",
        actor=actor,
        community=meeting.community,
        target=minutes,
        changes={
            "meeting": meeting.pk,
            "decisions": len(decisions),
            "action_items": len(action_items),
        },
    )
    return minutes


def may_approve_at(meeting: Meeting, at_meeting: Meeting, *, now: datetime | None = None) -> bool:
    """Minutes of `meeting` are approved at a later meeting of the same committee that is
    under way or has been held."""
    return (
        at_meeting.committee_id == meeting.committee_id
        and at_meeting.starts_at > meeting.starts_at
        and is_under_way_or_held(at_meeting, now=now)
    )


@transaction.atomic
def approve_minutes(*, actor: Person, minutes: Minutes, at_meeting: Meeting) -> Minutes:
    """A coordinator records that draft minutes were approved at a later meeting (under way or
    held). Approved minutes can no longer be edited."""
    meeting = minutes.meeting
    _require_coordinator_of(actor, meeting)
    visible = selectors.minutes_for(actor.user, meeting)
    if visible is None or visible.pk != minutes.pk:
        raise Http404
    _require_visible(actor, at_meeting)
    meeting = _lock(meeting)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError(_("These minutes are already approved."))
    if not may_approve_at(meeting, at_meeting):
        raise ValidationError(
            {"at_meeting": _("Minutes are approved at a later meeting that is under way or held.")}
        )
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_at_meeting = at_meeting
    minutes.save(update_fields=["status", "approved_at", "approved_at_meeting", "updated_at"])
    record_audit(
        action="minutes.approve",
        actor=actor,
        community=meeting.community,
        target=minutes,
        changes={"meeting": meeting.pk, "at_meeting": at_meeting.pk},
    )
    return minutes
