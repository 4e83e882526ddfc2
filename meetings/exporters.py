"""Meetings' downloads: the issues raised at meetings that are still open."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy, pgettext_lazy

from exports.registry import register
from exports.sheets import DAYS_OVERDUE, TOWNSHIP, VILLAGE, Sheet, SheetsExporter
from exports.xlsx import DATE, TEXT, Column

from . import selectors as meeting_selectors


def _open_issues(user: Any):
    return meeting_selectors.issues_for(user).open().order_by("deadline", "pk")


OPEN_ISSUES = Sheet(
    name=gettext_lazy("Open meeting issues"),
    title=gettext_lazy("%(place)s: issues raised at meetings and still open"),
    records=_open_issues,
    columns=[
        Column(gettext_lazy("Meeting date"), DATE, 12, "meeting.date"),
        Column(pgettext_lazy("meeting kind", "Meeting"), TEXT, 12, "meeting.get_kind_display"),
        Column(gettext_lazy("Topic"), TEXT, 24, "meeting.topic"),
        TOWNSHIP.of(lambda issue: issue.township.name if issue.township_id else ""),
        VILLAGE.of(lambda issue: issue.village.name if issue.village_id else ""),
        Column(gettext_lazy("Raised by"), TEXT, 10, "raised_by"),
        Column(gettext_lazy("Issue"), TEXT, 40, "description"),
        Column(gettext_lazy("Owner"), TEXT, 10, "owner"),
        Column(gettext_lazy("Due by"), DATE, 12, "deadline"),
        DAYS_OVERDUE.of("days_overdue"),
    ],
)

register(SheetsExporter("meeting-issues", gettext_lazy("Open meeting issues"), [OPEN_ISSUES], order=70))
