"""The steering committee: its rule, who sits on it (seats and roles), proposals with their
versions, the positions each seat gives, the discussion, meetings with their agenda, answers,
attendance and minutes, calendar feeds, and the notification outbox.

Proposals, meetings and minutes are `VisibleRecord`s; positions, comments, agenda items and
answers are visible exactly when their proposal or meeting is, so they carry no grants of their
own (see `selectors`)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase

from stakeholders.models import Community, Organization, Person, Sector, VisibleRecord

from .consensus import STANCES_NEEDING_A_REASON, Result, Stance


class Committee(models.Model):
    """A community's steering committee and its consensus rule."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="committee")
    name = models.CharField(_("name"), max_length=200)
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)
    sectors_that_must_answer = models.ManyToManyField(
        Sector,
        blank=True,
        related_name="+",
        verbose_name=_("sectors that must answer"),
        help_text=_(
            "A proposal is agreed only when each of these sectors has answered. "
            "Leave empty to ask it of every sector that holds a seat."
        ),
    )
    minimum_participation = models.PositiveSmallIntegerField(
        _("minimum participation (percent of seats)"),
        default=0,
        help_text=_("0 means no minimum."),
    )

    class Meta:
        verbose_name = _("steering committee")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_participation__lte=100),
                name="committee_participation_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    COORDINATOR = "coordinator", _("Coordinator")
    MEMBER = "member", _("Member")
    ALTERNATE = "alternate", _("Alternate")
    OBSERVER = "observer", _("Observer")


