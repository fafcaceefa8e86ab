"""Measure the seeded benchmark database (see `bench.seed`) and print one table, with the
targets of issue 8 beside the figures.

    python -m bench.run [--runs 15] [--sweep-seconds 90]

Each part runs in its own process (`--part lists|detail|casting|sweep`), so that the peak
memory reported for the lists is that of a process doing nothing but serving them. Pages go
through Django's test client: the whole middleware stack and template rendering, without a
socket. Latencies are medians of several runs after a warm-up run."""

import argparse
import inspect
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from unittest import mock

from bench.scales import LARGE_SLUG, SMALL_SLUG

PARTS = ("lists", "detail", "casting", "sweep")
RESULT_MARK = "BENCH-RESULT "
PAGE_SIZE = 50  # the API's page size (REST_FRAMEWORK["PAGE_SIZE"])
FIXTURE_TITLE = "bench fixture: "
CLIENTS = 32
CASTS_PER_CLIENT = 8
SWEEP_ROWS = 10_000
SLOW_SECONDS = 2.0  # timed 3 times only
VERY_SLOW_SECONDS = 10.0  # timed once only
SWEEP_CHUNK = 100
SWEEP_SECONDS = 90.0  # the sweep stops after this long (then its rate is extrapolated)

# Targets from issue 8.
MAX_FILTER_RATIO = 1.3
MAX_GROWTH = 1.5
MIN_SWEEP_RATE = 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=PARTS, help="run one part (used internally)")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per figure")
    parser.add_argument(
        "--sweep-seconds",
        type=float,
        default=SWEEP_SECONDS,
        help="stop the reminder sweep after this long and extrapolate its rate",
    )
    args = parser.parse_args()
    if args.part:
        setup_django()
        if args.part == "sweep":
            result = measure_sweep(args.runs, args.sweep_seconds)
        else:
            result = globals()[f"measure_{args.part}"](args.runs)
        print(RESULT_MARK + json.dumps(result), flush=True)
        return
    started, load = time.perf_counter(), os.getloadavg()[0]
    results = {"load_before": load}
    for part in PARTS:
        print(f"measuring {part} ...", file=sys.stderr, flush=True)
        results[part] = run_part(part, args)
    print_table(results, args.runs, time.perf_counter() - started)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def run_part(part: str, args: argparse.Namespace) -> dict:
    command = [sys.executable, "-m", "bench.run", "--part", part, "--runs", str(args.runs)]
    command += ["--sweep-seconds", str(args.sweep_seconds)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    sys.stderr.write(done.stderr)
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
    raise SystemExit(f"part {part} failed (exit {done.returncode}):\n{done.stdout}")


# --- timing helpers ----------------------------------------------------------------------------


class Case:
    """One thing to time: `call` is called once untimed (counting its SQL queries), then timed
    `runs` times, or 3 times if it is slow, or not again if it is very slow (the counted call
    is then the one sample)."""

    def __init__(self, name: str, call: Callable[[], object]):
        self.name, self.call = name, call
        self.samples: list[float] = []
        self.queries = 0
        self.wanted = 0

    def result(self) -> dict:
        return {
            "seconds": statistics.median(self.samples),
            "runs": len(self.samples),
            "queries": self.queries,
        }


def measure(cases: list[Case], runs: int) -> dict[str, dict]:
    """Time the cases in turns (one run of each, then the next run of each, ...) so that a
    change in the machine's load touches all of them alike; medians by case name."""
    for case in cases:
        started = time.perf_counter()
        case.queries = count_queries(case.call)
        first = time.perf_counter() - started
        if first > VERY_SLOW_SECONDS:
            case.samples, case.wanted = [first], 1
        else:
            case.wanted = runs if first < SLOW_SECONDS else min(runs, 3)
    for _ in range(runs):
        for case in cases:
            if len(case.samples) < case.wanted:
                started = time.perf_counter()
                case.call()
                case.samples.append(time.perf_counter() - started)
    return {case.name: case.result() for case in cases}


def count_queries(call: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries.captured_queries)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def get_page(client, url: str, **headers):
    def call():
        response = client.get(url, **headers)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return response

    return call


# --- who is measured ---------------------------------------------------------------------------

SECTORS_MEASURED = ("experiential", "law-enforcement")


def seat_holders(community) -> list:
    """The primary members of a seat of the experiential sector and of law enforcement: two
    members whose caucuses and organizations see different proposals."""
    from committee.selectors import current_seats

    seats = current_seats(community.committee).select_related("primary__user")
    holders = []
    for key in SECTORS_MEASURED:
        seat = next(seat for seat in seats if seat.sector.key == key)
        holders.append((seat.sector.name, seat.primary))
    return holders


def unfiltered_proposals(user):
    """What `proposals_for` would return with no visibility filtering (as for a superuser), with
    the same joins: every proposal of the viewer's community."""
    from committee.models import Proposal
    from stakeholders.selectors import person_of

    return (
        Proposal.objects.filter(community_id=person_of(user).community_id)
        .select_related("committee", "author")
        .prefetch_related("visible_sectors")
    )


def delete_fixtures() -> None:
    """What an earlier run added, so that every run measures the seeded data set."""
    from committee.models import Notification, Proposal

    Notification.objects.filter(key__startswith="bench:").delete()
    Proposal.objects.filter(title__startswith=FIXTURE_TITLE).delete()


# --- part: the proposal lists ------------------------------------------------------------------


def measure_lists(runs: int) -> dict:
    """At each community size: the selector's first page, the HTML list and the API list, for
    two members of different sectors and with the visibility filter taken out (for the first
    of them: who they are no longer matters then); query counts; and the peak memory of this
    process."""
    from django.test import Client

    from committee import selectors
    from committee.models import Proposal
    from stakeholders.models import Community

    baseline = peak_rss_mb()
    delete_fixtures()
    sizes = {}
    for slug in (SMALL_SLUG, LARGE_SLUG):
        community = Community.objects.select_related("committee").get(slug=slug)
        holders = seat_holders(community)
        cases, visible = [], {}
        for label, person in [(UNFILTERED, holders[0][1]), *holders]:
            user = person.user
            client = Client()
            client.force_login(user)
            if label == UNFILTERED:
                queryset = unfiltered_proposals(user)
            else:
                queryset = selectors.proposals_for(user).filter(community=community)
                visible[label] = queryset.count()
            first_page = queryset.order_by("-created_at", "-id")[:PAGE_SIZE]
            cases.append(Case(f"selector:{label}", lambda q=first_page: list(q.all())))
            for page, url, headers in pages(community):
                call = get_page(client, url, **headers)
                if label == UNFILTERED:
                    call = without_visibility_filter(call)
                cases.append(Case(f"{page}:{label}", call))
        sizes[slug] = {
            "proposals": Proposal.objects.filter(community=community).count(),
            "visible": visible,
            "cases": measure(cases, runs),
        }
        print(f"  {slug} measured", file=sys.stderr, flush=True)
    return {
        "scale": seeded_scale(),
        "sizes": sizes,
        "rss_baseline_mb": baseline,
        "rss_peak_mb": peak_rss_mb(),
    }


def seeded_scale() -> str:
    """The scale `bench.seed` wrote into the large community's name: "Bench large (full scale)"."""
    from stakeholders.models import Community

    name = Community.objects.get(slug=LARGE_SLUG).name
    return name.partition("(")[2].partition(" scale")[0] or "unknown"


UNFILTERED = "unfiltered"


def without_visibility_filter(call: Callable[[], object]) -> Callable[[], object]:
    """The call, with `proposals_for` answering every proposal of the viewer's community."""
    from committee import selectors

    def unfiltered():
        with mock.patch.object(selectors, "proposals_for", unfiltered_proposals):
            return call()

    return unfiltered


def pages(community) -> list[tuple[str, str, dict]]:
    return [
        ("html", f"/c/{community.slug}/proposals/", {}),
        ("api", "/api/v1/proposals/", {"HTTP_ACCEPT": "application/json"}),
    ]


# --- part: one proposal with 500 positions and 200 comments ------------------------------------


def measure_detail(runs: int) -> dict:
    """One proposal open for positions, with 500 positions (every seat changing its mind a
    dozen times) and 200 comments (one in ten edited), read by a member: its page and API."""
    from django.test import Client
    from django.utils import timezone

    from bench.seed import explicit_timestamps
    from committee.models import Comment, CommentRevision, Position
    from committee.selectors import current_seats
    from stakeholders.models import Community, Person

    delete_fixtures()
    community = Community.objects.select_related("committee").get(slug=LARGE_SLUG)
    _label, reader = seat_holders(community)[0]
    proposal = open_fixture(community, reader, "detail")
    seats = list(current_seats(community.committee))
    now = timezone.now()
    positions = []
    for number in range(500):
        seat = seats[number % len(seats)]
        is_current = number + len(seats) >= 500
        given_at = now - timedelta(minutes=500 - number)
        positions.append(
            Position(
                proposal=proposal,
                version=proposal.version,
                seat=seat,
                stance=("agree", "stand_aside", "reservations")[number % 3],
                reason="" if number % 3 != 2 else "Only with a peer worker on every shift.",
                given_by_id=seat.primary_id,
                given_at=given_at,
                is_current=is_current,
                replaced_at=None if is_current else given_at + timedelta(minutes=len(seats)),
            )
        )
    with explicit_timestamps(Position):
        Position.objects.bulk_create(positions)
    members = list(Person.objects.filter(community=community, role="member")[:60])
    comments = Comment.objects.bulk_create(
        Comment(
            proposal=proposal,
            author=members[number % len(members)],
            body=f"Comment {number}: **agreed** on the hours, but\n\n- who pays?\n- who staffs it?",
            edited_at=now if number % 10 == 0 else None,
        )
        for number in range(200)
    )
    CommentRevision.objects.bulk_create(
        CommentRevision(comment=comment, body="An earlier text.", changed_by=comment.author)
        for comment in comments[::10]
    )
    client = Client()
    client.force_login(reader.user)
    cases = []
    for page, url in (
        ("html", f"/c/{community.slug}/proposals/{proposal.pk}/"),
        ("api", f"/api/v1/proposals/{proposal.pk}/"),
        ("api_positions", f"/api/v1/proposals/{proposal.pk}/positions/"),
        ("api_comments", f"/api/v1/proposals/{proposal.pk}/comments/"),
    ):
        headers = {} if page == "html" else {"HTTP_ACCEPT": "application/json"}
        cases.append(Case(page, get_page(client, url, **headers)))
    figures = {"cases": measure(cases, runs)}
    figures["positions"] = Position.objects.filter(proposal=proposal).count()
    figures["comments"] = Comment.objects.filter(proposal=proposal).count()
    return figures


def open_fixture(community, author, name: str):
    """A proposal open for positions, seen by the whole committee, with its grants written by
    the one service that writes grants."""
    from django.utils import timezone

    from committee.models import Proposal, ProposalStatus
    from stakeholders.services import apply_visibility

    now = timezone.now()
    proposal = Proposal.objects.create(
        community=community,
        committee=community.committee,
        author=author,
        visibility="committee",
        title=FIXTURE_TITLE + name,
        body="Open the drop-in **until 4 a.m.** on weekends.",
        status=ProposalStatus.DECISION,
        opened_at=now,
        closes_at=now + timedelta(days=7),
    )
    apply_visibility(record=proposal, actor=None)
    return proposal


# --- part: 32 clients casting positions at once ------------------------------------------------


def measure_casting(runs: int) -> dict:
    """Each client is the primary member of its own seat and, on its own connection, changes
    its seat's position `CASTS_PER_CLIENT` times as fast as it can."""
    from django.db import connections

    from committee import services
    from committee.models import Position
    from committee.selectors import current_seats
    from stakeholders.models import Community

    delete_fixtures()
    community = Community.objects.select_related("committee").get(slug=LARGE_SLUG)
    seats = list(current_seats(community.committee).select_related("primary__user"))[:CLIENTS]
    if len(seats) < CLIENTS:
        raise SystemExit(f"{CLIENTS} seats are needed, the large committee has {len(seats)}")
    proposal = open_fixture(community, seats[0].primary, "casting")
    stances = [("agree", ""), ("block", "Not yet."), ("stand_aside", ""), ("reservations", "Hm.")]
    barrier = threading.Barrier(CLIENTS + 1)
    last_cast, errors, latencies = {}, [], []
    lock = threading.Lock()

    def client(number: int, seat) -> None:
        try:
            barrier.wait(timeout=30)
            for turn in range(CASTS_PER_CLIENT):
                stance, reason = stances[(number + turn) % len(stances)]
                started = time.perf_counter()
                services.cast_position(
                    person=seat.primary, proposal=proposal, stance=stance, reason=reason
                )
                with lock:
                    latencies.append(time.perf_counter() - started)
                last_cast[seat.pk] = stance
        except Exception as error:  # reported in the table
            with lock:
                errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=item) for item in enumerate(seats)]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=30)
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    stored = Position.objects.filter(proposal=proposal)
    current = dict(stored.filter(is_current=True).values_list("seat_id", "stance"))
    lost = sum(current.get(seat_pk) != stance for seat_pk, stance in last_cast.items())
    return {
        "clients": CLIENTS,
        "casts": len(latencies),
        "seconds": seconds,
        "rate": len(latencies) / seconds,
        "latency_median": statistics.median(latencies) if latencies else None,
        "latency_p95": statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else None,
        "stored": stored.count(),
        "current": len(current),
        "lost": lost + (len(latencies) - stored.count()),
        "errors": errors[:3],
        "error_count": len(errors),
    }


