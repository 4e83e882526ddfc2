"""工作台 item: the county's answers the township has not yet read (已阅)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lianchun.cadre_items import waiting_item
from lianchun.workbench import URGENT, WorkItem

from . import selectors


def unread_answers(user: Any) -> list[WorkItem]:
    return waiting_item(
        user,
        selectors.unread_answers,
        lambda unread: "；".join(
            f"{s.report.cluster.name} {s.report.week.short_label}：{s.response[:30]}" for s in unread[:3]
        ),
        title=_("Unread answers from the county"),
        url=reverse("notifications:answers"),
        level=URGENT,
        group=_("Weekly reports"),
        icon="bi-chat-left-text",
    )
