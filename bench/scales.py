"""How big each benchmark data set is, and where it lives. Shared by `seed` and `run`."""

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lic_bench"

# The two communities the list figures compare: one holding most proposals, one with few.
LARGE_SLUG = "bench-large"
SMALL_SLUG = "bench-small"


@dataclass(frozen=True)
class Scale:
    name: str
    communities: int
    organizations: int
    people: int
    large_proposals: int  # in the large community
    small_proposals: int  # in the small community
    other_proposals: int  # in each other community
    positions: int
    actions: int
    large_seats: int = 40  # the concurrency figure needs 32 seats or more on one committee
    other_seats: int = 16

    @property
    def proposals(self) -> int:
        others = self.communities - 2
        return self.large_proposals + self.small_proposals + others * self.other_proposals


SCALES = {
    # A quick check that everything runs: about 1/50 of the full set.
    "small": Scale("small", 3, 120, 800, 2_000, 100, 100, 20_000, 1_000),
    "medium": Scale("medium", 10, 400, 4_000, 10_000, 1_000, 100, 100_000, 5_000),
    # Issue 8: 50 communities, 2,000 organizations, 20,000 people, 100,000 proposals with
    # 1,000,000 positions, 50,000 actions (plus 1,000 in the small community and 100 in each
    # of the 48 others, so that the large one alone holds 100,000).
    "full": Scale("full", 50, 2_000, 20_000, 100_000, 1_000, 100, 1_000_000, 50_000),
}


def bench_database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    name = urlsplit(url).path.lstrip("/")
    if not url.startswith(("postgres://", "postgresql://")) or "bench" not in name:
        # Seeding drops and recreates this database: refuse anything that is not clearly ours.
        raise SystemExit(
            f"BENCH_DATABASE_URL must be a postgres:// URL of a database whose name contains "
            f"'bench' (got {url!r})."
        )
    return url
