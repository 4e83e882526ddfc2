"""The township cadre's complete 待办: this week's reports with the hours left, weeks missed (缺报), and
issues nearing day 30 — beside what the apps already put on the 工作台 (returned items, measures past
their deadline) and the county's unread answers (notifications)."""

from __future__ import annotations

import math
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianchun import clock
from lianchun.cadre_items import waiting_item
from lianchun.workbench import NORMAL, URGENT, Panel, WorkItem
from reports import completeness
from reports.selectors import OWED_WEEKS, recent_weeks, weeks_owed
from reports.weeks import reporting_week

from . import selectors

STATUS_LABELS = {
    completeness.ON_TIME: gettext_lazy("Submitted on time"),
    completeness.LATE: gettext_lazy("Submitted late"),
    completeness.DRAFT: gettext_lazy("Draft not submitted"),
    completeness.MISSING: gettext_lazy("Missing"),
    completeness.NOT_DUE: gettext_lazy("Not started"),
}


def hours_left(now=None) -> tuple[Any, int]:
    week = reporting_week(now)
    seconds = (week.deadline - (now or clock.now())).total_seconds()
    return week, max(0, math.ceil(seconds / 3600))


def cadre_panels(user: Any) -> list[Panel]:
    if not getattr(user, "is_township_cadre", False):
        return []
    week, hours = hours_left()
    rows = [row for row in recent_weeks(user, week) if row.week == week]
    waiting = [row for row in rows if row.status in {completeness.NOT_DUE, completeness.DRAFT, completeness.MISSING}]
    return [
        Panel(
            template="overview/cadre_week.html",
            context={
                "week": week,
                "hours": hours,
                "deadline": timezone.localtime(week.deadline),
                "rows": [
                    {
                        "row": row,
                        "label": STATUS_LABELS.get(row.status, ""),
                        "missing": row.status == completeness.MISSING,
                    }
                    for row in rows
                ],
                "waiting": len(waiting),
                "url": f"{reverse('reports:report-list')}?week={week.key}",
            },
            order=10,
        )
    ]


def missed_weeks(user: Any) -> list[WorkItem]:
    """缺报: earlier weeks whose deadline passed with a cluster's report not submitted (the report list's own)."""
    if not getattr(user, "is_township_cadre", False):
        return []
    missed = weeks_owed(user)
    if not missed:
        return []
    oldest = missed[0].week
    return [
        WorkItem(
            title=_("Weeks missed in the last %(weeks)s weeks (缺报)") % {"weeks": OWED_WEEKS},
            url=f"{reverse('reports:report-list')}?week={oldest.key}#owed",
            count=len(missed),
            detail="、".join(f"{row.cluster.name} {row.week.short_label}" for row in missed[:6]),
            level=URGENT,
            group=_("Weekly reports"),
            icon="bi-calendar-x",
        )
    ]


def issues_nearing_deadline(user: Any) -> list[WorkItem]:
    def days_left(nearing) -> str:
        today = clock.today()
        return "；".join(
            _("%(issue)s: %(days)s days left")
            % {"issue": issue.description[:20], "days": (issue.deadline - today).days}
            for issue in nearing[:3]
        )

    def nearing(user: Any):
        # The item names an issue and its days left: those two columns, not the meeting, township and village.
        return selectors.issues_nearing_deadline(user).select_related(None).only("description", "deadline")

    return waiting_item(
        user,
        nearing,
        days_left,
        title=_("Raised issues nearing their month"),
        url=reverse("meetings:issue-list"),
        level=NORMAL,
        group="meetings",
        icon="bi-hourglass-split",
    )
