"""The county at a glance — the first screen of the county leader, office and organisation department.

Clusters and coverage, this week's reporting by township, open and overdue meeting issues,
rectification by stage, the 台账 solved rate: each figure comes from its app's selector and links
to its page. The leader also sees the villages he is the contact for.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.selectors import coverage
from lianchun import clock
from lianchun.workbench import Panel
from meetings.selectors import issue_counts
from rectification import selectors as rectification
from reports.selectors import completeness_for
from reports.weeks import last_closed_week, reporting_week

from . import charts, rates, selectors


def reporting_figures(user: Any) -> dict[str, Any]:
    week = reporting_week()
    closed = last_closed_week(clock.now())
    # The reporting week and the last closed one from one count (they are neighbours, or the same week).
    first, last_week = sorted([week, closed], key=lambda w: w.key)
    data = completeness_for(user, first, last_week)
    rows = []
    for township in data.townships:
        tally = data.grid.cell(township.pk, week)
        if not tally.expected:
            continue
        rows.append(
            (
                township.name,
                [(tally.on_time, "bar-on-time"), (tally.late, "bar-late"), (tally.outstanding, "bar-missing")],
                f"{tally.arrived}/{tally.expected}",
            )
        )
    total = data.grid.by_week[week]
    last = data.grid.by_week[closed]
    return {
        "closed_week": closed,
        "closed": last,
        "closed_rate": rates.format_rate(last.arrived, last.expected),
        "closed_on_time_rate": rates.format_rate(last.on_time, last.expected),
        "week": week,
        "deadline": timezone.localtime(week.deadline),
        "deadline_passed": clock.now() > week.deadline,
        "total": total,
        "rate": rates.format_rate(total.arrived, total.expected),
        "on_time_rate": rates.format_rate(total.on_time, total.expected),
        "missing_townships": sum(1 for t in data.townships if data.grid.cell(t.pk, week).outstanding),
        "chart": charts.stacked_bars(rows),
        "url": f"{reverse('notifications:reporting')}?week={week.key}",
    }


def coverage_figures(user: Any) -> dict[str, Any]:
    data = coverage(user)
    rows = [
        (
            row.township.name,
            [(row.covered, "bar-covered"), (max(row.villages - row.covered, 0), "bar-rest")],
            rates.format_rate(row.covered, row.villages),
        )
        for row in data.rows
        if row.villages
    ]
    return {
        "established": data.totals.established,
        "covered": data.totals.covered,
        "villages": data.totals.villages,
        "share": rates.format_rate(data.totals.covered, data.totals.villages),
        "in_progress": sum(row[2] for row in data.by_status if row[0] in {"proposed", "consulting", "submitted"}),
        "chart": charts.stacked_bars(rows),
        "url": reverse("clusters:coverage"),
    }


def issue_figures(user: Any) -> dict[str, Any]:
    counts = issue_counts(user)
    open_count, overdue = counts["open"], counts["overdue"]
    return {
        "open": open_count,
        "overdue": overdue,
        "chart": charts.stacked_bars(
            [(_("Open"), [(open_count - overdue, "bar-on-time"), (overdue, "bar-missing")], f"{open_count}")]
        ),
        "url": reverse("meetings:issue-list"),
    }


def rectification_figures(user: Any) -> dict[str, Any]:
    matrix = rectification.stage_matrix(user)
    rows = [(_("Before approval"), [(matrix["before_approval"], "bar-late")], str(matrix["before_approval"]))]
    rows += [(stage["label"], [(stage["total"], "bar-covered")], str(stage["total"])) for stage in matrix["stages"]]
    ledger = rectification.ledger_total(user, _("All ledgers"))
    return {
        "matrix": matrix,
        "chart": charts.stacked_bars(rows),
        "url": reverse("rectification:overview"),
        "ledger": ledger,
        "ledger_rate": rates.format_rate(ledger.solved, ledger.collected),
        "ledger_chart": charts.share_bar(ledger.solved, ledger.collected, f"{ledger.solved}/{ledger.collected}"),
        "ledger_url": reverse("rectification:ledger-overview"),
    }


def county_panels(user: Any) -> list[Panel]:
    if not getattr(user, "is_county_role", False):
        return []
    context = {
        "coverage": coverage_figures(user),
        "reporting": reporting_figures(user),
        "issues": issue_figures(user),
        "rectification": rectification_figures(user),
        "contact_plans": list(selectors.contact_villages(user)) if user.is_county_leader else None,
        "is_office": user.is_county_office,
    }
    return [Panel(template="overview/county_glance.html", context=context, order=10)]


def region_panels(user: Any) -> list[Panel]:
    """The city (or province) at a glance: its counties side by side, each opening its county pages.

    Coverage and this month's reporting per county, grouped in SQL (a query per figure, whatever the
    number of counties); the first page of counties, with the comparison pages for the rest.
    """
    if not getattr(user, "is_region_role", False):
        return []
    from villages import regions

    coverage_page = regions.compare_counties(user, "coverage")
    reporting = regions.compare_counties(user, "completeness", page=coverage_page.page)
    reporting_by_county = {row.county.pk: row.figures for row in reporting.rows}
    rows = [
        {"county": row.county, "coverage": row.figures, "reporting": reporting_by_county.get(row.county.pk, {})}
        for row in coverage_page.rows
    ]
    context = {
        "rows": rows,
        "coverage": coverage_page.totals,
        "reporting": reporting.totals,
        "weeks": reporting.weeks,
        "counties": coverage_page.page.paginator.count,
        "more": coverage_page.page.has_next(),
    }
    return [Panel(template="overview/region_glance.html", context=context, order=10)]
