"""Meetings' downloads: the issues raised at meetings that are still open."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from exports import selectors
from exports.registry import WorkbookExporter, register
from exports.xlsx import DATE, INT, TEXT, Column, WorkbookWriter
from lianchun import clock

from . import selectors as meeting_selectors


def meeting_issues_sheet(writer: WorkbookWriter, user: Any) -> None:
    place, unit, today = selectors.scope_title(user), selectors.unit_name(user), clock.today()
    issues = meeting_selectors.issues_for(user).open().order_by("due_date", "pk")
    columns = [
        Column(_("Meeting date"), DATE, 12),
        Column(pgettext("meeting kind", "Meeting"), TEXT, 12),
        Column(_("Topic"), TEXT, 24),
        Column(_("Township"), TEXT, 12),
        Column(_("Village"), TEXT, 12),
        Column(_("Raised by"), TEXT, 10),
        Column(_("Issue"), TEXT, 40),
        Column(_("Owner"), TEXT, 10),
        Column(_("Due by"), DATE, 12),
        Column(_("Days overdue"), INT, 8),
    ]
    writer.add_sheet(
        name=_("Open meeting issues"),
        title=_("%(place)s: issues raised at meetings and still open") % {"place": place},
        unit=unit,
        as_of=today,
        columns=columns,
        rows=(
            [
                i.meeting.date,
                i.meeting.get_kind_display(),
                i.meeting.topic,
                i.township.name if i.township_id else "",
                i.village.name if i.village_id else "",
                i.raised_by,
                i.description,
                i.owner,
                i.due_date,
                max(0, (today - i.due_date).days),
            ]
            for i in issues
        ),
    )


@register
class OpenMeetingIssuesExporter(WorkbookExporter):
    identifier = "meeting-issues"
    verbose_name = gettext_lazy("Open meeting issues")
    order = 70

    def sheets(self, writer: WorkbookWriter, user: Any, form_data: dict[str, Any]) -> None:
        meeting_issues_sheet(writer, user)
