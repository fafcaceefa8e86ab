"""Every write in `committee`: one function per domain operation, transactional, called alike by
views, the API, tasks and tests (`from committee import services`). By subject:

- `access`: who acts as a coordinator;
- `members`: the committee's rule, roles and seats;
- `proposals`: the proposal lifecycle, positions and the discussion.
"""

from .access import (
    is_coordinator_of,
    require_coordinator,
)
from .members import (
    create_seat,
    end_committee_role,
    end_seat,
    ensure_committee,
    set_committee_role,
    update_committee,
)
from .proposals import (
    EDITABLE_STATUSES,
    MOVES_FROM,
    add_comment,
    allowed_steps,
    cast_position,
    change_proposal_visibility,
    close_due_proposals,
    close_proposal,
    create_proposal,
    delete_comment,
    edit_comment,
    is_open_for_positions,
    may_move,
    may_propose,
    open_for_positions,
    primary_answer_stands,
    revise_proposal,
    start_discussion,
    update_proposal,
    withdraw_proposal,
    write_outcome_statement,
)

__all__ = [
    "is_coordinator_of",
    "require_coordinator",
    "ensure_committee",
    "update_committee",
    "set_committee_role",
    "end_committee_role",
    "create_seat",
    "end_seat",
    "may_move",
    "is_open_for_positions",
    "allowed_steps",
    "may_propose",
    "create_proposal",
    "update_proposal",
    "change_proposal_visibility",
    "start_discussion",
    "open_for_positions",
    "close_proposal",
    "close_due_proposals",
    "write_outcome_statement",
    "withdraw_proposal",
    "revise_proposal",
    "primary_answer_stands",
    "cast_position",
    "add_comment",
    "edit_comment",
    "delete_comment",
    "EDITABLE_STATUSES",
    "MOVES_FROM",
]
