"""Reads behind the pages that compare the counties of a city or province (seed 004).

A city's organisation department and cluster office compare counties: coverage
of clusters, reporting completeness, rectification, the three ledgers, and the
joint organisations by kind (seed 004: 54 村居联建, 58 村企联建, 51 部门村庄联建 —
163 in all, 367 villages, 39% of the city's village party organisations).

Every figure starts from `Model.objects.visible_to(user)` and is grouped by
county in SQL, one query per part whatever the number of counties: a row per
county comes back, the page shows 25 of them and the totals are their sum.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext

from clusters.models import Cluster, ClusterMembership, CoverageTally, Kind, Status
from clusters.tallies import FIGURES as COVERAGE_FIGURES
from lianchun import clock, rates
from rectification.models import LedgerTally, PlanStatus, RectificationPlan
from reports import completeness
from reports.models import ReportTally
from reports.weeks import Week, last_closed_week, weeks_between

from .models import County, Village

COUNTIES_PER_PAGE = 25
COMPLETENESS_WEEKS = 4
JOINT_KINDS = (Kind.VILLAGE_COMMUNITY, Kind.VILLAGE_ENTERPRISE, Kind.DEPARTMENT_VILLAGE)
FIGURES = ("coverage", "completeness", "rectification", "ledgers", "joint", "contributions")


def rate(part: int, whole: int) -> str:
    return rates.describe(part, whole)


@dataclass
class CountyRow:
    county: County
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass
class Comparison:
    figure: str
    page: Page
    rows: list[CountyRow]
    totals: dict[str, Any]
    weeks: list[Week] = field(default_factory=list)
    # Contributions only: the totals over every county in scope by kind of joint organisation (seed 004).
    by_kind: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def first_week(self) -> Week | None:
        return self.weeks[0] if self.weeks else None

    @property
    def last_week(self) -> Week | None:
        return self.weeks[-1] if self.weeks else None


def counties_page(user: Any, number: Any) -> Page:
    counties = County.objects.visible_to(user).select_related("city").order_by("code")
    return Paginator(counties, COUNTIES_PER_PAGE).get_page(number)


def _by_county(queryset, path: str, **aggregates) -> dict[int, dict[str, int]]:
    return {row.pop(path): row for row in queryset.values(path).annotate(**aggregates).order_by()}


def _with_rates(values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    if "villages" in values:
        values["share"] = rate(values.get("clustered_villages", 0), values["villages"])
        values["joint_share"] = rate(values.get("joint_villages", 0), values["villages"])
    if "expected" in values:
        values["reporting_rate"] = rate(values.get("arrived", 0), values["expected"])
        values["on_time_rate"] = rate(values.get("on_time", 0), values["expected"])
    if "collected" in values:
        values["solved_rate"] = rate(values.get("solved", 0), values["collected"])
    return values


def _coverage(user: Any) -> dict[int, dict[str, int]]:
    """Villages, lagging and weak ones, clusters and villages in clusters, from the kept tallies (clusters.tallies)."""
    figures = {name: Sum(name) for name in COVERAGE_FIGURES}
    return _grouped((CoverageTally.objects.visible_to(user), "township__county_id", figures))


def _joint(user: Any) -> dict[int, dict[str, int]]:
    clusters = Cluster.objects.visible_to(user).filter(status=Status.ESTABLISHED, kind__in=JOINT_KINDS)
    members = ClusterMembership.objects.visible_to(user).filter(
        is_active=True, cluster__status=Status.ESTABLISHED, cluster__kind__in=JOINT_KINDS
    )
    villages = Village.objects.visible_to(user).filter(voided_at__isnull=True)
    kinds = {f"kind_{kind}": Count("pk", filter=Q(kind=kind)) for kind in JOINT_KINDS}
    return _grouped(
        (clusters, "township__county_id", {"joint": Count("pk"), **kinds}),
        (members, "cluster__township__county_id", {"joint_villages": Count("village_id", distinct=True)}),
        (villages, "township__county_id", {"villages": Count("pk")}),
    )


def _rectification(user: Any) -> dict[int, dict[str, int]]:
    plans = RectificationPlan.objects.visible_to(user).filter(voided_at__isnull=True)
    villages = Village.objects.visible_to(user).filter(voided_at__isnull=True)
    aggregates = {
        "plans": Count("pk"),
        "in_review": Count("pk", filter=Q(status__in=[PlanStatus.PROPOSED, PlanStatus.ADVISED])),
        "returned": Count("pk", filter=Q(status=PlanStatus.RETURNED)),
        "rectifying": Count("pk", filter=Q(status=PlanStatus.RECTIFYING)),
        "consolidating": Count("pk", filter=Q(status=PlanStatus.CONSOLIDATING)),
        "closed": Count("pk", filter=Q(status=PlanStatus.CLOSED)),
        "reopened": Count("pk", filter=Q(reopen_count__gt=0)),
    }
    return _grouped(
        (plans, "village__township__county_id", aggregates),
        (villages, "township__county_id", {"weak": Count("pk", filter=Q(is_weak=True))}),
    )


def _ledgers(user: Any) -> dict[int, dict[str, int]]:
    # From the kept tallies (one row per township and ledger), as the county's ledger page counts them.
    tallies = LedgerTally.objects.visible_to(user)
    sums = {"all": Sum("collected", default=0), "done": Sum("solved", default=0)}
    return {
        county_id: {"collected": row["all"], "solved": row["done"], "in_progress": row["all"] - row["done"]}
        for county_id, row in _grouped((tallies, "township__county_id", sums)).items()
    }


def _contribution_sums() -> dict[str, Sum]:
    from assessments.models import ContributionKind

    return {kind: Sum("amount", filter=Q(kind=kind), default=0) for kind in ContributionKind.values}


def _contributions_queryset(user: Any):
    from assessments.models import Contribution

    return Contribution.objects.visible_to(user).filter(voided_at__isnull=True)


def _contributions(user: Any) -> dict[int, dict[str, Any]]:
    """What urban partners brought, summed by kind of contribution for each county (seed 004)."""
    return _grouped((_contributions_queryset(user), "cluster__township__county_id", _contribution_sums()))


def contributions_by_kind(user: Any) -> list[tuple[str, dict[str, Any]]]:
    """The same sums over every county in scope, one row per kind of joint organisation, then the other clusters."""
    by_kind = _by_county(_contributions_queryset(user), "cluster__kind", **_contribution_sums())
    rows = [(str(Kind(kind).label), by_kind.pop(kind, _zeros("contributions"))) for kind in JOINT_KINDS]
    others = _zeros("contributions")
    for values in by_kind.values():
        for name in others:
            others[name] += values.get(name, 0)
    if any(others.values()):
        rows.append((gettext("Other clusters"), others))
    return rows


def _grouped(*parts) -> dict[int, dict[str, int]]:
    """Each part's aggregates for every county in scope: one grouped query per part, one row per county."""
    merged: dict[int, dict[str, int]] = {}
    for queryset, path, aggregates in parts:
        for county_id, values in _by_county(queryset, path, **aggregates).items():
            merged.setdefault(county_id, {}).update(values)
    return merged


