"""Seed the benchmark database: drop and recreate it, migrate, then fill it with bulk inserts
(`bulk_create` in batches; COPY for positions, the biggest table) at a chosen scale, printing
the time each table took.

    python -m bench.seed --scale small|medium|full

The data has the shape the selectors work on: every community has its sectors, audiences
(groups) and committee; people are in the audience groups their role, sectors and organization
put them in; every proposal carries the grants its visibility gives (mostly the whole committee,
some sector caucuses, some one organization, some coordinators only), so that filtering by
visibility does real work. Grants and memberships are written here directly, in bulk, exactly as
`stakeholders.services.apply_visibility` and `sync_audiences` would write them one by one."""

import argparse
import io
import os
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import dj_database_url
import psycopg2
from psycopg2 import sql

from bench.scales import LARGE_SLUG, SCALES, SMALL_SLUG, Scale, bench_database_url

BATCH = 5_000
DAY = timedelta(days=1)

# Proposal visibilities and how often each is chosen.
VISIBILITY_WEIGHTS = {"committee": 70, "sectors": 12, "organization": 10, "coordinators": 8}
STANCE_WEIGHTS = {"agree": 66, "reservations": 15, "stand_aside": 15, "block": 4}
BODY = (
    "We propose that the committee **{topic}**.\n\n"
    "- who leads it: the {sector} sector\n"
    "- what it costs: about ${cost} a year\n"
    "- how we will know it works: fewer incidents reported at the drop-in\n\n"
    "See [the needs register](https://example.org/needs) for the background."
)
TOPICS = [
    "extend the drop-in's opening hours",
    "fund a peer outreach worker",
    "train patrol officers with peers",
    "map safe reporting routes",
    "set up a bad-date line",
    "run a youth exploitation workshop",
    "write a good-neighbour agreement",
    "open a night-time safe space",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    args = parser.parse_args()
    scale = SCALES[args.scale]
    started = time.perf_counter()
    url = bench_database_url()
    print(f"Seeding {url} at {scale.name} scale", flush=True)
    with step("database recreated"):
        recreate_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    with step("migrations"):
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    Seeder(scale).run()
    print(f"Seeded in {time.perf_counter() - started:.0f} s", flush=True)


def recreate_database(url: str) -> None:
    config = dj_database_url.parse(url)
    admin = psycopg2.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
    )
    admin.autocommit = True
    name = sql.Identifier(config["NAME"])
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    admin.close()


@contextmanager
def step(label: str, rows: int | None = None) -> Iterator[None]:
    started = time.perf_counter()
    yield
    seconds = time.perf_counter() - started
    count = f"{rows:>11,} rows" if rows is not None else " " * 16
    rate = f"{rows / seconds:>10,.0f} rows/s" if rows and seconds > 0 else ""
    print(f"  {label:<42}{count}{seconds:>8.1f} s{rate}", flush=True)


