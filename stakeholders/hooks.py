"""Steps that a later app adds to what an earlier one does.

The apps depend one way: `stakeholders` ← `committee` ← `workplans`. Where an earlier app's
service must let a later app act too (a person leaves, a proposal closes), it declares a
`Steps` at that point and runs each registered step there; the later app registers its step
from its `AppConfig.ready()`. The comment above each `Steps` says when its steps run and how
they are called."""

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

Step = TypeVar("Step", bound=Callable)


class Steps(Generic[Step]):
    def __init__(self) -> None:
        self._steps: list[Step] = []

    def register(self, step: Step) -> None:
        """Add a step; registering the same one again changes nothing (a `ready()` may run
        twice)."""
        if step not in self._steps:
            self._steps.append(step)

    def __iter__(self) -> Iterator[Step]:
        return iter(tuple(self._steps))
