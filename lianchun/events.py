"""The events a life cycle leaves behind (see `lianchun.workflow`)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import OfficialModel, actor_field


def change_label(before: Any, after: Any, *, of: Any = None) -> str:
    """How a change of state reads: "一般 → 后进", "—" where there was none before, after what changed if named."""
    label = f"{before or '—'} → {after}"
    return label if of is None else f"{of}: {label}"


class TransitionEvent(OfficialModel):
    """One step of a record's life cycle (`lianchun.workflow`): who moved it, when, from which state to which.

    A model links its record (`scope_through`, related_name "events") and declares `from_status` and
    `to_status` with the record's status choices, and the note or opinion given with the step.
    """

    by = actor_field(_("by"))
    at = models.DateTimeField(_("at"))

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return change_label(self.get_from_status_display(), self.get_to_status_display())
