"""Meetings in calendar apps: a member's private feed (the token in the address is the only
credential; no sign-in), one meeting as a `.ics` download, and the page where a member makes,
renews or stops their feed address.

The feed lists what `selectors.calendar_meetings_for` gives its owner at the moment of the
download, so a change of visibility or membership reaches it at the next refresh. Any address
that names no live feed of a member who still takes part is the same 404, whatever the reason."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from stakeholders.models import Person
from stakeholders.selectors import person_of
from stakeholders.views import community_page

from .. import calendar, selectors, services
from ..models import Meeting


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _event(meeting: Meeting) -> calendar.Event:
    path = reverse("meeting-detail", kwargs={"slug": meeting.community.slug, "pk": meeting.pk})
    return calendar.meeting_event(
        meeting, host=urlsplit(settings.SITE_URL).hostname, url=_absolute(path)
    )


def _calendar_name(person: Person) -> str:
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        return _("Meetings of %(community)s") % {"community": person.community.name}


def _ics(meetings, *, name: str, filename: str = "") -> HttpResponse:
    text = calendar.render_calendar(
        [_event(meeting) for meeting in meetings], name=name, now=timezone.now()
    )
    response = HttpResponse(text.encode(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def calendar_feed(request, token):
    """A member's feed, for their calendar app. Who is signed in in this browser (if anyone)
    does not matter: the feed is its owner's."""
    feed = services.find_calendar_feed(token)
    if feed is None:
        raise Http404
    person = feed.person
    meetings = selectors.calendar_meetings_for(person.user)
    return _ics(meetings, name=_calendar_name(person))


@require_safe
@community_page
def meeting_calendar(request, community, pk):
    """One meeting as a file to open in a calendar app: a 404 wherever its page is one."""
    meeting = selectors.get_meeting(request.user, pk)
    filename = f"{slugify(meeting.title)[:60] or 'meeting'}.ics"
    return _ics([meeting], name=meeting.title, filename=filename)


def feed_address(feed) -> str:
    token = services.calendar_feed_token(feed)
    return _absolute(reverse("calendar-feed", kwargs={"token": token}))


@community_page
def my_calendar(request, community):
    """GET: the member's feed address, if they have one. POST `action`: "new" makes a new
    address (the old one stops working), "stop" ends the feed."""
    me = person_of(request.user)
    if not me.is_committee_member:
        raise Http404
    if request.method == "POST":
        _change_feed(request, me, request.POST.get("action"))
        return redirect("my-calendar", slug=community.slug)
    feed = services.calendar_feed_of(me)
    address = feed_address(feed) if feed is not None else ""
    return render(
        request,
        "committee/my_calendar.html",
        {
            "community": community,
            "address": address,
            "webcal_address": "webcal://" + address.split("://", 1)[1] if address else "",
        },
    )


def _change_feed(request, me: Person, action: str | None) -> None:
    try:
        if action == "new":
            services.create_calendar_feed(person=me)
            messages.success(
                request,
                _("Your new calendar address is ready. The old one, if any, no longer works."),
            )
        elif action == "stop":
            if services.revoke_calendar_feed(person=me):
                messages.success(request, _("Your calendar feed is stopped."))
            else:
                messages.info(request, _("You have no calendar feed to stop."))
        else:
            messages.error(request, _("Choose to make a new address or to stop the feed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
