from django.conf import settings
from django.utils.functional import SimpleLazyObject

from committee.selectors import unread_count
from stakeholders.selectors import person_of


def current_person(request):
    me = person_of(request.user) if hasattr(request, "user") else None
    return {"me": me, "unread_notifications": _unread_notifications(request, me)}


def _unread_notifications(request, me):
    """The unread count in the navigation, for committee members: counted only when a page
    shows it (HTMX fragments do not)."""
    if me is None or not me.is_committee_member:
        return None
    return SimpleLazyObject(lambda: unread_count(request.user))


def quick_exit(request):
    """The neutral site that the "Quick exit" control on every page leaves for."""
    return {"QUICK_EXIT_URL": settings.QUICK_EXIT_URL}
