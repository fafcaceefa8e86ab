"""The notification outbox (DESIGN.md, "Background work"). Every reminder or notification is
first a `Notification` row, written in the transaction of the change that causes it, with a key
unique per kind, record, occasion and recipient: planning the same occasion twice adds nothing,
and an occasion that changed (a meeting moved) gets new keys, so nothing replaced is sent again.

The periodic sweep (`send_due_notifications`, run every minute by beat) claims a batch of due
rows with `select_for_update(skip_locked=True)` and marks them `sending` under its own claim
for a few minutes (`CLAIM_LEASE`), in one short transaction. It then checks again, in a few
queries for the whole batch, whether each is still relevant and whether its recipient may still
see the meeting or proposal, applies the recipient's choice of channel, and sends. Each email
is recorded on its own, in a transaction of its own just before it is handed to the mail server
(`emailing_at`) and another just after (sent); the rows without an email are marked together.
So two sweeps never take the same row; a worker killed at any point sends nothing twice (a row
it was handing over at that moment is never emailed again, only listed in the app); the rows
it had not reached are taken over by a later sweep once its claim runs out; and a reminder never
reveals a record its recipient can no longer see. The web process writes rows only: it never
needs Redis for any of this.

A later app (`workplans`, which `committee` must not import) owns some kinds: it registers an
`Occasion` for each from its `AppConfig.ready()` (`register_occasion`), plans rows with
`plan_notifications`, and the sweep asks that occasion whether a row still goes out and what its
email says."""

import logging
import smtplib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from stakeholders.models import Person
from stakeholders.selectors import people_who_can_see, visible_pairs

from .. import selectors
from ..models import (
    Channel,
    Meeting,
    MeetingStatus,
    Minutes,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationState,
    Position,
    Proposal,
    ProposalStatus,
    Rsvp,
    RsvpAnswer,
    Seat,
)

logger = logging.getLogger(__name__)

MINUTES_DUE_AFTER = timedelta(days=3)
PROPOSAL_CLOSING_BEFORE = timedelta(hours=24)
# A failed email is tried again after 5, 10, 15, 20 minutes, then given up.
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=5)

# Every kind is emailed (and listed in the app) unless the person chose otherwise.
DEFAULT_CHANNEL = Channel.EMAIL


# --- writing rows ------------------------------------------------------------------------------


def _stamp(moment: datetime) -> int:
    """A time as whole seconds, for keys: the same instant gives the same key."""
    return int(moment.timestamp())


def _key(kind: str, record_id: int, occasion: str, recipient_id: int) -> str:
    return f"{kind}:{record_id}:{occasion}:{recipient_id}"


def _write(rows: list[Notification]) -> None:
    """Add the rows whose keys are new; rows already planned stay as they are. A row of the same
    occasion that was cancelled earlier (a meeting moved away and back) is planned again: it was
    never sent."""
    if not rows:
        return
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    revived = {row.key: row for row in rows}
    for row in Notification.objects.filter(
        key__in=list(revived), state=NotificationState.CANCELLED
    ):
        planned = revived[row.key]
        row.state = NotificationState.PENDING
        row.due_at, row.context = planned.due_at, planned.context
        row.attempts, row.last_error = 0, ""
        row.save(update_fields=["state", "due_at", "context", "attempts", "last_error"])


def _cancel(queryset) -> int:
    return queryset.filter(state=NotificationState.PENDING).update(
        state=NotificationState.CANCELLED
    )


# --- occasions owned by later apps -------------------------------------------------------------


@dataclass(frozen=True)
class Occasion:
    """How the sweep treats a kind whose rows carry no meeting or proposal, for an app that
    `committee` may not import. Both are called in the sweep's transaction, after the sweep
    checked that the recipient still takes part in the committee:
    - `why_not_send(row, recipient, now)`: None when the row goes out now, otherwise why not
      (it checks what the recipient may see *now*);
    - `render_context(row, recipient)`: called in the recipient's language and the community's
      time zone; the template context of the email's block for the kind, with at least
      `subject` (also the email's subject) and `url` (an absolute link)."""

    why_not_send: Callable[[Notification, Person, datetime], str | None]
    render_context: Callable[[Notification, Person], dict]


