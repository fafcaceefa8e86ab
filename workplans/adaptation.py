"""The seed's five steps for adapting the model (section 2), as a guided path: each step with
its checklist, each item done or not. Pure: `steps_from(facts)` decides from `AdaptationFacts`,
which `selectors.adaptation_steps` gathers from what the viewer may see (a record hidden from
the viewer does not count for them, as everywhere else).

What the data tells, item by item:

1. Current reality
   - `understand` "Understand sex work in the community": the community profile holds at least
     one entry (a dated observation: where sex work shows up, which services exist, a sector's
     concerns).
   - `map` "Map key stakeholders": organizations are registered in at least
     `MAPPED_SECTORS_NEEDED` sectors of the stakeholder map.
   - `experiential` "Ensure experiential representation": at least one committee member (member
     or coordinator, account open) belongs to an experiential sector.
2. Intention
   - `outcomes`: at least one intended outcome is chosen.
3. Steering committee
   - `voices`: every sector the community marks as required holds a current seat, and an
     experiential sector does too (even if nobody marked it required).
   - `safe_space` "Commit to a safe space of mutual trust": the committee has agreed its trust
     agreement (a version exists, made by an agreed proposal). This is the commitment itself,
     which members then accept one by one (`committee.services.amendments`); the terms of
     reference, which stood in for it before the agreement existed, no longer count.
4. Needs and priorities
   - `needs`: at least one need or issue is recorded.
   - `areas_agreed`: at least one action area is agreed, i.e. linked to the closed, agreed
     proposal that agreed it; the item's detail names each agreed area with that proposal
     (the proposal's title only where the viewer may see it).
5. Work plan
   - `actions`: at least one action is written under an objective.
   - `plan_approved`: at least one action is approved through an agreed proposal. (There is no
     separate "work plan" record: the plan is its agreed areas and approved actions, and it is
     approved as soon as the committee has approved actions in it; the item's detail says how
     many of the actions are approved.)

Every item is told by the records: nothing is ticked by hand. A step is done when all its items
are. Steps do not wait for each other: a community may come to
the platform with its committee already seated."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

MAPPED_SECTORS_NEEDED = 3

STEP_TITLES = {
    "reality": gettext_lazy("Start with current reality"),
    "intention": gettext_lazy("Clarify intention"),
    "committee": gettext_lazy("Create the steering committee"),
    "needs": gettext_lazy("Identify needs and prioritize action areas"),
    "workplan": gettext_lazy("Develop a work plan"),
}

ITEM_LABELS = {
    "understand": gettext_lazy("Understand sex work in the community"),
    "map": gettext_lazy("Map key stakeholders and those impacted by sex work"),
    "experiential": gettext_lazy("Ensure experiential representation"),
    "outcomes": gettext_lazy("Choose the outcomes the community wants to focus on"),
    "voices": gettext_lazy(
        "Include all voices, including current and former sex workers, on the committee"
    ),
    "safe_space": gettext_lazy("Commit to creating a safe space of mutual trust"),
    "needs": gettext_lazy("Identify needs and issues in the community"),
    "areas_agreed": gettext_lazy("Prioritize action areas and agree on them"),
    "actions": gettext_lazy("Set objectives and actions"),
    "plan_approved": gettext_lazy("Approve the work plan's actions"),
}


@dataclass(frozen=True)
class AdaptationFacts:
    """What the checklist is decided from, as seen by one viewer."""

    reality_entries: int = 0
    sectors_with_organizations: int = 0
    experiential_members: int = 0
    outcomes_chosen: int = 0
    required_sectors_missing: tuple[str, ...] = ()  # names of required sectors without a seat
    experiential_seated: bool = False
    trust_agreement_agreed: bool = False
    needs_recorded: int = 0
    areas_agreed: int = 0
    # (area title, title of the proposal that agreed it or "" where hidden from the viewer)
    agreed_areas: tuple[tuple[str, str], ...] = ()
    actions: int = 0
    actions_approved: int = 0


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    detail: str = ""


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    title: str
    items: tuple[ChecklistItem, ...] = field(default_factory=tuple)

    @property
    def done(self) -> bool:
        return all(item.done for item in self.items)


def _item(key: str, done: bool, detail: str = "") -> ChecklistItem:
    return ChecklistItem(key=key, label=ITEM_LABELS[key], done=done, detail=detail)


def _agreed_detail(facts: AdaptationFacts) -> str:
    """Each agreed area with the proposal that agreed it: "Safer nights (agreed through
    “Action area: safer nights”); …"."""
    parts = [
        _("%(area)s (agreed through “%(proposal)s”)") % {"area": area, "proposal": proposal}
        if proposal
        else _("%(area)s (agreed by the committee)") % {"area": area}
        for area, proposal in facts.agreed_areas
    ]
    return "; ".join(parts)


def steps_from(facts: AdaptationFacts) -> list[Step]:
    """The five steps with their checklists, decided from `facts`."""
    mapped = facts.sectors_with_organizations
    missing = facts.required_sectors_missing
    voices_detail = ""
    if missing:
        voices_detail = _("Not yet seated: %(sectors)s") % {"sectors": ", ".join(missing)}
    elif not facts.experiential_seated:
        voices_detail = _("No current or former sex worker holds a seat yet.")
    return [
        Step(
            1,
            "reality",
            STEP_TITLES["reality"],
            (
                _item(
                    "understand",
                    facts.reality_entries > 0,
                    ngettext(
                        "The community profile holds %(count)d entry.",
                        "The community profile holds %(count)d entries.",
                        facts.reality_entries,
                    )
                    % {"count": facts.reality_entries},
                ),
                _item(
                    "map",
                    mapped >= MAPPED_SECTORS_NEEDED,
                    ngettext(
                        "Organizations are registered in %(count)d sector.",
                        "Organizations are registered in %(count)d sectors.",
                        mapped,
                    )
                    % {"count": mapped},
                ),
                _item("experiential", facts.experiential_members > 0),
            ),
        ),
        Step(
            2,
            "intention",
            STEP_TITLES["intention"],
            (_item("outcomes", facts.outcomes_chosen > 0),),
        ),
        Step(
            3,
            "committee",
            STEP_TITLES["committee"],
            (
                _item("voices", not missing and facts.experiential_seated, voices_detail),
                _item("safe_space", facts.trust_agreement_agreed),
            ),
        ),
        Step(
            4,
            "needs",
            STEP_TITLES["needs"],
            (
                _item("needs", facts.needs_recorded > 0),
                _item("areas_agreed", facts.areas_agreed > 0, _agreed_detail(facts)),
            ),
        ),
        Step(
            5,
            "workplan",
            STEP_TITLES["workplan"],
            (
                _item("actions", facts.actions > 0),
                _item(
                    "plan_approved",
                    facts.actions_approved > 0,
                    _("%(approved)d of %(total)d actions approved.")
                    % {"approved": facts.actions_approved, "total": facts.actions},
                ),
            ),
        ),
    ]


def current_step(steps: Sequence[Step]) -> Step | None:
    """The first step not yet done, or None when the community has done them all."""
    return next((step for step in steps if not step.done), None)
