"""Writes about the work plan's structure: action areas (and the proposal that agreed each),
objectives, actions (and the proposal that approved them), their order and who sees them.

An action becomes approved only here, in `approve_actions`, and only through a proposal that
is closed, agreed and visible to the actor; an action area counts as agreed only through
`agree_action_area`, under the same conditions, or as the proposal drafted for it closes
agreed (`agree_drafted_areas`)."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import selectors as committee_selectors
from committee import services as committee_services
from committee.consensus import Result
from committee.models import Proposal, ProposalStatus
from stakeholders.models import Organization, Person, Sector, Visibility
from stakeholders.public_page import changes_public_page
from stakeholders.selectors import people_who_can_see
from stakeholders.services import record_audit, save_visible_record

from .. import selectors
from ..models import Action, ActionArea, ActionStatus, Need, Objective, RealityEntry
from .access import (
    require_new_action,
    require_new_plan_record,
    require_plan_action,
    require_plan_area,
    require_plan_objective,
    require_visible_need,
)
from .common import clean_title, locked, next_position, reorder

# --- the agreeing proposal ---------------------------------------------------------------------


def require_agreed_proposal(actor: Person, proposal: Proposal) -> None:
    """The proposal must be one the actor may see (or it does not exist for them: Http404), of
    their own community, closed, and agreed."""
    if proposal.community_id != actor.community_id:
        raise Http404
    if not committee_selectors.proposals_for(actor.user).filter(pk=proposal.pk).exists():
        raise Http404
    current = Proposal.objects.only("status", "result").get(pk=proposal.pk)
    if current.status != ProposalStatus.CLOSED or current.result != Result.AGREED:
        raise ValidationError(
            {"proposal": _("Only a proposal that the committee has agreed can do this.")}
        )


# --- action areas ------------------------------------------------------------------------------


def _visible_needs(actor: Person, needs: Iterable[Need]) -> list[Need]:
    needs = list(needs)
    for need in needs:
        if need.community_id != actor.community_id:
            raise Http404
        require_visible_need(actor, need)
    return needs


def check_public(record: ActionArea | Action, visibility: str) -> None:
    """The public sees what the committee has agreed: agreed areas and approved actions, an
    action only under a public area (a record is never reachable through a hidden parent)."""
    if visibility != Visibility.PUBLIC:
        return
    agreed = record.is_agreed if isinstance(record, ActionArea) else record.is_approved
    if not agreed:
        raise ValidationError(
            {"visibility": _("Only what the committee has agreed can be made public.")}
        )
    if isinstance(record, Action) and record.objective.area.visibility != Visibility.PUBLIC:
        raise ValidationError(
            {"visibility": _("Make its action area public first: the action is shown under it.")}
        )


def withdraw_public_actions(*, actor: Person, area: ActionArea) -> None:
    """An area leaves the public page: so do its actions (they go back to the whole
    committee), rather than stay marked public under a parent the public cannot see."""
    for action in Action.objects.filter(objective__area=area, visibility=Visibility.PUBLIC):
        save_visible_record(
            record=action, author=actor, visibility=Visibility.COMMITTEE, sectors=()
        )


@changes_public_page
@transaction.atomic
def create_action_area(
    *,
    actor: Person,
    title: str,
    visibility: str,
    sectors: Iterable[Sector] = (),
    description: str = "",
    needs: Iterable[Need] = (),
) -> ActionArea:
    require_new_plan_record(actor, visibility)
    needs = _visible_needs(actor, needs)
    area = ActionArea(
        community_id=actor.community_id,
        author=actor,
        title=clean_title(title, "title", _("Name the action area.")),
        description=description.strip(),
        position=next_position(ActionArea.objects.filter(community_id=actor.community_id)),
    )
    check_public(area, visibility)
    save_visible_record(record=area, author=actor, visibility=visibility, sectors=sectors)
    area.needs.set(needs)
    record_audit(
        action="action_area.create",
        actor=actor,
        community=area.community,
        target=area,
        changes={"title": area.title, "needs": sorted(need.pk for need in needs)},
    )
    return area


@changes_public_page
@transaction.atomic
def update_action_area(
    *, actor: Person, area: ActionArea, title: str, description: str, needs: Iterable[Need]
) -> ActionArea:
    """Change an area's words and the needs it answers. Links to needs the actor cannot see
    are kept as they are: the actor can neither see nor remove them."""
    area = locked(area)
    require_plan_area(actor, area)
    needs = _visible_needs(actor, needs)
    visible = selectors.needs_for(actor.user).values("pk")
    hidden_links = list(area.needs.exclude(pk__in=visible))
    before = {"title": area.title, "needs": sorted(area.needs.values_list("pk", flat=True))}
    area.title = clean_title(title, "title", _("Name the action area."))
    area.description = description.strip()
    area.full_clean(exclude=["visible_sectors", "needs"])
    area.save(update_fields=["title", "description", "updated_at"])
    area.needs.set([*needs, *hidden_links])
    record_audit(
        action="action_area.update",
        actor=actor,
        community=area.community,
        target=area,
        changes={
            "before": before,
            "after": {
                "title": area.title,
                "needs": sorted(area.needs.values_list("pk", flat=True)),
            },
        },
    )
    return area


@changes_public_page
@transaction.atomic
def reorder_action_areas(*, actor: Person, areas: Sequence[ActionArea]) -> None:
    for area in areas:
        require_plan_area(actor, area)
    ids = reorder(ActionArea.objects.filter(community_id=actor.community_id), areas)
    record_audit(
        action="action_area.reorder",
        actor=actor,
        community=actor.community,
        changes={"order": ids},
    )


@changes_public_page
@transaction.atomic
def agree_action_area(*, actor: Person, area: ActionArea, proposal: Proposal) -> ActionArea:
    """Record that `proposal` agreed the action area. Refused unless the proposal is closed,
    agreed and visible to the actor; an area agreed once keeps its proposal."""
    require_plan_area(actor, area)
    require_agreed_proposal(actor, proposal)
    area = ActionArea.objects.select_for_update().get(pk=area.pk)
    if area.agreed_by_id == proposal.pk:
        return area
    if area.agreed_by_id is not None:
        raise ValidationError(_("This action area has already been agreed."))
    if area.proposal_id is None:  # agreed without a draft from the plan: this one is its own
        area.proposal = proposal
    _record_agreement(area, proposal, actor)
    return area


def _record_agreement(area: ActionArea, proposal: Proposal, actor: Person | None) -> None:
    area.agreed_by = proposal
    area.agreed_at = timezone.now()
    area.save(update_fields=["agreed_by", "agreed_at", "proposal", "updated_at"])
    record_audit(
        action="action_area.agree",
        actor=actor,
        community=area.community,
        target=area,
        changes={"proposal": proposal.pk},
    )


def agree_drafted_areas(proposal: Proposal, actor: Person | None) -> None:
    """As a proposal closes (the committee's closing step, registered in the app config): if
    it closed agreed, the action areas it was drafted to agree (`draft_area_proposal`) are
    agreed by it, as `agree_action_area` would record, by whoever closed it (None: the
    deadline). The area and its proposal share one audience, so nobody learns anything new."""
    if proposal.result != Result.AGREED:
        return
    drafted = ActionArea.objects.select_for_update().filter(
        proposal=proposal, agreed_by__isnull=True
    )
    for area in drafted:
        _record_agreement(area, proposal, actor)


def _read_by_all_who_read(need: Need, area: ActionArea) -> bool:
    """Whether everyone the area's proposal is shared with (the area's own audience) may also
    read the need, so that naming it there shows nobody anything new."""
    if need.visibility == Visibility.COMMITTEE:
        return True
    if need.visibility != area.visibility:
        return False
    if need.visibility == Visibility.SECTORS:
        area_sectors = {sector.pk for sector in area.visible_sectors.all()}
        return area_sectors <= {sector.pk for sector in need.visible_sectors.all()}
    if need.visibility == Visibility.ORGANIZATION:
        return need.owner_organization_id == area.owner_organization_id
    return need.visibility == Visibility.COORDINATORS


def area_proposal_text(actor: Person, area: ActionArea) -> tuple[str, str]:
    """The title and body of the draft proposal that agrees an area. It names only the needs
    that the drafter and everyone it is shared with may read: a caucus need stays out of a
    proposal that more people may read."""
    title = _("Action area: %(title)s") % {"title": area.title}
    lines = [
        _("We propose to make **%(title)s** one of the action areas of our work plan.")
        % {"title": area.title}
    ]
    if area.description:
        lines += ["", area.description]
    needs = area.needs.filter(pk__in=selectors.needs_for(actor.user).values("pk"))
    shared = [
        need
        for need in needs.prefetch_related("visible_sectors")
        if _read_by_all_who_read(need, area)
    ]
    if shared:
        lines += ["", _("It answers these needs:"), ""]
        lines += [f"- {need.title}" for need in shared]
    lines += [
        "",
        _("When the committee agrees this proposal, the area becomes part of the work plan."),
    ]
    return title, "\n".join(lines)


def pending_proposal(actor: Person, area: ActionArea) -> Proposal | None:
    """The proposal drafted for the area while it is still on its way (not closed, not
    withdrawn) and the actor may see it: drafting another would only split the committee's
    attention. One the actor may not see (another member's draft) does not exist for them."""
    if area.proposal_id is None:
        return None
    return (
        committee_selectors.proposals_for(actor.user)
        .filter(pk=area.proposal_id)
        .exclude(status__in=[ProposalStatus.CLOSED, ProposalStatus.WITHDRAWN])
        .first()
    )


@transaction.atomic
def draft_area_proposal(*, actor: Person, area: ActionArea) -> Proposal:
    """Draft the consensus proposal that agrees an area, shared with exactly the area's
    audience, and link the area to it (`ActionArea.proposal`), so that the plan offers it when
    the committee has agreed it, whatever its title has become by then. Refused for an area
    already agreed, an area whose proposal is still on its way, and an organization's area by
    someone outside that organization (the proposal would be shared with the drafter's own)."""
    require_plan_area(actor, area)
    area = locked(area)
    if area.is_agreed:
        raise ValidationError(_("This action area has already been agreed."))
    if pending_proposal(actor, area) is not None:
        raise ValidationError(
            _("Its proposal is on its way: the committee agrees the area through that one.")
        )
    if (
        area.visibility == Visibility.ORGANIZATION
        and area.owner_organization_id != actor.organization_id
    ):
        raise ValidationError(
            _("Only a member of the organization that owns this area can draft it.")
        )
    title, body = area_proposal_text(actor, area)
    proposal = committee_services.create_proposal(
        author=actor,
        title=title,
        body=body,
        visibility=area.visibility,
        sectors=list(area.visible_sectors.all()),
    )
    before = area.proposal_id
    area.proposal = proposal
    area.save(update_fields=["proposal", "updated_at"])
    record_audit(
        action="action_area.draft",
        actor=actor,
        community=area.community,
        target=area,
        changes={"proposal": proposal.pk, "before": before},
    )
    return proposal


# --- objectives --------------------------------------------------------------------------------


@changes_public_page
@transaction.atomic
def create_objective(
    *, actor: Person, area: ActionArea, title: str, description: str = ""
) -> Objective:
    require_plan_area(actor, area)
    objective = Objective(
        area=area,
        title=clean_title(title, "title", _("Name the objective.")),
        description=description.strip(),
        position=next_position(Objective.objects.filter(area=area)),
    )
    objective.full_clean()
    objective.save()
    record_audit(
        action="objective.create",
        actor=actor,
        community=area.community,
        target=objective,
        changes={"area": area.pk, "title": objective.title},
    )
    return objective


@changes_public_page
@transaction.atomic
def update_objective(
    *, actor: Person, objective: Objective, title: str, description: str
) -> Objective:
    require_plan_objective(actor, objective)
    objective = locked(objective)
    before = objective.title
    objective.title = clean_title(title, "title", _("Name the objective."))
    objective.description = description.strip()
    objective.full_clean()
    objective.save(update_fields=["title", "description"])
    record_audit(
        action="objective.update",
        actor=actor,
        community=objective.area.community,
        target=objective,
        changes={"before": before, "after": objective.title},
    )
    return objective


@changes_public_page
@transaction.atomic
def reorder_objectives(*, actor: Person, area: ActionArea, objectives: Sequence[Objective]) -> None:
    require_plan_area(actor, area)
    ids = reorder(Objective.objects.filter(area=area), objectives)
    record_audit(
        action="objective.reorder",
        actor=actor,
        community=area.community,
        target=area,
        changes={"order": ids},
    )


# --- actions -----------------------------------------------------------------------------------


def _check_action_fields(
    actor: Person,
    lead_organization: Organization | None,
    partner_organizations: list[Organization],
    starts_on: date | None,
    due_on: date | None,
) -> None:
    organizations = [*partner_organizations, *([lead_organization] if lead_organization else [])]
    if any(org.community_id != actor.community_id for org in organizations):
        raise ValidationError(
            {"partner_organizations": _("Choose organizations of your own community.")}
        )
    if starts_on and due_on and due_on < starts_on:
        raise ValidationError({"due_on": _("The due date cannot come before the start.")})


def check_responsible_can_see(action: Action, responsible: Person | None) -> None:
    """The responsible person must be on the committee and able to see the action (its own
    visibility and its area's)."""
    if responsible is None:
        return
    area = action.objective.area
    if not (
        people_who_can_see(action).filter(pk=responsible.pk).exists()
        and people_who_can_see(area).filter(pk=responsible.pk).exists()
    ):
        raise ValidationError(
            {"responsible": _("Choose someone on the committee who can see this action.")}
        )


def _snapshot(action: Action) -> dict[str, Any]:
    return {
        "title": action.title,
        "lead_organization": action.lead_organization_id,
        "partner_organizations": sorted(action.partner_organizations.values_list("pk", flat=True)),
        "responsible": action.responsible_id,
        "starts_on": action.starts_on.isoformat() if action.starts_on else None,
        "due_on": action.due_on.isoformat() if action.due_on else None,
    }


@changes_public_page
@transaction.atomic
def create_action(
    *,
    actor: Person,
    objective: Objective,
    title: str,
    visibility: str,
    sectors: Iterable[Sector] = (),
    description: str = "",
    lead_organization: Organization | None = None,
    partner_organizations: Iterable[Organization] = (),
    responsible: Person | None = None,
    starts_on: date | None = None,
    due_on: date | None = None,
) -> Action:
    """A new action, proposed: it is approved later through an agreed proposal."""
    require_new_action(actor, objective, visibility)
    partners = list(partner_organizations)
    _check_action_fields(actor, lead_organization, partners, starts_on, due_on)
    action = Action(
        community_id=actor.community_id,
        author=actor,
        objective=objective,
        title=clean_title(title, "title", _("Name the action.")),
        description=description.strip(),
        lead_organization=lead_organization,
        responsible=responsible,
        starts_on=starts_on,
        due_on=due_on,
        position=next_position(Action.objects.filter(objective=objective)),
    )
    check_public(action, visibility)
    save_visible_record(record=action, author=actor, visibility=visibility, sectors=sectors)
    action.partner_organizations.set(partners)
    check_responsible_can_see(action, responsible)
    record_audit(
        action="action.create",
        actor=actor,
        community=action.community,
        target=action,
        changes={"objective": objective.pk, **_snapshot(action)},
    )
    return action


@changes_public_page
@transaction.atomic
def update_action(
    *,
    actor: Person,
    action: Action,
    title: str,
    description: str = "",
    lead_organization: Organization | None = None,
    partner_organizations: Iterable[Organization] = (),
    responsible: Person | None = None,
    starts_on: date | None = None,
    due_on: date | None = None,
) -> Action:
    """Change what an action is, who leads it, who is responsible and when (everything the form
    shows; its status and progress have their own services)."""
    action = locked(action)
    require_plan_action(actor, action)
    partners = list(partner_organizations)
    _check_action_fields(actor, lead_organization, partners, starts_on, due_on)
    before = _snapshot(action)
    action.title = clean_title(title, "title", _("Name the action."))
    action.description = description.strip()
    action.lead_organization = lead_organization
    action.responsible = responsible
    action.starts_on, action.due_on = starts_on, due_on
    check_responsible_can_see(action, responsible)
    action.full_clean(exclude=["visible_sectors", "partner_organizations"])
    action.save(
        update_fields=[
            "title",
            "description",
            "lead_organization",
            "responsible",
            "starts_on",
            "due_on",
            "updated_at",
        ]
    )
    action.partner_organizations.set(partners)
    record_audit(
        action="action.update",
        actor=actor,
        community=action.community,
        target=action,
        changes={"before": before, "after": _snapshot(action)},
    )
    return action


@changes_public_page
@transaction.atomic
def reorder_actions(*, actor: Person, objective: Objective, actions: Sequence[Action]) -> None:
    for action in actions:
        require_plan_action(actor, action)
    ids = reorder(Action.objects.filter(objective=objective), actions)
    record_audit(
        action="action.reorder",
        actor=actor,
        community=actor.community,
        target=objective,
        changes={"order": ids},
    )


@changes_public_page
@transaction.atomic
def approve_actions(
    *, actor: Person, proposal: Proposal, actions: Iterable[Action]
) -> list[Action]:
    """Approve proposed actions through the proposal that agreed them. Refused, with nothing
    changed, unless the proposal is closed, agreed and visible to the actor, and each action is
    one the actor may plan and is proposed (or already approved by this same proposal). The
    area need not be agreed first: one proposal often agrees an area and its first actions."""
    require_agreed_proposal(actor, proposal)
    actions = list(actions)
    if not actions:
        raise ValidationError({"actions": _("Choose the actions the proposal approved.")})
    rows = list(Action.objects.select_for_update().filter(pk__in=[action.pk for action in actions]))
    if len(rows) != len({action.pk for action in actions}):
        raise Http404
    for action in rows:
        require_plan_action(actor, action)
    now = timezone.now()
    approved = []
    for action in rows:
        if action.approved_by_id == proposal.pk:
            continue
        if action.status != ActionStatus.PROPOSED:
            raise ValidationError(
                _("“%(title)s” is not a proposed action, so it cannot be approved now.")
                % {"title": action.title}
            )
        action.status = ActionStatus.APPROVED
        action.approved_by = proposal
        action.approved_at = now
        action.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        record_audit(
            action="action.approve",
            actor=actor,
            community=action.community,
            target=action,
            changes={"proposal": proposal.pk},
        )
        approved.append(action)
    return approved


# --- who sees it -------------------------------------------------------------------------------


@changes_public_page
@transaction.atomic
def change_visibility(
    *,
    actor: Person,
    record: Need | ActionArea | Action | RealityEntry,
    visibility: str,
    sectors: Iterable[Sector] = (),
) -> Need | ActionArea | Action | RealityEntry:
    """Only the author of a need, an action area, an action or a profile entry changes who sees
    it (only a coordinator makes it public, an area or action only once agreed or approved, and
    never a caucus record). Refused if the responsible person of an action would no longer see
    it. (Coordinators also publish and withdraw what the whole committee sees:
    `publishing.set_public`.)"""
    visible = {
        Need: selectors.needs_for,
        ActionArea: selectors.action_areas_for,
        Action: selectors.actions_for,
        RealityEntry: selectors.reality_entries_for,
    }[type(record)]
    if not visible(actor.user).filter(pk=record.pk).exists():
        raise Http404
    record = locked(record)
    if record.author_id != actor.pk:
        raise ValidationError(_("Only its author can change who sees this."))
    if isinstance(record, ActionArea | Action):
        check_public(record, visibility)
    was_public = record.visibility == Visibility.PUBLIC
    save_visible_record(record=record, author=actor, visibility=visibility, sectors=sectors)
    if isinstance(record, ActionArea) and was_public and visibility != Visibility.PUBLIC:
        withdraw_public_actions(actor=actor, area=record)
    if isinstance(record, Action):
        check_responsible_can_see(record, record.responsible)
    elif isinstance(record, ActionArea):
        for action in Action.objects.filter(objective__area=record, responsible__isnull=False):
            check_responsible_can_see(action, action.responsible)
    return record
