"""The complete visibility matrix: every URL the project routes (pages, API with its format
suffixes, schema and docs, auth, well-known, admin), taken from Django's URL resolver, called
as every persona on a world holding one record of every kind under every visibility
(`tests/route_matrix/world.py`). A record you may not see does not exist for you:

- each route answers each persona with exactly the status its entry in `ROUTES` says, for
  each record (a 404 for one you may not see, exactly as for one that does not exist: same
  status, same bytes, same headers);
- a page or API answer never names a record the persona may not see, and lists (pages, API,
  exports, feeds) show exactly the records the persona may see;
- a write (POST) to a record the persona may not see is a 404 and changes nothing;
- counts, search and filters, CSV and printable exports, calendar feeds, in-app notifications
  and the emails the outbox sends follow the same rule.

Adding a route: add an entry to `ROUTES` in `tests/route_matrix/routes.py`, named as
`reverse()` names it (API routes as "api:<name>"; a format-suffix variant shares its route's
entry). `page()` is a browser page of a community (signed in, the persona's own community;
anyone else gets a 404, anonymous visitors the sign-in page); `post_only()` a page that only
takes POST; `api()` and `api_post_only()` the REST API. Give it:
  - `records`: which records fill its arguments, e.g. `each("proposal")` for a `<pk>` of a
    proposal (every visibility, the other community's, and a missing id); records are named by
    the labels of `world.SEES`, which says who may see each one;
  - `readers`: for whom the route exists at all (e.g. `COORDINATOR`), default everyone in the
    community (pages) or everyone signed in (API);
  - `get`: the status for a reader who may see the record (200, 302, 405 ...);
  - `anonymous`: what a visitor who is not signed in gets (LOGIN: the sign-in page);
  - `post`: a body to POST to every record a persona may not see (must be a 404, nothing changed);
  - `exact`: record kinds a 200 must list exactly as the persona may see them;
  - when needed: `editors` (who among those who see a record the route exists for, e.g. an edit
    page), `statuses` (a status by record label), `readers_of` (who sees a record through this
    route when it differs from `SEES`), `personas` (fewer personas, only when the answer cannot
    depend on who asks), `credential` (the address itself is the key: a calendar feed).
  - to keep the module cheap: wrap a secondary address under a record (an edit page, a history)
    in `sub()`, and a directory record's (a person, a sector) in `directory()`: they are tried
    as one persona of each kind the world tells apart, the record's own page as everyone. A
    persona turned away before any record is looked up (a visitor sent to sign in, someone for
    whom the route does not exist) is tried on one record and a missing one only.
A new route without an entry fails `test_every_routed_url_has_an_entry`, naming it. A new
`VisibleRecord` kind fails `test_every_kind_of_visible_record_is_in_the_world` until the world
holds one under each visibility it allows and `world.SEES` says who sees it.

The world is built once for the module (in one transaction, rolled back at the end); each test
runs in a savepoint on top of it."""

import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from stakeholders.models import Visibility, VisibleRecord
from tests.route_matrix.routes import LOGIN, ROUTES, Route, none, routed
from tests.route_matrix.world import (
    COMMUNITY,
    MEMBERS,
    PERSONAS,
    SEES,
    SIGNED_IN,
    VISIBLE_KINDS,
    World,
    build_world,
    kind_of,
    labels_in,
    seen_by,
)
from tests.workplans.conftest import community_today

# Every test reads the database, and pytest-django creates it only for tests that say so.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            TWO_FACTOR_REQUIRED_ROLES=[],
        ):
            built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    """One browser per persona, signed in once for the module (the sessions live in the
    world's transaction)."""
    with django_db_blocker.unblock():
        made = {}
        for persona, person in world.people.items():
            made[persona] = Client()
            if person is not None:
                made[persona].force_login(person.user)
        return made


# --- who may see a record that `SEES` does not name ----------------------------------------------


