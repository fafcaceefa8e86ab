"""The steering committee: its rule, who sits on it (seats and roles), proposals with their
versions, the positions each seat gives, and the discussion.

Proposals are `VisibleRecord`s; positions and comments are visible exactly when their proposal
is, so they carry no grants of their own (see `selectors`)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
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
    CLOSED = "closed", _("Closed")
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
            models.Index(fields=["community", "status"]),
            models.Index(fields=["status", "closes_at"]),
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
