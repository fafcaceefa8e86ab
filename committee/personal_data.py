"""The committee's part of a member's data rights (`stakeholders.personal_data`): what it holds
about a person (roles, seats, positions, comments, answers, attendance, notifications, calendar
feeds), what leaving erases, and which old rows the daily sweep deletes. Registered from
`CommitteeConfig.ready()`.

A record the person may no longer see is never named in their export: its title reads "a
proposal (or meeting) you can no longer see". Their own words (a position's reason, a comment)
are theirs and are always given.

Leaving keeps the decision history: positions, seats and roles keep their rows (the person's
row is renamed "Former member, <sector>"), and the frozen outcomes of closed proposals are
renamed the same way. The seats and the role end on the day they leave (an alternate takes a
seat over: `services.follow_membership`). Acceptances of the trust agreement stay too: they
are the committee's record of who took part on which terms, under the former member's new
name. Comments stay unless the person asks to delete them; then they are deleted through the
comment service and their earlier texts go too. Answers (RSVPs), preferences, in-app
notifications and the calendar feed go; notifications still waiting are cancelled."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from stakeholders.models import Person
from stakeholders.personal_data import (
    Leaving,
    Section,
    register_exporter,
    register_leaving,
    register_retention,
)
from stakeholders.services import record_audit

from . import selectors, services
from .models import (
    AgreementAcceptance,
    Attendance,
    CalendarFeed,
    Comment,
    CommentRevision,
    CommitteeMember,
    Notification,
    NotificationPreference,
    NotificationState,
    Position,
    Proposal,
    ProposalVersion,
    Rsvp,
    Seat,
)


def register() -> None:
    register_exporter(export)
    register_leaving(leave)
    register_retention(sweep)


# --- the export --------------------------------------------------------------------------------


def export(person: Person) -> list[Section]:
    user = person.user
    proposals = {
        pk: title for pk, title in selectors.proposals_for(user).values_list("pk", "title")
    }
    meetings = {pk: title for pk, title in selectors.meetings_for(user).values_list("pk", "title")}

    def proposal(pk: int | None) -> str | None:
        if pk is None:
            return None
        return proposals.get(pk) or _("a proposal you can no longer see")

    def meeting(pk: int | None) -> str | None:
        if pk is None:
            return None
        return meetings.get(pk) or _("a meeting you can no longer see")

    roles = Section(
        key="committee_roles",
        title=_("Your roles on the committee"),
        fields=[("role", _("Role")), ("started_on", _("From")), ("ended_on", _("Until"))],
        rows=[
            {"role": row.get_role_display(), "started_on": row.started_on, "ended_on": row.ended_on}
            for row in CommitteeMember.objects.filter(person=person).order_by("started_on", "pk")
        ],
    )
    seats = Section(
        key="seats",
        title=_("Your seats"),
        fields=[
            ("sector", _("Sector")),
            ("organization", _("Organization")),
            ("as", _("As")),
            ("started_on", _("From")),
            ("ended_on", _("Until")),
        ],
        rows=[
            {
                "sector": seat.sector.localized_name,
                "organization": seat.organization.name if seat.organization else None,
                "as": _("primary") if seat.primary_id == person.pk else _("alternate"),
                "started_on": seat.started_on,
                "ended_on": seat.ended_on,
            }
            for seat in Seat.objects.filter(Q(primary=person) | Q(alternate=person))
            .select_related("sector", "organization")
            .order_by("started_on", "pk")
        ],
    )
    positions = Section(
        key="positions",
        title=_("Positions you gave"),
        fields=[
            ("given_at", _("Given")),
            ("proposal", _("Proposal")),
            ("version", _("Version")),
            ("stance", _("Position")),
            ("reason", _("Reason")),
            ("is_current", _("Current")),
        ],
        rows=[
            {
                "given_at": position.given_at,
                "proposal": proposal(position.proposal_id),
                "version": position.version,
                "stance": position.get_stance_display(),
                "reason": position.reason,
                "is_current": position.is_current,
            }
            for position in Position.objects.filter(given_by=person).order_by("given_at", "pk")
        ],
    )
    comments = Section(
        key="comments",
        title=_("Comments you wrote"),
        fields=[
            ("created_at", _("Written")),
            ("proposal", _("Proposal")),
            ("body", _("Comment")),
            ("edited_at", _("Edited")),
            ("deleted_at", _("Deleted")),
        ],
        rows=[
            {
                "created_at": comment.created_at,
                "proposal": proposal(comment.proposal_id),
                "body": comment.body,
                "edited_at": comment.edited_at,
                "deleted_at": comment.deleted_at,
            }
            for comment in Comment.objects.filter(author=person).order_by("created_at", "pk")
        ],
    )
    rsvps = Section(
        key="rsvps",
        title=_("Your answers to meetings"),
        fields=[("meeting", _("Meeting")), ("answer", _("Answer")), ("answered_at", _("When"))],
        rows=[
            {
                "meeting": meeting(row.meeting_id),
                "answer": row.get_answer_display(),
                "answered_at": row.answered_at,
            }
            for row in Rsvp.objects.filter(person=person).order_by("answered_at", "pk")
        ],
    )
    attendance = Section(
        key="attendance",
        title=_("Your attendance"),
        fields=[
            ("meeting", _("Meeting")),
            ("present", _("Present")),
            ("recorded_at", _("Recorded")),
        ],
        rows=[
            {
                "meeting": meeting(row.meeting_id),
                "present": row.present,
                "recorded_at": row.recorded_at,
            }
            for row in Attendance.objects.filter(person=person).order_by("recorded_at", "pk")
        ],
    )
    notifications = Section(
        key="notifications",
        title=_("Notifications addressed to you"),
        fields=[
            ("kind", _("Kind")),
            ("about", _("About")),
            ("due_at", pgettext("when a notification is sent", "Due")),
            ("state", _("State")),
            ("sent_at", _("Sent")),
            ("emailed", _("Emailed")),
            ("read_at", _("Read")),
        ],
        rows=[
            {
                "kind": row.get_kind_display(),
                "about": proposal(row.proposal_id) or meeting(row.meeting_id),
                "due_at": row.due_at,
                "state": row.get_state_display(),
                "sent_at": row.sent_at,
                "emailed": row.emailed,
                "read_at": row.read_at,
            }
            for row in Notification.objects.filter(recipient=person).order_by("due_at", "pk")
        ],
    )
    preferences = Section(
        key="notification_preferences",
        title=_("Your notification settings"),
        fields=[("kind", _("Kind")), ("channel", _("How"))],
        rows=[
            {"kind": row.get_kind_display(), "channel": row.get_channel_display()}
            for row in NotificationPreference.objects.filter(person=person).order_by("kind")
        ],
    )
    feeds = Section(
        key="calendar_feeds",
        title=_("Your calendar feed addresses"),
        note=_("The secret part of each address is never shown here."),
        fields=[("created_at", _("Made")), ("revoked_at", _("Stopped"))],
        rows=[
            {"created_at": feed.created_at, "revoked_at": feed.revoked_at}
            for feed in CalendarFeed.objects.filter(person=person).order_by("created_at", "pk")
        ],
    )
    acceptances = Section(
        key="agreement_acceptances",
        title=_("Trust agreement versions you accepted"),
        fields=[("version", _("Version")), ("accepted_at", _("Accepted"))],
        rows=[
            {"version": row.agreement.number, "accepted_at": row.accepted_at}
            for row in AgreementAcceptance.objects.filter(person=person)
            .select_related("agreement")
            .order_by("accepted_at", "pk")
        ],
    )
    return [
        roles,
        seats,
        acceptances,
        positions,
        comments,
        rsvps,
        attendance,
        notifications,
        preferences,
        feeds,
    ]


# --- leaving -----------------------------------------------------------------------------------


def leave(leaving: Leaving) -> None:
    person = leaving.person
    # Their seats end (an alternate takes a seat over) and so does their role: see
    # `services.follow_membership`. The ended seats keep their positions in the history.
    services.follow_membership(person=person, actor=person, leaving=True)
    if leaving.delete_comments:
        _delete_comments(person)
    services.revoke_calendar_feed(person=person)
    # Rows a sweep has claimed but not yet emailed are cancelled too: its email step then
    # finds them no longer its own and sends nothing.
    Notification.objects.filter(
        recipient=person,
        state__in=[NotificationState.PENDING, NotificationState.SENDING],
        emailing_at__isnull=True,
    ).update(state=NotificationState.CANCELLED, claim="", claimed_until=None)
    Notification.objects.filter(recipient=person, in_app=True).delete()
    # A failed delivery's error may quote the address it was sent to.
    Notification.objects.filter(recipient=person).exclude(last_error="").update(last_error="")
    NotificationPreference.objects.filter(person=person).delete()
    Rsvp.objects.filter(person=person).delete()
    _rename_in_outcomes(person, leaving.previous_name, leaving.former_name)


def _delete_comments(person: Person) -> None:
    """Through the comment service (which audits each), and directly for a comment on a
    proposal the person can no longer see; then their comments' earlier texts."""
    for comment in Comment.objects.filter(author=person, deleted_at__isnull=True):
        try:
            services.delete_comment(actor=person, comment=comment)
        except (Http404, ValidationError):
            Comment.objects.filter(pk=comment.pk).update(body="", deleted_at=timezone.now())
            record_audit(
                action="comment.delete",
                actor=person,
                community=person.community,
                target=comment,
            )
    CommentRevision.objects.filter(comment__author=person).delete()