def split(total: int, parts: int, first: int) -> list[int]:
    """`first` for the first part, the rest of `total` spread evenly over the others."""
    if parts == 1:
        return [total]
    base, extra = divmod(total - first, parts - 1)
    return [first] + [base + (1 if index < extra else 0) for index in range(parts - 1)]


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@contextmanager
def explicit_timestamps(*models) -> Iterator[None]:
    """Let `bulk_create` keep the `created_at` we give (spread over years) instead of now."""
    fields = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class Seeder:
    def __init__(self, scale: Scale):
        from django.utils import timezone

        self.scale = scale
        self.rng = random.Random(2026)
        self.now = timezone.now()

    def bulk(self, model, objects: list, label: str | None = None) -> list:
        with step(label or model._meta.db_table, len(objects)):
            return model.objects.bulk_create(objects, batch_size=BATCH)

    def run(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
        self.communities_and_sectors()
        self.organizations()
        self.audiences()
        self.people()
        self.committees()
        self.proposals()
        self.positions()
        self.actions()
        with step("VACUUM ANALYZE"), connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    # --- who is who ----------------------------------------------------------------------------

    def communities_and_sectors(self) -> None:
        from committee.models import Committee
        from stakeholders.models import Community, Sector, SectorTemplate

        scale = self.scale
        slugs = [LARGE_SLUG, SMALL_SLUG] + [f"bench-{n:02}" for n in range(2, scale.communities)]
        names = [f"Bench large ({scale.name} scale)", "Bench small"] + [
            f"Bench {n:02}" for n in range(2, scale.communities)
        ]
        self.communities = self.bulk(
            Community,
            [
                Community(name=name, slug=slug, timezone="America/Vancouver")
                for name, slug in zip(names, slugs, strict=True)
            ],
        )
        templates = list(SectorTemplate.objects.order_by("position"))
        sectors = self.bulk(
            Sector,
            [
                Sector(
                    community=community,
                    template=template,
                    key=template.key,
                    name=template.name,
                    is_experiential=template.is_experiential,
                    position=template.position,
                )
                for community in self.communities
                for template in templates
            ],
        )
        self.sectors = defaultdict(list)
        for sector in sectors:
            self.sectors[sector.community_id].append(sector)
        committees = self.bulk(
            Committee,
            [
                Committee(community=community, name=f"{community.name} steering committee")
                for community in self.communities
            ],
        )
        self.committee = {committee.community_id: committee for committee in committees}

    def organizations(self) -> None:
        from stakeholders.models import Organization

        scale = self.scale
        counts = split(scale.organizations, scale.communities, max(scale.organizations // 10, 60))
        objects = []
        for community, count in zip(self.communities, counts, strict=True):
            sectors = self.sectors[community.pk]
            for number in range(count):
                sector = sectors[number % len(sectors)]
                objects.append(
                    Organization(
                        community=community,
                        sector=sector,
                        name=f"{sector.name} {number // len(sectors) + 1}",
                        description="Bench organization.",
                        status=Organization.Status.ACTIVE,
                    )
                )
        organizations = self.bulk(Organization, objects)
        self.organizations_of = defaultdict(list)
        for organization in organizations:
            self.organizations_of[organization.community_id].append(organization)

    def audiences(self) -> None:
        """The groups visibility is granted to, named as `stakeholders.services.audience_group`
        names them: members and coordinators of each community, each sector, each organization."""
        from django.contrib.auth.models import Group

        from stakeholders.models import Audience

        targets = []
        for community in self.communities:
            cid = community.pk
            targets.append((f"lic:{cid}:members", cid, "members", None, None))
            targets.append((f"lic:{cid}:coordinators", cid, "coordinators", None, None))
            for sector in self.sectors[cid]:
                targets.append((f"lic:{cid}:sector:{sector.pk}", cid, "sector", sector.pk, None))
            for organization in self.organizations_of[cid]:
                targets.append(
                    (
                        f"lic:{cid}:organization:{organization.pk}",
                        cid,
                        "organization",
                        None,
                        organization.pk,
                    )
                )
        groups = self.bulk(Group, [Group(name=target[0]) for target in targets])
        self.bulk(
            Audience,
            [
                Audience(
                    group=group, community_id=cid, kind=kind, sector_id=sid, organization_id=oid
                )
                for group, (_name, cid, kind, sid, oid) in zip(groups, targets, strict=True)
            ],
        )
        self.group = {
            (kind, cid, sid or oid): group.pk
            for group, (_name, cid, kind, sid, oid) in zip(groups, targets, strict=True)
        }

    def people(self) -> None:
        from django.contrib.auth import get_user_model

        from stakeholders.models import Person, Role

        User = get_user_model()
        rng, scale = self.rng, self.scale
        counts = split(scale.people, scale.communities, max(scale.people // 10, 300))
        plans = []  # (community, number, role, organization, sectors)
        for community, count in zip(self.communities, counts, strict=True):
            organizations = self.organizations_of[community.pk]
            sectors = self.sectors[community.pk]
            experiential = next(sector for sector in sectors if sector.is_experiential)
            for number in range(count):
                role = Role.COORDINATOR if number < 3 else Role.MEMBER
                if number in (3, 4):
                    role = Role.ADMINISTRATOR
                # The first people fill each organization with two members (primary and
                # alternate of its seat); then one in ten is independent, often experiential.
                if 5 <= number < 5 + 2 * len(organizations):
                    organization = organizations[(number - 5) % len(organizations)]
                elif rng.random() < 0.1:
                    organization = None
                else:
                    organization = rng.choice(organizations)
                if organization is not None:
                    own = [organization.sector]
                else:
                    own = [experiential if rng.random() < 0.3 else rng.choice(sectors)]
                if rng.random() < 0.1:
                    extra = rng.choice(sectors)
                    if extra not in own:
                        own.append(extra)
                plans.append((community, number, role, organization, own))
        users = self.bulk(
            User,
            [
                User(
                    username=f"{community.slug}-{number:05}",
                    email=f"{community.slug}-{number:05}@bench.invalid",
                    password="!",  # unusable: the benchmark signs people in without one
                )
                for community, number, *_rest in plans
            ],
            "auth_user",
        )
        people = self.bulk(
            Person,
            [
                Person(
                    user=user,
                    community=community,
                    display_name=f"Member {number:05}",
                    organization=organization,
                    role=role,
                    email=user.email,
                    preferred_language="fr" if number % 10 == 7 else "en",
                )
                for user, (community, number, role, organization, _own) in zip(
                    users, plans, strict=True
                )
            ],
        )
        self.bulk(
            Person.sectors.through,
            [
                Person.sectors.through(person_id=person.pk, sector_id=sector.pk)
                for person, plan in zip(people, plans, strict=True)
                for sector in plan[4]
            ],
        )
        memberships = []
        self.members_of = defaultdict(list)  # committee members and coordinators
        self.sectors_of = {}
        for person, (community, _number, role, organization, own) in zip(
            people, plans, strict=True
        ):
            self.sectors_of[person.pk] = own
            if role == Role.ADMINISTRATOR:
                continue  # administrators onboard people and see no committee content
            self.members_of[community.pk].append(person)
            cid = community.pk
            groups = [self.group["members", cid, None]]
            if role == Role.COORDINATOR:
                groups.append(self.group["coordinators", cid, None])
            groups += [self.group["sector", cid, sector.pk] for sector in own]
            if organization is not None:
                groups.append(self.group["organization", cid, organization.pk])
            memberships += [
                User.groups.through(user_id=person.user_id, group_id=group) for group in groups
            ]
        self.bulk(User.groups.through, memberships, "auth_user_groups (audience members)")

    def committees(self) -> None:
        """Seats for organizations of every sector in turn (so every sector is represented),
        the organization's first member as primary and often its second as alternate."""
        from committee.models import CommitteeMember, CommitteeRole, Seat
        from stakeholders.models import Role

        rng, scale = self.rng, self.scale
        started_on = (self.now - 3 * 365 * DAY).date()
        seats, roles = [], []
        for community in self.communities:
            cid = community.pk
            by_organization = defaultdict(list)
            for person in self.members_of[cid]:
                if person.organization_id is not None and person.role == Role.MEMBER:
                    by_organization[person.organization_id].append(person)
            wanted = scale.large_seats if community.slug == LARGE_SLUG else scale.other_seats
            committee = self.committee[cid]
            seated = 0
            # Organizations were created taking the sectors in turn, so in that order every
            # sector gets a seat before any gets a second.
            for organization in self.organizations_of[cid]:
                holders = by_organization[organization.pk]
                if seated >= wanted:
                    break
                if not holders:
                    continue
                seated += 1
                alternate = holders[1] if len(holders) > 1 and rng.random() < 0.6 else None
                seats.append(
                    Seat(
                        committee=committee,
                        sector_id=organization.sector_id,
                        organization=organization,
                        primary=holders[0],
                        alternate=alternate,
                        started_on=started_on,
                    )
                )
                role = CommitteeRole.CHAIR if len(roles) == 0 else CommitteeRole.MEMBER
                roles.append(
                    CommitteeMember(
                        committee=committee, person=holders[0], role=role, started_on=started_on
                    )
                )
                if alternate is not None:
                    roles.append(
                        CommitteeMember(
                            committee=committee,
                            person=alternate,
                            role=CommitteeRole.ALTERNATE,
                            started_on=started_on,
                        )
                    )
            for person in self.members_of[cid]:
                if person.role == Role.COORDINATOR:
                    roles.append(
                        CommitteeMember(
                            committee=committee,
                            person=person,
                            role=CommitteeRole.COORDINATOR,
                            started_on=started_on,
                        )
                    )
        seats = self.bulk(Seat, seats)
        self.bulk(CommitteeMember, roles)
        self.seats_of = defaultdict(list)
        for seat in seats:
            self.seats_of[seat.committee.community_id].append(seat)

    # --- proposals -----------------------------------------------------------------------------

    def proposals(self) -> None:
        from committee.models import Proposal, ProposalGrant

        rng, scale, now = self.rng, self.scale, self.now
        counts = [scale.large_proposals, scale.small_proposals] + [scale.other_proposals] * (
            scale.communities - 2
        )
        span = 3 * 365 * DAY
        plans = []
        for community, count in zip(self.communities, counts, strict=True):
            for _ in range(count):
                plans.append((now - span * rng.random() ** 0.8, community))
        plans.sort(key=lambda plan: plan[0])  # ids grow with time, as they do in real life
        objects, sector_links, grant_targets = [], [], []
        for number, (created_at, community) in enumerate(plans):
            proposal, sectors, grants = self.plan_proposal(number, created_at, community)
            objects.append(proposal)
            sector_links.append(sectors)
            grant_targets.append(grants)
        # How many seats answer an opened proposal on average, so that with about one position
        # in ten replaced (kept in the history) the total comes to `scale.positions`.
        opened = sum(proposal.opened_at is not None for proposal in objects)
        mean = scale.positions / (max(opened, 1) * 1.1)
        self.position_plans = [self.plan_answers(proposal, mean) for proposal in objects]
        with explicit_timestamps(Proposal):
            self.proposal_objects = self.bulk(Proposal, objects)
        self.bulk(
            Proposal.visible_sectors.through,
            [
                Proposal.visible_sectors.through(proposal_id=proposal.pk, sector_id=sector.pk)
                for proposal, sectors in zip(self.proposal_objects, sector_links, strict=True)
                for sector in sectors
            ],
        )
        permission = self.view_permission(Proposal)
        self.bulk(
            ProposalGrant,
            [
                ProposalGrant(
                    content_object_id=proposal.pk, group_id=group, permission_id=permission
                )
                for proposal, groups in zip(self.proposal_objects, grant_targets, strict=True)
                for group in groups
            ],
        )

    def view_permission(self, model) -> int:
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType

        return Permission.objects.get(
            content_type=ContentType.objects.get_for_model(model),
            codename=f"view_{model._meta.model_name}",
        ).pk

    def visibility_for(self, author, community) -> tuple[str, list, list[int], int | None]:
        """A visibility the author may choose, its sectors, its audience groups and the owning
        organization: as `services.save_visible_record` and `apply_visibility` would set them."""
        cid = community.pk
        visibility = weighted(self.rng, VISIBILITY_WEIGHTS)
        if visibility == "organization" and author.organization_id is None:
            visibility = "committee"
        if visibility == "sectors":
            own = self.sectors_of[author.pk]
            sectors = own if len(own) > 1 and self.rng.random() < 0.5 else [self.rng.choice(own)]
            return visibility, sectors, [self.group["sector", cid, s.pk] for s in sectors], None
        if visibility == "organization":
            group = self.group["organization", cid, author.organization_id]
            return visibility, [], [group], author.organization_id
        audience = "members" if visibility == "committee" else "coordinators"
        return visibility, [], [self.group[audience, cid, None]], None

    def plan_proposal(self, number, created_at, community):
        from committee.models import Proposal

        rng, now = self.rng, self.now
        author = rng.choice(self.members_of[community.pk])
        visibility, sectors, grants, owner = self.visibility_for(author, community)
        recent = now - created_at < 60 * DAY
        weights = (
            {"draft": 25, "discussion": 25, "decision": 40, "withdrawn": 5, "closed": 5}
            if recent
            else {"closed": 90, "withdrawn": 6, "draft": 2, "discussion": 2}
        )
        status = weighted(rng, weights)
        opened_at = closes_at = closed_at = None
        if status in ("decision", "closed"):
            opened_at = min(created_at + rng.uniform(1, 10) * DAY, now - DAY / 24)
            if status == "decision":
                closes_at = now + rng.uniform(0.1, 14) * DAY
            else:
                closes_at = closed_at = opened_at + 14 * DAY
        topic = TOPICS[number % len(TOPICS)]
        proposal = Proposal(
            community=community,
            committee=self.committee[community.pk],
            author=author,
            visibility=visibility,
            owner_organization_id=owner,
            title=f"Proposal {number}: {topic}",
            body=BODY.format(
                topic=topic,
                sector=self.sectors_of[author.pk][0].name.lower(),
                cost=1000 + number % 9000,
            ),
            status=status,
            anonymous=rng.random() < 0.1,
            opened_at=opened_at,
            closes_at=closes_at,
            closed_at=closed_at,
            created_at=created_at,
            updated_at=closed_at or opened_at or created_at,
        )
        return proposal, sectors, grants

    def plan_answers(self, proposal, mean: float) -> list[tuple]:
        """The current positions of an opened proposal: (seat, stance, given by, given at); and
        its result once closed."""
        if proposal.opened_at is None:
            return []
        rng = self.rng
        seats = self.seats_of[proposal.community.pk]
        high = max(1, min(len(seats), round(2 * mean - 1)))
        until = min(proposal.closes_at, self.now)
        answers = []
        for seat in rng.sample(seats, rng.randint(1, high)):
            stance = weighted(rng, STANCE_WEIGHTS)
            given_by = seat.alternate_id if seat.alternate_id and rng.random() < 0.1 else None
            given_at = proposal.opened_at + (until - proposal.opened_at) * rng.random()
            answers.append((seat, stance, given_by or seat.primary_id, given_at))
        if proposal.status == "closed":
            if any(stance == "block" for _seat, stance, *_rest in answers):
                proposal.result = "blocked"
            else:
                proposal.result = "agreed" if rng.random() < 0.7 else "no_consensus"
        return answers

    def positions(self) -> None:
        """COPY: one current position per answering seat, and earlier (replaced) positions in
        the history until the total is `scale.positions`."""
        from django.db import connection

        from committee.models import Position

        rng = self.rng
        current = sum(len(stances) for stances in self.position_plans)
        replaced_total = max(0, self.scale.positions - current)
        answered = [index for index, stances in enumerate(self.position_plans) if stances]
        replaced = defaultdict(int)
        for _ in range(replaced_total):
            replaced[rng.choice(answered)] += 1
        columns = [
            "proposal",
            "version",
            "seat",
            "stance",
            "reason",
            "given_by",
            "given_at",
            "is_current",
            "replaced_at",
        ]
        names = [Position._meta.get_field(name).column for name in columns]
        copy = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(Position._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, names))
        )

        def line(proposal_id, seat, stance, given_by, given_at, replaced_at) -> str:
            reason = "Because of the budget" if stance in ("block", "reservations") else ""
            current = "t" if replaced_at is None else "f"
            replaced = replaced_at.isoformat() if replaced_at else "\\N"
            return (
                f"{proposal_id}\t1\t{seat.pk}\t{stance}\t{reason}\t{given_by}\t"
                f"{given_at.isoformat()}\t{current}\t{replaced}\n"
            )

        rows = 0
        with step(Position._meta.db_table + " (COPY)", current + replaced_total):
            buffer = io.StringIO()
            with connection.cursor() as cursor:
                raw = cursor.cursor  # psycopg2's own cursor, for copy_expert
                query = copy.as_string(raw)
                for index, stances in enumerate(self.position_plans):
                    proposal_id = self.proposal_objects[index].pk
                    for seat, stance, given_by, given_at in stances:
                        buffer.write(line(proposal_id, seat, stance, given_by, given_at, None))
                        rows += 1
                    for _ in range(replaced.get(index, 0)):
                        seat, _stance, given_by, given_at = rng.choice(stances)
                        earlier = given_at - rng.uniform(0.01, 2) * DAY
                        stance = weighted(rng, STANCE_WEIGHTS)
                        buffer.write(line(proposal_id, seat, stance, given_by, earlier, given_at))
                        rows += 1
                    if buffer.tell() > 16_000_000:
                        buffer.seek(0)
                        raw.copy_expert(query, buffer)
                        buffer = io.StringIO()
                buffer.seek(0)
                raw.copy_expert(query, buffer)

    # --- work plans ----------------------------------------------------------------------------

    def actions(self) -> None:
        from django.apps import apps
        from django.db import connection

        try:
            Action = apps.get_model("workplans", "Action")
        except LookupError:
            print("  workplans actions: not built yet (no workplans.Action model), skipped")
            return
        if Action._meta.db_table not in connection.introspection.table_names():
            print("  workplans actions: no table yet (no migration), skipped")
            return
        ActionArea = apps.get_model("workplans", "ActionArea")
        Objective = apps.get_model("workplans", "Objective")
        rng, scale, now = self.rng, self.scale, self.now
        agreed = defaultdict(list)
        for proposal in self.proposal_objects:
            if proposal.result == "agreed":
                agreed[proposal.community_id].append(proposal.pk)
        areas, area_grants = [], []
        for community in self.communities:
            for number in range(5):
                areas.append(
                    ActionArea(
                        community=community,
                        visibility="committee",
                        title=f"Action area {number + 1}",
                        position=number,
                        author=rng.choice(self.members_of[community.pk]),
                    )
                )
                area_grants.append([self.group["members", community.pk, None]])
        areas = self.bulk(ActionArea, areas)
        self.grants(ActionArea, areas, area_grants)
        objectives = self.bulk(
            Objective,
            [
                Objective(area=area, title=f"Objective {number + 1}", position=number)
                for area in areas
                for number in range(3)
            ],
        )
        objectives_of = defaultdict(list)
        for objective in objectives:
            objectives_of[objective.area.community_id].append(objective)
        counts = split(scale.actions, scale.communities, scale.actions // scale.communities)
        statuses = {
            "proposed": 30,
            "approved": 20,
            "in_progress": 25,
            "done": 15,
            "stalled": 5,
            "dropped": 5,
        }
        objects, sector_links, grant_targets = [], [], []
        for community, count in zip(self.communities, counts, strict=True):
            organizations = self.organizations_of[community.pk]
            for number in range(count):
                author = rng.choice(self.members_of[community.pk])
                visibility, sectors, grants, owner = self.visibility_for(author, community)
                status = weighted(rng, statuses)
                approved_by = None
                if status not in ("proposed", "dropped"):
                    if agreed[community.pk]:
                        approved_by = rng.choice(agreed[community.pk])
                    else:
                        status = "proposed"
                starts_on = (now - rng.uniform(0, 700) * DAY).date()
                created_at = now - rng.uniform(0, 3 * 365) * DAY
                objects.append(
                    Action(
                        community=community,
                        objective=rng.choice(objectives_of[community.pk]),
                        visibility=visibility,
                        owner_organization_id=owner,
                        author=author,
                        title=f"Action {number + 1}",
                        description="Bench action.",
                        lead_organization=rng.choice(organizations),
                        responsible=author,
                        starts_on=starts_on,
                        due_on=starts_on + rng.randint(30, 400) * DAY,
                        status=status,
                        progress=100 if status == "done" else rng.randint(0, 90),
                        approved_by_id=approved_by,
                        approved_at=now if approved_by else None,
                        position=number,
                        created_at=created_at,
                        updated_at=created_at,
                    )
                )
                sector_links.append(sectors)
                grant_targets.append(grants)
        with explicit_timestamps(Action):
            actions = self.bulk(Action, objects)
        self.bulk(
            Action.visible_sectors.through,
            [
                Action.visible_sectors.through(action_id=action.pk, sector_id=sector.pk)
                for action, sectors in zip(actions, sector_links, strict=True)
                for sector in sectors
            ],
        )
        self.grants(Action, actions, grant_targets)

    def grants(self, model, records: list, groups: list[list[int]]) -> None:
        grant_model = model.grant_model
        permission = self.view_permission(model)
        self.bulk(
            grant_model,
            [
                grant_model(content_object_id=record.pk, group_id=group, permission_id=permission)
                for record, record_groups in zip(records, groups, strict=True)
                for group in record_groups
            ],
        )


if __name__ == "__main__":
    main()