class CommitteeMember(models.Model):
    """Someone's role on the committee over a period. Observers read and discuss but never hold
    a seat or give a position. Past memberships are kept."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="committee_roles")
    role = models.CharField(_("role"), max_length=20, choices=CommitteeRole.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee member")
        ordering = ["committee", "person__display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "person"],
                condition=Q(ended_on__isnull=True),
                name="one_current_committee_role_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Seat(models.Model):
    """A place at the table for one organization, or for an independent member (no
    organization). The primary member answers for it; the alternate may answer when the
    primary has not. An ended seat keeps its history."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="seats")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="seats")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="seats"
    )
    primary = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="primary_seats")
    alternate = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="alternate_seats"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("seat")
        ordering = ["sector__position", "sector__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "organization"],
                condition=Q(ended_on__isnull=True, organization__isnull=False),
                name="one_current_seat_per_organization",
            ),
            models.UniqueConstraint(
                fields=["committee", "primary"],
                condition=Q(ended_on__isnull=True),
                name="one_current_seat_per_primary",
            ),
            models.UniqueConstraint(
                fields=["committee", "alternate"],
                condition=Q(ended_on__isnull=True, alternate__isnull=False),
                name="one_current_seat_per_alternate",
            ),
            models.CheckConstraint(
                condition=~Q(primary=models.F("alternate")),
                name="seat_alternate_is_not_the_primary",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization or self.primary)

    @property
    def holder_name(self) -> str:
        """How the seat is named where names may be shown."""
        if self.organization_id is not None:
            return f"{self.organization.name} — {self.primary.display_name}"
        return self.primary.display_name


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DISCUSSION = "discussion", _("In discussion")
    DECISION = "decision", _("Open for positions")
    CLOSED = "closed", pgettext_lazy("proposal status", "Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(VisibleRecord):
    """A consensus proposal. Its fields hold the current version; earlier versions are kept in
    `ProposalVersion`, and positions say which version they were given on."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"), help_text=_("Markdown: **bold**, lists, links."))
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    anonymous = models.BooleanField(
        _("hide names"),
        default=False,
        help_text=_("Positions show their sector but not who gave them."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=20, choices=Result.choices, blank=True)
    outcome = models.JSONField(null=True, blank=True)
    outcome_statement = models.TextField(_("outcome statement"), blank=True)

    class Meta:
        verbose_name = _("proposal")
        ordering = ["-created_at", "-id"]
        indexes = [
            # A page of one status, newest first (`selectors.ProposalListing`); it also holds
            # what the visibility filter reads, so that counting a viewer's proposals reads
            # the index alone.
            models.Index(
                fields=["community", "status", "-created_at", "-id"],
                name="proposal_community_status",
                include=["visibility", "author"],
            ),
            models.Index(fields=["status", "closes_at"]),
            # The lists' order: newest first within a community.
            models.Index(
                fields=["community", "-created_at", "-id"], name="proposal_community_newest"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="proposal_closed_at_iff_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status="decision") | Q(closes_at__isnull=False),
                name="proposal_open_has_a_closing_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_revisable(self) -> bool:
        return self.status == ProposalStatus.CLOSED and self.result != Result.AGREED


class ProposalGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Proposal, on_delete=models.CASCADE)


Proposal.grant_model = ProposalGrant


class ProposalVersion(models.Model):
    """An earlier version of a proposal, as it was when it was revised: its text, when it was
    open and its frozen outcome. Its positions are those with the same version number."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=20, choices=Result.choices, blank=True)
    outcome = models.JSONField(null=True, blank=True)
    outcome_statement = models.TextField(blank=True)
    revised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="proposal_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class Position(models.Model):
    """A seat's answer on one version of a proposal. Changing it marks the old row as no longer
    current, so the history stays; the database allows one current position per seat."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="positions")
    version = models.PositiveIntegerField()
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="positions")
    stance = models.CharField(_("position"), max_length=20, choices=Stance.choices)
    reason = models.TextField(_("reason"), blank=True)
    given_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions_given")
    given_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        ordering = ["proposal", "version", "given_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "version", "seat"],
                condition=Q(is_current=True),
                name="one_current_position_per_seat",
            ),
            models.CheckConstraint(
                condition=~Q(stance__in=sorted(STANCES_NEEDING_A_REASON)) | ~Q(reason=""),
                name="position_block_or_reservations_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(is_current=True, replaced_at__isnull=True)
                | Q(is_current=False, replaced_at__isnull=False),
                name="position_replaced_iff_not_current",
            ),
        ]
        indexes = [models.Index(fields=["proposal", "version", "is_current"])]

    def __str__(self) -> str:
        return f"{self.seat}: {self.get_stance_display()}"


class Comment(models.Model):
    """A contribution to a proposal's discussion. Edits keep the earlier text as a
    `CommentRevision`; a deleted comment leaves a marker in the thread."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.proposal_id}"


class CommentRevision(models.Model):
    """The text a comment had before an edit or a deletion, and who changed it."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    changed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    was_deleted = models.BooleanField(default=False)

    class Meta:
        ordering = ["comment", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"Revision of comment {self.comment_id}"


# --- the charter and the trust agreement --------------------------------------------------------


class GoverningText(models.TextChoices):
    """The two texts a committee governs itself by, each changed only through an agreed
    proposal (see `services.amendments`)."""

    CHARTER = "charter", _("Charter")
    AGREEMENT = "agreement", _("Trust agreement")


class Amendment(models.Model):
    """A new text of the community's charter or trust agreement, carried by a proposal.

    It is written with the proposal (`base_number` is the version it changes: the one current
    then) and applied only when that proposal closes agreed, in the same transaction, and only
    if `base_number` is still the current version; applied, it *is* version `number` of that
    text and stays readable with the proposal that made it. `content` holds the whole new text
    in English and French (its shape: `governing_texts`). The charter's version 1 is the
    model's own text and has no row; the trust agreement has no version until one is agreed."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="amendment")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=20, choices=GoverningText.choices)
    base_number = models.PositiveIntegerField()
    content = models.JSONField()
    number = models.PositiveIntegerField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["community", "text", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "text", "number"],
                condition=Q(number__isnull=False),
                name="one_version_number_per_text",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True, applied_at__isnull=True)
                | Q(number__isnull=False, applied_at__isnull=False),
                name="amendment_number_iff_applied",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gt=models.F("base_number")),
                name="amendment_number_follows_its_base",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_text_display()} v{self.number or '?'} ({self.proposal_id})"


class AgreementAcceptance(models.Model):
    """A person accepted one version of the trust agreement. Taking part (positions, comments,
    agenda suggestions) needs an acceptance of the current version."""

    agreement = models.ForeignKey(Amendment, on_delete=models.PROTECT, related_name="acceptances")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="agreement_acceptances"
    )
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "accepted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "person"], name="one_acceptance_per_person_and_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} accepted {self.agreement}"


# --- meetings ----------------------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(VisibleRecord):
    """A committee meeting. Times are stored in UTC and shown in the community's time zone.
    `uid` names it in calendars and stays the same when it is rescheduled; `sequence` counts
    its changes (iCalendar SEQUENCE)."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("meeting")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["community", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MeetingGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Meeting, on_delete=models.CASCADE)


Meeting.grant_model = MeetingGrant


class AgendaItemStatus(models.TextChoices):
    ACCEPTED = "accepted", _("On the agenda")
    SUGGESTED = "suggested", _("Suggested")
    DECLINED = "declined", _("Not taken up")


class AgendaItem(models.Model):
    """One item of a meeting's agenda, in order. Members suggest items; coordinators accept
    them. An item may point at a proposal; someone who cannot see that proposal sees neither
    the link nor the item's title."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("item"), max_length=200)
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    status = models.CharField(
        max_length=20, choices=AgendaItemStatus.choices, default=AgendaItemStatus.ACCEPTED
    )
    suggested_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class RsvpAnswer(models.TextChoices):
    ATTENDING = "attending", _("Attending")
    NOT_ATTENDING = "not_attending", _("Not attending")
    MAYBE = "maybe", _("Maybe")


