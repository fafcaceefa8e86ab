"""The needs and issues register (step 4) and its prioritization by dot vote: the register by
sector, one need, adding and editing a need, the open round with the viewer's dots (an HTMX
partial that is a plain form without JavaScript), the results per sector and overall, and the
coordinators' controls to open and close a round. Results count only what the viewer may see
(`selectors.prioritization_results`)."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee import selectors as committee_selectors
from stakeholders.models import Sector
from stakeholders.selectors import sectors_for
from stakeholders.views import add_form_errors, community_page

from .. import selectors, services
from ..forms import DotsForm, NeedEditForm, NeedForm, NeedStatusForm, PrioritizationForm
from ..models import Need, NeedStatus, Prioritization, PrioritizationStatus
from .common import (
    committee_member,
    error_message,
    form_errors,
    me_of,
)

TOP_NEEDS = 3  # how many of a round's top needs the "make an action area" form ticks


def _needs_url(community, anchor: str = "") -> str:
    url = reverse("workplan-needs", kwargs={"slug": community.slug})
    return f"{url}#{anchor}" if anchor else url


def _priorities_url(community, anchor: str = "") -> str:
    url = reverse("workplan-priorities", kwargs={"slug": community.slug})
    return f"{url}#{anchor}" if anchor else url


def sectors_to_raise_for(me):
    """A member raises a need for one of their sectors; a coordinator for any sector."""
    if me.is_coordinator:
        return sectors_for(me.user).order_by("position", "name")
    return me.sectors.order_by("position", "name")


# --- the register ------------------------------------------------------------------------------


@community_page
def need_list(request, community):
    me = me_of(request)
    by_sector: dict[Sector, list[Need]] = defaultdict(list)
    needs = list(selectors.needs_for(request.user))
    for need in needs:
        by_sector[need.sector].append(need)
    groups = sorted(by_sector.items(), key=lambda item: (item[0].position, item[0].name))
    return render(
        request,
        "workplans/need_list.html",
        {
            "community": community,
            "groups": groups,
            "need_count": len(needs),
            "can_add": me.is_committee_member,
            "round": selectors.open_prioritization(request.user),
        },
    )


@community_page
def need_create(request, community):
    me = committee_member(request)
    form = NeedForm(request.POST or None, author=me, sectors=sectors_to_raise_for(me))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need = services.record_need(
                author=me,
                title=data["title"],
                description=data["description"],
                sector=data["sector"],
                visibility=data["visibility"],
                sectors=form.visible_sectors_chosen(),
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The need is in the register."))
            return redirect(_needs_url(community, f"need-{need.pk}"))
    return render(request, "workplans/need_form.html", {"community": community, "form": form})


def _may_edit_need(me, need: Need) -> bool:
    return me.is_committee_member and (need.author_id == me.pk or me.is_coordinator)


@community_page
def need_detail(request, community, pk):
    need = selectors.get_need(request.user, pk)
    me = me_of(request)
    current = selectors.open_prioritization(request.user)
    dots = None
    if current is not None:
        tally = next(
            (
                t
                for t in selectors.prioritization_results(request.user, current).needs
                if t.need.pk == need.pk
            ),
            None,
        )
        dots = tally.total if tally else 0
    return render(
        request,
        "workplans/need_detail.html",
        {
            "community": community,
            "need": need,
            "round": current,
            "dots": dots,
            "areas": selectors.action_areas_for(request.user).filter(needs=need),
            "can_edit": _may_edit_need(me, need),
            "is_author": me.is_committee_member and need.author_id == me.pk,
        },
    )


@community_page
def need_edit(request, community, pk):
    """Its author edits a need and who can see it; a coordinator edits what it says (who can see
    it stays the author's choice: `services.update_need`)."""
    need = selectors.get_need(request.user, pk)
    me = committee_member(request)
    if not _may_edit_need(me, need):
        raise Http404
    sectors = sectors_to_raise_for(me) | Sector.objects.filter(pk=need.sector_id)
    sectors = sectors.distinct().order_by("position", "name")
    initial = {"title": need.title, "description": need.description, "sector": need.sector}
    is_author = need.author_id == me.pk
    if is_author:
        initial |= {"visibility": need.visibility, "visible_sectors": need.visible_sectors.all()}
        form = NeedForm(request.POST or None, author=me, sectors=sectors, initial=initial)
    else:
        form = NeedEditForm(request.POST or None, sectors=sectors, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        audience = (
            {"visibility": data["visibility"], "sectors": form.visible_sectors_chosen()}
            if is_author
            else {}
        )
        try:
            services.update_need(
                actor=me,
                need=need,
                title=data["title"],
                description=data["description"],
                sector=data["sector"],
                **audience,
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The need is saved."))
            return redirect("workplan-need-detail", slug=community.slug, pk=need.pk)
    return render(
        request,
        "workplans/need_form.html",
        {"community": community, "form": form, "need": need, "is_author": is_author},
    )


@require_POST
@community_page
def need_status(request, community, pk):
    need = selectors.get_need(request.user, pk)
    me = committee_member(request)
    form = NeedStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form_errors(form)))
    else:
        try:
            services.set_need_status(actor=me, need=need, status=form.cleaned_data["status"])
        except ValidationError as error:
            error_message(request, error)
        else:
            status = form.cleaned_data["status"]
            messages.success(
                request,
                _("The need is marked addressed.")
                if status == NeedStatus.ADDRESSED
                else _("The need is open again."),
            )
    return redirect("workplan-need-detail", slug=community.slug, pk=need.pk)


# --- prioritization ----------------------------------------------------------------------------


@dataclass
class SectorResult:
    sector: Sector
    total: int
    needs: list[tuple[Need, int]]  # most dots first


def _per_sector(results) -> list[SectorResult]:
    rows = []
    for sector in results.sectors:
        total = results.totals_by_sector.get(sector.pk, 0)
        if not total:
            continue
        needs = [
            (tally.need, tally.by_sector[sector.pk])
            for tally in results.needs
            if tally.by_sector.get(sector.pk)
        ]
        needs.sort(key=lambda pair: (-pair[1], pair[0].title.casefold()))
        rows.append(SectorResult(sector, total, needs))
    return rows


def _may_vote(me) -> bool:
    if not me.is_committee_member:
        return False
    committee = committee_selectors.committee_for(me.user)
    return committee is None or not committee_selectors.is_observer(me, committee)


def _round_context(request, community, current: Prioritization | None, notice: str = ""):
    me = me_of(request)
    context = {"community": community, "round": current, "notice": notice}
    if current is None:
        return context
    results = selectors.prioritization_results(request.user, current)
    is_open = current.status == PrioritizationStatus.OPEN
    mine = selectors.my_dots(request.user, current) if is_open else None
    context.update(
        {
            "results": results,
            "ranked": [tally for tally in results.needs if tally.total],
            "per_sector": _per_sector(results),
            "is_open": is_open,
            "can_vote": is_open and _may_vote(me),
            "mine": mine,
            "ballot": [
                (tally.need, mine.by_need.get(tally.need.pk, 0))
                for tally in sorted(results.needs, key=lambda t: t.need.title.casefold())
                if tally.need.status == NeedStatus.OPEN or mine.by_need.get(tally.need.pk)
            ]
            if mine
            else [],
            "top_ids": {tally.need.pk for tally in results.top(TOP_NEEDS)},
        }
    )
    return context


@community_page
def priorities(request, community):
    me = me_of(request)
    rounds = list(selectors.prioritizations_for(request.user))
    current = next((r for r in rounds if r.status == PrioritizationStatus.OPEN), None)
    shown = current or (rounds[0] if rounds else None)
    return render(
        request,
        "workplans/priorities.html",
        {
            **_round_context(request, community, shown),
            "earlier": [
                r for r in rounds if r.status == PrioritizationStatus.CLOSED and r != shown
            ],
            "is_coordinator": me.is_coordinator,
            "open_form": PrioritizationForm() if me.is_coordinator and current is None else None,
            "can_plan": me.is_committee_member,
        },
    )


@community_page
def priority_round(request, community, pk):
    shown = selectors.get_prioritization(request.user, pk)
    if shown.status == PrioritizationStatus.OPEN:
        return redirect("workplan-priorities", slug=community.slug)
    me = me_of(request)
    return render(
        request,
        "workplans/priority_round.html",
        {**_round_context(request, community, shown), "can_plan": me.is_committee_member},
    )


@community_page
def priorities_open(request, community):
    me = committee_member(request)
    if not me.is_coordinator:
        raise Http404
    form = PrioritizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_prioritization(actor=me, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The round is open: members can place their dots."))
            return redirect("workplan-priorities", slug=community.slug)
    return render(request, "workplans/priorities_open.html", {"community": community, "form": form})


@require_POST
@community_page
def priorities_close(request, community, pk):
    current = selectors.get_prioritization(request.user, pk)
    me = committee_member(request)
    try:
        services.close_prioritization(actor=me, prioritization=current)
    except ValidationError as error:
        error_message(request, error)
    else:
        messages.success(request, _("The round is closed. Its results stay here."))
    return redirect("workplan-priorities", slug=community.slug)


@require_POST
@community_page
def dots(request, community, pk, need_pk):
    """+1 or −1 dot on a need. With HTMX the answer is the ballot (and the results, swapped out
    of band); without JavaScript, a redirect back to the need on the page."""
    current = selectors.get_prioritization(request.user, pk)
    need = selectors.get_need(request.user, need_pk)
    me = committee_member(request)
    form = DotsForm(request.POST)
    notice, error = "", ""
    if not form.is_valid():
        error = " ".join(form_errors(form))
    else:
        change = services.vote if form.cleaned_data["change"] == "add" else services.unvote
        try:
            change(actor=me, prioritization=current, need=need)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            left = selectors.my_dots(request.user, current).remaining
            notice = _("Saved. Dots left: %(left)s.") % {"left": left}
    if request.htmx:
        context = _round_context(request, community, current, notice=notice)
        context["error"] = error
        return render(request, "workplans/_ballot_response.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(_priorities_url(community, f"ballot-need-{need.pk}"))
