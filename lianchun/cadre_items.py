"""A 工作台 item for a township cadre that counts records waiting for them (answers unread, issues nearing
their month): none for other roles or when nothing waits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .workbench import WorkItem

# The most records an item reads: its count stops there, as a badge would.
READ_AT_MOST = 20


def waiting_item(
    user: Any,
    waiting: Callable[[Any], Any],
    describe: Callable[[Sequence[Any]], str],
    **item: Any,
) -> list[WorkItem]:
    """One item counting `waiting(user)` (a queryset, read up to READ_AT_MOST), its detail `describe(records)`,
    the rest of the item (title, url, level, group, icon) as given."""
    if not getattr(user, "is_township_cadre", False):
        return []
    records = list(waiting(user)[:READ_AT_MOST])
    if not records:
        return []
    return [WorkItem(count=len(records), detail=describe(records), **item)]
