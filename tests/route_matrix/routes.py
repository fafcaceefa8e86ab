"""Every route the project serves, and what each persona gets from it (see the docstring of
`tests/test_route_matrix.py` for how to add one).

An entry says which records fill the route's arguments (`records`), for whom the route exists
at all (`readers`), the status of a GET for a reader who may see the record (`get`), what an
anonymous visitor gets, whether hidden records are also tried with POST (`post`), and which
record kinds a 200 must list exactly as the persona may see them (`exact`)."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.urls import URLPattern, URLResolver, get_resolver

from tests.workplans.conftest import community_today

from .world import CAUCUS, COMMUNITY, COORDINATOR, MEMBERS, SIGNED_IN, World

MISSING = 999_999
LOGIN = "login"  # a redirect to the sign-in page, back to this address afterwards
ONBOARDERS = COORDINATOR | {"admin"}

Records = Callable[[World], dict[str, dict]]


@dataclass(frozen=True)
class Route:
    records: Records  # label -> the route's arguments (besides the community's slug)
    readers: frozenset[str] = frozenset(COMMUNITY)
    get: int = 200
    anonymous: int | str = LOGIN
    post: dict | None = None  # a hidden record is POSTed this and must be a 404
    exact: frozenset[str] = frozenset()  # kinds a 200 lists exactly as the persona may see
    api: bool = False
    slug: bool = True  # the route takes the community's slug
    # The address itself is the credential (an invitation link, a calendar feed): it shows its
    # owner's records to whoever holds it, so the labels it shows are checked elsewhere.
    credential: bool = False
    # Who, among the readers who may see a record, the route exists for (e.g. who may edit it).
    editors: Callable[[str], set[str]] | None = None
    statuses: dict[str, int] = field(default_factory=dict)  # a GET's status, by record label
    # Who may see a record through this route, where it differs from `world.SEES` (by label).
    readers_of: dict[str, frozenset[str]] = field(default_factory=dict)
    # The personas it is tried as, when its answer cannot depend on who asks (all by default).
    personas: tuple[str, ...] | None = None

    @property
    def post_only(self) -> bool:
        """The method is checked before anything else: a GET is 405 for everyone."""
        return self.get == 405 and self.anonymous == 405


def none(world: World) -> dict[str, dict]:
    return {"": {}}


def each(kind: str, key: str = "pk") -> Records:
    """Every record of a kind (each visibility, and the other community's), and a missing id."""

    def records(world: World) -> dict[str, dict]:
        found = {label: {key: record.pk} for label, record in world.of_kind(kind).items()}
        return {**found, "missing": {key: MISSING}}

    return records


def with_child(kind: str, child_key: str, child: Callable) -> Records:
    """Every record of a kind that has a child, with that child's id (for nested addresses)."""

    def records(world: World) -> dict[str, dict]:
        found = {}
        for label, record in world.of_kind(kind).items():
            first = child(world, record)
            if first is not None:
                found[label] = {"pk": record.pk, child_key: first}
        any_child = next(iter(found.values()))[child_key]
        return {**found, "missing": {"pk": MISSING, child_key: any_child}}

    return records


def page(records: Records = none, **options) -> Route:
    return Route(records=records, **options)


# A GET of a POST-only page is refused before anyone or anything is looked up, so it is tried
# as a few personas only (every persona still POSTs to it, see `post`).
POST_ONLY_GETTERS = ("anonymous", "coordinator", "outsider")


# A secondary address under a record (its edit page, its calendar file, its history ...) finds
# the record through the same selector as the record's own page, which the matrix tries as
# every persona: it is tried as one persona of each kind the world tells apart (the caucus, the
# police organization, an author of coordinators-only records, a member who only observes, the
# coordinator, another community, a visitor).
SUB_ADDRESS = (
    "anonymous",
    "experiential",
    "police",
    "resident",
    "observer",
    "coordinator",
    "outsider",
)


def sub(route: Route) -> Route:
    return replace(route, personas=SUB_ADDRESS)


# A directory record (a person, a sector, an organization, the community, its committee) is
# seen by everyone in its community: who asks matters only as a member, an observer, an
# administrator, the coordinator, another community or a visitor.
DIRECTORY = ("anonymous", "experiential", "observer", "admin", "coordinator", "outsider")


def directory(route: Route) -> Route:
    return replace(route, personas=DIRECTORY)


# The address is the key (a calendar feed, an invitation link): the same to whoever holds it.
KEY_HOLDERS = ("anonymous", "coordinator", "outsider")


def post_only(records: Records = none, data: dict | None = None, **options) -> Route:
    """A page that only takes POST: a GET is 405 for everyone (the method is checked first)."""
    options.setdefault("personas", POST_ONLY_GETTERS)
    return Route(records=records, get=405, anonymous=405, post=data or {}, **options)


def api(records: Records = none, *, get: int = 200, post: dict | None = None, **options) -> Route:
    options.setdefault("readers", frozenset(SIGNED_IN))
    anonymous = options.pop("anonymous", 403)
    return Route(
        records=records, get=get, anonymous=anonymous, post=post, api=True, slug=False, **options
    )


def api_post_only(records: Records, data: dict | None = None) -> Route:
    """The API refuses a GET of an action before it looks anything up: tried as a few personas
    (every persona still POSTs to it, see `post`)."""
    return api(records, get=405, post=data or {}, personas=POST_ONLY_GETTERS)


def planners(label: str) -> set[str]:
    """Coordinators plan what they see; a caucus plans its own records (and what sits under
    its caucus area)."""
    return CAUCUS if label.endswith((":caucus", ":in-caucus-area")) else COORDINATOR


# Who wrote the needs and community profile entries that their author may edit.
AUTHORS = {
    "need:committee": "resident",
    "need:caucus": "experiential",
    "need:organization": "police",
    "need:coordinators": "resident",
    "reality:public": "coordinator",
    "reality:committee": "resident",
    "reality:caucus": "experiential",
    "reality:organization": "police",
    "reality:coordinators": "resident",
}


def author_editors(label: str) -> set[str]:
    """A need's or a community profile entry's author and the coordinators edit it."""
    return COORDINATOR | {AUTHORS.get(label, "coordinator")}


def first_comment(world, proposal):
    comment = proposal.comments.first()
    return comment.pk if comment else None


def agenda_items(world: World) -> dict[str, dict]:
    found = {
        label: {"pk": item.meeting_id, "item_pk": item.pk}
        for label, item in world.of_kind("agenda").items()
    }
    hidden_meeting = world.records["meeting:coordinators"]
    return {
        **found,
        "missing": {"pk": MISSING, "item_pk": MISSING},
        # an item id under a meeting the persona may not see
        "meeting:coordinators": {
            "pk": hidden_meeting.pk,
            "item_pk": found["agenda:plain"]["item_pk"],
        },
    }


def dots(world: World) -> dict[str, dict]:
    return {
        label: {"pk": world.prioritization.pk, "need_pk": record.pk}
        for label, record in world.of_kind("need").items()
    } | {"missing": {"pk": world.prioritization.pk, "need_pk": MISSING}}


def people(world: World) -> dict[str, dict]:
    return {
        f"person:{persona}": {"pk": person.pk}
        for persona, person in world.people.items()
        if person is not None
    } | {"missing": {"pk": MISSING}}


def sessions(world: World) -> dict[str, dict]:
    return {
        f"session:{persona}": {"pk": session.pk} for persona, session in world.sessions.items()
    } | {"missing": {"pk": MISSING}}


def notifications(world: World) -> dict[str, dict]:
    """One in-app notification of each member: only its recipient reads it."""
    from committee.models import Notification

    found = {}
    for persona, person in world.people.items():
        row = Notification.objects.filter(recipient=person, in_app=True).first() if person else None
        if row is not None:
            found[f"notification:{persona}"] = {"pk": row.pk}
    return found | {"missing": {"pk": MISSING}}


def calendar_feeds(world: World) -> dict[str, dict]:
    return {
        f"feed:{persona}": {"token": token} for persona, token in world.calendar_tokens.items()
    } | {"missing": {"token": "not-a-feed"}}


def invitation_tokens(world: World) -> dict[str, dict]:
    from stakeholders.services import invitation_token

    return {
        f"token:{label.split(':')[1]}": {"token": invitation_token(record)}
        for label, record in world.of_kind("invitation").items()
    } | {"missing": {"token": "not-an-invitation"}}


def single(name: str, value: Callable[[World], dict]) -> Records:
    return lambda world: {name: value(world)}


def community_of(world: World) -> dict:
    return {"pk": world.riverside.pk}


def other_community(world: World) -> dict:
    return {"pk": world.harbourview.pk}


ROUTES: dict[str, Route] = {
    # --- the project's own --------------------------------------------------------------------
    "home": sub(page(readers=frozenset(SIGNED_IN), get=302, slug=False)),
    # signed in already: on to the home page
    "login": sub(page(readers=frozenset(SIGNED_IN), get=302, anonymous=200, slug=False)),
    "logout": post_only(slug=False),
    "security-txt": sub(page(readers=frozenset(SIGNED_IN), anonymous=200, slug=False)),
    # what the API offers, not what it holds: open to anyone
    "api-schema": api(anonymous=200, personas=("anonymous", "coordinator")),
    "api-docs": api(anonymous=200, personas=("anonymous", "coordinator")),
    # --- stakeholders --------------------------------------------------------------------------
    "invitation-accept": page(
        invitation_tokens,
        readers=frozenset(SIGNED_IN),
        anonymous=200,
        slug=False,
        credential=True,
        personas=KEY_HOLDERS,
    ),
    "stakeholder-map": page(),
    "organization-detail": page(
        lambda w: {"organization:police": {"pk": w.people["police"].organization_id}},
        exact=frozenset({"note"}),
    ),
    "note-list": page(exact=frozenset({"note"})),
    "note-detail": page(each("note")),
    "people-list": directory(page()),
    "person-detail": directory(page(people)),
    "person-unpause": post_only(people),
    "person-membership": post_only(people),
    "person-reopen": post_only(people),
    "my-profile": sub(page()),
    "my-password": sub(page()),
    "my-sessions": sub(page()),
    "my-session-end": post_only(sessions),
    "my-sessions-end-others": post_only(),
    "my-sessions-end-all": post_only(),
    "my-data": page(),
    "my-data-json": page(),
    "my-leave": sub(page()),
    "audit-trail": page(readers=frozenset(COORDINATOR)),
    # nothing to verify without a device: on to the home page
    "two-factor-verify": sub(page(readers=frozenset(SIGNED_IN), get=302, slug=False)),
    "two-factor-setup": sub(page(readers=frozenset(SIGNED_IN), slug=False)),
    "two-factor-recovery-codes": post_only(slug=False),
    "two-factor-off": post_only(slug=False),
    "sector-list": page(readers=frozenset(COORDINATOR)),
    "onboarding": page(readers=frozenset(ONBOARDERS)),
    "invitation-revoke": post_only(each("invitation")),
    "invitation-resend": post_only(each("invitation")),
    # --- the committee -------------------------------------------------------------------------
    # --- the public page (off in the world: see `test_the_public_page_when_it_is_on`) ----------
    # A community's people get its home; anyone else its public page, which is off: a 404.
    "community-home": page(anonymous=404),
    "public-page": page(anonymous=404),  # its people preview it while it is off
    "public-year": page(lambda w: {"": {"year": community_today().year}}, anonymous=404),
    "public-settings": page(readers=frozenset(COORDINATOR)),
    "api:public-page": api(
        lambda w: {"public:riverside": {"slug": w.riverside.slug}, "missing": {"slug": "nowhere"}},
        anonymous=404,
        readers_of={"public:riverside": frozenset()},  # the same to everyone: off
        personas=("anonymous", "coordinator", "outsider"),
    ),
    "committee": page(readers=frozenset(MEMBERS)),  # administrators see no committee content
    "committee-settings": page(readers=frozenset(COORDINATOR)),
    "committee-seats": page(readers=frozenset(COORDINATOR)),
    "seat-end": post_only(
        lambda w: {
            "seat:police": {"pk": w.seats["law-enforcement"].pk},
            "missing": {"pk": MISSING},
        }
    ),
    "committee-role": post_only(),
    "proposal-list": page(exact=frozenset({"proposal"})),
    "proposal-create": page(readers=frozenset(MEMBERS - {"observer"})),
    "proposal-detail": page(each("proposal"), exact=frozenset({"comment", "reason"})),
    "proposal-edit": sub(page(each("proposal"))),
    # only a proposal carrying a new charter or agreement has a text to rewrite
    "proposal-amendment-edit": sub(
        page(
            each("proposal"),
            get=404,
            statuses={"proposal:amendment": 200},
            post={"title": "x", "body": "y"},
        )
    ),
    # --- the charter and the trust agreement (none agreed in the world: nothing is gated) ------
    "charter": page(),
    "charter-version": page(
        lambda w: {"charter:1": {"number": 1}, "missing": {"number": MISSING}},
        personas=("anonymous", "experiential", "admin", "outsider"),
    ),
    "charter-propose": page(readers=frozenset(MEMBERS - {"observer"})),
    "agreement": page(readers=frozenset(MEMBERS)),
    "agreement-accept": post_only(),
    "agreement-propose": page(readers=frozenset(MEMBERS - {"observer"})),
    "agreement-acceptances": page(readers=frozenset(COORDINATOR)),
    "proposal-move": post_only(each("proposal"), {"to": "withdrawn"}),
    "proposal-revise": sub(page(each("proposal"), post={"title": "x", "body": "y"})),
    "proposal-statement": post_only(each("proposal"), {"outcome_statement": "x"}),
    "proposal-position": sub(page(each("proposal"), post={"stance": "agree"})),
    "proposal-version": sub(
        page(  # the current version: on to the proposal's page
            get=302,
            records=lambda w: (
                {label: {"pk": r.pk, "number": 1} for label, r in w.of_kind("proposal").items()}
                | {"missing": {"pk": MISSING, "number": 1}}
            ),
        )
    ),
    "comment-create": sub(page(each("proposal"), get=302, post={"body": "x"})),
    "comment-edit": sub(
        page(with_child("proposal", "comment_pk", first_comment), post={"body": "x"})
    ),
    "comment-delete": post_only(with_child("proposal", "comment_pk", first_comment)),
    "notification-list": page(readers=frozenset(MEMBERS)),
    "notification-read": page(readers=frozenset(MEMBERS), get=405),
    "notification-settings": sub(page(readers=frozenset(MEMBERS))),
    "meeting-list": page(exact=frozenset({"meeting"})),
    "meeting-create": page(readers=frozenset(COORDINATOR)),
    "meeting-detail": page(each("meeting")),
    "meeting-edit": sub(page(each("meeting"), readers=frozenset(COORDINATOR), post={"title": "x"})),
    "meeting-cancel": sub(page(each("meeting"), readers=frozenset(COORDINATOR), post={})),
    "meeting-held": post_only(each("meeting")),
    "meeting-rsvp": sub(
        page(each("meeting"), readers=frozenset(MEMBERS), post={"answer": "attending"})
    ),
    "meeting-attendance": post_only(each("meeting")),
    "agenda-add": post_only(each("meeting"), {"title": "x"}),
    "agenda-suggest": post_only(each("meeting"), {"title": "x"}),
    "agenda-item": post_only(
        agenda_items,
        {"action": "remove"},
        # An item on the agenda is there for everyone who sees the meeting (one about a hidden
        # proposal without its title); a suggestion only for its author and the coordinators;
        # an item is never found under another meeting.
        readers_of={
            "agenda:plain": frozenset(MEMBERS),
            "agenda:about-caucus": frozenset(MEMBERS),
            "meeting:coordinators": frozenset(),
        },
    ),
    "minutes-edit": sub(
        page(
            each("meeting"),
            readers=frozenset(COORDINATOR),
            # not started yet: back to the meeting's page
            statuses={
                label: 302
                for label in ("meeting:organization", "meeting:coordinators", "meeting:upcoming")
            },
            post={"body": "x", "visibility": "committee"},
        )
    ),
    "minutes-approve": post_only(each("meeting")),
    "calendar-feed": page(
        calendar_feeds,
        readers=frozenset(SIGNED_IN),
        anonymous=200,
        slug=False,
        credential=True,
        personas=KEY_HOLDERS,
    ),
    "meeting-calendar": sub(page(each("meeting"))),
    "my-calendar": page(readers=frozenset(MEMBERS)),
    # --- the work plan -------------------------------------------------------------------------
    "workplan-adapting": page(),
    "workplan-outcomes": page(),
    "workplan-reality": page(exact=frozenset({"reality"})),
    "workplan-reality-create": page(readers=frozenset(MEMBERS)),
    "workplan-reality-edit": sub(page(each("reality"), editors=author_editors, post={"text": "x"})),
    "workplan-publish": post_only(),
    "workplan-needs": page(exact=frozenset({"need"})),
    "workplan-need-create": page(readers=frozenset(MEMBERS)),
    "workplan-need-detail": page(each("need")),
    "workplan-need-edit": sub(page(each("need"), editors=author_editors, post={"title": "x"})),
    "workplan-need-status": post_only(each("need"), {"status": "addressed"}),
    "workplan-priorities": page(),
    "workplan-priorities-open": page(readers=frozenset(COORDINATOR)),
    "workplan-priority-round": page(  # the open round: on to the priorities page
        lambda w: {"round": {"pk": w.prioritization.pk}}, readers=frozenset(MEMBERS), get=302
    ),
    "workplan-priorities-close": post_only(
        lambda w: {"round": {"pk": w.prioritization.pk}, "missing": {"pk": MISSING}}
    ),
    "workplan-dots": post_only(dots, {"dots": 1}),
    "workplan": page(exact=frozenset({"area", "objective", "action"})),
    "workplan-approve": page(readers=frozenset(MEMBERS)),
    "workplan-area-create": page(readers=frozenset(MEMBERS)),
    "workplan-area-edit": sub(page(each("area"), editors=planners, post={"title": "x"})),
    "workplan-area-move": post_only(each("area"), {"direction": "up"}),
    "workplan-area-propose": post_only(each("area")),
    "workplan-area-agree": post_only(each("area")),
    "workplan-objective-create": post_only(each("area"), {"title": "x"}),
    "workplan-objective-edit": sub(page(each("objective"), editors=planners, post={"title": "x"})),
    "workplan-objective-move": post_only(each("objective"), {"direction": "up"}),
    "workplan-action-create": sub(
        page(each("objective"), readers=frozenset(MEMBERS), post={"title": "x"})
    ),
    "workplan-action": page(each("action"), exact=frozenset({"indicator", "update"})),
    "workplan-action-edit": sub(page(each("action"), editors=planners, post={"title": "x"})),
    "workplan-action-move": post_only(each("action"), {"direction": "up"}),
    "workplan-action-status": post_only(each("action"), {"status": "dropped"}),
    "workplan-action-progress": post_only(each("action"), {"progress": 50}),
    "workplan-action-update": post_only(each("action"), {"note": "x"}),
    "workplan-action-indicator": post_only(each("action"), {"name": "x"}),
    # the charts (SVG and their text), the CSV and the printable page: indicators too
    "workplan-progress": page(exact=frozenset({"area", "action", "indicator"})),
    "workplan-export": page(exact=frozenset({"area", "objective", "action", "indicator"})),
    "workplan-print": page(exact=frozenset({"area", "objective", "action", "indicator"})),
    # --- the API -------------------------------------------------------------------------------
    "api:api-root": api(),
    "api:api-token": api(readers=frozenset(), get=405, anonymous=405),
    "api:community-list": api(),
    "api:community-detail": directory(
        api(
            lambda w: (
                {
                    "community:riverside": community_of(w),
                    "community:harbourview": other_community(w),
                }
                | {"missing": {"pk": MISSING}}
            )
        )
    ),
    "api:sector-list": api(),
    "api:sector-detail": directory(
        api(
            lambda w: {
                "sector:riverside": {"pk": w.riverside.sectors.first().pk},
                "sector:harbourview": {"pk": w.harbourview.sectors.first().pk},
                "missing": {"pk": MISSING},
            }
        )
    ),
    "api:organization-list": api(),
    "api:organization-detail": directory(
        api(
            lambda w: {
                "organization:police": {"pk": w.people["police"].organization_id},
                "organization:harbourview": {"pk": w.people["outsider"].organization_id},
                "missing": {"pk": MISSING},
            }
        )
    ),
    "api:person-list": directory(api()),
    "api:person-detail": directory(api(people)),
    "api:invitation-list": api(exact=frozenset({"invitation"})),
    "api:invitation-detail": api(each("invitation")),
    "api:invitation-revoke": api_post_only(each("invitation")),
    "api:organization-note-list": api(exact=frozenset({"note"})),
    "api:organization-note-detail": api(each("note")),
    "api:charter-list": directory(
        api(
            lambda w: {
                "community:riverside": {"community_pk": w.riverside.pk},
                "community:harbourview": {"community_pk": w.harbourview.pk},
                "missing": {"community_pk": MISSING},
            }
        )
    ),
    "api:agreement-list": api(readers=frozenset(MEMBERS | {"outsider"})),  # their committee's
    "api:agreement-accept": api(get=405),
    "api:reality-entry-list": api(exact=frozenset({"reality"})),
    "api:reality-entry-detail": api(each("reality")),
    "api:committee-list": api(),
    "api:committee-detail": directory(
        api(
            lambda w: {
                "committee:riverside": {"pk": w.riverside.committee.pk},
                "committee:harbourview": {"pk": w.harbourview.committee.pk},
                "missing": {"pk": MISSING},
            },
            # administrators onboard but see no committee content
            readers_of={"committee:riverside": frozenset(MEMBERS)},
        )
    ),
    "api:proposal-list": api(exact=frozenset({"proposal"})),
    "api:proposal-detail": api(each("proposal")),
    "api:proposal-comments": sub(
        api(each("proposal"), post={"body": "x"}, exact=frozenset({"comment"}))
    ),
    "api:proposal-history": sub(api(each("proposal"))),
    "api:proposal-positions": sub(api(each("proposal"), post={"stance": "agree"})),
    "api:proposal-revise": api_post_only(each("proposal"), {"title": "x", "body": "y"}),
    "api:proposal-transition": api_post_only(each("proposal"), {"to": "withdrawn"}),
    "api:meeting-list": api(exact=frozenset({"meeting"})),
    "api:meeting-detail": api(each("meeting")),
    "api:meeting-agenda": api_post_only(each("meeting"), {"title": "x"}),
    "api:meeting-attendance": sub(
        api(each("meeting"), readers=frozenset(COORDINATOR | {"outsider"}), post={"present": []})
    ),
    "api:meeting-cancel": api_post_only(each("meeting")),
    "api:meeting-reschedule": api_post_only(each("meeting")),
    "api:meeting-rsvp": api_post_only(each("meeting"), {"answer": "attending"}),
    "api:notification-list": api(),
    "api:notification-read-all": api(get=405),
    "api:notification-unread-count": api(),
    # one's own only: tried as a few recipients and those who receive nothing here
    "api:notification-detail": api(
        notifications,
        personas=("anonymous", "experiential", "police", "coordinator", "admin", "outsider"),
    ),
    "api:notification-read": api_post_only(notifications),
    "api:notification-preference-list": api(readers=frozenset(MEMBERS | {"outsider"})),
    "api:workplan-list": api(exact=frozenset({"area", "objective", "action"})),
    "api:workplan-detail": directory(
        api(
            lambda w: {
                "workplan:riverside": community_of(w),
                "workplan:harbourview": other_community(w),
                "missing": {"pk": MISSING},
            }
        )
    ),
    "api:need-list": api(exact=frozenset({"need"})),
    "api:need-results": api(),
    "api:need-detail": api(each("need")),
    "api:need-vote": api_post_only(each("need")),
    "api:need-unvote": api_post_only(each("need")),
    "api:action-area-list": api(exact=frozenset({"area"})),
    "api:action-area-detail": api(each("area")),
    "api:action-area-agree": api_post_only(each("area")),
    "api:objective-list": api(exact=frozenset({"objective"})),
    "api:objective-detail": api(each("objective")),
    "api:action-list": api(exact=frozenset({"action"})),
    "api:action-detail": api(each("action")),
    "api:action-approve": api_post_only(each("action")),
    "api:action-status": api_post_only(each("action"), {"status": "dropped"}),
    "api:action-updates": sub(api(each("action"), post={"note": "x"}, exact=frozenset({"update"}))),
    "api:intended-outcome-list": api(),
    "api:intended-outcome-choose": api(get=405),
}


# --- the resolver ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Routed:
    name: str  # "namespace:name", or the pattern for an unnamed route
    pattern: str
    is_format_variant: bool = field(default=False)


def routed() -> list[Routed]:
    """Every URL pattern the project serves, walking `get_resolver()` through every include."""
    found = []

    def walk(resolver: URLResolver, prefix: str, namespace: str | None) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                pattern = prefix + str(entry.pattern)
                if entry.name is None:
                    name = f"{namespace}:<{pattern}>" if namespace else f"<{pattern}>"
                else:
                    name = f"{namespace}:{entry.name}" if namespace else entry.name
                variant = "(?P<format>" in pattern or "<drf_format_suffix:format>" in pattern
                found.append(Routed(name, pattern, variant))

    walk(get_resolver(), "/", None)
    return found
