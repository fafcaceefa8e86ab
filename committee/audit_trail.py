"""What the audit trail (`stakeholders.audit_trail`) needs to know about the committee's records:
who may see an entry about each of them, how to name and link them, and what each action is
called. Registered from `CommitteeConfig.ready()`.

The rule is the one the pages follow: an entry about a proposal, a meeting or minutes shows only
to whoever may see that record, and an entry about a position, a comment, an agenda item, an
answer or attendance only to whoever may see its proposal or meeting. An entry about a position
on an anonymous proposal shows only to whoever gave it (it names them)."""

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stakeholders.audit_trail import register_actions, register_kind
from stakeholders.selectors import Viewer, person_of, visible_to

from . import selectors
from .models import (
    AgendaItem,
    AgreementAcceptance,
    Amendment,
    Attendance,
    CalendarFeed,
    Comment,
    CommentRevision,
    Committee,
    CommitteeMember,
    Meeting,
    Minutes,
    MinutesActionItem,
    MinutesDecision,
    Position,
    Proposal,
    ProposalVersion,
    Rsvp,
    Seat,
)


def _proposal_ids(user: Viewer) -> QuerySet:
    return selectors.proposals_for(user).order_by().values("pk")


def _positions(user: Viewer) -> QuerySet[Position]:
    """A position shows with its proposal; on an anonymous proposal, only to whoever gave it:
    an entry "X gave a position" would name who answered, which the proposal hides from
    everyone, coordinators included."""
    person = person_of(user)
    return (
        Position.objects.filter(proposal__in=_proposal_ids(user))
        .exclude(Q(proposal__anonymous=True) & ~Q(given_by_id=person.pk if person else None))
        .select_related("proposal")
    )


def _meeting_ids(user: Viewer) -> QuerySet:
    return selectors.meetings_for(user).order_by().values("pk")


def _minutes(user: Viewer) -> QuerySet[Minutes]:
    return visible_to(user, Minutes.objects.filter(meeting__in=_meeting_ids(user))).select_related(
        "meeting"
    )


def _agenda_items(user: Viewer) -> QuerySet[AgendaItem]:
    """An item shows with its meeting, unless it is about a proposal the viewer may not see
    (its title may be the proposal's)."""
    return AgendaItem.objects.filter(meeting__in=_meeting_ids(user)).exclude(
        proposal__isnull=False, proposal__in=Proposal.objects.exclude(pk__in=_proposal_ids(user))
    )


def _proposal_link(proposal_id: int, slug: str, anchor: str = "") -> str:
    return reverse("proposal-detail", args=[slug, proposal_id]) + anchor


def _meeting_link(meeting_id: int, slug: str) -> str:
    return reverse("meeting-detail", args=[slug, meeting_id])