def may_see(world: World, persona: str, label: str, route: Route | None = None) -> bool:
    """Whether the persona may see the record a route's arguments name."""
    if route is not None and label in route.readers_of:
        return persona in route.readers_of[label]
    if label in SEES:
        return persona in SEES[label]
    kind, _, which = label.partition(":")
    if label == "":
        return True
    if label == "missing":
        return False
    if kind in {"feed", "token"}:  # the address is the credential
        return True
    if kind in {"session", "notification"}:  # one's own
        return persona == which
    if kind == "person":
        me, them = world.people[persona], world.people[which]
        return me is not None and me.community_id == them.community_id
    if which == "harbourview":
        return persona == "outsider"
    return persona in COMMUNITY  # Riverside's own directory records: its sectors, seats ...


def expected_status(world: World, route: Route, persona: str, label: str):
    if route.post_only:
        return 405  # the method is checked before anything else
    if persona == "anonymous":
        if route.anonymous in {LOGIN, 403, 405}:
            return route.anonymous
        ok = route.anonymous
    else:
        if route.api and route.get == 405:
            return 405
        if persona not in route.readers:
            return 404
        if route.editors is not None and persona not in route.editors(label):
            return 404
        ok = route.statuses.get(label, route.get)
    return ok if may_see(world, persona, label, route) else 404


def url_of(world: World, name: str, route: Route, arguments: dict) -> str:
    kwargs = {"slug": world.riverside.slug} if route.slug else {}
    return reverse(name, kwargs={**kwargs, **{k: str(v) for k, v in arguments.items()}})


# --- comparing a hidden record's answer with a missing one's ------------------------------------

TOKENS = [
    re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"'),
    re.compile(rb'nonce="[^"]+"'),
    re.compile(rb"csrfToken[^,;\n]*"),
]
COMPARED_HEADERS = [
    "Content-Type",
    "Content-Length",
    "Content-Language",
    "Content-Disposition",
    "Vary",
    "Allow",
    "Cache-Control",
    "X-Frame-Options",
    "Location",
]


def fingerprint(response) -> tuple:
    body = response.content
    for token in TOKENS:
        body = token.sub(b"", body)
    headers = tuple((h, response.headers.get(h)) for h in COMPARED_HEADERS if h != "Content-Length")
    return response.status_code, headers, body


def take_messages(client: Client, url: str) -> None:
    """A page shows (and so takes) the messages an earlier answer left for the next page, in
    the `messages` cookie; take them with a 404 first, so that the answers compared carry
    none."""
    if client.cookies.get("messages") and client.cookies["messages"].value:
        client.get(url)


# --- the routes --------------------------------------------------------------------------------


def test_every_routed_url_has_an_entry():
    """Every route the resolver knows has an entry (admin routes: the family rule of
    `test_the_admin_is_closed_to_everyone_on_the_platform`), and every entry is still routed."""
    names = {route.name for route in routed()}
    missing = sorted(name for name in names if name not in ROUTES and not name.startswith("admin:"))
    assert not missing, f"routes without an entry in tests/route_matrix/routes.py: {missing}"
    stale = sorted(set(ROUTES) - names)
    assert not stale, f"entries for routes that no longer exist: {stale}"


def test_every_api_route_also_answers_with_a_format_suffix():
    variants = {route.name for route in routed() if route.is_format_variant}
    api_names = {name for name, route in ROUTES.items() if route.api and name.startswith("api:")}
    assert api_names - {"api:api-token", "api:public-page"} <= variants


