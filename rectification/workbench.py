"""What waits for each role in rectification, for the 工作台."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianchun import clock
from lianchun.compiled import ScopedRead
from lianchun.workbench import INFO, NORMAL, URGENT, WorkItem

from . import selectors
from .models import PlanStatus


def _overdue(user: Any, today: datetime.date) -> int:
    overdue = selectors.overdue_items(user, today)
    if user.is_county_leader:
        overdue = overdue.filter(Q(plan__county_leader=user))
    return overdue.count()


# On every 工作台 of a township cadre and a county role: compiled once per role (lianchun.compiled).
_COUNTS = ScopedRead(selectors.counted_by_status, "rows")
_OVERDUE = ScopedRead(_overdue, "count", takes_day=True)


def _list_url(status: str) -> str:
    return f"{reverse('rectification:plan-list')}?status={status}"


# What waits for a role, plan status by plan status: (status, title, hint, urgency, icon).
_TOWNSHIP_PLANS = [
    (
        PlanStatus.RETURNED,
        gettext_lazy("Plans returned for revision"),
        gettext_lazy("Revise them and propose them again."),
        URGENT,
        "bi-arrow-return-left",
    ),
    (PlanStatus.DRAFT, gettext_lazy("Draft plans not yet proposed"), "", NORMAL, "bi-pencil-square"),
]
_DEPARTMENT_PLANS = [
    (PlanStatus.PROPOSED, gettext_lazy("Plans waiting for your advice"), "", URGENT, "bi-chat-square-text"),
    (
        PlanStatus.ADVISED,
        gettext_lazy("Plans waiting for the three checks"),
        gettext_lazy("Approve, or return with what failed."),
        URGENT,
        "bi-ui-checks",
    ),
    (
        PlanStatus.CONSOLIDATING,
        gettext_lazy("Plans consolidating, to be closed out"),
        "",
        NORMAL,
        "bi-check2-square",
    ),
]


def rectification_work(user: Any) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False) or not (user.is_township_cadre or user.is_county_role):
        return []
    group = _("Rectification")
    counts = dict(_COUNTS(user))
    overdue_count = _OVERDUE(user, clock.today())
    overview = reverse("rectification:overview")

    def overdue_item(detail: str, urgency: str) -> list[WorkItem]:
        title = _("Measures past their deadline")
        return [WorkItem(title, overview, overdue_count, detail, urgency, group, "bi-alarm")] if overdue_count else []

    if user.is_township_cadre or user.is_org_department:
        table = _TOWNSHIP_PLANS if user.is_township_cadre else _DEPARTMENT_PLANS
        items = [
            WorkItem(str(title), _list_url(status), counts[status], str(hint), urgency, group, icon)
            for status, title, hint, urgency, icon in table
            if counts.get(status)
        ]
        if user.is_township_cadre:
            return items + overdue_item(_("Record progress or complete them."), URGENT)
        return items + overdue_item("", NORMAL)
    items = overdue_item(_("In the villages you are the contact for.") if user.is_county_leader else "", NORMAL)
    # Both stages of a plan under way: the label names them, since the 工作台's chart beside it shows 整顿中 alone.
    under_way = counts.get(PlanStatus.RECTIFYING, 0) + counts.get(PlanStatus.CONSOLIDATING, 0)
    if under_way:
        title = _("Villages rectifying or consolidating")
        items.append(WorkItem(title, overview, under_way, "", INFO, group, "bi-clipboard-data"))
    return items