_occasions: dict[str, Occasion] = {}


def register_occasion(
    kind: str,
    *,
    why_not_send: Callable[[Notification, Person, datetime], str | None],
    render_context: Callable[[Notification, Person], dict],
) -> None:
    """Let the sweep send rows of `kind` (one of `NotificationKind`); called from the owning
    app's `AppConfig.ready()`. Registering a kind again replaces it."""
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown kind of notification: {kind}")
    _occasions[kind] = Occasion(why_not_send=why_not_send, render_context=render_context)


def plan_notifications(rows: list[Notification]) -> None:
    """Add rows of a registered occasion to the outbox; those whose keys exist already stay as
    they are (so planning an occasion twice adds nothing)."""
    unknown = {row.kind for row in rows} - set(_occasions)
    if unknown:
        raise ValueError(f"no occasion registered for {sorted(unknown)}")
    _write(rows)


def _meeting_context(meeting: Meeting) -> dict:
    return {"starts_at": meeting.starts_at.isoformat(), "ends_at": meeting.ends_at.isoformat()}


def plan_meeting_notifications(meeting: Meeting) -> None:
    """Reminders at the configured offsets before the start (those still ahead) to everyone who
    may see the meeting, and the unwritten-minutes reminder to its coordinators three days after
    it ends. Call it once the meeting and its grants are saved; calling it again (after a change
    of visibility, say) adds only what is missing. Whether someone declined is checked when a
    reminder is sent, since answers change."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return
    now = timezone.now()
    people = list(people_who_can_see(meeting))
    context = _meeting_context(meeting)
    start = _stamp(meeting.starts_at)
    rows = [
        Notification(
            recipient=person,
            kind=NotificationKind.MEETING_REMINDER,
            key=_key(
                NotificationKind.MEETING_REMINDER,
                meeting.pk,
                f"{start}-{int(offset.total_seconds())}",
                person.pk,
            ),
            meeting=meeting,
            context={**context, "offset_seconds": int(offset.total_seconds())},
            due_at=meeting.starts_at - offset,
        )
        for offset in settings.MEETING_REMINDER_OFFSETS
        if meeting.starts_at - offset > now
        for person in people
    ]
    rows += [
        Notification(
            recipient=person,
            kind=NotificationKind.MINUTES_DUE,
            key=_key(
                NotificationKind.MINUTES_DUE, meeting.pk, str(_stamp(meeting.ends_at)), person.pk
            ),
            meeting=meeting,
            context=context,
            due_at=meeting.ends_at + MINUTES_DUE_AFTER,
        )
        for person in people
        if person.is_coordinator
    ]
    _write(rows)


def meeting_rescheduled(meeting: Meeting, *, old_starts_at: datetime) -> None:
    """Cancel the meeting's pending reminders (none goes out for the old time), plan them for
    the new time, and tell everyone who may see it of the change, now."""
    _cancel(
        Notification.objects.filter(
            meeting=meeting,
            kind__in=[NotificationKind.MEETING_REMINDER, NotificationKind.MINUTES_DUE],
        )
    )
    plan_meeting_notifications(meeting)
    now = timezone.now()
    occasion = f"{meeting.sequence}-{_stamp(old_starts_at)}-{_stamp(meeting.starts_at)}"
    context = {**_meeting_context(meeting), "old_starts_at": old_starts_at.isoformat()}
    _write(
        [
            Notification(
                recipient=person,
                kind=NotificationKind.MEETING_CHANGED,
                key=_key(NotificationKind.MEETING_CHANGED, meeting.pk, occasion, person.pk),
                meeting=meeting,
                context=context,
                due_at=now,
            )
            for person in people_who_can_see(meeting)
        ]
    )


def meeting_cancelled(meeting: Meeting) -> None:
    """Cancel everything still waiting about the meeting and tell its people, now."""
    _cancel(Notification.objects.filter(meeting=meeting))
    now = timezone.now()
    _write(
        [
            Notification(
                recipient=person,
                kind=NotificationKind.MEETING_CANCELLED,
                key=_key(
                    NotificationKind.MEETING_CANCELLED,
                    meeting.pk,
                    str(_stamp(meeting.starts_at)),
                    person.pk,
                ),
                meeting=meeting,
                context=_meeting_context(meeting),
                due_at=now,
            )
            for person in people_who_can_see(meeting)
        ]
    )


def proposal_opened(proposal: Proposal) -> None:
    """Tell the committee members who may see the proposal that it is open for positions, and
    plan the reminder 24 hours before it closes to the primary and the alternate of each current
    seat (sent only if that seat has still not answered)."""
    now = timezone.now()
    people = {person.pk: person for person in people_who_can_see(proposal)}
    version = f"v{proposal.version}"
    rows = [
        Notification(
            recipient=person,
            kind=NotificationKind.PROPOSAL_OPENED,
            key=_key(NotificationKind.PROPOSAL_OPENED, proposal.pk, version, person.pk),
            proposal=proposal,
            context=_decision_context(proposal),
            due_at=now,
        )
        for person in people.values()
    ]
    rows += _closing_reminders(proposal, selectors.current_seats(proposal.committee), people)
    _write(rows)


def seat_started(seat: Seat) -> None:
    """A seat taken while proposals are open (a new seat, or one its alternate took over): its
    people get the closing reminders of those they may see, as the seats at the opening did."""
    open_now = Proposal.objects.filter(committee=seat.committee, status=ProposalStatus.DECISION)
    for proposal in open_now:
        people = {person.pk: person for person in people_who_can_see(proposal)}
        _write(_closing_reminders(proposal, [seat], people))


def _closing_reminders(proposal: Proposal, seats, people: dict[int, Person]) -> list[Notification]:
    """The reminders 24 hours before the proposal closes, to the primary and the alternate of
    each of the seats who may see it (`people`, by id); none once that moment has passed."""
    reminder_at = proposal.closes_at - PROPOSAL_CLOSING_BEFORE
    if reminder_at <= timezone.now():
        return []
    occasion = f"v{proposal.version}-{_stamp(proposal.closes_at)}"
    return [
        Notification(
            recipient=people[person_id],
            kind=NotificationKind.PROPOSAL_CLOSING,
            key=_key(NotificationKind.PROPOSAL_CLOSING, proposal.pk, occasion, person_id),
            proposal=proposal,
            context=_decision_context(proposal),
            due_at=reminder_at,
        )
        for seat in seats
        for person_id in (seat.primary_id, seat.alternate_id)
        if person_id in people
    ]


def _decision_context(proposal: Proposal) -> dict:
    """What the sweep compares with the proposal when it sends (`_why_not_proposal`): the
    version and closing time the notification was planned for. The seat a reminder is for is
    the one its recipient answers for when it is sent."""
    return {"version": proposal.version, "closes_at": proposal.closes_at.isoformat()}


def proposal_closed(proposal: Proposal) -> None:
    """Send the frozen outcome to everyone who may see the proposal; the closing reminders
    still waiting are no longer needed."""
    _cancel(Notification.objects.filter(proposal=proposal, kind=NotificationKind.PROPOSAL_CLOSING))
    now = timezone.now()
    context = {"version": proposal.version, "result": proposal.result}
    _write(
        [
            Notification(
                recipient=person,
                kind=NotificationKind.PROPOSAL_OUTCOME,
                key=_key(
                    NotificationKind.PROPOSAL_OUTCOME,
                    proposal.pk,
                    f"v{proposal.version}",
                    person.pk,
                ),
                proposal=proposal,
                context=context,
                due_at=now,
            )
            for person in people_who_can_see(proposal)
        ]
    )


# --- preferences and reading -------------------------------------------------------------------


def channel_for(person: Person, kind: str) -> str:
    """How `person` wants to hear of `kind`: their choice, or email."""
    chosen = (
        NotificationPreference.objects.filter(person=person, kind=kind)
        .values_list("channel", flat=True)
        .first()
    )
    return chosen or DEFAULT_CHANNEL


def channels_of(person: Person) -> dict[str, str]:
    """`channel_for` of every kind at once, for the settings page."""
    chosen = dict(
        NotificationPreference.objects.filter(person=person).values_list("kind", "channel")
    )
    return {kind: chosen.get(kind, DEFAULT_CHANNEL) for kind in NotificationKind.values}


@transaction.atomic
def set_preference(*, person: Person, kind: str, channel: str) -> NotificationPreference:
    """Choose email (and in the app), in the app only, or off, for one kind of notification.
    It applies to what is sent from now on, including reminders already planned."""
    if kind not in NotificationKind.values:
        raise ValidationError({"kind": _("Choose one of the kinds of notification.")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose email, in the app only, or off.")})
    preference, _created = NotificationPreference.objects.update_or_create(
        person=person, kind=kind, defaults={"channel": channel}
    )
    return preference


@transaction.atomic
def mark_read(*, person: Person, notification: Notification | None = None) -> int:
    """Mark one of the person's notifications read, or all of them (None). Returns how many
    changed."""
    rows = Notification.objects.filter(recipient=person, in_app=True, read_at__isnull=True)
    if notification is not None:
        if notification.recipient_id != person.pk:
            raise Http404
        rows = rows.filter(pk=notification.pk)
    return rows.update(read_at=timezone.now())


# --- sending -----------------------------------------------------------------------------------

# Rows claimed per batch.
SWEEP_BATCH = 50
# How long a sweep holds the rows it claimed. A sweep that is killed outright leaves them
# `sending`; once this has passed the next sweep takes them over. Nothing depends on it being
# longer than a batch takes: every write about a claimed row is conditional on the claim.
CLAIM_LEASE = timedelta(minutes=5)
INTERRUPTED = (
    "The sweep stopped while this email was being handed to the mail server, so it may have "
    "been sent: it is not emailed again (never twice), and it is listed in the app."
)


def send_due_notifications(*, now: datetime | None = None, limit: int | None = None) -> int:
    """Send the rows due by `now`, oldest first, in batches of `SWEEP_BATCH`; at most `limit`
    rows (all by default). Returns how many were sent (by email or in the app); rows no longer
    relevant are skipped, and a failed email is tried again a few minutes later.

    Run it outside any transaction (as the Celery task does): each row's email is recorded
    in a short transaction of its own just before it is handed to the mail server, and as sent
    right after (see `_send_claimed`), so that wherever a worker is killed, no email goes out
    twice and the rows it had not reached go out on a later run. A row whose email was being
    handed over at that moment may or may not have been sent; it is never emailed again, and
    it is listed in the app."""
    now = now or timezone.now()
    sent = handled = 0
    while limit is None or handled < limit:
        size = SWEEP_BATCH if limit is None else min(SWEEP_BATCH, limit - handled)
        claim = _claim(now, size)
        if claim is None:
            break
        _send_claimed(claim, now)
        handled += len(claim.rows) + claim.recovered
        sent += claim.recovered + sum(row.state == NotificationState.SENT for row in claim.rows)
    return sent


@dataclass
class _Claim:
    token: str
    rows: list[Notification]
    recovered: int  # rows a stopped sweep left mid-email, now listed in the app


def _claim(now: datetime, size: int) -> _Claim | None:
    """In one short transaction: take over up to `size` rows whose claim ran out (a sweep was
    killed holding them), then the oldest due rows, skipping rows another sweep is claiming
    right now, and mark them `sending` under a new claim. A row taken over whose email had been
    handed to the mail server is not sent again: it is marked sent, in the app only."""
    wall = timezone.now()
    token = uuid.uuid4().hex
    with transaction.atomic():
        # No join: only the notifications' rows are locked.
        stale = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(state=NotificationState.SENDING, claimed_until__lte=max(now, wall))
            .order_by("claimed_until", "pk")[:size]
        )
        interrupted = [row.pk for row in stale if row.emailing_at is not None]
        if interrupted:
            logger.warning("notifications %s were interrupted mid-email", interrupted)
            Notification.objects.filter(pk__in=interrupted).update(
                state=NotificationState.SENT, in_app=True, sent_at=wall, last_error=INTERRUPTED
            )
        rows = [row for row in stale if row.emailing_at is None]
        if len(stale) < size:
            rows += (
                Notification.objects.select_for_update(skip_locked=True)
                .filter(state=NotificationState.PENDING, due_at__lte=now)
                .order_by("due_at", "pk")[: size - len(stale)]
            )
        if not rows and not interrupted:
            return None
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            state=NotificationState.SENDING, claim=token, claimed_until=wall + CLAIM_LEASE
        )
    for row in rows:
        row.state, row.claim = NotificationState.SENDING, token
    return _Claim(token=token, rows=rows, recovered=len(interrupted))


def _send_claimed(claim: _Claim, now: datetime) -> None:
    """Check the claimed rows again as late as possible (in bulk: see `_Facts`) and deliver them
    one by one. An email is recorded by itself: in one short transaction just before it is
    handed to the mail server (`emailing_at`; the same transaction records the previous email
    as sent, so that each email costs one commit), and the rows without one are written
    together at the end (`_settle`). A row that raises is counted as a failed attempt, so one
    bad row cannot hold up the others. If the worker is stopped (an exception that is not an
    error, as a kill looks from inside), what was sent is recorded and the rows it had not
    reached are given back at once."""
    if not claim.rows:
        return
    facts = _Facts.gather(claim.rows)
    reached: list[Notification] = []
    handed_over = None  # the last row emailed, not yet recorded as sent
    try:
        for row in claim.rows:
            reached.append(row)
            with transaction.atomic():
                if handed_over is not None:
                    _record_emailed(handed_over, claim.token)
                message = _prepare(row, facts, now)
                if message is not None and not _record_emailing(row, claim.token):
                    message = None
            handed_over = None  # recorded, now that it is committed
            if message is not None and _hand_over(row, message, now, claim.token):
                handed_over = row
    finally:
        if handed_over is not None:
            _record_emailed(handed_over, claim.token)
        _settle(claim.token, reached, claim.rows[len(reached) :])


def _prepare(row: Notification, facts: "_Facts", now: datetime) -> EmailMultiAlternatives | None:
    """Decide what to do with one claimed row: skip it, list it in the app only (both written
    by `_settle`), or email it (the message, rendered). A row that raises is counted as a
    failed attempt; a savepoint keeps a failed query from spoiling anything else."""
    row.written = False
    recipient = facts.recipients[row.recipient_id]
    row.recipient = recipient
    try:
        with transaction.atomic():
            reason = _why_not_send(row, recipient, facts, now)
            channel = facts.channel(recipient, row.kind) if reason is None else Channel.OFF
            if reason is None and channel == Channel.OFF:
                reason = "turned off"
            if reason is not None:
                logger.info("notification %s not sent: %s", row.key, reason)
                row.state = NotificationState.SKIPPED
                return None
            if channel != Channel.EMAIL or not recipient.email:
                row.state = NotificationState.SENT
                return None
            return _message(row, recipient)
    except Exception as error:
        logger.exception("could not send notification %s", row.pk)
        _failed(row, now, error)
        return None


def _record_emailing(row: Notification, token: str) -> bool:
    """Record that the row's email is about to be handed to the mail server, if the row is
    still this sweep's claim and was never handed over before. False: another sweep took it
    over after this one's claim ran out, and it is theirs now."""
    row.written = True
    started = Notification.objects.filter(
        pk=row.pk, claim=token, state=NotificationState.SENDING, emailing_at__isnull=True
    ).update(emailing_at=timezone.now())
    if not started:
        row.state = None
    return bool(started)


