"""工作台 items of meetings: overdue issues, outcomes waiting to be published, a 调度会 falling due."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lianchun.workbench import INFO, NORMAL, URGENT, WorkItem

from . import selectors


def meeting_items(user: Any) -> list[WorkItem]:
    if not (getattr(user, "is_authenticated", False) and (user.is_township_cadre or user.is_county_office)):
        return []
    items: list[WorkItem] = []
    issue_url = reverse("meetings:issue-list")
    counts = selectors.issue_counts(user)
    overdue = counts["overdue"]
    if overdue:
        items.append(
            WorkItem(
                title=_("Raised issues past their month"),
                url=issue_url,
                count=overdue,
                detail=_("Issues raised at meetings with no outcome one month on."),
                level=URGENT if user.is_township_cadre else INFO,
                group="meetings",
                icon="bi-exclamation-triangle",
            )
        )
    unpublished = counts["unpublished"]
    if unpublished and user.is_township_cadre:
        items.append(
            WorkItem(
                title=_("Outcomes not yet published"),
                url=f"{issue_url}#unpublished",
                count=unpublished,
                detail=_("Every outcome goes up on the public notice board."),
                level=NORMAL,
                group="meetings",
                icon="bi-megaphone",
            )
        )
    if user.is_county_office:
        rhythm = selectors.dispatch_rhythm(user)
        if rhythm.is_due and rhythm.next is None:
            detail = (
                _("The last dispatch meeting was %(days)s days ago.") % {"days": rhythm.days_since}
                if rhythm.days_since is not None
                else _("No dispatch meeting has been held yet.")
            )
            items.append(
                WorkItem(
                    title=_("Dispatch meeting due"),
                    url=f"{reverse('meetings:meeting-create')}?kind=dispatch",
                    count=1,
                    detail=detail,
                    level=URGENT,
                    group="meetings",
                    icon="bi-calendar-event",
                )
            )
    return items
