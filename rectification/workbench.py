"""What waits for each role in rectification, for the 工作台."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from lianchun.workbench import INFO, NORMAL, URGENT, WorkItem

from . import selectors
from .models import PlanStatus, RectificationPlan


def _counts(user: Any) -> dict[str, int]:
    rows = (
        RectificationPlan.objects.visible_to(user)
        .filter(voided_at__isnull=True)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


def _list_url(status: str) -> str:
    return f"{reverse('rectification:plan-list')}?status={status}"


def rectification_work(user: Any) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False) or not (user.is_township_cadre or user.is_county_role):
        return []
    group = _("Rectification")
    counts = _counts(user)
    items: list[WorkItem] = []
    overdue = selectors.overdue_items(user)
    if user.is_county_leader:
        overdue = overdue.filter(Q(plan__county_leader=user))
    overdue_count = overdue.count()
    overview = reverse("rectification:overview")
    if user.is_township_cadre:
        if counts.get(PlanStatus.RETURNED):
            items.append(
                WorkItem(
                    _("Plans returned for revision"),
                    _list_url(PlanStatus.RETURNED),
                    counts[PlanStatus.RETURNED],
                    _("Revise them and propose them again."),
                    URGENT,
                    group,
                    "bi-arrow-return-left",
                )
            )
        if counts.get(PlanStatus.DRAFT):
            items.append(
                WorkItem(
                    _("Draft plans not yet proposed"),
                    _list_url(PlanStatus.DRAFT),
                    counts[PlanStatus.DRAFT],
                    "",
                    NORMAL,
                    group,
                    "bi-pencil-square",
                )
            )
        if overdue_count:
            items.append(
                WorkItem(
                    _("Measures past their deadline"),
                    overview,
                    overdue_count,
                    _("Record progress or complete them."),
                    URGENT,
                    group,
                    "bi-alarm",
                )
            )
    elif user.is_org_department:
        if counts.get(PlanStatus.PROPOSED):
            items.append(
                WorkItem(
                    _("Plans waiting for your advice"),
                    _list_url(PlanStatus.PROPOSED),
                    counts[PlanStatus.PROPOSED],
                    "",
                    URGENT,
                    group,
                    "bi-chat-square-text",
                )
            )
        if counts.get(PlanStatus.ADVISED):
            items.append(
                WorkItem(
                    _("Plans waiting for the three checks"),
                    _list_url(PlanStatus.ADVISED),
                    counts[PlanStatus.ADVISED],
                    _("Approve, or return with what failed."),
                    URGENT,
                    group,
                    "bi-ui-checks",
                )
            )
        if counts.get(PlanStatus.CONSOLIDATING):
            items.append(
                WorkItem(
                    _("Plans consolidating, to be closed out"),
                    _list_url(PlanStatus.CONSOLIDATING),
                    counts[PlanStatus.CONSOLIDATING],
                    "",
                    NORMAL,
                    group,
                    "bi-check2-square",
                )
            )
        if overdue_count:
            items.append(
                WorkItem(_("Measures past their deadline"), overview, overdue_count, "", NORMAL, group, "bi-alarm")
            )
    else:
        under_way = counts.get(PlanStatus.RECTIFYING, 0) + counts.get(PlanStatus.CONSOLIDATING, 0)
        if overdue_count:
            detail = _("In the villages you are the contact for.") if user.is_county_leader else ""
            items.append(
                WorkItem(_("Measures past their deadline"), overview, overdue_count, detail, NORMAL, group, "bi-alarm")
            )
        if under_way:
            items.append(
                WorkItem(_("Villages under rectification"), overview, under_way, "", INFO, group, "bi-clipboard-data")
            )
    return items
