"""An objective's and an action area's progress come from their actions: the mean of the
actions that are not dropped, a done action counting as 100 %, rounded half up; nothing to
count means no progress yet (None), not 0 %."""

from dataclasses import dataclass

import pytest

from workplans.rollup import rollup


@dataclass
class A:
    status: str
    progress: int


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        ([], None),
        ([A("dropped", 80)], None),
        ([A("proposed", 0)], 0),
        ([A("in_progress", 50), A("in_progress", 100)], 75),
        ([A("in_progress", 50), A("dropped", 0)], 50),
        ([A("done", 40), A("in_progress", 0)], 50),  # done counts as 100 %
        ([A("in_progress", 33), A("in_progress", 33), A("in_progress", 34)], 33),
        ([A("in_progress", 0), A("in_progress", 1)], 1),  # 0.5 rounds up
        ([A("in_progress", 1), A("in_progress", 2)], 2),  # 1.5 rounds up, not to even
        ([A("stalled", 20), A("approved", 0), A("done", 100)], 40),
        ([A("in_progress", 10), A("in_progress", 10), A("in_progress", 11)], 10),
    ],
)
def test_the_roll_up_is_the_rounded_mean_of_the_actions_not_dropped(actions, expected):
    assert rollup(actions) == expected


def test_an_area_counts_each_action_once_not_each_objectives_mean(plan, personas):
    """Objective 1 has two actions (40 % and 0 %), the caucus objective one (0 %): the caucus
    sees 20 % and 0 % for the objectives, and the committee area at 20 % — over its actions,
    not the mean of objective means."""
    from workplans import selectors

    workplan = selectors.workplan_for(personas.experiential.user)
    by_title = {area.area.title: area for area in workplan.areas}
    committee_area = by_title["area:committee"]
    assert [(o.objective.title, o.progress) for o in committee_area.objectives] == [
        ("objective:1", 20)
    ]
    assert committee_area.progress == 20
    assert by_title["area:caucus"].progress == 0
    assert workplan.progress == 13  # (40 + 0 + 0) / 3 = 13.3
