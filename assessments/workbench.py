"""工作台 items: periods waiting to be closed, findings to rectify or check, circulars received."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.compiled import ScopedRead
from lianchun.workbench import INFO, NORMAL, URGENT, WorkItem

from .models import AssessmentPeriod, Circular, CircularStatus, Finding, FindingStatus, PeriodStatus

# The counts of every 工作台 of a township cadre and the county office: compiled once per role (lianchun.compiled).
_OPEN_FINDINGS = ScopedRead(
    lambda user, today: (
        Finding.objects.visible_to(user)
        .filter(status=FindingStatus.OPEN)
        .aggregate(pending=Count("pk"), overdue=Count("pk", filter=Finding.overdue_condition(today)))
    ),
    "aggregate",
    takes_day=True,
)


def _counted(model: Any, day_lookup: str | None = None, **conditions: Any) -> ScopedRead:
    """How many of the user's `model` records meet `conditions`, and `day_lookup` against the day it is given."""
    if day_lookup is None:
        return ScopedRead(lambda user: model.objects.visible_to(user).filter(**conditions).count(), "count")
    return ScopedRead(
        lambda user, day: model.objects.visible_to(user).filter(**conditions, **{day_lookup: day}).count(),
        "count",
        takes_day=True,
    )


_CIRCULARS_SINCE = _counted(Circular, "issued_on__gte", status=CircularStatus.ISSUED)
_RECTIFIED_FINDINGS = _counted(Finding, status=FindingStatus.RECTIFIED)
_PERIODS_ENDED = _counted(AssessmentPeriod, "ends_on__lt", status=PeriodStatus.OPEN)
_DRAFT_CIRCULARS = _counted(Circular, status=CircularStatus.DRAFT)


def assessment_items(user: Any) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    today = clock.today()
    findings_url, circulars_url = reverse("assessments:finding-list"), reverse("assessments:circular-list")
    # (how many, title, link, level, icon, detail) of each kind of work; a kind with nothing to do is left out.
    work: list[tuple[int, str, str, int, str, str]] = []
    if user.is_township_cadre:
        counts = _OPEN_FINDINGS(user, today)
        pending, overdue = counts["pending"], counts["overdue"]
        late = _("%(overdue)s of them past their deadline.") % {"overdue": overdue} if overdue else ""
        work = [
            (
                pending,
                _("Inspection findings to rectify"),
                f"{findings_url}?status=open",
                URGENT if overdue else NORMAL,
                "bi-flag",
                late,
            ),
            (
                _CIRCULARS_SINCE(user, today - datetime.timedelta(days=30)),
                _("Circulars received this month"),
                circulars_url,
                INFO,
                "bi-file-earmark-text",
                "",
            ),
        ]
    elif user.is_county_office:
        rectified = _RECTIFIED_FINDINGS(user)
        ended = _PERIODS_ENDED(user, today)
        drafts = _DRAFT_CIRCULARS(user)
        schemes_url = reverse("assessments:scheme-list")
        work = [
            (rectified, _("Rectified findings to check"), f"{findings_url}?status=rectified", NORMAL, "bi-flag", ""),
            (ended, _("Assessment periods ended and not yet closed"), schemes_url, NORMAL, "bi-trophy", ""),
            (drafts, _("Circulars not yet issued"), circulars_url, INFO, "bi-file-earmark-text", ""),
        ]
    return [
        WorkItem(title=title, url=url, count=count, detail=detail, level=level, group="assessments", icon=icon)
        for count, title, url, level, icon, detail in work
        if count
    ]