def _hand_over(row: Notification, message: EmailMultiAlternatives, now: datetime, token: str):
    """Send the email. True when the mail server took it; a refusal or a broken connection is
    recorded at once as a failed attempt (tried again later, with the same Message-ID)."""
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("email for notification %s failed: %s", row.key, error)
        _failed(row, now, error)
        Notification.objects.filter(pk=row.pk, claim=token).update(
            state=row.state,
            attempts=row.attempts,
            last_error=row.last_error,
            due_at=row.due_at,
            emailing_at=None,
            claim="",
            claimed_until=None,
        )
        return False
    row.state, row.emailed, row.in_app = NotificationState.SENT, True, True
    return True


def _record_emailed(row: Notification, token: str) -> None:
    """Record a row whose email the mail server took as sent. Keyed on the claim alone: if
    another sweep found it interrupted and listed it in the app meanwhile, this still records
    that it was emailed."""
    Notification.objects.filter(pk=row.pk, claim=token).update(
        state=NotificationState.SENT,
        emailed=True,
        in_app=True,
        sent_at=timezone.now(),
        last_error="",
        claim="",
        claimed_until=None,
    )


def _failed(row: Notification, now: datetime, error: BaseException) -> None:
    """Count a failed attempt on the row: it goes back to waiting, a little later, or after
    `MAX_ATTEMPTS` it is given up."""
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.state = NotificationState.SKIPPED
    else:
        row.state = NotificationState.PENDING
        row.due_at = now + RETRY_AFTER * row.attempts


