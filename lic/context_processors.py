from django.conf import settings

from stakeholders.selectors import person_of


def current_person(request):
    return {"me": person_of(request.user) if hasattr(request, "user") else None}


def quick_exit(request):
    """The neutral site that the "Quick exit" control on every page leaves for."""
    return {"QUICK_EXIT_URL": settings.QUICK_EXIT_URL}