def test_every_kind_of_visible_record_is_in_the_world(world):
    kinds = {
        model
        for model in apps.get_models()
        if issubclass(model, VisibleRecord) and not model._meta.abstract
    }
    assert kinds == set(VISIBLE_KINDS), "a VisibleRecord kind is not in the route matrix's world"
    for model, kind in VISIBLE_KINDS.items():
        records = [r for r in world.of_kind(kind).values() if r.community_id == world.riverside.pk]
        held = {record.visibility for record in records}
        wanted = set(model.allowed_visibilities)
        if kind in {"minutes"}:  # two: restricted further than their meeting, and wider
            wanted = {Visibility.COMMITTEE, Visibility.COORDINATORS}
        assert wanted <= held, (kind, wanted - held)
        assert any(
            r.community_id == world.harbourview.pk for r in world.of_kind(kind).values()
        ) or (kind == "minutes"), kind


@dataclass
class Seen:
    failures: list

    def check(self, condition: bool, message: str) -> None:
        if not condition:
            self.failures.append(message)


def listed(persona: str, route: Route, label: str, shown: set[str]) -> tuple[set, set]:
    """What a 200 must list exactly, of the route's `exact` kinds: for a list, every record the
    persona may see (in Riverside, for a page); under one record, that record's children
    (labelled with its suffix: "comment:caucus" under "proposal:caucus")."""
    kinds = route.exact
    if label:
        suffix = label.split(":", 1)[1]
        candidates = {f"{kind}:{suffix}" for kind in kinds}
    else:
        candidates = {other for other in SEES if other.split(":")[0] in kinds}
        if not route.api:
            candidates = {other for other in candidates if not other.endswith(":elsewhere")}
    wanted = candidates & seen_by(persona)
    return wanted, {other for other in shown if other.split(":")[0] in kinds}


def refused_before_lookup(route: Route, persona: str) -> bool:
    """Whether the route turns the persona away before it looks any record up: a visitor sent
    to sign in, a signed-in person for whom the route does not exist, a GET of a POST-only
    address."""
    if route.post_only:
        return True
    if persona == "anonymous":
        return route.anonymous in {LOGIN, 403, 405}
    return (route.api and route.get == 405) or persona not in route.readers


def tried(route: Route, records: dict[str, dict], persona: str) -> dict[str, dict]:
    """A persona turned away before any record is looked up gets the same answer for each: one
    record and a missing one say as much as all of them (and that the first one, which others
    may see, answers exactly as a missing one)."""
    if not refused_before_lookup(route, persona) or len(records) <= 2:
        return records
    first = next(iter(records))
    return (
        {first: records[first], "missing": records["missing"]}
        if "missing" in records
        else {first: records[first]}
    )


def answers_of(world: World, client: Client, name: str, route: Route, persona: str) -> list:
    """What is wrong with the answers the route gives the persona, for each record tried."""
    seen = Seen([])
    records = tried(route, route.records(world), persona)
    urls = {label: url_of(world, name, route, arguments) for label, arguments in records.items()}
    missing = None
    if "missing" in urls:
        take_messages(client, urls["missing"])
        missing_response = client.get(urls["missing"])
        missing = fingerprint(missing_response)
    for label, url in urls.items():
        if label == "missing":  # asked first, to compare the others with
            response = missing_response
        else:
            response = client.get(url)
            if missing is not None:
                take_messages(client, urls["missing"])
        want = expected_status(world, route, persona, label)
        if want == LOGIN:
            seen.check(
                response.status_code == 302 and response["Location"].startswith(reverse("login")),
                f"{label or url}: {response.status_code}, expected the sign-in page",
            )
            continue
        seen.check(
            response.status_code == want, f"{label or url}: {response.status_code} != {want}"
        )
        if response.status_code == 404 and missing is not None:
            seen.check(
                fingerprint(response) == missing, f"{label}: its 404 differs from a missing one's"
            )
        if response.status_code == 200 and not route.credential:
            shown = labels_in(response.content.decode(errors="replace"))
            leaked = shown - seen_by(persona)
            seen.check(not leaked, f"{label or url}: names {sorted(leaked)}")
            if route.api and response["Content-Type"].startswith("application/json"):
                body = response.json()
                if isinstance(body, dict) and "count" in body:  # a page of a list
                    seen.check(body["count"] == len(body["results"]), f"{url}: count")
            if route.exact and label in {"", *SEES}:
                wanted, got = listed(persona, route, label, shown)
                seen.check(
                    got == wanted, f"{label or url}: lists {sorted(got)} not {sorted(wanted)}"
                )
    return seen.failures


