"""The weekly digest of overdue actions, sent through the committee's outbox (DESIGN.md,
"Background work"). `committee` may not import `workplans`, so this module registers the
occasion with the outbox (`committee.services.notifications.register_occasion`, from
`WorkplansConfig.ready()`) and the sweep calls back here.

When: beat runs `tasks.plan_overdue_digests` every hour; a community's digests are planned by
the runs on Monday from 08:00 in the community's own time zone to the end of that Monday. The
key `actions_overdue:{ISO year-week}:{person}` makes every run after the first add only the
people who had nothing overdue before, and nobody gets two digests in a week.

Who: each person on the committee who is responsible for an overdue action they can see, and
each coordinator who can see one. What: `overdue_for` — the actions past their due date and
not done or dropped (`selectors.overdue_actions_for`), only those the person is responsible for
(every one they may see, for a coordinator). It is computed again when the row is sent, so an
action hidden, done or dropped since is not listed, and a digest left empty is not sent."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from committee.models import Notification, NotificationKind
from committee.services import notifications as outbox
from stakeholders.models import Community, Person, Role

from . import selectors
from .models import OPEN_STATUSES, Action, ActionStatus

KIND = NotificationKind.ACTIONS_OVERDUE
# The digest goes out on Mondays (weekday 0) from 08:00 in the community's time zone.
DIGEST_WEEKDAY = 0
DIGEST_HOUR = 8


def overdue_for(person: Person, *, today: date | None = None) -> QuerySet[Action]:
    """The overdue actions `person` may see now and hears of: those they are responsible for,
    or all of them for a coordinator; the most overdue first."""
    actions = selectors.overdue_actions_for(person.user, today=today)
    if person.is_coordinator:
        return actions
    return actions.filter(responsible=person)


def week_of(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_key(week: str, person: Person) -> str:
    return f"{KIND}:{week}:{person.pk}"


def _local(now: datetime, community: Community) -> datetime:
    return timezone.localtime(now, ZoneInfo(community.timezone))


def _is_digest_time(local: datetime) -> bool:
    return local.weekday() == DIGEST_WEEKDAY and local.hour >= DIGEST_HOUR


# --- planning ----------------------------------------------------------------------------------


def plan_overdue_digests(*, now: datetime | None = None) -> int:
    """Plan this week's digest for everyone who has something overdue to hear of, in each
    community where it is Monday from 08:00. Returns how many rows are new; a second run in the
    same week adds only people who had nothing to hear of before."""
    now = now or timezone.now()
    new = 0
    communities = Community.objects.filter(
        pk__in=Action.objects.filter(status__in=sorted(OPEN_STATUSES), due_on__isnull=False).values(
            "community"
        )
    )
    for community in communities:
        local = _local(now, community)
        if _is_digest_time(local):
            new += _plan_community(community, today=local.date(), now=now)
    return new


def _plan_community(community: Community, *, today: date, now: datetime) -> int:
    overdue = Action.objects.filter(
        community=community, status__in=sorted(OPEN_STATUSES), due_on__lt=today
    )
    # Who might hear of something: the responsible people of overdue actions and the
    # coordinators, among those who take part in the committee; `overdue_for` then says, as
    # each of them may see, whether there is anything.
    candidates = (
        Person.objects.filter(
            community=community,
            is_active=True,
            user__is_active=True,
            role__in=[Role.MEMBER, Role.COORDINATOR],
        )
        .filter(Q(role=Role.COORDINATOR) | Q(pk__in=overdue.values("responsible")))
        .select_related("user", "community")
        .order_by("pk")
    )
    week = week_of(today)
    rows = [
        Notification(
            recipient=person,
            kind=KIND,
            key=digest_key(week, person),
            context={"week": week},
            due_at=now,
        )
        for person in candidates
        if overdue_for(person, today=today).exists()
    ]
    keys = [row.key for row in rows]
    existing = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    outbox.plan_notifications(rows)
    return len(set(keys) - existing)


# --- sending (called by the outbox's sweep) ----------------------------------------------------


def why_not_send(row: Notification, recipient: Person, now: datetime) -> str | None:
    today = _local(now, recipient.community).date()
    if row.context.get("week") != week_of(today):
        return "a newer week's digest replaces it"
    if not overdue_for(recipient, today=today).exists():
        return "nothing overdue that the recipient hears of and may see"
    return None


@dataclass(frozen=True)
class OverdueLine:
    """An action as the digest lists it."""

    title: str
    due_on: date
    status: str  # the label, in the recipient's language
    progress: int
    url: str


def render_context(row: Notification, recipient: Person) -> dict:
    """What the email's block lists: the overdue actions the recipient hears of and may see now,
    each with its due date, status, progress and link."""
    slug = recipient.community.slug
    lines = [
        OverdueLine(
            title=action.title,
            due_on=action.due_on,
            status=ActionStatus(action.status).label,
            progress=action.progress,
            url=_absolute("workplan-action", slug=slug, pk=action.pk),
        )
        for action in overdue_for(recipient).prefetch_related(None)
    ]
    subject = ngettext(
        "%(count)d overdue action to follow up",
        "%(count)d overdue actions to follow up",
        len(lines),
    ) % {"count": len(lines)}
    return {
        "subject": subject,
        "url": _absolute("workplan", slug=slug),
        "overdue_actions": lines,
    }


def _absolute(name: str, **kwargs) -> str:
    return f"{settings.SITE_URL}{reverse(name, kwargs=kwargs)}"


def register() -> None:
    """Called from `WorkplansConfig.ready()`."""
    outbox.register_occasion(KIND, why_not_send=why_not_send, render_context=render_context)
