"""Workbench items: reports due or returned for township cadres, the inbox for the county office."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.compiled import ScopedRead
from lianchun.workbench import NORMAL, URGENT, WorkItem

from . import completeness, selectors
from .weeks import reporting_week


def township_reports_due(user: Any) -> list[WorkItem]:
    if not getattr(user, "is_township_cadre", False):
        return []
    items = []
    week = reporting_week()
    due = [
        row
        for row in selectors.recent_weeks(user, week)
        if row.week == week and row.status in {completeness.NOT_DUE, completeness.DRAFT, completeness.MISSING}
    ]
    if due:
        deadline = timezone.localtime(week.deadline)
        items.append(
            WorkItem(
                title=_("Weekly reports to file for %(week)s") % {"week": week.short_label},
                url=f"{reverse('reports:report-list')}?week={week.key}",
                count=len(due),
                detail=_("Due %(deadline)s: %(clusters)s")
                % {
                    "deadline": deadline.strftime("%Y-%m-%d %H:%M"),
                    "clusters": "、".join(row.cluster.name for row in due),
                },
                level=URGENT if clock.now() >= week.ends_at else NORMAL,
                group=_("Weekly reports"),
                icon="bi-journal-text",
            )
        )
    returned = list(selectors.returned_reports(user))
    if returned:
        items.append(
            WorkItem(
                title=_("Weekly reports returned for revision"),
                url=reverse("reports:report-list"),
                count=len(returned),
                detail="、".join(f"{report.cluster.name} {report.week.short_label}" for report in returned[:5]),
                level=URGENT,
                group=_("Weekly reports"),
                icon="bi-arrow-return-left",
            )
        )
    return items


# The county office's inbox figure, on each of its 工作台: compiled once (lianchun.compiled).
_AWAITING = ScopedRead(lambda user: selectors.awaiting_answer(user).count(), "count")


def county_inbox(user: Any) -> list[WorkItem]:
    if not getattr(user, "is_county_office", False):
        return []
    count = _AWAITING(user)
    if not count:
        return []
    return [
        WorkItem(
            title=_("Weekly reports waiting for an answer"),
            url=reverse("reports:inbox"),
            count=count,
            level=NORMAL,
            group=_("Weekly reports"),
            icon="bi-inbox",
        )
    ]