def _settle(token: str, reached: list[Notification], not_reached: list[Notification]) -> None:
    """Write what happened to the rows of a batch that were not written one by one already:
    one update per outcome for the usual ones (sent in the app only, skipped), one per row for
    the failures; rows not reached, and one stopped before its email was handed over, go back
    to waiting. Each write holds only while the row is still this sweep's claim."""
    not_reached = list(not_reached)
    sent_at = timezone.now()
    released = {"claim": "", "claimed_until": None}
    outcomes: dict[str, list[int]] = {}
    for row in reached:
        if row.state == NotificationState.SENDING:  # in flight when the worker was stopped
            not_reached.append(row)
        elif row.written:
            continue
        elif row.attempts and row.state != NotificationState.SENT:
            Notification.objects.filter(pk=row.pk, claim=token).update(
                state=row.state,
                attempts=row.attempts,
                last_error=row.last_error,
                due_at=row.due_at,
                emailing_at=None,
                **released,
            )
        else:
            outcomes.setdefault(row.state, []).append(row.pk)
    for state, pks in outcomes.items():
        changes = {"state": state, **released}
        if state == NotificationState.SENT:
            changes.update(sent_at=sent_at, in_app=True)
        Notification.objects.filter(pk__in=pks, claim=token).update(**changes)
    if not_reached:
        Notification.objects.filter(
            pk__in=[row.pk for row in not_reached], claim=token, emailing_at__isnull=True
        ).update(state=NotificationState.PENDING, **released)