# One test a route, trying it as each of its personas in turn: the personas' answers are
# independent (each has its own client and session), and one test a route keeps the module's
# per-test cost (the database savepoint, the settings, a fresh cache) to one a route.
@pytest.mark.parametrize("name", list(ROUTES))
def test_each_route_answers_each_persona_exactly(world, clients, name):
    route = ROUTES[name]
    failures = []
    for persona in route.personas or PERSONAS:
        wrong = answers_of(world, clients[persona], name, route, persona)
        failures += [f"{name} as {persona}: {failure}" for failure in wrong]
    assert not failures, "\n  ".join(["", *failures])


# --- writes to a record the persona may not see ------------------------------------------------

# Who writes: every signed-in persona but the health member, whose hidden records are the
# business member's exactly (both plain members of the committee). The police seat's alternate
# stays: the police member's drafts are hidden from them.
WRITERS = SIGNED_IN - {"health"}


def writers(route: Route) -> list[str]:
    """Who POSTs to a route's hidden records: everyone in `WRITERS`, but for a secondary
    address (tried with fewer personas) only those it is tried as. A POST-only address, whose
    GET is tried as few personas because it is refused first, is written to by everyone."""
    if route.personas is None or route.get == 405:
        return sorted(WRITERS)
    return sorted(WRITERS & set(route.personas))


WRITTEN = [
    name
    for name, route in ROUTES.items()
    if route.post is not None and route.records is not none and writers(route)
]


