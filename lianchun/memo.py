"""Reads that several independent parts of one page need, done once for that page.

The 工作台's providers and panels come from different apps and each asks for what it needs; two of them may
ask for the same rows (this week's reports of the township). Inside `shared_reads()` a function marked
`@once_per_page` answers a repeated call with the same arguments from the first answer; outside it, every
call reads afresh. A page that writes never opens the scope, so nothing read before a write is reused after it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

_answers: ContextVar[dict | None] = ContextVar("lianchun_shared_reads", default=None)

Read = TypeVar("Read", bound=Callable[..., Any])


@contextmanager
def shared_reads() -> Iterator[None]:
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def once_per_page(read: Read) -> Read:
    """The read's arguments must be hashable (model instances, weeks, dates); its answer must not be changed."""

    @functools.wraps(read)
    def wrapper(*args: Any) -> Any:
        answers = _answers.get()
        if answers is None:
            return read(*args)
        key = (read, args)
        if key not in answers:
            answers[key] = read(*args)
        return answers[key]

    return wrapper  # type: ignore[return-value]
