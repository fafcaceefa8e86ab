"""Browser pages for proposals: the list, one proposal with its positions and discussion, its
earlier versions, and the forms that move it along. Thin: proposals come only from
`selectors.get_proposal` (404 for hidden and missing alike), writes go to `services`, which are
the gate; the pages only leave out controls that `services` would refuse. Every page reads and
shows dates and times in the community's time zone."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lic import ratelimit
from stakeholders.models import Person
from stakeholders.selectors import person_of
from stakeholders.views import add_form_errors, community_page

from .. import selectors, services
from ..forms.proposals import (
    CommentForm,
    MoveForm,
    OutcomeStatementForm,
    PositionForm,
    ProposalEditForm,
    ProposalForm,
    ReviseForm,
)
from ..models import Position, Proposal, ProposalStatus

PAGE_SIZE = 30


# How the list orders proposals after those awaiting the viewer's position.
def _detail_url(community, proposal, anchor: str = "") -> str:
    url = reverse("proposal-detail", kwargs={"slug": community.slug, "pk": proposal.pk})
    return f"{url}#{anchor}" if anchor else url


# --- the list ----------------------------------------------------------------------------------


@community_page
def proposal_list(request, community):
    me = person_of(request.user)
    status = request.GET.get("status", "")
    if status not in ProposalStatus.values:
        status = ""
    proposals = selectors.ProposalListing(request.user, community.pk, status=status)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    outcomes = selectors.live_outcomes(
        [proposal for proposal in page if proposal.status == ProposalStatus.DECISION]
    )
    rows = [(proposal, outcomes.get(proposal.pk)) for proposal in page]
    return render(
        request,
        "committee/proposal_list.html",
        {
            "community": community,
            "rows": rows,
            "page": page,
            "status": status,
            "statuses": [(value, ProposalStatus(value).label) for value in selectors.LIST_ORDER],
            "can_propose": services.may_propose(me),
        },
    )


# --- creating and editing ----------------------------------------------------------------------


@community_page
def proposal_create(request, community):
    me = person_of(request.user)
    if not services.may_propose(me):
        raise Http404
    form = ProposalForm(request.POST or None, author=me)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.create_proposal(
                author=me,
                title=data["title"],
                body=data["body"],
                visibility=data["visibility"],
                sectors=data["visible_sectors"],
                anonymous=data["anonymous"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your draft is saved. Only you and the coordinators see it until you start the "
                    "discussion."
                ),
            )
            return redirect(_detail_url(community, proposal))
    return render(
        request,
        "committee/proposal_form.html",
        {"community": community, "form": form, "proposal": None},
    )


@community_page
def proposal_edit(request, community, pk):
    proposal = selectors.get_proposal(request.user, pk)
    me = person_of(request.user)
    with_visibility = "visibility" in services.allowed_steps(me, proposal)
    form = ProposalEditForm(
        request.POST or None,
        author=me,
        with_visibility=with_visibility,
        initial={
            "title": proposal.title,
            "body": proposal.body,
            "visibility": proposal.visibility,
            "visible_sectors": list(proposal.visible_sectors.all()),
            "anonymous": proposal.anonymous,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.update_proposal(
                    actor=me,
                    proposal=proposal,
                    title=data["title"],
                    body=data["body"],
                    anonymous=data["anonymous"],
                )
                if with_visibility and _visibility_changed(proposal, data):
                    services.change_proposal_visibility(
                        actor=me,
                        proposal=proposal,
                        visibility=data["visibility"],
                        sectors=data["visible_sectors"],
                    )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The proposal is saved."))
            return redirect(_detail_url(community, proposal))
    return render(
        request,
        "committee/proposal_form.html",
        {"community": community, "form": form, "proposal": proposal},
    )


def _visibility_changed(proposal: Proposal, data: dict) -> bool:
    sectors = {sector.pk for sector in proposal.visible_sectors.all()}
    return data["visibility"] != proposal.visibility or sectors != {
        sector.pk for sector in data["visible_sectors"]
    }


@community_page
def proposal_revise(request, community, pk):
    proposal = selectors.get_proposal(request.user, pk)
    me = person_of(request.user)
    form = ReviseForm(
        request.POST or None, initial={"title": proposal.title, "body": proposal.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.revise_proposal(
                actor=me,
                proposal=proposal,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)s is back in discussion. Earlier versions stay readable.")
                % {"number": proposal.version},
            )
            return redirect(_detail_url(community, proposal))
    return render(
        request,
        "committee/proposal_revise.html",
        {"community": community, "form": form, "proposal": proposal},
    )


# --- moving it along ---------------------------------------------------------------------------


def _start_discussion(me, proposal, data):
    services.start_discussion(actor=me, proposal=proposal)
    return _("The discussion is open.")


def _open_for_positions(me, proposal, data):
    services.open_for_positions(actor=me, proposal=proposal, closes_at=data["closes_at"])
    return _("The proposal is open for positions.")


def _close(me, proposal, data):
    services.close_proposal(actor=me, proposal=proposal, statement=data["statement"])
    return _("The proposal is closed and its outcome is recorded.")


def _withdraw(me, proposal, data):
    services.withdraw_proposal(actor=me, proposal=proposal)
    return _("The proposal is withdrawn.")


MOVES = {
    ProposalStatus.DISCUSSION: _start_discussion,
    ProposalStatus.DECISION: _open_for_positions,
    ProposalStatus.CLOSED: _close,
    ProposalStatus.WITHDRAWN: _withdraw,
}


@require_POST
@community_page
def proposal_move(request, community, pk):
    proposal = selectors.get_proposal(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(_form_messages(form)))
    else:
        try:
            done = MOVES[form.cleaned_data["to"]](
                person_of(request.user), proposal, form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
    return redirect(_detail_url(community, proposal))


@require_POST
@community_page
def outcome_statement(request, community, pk):
    proposal = selectors.get_proposal(request.user, pk)
    form = OutcomeStatementForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(_form_messages(form)))
    else:
        try:
            services.write_outcome_statement(
                actor=person_of(request.user),
                proposal=proposal,
                statement=form.cleaned_data["outcome_statement"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The outcome statement is saved."))
    return redirect(_detail_url(community, proposal, "outcome"))


def _form_messages(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


# --- reading it --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PositionRow:
    """A position as the viewer may see it: `who` is None when the proposal hides names."""

    sector: str
    who: str | None
    is_mine: bool
    stance: str
    stance_label: str
    reason: str
    given_at: datetime
    is_current: bool
    not_counted: bool = False  # its seat has ended while the version is still open


def _position_rows(
    positions, proposal: Proposal, my_seat_id: int | None, *, live: bool = False
) -> list[PositionRow]:
    show_names = selectors.names_visible(proposal)
    today = proposal.committee.community.today()
    return [
        PositionRow(
            sector=position.seat.sector.localized_name,
            who=_who_gave(position) if show_names else None,
            is_mine=position.seat_id == my_seat_id,
            stance=position.stance,
            stance_label=position.get_stance_display(),
            reason=position.reason,
            given_at=position.given_at,
            is_current=position.is_current,
            not_counted=live
            and position.seat.ended_on is not None
            and position.seat.ended_on <= today,
        )
        for position in positions
    ]


def _who_gave(position: Position) -> str:
    if position.seat.organization_id is not None:
        return f"{position.given_by.display_name} ({position.seat.organization.name})"
    return position.given_by.display_name


def _positions_context(
    request, proposal: Proposal, *, earlier=None, form=None, notice: str = ""
) -> dict:
    """Everything the position panel shows: the viewer's seat and form, the sector breakdown
    and outcome (live while open, else frozen with its statement), who answered (as the
    proposal's anonymity allows) and the history; of the current version, or of `earlier`."""
    me = person_of(request.user)
    version = earlier.number if earlier else proposal.version
    is_current_version = earlier is None
    frozen = earlier or (proposal if proposal.status == ProposalStatus.CLOSED else None)
    seat = selectors.seat_of(me, proposal.committee) if me else None
    my_seat_id = seat.pk if seat else None
    positions = list(selectors.positions_of(proposal, version=version))
    mine = next((p for p in positions if p.seat_id == my_seat_id), None)
    was_opened = not is_current_version or proposal.opened_at is not None
    is_open = is_current_version and services.is_open_for_positions(proposal)
    may_answer = is_open and seat is not None and not services.primary_answer_stands(me, seat, mine)
    # Until they accept the trust agreement, the panel shows it (and its button) instead.
    agreement_pending = selectors.agreement_to_accept(me) if may_answer else None
    can_answer = may_answer and agreement_pending is None
    if can_answer and form is None:
        form = PositionForm(
            initial={"stance": mine.stance, "reason": mine.reason} if mine else None
        )
    return {
        "proposal": proposal,
        "version": version,
        "is_current_version": is_current_version,
        "was_opened": was_opened,
        "is_open": is_open,
        "outcome": selectors.outcome_of(proposal, version=version) if was_opened else None,
        "is_live": frozen is None,
        "closed_at": frozen.closed_at if frozen else None,
        "statement": frozen.outcome_statement if frozen else "",
        "my_seat": seat,
        "my_seat_id": my_seat_id,
        "my_position": mine,
        "my_position_is_mine": mine is not None and mine.given_by_id == me.pk,
        "is_observer": (
            me is not None and seat is None and selectors.is_observer(me, proposal.committee)
        ),
        "can_answer": can_answer,
        "agreement_pending": agreement_pending,
        "position_form": form,
        "notice": notice,
        "rows": _position_rows(positions, proposal, my_seat_id, live=frozen is None),
        "history": _position_rows(
            selectors.position_history(proposal, version=version), proposal, my_seat_id
        ),
    }


def _comment_rows(me: Person, proposal: Proposal) -> list:
    is_coordinator = services.is_coordinator_of(me, proposal.community_id)
    comments = list(selectors.comments_of(proposal))
    for comment in comments:
        is_live = comment.deleted_at is None
        comment.can_edit = is_live and comment.author_id == me.pk
        comment.can_delete = is_live and (comment.author_id == me.pk or is_coordinator)
        comment.earlier_texts = [
            revision for revision in comment.revisions.all() if not revision.was_deleted
        ]
    return comments


def _default_closing_time() -> datetime:
    """A week from now at the top of the hour, in the community's time zone."""
    return (timezone.localtime() + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)


def _detail(request, community, proposal, *, position_form=None, comment_form=None):
    me = person_of(request.user)
    may_comment = me.is_committee_member and proposal.status != ProposalStatus.WITHDRAWN
    comment_gate = selectors.agreement_to_accept(me) if may_comment else None
    may_comment = may_comment and comment_gate is None
    if may_comment and comment_form is None:
        comment_form = CommentForm()
    return render(
        request,
        "committee/proposal_detail.html",
        {
            "community": community,
            "amendment": selectors.amendment_view(proposal),
            "comment_gate": comment_gate,
            "steps": services.allowed_steps(me, proposal),
            "is_coordinator": services.is_coordinator_of(me, community.pk),
            "versions": selectors.versions_of(proposal),
            "comments": _comment_rows(me, proposal),
            "comment_form": comment_form if may_comment else None,
            "closes_at_value": _default_closing_time().strftime("%Y-%m-%dT%H:%M"),
            "closes_at_min": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "statement_form": OutcomeStatementForm(
                initial={"outcome_statement": proposal.outcome_statement}
            ),
            **_positions_context(request, proposal, form=position_form),
        },
    )


@community_page
def proposal_detail(request, community, pk):
    return _detail(request, community, selectors.get_proposal(request.user, pk))


@community_page
def proposal_version(request, community, pk, number):
    proposal = selectors.get_proposal(request.user, pk)
    earlier = selectors.versions_of(proposal).filter(number=number).first()
    if earlier is None:
        if number == proposal.version:
            return redirect(_detail_url(community, proposal))
        raise Http404
    return render(
        request,
        "committee/proposal_version.html",
        {
            "community": community,
            "earlier": earlier,
            **_positions_context(request, proposal, earlier=earlier),
        },
    )


# --- positions ---------------------------------------------------------------------------------


@community_page
@ratelimit.limited(ratelimit.POSITIONS, who=ratelimit.per_person)
def position_form(request, community, pk):
    """GET: the position panel. POST: state the seat's position. With HTMX the answer is the
    panel (form, breakdown, outcome) to swap in; without JavaScript, a redirect to the page (or
    the page again with the form's errors)."""
    proposal = selectors.get_proposal(request.user, pk)
    if request.method != "POST":
        return _panel(request, community, proposal)
    me = person_of(request.user)
    form = PositionForm(request.POST)
    if form.is_valid():
        try:
            position = services.cast_position(
                person=me,
                proposal=proposal,
                stance=form.cleaned_data["stance"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            notice = _("Your seat's position is saved: %(position)s.") % {
                "position": position.get_stance_display()
            }
            if request.htmx:
                return _panel(request, community, proposal, notice=notice)
            messages.success(request, notice)
            return redirect(_detail_url(community, proposal, "position-panel"))
    if request.htmx:
        return _panel(request, community, proposal, form=form)
    return _detail(request, community, proposal, position_form=form)


def _panel(request, community, proposal, *, form=None, notice=""):
    return render(
        request,
        "committee/_position_panel.html",
        {
            "community": community,
            **_positions_context(request, proposal, form=form, notice=notice),
        },
    )


# --- the discussion ----------------------------------------------------------------------------


@community_page
def comment_create(request, community, pk):
    proposal = selectors.get_proposal(request.user, pk)
    if request.method != "POST":
        return redirect(_detail_url(community, proposal, "discussion"))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.add_comment(
                author=person_of(request.user), proposal=proposal, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(_detail_url(community, proposal, f"comment-{comment.pk}"))
    return _detail(request, community, proposal, comment_form=form)


def _comment_of(proposal: Proposal, comment_pk: int):
    comment = selectors.comments_of(proposal).filter(pk=comment_pk).first()
    if comment is None:
        raise Http404
    return comment


@community_page
def comment_edit(request, community, pk, comment_pk):
    proposal = selectors.get_proposal(request.user, pk)
    comment = _comment_of(proposal, comment_pk)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(
                actor=person_of(request.user), comment=comment, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Your comment is updated. Its earlier text stays visible."))
            return redirect(_detail_url(community, proposal, f"comment-{comment.pk}"))
    return render(
        request,
        "committee/proposal_comment_edit.html",
        {"community": community, "proposal": proposal, "comment": comment, "form": form},
    )


@require_POST
@community_page
def comment_delete(request, community, pk, comment_pk):
    proposal = selectors.get_proposal(request.user, pk)
    comment = _comment_of(proposal, comment_pk)
    try:
        services.delete_comment(actor=person_of(request.user), comment=comment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The comment is deleted."))
    return redirect(_detail_url(community, proposal, f"comment-{comment.pk}"))
