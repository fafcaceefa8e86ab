"""Rate limits on the requests someone could repeat to harm others, besides signing in (which
django-axes pauses): following an invitation link (anonymous, so counted per address: trying
links, or flooding the sign-up) and giving a position (counted per person: a script would flood
the proposal's history, its audit trail and everyone's live outcome).

A fixed window on Django's cache (Redis when `REDIS_URL` is set, shared by every web process):
the first request of a window starts a counter that ends with the window; a request past the
limit is turned away with the seconds left until the next window, and changes nothing. The
limits are `settings.RATE_LIMITS` (count, seconds), set by environment variables.

Pages use the `limited` decorator (a page that says so, 429); the API calls `hit` and lets
`lic.api.exception_handler` turn `RateLimited` into DRF's 429 with `Retry-After`."""

import math
import time
from collections.abc import Callable
from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

POSITIONS = "positions"
INVITATIONS = "invitations"


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"rate limited for {retry_after} s")
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        return ngettext(
            "That was too many tries in a short time. Nothing was changed. "
            "Please try again in %(minutes)s minute.",
            "That was too many tries in a short time. Nothing was changed. "
            "Please try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}


def hit(limit: str, who: str) -> None:
    """Count one request by `who` (a person, an address) against `limit`; raise `RateLimited`
    when it is one past the limit of the current window."""
    count, seconds = settings.RATE_LIMITS[limit]
    now = time.time()
    window = int(now // seconds)
    key = f"ratelimit:{limit}:{who}:{window}"
    cache.add(key, 0, timeout=seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # the window's counter expired between the two calls
        cache.set(key, 1, timeout=seconds)
        used = 1
    if used > count:
        raise RateLimited(retry_after=max(1, math.ceil((window + 1) * seconds - now)))


def per_person(request: HttpRequest) -> str:
    return f"user:{request.user.pk}"


def per_address(request: HttpRequest) -> str:
    # The address django-axes pauses sign-ins by, so that both read a proxy's headers alike.
    return f"address:{get_client_ip_address(request)}"


def limited(limit: str, *, who: Callable[[HttpRequest], str], methods=("POST",)):
    """A page whose `methods` requests count against `limit`; past it, the page answers 429."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                try:
                    hit(limit, who(request))
                except RateLimited as error:
                    return too_many_requests(request, error)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def too_many_requests(request: HttpRequest, error: RateLimited) -> HttpResponse:
    """A page that says to wait, or for HTMX (which swaps in no error answer) the message on
    the page the person is on, which is loaded again."""
    if getattr(request, "htmx", False) and request.htmx.current_url_abs_path:
        messages.error(request, error.message)
        response = HttpResponse(status=429)
        response["HX-Redirect"] = request.htmx.current_url_abs_path
    else:
        response = render(request, "429.html", {"message": error.message}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response