def _rename_in_outcomes(person: Person, previous_name: str, former_name: str) -> None:
    """The frozen outcomes of closed versions name the holder of each block and reservation
    ("Jade (Peers Riverside)"): where it was this person, name them as everyone now sees them."""
    given = Position.objects.filter(given_by=person)
    seat_ids = set(given.values_list("seat_id", flat=True))
    proposal_ids = set(given.values_list("proposal_id", flat=True))
    if not seat_ids or not previous_name:
        return

    def renamed(outcome: dict | None) -> dict | None:
        if not outcome:
            return outcome
        changed = dict(outcome)
        for key in ("blocks", "reservations"):
            concerns = []
            for concern in outcome.get(key, []):
                holder = concern.get("holder")
                if (
                    concern.get("seat_id") in seat_ids
                    and holder
                    and (holder == previous_name or holder.startswith(f"{previous_name} ("))
                ):
                    concern = {**concern, "holder": former_name + holder[len(previous_name) :]}
                concerns.append(concern)
            changed[key] = concerns
        return changed

    for model in (Proposal, ProposalVersion):
        field = "pk__in" if model is Proposal else "proposal_id__in"
        for row in model.objects.filter(**{field: proposal_ids}, outcome__isnull=False):
            outcome = renamed(row.outcome)
            if outcome != row.outcome:
                model.objects.filter(pk=row.pk).update(outcome=outcome)


# --- expiry ------------------------------------------------------------------------------------


def sweep(*, now: datetime, before: datetime) -> dict[str, int]:
    """Notifications whose occasion is older than `before` (a year by default): sent, skipped
    or cancelled long ago, or never sent and long moot."""
    deleted, _by_model = Notification.objects.filter(due_at__lt=before).delete()
    return {"notifications": deleted}
