"""The events a life cycle leaves behind (see `lianchun.workflow`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import OfficialModel, actor_field


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
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"