def register() -> None:
    register_kind(
        Proposal,
        restricted=True,
        records=lambda user: selectors.proposals_for(user).select_related(None),
        describe=lambda proposal: proposal.title,
        link=lambda proposal, slug: _proposal_link(proposal.pk, slug),
    )
    register_kind(
        ProposalVersion,
        restricted=True,
        records=lambda user: ProposalVersion.objects.filter(proposal__in=_proposal_ids(user)),
        describe=lambda version: version.title,
        link=lambda version, slug: _proposal_link(version.proposal_id, slug),
    )
    register_kind(
        Position,
        restricted=True,
        records=_positions,
        describe=lambda position: position.proposal.title,
        link=lambda position, slug: _proposal_link(position.proposal_id, slug),
    )
    register_kind(
        Comment,
        restricted=True,
        records=lambda user: Comment.objects.filter(
            proposal__in=_proposal_ids(user)
        ).select_related("proposal"),
        describe=lambda comment: comment.proposal.title,
        link=lambda comment, slug: _proposal_link(
            comment.proposal_id, slug, f"#comment-{comment.pk}"
        ),
    )
    register_kind(
        CommentRevision,
        restricted=True,
        records=lambda user: CommentRevision.objects.filter(
            comment__proposal__in=_proposal_ids(user)
        ).select_related("comment__proposal"),
        describe=lambda revision: revision.comment.proposal.title,
        link=lambda revision, slug: _proposal_link(revision.comment.proposal_id, slug),
    )
    register_kind(
        Amendment,
        restricted=True,
        records=lambda user: Amendment.objects.filter(
            proposal__in=_proposal_ids(user)
        ).select_related("proposal"),
        describe=lambda amendment: amendment.proposal.title,
        link=lambda amendment, slug: _proposal_link(amendment.proposal_id, slug, "#amendment"),
    )
    register_kind(
        Meeting,
        restricted=True,
        records=lambda user: (
            selectors.meetings_for(user).select_related(None).prefetch_related(None)
        ),
        describe=lambda meeting: meeting.title,
        link=lambda meeting, slug: _meeting_link(meeting.pk, slug),
    )
    register_kind(
        Minutes,
        restricted=True,
        records=_minutes,
        describe=lambda minutes: minutes.meeting.title,
        link=lambda minutes, slug: _meeting_link(minutes.meeting_id, slug),
    )
    for model in (MinutesDecision, MinutesActionItem):
        register_kind(
            model,
            restricted=True,
            records=lambda user, model=model: model.objects.filter(
                minutes__in=_minutes(user).values("pk")
            ).select_related("minutes__meeting"),
            describe=lambda row: row.minutes.meeting.title,
            link=lambda row, slug: _meeting_link(row.minutes.meeting_id, slug),
        )
    register_kind(
        AgendaItem,
        restricted=True,
        records=lambda user: _agenda_items(user).select_related("meeting"),
        describe=lambda item: f"{item.meeting.title}: {item.title}",
        link=lambda item, slug: _meeting_link(item.meeting_id, slug),
    )
    for model in (Rsvp, Attendance):
        register_kind(
            model,
            restricted=True,
            records=lambda user, model=model: model.objects.filter(
                meeting__in=_meeting_ids(user)
            ).select_related("meeting", "person"),
            describe=lambda row: f"{row.meeting.title}: {row.person.display_name}",
            link=lambda row, slug: _meeting_link(row.meeting_id, slug),
        )
    # Who sits on the committee is known to the whole community.
    register_kind(
        Committee,
        restricted=False,
        describe=lambda committee: committee.name,
        link=lambda committee, slug: reverse("committee", args=[slug]),
    )
    register_kind(
        Seat,
        restricted=False,
        records=lambda user: Seat.objects.select_related("sector", "organization", "primary"),
        describe=lambda seat: f"{seat.sector.localized_name}: {seat.holder_name}",
        link=lambda seat, slug: reverse("committee", args=[slug]),
    )
    register_kind(
        CommitteeMember,
        restricted=False,
        records=lambda user: CommitteeMember.objects.select_related("person"),
        describe=lambda member: member.person.display_name,
        link=lambda member, slug: reverse("committee", args=[slug]),
    )
    register_kind(CalendarFeed, restricted=False, describe=lambda feed: "")
    # Who accepted the trust agreement: the coordinators' to know (and only they read the trail).
    register_kind(
        AgreementAcceptance,
        restricted=False,
        records=lambda user: AgreementAcceptance.objects.select_related("person", "agreement"),
        describe=lambda row: f"{row.person.display_name} (v{row.agreement.number})",
        link=lambda row, slug: reverse("agreement-acceptances", args=[slug]),
    )
    register_actions(
        groups={
            "committee": _("The committee and its roles"),
            "seat": _("Seats"),
            "proposal": _("Proposals"),
            "position": _("Positions"),
            "comment": _("Discussion"),
            "meeting": _("Meetings"),
            "agenda": _("Agendas"),
            "minutes": pgettext_lazy("record of a meeting", "Minutes"),
            "calendar_feed": _("Calendar feeds"),
            "charter": _("The charter"),
            "agreement": _("The trust agreement"),
        },
        labels={
            "committee.update": _("changed the committee's rule"),
            "committee.role": _("gave someone a role on the committee"),
            "committee.role_end": _("ended someone's role on the committee"),
            "seat.create": _("seated someone"),
            "seat.end": _("ended a seat"),
            "seat.alternate_end": _("ended someone's place as a seat's alternate"),
            "proposal.create": _("wrote a proposal"),
            "proposal.update": _("edited a proposal"),
            "proposal.status": _("moved a proposal to another stage"),
            "proposal.statement": _("wrote an outcome statement"),
            "position.cast": _("gave a position"),
            "comment.create": _("commented"),
            "comment.edit": _("edited a comment"),
            "comment.delete": _("deleted a comment"),
            "meeting.schedule": _("scheduled a meeting"),
            "meeting.update": _("changed a meeting"),
            "meeting.reschedule": _("rescheduled a meeting"),
            "meeting.cancel": _("cancelled a meeting"),
            "meeting.held": _("marked a meeting as held"),
            "meeting.rsvp": _("answered whether they will come"),
            "meeting.attendance": _("recorded attendance"),
            "agenda.add": _("added an agenda item"),
            "agenda.suggest": _("suggested an agenda item"),
            "agenda.accepted": _("accepted an agenda item"),
            "agenda.declined": _("declined an agenda item"),
            "agenda.move": _("moved an agenda item"),
            "agenda.remove": _("removed an agenda item"),
            "minutes.write": _("wrote minutes"),
            "minutes.update": _("edited minutes"),
            "minutes.approve": _("approved minutes"),
            "calendar_feed.create": _("made a new calendar feed address"),
            "calendar_feed.revoke": _("stopped their calendar feed"),
            "charter.propose": _("proposed a change to the charter"),
            "charter.revise": _("rewrote a proposed change to the charter"),
            "charter.amend": _("changed the charter through an agreed proposal"),
            "charter.outdated": _("closed a charter change that no longer applied"),
            "agreement.propose": _("proposed a trust agreement"),
            "agreement.revise": _("rewrote a proposed trust agreement"),
            "agreement.amend": _("changed the trust agreement through an agreed proposal"),
            "agreement.outdated": _("closed an agreement change that no longer applied"),
            "agreement.accept": _("accepted the trust agreement"),
        },
    )