# --- part: the reminder sweep ------------------------------------------------------------------


def measure_sweep(runs: int, sweep_seconds: float = SWEEP_SECONDS) -> dict:
    """`SWEEP_ROWS` due "open for positions" notifications about proposals their recipients may
    see, sent by the sweep with the in-memory email backend, `SWEEP_CHUNK` rows per call (as
    beat would call it again), until none is left or `sweep_seconds` have passed."""
    from django.core import mail
    from django.utils import timezone

    from committee import services
    from committee.models import Notification, NotificationKind, NotificationState, Proposal
    from stakeholders.models import Community, Person

    send = getattr(services, "send_due_notifications", None)
    if send is None:
        return {"built": False}
    Notification.objects.filter(key__startswith="bench:").delete()
    # Nothing else may be due: the sweep sends every due row.
    Notification.objects.filter(state=NotificationState.PENDING).update(
        state=NotificationState.CANCELLED
    )
    community = Community.objects.get(slug=LARGE_SLUG)
    now = timezone.now()
    proposals = list(
        Proposal.objects.filter(
            community=community,
            status="decision",
            visibility="committee",
            closes_at__gt=now + timedelta(hours=1),
        ).exclude(title__startswith=FIXTURE_TITLE)
    )
    people = list(
        Person.objects.filter(community=community, role__in=["member", "coordinator"])
        .exclude(email="")
        .order_by("pk")
    )
    if not proposals or not people:
        raise SystemExit("the large community has no open proposal or no members to remind")
    Notification.objects.bulk_create(
        (
            Notification(
                recipient=people[number % len(people)],
                kind=NotificationKind.PROPOSAL_OPENED,
                key=f"bench:sweep:{number}",
                proposal=proposals[number % len(proposals)],
                context={"version": 1, "closes_at": now.isoformat()},
                due_at=now - timedelta(minutes=1),
            )
            for number in range(SWEEP_ROWS)
        ),
        batch_size=5_000,
    )
    mail.outbox = []
    pending = Notification.objects.filter(key__startswith="bench:", state="pending")
    chunked = "limit" in inspect.signature(send).parameters
    seconds, sent = 0.0, 0
    while seconds < sweep_seconds:
        started = time.perf_counter()
        sent += send(now=timezone.now(), limit=SWEEP_CHUNK) if chunked else send()
        seconds += time.perf_counter() - started
        if not chunked or not pending.exists():
            break
    left = pending.count()
    return {
        "built": True,
        "rows": SWEEP_ROWS,
        "sent": sent,
        "handled": SWEEP_ROWS - left,
        "emails": len(mail.outbox),
        "left": left,
        "seconds": seconds,
        "rate": (SWEEP_ROWS - left) / seconds,
    }


