"""Browser pages about records of people: the audit trail (coordinators), and each member's data
rights — everything the platform holds about them (a page and a JSON download) and leaving the
platform. Thin: entries and data come from `selectors` and `personal_data`, the leaving from
`personal_data.leave_platform`. Kept apart from `views` by subject, as that module is long."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from . import audit_trail, personal_data, selectors
from .forms import AuditFilterForm, LeaveForm
from .models import Person
from .views import _failed_check, add_form_errors, community_page, coordinators_page

AUDIT_PAGE_SIZE = 50


@coordinators_page
def audit_trail_page(request, community):
    """Who changed what, when: the community's audit trail, newest first, without any entry
    about a record the coordinator may not see."""
    people = Person.objects.filter(community=community).order_by("display_name", "pk")
    groups = audit_trail.action_groups()
    form = AuditFilterForm(request.GET or None, groups=groups, people=people)
    group, actor = None, None
    if form.is_valid():
        group = form.cleaned_data["group"] or None
        actor = form.cleaned_data["person"]
    entries = selectors.audit_entries_for(request.user, group=group, actor=actor)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "stakeholders/audit_trail.html",
        {
            "community": community,
            "form": form,
            "page": page,
            "rows": selectors.audit_rows(request.user, page, slug=community.slug),
            "query": query.urlencode(),
            "filtered": bool(group or actor),
        },
    )


def _private(response: HttpResponse) -> HttpResponse:
    """Personal data is never kept by a browser's or a proxy's cache."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


@community_page
def my_data(request, community):
    me = selectors.person_of(request.user)
    sections = [(section, section.readable()) for section in personal_data.personal_data_of(me)]
    response = render(
        request,
        "stakeholders/my_data.html",
        {"community": community, "sections": sections},
    )
    return _private(response)


@community_page
def my_data_json(request, community):
    me = selectors.person_of(request.user)
    data = personal_data.personal_data_json(me)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="lic-commons-{community.slug}-my-data-{stamp}.json"'
    )
    return _private(response)


@community_page
def my_leave(request, community):
    """Leave the platform, confirming with the password. A wrong password counts as a failed
    sign-in, as on the password page."""
    me = selectors.person_of(request.user)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            personal_data.leave_platform(
                person=me,
                password=form.cleaned_data["password"],
                delete_comments=form.cleaned_data["delete_comments"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
            if _failed_check(request):
                return redirect("login")
        else:
            logout(request)
            messages.success(
                request,
                _("You have left the platform. Your account is closed. Take care."),
            )
            return redirect("login")
    response = render(
        request,
        "stakeholders/my_leave.html",
        {"community": community, "form": form, "former_name": personal_data.former_name(me)},
    )
    return _private(response)
