"""Reads shared by the rectification pages: totals are counted here, from the records, never typed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from lianchun import rates
from villages.models import Village

from .models import (
    REVIEW_STATUSES,
    STAGE_STATUSES,
    UNDER_WAY_STATUSES,
    ContactClass,
    LedgerEntry,
    LedgerKind,
    LedgerTally,
    PlanStatus,
    RectificationItem,
    RectificationPlan,
)


@dataclass
class Totals:
    label: Any
    collected: int = 0
    solved: int = 0
    key: Any = None

    @property
    def in_progress(self) -> int:
        return self.collected - self.solved

    @property
    def solved_rate(self) -> str:
        """Share solved, rounded half up to one decimal as the workbook shows it ("87.2%"; "—" with nothing collected)."""
        return rates.describe(self.solved, self.collected)


def counted_entries() -> QuerySet:
    """The entries every ledger figure counts: neither the entry nor its village voided (the tallies too)."""
    return LedgerEntry.objects.filter(voided_at__isnull=True, village__voided_at__isnull=True)


def live_entries(user: Any) -> QuerySet:
    return counted_entries().visible_to(user)


def totals_by(entries: QuerySet, field: str, labels: dict[Any, Any]) -> list[Totals]:
    """Collected / solved per value of `field`, one query; every label listed, even with no entries."""
    rows = (
        entries.order_by()
        .values(field)
        .annotate(collected=Count("pk"), solved=Count("pk", filter=Q(status=LedgerEntry.Status.SOLVED)))
    )
    counted = {row[field]: row for row in rows}
    result = []
    for key, label in labels.items():
        row = counted.get(key, {})
        result.append(Totals(label=label, key=key, collected=row.get("collected", 0), solved=row.get("solved", 0)))
    return result


def grand_total(entries: QuerySet, label: Any) -> Totals:
    row = entries.order_by().aggregate(
        collected=Count("pk"), solved=Count("pk", filter=Q(status=LedgerEntry.Status.SOLVED))
    )
    return Totals(label=label, collected=row["collected"] or 0, solved=row["solved"] or 0)


def ledger_total(user: Any, label: Any) -> Totals:
    """Every live matter on the ledgers the user reads, from the kept tallies (a row per township and ledger)."""
    row = LedgerTally.objects.visible_to(user).aggregate(
        collected=Sum("collected", default=0), solved=Sum("solved", default=0)
    )
    return Totals(label=label, collected=row["collected"], solved=row["solved"])


def kind_totals(user: Any, kinds: list[LedgerKind]) -> list[Totals]:
    """Collected / solved per ledger of the county, from the kept tallies; every ledger listed, even when empty."""
    rows = (
        LedgerTally.objects.visible_to(user)
        .order_by()
        .values("kind_id")
        .annotate(collected=Sum("collected"), solved=Sum("solved"))
    )
    counted = {row["kind_id"]: row for row in rows}
    return [
        Totals(
            label=kind.name,
            key=kind.pk,
            collected=counted.get(kind.pk, {}).get("collected", 0),
            solved=counted.get(kind.pk, {}).get("solved", 0),
        )
        for kind in kinds
    ]


def kinds_for(user: Any, county_id: int | None = None) -> list[LedgerKind]:
    """The ledgers of one county: the user's own, the county a city or province role chose, or `county_id`'s."""
    return list(ledger_kinds(user, county_id))


def ledger_kinds(user: Any, county_id: int | None = None) -> QuerySet:
    county_id = county_id or user.county_id or getattr(user, "county_focus", None)
    kinds = LedgerKind.objects.visible_to(user)
    return (kinds.filter(county_id=county_id) if county_id else kinds.none()).distinct().order_by("order", "pk")


def column_totals(matrix: list[dict], kinds: list[LedgerKind]) -> list[Totals]:
    """Each ledger's totals as the sum of the matrix's column: no second pass over the entries."""
    totals = [Totals(label=kind.name, key=kind.pk) for kind in kinds]
    for row in matrix:
        for total, cell in zip(totals, row["cells"], strict=True):
            total.collected += cell.collected
            total.solved += cell.solved
    return totals


def sum_of(totals: list[Totals], label: Any) -> Totals:
    """The grand total of totals already counted (every entry lies in exactly one of them)."""
    return Totals(label=label, collected=sum(t.collected for t in totals), solved=sum(t.solved for t in totals))


def ledger_matrix(
    entries: QuerySet, rows_field: str, row_labels: dict[Any, Any], kinds: list[LedgerKind]
) -> list[dict]:
    """Rows (township or village) × ledger kinds, each cell collected/solved, from one query."""
    counted = (
        entries.order_by()
        .values(rows_field, "kind_id")
        .annotate(collected=Count("pk"), solved=Count("pk", filter=Q(status=LedgerEntry.Status.SOLVED)))
    )
    return _matrix({(row[rows_field], row["kind_id"]): row for row in counted}, row_labels, kinds)


def township_matrix(user: Any, row_labels: dict[Any, Any], kinds: list[LedgerKind]) -> list[dict]:
    """Townships × ledger kinds from the kept tallies (`rectification.tallies`): no count over years of entries."""
    counted = (
        LedgerTally.objects.visible_to(user)
        .filter(kind__in=kinds)
        .values("township_id", "kind_id", "collected", "solved")
    )
    return _matrix({(row["township_id"], row["kind_id"]): row for row in counted}, row_labels, kinds)


def _matrix(cells: dict[tuple[Any, Any], dict], row_labels: dict[Any, Any], kinds: list[LedgerKind]) -> list[dict]:
    matrix = []
    for key, label in row_labels.items():
        row_cells = []
        total = Totals(label=label, key=key)
        for kind in kinds:
            found = cells.get((key, kind.pk), {})
            cell = Totals(
                label=kind.name, key=kind.pk, collected=found.get("collected", 0), solved=found.get("solved", 0)
            )
            total.collected += cell.collected
            total.solved += cell.solved
            row_cells.append(cell)
        matrix.append({"key": key, "label": label, "cells": row_cells, "total": total})
    return matrix


def bar_chart(
    totals: list[Totals], *, width: int = 560, bar_height: int = 22, gap: int = 12, label_width: int = 110
) -> dict:
    """Geometry of a horizontal stacked bar chart (solved, in progress) for a server-rendered SVG."""
    largest = max([t.collected for t in totals] or [0]) or 1
    plot = width - label_width - 70
    bars = []
    for index, total in enumerate(totals):
        y = index * (bar_height + gap) + 8
        solved_w = round(plot * total.solved / largest)
        open_w = round(plot * total.in_progress / largest)
        bars.append(
            {
                "label": total.label,
                "y": y,
                "text_y": y + bar_height * 0.7,
                "solved_w": solved_w,
                "open_x": label_width + solved_w,
                "open_w": open_w,
                "value_x": label_width + solved_w + open_w + 6,
                "totals": total,
            }
        )
    return {
        "width": width,
        "height": len(totals) * (bar_height + gap) + 16,
        "bar_height": bar_height,
        "label_width": label_width,
        "bars": bars,
    }


def plan_rows(user: Any) -> QuerySet:
    """The plan list's rows: each live plan with its measures counted, and those overdue while the plan is under way."""
    return (
        RectificationPlan.objects.visible_to(user)
        .filter(voided_at__isnull=True)
        .select_related("village__township", "county_leader")
        .annotate(
            item_count=Count("items", filter=Q(items__voided_at__isnull=True)),
            overdue_count=Count(
                "items",
                filter=Q(items__voided_at__isnull=True, status__in=UNDER_WAY_STATUSES)
                & RectificationItem.overdue_condition(through="items__"),
            ),
        )
        .order_by("village__township__code", "village__code")
    )