def _completeness(user: Any, weeks: list[Week], now: datetime.datetime) -> dict[int, dict[str, int]]:
    """Expected, arrived and on-time reports by county over `weeks`, summed in SQL (two queries).

    The rule is reports.completeness's, week by week: a cluster owes a week's report
    when it was established by the Sunday, approved before the deadline and not dissolved
    before the Monday (completeness.owing); a report
    arrived when first submitted, on time when that was by the week's deadline; an
    expected report not submitted is a draft if started, else missing once the deadline
    has passed (not yet due before). tests/villages/test_regions.py holds both to the
    same figures.
    """
    clusters = Cluster.objects.visible_to(user)
    expected, arrived = {}, {}
    week_range = Q()
    for index, week in enumerate(weeks):
        expected[f"expected_{index}"] = Count("pk", filter=completeness.owing(week))
        # What arrived comes from the kept tallies (reports.tallies), a row per township and week, which
        # count only the reports of clusters that owed the week, by the same rule.
        in_week = Q(iso_year=week.year, iso_week=week.number)
        arrived[f"arrived_{index}"] = Sum("arrived", filter=in_week, default=0)
        arrived[f"on_time_{index}"] = Sum("on_time", filter=in_week, default=0)
        arrived[f"draft_{index}"] = Sum("draft", filter=in_week, default=0)
        week_range |= in_week
    merged = _grouped(
        (clusters, "township__county_id", expected),
        (ReportTally.objects.visible_to(user).filter(week_range), "township__county_id", arrived),
    )
    figures: dict[int, dict[str, int]] = {}
    for key, values in merged.items():
        total = dict.fromkeys(["expected", "arrived", "on_time", "late", "missing", "draft", "not_due"], 0)
        for index, week in enumerate(weeks):
            owed = values.get(f"expected_{index}", 0)
            came = values.get(f"arrived_{index}", 0)
            on_time = values.get(f"on_time_{index}", 0)
            draft = values.get(f"draft_{index}", 0)
            outstanding = owed - came - draft
            total["expected"] += owed
            total["arrived"] += came
            total["on_time"] += on_time
            total["late"] += came - on_time
            total["draft"] += draft
            total["missing" if now > week.deadline else "not_due"] += outstanding
        figures[key] = total
    return figures


