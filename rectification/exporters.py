"""Rectification's downloads: plans and items of 一村一策, and the totals of the three ledgers (三本台账)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from exports import selectors
from exports.registry import WorkbookExporter, register
from exports.xlsx import CODE, DATE, INT, PERCENT, TEXT, Column, WorkbookWriter
from lianchun import clock, rates
from villages.models import Township

from . import selectors as rectification_selectors
from .models import RectificationItem, RectificationPlan


def rectification_sheets(writer: WorkbookWriter, user: Any) -> None:
    place, unit, today = selectors.scope_title(user), selectors.unit_name(user), clock.today()
    plans = (
        RectificationPlan.objects.visible_to(user)
        .filter(voided_at__isnull=True)
        .select_related("village__township", "county_leader")
        .order_by("village__township__code", "village__code")
    )
    columns = [
        Column(_("Township"), TEXT, 12),
        Column(_("Village code"), CODE, 15),
        Column(_("Village"), TEXT, 12),
        Column(_("Stage"), TEXT, 14),
        Column(_("County leader (contact)"), TEXT, 12),
        Column(_("Key-contact class"), TEXT, 18),
        Column(_("Work team"), TEXT, 16),
        Column(_("First secretary"), TEXT, 10),
        Column(_("Review rounds"), INT, 8),
        Column(_("Approved on"), DATE, 12),
        Column(_("Closed out on"), DATE, 12),
        Column(_("Times reopened"), INT, 8),
    ]
    writer.add_sheet(
        name=_("Rectification plans"),
        title=_("%(place)s: rectification of weak and lax village party organisations") % {"place": place},
        unit=unit,
        as_of=today,
        columns=columns,
        rows=(
            [
                p.village.township.name,
                p.village.code,
                p.village.name,
                p.get_status_display(),
                str(p.county_leader) if p.county_leader_id else "",
                p.get_contact_class_display(),
                p.work_team,
                p.first_secretary,
                p.rounds,
                p.approved_on,
                p.closed_on,
                p.reopen_count,
            ]
            for p in plans
        ),
    )
    items = (
        RectificationItem.objects.visible_to(user)
        .filter(voided_at__isnull=True, plan__voided_at__isnull=True)
        .select_related("plan__village__township")
        .order_by("plan__village__township__code", "plan__village__code", "deadline", "pk")
    )
    item_columns = [
        Column(_("Township"), TEXT, 12),
        Column(_("Village"), TEXT, 12),
        Column(_("Stage"), TEXT, 12),
        Column(_("Class"), TEXT, 10),
        Column(_("Problem found"), TEXT, 36),
        Column(_("Measure"), TEXT, 36),
        Column(_("Responsible person"), TEXT, 10),
        Column(_("Deadline"), DATE, 12),
        Column(_("Completed on"), DATE, 12),
        Column(_("Days overdue"), INT, 8),
    ]

    def item_rows():
        for i in items:
            overdue = (today - i.deadline).days if i.completed_on is None and today > i.deadline else 0
            yield [
                i.plan.village.township.name,
                i.plan.village.name,
                i.plan.get_status_display(),
                i.get_governance_display(),
                i.problem,
                i.measure,
                i.responsible,
                i.deadline,
                i.completed_on,
                overdue,
            ]

    writer.add_sheet(
        name=_("Rectification items"),
        title=_("%(place)s: rectification items") % {"place": place},
        unit=unit,
        as_of=today,
        columns=item_columns,
        rows=item_rows(),
    )


def ledger_sheet(writer: WorkbookWriter, user: Any) -> None:
    place, unit, today = selectors.scope_title(user), selectors.unit_name(user), clock.today()
    kinds = rectification_selectors.kinds_for(user)
    townships = {t.pk: t.name for t in Township.objects.visible_to(user).order_by("code")}
    entries = rectification_selectors.live_entries(user)
    matrix = rectification_selectors.ledger_matrix(entries, "village__township_id", townships, kinds)
    columns = [Column(_("Township"), TEXT, 12)]
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

    writer.add_sheet(
        name=_("Three ledgers"),
        title=_("%(place)s: the three ledgers, matters collected and solved") % {"place": place},
        unit=unit,
        as_of=today,
        columns=columns,
        rows=rows(),
    )


@register
class RectificationExporter(WorkbookExporter):
    identifier = "rectification"
    verbose_name = gettext_lazy("Rectification plans and items")
    order = 50

    def sheets(self, writer: WorkbookWriter, user: Any, form_data: dict[str, Any]) -> None:
        rectification_sheets(writer, user)


@register
class LedgersExporter(WorkbookExporter):
    identifier = "ledgers"
    verbose_name = gettext_lazy("Three ledgers totals")
    order = 60

    def sheets(self, writer: WorkbookWriter, user: Any, form_data: dict[str, Any]) -> None:
        ledger_sheet(writer, user)