def overdue_items(user: Any, today: datetime.date | None = None) -> QuerySet:
    """Measures past their deadline and not done, in plans under way: derived from the dates."""
    return (
        RectificationItem.objects.visible_to(user)
        .filter(
            RectificationItem.overdue_condition(today),
            voided_at__isnull=True,
            plan__status__in=UNDER_WAY_STATUSES,
            plan__voided_at__isnull=True,
        )
        .select_related("plan__village__township", "plan__county_leader")
        .order_by("deadline", "pk")
    )


def _live_plans(user: Any):
    return RectificationPlan.objects.visible_to(user).filter(voided_at__isnull=True)


def plans_awaiting_review(user: Any) -> QuerySet:
    """Live plans with the county (proposed, advised) or back with the township (returned): the overview's list."""
    return (
        _live_plans(user)
        .filter(status__in=[*REVIEW_STATUSES, PlanStatus.RETURNED])
        .select_related("village__township", "county_leader")
        .order_by("status", "village__code")
    )


def closed_plans(user: Any) -> QuerySet:
    """Plans closed out (销号), the latest first."""
    return (
        _live_plans(user)
        .filter(status=PlanStatus.CLOSED)
        .select_related("village__township")
        .order_by("-closed_on", "village__code")
    )


def villages_without_plan(user: Any) -> QuerySet:
    """The weak villages that may be given a plan: a village has one live plan at a time."""
    return (
        Village.objects.visible_to(user)
        .filter(voided_at__isnull=True, is_weak=True)
        .exclude(pk__in=RectificationPlan.objects.filter(voided_at__isnull=True).values("village_id"))
        .order_by("code")
    )


def counted_by_status(user: Any) -> list[tuple[str, int]]:
    """(status, live plans) for each status that has any."""
    return list(_live_plans(user).order_by().values_list("status").annotate(n=Count("pk")))


def status_counts(user: Any) -> dict[str, int]:
    """Plans per status (every status, zero included): the county summary's line and the stage totals."""
    counted = dict(counted_by_status(user))
    return {status: counted.get(status, 0) for status in PlanStatus.values}


def stage_matrix(user: Any) -> dict:
    """Villages under rectification by stage and key-contact class."""
    rows = _live_plans(user).order_by().values("status", "contact_class").annotate(n=Count("pk"))
    counted = {(row["status"], row["contact_class"]): row["n"] for row in rows}
    classes = list(ContactClass)
    stages = []
    for status in STAGE_STATUSES:
        cells = [counted.get((status, cls.value), 0) for cls in classes]
        stages.append({"status": status, "label": PlanStatus(status).label, "cells": cells, "total": sum(cells)})
    in_review = sum(n for (status, _cls), n in counted.items() if status not in STAGE_STATUSES)
    class_totals = [sum(stage["cells"][i] for stage in stages) for i in range(len(classes))]
    return {
        "classes": [cls.label for cls in classes],
        "stages": stages,
        "class_totals": class_totals,
        "total": sum(class_totals),
        "before_approval": in_review,
    }