@dataclass
class _Facts:
    """What the sweep checks for a batch, read in a few queries however many rows it holds,
    right after it claimed them: the recipients, their choices of channel, and
    which of the batch's meetings and proposals each recipient may see now (`visible_pairs`
    and `visible_proposal_pairs`, which answer as `visible_to` and `proposals_for` do)."""

    recipients: dict[int, Person]
    channels: dict[tuple[int, str], str]
    meetings: dict[tuple[int, int], Meeting]  # (recipient, meeting) -> the meeting they may see
    proposals: dict[tuple[int, int], Proposal]

    @classmethod
    def gather(cls, rows: list[Notification]) -> "_Facts":
        recipients = Person.objects.select_related("user", "community").in_bulk(
            {row.recipient_id for row in rows}
        )
        channels = {
            (person_id, kind): channel
            for person_id, kind, channel in NotificationPreference.objects.filter(
                person_id__in=recipients, kind__in={row.kind for row in rows}
            ).values_list("person_id", "kind", "channel")
        }
        return cls(
            recipients=recipients,
            channels=channels,
            meetings=_visible(rows, recipients, "meeting_id", visible_pairs),
            proposals=_visible(rows, recipients, "proposal_id", selectors.visible_proposal_pairs),
        )

    def channel(self, person: Person, kind: str) -> str:
        """`channel_for`, from what was read for the batch."""
        return self.channels.get((person.pk, kind), DEFAULT_CHANNEL)


