"""Reporting completeness (DOMAIN.md "Reporting rhythm"): expected, arrived, on time — pure functions.

A cluster owes a report for a week when it was established on or before the
week's Sunday, was not dissolved before the week's Monday, and the county had
approved it before the week's deadline (an establishment date set back to the
submission does not make weeks owed that nobody could file on time); a cluster
that did not exist that week is not "missing". `owing` is the same rule in SQL. A report arrived when it was first
submitted; it is on time when that first submission came by the deadline (a
report the county returned keeps the timeliness of its first submission). An
expected report not submitted is a draft (started), missing (deadline passed)
or not yet due. Rates are arrived ÷ expected and on time ÷ expected, rounded half
up to one decimal as Excel's ROUND does (they describe; no rule hangs on them).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from lianchun import rates

from .weeks import Week

# The reporting rates, as shown on pages and in files alike: half up (lianchun.rates).
format_rate = rates.describe


def rate_tenths(part: int, whole: int) -> int | None:
    return rates.rate_tenths(part, whole, rounding=rates.HALF_UP)


ON_TIME = "on_time"
LATE = "late"
DRAFT = "draft"
MISSING = "missing"
NOT_DUE = "not_due"
NOT_EXPECTED = "none"


@dataclass(frozen=True)
class ClusterSpan:
    """The dates that decide which weeks a cluster owes a report for."""

    id: int
    township_id: int
    established_on: datetime.date | None
    dissolved_on: datetime.date | None = None
    name: str = ""
    approved_at: datetime.datetime | None = None


@dataclass(frozen=True)
class ReportFact:
    """What completeness needs of a report: whose, which week, and when it first arrived."""

    cluster_id: int
    week: Week
    first_submitted_at: datetime.datetime | None = None


# What a span copies from its cluster, beside the id.
SPAN_FIELDS = ("township_id", "established_on", "dissolved_on", "name", "approved_at")


def span_of(cluster) -> ClusterSpan:
    """The span of a Cluster (or anything with the same attributes)."""
    return ClusterSpan(id=cluster.pk, **{name: getattr(cluster, name) for name in SPAN_FIELDS})


def is_expected(cluster: ClusterSpan, week: Week) -> bool:
    """Established during or before the week, approved before its deadline, and not dissolved before it started."""
    if cluster.established_on is None or cluster.established_on > week.sunday:
        return False
    if cluster.approved_at is not None and cluster.approved_at >= week.deadline:
        return False
    return cluster.dissolved_on is None or cluster.dissolved_on >= week.monday


def owing(first: Week, last: Week | None = None) -> Q:
    """Clusters that may owe a report for a week from `first` to `last`: `is_expected` in SQL, exact for one week
    (for a range, the weeks are then checked one by one)."""
    last = last or first
    return (
        Q(established_on__isnull=False, established_on__lte=last.sunday)
        & (Q(approved_at__isnull=True) | Q(approved_at__lt=last.deadline))
        & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=first.monday))
    )


def report_status(cluster: ClusterSpan, week: Week, report: ReportFact | None, now: datetime.datetime) -> str:
    if not is_expected(cluster, week):
        return NOT_EXPECTED
    if report is not None and report.first_submitted_at is not None:
        return LATE if week.is_late(report.first_submitted_at) else ON_TIME
    if report is not None:
        return DRAFT
    return MISSING if now > week.deadline else NOT_DUE


@dataclass
class Tally:
    expected: int = 0
    on_time: int = 0
    late: int = 0
    draft: int = 0
    missing: int = 0
    not_due: int = 0

    def add(self, status: str) -> None:
        if status == NOT_EXPECTED:
            return
        self.expected += 1
        setattr(self, status, getattr(self, status) + 1)

    @property
    def arrived(self) -> int:
        return self.on_time + self.late

    @property
    def outstanding(self) -> int:
        return self.draft + self.missing + self.not_due

    @property
    def reporting_rate(self) -> str:
        return format_rate(self.arrived, self.expected)

    @property
    def on_time_rate(self) -> str:
        return format_rate(self.on_time, self.expected)

    @property
    def reporting_tenths(self) -> int | None:
        return rate_tenths(self.arrived, self.expected)

    @property
    def on_time_tenths(self) -> int | None:
        return rate_tenths(self.on_time, self.expected)

    @property
    def status(self) -> str:
        """The cell colour of a township-week: the worst state among its clusters."""
        if self.expected == 0:
            return NOT_EXPECTED
        for status in (MISSING, DRAFT, LATE, NOT_DUE):
            if getattr(self, status):
                return status
        return ON_TIME


@dataclass
class Grid:
    """A township × week grid with totals per township, per week and overall."""

    weeks: list[Week]
    township_ids: list[int]
    cells: dict[tuple[int, Week], Tally] = field(default_factory=dict)
    by_township: dict[int, Tally] = field(default_factory=dict)
    by_week: dict[Week, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)
    # (cluster, week, status) for every expected report, for lists of what is missing.
    statuses: list[tuple[ClusterSpan, Week, str]] = field(default_factory=list)

    def cell(self, township_id: int, week: Week) -> Tally:
        return self.cells[(township_id, week)]


def build_grid(
    *,
    clusters: Iterable[ClusterSpan],
    reports: Iterable[ReportFact],
    weeks: list[Week],
    township_ids: list[int],
    now: datetime.datetime,
) -> Grid:
    """Count every expected report of `clusters` over `weeks`, by township and by week."""
    index = {(report.cluster_id, report.week): report for report in reports}
    grid = Grid(weeks=list(weeks), township_ids=list(township_ids))
    for township_id in township_ids:
        grid.by_township[township_id] = Tally()
        for week in weeks:
            grid.cells[(township_id, week)] = Tally()
    for week in weeks:
        grid.by_week[week] = Tally()
    for cluster in clusters:
        if cluster.township_id not in grid.by_township:
            continue
        for week in weeks:
            status = report_status(cluster, week, index.get((cluster.id, week)), now)
            if status == NOT_EXPECTED:
                continue
            grid.cells[(cluster.township_id, week)].add(status)
            grid.by_township[cluster.township_id].add(status)
            grid.by_week[week].add(status)
            grid.total.add(status)
            grid.statuses.append((cluster, week, status))
    return grid
