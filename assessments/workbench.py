"""工作台 items: periods waiting to be closed, findings to rectify or check, circulars received."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.workbench import INFO, NORMAL, URGENT, WorkItem

from .models import AssessmentPeriod, Circular, CircularStatus, Finding, FindingStatus, PeriodStatus


def assessment_items(user: Any) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[WorkItem] = []
    today = clock.today()
    findings = Finding.objects.visible_to(user)
    if user.is_township_cadre:
        open_findings = findings.filter(status=FindingStatus.OPEN)
        overdue = open_findings.filter(deadline__lt=today).count()
        pending = open_findings.count()
        if pending:
            items.append(
                WorkItem(
                    title=_("Inspection findings to rectify"),
                    url=reverse("assessments:finding-list") + "?status=open",
                    count=pending,
                    detail=_("%(overdue)s of them past their deadline.") % {"overdue": overdue} if overdue else "",
                    level=URGENT if overdue else NORMAL,
                    group="assessments",
                    icon="bi-flag",
                )
            )
        recent = (
            Circular.objects.visible_to(user)
            .filter(status=CircularStatus.ISSUED, issued_on__gte=today - datetime.timedelta(days=30))
            .count()
        )
        if recent:
            items.append(
                WorkItem(
                    title=_("Circulars received this month"),
                    url=reverse("assessments:circular-list"),
                    count=recent,
                    level=INFO,
                    group="assessments",
                    icon="bi-file-earmark-text",
                )
            )
    elif user.is_county_office:
        to_check = findings.filter(status=FindingStatus.RECTIFIED).count()
        if to_check:
            items.append(
                WorkItem(
                    title=_("Rectified findings to check"),
                    url=reverse("assessments:finding-list") + "?status=rectified",
                    count=to_check,
                    level=NORMAL,
                    group="assessments",
                    icon="bi-flag",
                )
            )
        ended = AssessmentPeriod.objects.visible_to(user).filter(status=PeriodStatus.OPEN, ends_on__lt=today).count()
        if ended:
            items.append(
                WorkItem(
                    title=_("Assessment periods ended and not yet closed"),
                    url=reverse("assessments:scheme-list"),
                    count=ended,
                    level=NORMAL,
                    group="assessments",
                    icon="bi-trophy",
                )
            )
        drafts = Circular.objects.visible_to(user).filter(status=CircularStatus.DRAFT).count()
        if drafts:
            items.append(
                WorkItem(
                    title=_("Circulars not yet issued"),
                    url=reverse("assessments:circular-list"),
                    count=drafts,
                    level=INFO,
                    group="assessments",
                    icon="bi-file-earmark-text",
                )
            )
    return items
