"""Figures the first screens need that no app had a selector for yet (each starts from visible_to(user))."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from lianchun import clock
from meetings.selectors import issues_for
from rectification.models import RectificationPlan

# An issue raised at a meeting is due one month on (seed 003); the 待办 warns this many days before.
NEARING_DAYS = 7


def contact_villages(user: Any) -> QuerySet[RectificationPlan]:
    """The villages a county leader is the contact for (联系领导), through their rectification plans."""
    return (
        RectificationPlan.objects.visible_to(user)
        .filter(county_leader=user, voided_at__isnull=True)
        .select_related("village__township")
        .order_by("village__township__code", "village__code")
    )


def issues_nearing_deadline(user: Any, today: datetime.date | None = None) -> QuerySet:
    """Open issues whose month runs out within NEARING_DAYS days (not yet overdue)."""
    today = today or clock.today()
    return (
        issues_for(user)
        .open()
        .filter(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=NEARING_DAYS))
        .order_by("deadline", "pk")
    )
