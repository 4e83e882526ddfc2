"""Reads of weekly reports, scoped to the user, in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from clusters.models import Cluster
from lianchun import clock
from lianchun.memo import once_per_page
from villages.models import Township

from . import completeness
from .models import AWAITING_ANSWER_STATES, State, WeeklyReport
from .weeks import Week, current_week, reporting_week, weeks_back, weeks_between

# The completeness page, its workbook and the county summary cover the last twelve completed weeks by default:
# the current week is still running, so counting it as due would show every township behind.
DEFAULT_WEEKS = 12


def default_weeks() -> tuple[Week, Week]:
    """The default range of weeks for completeness figures: the last DEFAULT_WEEKS completed weeks."""
    last = current_week().previous()
    return Week.of(last.monday - datetime.timedelta(weeks=DEFAULT_WEEKS - 1)), last


def expected_clusters(user: Any, first: Week, last: Week | None = None) -> QuerySet:
    """Visible clusters that owe a report for at least one week from `first` to `last`."""
    last = last or first
    return (
        Cluster.objects.visible_to(user)
        .filter(completeness.owing(first, last))
        .select_related("township")
        .order_by("township__code", "name")
    )


def reports_between(user: Any, first: Week, last: Week) -> QuerySet:
    """Visible reports of the weeks `first` to `last` (ISO year and week compared together)."""
    after_first = Q(iso_year__gt=first.year) | Q(iso_year=first.year, iso_week__gte=first.number)
    before_last = Q(iso_year__lt=last.year) | Q(iso_year=last.year, iso_week__lte=last.number)
    return WeeklyReport.objects.visible_to(user).filter(after_first & before_last)


@dataclass
class WeekRow:
    cluster: Cluster
    report: WeeklyReport | None
    status: str


def week_rows(user: Any, week: Week) -> list[WeekRow]:
    """Each cluster that owes `week`'s report, with its report if started (two queries)."""
    clusters = list(expected_clusters(user, week))
    reports = {report.cluster_id: report for report in reports_between(user, week, week).select_related("updated_by")}
    now = clock.now()
    rows = []
    for cluster in clusters:
        report = reports.get(cluster.pk)
        fact = completeness.ReportFact(cluster.pk, week, report.first_submitted_at) if report else None
        status = completeness.report_status(completeness.span_of(cluster), week, fact, now)
        rows.append(WeekRow(cluster=cluster, report=report, status=status))
    return rows


# How far back the township's reports still owed (缺报 and drafts never submitted) are listed: the same twelve
# completed weeks the completeness page shows by default, so the 工作台's 缺报 count, the report list's earlier
# weeks and the completeness grid name the same reports. Both pages say the span beside the figure.
OWED_WEEKS = DEFAULT_WEEKS
OWED_STATUSES = frozenset({completeness.MISSING, completeness.DRAFT})


@dataclass
class WeekStatus:
    cluster: Cluster
    week: Week
    status: str


@once_per_page
def recent_weeks(user: Any, week: Week) -> list[WeekStatus]:
    """`week` and the OWED_WEEKS before it: each report owed, with its status (three queries, once per page).

    The same statuses as `week_rows` and the completeness grid give; the 工作台's items and panels (this week's
    reports, weeks missed) and the report list's earlier weeks all read them from here."""
    data = completeness_for(user, weeks_back(week, OWED_WEEKS + 1), week)
    return [WeekStatus(data.clusters[span.id], owed, status) for span, owed, status in data.grid.statuses]


def weeks_owed(user: Any) -> list[WeekStatus]:
    """缺报: the OWED_WEEKS weeks before the reporting week whose report was never submitted (missing or left a
    draft), oldest first. Their deadlines have all passed: a report filed now counts as late."""
    current = reporting_week()
    now = clock.now()
    owed = [
        row
        for row in recent_weeks(user, current)
        if row.week < current and row.status in OWED_STATUSES and now > row.week.deadline
    ]
    return sorted(owed, key=lambda row: (row.week, row.cluster.name))


def returned_reports(user: Any) -> QuerySet:
    """Reports returned for revision, named by cluster and week (what the 工作台 and the report list show)."""
    return (
        WeeklyReport.objects.visible_to(user)
        .filter(state=State.RETURNED)
        .select_related("cluster")
        .only("cluster_id", "iso_year", "iso_week", "cluster__name")
        .order_by("iso_year", "iso_week", "cluster__name")
    )


def submitted_in(user: Any, week: Week) -> QuerySet:
    """Every report of `week` that reached the county, whatever the county did with it since."""
    return (
        reports_between(user, week, week)
        .exclude(state=State.DRAFT)
        .select_related("cluster__township", "submitted_by")
        .order_by("cluster__township__code", "cluster__name")
    )


def awaiting_answer(user: Any) -> QuerySet:
    return (
        WeeklyReport.objects.visible_to(user)
        .filter(state__in=AWAITING_ANSWER_STATES)
        .select_related("cluster__township", "submitted_by")
        .order_by("submitted_at", "pk")
    )


@dataclass
class Completeness:
    grid: completeness.Grid
    townships: list[Township]
    clusters: dict[int, Cluster]


def completeness_for(user: Any, first: Week, last: Week, *, now: datetime.datetime | None = None) -> Completeness:
    """Expected, arrived and on-time reports per township and week: three queries, whatever the size."""
    townships = list(Township.objects.visible_to(user).order_by("code"))
    clusters = {cluster.pk: cluster for cluster in expected_clusters(user, first, last)}
    facts = [
        completeness.ReportFact(row["cluster_id"], Week(row["iso_year"], row["iso_week"]), row["first_submitted_at"])
        for row in reports_between(user, first, last).values("cluster_id", "iso_year", "iso_week", "first_submitted_at")
    ]
    grid = completeness.build_grid(
        clusters=[completeness.span_of(cluster) for cluster in clusters.values()],
        reports=facts,
        weeks=weeks_between(first, last),
        township_ids=[township.pk for township in townships],
        now=now or clock.now(),
    )
    return Completeness(grid=grid, townships=townships, clusters=clusters)
