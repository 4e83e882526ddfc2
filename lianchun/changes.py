"""The update step every edit service shares: take over the fields that changed, and save only those.

A service checks who may act and what is allowed, then asks `assign_changes` which of the editable
fields differ and sets them on the record; it may check the record as changed before it saves with
`save_audited(..., update_fields=changed)`, so the history row holds exactly the fields that moved.
`save_changes` is the whole step when nothing is checked between the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction

from .audit import save_audited


def assign_changes(record: models.Model, values: Mapping[str, Any], fields: Iterable[str] | None = None) -> list[str]:
    """Set on `record` each value of `values` that differs from what it holds; the names set.

    Only the names in `fields` are taken when it is given (the fields a form may edit).
    """
    editable = None if fields is None else set(fields)
    changed = [
        name
        for name, value in values.items()
        if (editable is None or name in editable) and getattr(record, name) != value
    ]
    for name in changed:
        setattr(record, name, values[name])
    return changed


def save_changes(
    record: models.Model, values: Mapping[str, Any], fields: Iterable[str], *, by: Any, reason: str = ""
) -> list[str]:
    """Take over the changed `fields` from `values` and save them in one audited write; the names changed."""
    changed = assign_changes(record, values, fields)
    if changed:
        with transaction.atomic():
            save_audited(record, by=by, reason=reason, update_fields=changed)
    return changed