# --- the table ---------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def print_table(results: dict, runs: int, seconds: float) -> None:
    from datetime import date

    lists = results["lists"]
    small, large = lists["sizes"][SMALL_SLUG], lists["sizes"][LARGE_SLUG]
    at = (f"at {small['proposals']:,}", f"at {large['proposals']:,}")
    labels = list(large["visible"])
    rows: list[tuple[str, str, str, str]] = []

    def add(figure: str, value: str, target: str = "", result: str = "") -> None:
        rows.append((figure, value, target, result))

    def both(kind: str, label: str, show=ms) -> str:
        values = [size["cases"][f"{kind}:{label}"]["seconds"] for size in (small, large)]
        return " · ".join(f"{show(value)} {where}" for value, where in zip(values, at, strict=True))

    for kind, name in (
        ("selector", "selector, first page of 50"),
        ("html", "HTML list page"),
        ("api", "API list, first page"),
    ):
        add(f"{name}, unfiltered (superuser-like)", both(kind, UNFILTERED))
        for label in labels:
            seen = " / ".join(f"{size['visible'][label]:,}" for size in (small, large))
            add(f"{name}, {label} member ({seen} visible)", both(kind, label))
        for label in labels:
            ratios = [
                size["cases"][f"{kind}:{label}"]["seconds"]
                / size["cases"][f"{kind}:{UNFILTERED}"]["seconds"]
                for size in (small, large)
            ]
            add(
                f"{name}, {label} ÷ unfiltered",
                " · ".join(f"×{r:.2f} {where}" for r, where in zip(ratios, at, strict=True)),
                f"≤ ×{MAX_FILTER_RATIO}",
                verdict(max(ratios) <= MAX_FILTER_RATIO),
            )
        for label in labels:
            small_s, large_s = (
                size["cases"][f"{kind}:{label}"]["seconds"] for size in (small, large)
            )
            add(
                f"{name}, {label}, growth {small['proposals']:,} → {large['proposals']:,}",
                f"×{large_s / small_s:.1f}",
                f"≤ ×{MAX_GROWTH}",
                verdict(large_s / small_s <= MAX_GROWTH),
            )
        if kind != "selector":
            counts = {
                label: [size["cases"][f"{kind}:{label}"]["queries"] for size in (small, large)]
                for label in [*labels, UNFILTERED]
            }
            add(
                f"{name}, SQL queries ({', '.join(counts)})",
                " · ".join(
                    f"{'/'.join(str(c[i]) for c in counts.values())} {where}"
                    for i, where in enumerate(at)
                ),
                "the same at every size",
                verdict(all(c[0] == c[1] for c in counts.values())),
            )
    add(
        "peak memory (RSS) of the process serving the lists",
        f"{lists['rss_peak_mb']:,.0f} MB (after start-up: {lists['rss_baseline_mb']:,.0f} MB)",
    )

    detail = results["detail"]
    many = f"{detail['positions']} positions, {detail['comments']} comments"
    for kind, name in (
        ("html", "detail page"),
        ("api", "API detail"),
        ("api_positions", "API positions"),
        ("api_comments", "API comments"),
    ):
        case = detail["cases"][kind]
        add(f"proposal {name}, {many}", f"{ms(case['seconds'])} · {case['queries']} queries")

    casting = results["casting"]
    add(
        f"positions cast by {casting['clients']} clients at once, one proposal "
        f"({casting['casts']} casts)",
        f"{casting['rate']:,.0f} positions/s · each: median {ms(casting['latency_median'])}, "
        f"p95 {ms(casting['latency_p95'])}",
    )
    errors = f" · {casting['error_count']} errors: {casting['errors']}" if casting["errors"] else ""
    add(
        "positions lost (a seat's current position is not its last cast, or rows ≠ casts)",
        f"{casting['lost']} lost · {casting['current']} current · {casting['stored']} rows{errors}",
        "0 lost, no errors",
        verdict(casting["lost"] == 0 and not casting["error_count"]),
    )

    sweep = results["sweep"]
    if not sweep["built"]:
        add("reminder sweep", "not built yet (no `send_due_notifications`)")
    else:
        done = sweep["left"] == 0
        value = (
            f"{sweep['seconds']:,.1f} s · {sweep['rate']:,.0f} rows/s"
            if done
            else f"{sweep['handled']:,} rows in {sweep['seconds']:,.0f} s (time cap) · "
            f"{sweep['rate']:,.0f} rows/s · all {sweep['rows']:,}: "
            f"~{sweep['rows'] / sweep['rate']:,.0f} s"
        )
        add(
            f"reminder sweep, {sweep['rows']:,} due rows (locmem email)",
            f"{value} · {sweep['sent']:,} sent, {sweep['emails']:,} emails",
            f"≥ {MIN_SWEEP_RATE} rows/s",
            verdict(sweep["rate"] >= MIN_SWEEP_RATE),
        )

    load = f"{results['load_before']:.1f} before, {os.getloadavg()[0]:.1f} after"
    print()
    print(
        f"LIC Commons benchmark, {date.today():%Y-%m-%d}, {lists['scale']} scale, "
        f"{platform.node()} ({os.cpu_count()} CPUs, 1-minute load average {load}); "
        f"{large['proposals']:,} proposals in the large community, {small['proposals']:,} in the "
        f"small one. Medians of {runs} runs (3 when a call takes over {SLOW_SECONDS:.0f} s, 1 "
        f"over {VERY_SLOW_SECONDS:.0f} s); measured in {seconds:.0f} s."
    )
    print()
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(4)]
    print(line(HEADER, widths))
    print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    for row in rows:
        print(line(row, widths))


HEADER = ("figure", "value", "target", "")


def line(row, widths) -> str:
    return (
        "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"
    )


if __name__ == "__main__":
    main()
