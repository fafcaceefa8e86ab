"""The community profile (step 1, "understand sex work in the community"): the entries the viewer
may see, grouped by what they are about and filtered by sector (an HTMX partial, a plain form
without JavaScript), adding and editing an entry, and the coordinators' button that shares a
record on the public page or takes it off (`services.set_public`)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stakeholders.models import Sector, Visibility
from stakeholders.selectors import sectors_for
from stakeholders.views import add_form_errors, community_page

from .. import selectors, services
from ..forms import PublishForm, RealityEntryEditForm, RealityEntryForm
from ..models import RealityEntry, RealityKind
from .common import back, committee_member, error_message, form_errors, me_of
from .needs import sectors_to_raise_for


def reality_url(community, anchor: str = "") -> str:
    url = reverse("workplan-reality", kwargs={"slug": community.slug})
    return f"{url}#{anchor}" if anchor else url


@dataclass
class KindGroup:
    kind: str
    label: str
    entries: list[RealityEntry]


def _grouped(entries: list[RealityEntry]) -> list[KindGroup]:
    """Every kind in the model's order, the latest observation first within each (empty kinds
    stay, so that the page says what is still to be understood)."""
    return [
        KindGroup(kind, label, [entry for entry in entries if entry.kind == kind])
        for kind, label in RealityKind.choices
    ]


def _chosen_sector(request, community) -> Sector | None:
    """The sector filter from the address; anything that is not a sector of the community is
    no filter."""
    value = request.GET.get("sector", "")
    if not value.isdigit():
        return None
    return sectors_for(request.user).filter(pk=int(value)).first()


@community_page
def reality_list(request, community):
    me = me_of(request)
    sector = _chosen_sector(request, community)
    entries = selectors.reality_entries_for(request.user)
    if sector is not None:
        entries = entries.filter(sector=sector)
    entries = list(entries)
    for entry in entries:
        entry.can_edit = services.may_edit_reality_entry(me, entry)
        entry.can_publish = me.is_coordinator and entry.visibility in {
            Visibility.COMMITTEE,
            Visibility.PUBLIC,
        }
    context = {
        "community": community,
        "groups": _grouped(entries),
        "entry_count": len(entries),
        "sectors": sectors_for(request.user).select_related("template").order_by("position"),
        "sector": sector,
        "can_add": me.is_committee_member,
        "is_coordinator": me.is_coordinator,
    }
    if request.htmx:
        return render(request, "workplans/_reality_entries.html", context)
    return render(request, "workplans/reality_list.html", context)


@community_page
def reality_create(request, community):
    me = committee_member(request)
    form = RealityEntryForm(
        request.POST or None,
        author=me,
        sectors=sectors_to_raise_for(me),
        initial={
            "sector": me.sectors.order_by("position").first(),
            "observed_on": selectors.today_for(request.user),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.record_reality_entry(
                author=me,
                kind=data["kind"],
                sector=data["sector"],
                observed_on=data["observed_on"],
                text=data["text"],
                sources=data["sources"],
                visibility=data["visibility"],
                sectors=form.visible_sectors_chosen(),
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The entry is in the community profile."))
            return redirect(reality_url(community, f"entry-{entry.pk}"))
    return render(request, "workplans/reality_form.html", {"community": community, "form": form})


@community_page
def reality_edit(request, community, pk):
    entry = selectors.get_reality_entry(request.user, pk)
    me = committee_member(request)
    if not services.may_edit_reality_entry(me, entry):
        raise Http404
    sectors = sectors_to_raise_for(me) | Sector.objects.filter(pk=entry.sector_id)
    form = RealityEntryEditForm(
        request.POST or None,
        sectors=sectors.distinct().order_by("position", "name"),
        initial={
            "kind": entry.kind,
            "sector": entry.sector,
            "observed_on": entry.observed_on,
            "text": entry.text,
            "sources": entry.sources,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_reality_entry(actor=me, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The entry is saved."))
            return redirect(reality_url(community, f"entry-{entry.pk}"))
    return render(
        request,
        "workplans/reality_form.html",
        {"community": community, "form": form, "entry": entry},
    )


# --- sharing with the public -------------------------------------------------------------------

PUBLISHABLE = {
    "area": selectors.get_action_area,
    "action": selectors.get_action,
    "reality": selectors.get_reality_entry,
}


@require_POST
@community_page
def publish(request, community):
    """A coordinator shares a record on the public page, or takes it off; back to the page the
    button was on."""
    me = committee_member(request)
    if not me.is_coordinator:
        raise Http404
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form_errors(form)))
        return back(request, reality_url(community))
    data = form.cleaned_data
    record = PUBLISHABLE[data["kind"]](request.user, data["pk"])
    try:
        services.set_public(actor=me, record=record, public=data["public"])
    except ValidationError as error:
        error_message(request, error)
    else:
        messages.success(
            request,
            _("It is on the public page.")
            if data["public"]
            else _("It is off the public page: the whole committee still sees it."),
        )
    return back(request, reality_url(community))
