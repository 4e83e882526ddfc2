"""Questions a record answers from its state alone ("is it open?"), declared in one line each."""

from __future__ import annotations

from typing import Any, overload


class InState:
    """A read-only yes/no attribute: is the record's `field` (its status by default) one of `states`?

    `is_open = InState(Status.OPEN)` on a model reads like the property it stands for, in code and in
    templates alike; questions that weigh more than the state (voided, past a date) stay properties.
    """

    def __init__(self, *states: str, field: str = "status") -> None:
        self.states = frozenset(states)
        self.field = field

    @overload
    def __get__(self, instance: None, owner: type) -> InState: ...

    @overload
    def __get__(self, instance: object, owner: type) -> bool: ...

    def __get__(self, instance: Any, owner: type) -> InState | bool:
        if instance is None:
            return self
        return getattr(instance, self.field) in self.states