def _visible(rows, recipients, field: str, pairs_visible) -> dict[tuple[int, int], object]:
    """For the records the rows name in `field` (meetings or proposals): which each row's
    recipient may see now, as (recipient id, record id) -> the record, in two queries for the
    whole batch (the records, then their grants: see `visible_pairs`)."""
    wanted: dict[Person, set[int]] = {}
    for row in rows:
        record_id = getattr(row, field)
        if record_id is not None and row.recipient_id in recipients:
            wanted.setdefault(recipients[row.recipient_id], set()).add(record_id)
    if not wanted:
        return {}
    model = Notification._meta.get_field(field.removesuffix("_id")).related_model
    records = model.objects.select_related(*_RELATED[model]).in_bulk(set().union(*wanted.values()))
    return {(viewer, pk): records[pk] for viewer, pk in pairs_visible(records, wanted)}


_RELATED = {Meeting: ("committee", "community"), Proposal: ("committee", "author")}


def _why_not_send(row: Notification, recipient: Person, facts: _Facts, now: datetime) -> str | None:
    """None when the row should go out now; otherwise why not. The recipient must still take
    part in the committee and still see the meeting or proposal."""
    if not (recipient.is_committee_member and recipient.user.is_active):
        return "the recipient no longer takes part"
    if row.meeting_id is not None:
        meeting = facts.meetings.get((recipient.pk, row.meeting_id))
        if meeting is None:
            return "the recipient can no longer see the meeting"
        row.meeting = meeting
        return _why_not_meeting(row, recipient, now)
    if row.proposal_id is not None:
        proposal = facts.proposals.get((recipient.pk, row.proposal_id))
        if proposal is None:
            return "the recipient can no longer see the proposal"
        row.proposal = proposal
        return _why_not_proposal(row, recipient, now)
    if row.kind in _occasions:
        return _occasions[row.kind].why_not_send(row, recipient, now)
    return "nothing to tell"


