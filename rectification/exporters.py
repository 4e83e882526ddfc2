"""Rectification's downloads: plans and items of 一村一策, and the totals of the three ledgers (三本台账)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from exports.registry import register
from exports.sheets import DAYS_OVERDUE, STAGE, TOWNSHIP, VILLAGE, VILLAGE_CODE, Sheet, SheetsExporter
from exports.xlsx import DATE, INT, PERCENT, TEXT, Column
from lianchun import rates
from villages.models import Township

from . import selectors as rectification_selectors
from .models import RectificationItem, RectificationPlan


def _plans(user: Any):
    return (
        RectificationPlan.objects.visible_to(user)
        .filter(voided_at__isnull=True)
        .select_related("village__township", "county_leader")
        .order_by("village__township__code", "village__code")
    )


def _items(user: Any):
    return (
        RectificationItem.objects.visible_to(user)
        .filter(voided_at__isnull=True, plan__voided_at__isnull=True)
        .select_related("plan__village__township")
        .order_by("plan__village__township__code", "plan__village__code", "deadline", "pk")
    )


PLANS = Sheet(
    name=gettext_lazy("Rectification plans"),
    title=gettext_lazy("%(place)s: rectification of weak and lax village party organisations"),
    records=_plans,
    columns=[
        TOWNSHIP.of("village.township.name"),
        VILLAGE_CODE.of("village.code"),
        VILLAGE.of("village.name"),
        STAGE.of("get_status_display"),
        Column(
            gettext_lazy("County leader (contact)"),
            TEXT,
            12,
            lambda plan: str(plan.county_leader) if plan.county_leader_id else "",
        ),
        Column(gettext_lazy("Key-contact class"), TEXT, 18, "get_contact_class_display"),
        Column(gettext_lazy("Work team"), TEXT, 16, "work_team"),
        Column(gettext_lazy("First secretary"), TEXT, 10, "first_secretary"),
        Column(gettext_lazy("Review rounds"), INT, 8, "rounds"),
        Column(gettext_lazy("Approved on"), DATE, 12, "approved_on"),
        Column(gettext_lazy("Closed out on"), DATE, 12, "closed_on"),
        Column(gettext_lazy("Times reopened"), INT, 8, "reopen_count"),
    ],
)
ITEMS = Sheet(
    name=gettext_lazy("Rectification items"),
    title=gettext_lazy("%(place)s: rectification items"),
    records=_items,
    columns=[
        TOWNSHIP.of("plan.village.township.name"),
        VILLAGE.of("plan.village.name"),
        STAGE.of("plan.get_status_display"),
        Column(gettext_lazy("Class"), TEXT, 10, "get_governance_display"),
        Column(gettext_lazy("Problem found"), TEXT, 36, "problem"),
        Column(gettext_lazy("Measure"), TEXT, 36, "measure"),
        Column(gettext_lazy("Responsible person"), TEXT, 10, "responsible"),
        Column(gettext_lazy("Deadline"), DATE, 12, "deadline"),
        Column(gettext_lazy("Completed on"), DATE, 12, "completed_on"),
        DAYS_OVERDUE.of("days_overdue"),
    ],
)


def _ledger_table(user: Any) -> tuple[list[Column], Any]:
    """Collected and solved per ledger kind and in all, a row per township and a total."""
    kinds = rectification_selectors.kinds_for(user)
    townships = {t.pk: t.name for t in Township.objects.visible_to(user).order_by("code")}
    matrix = rectification_selectors.township_matrix(user, townships, kinds)
    columns = [TOWNSHIP]
    for kind in kinds:
        columns += [
            Column(_("%(ledger)s: collected") % {"ledger": kind.name}, INT, 10),
            Column(_("%(ledger)s: solved") % {"ledger": kind.name}, INT, 10),
        ]
    columns += [
        Column(pgettext("ledger total", "Collected"), INT, 9),
        Column(pgettext("ledger total", "Solved"), INT, 9),
        Column(pgettext("ledger total", "In progress"), INT, 9),
        Column(_("Share solved"), PERCENT, 9),
    ]

    def rows():
        totals = [[0, 0] for _kind in kinds]
        for row in matrix:
            values = [row["label"]]
            for index, cell in enumerate(row["cells"]):
                values += [cell.collected, cell.solved]
                totals[index][0] += cell.collected
                totals[index][1] += cell.solved
            t = row["total"]
            yield values + [t.collected, t.solved, t.in_progress, rates.describe_fraction(t.solved, t.collected)]
        collected = sum(c for c, _s in totals)
        solved = sum(s for _c, s in totals)
        yield [
            _("Total"),
            *[n for pair in totals for n in pair],
            collected,
            solved,
            collected - solved,
            rates.describe_fraction(solved, collected),
        ]

    return columns, rows()


LEDGERS = Sheet(
    name=gettext_lazy("Three ledgers"),
    title=gettext_lazy("%(place)s: the three ledgers, matters collected and solved"),
    table=_ledger_table,
)


register(SheetsExporter("rectification", gettext_lazy("Rectification plans and items"), [PLANS, ITEMS], order=50))


register(SheetsExporter("ledgers", gettext_lazy("Three ledgers totals"), [LEDGERS], order=60))