def compare_counties(
    user: Any,
    figure: str,
    *,
    page_number: Any = 1,
    page: Page | None = None,
    now: datetime.datetime | None = None,
) -> Comparison:
    """One page of the user's counties with one figure each, and the figure's totals over every county in scope.

    `page`: the page of counties another figure of the same screen already read (the 工作台 shows two)."""
    if figure not in FIGURES:
        raise ValueError(figure)
    page = page or counties_page(user, page_number)
    weeks: list[Week] = []
    # Every county in scope at once (a row per county, whatever the page): the page's rows
    # are a slice of it and the totals its sum, so nothing is aggregated twice.
    if figure == "completeness":
        now = now or clock.now()
        # Weeks whose deadline has passed, as the county's own figures of a closed week: a week still open
        # would count its reports as owed and put every county behind.
        last = last_closed_week(now)
        first = last
        for _ in range(COMPLETENESS_WEEKS - 1):
            first = first.previous()
        weeks = weeks_between(first, last)
        by_county = _completeness(user, weeks, now)
    else:
        reader = {
            "coverage": _coverage,
            "rectification": _rectification,
            "ledgers": _ledgers,
            "joint": _joint,
            "contributions": _contributions,
        }[figure]
        by_county = reader(user)
    totals = _zeros(figure)
    for values in by_county.values():
        for name in totals:
            totals[name] += values.get(name, 0)
    rows = [
        CountyRow(county=county, figures=_with_rates({**_zeros(figure), **by_county.get(county.pk, {})}))
        for county in page.object_list
    ]
    return Comparison(
        figure=figure,
        page=page,
        rows=rows,
        totals=_with_rates({**_zeros(figure), **totals}),
        weeks=weeks,
        by_kind=contributions_by_kind(user) if figure == "contributions" else [],
    )


def _zeros(figure: str) -> dict[str, int]:
    names = {
        "coverage": ["villages", "lagging", "weak", "clusters", "clustered_villages"],
        "joint": ["villages", "joint", "joint_villages", *(f"kind_{kind}" for kind in JOINT_KINDS)],
        "rectification": [
            "plans",
            "in_review",
            "returned",
            "rectifying",
            "consolidating",
            "closed",
            "reopened",
            "weak",
        ],
        "ledgers": ["collected", "solved", "in_progress"],
        "completeness": ["expected", "arrived", "on_time", "late", "missing", "draft", "not_due"],
        "contributions": ["funds", "projects", "jobs", "information", "infrastructure", "hot_issues"],
    }[figure]
    return dict.fromkeys(names, 0)
