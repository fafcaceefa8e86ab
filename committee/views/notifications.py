"""The in-app notifications: the list of what was sent to me (about what I may still see),
marking them read, and choosing per kind how I hear of things. Thin: rows come only from
`selectors.notifications_for`, writes go to `services`. Times are shown in the community's
time zone."""

from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stakeholders.selectors import person_of
from stakeholders.views import community_page

from .. import selectors, services
from ..consensus import Result
from ..forms.notifications import NotificationSettingsForm
from ..models import Notification, NotificationKind

PER_PAGE = 50


def member_page(view):
    """`community_page` for committee members (for anyone else it does not exist)."""

    @community_page
    @wraps(view)
    def wrapper(request, community, *args, **kwargs):
        if not person_of(request.user).is_committee_member:
            raise Http404
        return view(request, community, *args, **kwargs)

    return wrapper


def _times(notification: Notification) -> Notification:
    """What the list shows of a row's occasion, read from its context."""
    context = notification.context
    for field in ("starts_at", "old_starts_at", "closes_at"):
        value = context.get(field)
        setattr(notification, field, datetime.fromisoformat(value) if value else None)
    result = context.get("result")
    notification.result_label = Result(result).label if result in Result.values else ""
    return notification


@member_page
def notification_list(request, community):
    page = Paginator(selectors.notifications_for(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "committee/notification_list.html",
        {
            "community": community,
            "page": page,
            "notifications": [_times(notification) for notification in page],
            "has_unread": selectors.unread_count(request.user) > 0,
        },
    )


@member_page
@require_POST
def notification_read(request, community):
    """Mark one notification read (`notification` in the form), or all of them."""
    me = person_of(request.user)
    pk = request.POST.get("notification", "")
    if pk:
        if not pk.isdigit():
            raise Http404
        notification = selectors.notifications_for(request.user).filter(pk=int(pk)).first()
        if notification is None:
            raise Http404
        services.mark_read(person=me, notification=notification)
    else:
        services.mark_read(person=me)
        messages.success(request, _("All notifications are marked read."))
    return redirect("notification-list", slug=community.slug)


@member_page
def notification_settings(request, community):
    me = person_of(request.user)
    kinds = [
        kind
        for kind in NotificationKind.values
        if kind != NotificationKind.MINUTES_DUE or me.is_coordinator
    ]
    current = services.channels_of(me)
    form = NotificationSettingsForm(
        request.POST or None, kinds=kinds, initial={kind: current[kind] for kind in kinds}
    )
    if request.method == "POST" and form.is_valid():
        for kind in kinds:
            if form.cleaned_data[kind] != current[kind]:
                services.set_preference(person=me, kind=kind, channel=form.cleaned_data[kind])
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notification-settings", slug=community.slug)
    return render(
        request, "committee/notification_settings.html", {"community": community, "form": form}
    )
