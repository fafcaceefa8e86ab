"""Browser pages for meetings: the list, one meeting with its agenda, answers, quorum,
attendance and minutes, and the forms that schedule, reschedule and cancel it and write its
minutes. Thin: every page and every POST gets its meeting from `selectors.get_meeting` (404 for
hidden and missing alike), writes go to `services`, which are the gate; the pages only leave out
controls that `services` would refuse (`services.meeting_steps`). Dates and times are read and
shown in the community's time zone."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stakeholders.models import Role
from stakeholders.selectors import people_for, person_of
from stakeholders.views import add_form_errors, community_page

from .. import selectors, services
from ..forms.meetings import (
    MAX_MINUTES_ROWS,
    ActionItemFormSet,
    AgendaActionForm,
    AgendaItemForm,
    AgendaSuggestionForm,
    ApproveMinutesForm,
    AttendanceForm,
    DecisionFormSet,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    RsvpForm,
    as_typed,
    rows_as_typed,
)
from ..models import AgendaItemStatus, Meeting, MinutesStatus, RsvpAnswer


def _detail_url(community, meeting: Meeting, anchor: str = "") -> str:
    url = reverse("meeting-detail", kwargs={"slug": community.slug, "pk": meeting.pk})
    return f"{url}#{anchor}" if anchor else url


def _require_coordinator(request, community) -> None:
    """Pages for coordinators only do not exist for anyone else."""
    if not services.is_coordinator_of(person_of(request.user), community.pk):
        raise Http404


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _form_messages(form) -> str:
    return " ".join(message for errors in form.errors.values() for message in errors)


def _proposal_choices(request, meeting: Meeting):
    """The proposals of the meeting's committee the viewer may see, to link an item or a
    decision to."""
    return selectors.proposals_for(request.user).filter(committee_id=meeting.committee_id)


# --- the list ----------------------------------------------------------------------------------


@community_page
def meeting_list(request, community):
    upcoming = list(
        selectors.upcoming_meetings_for(request.user, include_cancelled=True).filter(
            community=community
        )
    )
    past = list(selectors.past_meetings_for(request.user).filter(community=community))
    answers = selectors.my_rsvps(request.user, upcoming)
    return render(
        request,
        "committee/meeting_list.html",
        {
            "community": community,
            "upcoming": [(meeting, answers.get(meeting.pk)) for meeting in upcoming],
            "past": [(meeting, None) for meeting in past],
            "can_schedule": services.is_coordinator_of(person_of(request.user), community.pk),
        },
    )


# --- scheduling, rescheduling, cancelling ------------------------------------------------------


def _default_times() -> dict:
    """A week from now at 6 pm for two hours, in the community's time zone."""
    starts = (timezone.localtime() + timedelta(days=7)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    return {"starts_at": starts, "ends_at": starts + timedelta(hours=2)}


@community_page
def meeting_create(request, community):
    _require_coordinator(request, community)
    me = person_of(request.user)
    form = MeetingForm(request.POST or None, author=me, initial=_default_times())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.schedule_meeting(
                actor=me,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                online_link=data["online_link"],
                visibility=data["visibility"],
                sectors=data["visible_sectors"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The meeting is scheduled."))
            return redirect(_detail_url(community, meeting))
    return render(
        request,
        "committee/meeting_form.html",
        {"community": community, "form": form, "meeting": None},
    )


@community_page
def meeting_edit(request, community, pk):
    meeting = selectors.get_meeting(request.user, pk)
    _require_coordinator(request, community)
    me = person_of(request.user)
    if "edit" not in services.meeting_steps(me, meeting):
        messages.error(request, _("Only a scheduled meeting can be changed."))
        return redirect(_detail_url(community, meeting))
    form = MeetingEditForm(
        request.POST or None,
        initial={
            "title": meeting.title,
            "starts_at": timezone.localtime(meeting.starts_at),
            "ends_at": timezone.localtime(meeting.ends_at),
            "place": meeting.place,
            "online_link": meeting.online_link,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.reschedule_meeting(
                actor=me,
                meeting=meeting,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                online_link=data["online_link"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            if changed.sequence == meeting.sequence:
                messages.info(request, _("Nothing was changed."))
            elif (changed.starts_at, changed.ends_at) != (meeting.starts_at, meeting.ends_at):
                messages.success(
                    request, _("The meeting is rescheduled; its people are told of the new time.")
                )
            else:
                messages.success(request, _("The meeting is updated."))
            return redirect(_detail_url(community, meeting))
    return render(
        request,
        "committee/meeting_form.html",
        {"community": community, "form": form, "meeting": meeting},
    )


@community_page
def meeting_cancel(request, community, pk):
    """GET: ask to confirm. POST: call the meeting off."""
    meeting = selectors.get_meeting(request.user, pk)
    _require_coordinator(request, community)
    if request.method == "POST":
        try:
            services.cancel_meeting(actor=person_of(request.user), meeting=meeting)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("The meeting is cancelled; its people are told."))
        return redirect(_detail_url(community, meeting))
    if "cancel" not in services.meeting_steps(person_of(request.user), meeting):
        return redirect(_detail_url(community, meeting))
    return render(
        request, "committee/meeting_cancel.html", {"community": community, "meeting": meeting}
    )


@require_POST
@community_page
def meeting_held(request, community, pk):
    meeting = selectors.get_meeting(request.user, pk)
    try:
        services.mark_meeting_held(actor=person_of(request.user), meeting=meeting)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The meeting is marked as held."))
    return redirect(_detail_url(community, meeting))


# --- one meeting -------------------------------------------------------------------------------


def _rsvp_context(request, meeting: Meeting, *, form=None, notice: str = "") -> dict:
    me = person_of(request.user)
    return {
        "meeting": meeting,
        "my_rsvp": selectors.my_rsvp(me, meeting),
        "can_rsvp": "rsvp" in services.meeting_steps(me, meeting),
        "rsvp_form": form,
        "rsvp_notice": notice,
        "rsvp_answers": RsvpAnswer.choices,
    }


def _attendance_form(request, meeting: Meeting, form=None) -> AttendanceForm:
    if form is not None:
        return form
    invitees = selectors.invitees_of(meeting)
    recorded = {row.person_id: row.present for row in selectors.attendance_of(meeting)}
    if recorded:
        present = [pk for pk, was_there in recorded.items() if was_there]
    else:
        present = [
            rsvp.person_id
            for rsvp in selectors.rsvps_of(meeting)
            if rsvp.answer == RsvpAnswer.ATTENDING
        ]
    return AttendanceForm(invitees=invitees, initial={"present": present})


def _quorum_context(request, meeting: Meeting, steps, attendance_form=None) -> dict:
    """What the quorum section shows: sectors present or coming, and for coordinators once the
    meeting has started, the attendance form."""
    return {
        "quorum": selectors.quorum(meeting),
        "attendance_recorded": selectors.attendance_of(meeting).exists(),
        "attendance_form": _attendance_form(request, meeting, attendance_form)
        if "attendance" in steps
        else None,
    }


def _detail(
    request,
    community,
    meeting: Meeting,
    *,
    agenda_form=None,
    suggestion_form=None,
    attendance_form=None,
):
    me = person_of(request.user)
    steps = services.meeting_steps(me, meeting)
    is_coordinator = services.is_coordinator_of(me, community.pk)
    rows = selectors.agenda_for(request.user, meeting)
    agenda = [row for row in rows if row.status == AgendaItemStatus.ACCEPTED]
    minutes = selectors.minutes_for(request.user, meeting)
    proposals = _proposal_choices(request, meeting)
    approve_form = None
    if minutes is not None and minutes.status == MinutesStatus.DRAFT and is_coordinator:
        later = selectors.meetings_to_approve_at(request.user, meeting)
        if later.exists():
            approve_form = ApproveMinutesForm(meetings=later)
    context = {
        "community": community,
        "meeting": meeting,
        "steps": steps,
        "is_coordinator": is_coordinator,
        "agenda": agenda,
        "suggestions": [row for row in rows if row.status != AgendaItemStatus.ACCEPTED],
        "agenda_minutes": sum(row.duration_minutes or 0 for row in agenda),
        "agenda_form": (agenda_form or AgendaItemForm(proposals=proposals))
        if "agenda" in steps
        else None,
        "suggestion_form": (suggestion_form or AgendaSuggestionForm(proposals=proposals))
        if "suggest" in steps and not is_coordinator
        else None,
        "agreement_pending": selectors.agreement_to_accept(me),
        **_quorum_context(request, meeting, steps, attendance_form),
        "minutes": minutes,
        "decisions": selectors.decisions_of(request.user, minutes) if minutes else [],
        "approve_form": approve_form,
        **_rsvp_context(request, meeting),
    }
    return render(request, "committee/meeting_detail.html", context)


@community_page
def meeting_detail(request, community, pk):
    return _detail(request, community, selectors.get_meeting(request.user, pk))


# --- answers and attendance --------------------------------------------------------------------


@community_page
def meeting_rsvp(request, community, pk):
    """GET: the answer panel. POST: answer. With HTMX the response is the panel to swap in,
    and after an answer the quorum section too (swapped out of band), since the answer may
    change how a sector stands; without JavaScript, a redirect to the meeting (or the page
    again with the error)."""
    meeting = selectors.get_meeting(request.user, pk)
    if request.method != "POST":
        return _rsvp_panel(request, community, meeting)
    form = RsvpForm(request.POST)
    if form.is_valid():
        try:
            answer = services.rsvp(
                person=person_of(request.user), meeting=meeting, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            notice = _("Your answer is saved: %(answer)s.") % {
                "answer": answer.get_answer_display()
            }
            if request.htmx:
                return _rsvp_panel(request, community, meeting, notice=notice, with_quorum=True)
            messages.success(request, notice)
            return redirect(_detail_url(community, meeting, "rsvp-panel"))
    if request.htmx:
        return _rsvp_panel(request, community, meeting, form=form)
    messages.error(request, _form_messages(form))
    return redirect(_detail_url(community, meeting, "rsvp-panel"))


def _rsvp_panel(request, community, meeting, *, form=None, notice="", with_quorum=False):
    context = {"community": community, **_rsvp_context(request, meeting, form=form, notice=notice)}
    if with_quorum:
        steps = services.meeting_steps(person_of(request.user), meeting)
        context.update(_quorum_context(request, meeting, steps), quorum_out_of_band=True)
    return render(request, "committee/_meeting_rsvp.html", context)


@require_POST
@community_page
def meeting_attendance(request, community, pk):
    """Record who was there: every person the meeting is for, ticked or not."""
    meeting = selectors.get_meeting(request.user, pk)
    me = person_of(request.user)
    invitees = list(selectors.invitees_of(meeting))
    form = AttendanceForm(request.POST, invitees=selectors.invitees_of(meeting))
    if not form.is_valid():
        return _detail(request, community, meeting, attendance_form=form)
    present = {person.pk for person in form.cleaned_data["present"]}
    recorded = {row.person_id: row.present for row in selectors.attendance_of(meeting)}
    try:
        with transaction.atomic():
            for person in invitees:
                if recorded.get(person.pk) != (person.pk in present):
                    services.record_attendance(
                        actor=me, meeting=meeting, person=person, present=person.pk in present
                    )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The attendance is saved."))
    return redirect(_detail_url(community, meeting, "quorum"))


# --- the agenda --------------------------------------------------------------------------------


@require_POST
@community_page
def agenda_add(request, community, pk):
    meeting = selectors.get_meeting(request.user, pk)
    form = AgendaItemForm(request.POST, proposals=_proposal_choices(request, meeting))
    if form.is_valid():
        try:
            services.add_agenda_item(
                actor=person_of(request.user),
                meeting=meeting,
                title=form.cleaned_data["title"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                proposal=form.cleaned_data["proposal"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The item is on the agenda."))
            return redirect(_detail_url(community, meeting, "agenda"))
    return _detail(request, community, meeting, agenda_form=form)


@require_POST
@community_page
def agenda_suggest(request, community, pk):
    meeting = selectors.get_meeting(request.user, pk)
    form = AgendaSuggestionForm(request.POST, proposals=_proposal_choices(request, meeting))
    if form.is_valid():
        try:
            services.suggest_agenda_item(
                person=person_of(request.user),
                meeting=meeting,
                title=form.cleaned_data["title"],
                proposal=form.cleaned_data["proposal"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Thank you: your suggestion goes to the coordinators."))
            return redirect(_detail_url(community, meeting, "agenda"))
    return _detail(request, community, meeting, suggestion_form=form)


AGENDA_ACTIONS = {
    "accept": (
        lambda me, item: services.accept_agenda_item(actor=me, item=item),
        gettext_lazy("The item is on the agenda."),
    ),
    "decline": (
        lambda me, item: services.decline_agenda_item(actor=me, item=item),
        gettext_lazy("The suggestion is not taken up."),
    ),
    "up": (
        lambda me, item: services.move_agenda_item(actor=me, item=item, direction="up"),
        gettext_lazy("The item is moved up."),
    ),
    "down": (
        lambda me, item: services.move_agenda_item(actor=me, item=item, direction="down"),
        gettext_lazy("The item is moved down."),
    ),
    "remove": (
        lambda me, item: services.remove_agenda_item(actor=me, item=item),
        gettext_lazy("The item is removed."),
    ),
}


@require_POST
@community_page
def agenda_item(request, community, pk, item_pk):
    """Accept, decline, move up or down, or remove one item (POST `action`)."""
    meeting = selectors.get_meeting(request.user, pk)
    item = selectors.get_agenda_item(request.user, meeting, item_pk)
    form = AgendaActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_messages(form))
        return redirect(_detail_url(community, meeting, "agenda"))
    act, done = AGENDA_ACTIONS[form.cleaned_data["action"]]
    try:
        act(person_of(request.user), item)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, str(done))
    return redirect(_detail_url(community, meeting, "agenda"))


# --- minutes -----------------------------------------------------------------------------------


def _minutes_people(request):
    """Who may own an action item: the committee's members and coordinators."""
    return people_for(request.user).filter(role__in=[Role.MEMBER, Role.COORDINATOR])


def _draft_from_agenda(request, meeting: Meeting) -> tuple[str, list[dict]]:
    """A first draft of the minutes: a heading per agenda item the coordinator may read, and a
    decision row for each proposal on the agenda."""
    rows = [
        row
        for row in selectors.agenda_for(request.user, meeting)
        if row.status == AgendaItemStatus.ACCEPTED and not row.hidden
    ]
    body = "\n\n".join(f"### {row.title}\n\n" for row in rows).strip()
    decisions = [{"proposal": row.proposal} for row in rows if row.proposal is not None]
    return body, decisions


# What "Add a row" may add (POST `add_row`), and what it says when there are as many as allowed.
ADD_ROW = {
    "decisions": gettext_lazy("The minutes can hold at most %(max)s decisions."),
    "actions": gettext_lazy("The minutes can hold at most %(max)s actions."),
}


@community_page
def minutes_edit(request, community, pk):
    """GET: the form, drafted from the agenda the first time. POST: save the draft, or with
    `add_row` ("decisions" or "actions") show the form again as typed with one more row of
    that kind, saving nothing (with HTMX the page swaps in only that fieldset)."""
    meeting = selectors.get_meeting(request.user, pk)
    _require_coordinator(request, community)
    me = person_of(request.user)
    if "minutes" not in services.meeting_steps(me, meeting):
        messages.error(
            request,
            _("Minutes are written once the meeting has started, and not for a cancelled one."),
        )
        return redirect(_detail_url(community, meeting))
    minutes = selectors.minutes_for(request.user, meeting)
    if minutes is not None and minutes.status == MinutesStatus.APPROVED:
        messages.error(request, _("Approved minutes can no longer be changed."))
        return redirect(_detail_url(community, meeting, "minutes"))
    proposals = _proposal_choices(request, meeting)
    people = _minutes_people(request)
    if minutes is not None:
        initial = {
            "body": minutes.body,
            "visibility": minutes.visibility,
            "visible_sectors": list(minutes.visible_sectors.all()),
        }
        visible_decisions = selectors.decisions_of(request.user, minutes)
        decisions = [{"proposal": row.proposal, "text": row.text} for row in visible_decisions]
        actions = [
            {"text": item.text, "owner": item.owner, "due_on": item.due_on}
            for item in minutes.action_items.all()
        ]
    else:
        body, decisions = _draft_from_agenda(request, meeting)
        initial = {
            "body": body,
            "visibility": meeting.visibility,
            "visible_sectors": list(meeting.visible_sectors.all()),
        }
        actions = []
    data = request.POST if request.method == "POST" else None
    form = MinutesForm(data, author=me, initial=initial)
    decision_forms = DecisionFormSet(
        data, prefix="decisions", initial=decisions, form_kwargs={"proposals": proposals}
    )
    action_forms = ActionItemFormSet(
        data, prefix="actions", initial=actions, form_kwargs={"people": people}
    )
    adding = data.get("add_row") if data else None
    rows_full = {}
    if adding in ADD_ROW:
        # "Add a row": the page again as typed, one empty row more, nothing checked or saved.
        full = len(decision_forms if adding == "decisions" else action_forms) >= MAX_MINUTES_ROWS
        if full:
            rows_full = {adding: ADD_ROW[adding] % {"max": MAX_MINUTES_ROWS}}
        form = as_typed(form, author=me)
        decision_forms = rows_as_typed(
            decision_forms, another=adding == "decisions", proposals=proposals
        )
        action_forms = rows_as_typed(action_forms, another=adding == "actions", people=people)
        data = None
    valid = [f.is_valid() for f in (form, decision_forms, action_forms)] if data else []
    if data and all(valid):
        try:
            services.write_minutes(
                actor=me,
                meeting=meeting,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                sectors=form.cleaned_data["visible_sectors"],
                decisions=[
                    (row["proposal"], row["text"])
                    for row in decision_forms.cleaned_data
                    if row.get("text", "").strip()
                ],
                action_items=[
                    (row["text"], row["owner"], row["due_on"])
                    for row in action_forms.cleaned_data
                    if row.get("text", "").strip()
                ],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The draft minutes are saved."))
            return redirect(_detail_url(community, meeting, "minutes"))
    return render(
        request,
        "committee/meeting_minutes_form.html",
        {
            "community": community,
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "decision_forms": decision_forms,
            "action_forms": action_forms,
            "rows_full": rows_full,
            "has_errors": bool(data),  # a POST that got here was refused: nothing is saved
        },
    )


@require_POST
@community_page
def minutes_approve(request, community, pk):
    meeting = selectors.get_meeting(request.user, pk)
    minutes = selectors.minutes_for(request.user, meeting)
    if minutes is None:
        raise Http404
    form = ApproveMinutesForm(
        request.POST, meetings=selectors.meetings_to_approve_at(request.user, meeting)
    )
    if not form.is_valid():
        messages.error(request, _form_messages(form))
        return redirect(_detail_url(community, meeting, "minutes"))
    try:
        services.approve_minutes(
            actor=person_of(request.user),
            minutes=minutes,
            at_meeting=form.cleaned_data["at_meeting"],
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The minutes are approved."))
    return redirect(_detail_url(community, meeting, "minutes"))
