"""The cache of a community's public page (the `public` app), kept here, in the app every other
app may import, so that any service that changes what the page shows can say so in one line:

    public_page.changed(community_id)

The page is cached under a key that carries a version per community; `changed` replaces the
version, so every cached copy of that community's page is abandoned at once (old entries simply
expire). Services call it explicitly rather than through signals, so that reading a service
tells you that it touches the public page.

Which writes call it: every write to a record kind the page shows (action areas, objectives,
actions, indicators, progress updates, the community profile), to the sectors and organizations
it counts, and to the page's own settings, whether or not the record is public now. Working out
whether a record is, was, or sits under something public is where a stale public page would
hide; writes are rare next to reads, so a few needless misses cost nothing."""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.cache import cache
from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")

VERSION_KEY = "lic:public-page:version:{community_id}"
PAGE_KEY = "lic:public-page:{community_id}:{version}:{variant}"


def _version(community_id: int) -> str:
    key = VERSION_KEY.format(community_id=community_id)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        # add, not set: two requests that both found no version agree on the first one stored
        if not cache.add(key, version, timeout=None):
            version = cache.get(key) or version
    return version


def page_key(community_id: int, variant: str) -> str:
    """The cache key of one rendering (`variant`: language, year...) of the page as it is now."""
    return PAGE_KEY.format(
        community_id=community_id, version=_version(community_id), variant=variant
    )


def _bump(community_id: int) -> None:
    cache.set(VERSION_KEY.format(community_id=community_id), uuid.uuid4().hex, timeout=None)


def changed(community_id: int) -> None:
    """What the community's public page shows may have changed: forget every cached copy now,
    and again once the transaction commits (a visitor served between the two, from the database
    as it was before the commit, would otherwise have cached the old page under the new
    version)."""
    _bump(community_id)
    transaction.on_commit(lambda: _bump(community_id))


def changes_public_page(service: Callable[P, R]) -> Callable[P, R]:
    """For a service whose `actor` (or `author`) keyword is a Person: after it succeeds, the
    public page of the person's community is refreshed (see `changed`)."""

    @wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        result = service(*args, **kwargs)
        person = kwargs.get("actor") or kwargs.get("author")
        if person is not None:
            changed(person.community_id)
        return result

    return wrapper
