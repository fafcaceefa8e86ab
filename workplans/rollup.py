"""How far along an objective or an action area is, from its actions. Pure: no database.

The progress of a group of actions is the mean of the progress of its actions that are not
dropped, a done action counting as 100 % whatever its last reported figure, rounded half up to a
whole percent. A group with no such action has no progress (None), which pages show as "not
started" rather than 0 %. An action area's progress is the mean over all its actions (each action
counts once), not the mean of its objectives' means.

Callers pass only the actions the viewer may see, so a roll-up never reveals hidden work."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from .models import ActionStatus


class HasProgress(Protocol):
    status: str
    progress: int


def action_progress(status: str, progress: int) -> int:
    """An action's own progress as a roll-up counts it."""
    return 100 if status == ActionStatus.DONE else progress


def rollup(actions: Iterable[HasProgress]) -> int | None:
    """The mean progress of the actions that are not dropped, or None if there are none."""
    counted = [
        action_progress(action.status, action.progress)
        for action in actions
        if action.status != ActionStatus.DROPPED
    ]
    if not counted:
        return None
    mean = Decimal(sum(counted)) / len(counted)
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))
