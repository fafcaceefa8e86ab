"""What every work-plan page shares: who is looking, where to go back to
after a plain (non-HTMX) form, and the agreed proposals a planner may link to."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from committee import selectors as committee_selectors
from committee.consensus import Result
from committee.models import ProposalStatus
from stakeholders.models import Person
from stakeholders.selectors import person_of


def me_of(request) -> Person:
    return person_of(request.user)


def committee_member(request) -> Person:
    """The viewer, for what only committee members do: for anyone else it does not exist."""
    me = me_of(request)
    if not me.is_committee_member:
        raise Http404
    return me


def back(request, default: str):
    """A redirect to the page the form was on (`next`, one of ours only), else `default`."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect(default)


def error_message(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def form_errors(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


def agreed_proposals(request, community):
    """The proposals the viewer may see that the committee agreed, the latest first: what an
    action area or an action can be agreed or approved through."""
    return (
        committee_selectors.proposals_for(request.user)
        .filter(community=community, status=ProposalStatus.CLOSED, result=Result.AGREED)
        .select_related(None)
        .prefetch_related(None)
        .order_by("-closed_at", "-pk")
    )
