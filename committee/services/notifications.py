"""The notification outbox: every reminder or notification is first a row (`Notification`),
with a key unique per recipient and occasion, then sent by the periodic sweep.

BEING WRITTEN: the functions below are the interface other services call; until they are filled
in they do nothing."""

from datetime import datetime

from ..models import Meeting, Proposal


def plan_meeting_notifications(meeting: Meeting) -> None:
    """Reminders at the configured offsets before the start to everyone who may see the
    meeting (sent unless they declined), and the unwritten-minutes reminder to coordinators."""


def meeting_rescheduled(meeting: Meeting, *, old_starts_at: datetime) -> None:
    """Replace the meeting's pending reminders (none for the old time) and tell its people."""


def meeting_cancelled(meeting: Meeting) -> None:
    """Cancel the meeting's pending reminders and tell its people."""


def proposal_opened(proposal: Proposal) -> None:
    """Tell the committee members who may see it; plan the 24-hour reminder to seats."""


def proposal_closed(proposal: Proposal) -> None:
    """Send the frozen outcome to everyone who may see the proposal."""