def _why_not_meeting(row: Notification, recipient: Person, now: datetime) -> str | None:
    """For a meeting the recipient may see (`row.meeting`)."""
    meeting = row.meeting
    starts_at = datetime.fromisoformat(row.context["starts_at"])
    moved = starts_at != meeting.starts_at
    if row.kind == NotificationKind.MEETING_REMINDER:
        if meeting.status != MeetingStatus.SCHEDULED or moved:
            return "the meeting was cancelled or moved"
        if meeting.starts_at <= now:
            return "the meeting has started"
        declined = Rsvp.objects.filter(
            meeting=meeting, person=recipient, answer=RsvpAnswer.NOT_ATTENDING
        )
        if declined.exists():
            return "the recipient declined"
    elif row.kind == NotificationKind.MEETING_CHANGED:
        if meeting.status == MeetingStatus.CANCELLED or moved:
            return "the meeting changed again"
    elif row.kind == NotificationKind.MINUTES_DUE:
        if meeting.status == MeetingStatus.CANCELLED or moved:
            return "the meeting was cancelled or moved"
        if not recipient.is_coordinator:
            return "the recipient is no longer a coordinator"
        if Minutes.objects.filter(meeting=meeting).exists():
            return "the minutes exist"
    return None


def _why_not_proposal(row: Notification, recipient: Person, now: datetime) -> str | None:
    """For a proposal the recipient may see (`row.proposal`)."""
    proposal = row.proposal
    same_version = proposal.version == row.context.get("version")
    if row.kind == NotificationKind.PROPOSAL_OPENED:
        if proposal.status != ProposalStatus.DECISION or not same_version:
            return "the proposal is no longer open"
    elif row.kind == NotificationKind.PROPOSAL_CLOSING:
        closes_at = datetime.fromisoformat(row.context["closes_at"])
        if (
            proposal.status != ProposalStatus.DECISION
            or not same_version
            or proposal.closes_at != closes_at
            or proposal.closes_at <= now
        ):
            return "the proposal is no longer open, or closes at another time"
        # The seat they answer for now: a seat taken over since the planning counts.
        seat = selectors.seat_of(recipient, proposal.committee)
        if seat is None:
            return "the recipient no longer answers for a seat"
        answered = Position.objects.filter(
            proposal=proposal, version=proposal.version, seat=seat, is_current=True
        )
        if answered.exists():
            return "the seat has answered"
    return None


