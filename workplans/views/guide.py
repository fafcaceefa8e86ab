"""The guided path: "Adapting the model" (the seed's five steps with their checklists, each item
done or not from the data) and the community's intended outcomes (step 2)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from stakeholders.views import add_form_errors, community_page

from .. import adaptation, selectors, services
from ..forms import OutcomeChoiceForm, OwnOutcomeForm, outcome_value
from .common import me_of

# --- adapting the model ------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemLink:
    url: str
    label: str


def _item_links(community, is_coordinator: bool) -> dict[str, ItemLink]:
    """Where each checklist item is done (coordinators are sent to the page where they act)."""
    slug = community.slug

    def url(name: str) -> str:
        return reverse(name, kwargs={"slug": slug})

    return {
        "understand": ItemLink(url("workplan-reality"), _("Open the community profile")),
        "map": ItemLink(url("stakeholder-map"), _("Open the stakeholder map")),
        "experiential": ItemLink(url("committee"), _("See who sits on the committee")),
        "outcomes": ItemLink(
            url("workplan-outcomes"),
            _("Choose the outcomes") if is_coordinator else _("Read the intended outcomes"),
        ),
        "voices": ItemLink(
            url("committee-seats") if is_coordinator else url("committee"),
            _("Manage seats") if is_coordinator else _("See who sits on the committee"),
        ),
        "safe_space": ItemLink(url("agreement"), _("Open the trust agreement")),
        "needs": ItemLink(url("workplan-needs"), _("Open the needs register")),
        "areas_agreed": ItemLink(url("workplan-priorities"), _("Prioritize the needs")),
        "actions": ItemLink(url("workplan"), _("Open the work plan")),
        "plan_approved": ItemLink(
            url("workplan-approve") if is_coordinator else url("workplan"),
            _("Approve actions") if is_coordinator else _("Open the work plan"),
        ),
    }


@community_page
def adapting(request, community):
    me = me_of(request)
    steps = selectors.adaptation_steps(request.user)
    current = adaptation.current_step(steps)
    links = _item_links(community, me.is_coordinator)
    return render(
        request,
        "workplans/adapting.html",
        {
            "community": community,
            "steps": [
                (step, [(item, links.get(item.key)) for item in step.items]) for step in steps
            ],
            "current": current,
            "done_count": sum(1 for step in steps if step.done),
        },
    )


# --- intended outcomes -------------------------------------------------------------------------


def _save_choice(me, options, chosen: set[str]) -> int:
    """Choose and set aside outcomes so that exactly `chosen` are chosen; how many changed."""
    changed = 0
    for option in options:
        wanted = outcome_value(option) in chosen
        if wanted == option.chosen:
            continue
        if option.key:
            services.choose_model_outcome(actor=me, key=option.key, chosen=wanted)
        else:
            services.set_outcome_chosen(actor=me, outcome=option.outcome, chosen=wanted)
        changed += 1
    return changed


@community_page
def outcomes(request, community):
    me = me_of(request)
    options = selectors.outcome_menu(request.user)
    choice_form = own_form = None
    if me.is_coordinator:
        choice_form = OutcomeChoiceForm(options=options)
        own_form = OwnOutcomeForm(prefix="own")
    if request.method == "POST" and me.is_coordinator:
        if "own-title" in request.POST:
            own_form = OwnOutcomeForm(request.POST, prefix="own")
            if own_form.is_valid():
                try:
                    services.add_intended_outcome(actor=me, **own_form.cleaned_data)
                except ValidationError as error:
                    add_form_errors(own_form, error)
                else:
                    messages.success(request, _("The outcome is added and chosen."))
                    return redirect("workplan-outcomes", slug=community.slug)
        else:
            choice_form = OutcomeChoiceForm(request.POST, options=options)
            if choice_form.is_valid():
                try:
                    with transaction.atomic():
                        _save_choice(me, options, set(choice_form.cleaned_data["chosen"]))
                except ValidationError as error:
                    add_form_errors(choice_form, error)
                else:
                    messages.success(request, _("The community's intended outcomes are saved."))
                    return redirect("workplan-outcomes", slug=community.slug)
    return render(
        request,
        "workplans/outcomes.html",
        {
            "community": community,
            "chosen": [option for option in options if option.chosen],
            "choice_form": choice_form,
            "own_form": own_form,
        },
    )
