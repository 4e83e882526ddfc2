"""The product's clock. Everything that asks "what time is it" for a rule asks here.

Tests move the clock with the `clock` fixture (tests/conftest.py) instead of
waiting: a browser test can jump a month ahead while the live server runs.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator

from django.utils import timezone

_offset = datetime.timedelta(0)


def now() -> datetime.datetime:
    return timezone.now() + _offset


def today() -> datetime.date:
    return timezone.localtime(now()).date()


def travel(delta: datetime.timedelta) -> None:
    """Move the clock forward (or back) by `delta`; only tests and the demo data call this."""
    global _offset
    _offset += delta


@contextlib.contextmanager
def on(day: datetime.date) -> Iterator[None]:
    """Run the block with the clock showing `day` at the time it is now, then put it back: the demo data
    dates what it records (a proposal months ago, a measure drafted before its deadline) this way."""
    delta = day - today()
    travel(delta)
    try:
        yield
    finally:
        travel(-delta)


def reset() -> None:
    global _offset
    _offset = datetime.timedelta(0)
