"""The community's public page at /c/<slug>/ (and /c/<slug>/public/), its printable yearly
summary, and the coordinators' settings for it.

Who gets what at /c/<slug>/:
- a person of the community (member, coordinator, administrator): the community's own home, as
  before;
- anyone else, signed in or not: the public page when the community has switched it on, else
  404, byte for byte the 404 of an address that does not exist. (Before the public page an
  anonymous visitor was sent to sign in, from any /c/<slug>/ whether the community existed or
  not; now a page that is off simply does not exist for outsiders, and members reach their home
  by signing in from the front page as before.)

Members may open /c/<slug>/public/ even while the page is off, to see what visitors would see.
The page is read through `selectors`, as an anonymous visitor, whoever looks at it.

For anonymous visitors the rendered page is cached (`django.core.cache`) under a key that the
services replace whenever something the page shows changes (`stakeholders.public_page`), so an
edit shows at once. Search engines are asked not to index it (`noindex` in a meta tag and an
`X-Robots-Tag` header) unless the community chose otherwise."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from committee.views.home import community_home
from stakeholders import public_page as page_cache
from stakeholders import services as stakeholder_services
from stakeholders.models import Community, Visibility
from stakeholders.selectors import person_of
from stakeholders.views import add_form_errors, coordinators_page
from workplans import charts
from workplans import selectors as workplan_selectors
from workplans.views.progress import indicator_figures

from . import selectors
from .forms import PublicPageSettingsForm

# How long a rendered page is kept at most; any change replaces it sooner.
CACHE_SECONDS = 600


def community_entry(request: HttpRequest, slug: str) -> HttpResponse:
    """/c/<slug>/: the community's home for its own people, the public page for everyone else
    (see the module docstring)."""
    if selectors.is_member(request.user, slug):
        return community_home(request, slug=slug)
    return public_page(request, slug)


def _robots(response: HttpResponse, community: Community) -> HttpResponse:
    if not community.public_page_indexed:
        response["X-Robots-Tag"] = "noindex"
    return response


def _served(
    request: HttpRequest, community: Community, variant: str, build: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page from the cache for an anonymous visitor (built and stored on a miss); built
    afresh for anyone signed in, whose page carries their own menu."""
    cacheable = not request.user.is_authenticated and not len(get_messages(request))
    if not cacheable:
        return _robots(build(), community)
    key = page_cache.page_key(community.pk, f"{get_language()}:{variant}")
    content = cache.get(key)
    if content is None:
        response = build()
        if response.status_code == 200:
            cache.set(key, response.content, CACHE_SECONDS)
    else:
        response = HttpResponse(content)
    return _robots(response, community)


def _common(request: HttpRequest, community: Community) -> dict:
    return {
        "community": community,
        "is_member": selectors.is_member(request.user, community.slug),
        "noindex": not community.public_page_indexed,
    }


def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_for_page(request.user, slug)

    def build() -> HttpResponse:
        with timezone.override(community.timezone):
            page = selectors.public_page(community)
            bars = [charts.Bar(area.area.title, area.progress) for area in page.workplan.areas]
            return render(
                request,
                "public/page.html",
                {
                    **_common(request, community),
                    "page": page,
                    "charter": page.charter,
                    "areas_chart": charts.progress_bars(
                        "public-areas-progress", _("Progress by action area"), bars
                    ),
                    "indicator_figures": indicator_figures(page.workplan.actions),
                },
            )

    return _served(request, community, "page", build)


def year_summary(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    community = selectors.community_for_page(request.user, slug)

    def build() -> HttpResponse:
        with timezone.override(community.timezone):
            summary = selectors.year_summary(community, year)
            bars = [charts.Bar(row.action.title, row.progress_at_end) for row in summary.actions]
            return render(
                request,
                "public/year.html",
                {
                    **_common(request, community),
                    "summary": summary,
                    "charter": summary.charter,
                    "actions_chart": charts.progress_bars(
                        "public-year-progress",
                        _("Progress at the end of %(year)s") % {"year": year},
                        bars,
                    ),
                },
            )

    return _served(request, community, f"year-{year}", build)


@coordinators_page
def settings_page(request: HttpRequest, community: Community) -> HttpResponse:
    """Switch the page on or off, let search engines list it, and see and change what is on it
    (the buttons post to `workplan-publish`)."""
    me = person_of(request.user)
    form = PublicPageSettingsForm(
        request.POST or None,
        initial={"enabled": community.public_page, "indexed": community.public_page_indexed},
    )
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder_services.set_public_page(actor=me, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _("The public page is on.")
                if form.cleaned_data["enabled"]
                else _("The public page is off: only members of the community can open it."),
            )
            return redirect("public-settings", slug=community.slug)
    shareable = {Visibility.COMMITTEE, Visibility.PUBLIC}
    workplan = workplan_selectors.workplan_for(request.user)
    areas = [
        (area, [a for a in area.actions if a.is_approved and a.visibility in shareable])
        for area in workplan.areas
        if area.area.is_agreed and area.area.visibility in shareable
    ]
    return render(
        request,
        "public/settings.html",
        {
            "community": community,
            "form": form,
            "address": request.build_absolute_uri(
                reverse("community-home", kwargs={"slug": community.slug})
            ),
            "areas": areas,
            "public_entries": workplan_selectors.reality_entries_for(request.user).filter(
                visibility=Visibility.PUBLIC
            ),
        },
    )
