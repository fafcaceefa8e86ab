"""Browser pages for the charter and the trust agreement: each text with its history, the forms
that propose a change (a proposal carrying the new text), accepting the agreement, and who
accepted it (coordinators only). Thin: texts come from selectors, writes go to services.

The charter is read by everyone in the community (it is meant for the public page too); the
agreement by committee members. A version names the proposal that made it only to a viewer who
may see that proposal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stakeholders.selectors import person_of
from stakeholders.views import add_form_errors, community_page, coordinators_page

from .. import selectors, services
from ..forms.charter import AgreementForm, CharterChangeForm
from ..governing_texts import suggested_agreement
from ..models import ProposalStatus

DRAFT_SAVED = gettext_lazy(
    "Your proposed change is saved as a draft. Only you and the coordinators see it until you "
    "start the discussion; it applies only if the committee agrees it."
)


def _proposal_url(community, proposal) -> str:
    return reverse("proposal-detail", kwargs={"slug": community.slug, "pk": proposal.pk})


def _with_titles(request, versions) -> list[tuple]:
    """Each version with the title of the proposal that made it, if the viewer may see it."""
    titles = selectors.visible_proposal_titles(
        request.user, [version.proposal_id for version in versions]
    )
    return [(version, titles.get(version.proposal_id)) for version in versions]


# --- the charter -------------------------------------------------------------------------------


@community_page
def charter_page(request, community):
    versions = selectors.charter_versions(community)
    return render(
        request,
        "committee/charter.html",
        {
            "community": community,
            "charter": versions[0],
            "versions": _with_titles(request, versions),
            "can_propose": services.may_propose(person_of(request.user)),
        },
    )


@community_page
def charter_version(request, community, number):
    charter = selectors.charter_version(community, number)
    ((charter, proposal_title),) = _with_titles(request, [charter])
    return render(
        request,
        "committee/charter_version.html",
        {
            "community": community,
            "charter": charter,
            "proposal_title": proposal_title,
            "current_number": selectors.current_charter(community).number,
        },
    )


def _draft(request, community, form, propose):
    """Save the draft proposal `propose` makes and go to it, or put the service's errors on the
    form and return None."""
    try:
        proposal = propose()
    except ValidationError as error:
        add_form_errors(form, error)
        return None
    messages.success(request, DRAFT_SAVED)
    return redirect(_proposal_url(community, proposal))


def _proposer(request):
    me = person_of(request.user)
    if not services.may_propose(me):
        raise Http404
    return me


@community_page
def charter_propose(request, community):
    me = _proposer(request)
    form = CharterChangeForm(request.POST or None, charter=selectors.current_charter(community))
    if request.method == "POST" and form.is_valid():
        saved = _draft(
            request,
            community,
            form,
            lambda: services.propose_charter_change(
                author=me,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                **form.amendment(),
            ),
        )
        if saved:
            return saved
    return render(
        request,
        "committee/charter_propose.html",
        {"community": community, "form": form, "rows": form.rows_for_template()},
    )


# --- the trust agreement -----------------------------------------------------------------------


def _committee_member(request):
    """The agreement is the committee's: for anyone else its pages do not exist."""
    me = person_of(request.user)
    if me is None or not me.is_committee_member:
        raise Http404
    return me


@community_page
def agreement_page(request, community):
    me = _committee_member(request)
    agreement = selectors.current_agreement(community)
    return render(
        request,
        "committee/agreement.html",
        {
            "community": community,
            "agreement": agreement,
            "my_acceptance": selectors.my_acceptance(me, agreement) if agreement else None,
            "versions": _with_titles(request, selectors.agreement_versions(community)),
            "can_propose": services.may_propose(me),
            "is_coordinator": services.is_coordinator_of(me, community.pk),
        },
    )


@require_POST
@community_page
def agreement_accept(request, community):
    me = _committee_member(request)
    try:
        number = int(request.POST.get("version", ""))
    except ValueError:
        number = 0
    try:
        services.accept_agreement(person=me, number=number)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("agreement", slug=community.slug)
    messages.success(request, _("Thank you: you accepted the trust agreement."))
    return redirect(_back_to(request, reverse("agreement", kwargs={"slug": community.slug})))


def _back_to(request, default: str) -> str:
    """Where the accept button was pressed (a proposal, a meeting), if it is one of ours."""
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


@community_page
def agreement_propose(request, community):
    _committee_member(request)
    me = _proposer(request)
    current = selectors.current_agreement(community)
    form = AgreementForm(
        request.POST or None, text=current.text if current else suggested_agreement()
    )
    if request.method == "POST" and form.is_valid():
        saved = _draft(
            request,
            community,
            form,
            lambda: services.propose_agreement(
                author=me,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                text=form.text(),
            ),
        )
        if saved:
            return saved
    return render(
        request,
        "committee/agreement_propose.html",
        {"community": community, "form": form, "is_first": current is None},
    )


@coordinators_page
def agreement_acceptances(request, community):
    rows = selectors.acceptances_for(request.user)
    if rows is None:
        raise Http404
    agreement = selectors.current_agreement(community)
    return render(
        request,
        "committee/agreement_acceptances.html",
        {
            "community": community,
            "agreement": agreement,
            "rows": rows,
            "pending": sum(1 for row in rows if row.accepted_current_at is None),
        },
    )


# --- rewriting the proposed text ---------------------------------------------------------------


@community_page
def amendment_edit(request, community, pk):
    """The author or a coordinator rewrites a proposal's new charter or agreement, with its
    title and reasons, while it is a draft or in discussion; it is then written against the
    current version."""
    proposal = selectors.get_proposal(request.user, pk)
    me = person_of(request.user)
    view = selectors.amendment_view(proposal)
    editable = (ProposalStatus.DRAFT, ProposalStatus.DISCUSSION)
    if view is None or view.is_applied or proposal.status not in editable:
        raise Http404
    if not services.may_move(me, proposal):
        raise Http404
    initial = {"title": proposal.title, "body": proposal.body}
    if view.is_charter:
        form = CharterChangeForm(request.POST or None, charter=view.after, initial=initial)
    else:
        form = AgreementForm(request.POST or None, text=view.after.text, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.update_proposal(
                    actor=me,
                    proposal=proposal,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
                if view.is_charter:
                    services.revise_charter_change(actor=me, proposal=proposal, **form.amendment())
                else:
                    services.revise_agreement_change(actor=me, proposal=proposal, text=form.text())
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The proposed text is saved."))
            return redirect(_proposal_url(community, proposal) + "#amendment")
    context = {"community": community, "form": form, "proposal": proposal}
    if view.is_charter:
        return render(
            request,
            "committee/charter_propose.html",
            {**context, "rows": form.rows_for_template()},
        )
    return render(
        request, "committee/agreement_propose.html", {**context, "is_first": view.before is None}
    )
