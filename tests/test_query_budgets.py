"""Query budgets: every page and API endpoint that reads (a list or a record) costs the same
number of SQL queries with 1 record as with 30 (no N+1), and that number is written here.

A coordinator (who sees the most: onboarding, the audit trail, every committee record) reads
each route once with one of everything, then again after 29 more of everything were added:
proposals (each open, with a position and a comment), comments on the first proposal, meetings
(the first with agenda items and answers), organization notes, organizations, people,
invitations, needs, community profile entries, actions with an indicator and progress updates,
and the notifications all of this sent. (The charter and agreement pages are measured with the
model's charter and no agreement: their versions do not grow here.)

A new route fails `test_every_read_route_has_a_budget` until it gets a budget here (or is named
in NOT_A_READ, if it only writes). When a change adds a query on purpose, update the number."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from committee import services as committee_services
from committee.models import Meeting, Proposal
from stakeholders import services as stakeholder_services
from stakeholders.models import Organization, Visibility
from tests.conftest import Personas, make_organization, make_person, make_proposal
from tests.workplans.conftest import community_today
from workplans import services as workplan_services
from workplans.models import Action, Need

SLUG = "riverside"

# Pages: route name -> queries. Each is read by the coordinator at 1 and at 30 records.
PAGE_BUDGETS = {
    "community-home": 20,
    "stakeholder-map": 9,
    "organization-detail": 10,
    "note-list": 8,
    "note-detail": 8,
    "people-list": 9,
    "person-detail": 12,
    "my-profile": 9,
    "my-sessions": 7,
    "my-data": 54,
    "my-data-json": 53,
    "audit-trail": 12,
    "sector-list": 7,
    "onboarding": 11,
    "committee": 15,
    "committee-settings": 9,
    "committee-seats": 19,
    "proposal-list": 19,
    "proposal-detail": 20,
    "proposal-version": 14,
    "notification-list": 9,
    "notification-settings": 7,
    "meeting-list": 10,
    "meeting-detail": 21,
    "meeting-calendar": 7,
    "my-calendar": 7,
    "calendar-feed": 9,
    "workplan-adapting": 19,
    "workplan-outcomes": 7,
    "workplan-needs": 9,
    "workplan-need-detail": 16,
    "workplan-priorities": 17,
    "workplan-priority-round": 11,
    "workplan": 15,
    "workplan-action": 17,
    "workplan-progress": 15,
    "workplan-export": 14,
    "workplan-print": 15,
    "workplan-reality": 9,
    "charter": 9,
    "charter-version": 7,
    "charter-propose": 9,
    "agreement": 10,
    "agreement-acceptances": 10,
    "agreement-propose": 9,
    "public-page": 12,
    "public-settings": 15,
    "public-year": 11,
}

# API routes (namespace "api"): route name -> queries.
API_BUDGETS = {
    "community-list": 7,
    "community-detail": 6,
    "sector-list": 7,
    "sector-detail": 6,
    "organization-list": 7,
    "organization-detail": 6,
    "person-list": 8,
    "person-detail": 7,
    "invitation-list": 8,
    "invitation-detail": 7,
    "organization-note-list": 8,
    "organization-note-detail": 7,
    "committee-list": 13,
    "committee-detail": 12,
    "proposal-list": 13,
    "proposal-detail": 19,
    "proposal-comments": 9,
    "proposal-history": 10,
    "proposal-positions": 10,
    "meeting-list": 9,
    "meeting-detail": 19,
    "meeting-attendance": 10,
    "notification-list": 7,
    "notification-unread-count": 6,
    "notification-detail": 6,
    "notification-preference-list": 6,
    "workplan-list": 15,
    "workplan-detail": 14,
    "need-list": 8,
    "need-results": 12,
    "need-detail": 7,
    "action-area-list": 9,
    "action-area-detail": 8,
    "objective-list": 7,
    "objective-detail": 6,
    "action-list": 10,
    "action-detail": 10,
    "action-updates": 11,
    "intended-outcome-list": 6,
    "reality-entry-list": 8,
    "reality-entry-detail": 7,
    "charter-list": 6,
    "agreement-list": 6,
}


# Routes that do not read a list or a record: forms that write, and actions (POST).
NOT_A_READ = {
    *("my-password", "my-session-end", "my-sessions-end-others", "my-sessions-end-all"),
    *("my-leave", "person-unpause", "person-membership", "person-reopen"),
    *("invitation-accept", "invitation-revoke", "invitation-resend", "two-factor-verify"),
    *("two-factor-setup", "two-factor-off", "two-factor-recovery-codes", "seat-end"),
    *("committee-role", "proposal-create"),
    *("proposal-edit", "proposal-move", "proposal-revise", "proposal-position"),
    *("comment-create", "comment-edit", "comment-delete", "notification-read"),
    *("meeting-create", "meeting-edit", "meeting-cancel", "meeting-held", "meeting-rsvp"),
    *("meeting-attendance", "agenda-add", "agenda-suggest", "agenda-item", "minutes-edit"),
    *("minutes-approve", "workplan-need-create", "workplan-need-edit"),
    *("workplan-need-status", "workplan-priorities-open", "workplan-priorities-close"),
    *("workplan-dots", "workplan-approve", "workplan-area-create", "workplan-area-edit"),
    *("workplan-area-move", "workplan-area-propose", "workplan-area-agree"),
    *("workplan-objective-create", "workplan-objective-edit", "workplan-objective-move"),
    *("workplan-action-create", "workplan-action-edit", "workplan-action-move"),
    *("workplan-action-status", "workplan-action-progress", "workplan-action-update"),
    *("workplan-action-indicator", "proposal-statement", "proposal-amendment-edit"),
    *("agreement-accept", "workplan-publish", "workplan-reality-create", "workplan-reality-edit"),
    "home",  # a redirect to one's community
}


# --- the routes ----------------------------------------------------------------------------------


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


def read_routes() -> tuple[set[str], set[str]]:
    """The names of the pages of the apps, and of the API routes that answer GET."""
    pages, api = set(), set()
    for name, pattern in _walk(get_resolver().url_patterns):
        module = pattern.callback.__module__.split(".")[0]
        if name.startswith("api:"):
            actions = getattr(pattern.callback, "actions", None) or {}
            if "get" in actions:
                api.add(name.removeprefix("api:"))
        elif module in {"stakeholders", "committee", "workplans", "public"}:
            pages.add(name)
    return pages, api


def test_every_read_route_has_a_budget():
    pages, api = read_routes()
    missing_pages = pages - set(PAGE_BUDGETS) - NOT_A_READ
    missing_api = api - set(API_BUDGETS) - {"api-root"}
    assert not missing_pages, f"pages with no query budget: {sorted(missing_pages)}"
    assert not missing_api, f"API routes with no query budget: {sorted(missing_api)}"
    assert not (set(PAGE_BUDGETS) - pages), "budgets for pages that no longer exist"
    assert not (set(API_BUDGETS) - api), "budgets for API routes that no longer exist"


# --- the world -----------------------------------------------------------------------------------


@dataclass
class World:
    p: Personas
    grown: int = 0
    first: dict = field(default_factory=dict)

    def start(self) -> None:
        """What there is one of however many records: a revised proposal (so an earlier
        version), the coordinator's calendar feed, a closed round of priorities and an open
        one."""
        p = self.p
        revised = make_proposal(p.coordinator, "Revised", status="decision")
        committee_services.cast_position(
            person=p.police, proposal=revised, stance="block", reason="Not yet."
        )
        revised = committee_services.close_proposal(actor=p.coordinator, proposal=revised)
        self.first["revised"] = committee_services.revise_proposal(
            actor=p.coordinator, proposal=revised, title="Revised", body="Again."
        )
        self.first["feed"] = committee_services.create_calendar_feed(person=p.coordinator)
        earlier = workplan_services.open_prioritization(actor=p.coordinator, title="Earlier")
        self.first["round"] = workplan_services.close_prioritization(
            actor=p.coordinator, prioritization=earlier
        )
        self.first["open round"] = workplan_services.open_prioritization(
            actor=p.coordinator, title="Now", dots_per_member=20
        )

    def grow(self, how_many: int) -> None:
        """Add `how_many` of everything (see the module's docstring)."""
        p = self.p
        if not self.first:
            self.start()
        for _ in range(how_many):
            number = self.grown = self.grown + 1
            proposal = make_proposal(p.coordinator, f"Proposal {number}", status="decision")
            committee_services.cast_position(person=p.police, proposal=proposal, stance="agree")
            committee_services.add_comment(author=p.police, proposal=proposal, body="Fine.")
            self.first.setdefault("proposal", proposal)
            committee_services.add_comment(
                author=p.health, proposal=self.first["proposal"], body=f"Comment {number}"
            )
            starts_at = timezone.now() + timedelta(days=number)
            meeting = committee_services.schedule_meeting(
                actor=p.coordinator,
                title=f"Meeting {number}",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2),
                place="Riverside Hall",
                visibility=Visibility.COMMITTEE,
            )
            self.first.setdefault("meeting", meeting)
            committee_services.add_agenda_item(
                actor=p.coordinator,
                meeting=self.first["meeting"],
                title=f"Item {number}",
                proposal=proposal,
            )
            organization = make_organization(p.community, "health", f"Clinic {number}")
            self.first.setdefault("organization", organization)
            person = make_person(
                p.community,
                f"member{number}",
                sector_keys=("health",),
                organization=organization,
            )
            committee_services.rsvp(
                person=person, meeting=self.first["meeting"], answer="attending"
            )
            stakeholder_services.write_organization_note(
                author=p.coordinator,
                organization=self.first["organization"],
                body=f"Note {number}",
                visibility=Visibility.COMMITTEE,
            )
            stakeholder_services.invite_person(
                actor=p.coordinator,
                email=f"invitee{number}@example.org",
                sectors=[p.sector("residents")],
            )
            need = workplan_services.record_need(
                author=p.resident,
                title=f"Need {number}",
                sector=p.sector("residents"),
                visibility=Visibility.COMMITTEE,
            )
            self.first.setdefault("need", need)
            voters = [p.resident, p.business, p.health, p.police, p.experiential]
            workplan_services.vote(
                actor=voters[number % len(voters)],
                prioritization=self.first["open round"],
                need=need,
            )
            if "objective" not in self.first:
                area = workplan_services.create_action_area(
                    actor=p.coordinator, title="Area", visibility=Visibility.COMMITTEE, needs=[need]
                )
                self.first["area"] = area
                self.first["objective"] = workplan_services.create_objective(
                    actor=p.coordinator, area=area, title="Objective"
                )
            action = workplan_services.create_action(
                actor=p.coordinator,
                objective=self.first["objective"],
                title=f"Action {number}",
                visibility=Visibility.COMMITTEE,
                responsible=p.health,
            )
            self.first.setdefault("action", action)
            indicator = workplan_services.add_indicator(
                actor=p.coordinator, action=action, name="People reached", target=100
            )
            workplan_services.add_progress_update(
                actor=p.coordinator,
                action=action,
                on=community_today(),
                indicator=indicator,
                value=number,
            )
            reality = workplan_services.record_reality_entry(
                author=p.health,
                kind="services",
                sector=p.sector("health"),
                observed_on=community_today(),
                text=f"Observation {number}",
                visibility=Visibility.COMMITTEE,
            )
            self.first.setdefault("reality", reality)
            workplan_services.add_progress_update(
                actor=p.coordinator,
                action=self.first["action"],
                on=community_today(),
                note=f"Update {number}",
            )
        committee_services.send_due_notifications()

    def page_url(self, name: str) -> str:
        kwargs = {"slug": SLUG}
        record = {
            "organization-detail": self.first["organization"],
            "note-detail": self.first["organization"].notes.first(),
            "person-detail": self.p.health,
            "proposal-detail": self.first["proposal"],
            "meeting-detail": self.first["meeting"],
            "meeting-calendar": self.first["meeting"],
            "workplan-need-detail": self.first["need"],
            "workplan-action": self.first["action"],
            "workplan-priority-round": self.first["round"],
        }.get(name)
        if record is not None:
            kwargs["pk"] = record.pk
        if name == "public-year":
            kwargs["year"] = community_today().year
        if name == "charter-version":
            kwargs["number"] = 1
        if name == "proposal-version":
            kwargs.update(pk=self.first["revised"].pk, number=1)
        if name == "calendar-feed":
            kwargs = {"token": committee_services.calendar_feed_token(self.first["feed"])}
        if name == "audit-trail":  # one kind of entry, so that a page holds the same kinds
            return reverse(name, kwargs=kwargs) + "?group=proposal"
        return reverse(name, kwargs=kwargs)

    def api_url(self, name: str) -> str:
        if name == "charter-list":
            return reverse("api:charter-list", kwargs={"community_pk": self.p.community.pk})
        if name.endswith("-list") or name in {"notification-unread-count", "need-results"}:
            return reverse(f"api:{name}")
        p = self.p
        record = {
            "community": p.community,
            "sector": p.sector("health"),
            "organization": self.first["organization"],
            "person": p.health,
            "invitation": p.community.invitations.first(),
            "organization-note": self.first["organization"].notes.first(),
            "committee": self.first["proposal"].committee,
            "proposal": self.first["proposal"],
            "meeting": self.first["meeting"],
            "notification": p.coordinator.notifications.filter(state="sent").first(),
            "workplan": p.community,  # a work plan is its community's
            "need": self.first["need"],
            "action-area": self.first["area"],
            "objective": self.first["objective"],
            "action": self.first["action"],
            "reality-entry": self.first["reality"],
        }[name.rsplit("-", 1)[0] if not name.endswith("-detail") else name[: -len("-detail")]]
        return reverse(f"api:{name}", kwargs={"pk": record.pk})