# --- the email ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _message(row: Notification, recipient: Person) -> EmailMultiAlternatives:
    """The email of a row, rendered and ready to hand to the mail server."""
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    rendered = render_email(row, recipient)
    message = EmailMultiAlternatives(
        rendered.subject,
        rendered.text,
        to=[recipient.email],
        headers={
            "Content-Language": language,
            # One notification, one Message-ID: mail clients drop a copy they already have.
            "Message-ID": f"<notification.{row.pk}@{urlsplit(settings.SITE_URL).hostname}>",
        },
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def render_email(row: Notification, recipient: Person) -> Rendered:
    """The email of a row whose meeting or proposal `recipient` may see (the sweep checked it),
    in the recipient's language, with dates in the community's time zone. It says no more
    than the recipient may see: names of an anonymous proposal's positions never appear."""
    community = recipient.community
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(community.timezone):
        context = _email_context(row, recipient)
        return Rendered(
            subject=_subject(row, context),
            text=render_to_string("emails/notification.txt", context),
            html=render_to_string("emails/notification.html", context),
        )


def _email_context(row: Notification, recipient: Person) -> dict:
    context = {
        "kind": row.kind,
        "recipient": recipient,
        "community": recipient.community,
        "notification": row,
        "settings_url": _absolute("notification-settings", slug=recipient.community.slug),
    }
    if row.meeting is not None:
        meeting = row.meeting
        context.update(
            meeting=meeting,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            url=_absolute("meeting-detail", slug=recipient.community.slug, pk=meeting.pk),
        )
        if "old_starts_at" in row.context:
            context["old_starts_at"] = datetime.fromisoformat(row.context["old_starts_at"])
    if row.proposal is not None:
        proposal = row.proposal
        context.update(
            proposal=proposal,
            closes_at=proposal.closes_at,
            url=_absolute("proposal-detail", slug=recipient.community.slug, pk=proposal.pk),
        )
        if row.kind == NotificationKind.PROPOSAL_OUTCOME:
            outcome = selectors.outcome_of(proposal, version=row.context.get("version"))
            context.update(outcome=outcome, names_visible=selectors.names_visible(proposal))
    if row.kind in _occasions:
        context.update(_occasions[row.kind].render_context(row, recipient))
    return context


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _subject(row: Notification, context: dict) -> str:
    """The subject, and the headline of the in-app list: in the active language and time
    zone."""
    kind = row.kind
    if kind in _occasions:
        return context["subject"]
    if kind == NotificationKind.MEETING_REMINDER:
        return _("Reminder: %(title)s, %(when)s") % {
            "title": context["meeting"].title,
            "when": _when(context["starts_at"]),
        }
    if kind == NotificationKind.MEETING_CHANGED:
        return _("Moved: %(title)s, now %(when)s") % {
            "title": context["meeting"].title,
            "when": _when(context["starts_at"]),
        }
    if kind == NotificationKind.MEETING_CANCELLED:
        return _("Cancelled: %(title)s, %(when)s") % {
            "title": context["meeting"].title,
            "when": _when(context["starts_at"]),
        }
    if kind == NotificationKind.MINUTES_DUE:
        return _("Minutes to write: %(title)s") % {"title": context["meeting"].title}
    if kind == NotificationKind.PROPOSAL_OPENED:
        return _("Open for positions: %(title)s") % {"title": context["proposal"].title}
    if kind == NotificationKind.PROPOSAL_CLOSING:
        return _("Closes in 24 hours, your seat has not answered: %(title)s") % {
            "title": context["proposal"].title
        }
    return _("Outcome: %(title)s (%(result)s)") % {
        "title": context["proposal"].title,
        "result": context["outcome"].result.label,
    }


def _absolute(name: str, **kwargs) -> str:
    """A link for an email: SITE_URL and the page's path."""
    return f"{settings.SITE_URL}{reverse(name, kwargs=kwargs)}"
