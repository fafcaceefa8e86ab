"""Every write in `workplans`: one function per domain operation, keyword-only, transactional,
called alike by pages, the API, tasks and tests (`from workplans import services`). By subject:

- `access`: who may do what (read it first: coordinators plan, a caucus plans its own records,
  the responsible person reports);
- `outcomes`: the community's intended outcomes;
- `needs`: the needs and issues register, prioritization rounds and dots;
- `plan`: action areas, objectives and actions, their order and visibility, the proposal drafted
  to agree an area (`draft_area_proposal`), and the only ways to agree an area
  (`agree_action_area`) or approve actions (`approve_actions`);
- `progress`: status, progress, indicators and progress updates;
- `intentions`: the charter objectives and intended outcomes an area or an action serves.
- `reality`: the community profile (step 1);
- `publishing`: what coordinators share on the community's public page.

Each refuses with a `ValidationError` (a message for the person) and changes nothing; a record the
actor may not see raises `Http404`, as it does on a page. Each leaves an audit entry."""

from .access import (
    may_create_plan_record,
    may_plan_action,
    may_plan_area,
    may_report,
)
from .intentions import link_intentions
from .needs import (
    close_prioritization,
    open_prioritization,
    record_need,
    set_dots,
    set_need_status,
    unvote,
    update_need,
    vote,
)
from .outcomes import (
    add_intended_outcome,
    choose_model_outcome,
    reorder_intended_outcomes,
    set_outcome_chosen,
    update_intended_outcome,
)
from .plan import (
    agree_action_area,
    agree_drafted_areas,
    approve_actions,
    change_visibility,
    create_action,
    create_action_area,
    create_objective,
    draft_area_proposal,
    reorder_action_areas,
    reorder_actions,
    reorder_objectives,
    update_action,
    update_action_area,
    update_objective,
)
from .progress import (
    add_indicator,
    add_progress_update,
    remove_indicator,
    set_action_progress,
    set_action_status,
    update_indicator,
)
from .publishing import set_public
from .reality import may_edit_reality_entry, record_reality_entry, update_reality_entry

__all__ = [
    "link_intentions",
    "may_create_plan_record",
    "may_plan_area",
    "may_plan_action",
    "may_report",
    "choose_model_outcome",
    "set_outcome_chosen",
    "add_intended_outcome",
    "update_intended_outcome",
    "reorder_intended_outcomes",
    "record_need",
    "update_need",
    "set_need_status",
    "open_prioritization",
    "close_prioritization",
    "set_dots",
    "vote",
    "unvote",
    "create_action_area",
    "update_action_area",
    "reorder_action_areas",
    "draft_area_proposal",
    "agree_action_area",
    "agree_drafted_areas",
    "create_objective",
    "update_objective",
    "reorder_objectives",
    "create_action",
    "update_action",
    "reorder_actions",
    "approve_actions",
    "change_visibility",
    "set_action_status",
    "set_action_progress",
    "add_indicator",
    "update_indicator",
    "remove_indicator",
    "add_progress_update",
    "record_reality_entry",
    "update_reality_entry",
    "may_edit_reality_entry",
    "set_public",
]