def queries_for(client: Client, url: str, **headers) -> int:
    client.get(url, **headers)  # warm the per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


def measure(world: World, client: Client) -> dict[str, int]:
    counts = {name: queries_for(client, world.page_url(name)) for name in PAGE_BUDGETS}
    counts |= {
        f"api:{name}": queries_for(client, world.api_url(name), HTTP_ACCEPT="application/json")
        for name in API_BUDGETS
    }
    return counts


def test_every_read_route_costs_its_budget_for_1_and_for_30_records(personas, seated):
    world = World(personas)
    client = Client()
    client.force_login(personas.coordinator.user)
    world.grow(1)
    with_one = measure(world, client)
    world.grow(29)
    with_thirty = measure(world, client)

    budgets = PAGE_BUDGETS | {f"api:{name}": value for name, value in API_BUDGETS.items()}
    grows = {
        name: (with_one[name], with_thirty[name])
        for name in budgets
        if with_one[name] != with_thirty[name]
    }
    off = {name: with_one[name] for name in budgets if with_one[name] != budgets[name]}
    assert not grows, f"queries grow with the records (1 → 30): {grows}"
    assert not off, f"queries differ from the budget: {off}"
    assert Proposal.objects.count() == 31  # and the revised one
    assert Meeting.objects.count() == Need.objects.count() == 30
    assert Action.objects.count() == 30 and Organization.objects.count() >= 30