def database_state() -> tuple:
    """A digest of every row a write under these routes could add, change or remove, in one
    query (PostgreSQL: each table's rows as text, hashed)."""
    from committee import models as committee
    from stakeholders import models as stakeholders
    from workplans import models as workplans

    models = [
        stakeholders.OrganizationNote,
        stakeholders.Invitation,
        stakeholders.AuditEntry,
        committee.Proposal,
        committee.Comment,
        committee.Position,
        committee.Seat,
        committee.Meeting,
        committee.AgendaItem,
        committee.Rsvp,
        committee.Attendance,
        committee.Minutes,
        committee.Notification,
        workplans.Need,
        workplans.NeedVote,
        workplans.Prioritization,
        workplans.ActionArea,
        workplans.Objective,
        workplans.Action,
        workplans.Indicator,
        workplans.ProgressUpdate,
        workplans.RealityEntry,
    ]
    digests = ", ".join(
        f"(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) "
        f'FROM "{model._meta.db_table}" t)'
        for model in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {digests}")
        return cursor.fetchone()


def hidden_writes_of(world: World, client: Client, name: str, route: Route, persona: str):
    """The labels of the hidden records whose POST did not answer exactly as a missing one's,
    and the missing one's status (which must be a 404)."""
    hidden = {
        label: url_of(world, name, route, arguments)
        for label, arguments in route.records(world).items()
        if not may_see(world, persona, label, route)
    }
    # A persona for whom the route does not exist is turned away before any record is looked
    # up, and so before any write: a hidden record and a missing one say as much as all.
    if persona not in route.readers:
        hidden = dict(list(hidden.items())[:1]) | {"missing": hidden["missing"]}
    take_messages(client, hidden["missing"])
    missing = fingerprint(client.post(hidden["missing"], route.post))
    failures = [
        label
        for label, url in hidden.items()
        if label != "missing" and fingerprint(client.post(url, route.post)) != missing
    ]
    return failures, missing[0]


# One test a route, each writer in turn; the data must be as it was after each writer's POSTs.
@pytest.mark.parametrize("name", WRITTEN)
def test_writing_to_a_record_you_may_not_see_is_a_404_and_changes_nothing(world, clients, name):
    route = ROUTES[name]
    before = database_state()
    problems = []
    for persona in writers(route):
        failures, status = hidden_writes_of(world, clients[persona], name, route, persona)
        if status != 404:
            problems.append(f"{name} as {persona}: a missing record answers {status}")
        if failures:
            problems.append(f"{name} as {persona}: not a plain 404 for {failures}")
        if database_state() != before:
            problems.append(f"{name} as {persona}: a hidden POST changed data")
            before = database_state()
    assert not problems, "\n  ".join(["", *problems])


# --- the other ways in: emails, notifications, calendar feeds, counts, filters, exports ---------


def persona_by_email(world: World) -> dict[str, str]:
    return {person.email: persona for persona, person in world.people.items() if person is not None}


def email_text(message) -> str:
    parts = [message.subject, message.body]
    parts += [content for content, _type in getattr(message, "alternatives", [])]
    return "\n".join(parts)


def test_emails_name_only_what_their_recipient_may_see(world):
    recipients = persona_by_email(world)
    received: dict[str, set[str]] = {}
    for message in world.emails:
        (address,) = message.to
        if address in recipients:
            received.setdefault(recipients[address], set()).update(labels_in(email_text(message)))
    for persona, labels in received.items():
        assert labels <= seen_by(persona), (persona, sorted(labels - seen_by(persona)))
    # The sweep really sent something to each member (the upcoming meeting's reminder).
    members = {persona for persona in MEMBERS}
    assert {p for p, labels in received.items() if "meeting:upcoming" in labels} == members
    assert "meeting:coordinators" in received["coordinator"]
    assert "proposal:agreed" in received["police"]


@pytest.mark.parametrize("persona", sorted(MEMBERS))
def test_in_app_notifications_and_their_counts_show_only_what_you_may_see(world, clients, persona):
    client = clients[persona]
    listed = client.get("/api/v1/notifications/").json()
    labels = labels_in(str(listed["results"]))
    assert labels <= seen_by(persona)
    assert "meeting:upcoming" in labels
    assert listed["count"] == len(listed["results"])
    unread = client.get("/api/v1/notifications/unread-count/").json()
    assert unread == {"unread": listed["count"]}  # none read yet
    page = client.get(f"/c/{world.riverside.slug}/notifications/").content.decode()
    assert labels_in(page) == labels


@pytest.mark.parametrize("persona", sorted(MEMBERS | {"outsider"}))
def test_a_calendar_feed_lists_exactly_its_owners_meetings(world, persona):
    feed = Client().get(reverse("calendar-feed", kwargs={"token": world.calendar_tokens[persona]}))
    assert feed.status_code == 200
    wanted = {label for label in seen_by(persona) if label.startswith("meeting:")}
    assert {label for label in labels_in(feed.content.decode()) if "meeting:" in label} == wanted
    assert labels_in(feed.content.decode()) <= seen_by(persona)


FILTERS = [
    "/api/v1/proposals/?status=decision",
    "/api/v1/proposals/?status=draft",
    "/api/v1/meetings/?status=scheduled",
    "/api/v1/actions/?overdue=true",
    "/api/v1/actions/?status=proposed",
    "/api/v1/notifications/?unread=true",
    "/api/v1/needs/results/",
    "/c/riverside/proposals/?status=decision",
    "/c/riverside/proposals/?status=draft",
    "/c/riverside/audit/?group=proposal",
    "/c/riverside/workplan/export.csv",
    "/c/riverside/workplan/print/",
    "/c/riverside/map/",
    "/c/riverside/",
]


@pytest.mark.parametrize("persona", sorted(SIGNED_IN))
def test_counts_filters_and_exports_never_name_a_hidden_record(world, clients, persona):
    client = clients[persona]
    for url in FILTERS:
        response = client.get(url)
        if response.status_code != 200:
            assert response.status_code == 404, (url, response.status_code)
            continue
        text = response.content.decode()
        assert labels_in(text) <= seen_by(persona), (url, labels_in(text) - seen_by(persona))
        if response["Content-Type"].startswith("application/json"):
            body = response.json()
            if isinstance(body, dict) and "count" in body:
                assert body["count"] == len(body["results"]), url


def test_filters_list_exactly_what_matches(world, clients):
    police = clients["police"]
    open_now = police.get("/api/v1/proposals/?status=decision").json()
    assert {row["title"] for row in open_now["results"]} == {
        "proposal:committee",
        "proposal:organization",
    }
    assert open_now["count"] == 2
    overdue = police.get("/api/v1/actions/?overdue=true").json()
    assert {row["title"] for row in overdue["results"]} == {"action:committee", "action:public"}
    page = police.get("/c/riverside/proposals/?status=draft").content.decode()
    assert {label for label in labels_in(page) if label.startswith("proposal:")} == {
        "proposal:draft",
        "proposal:amendment",
    }


# --- the admin ---------------------------------------------------------------------------------


def admin_url(route) -> str | None:
    """The route with sample arguments (ids that exist nowhere)."""
    path = route.pattern
    path = re.sub(r"\(\?P<[a-z_]+>[^)]*\)", "1", path)
    path = re.sub(r"<(?:\w+:)?\w+>", "1", path)
    return path.replace("^", "").replace("$", "").replace("\\", "")


ADMIN = [route for route in routed() if route.name.startswith("admin:")]


@pytest.mark.parametrize("persona", ["anonymous", "coordinator", "admin", "experiential"])
def test_the_admin_is_closed_to_everyone_on_the_platform(world, clients, persona):
    """The family rule for every `admin:` route: nobody on the platform is Django staff, so
    every admin address leads to the admin's sign-in page (except that page itself), and none
    ever answers with content."""
    assert len(ADMIN) > 50
    client = clients[persona]
    for route in ADMIN:
        url = admin_url(route)
        response = client.get(url)
        if route.name == "admin:login":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, (url, response.status_code)
            if route.name != "admin:logout":  # signing out leads on to the sign-in page
                assert response["Location"].startswith("/admin/login/"), url


UNDER_THE_COMMITTEE_AREA = {
    "action:committee",
    "action:caucus",
    "action:organization",
    "action:coordinators",
}


@pytest.mark.parametrize("persona", sorted(MEMBERS))
def test_counts_shown_on_pages_count_only_what_you_may_see(world, clients, persona):
    client = clients[persona]
    slug = world.riverside.slug
    needs_page = client.get(f"/c/{slug}/needs/").content.decode()
    (needs,) = re.findall(r"(\d+) needs? you can see", needs_page)
    seen_needs = {label for label in seen_by(persona) if label.startswith("need:")}
    assert int(needs) == len(seen_needs - {"need:elsewhere"})
    unread = client.get("/api/v1/notifications/unread-count/").json()["unread"]
    assert f"Notifications ({unread})" in needs_page
    progress = client.get(f"/c/{slug}/workplan/progress/").content.decode()
    row = re.search(r'<th scope="row">area:committee</th>.*?data-label="Actions">(\d+)<', progress)
    assert int(row.group(1)) == len(UNDER_THE_COMMITTEE_AREA & seen_by(persona))


DETAILS_IN_FRENCH = [
    "note-detail",
    "proposal-detail",
    "meeting-detail",
    "meeting-calendar",
    "workplan-need-detail",
    "workplan-action",
    "api:proposal-detail",
    "api:meeting-detail",
    "api:action-detail",
]


@pytest.mark.parametrize("name", DETAILS_IN_FRENCH)
def test_a_hidden_records_404_is_a_missing_ones_in_french_too(world, name):
    """Mastodon leaked existence through a 404 that differed under another language."""
    person = world.people["resident"]
    person.preferred_language = "fr"
    person.save(update_fields=["preferred_language"])
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(person.user)
    route = ROUTES[name]
    records = route.records(world)
    missing = client.get(url_of(world, name, route, records["missing"]))
    assert missing.status_code == 404
    hidden = [label for label in records if not may_see(world, "resident", label, route)]
    assert len(hidden) > 1
    for label in hidden:
        response = client.get(url_of(world, name, route, records[label]))
        assert fingerprint(response) == fingerprint(missing), label
    assert missing.headers.get("Content-Language", "fr") == "fr"


@pytest.mark.parametrize("persona", sorted(COMMUNITY))
def test_contact_details_are_for_the_person_and_the_coordinators(world, clients, persona):
    """A person's record is seen by their whole community; its email and phone only by the
    person and the community's coordinators, on the page and in the API."""
    client = clients[persona]
    api = {row["id"]: row for row in client.get("/api/v1/people/?page_size=100").json()["results"]}
    for who, person in world.people.items():
        if person is None or person.community_id != world.riverside.pk:
            continue
        may = persona in {who, "coordinator"}
        page = client.get(f"/c/{world.riverside.slug}/people/{person.pk}/").content.decode()
        assert (person.email in page) is may, (who, "page")
        assert bool(api[person.pk].get("email")) is may, (who, "api")


# --- the public page, switched on ----------------------------------------------------------------

PUBLIC_KINDS = {"area", "objective", "action", "reality"}


def test_the_public_page_when_it_is_on_shows_exactly_what_was_shared(world, clients):
    """The world keeps the page off (everyone but the community's people gets a 404, in the
    matrix); switched on, everyone outside the community gets it at /c/<slug>/, members preview
    the same page at /c/<slug>/public/, and it names exactly what was shared, never a record
    the whole committee keeps to itself."""
    from stakeholders import public_page

    world.riverside.__class__.objects.filter(pk=world.riverside.pk).update(public_page=True)
    public_page.changed(world.riverside.pk)
    slug = world.riverside.slug
    shared = {"area:public", "objective:public", "action:public", "reality:public"}
    year = f"/c/{slug}/public/{community_today().year}/"
    for persona, url in [
        ("anonymous", f"/c/{slug}/"),
        ("anonymous", f"/c/{slug}/"),  # the cached copy
        ("outsider", f"/c/{slug}/"),
        ("experiential", f"/c/{slug}/public/"),
        ("coordinator", f"/c/{slug}/public/"),
        ("anonymous", f"/api/v1/public/{slug}/"),
        ("outsider", f"/api/v1/public/{slug}/"),
        ("anonymous", year),
    ]:
        response = clients[persona].get(url)
        assert response.status_code == 200, (persona, url)
        shown = labels_in(response.content.decode())
        assert shown <= seen_by("anonymous"), (persona, url, shown - seen_by("anonymous"))
        if url != year:  # the year's summary lists the actions only
            assert {label for label in shown if kind_of(label) in PUBLIC_KINDS} == shared, url
    # Its people still get their own home at /c/<slug>/, not the public page.
    home = clients["experiential"].get(f"/c/{slug}/")
    assert "proposal:caucus" in home.content.decode()


def test_publishing_a_record_you_may_not_see_is_a_404_and_changes_nothing(world, clients):
    """The coordinator's share button names its record in the form, not the address, so the
    matrix's write check cannot reach it: a caucus's entry is a missing one for the
    coordinator."""
    client = clients["coordinator"]
    url = reverse("workplan-publish", kwargs={"slug": world.riverside.slug})
    before = database_state()

    def share(pk):
        take_messages(client, url)
        return fingerprint(client.post(url, {"kind": "reality", "pk": pk, "public": "yes"}))

    missing = share(999_999)
    assert missing[0] == 404
    for label in ("reality:caucus", "reality:elsewhere"):
        assert share(world.records[label].pk) == missing, label
    assert database_state() == before