class Rsvp(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rsvps")
    answer = models.CharField(_("will you come?"), max_length=20, choices=RsvpAnswer.choices)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_rsvp_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.answer}"


class Attendance(models.Model):
    """Who was at a meeting, recorded by a coordinator."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting_id}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", pgettext_lazy("minutes status", "Approved")


class Minutes(VisibleRecord):
    """The minutes of one meeting, drafted by a coordinator and approved at a later meeting.
    They carry their own visibility."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    body = models.TextField(_("minutes"), help_text=_("Markdown."))
    status = models.CharField(
        max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_at_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="approved_minutes"
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"


class MinutesGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Minutes, on_delete=models.CASCADE)


Minutes.grant_model = MinutesGrant


class MinutesDecision(models.Model):
    """A decision recorded in the minutes, usually the outcome of a proposal."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="decisions")
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["minutes", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class MinutesActionItem(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="action_items")
    text = models.TextField(_("action"))
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["minutes", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class CalendarFeed(models.Model):
    """A person's private calendar feed. The address carries a signed token with this row's
    nonce (as invitations do); revoking the row kills the address, and a new feed gets a new
    one."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="calendar_feeds")
    nonce = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_calendar_feed_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"


# --- notifications (the outbox) ----------------------------------------------------------------


class NotificationKind(models.TextChoices):
    MEETING_REMINDER = "meeting_reminder", _("Meeting reminders")
    MEETING_CHANGED = "meeting_changed", _("A meeting is rescheduled")
    MEETING_CANCELLED = "meeting_cancelled", _("A meeting is cancelled")
    PROPOSAL_OPENED = "proposal_opened", _("A proposal opens for positions")
    PROPOSAL_CLOSING = (
        "proposal_closing",
        _("A proposal closes in 24 hours and my seat has not answered"),
    )
    PROPOSAL_OUTCOME = "proposal_outcome", _("The outcome of a proposal")
    MINUTES_DUE = "minutes_due", _("Minutes not yet written (coordinators)")
    # Planned and sent by `workplans` through `services.notifications.register_occasion`.
    ACTIONS_OVERDUE = (
        "actions_overdue",
        _("Overdue actions I am responsible for or coordinate (weekly)"),
    )


class Channel(models.TextChoices):
    EMAIL = "email", _("Email and in the app")
    IN_APP = "in_app", _("In the app only")
    OFF = "off", _("Off")


class NotificationState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")  # claimed by a sweep (`claim`, `claimed_until`)
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")
    SKIPPED = "skipped", _("Not sent")  # no longer relevant, or the record is hidden now


class Notification(models.Model):
    """The outbox, and each person's in-app notifications. A row is written first, with a key
    that is unique per recipient and occasion, then sent by the periodic sweep, which claims due
    rows with `select_for_update(skip_locked=True)` and marks them `sending` under its own
    `claim` until `claimed_until`; it records `emailing_at` just before it hands the email to the
    mail server and marks the row sent just after, each in its own short transaction. So a
    retry, a second beat or a worker killed at any point never sends one twice, and what it
    had not reached goes out on a later run (`services.notifications`). Visibility is checked
    again when it is sent."""

    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    key = models.CharField(max_length=200, unique=True)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    context = models.JSONField(default=dict, blank=True)
    due_at = models.DateTimeField()
    state = models.CharField(
        max_length=20, choices=NotificationState.choices, default=NotificationState.PENDING
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)
    in_app = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The sweep that holds the row while it is `sending`, and until when; after that another
    # sweep takes it over.
    claim = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Set just before its email is handed to the mail server: a row stopped after that may
    # have been emailed, so it is never emailed again.
    emailing_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_at", "-pk"]
        indexes = [
            # The sweep claims the oldest due row first: (due_at, id) where still pending.
            models.Index(
                fields=["due_at", "id"],
                condition=Q(state="pending"),
                name="notification_due_pending",
            ),
            models.Index(fields=["recipient", "state", "in_app"]),
            # Rows a stopped sweep left claimed, found once their claim has run out.
            models.Index(
                fields=["claimed_until", "id"],
                condition=Q(state="sending"),
                name="notification_claimed_sending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="sending") | (~Q(claim="") & Q(claimed_until__isnull=False)),
                name="notification_sending_is_claimed",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class NotificationPreference(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_preference_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind} → {self.channel}"
