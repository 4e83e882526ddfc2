"""Which reports are expected, and how arrived and on-time reports are counted — without a database."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from reports import completeness as c
from reports.weeks import Week, weeks_between

SHANGHAI = ZoneInfo("Asia/Shanghai")
W47 = Week(2026, 47)  # Monday 2026-11-16 to Sunday 2026-11-22, due Monday 23 noon
AFTER_ALL = datetime.datetime(2027, 6, 1, tzinfo=SHANGHAI)


def cluster(pk=1, township=1, established=datetime.date(2026, 1, 5), dissolved=None):
    return c.ClusterSpan(id=pk, township_id=township, established_on=established, dissolved_on=dissolved)


def test_cluster_established_on_the_last_day_of_the_week_owes_that_week():
    assert c.is_expected(cluster(established=W47.sunday), W47)
    assert not c.is_expected(cluster(established=W47.sunday + datetime.timedelta(days=1)), W47)


def test_cluster_dissolved_before_the_week_began_owes_nothing():
    assert not c.is_expected(cluster(dissolved=W47.monday - datetime.timedelta(days=1)), W47)
    assert c.is_expected(cluster(dissolved=W47.monday), W47)


def test_cluster_never_established_owes_nothing():
    assert not c.is_expected(cluster(established=None), W47)


def test_status_on_time_late_draft_missing_and_not_due():
    span = cluster()
    on_time = c.ReportFact(1, W47, W47.deadline)
    late = c.ReportFact(1, W47, W47.deadline + datetime.timedelta(seconds=1))
    draft = c.ReportFact(1, W47, None)
    assert c.report_status(span, W47, on_time, AFTER_ALL) == c.ON_TIME
    assert c.report_status(span, W47, late, AFTER_ALL) == c.LATE
    assert c.report_status(span, W47, draft, AFTER_ALL) == c.DRAFT
    assert c.report_status(span, W47, None, AFTER_ALL) == c.MISSING
    assert c.report_status(span, W47, None, W47.deadline) == c.NOT_DUE


def test_rates_are_rounded_half_up_as_excel_round_does():
    assert c.format_rate(2, 3) == "66.7%"
    assert c.format_rate(1333, 2000) == "66.7%"  # 66.65 → 66.7, half up
    assert c.format_rate(1999, 2000) == "100.0%"
    assert c.format_rate(0, 0) == "—"


def test_cluster_established_mid_range_is_expected_only_from_its_week():
    weeks = weeks_between(Week(2026, 44), Week(2026, 47))
    old = cluster(pk=1, township=1)
    new = cluster(pk=2, township=2, established=Week(2026, 46).monday + datetime.timedelta(days=3))
    gone = cluster(pk=3, township=2, dissolved=Week(2026, 45).sunday)
    reports = [c.ReportFact(1, week, week.deadline) for week in weeks] + [c.ReportFact(2, Week(2026, 47), None)]
    grid = c.build_grid(clusters=[old, new, gone], reports=reports, weeks=weeks, township_ids=[1, 2], now=AFTER_ALL)

    assert [grid.by_week[w].expected for w in weeks] == [2, 2, 2, 2]
    assert grid.cell(2, Week(2026, 44)).expected == 1  # the dissolved cluster, before its end
    assert grid.cell(2, Week(2026, 46)).status == c.MISSING  # the new cluster's first week
    assert grid.cell(2, Week(2026, 47)).status == c.DRAFT
    assert grid.by_township[1].reporting_rate == "100.0%"
    assert grid.by_township[2].expected == 4
    assert grid.by_township[2].arrived == 0
    assert grid.total.expected == 8
    assert grid.total.reporting_rate == "50.0%"


statuses = st.sampled_from([None, "draft", "on_time", "late"])


@given(st.lists(st.tuples(st.integers(1, 3), st.integers(0, 10), st.integers(0, 3), statuses), min_size=0, max_size=12))
def test_totals_add_up_whatever_the_reports(rows):
    weeks = weeks_between(Week(2026, 40), Week(2026, 47))
    clusters, reports = [], []
    for pk, (township, start_offset, length, status) in enumerate(rows, start=1):
        established = weeks[0].monday + datetime.timedelta(days=start_offset * 5)
        dissolved = established + datetime.timedelta(weeks=length) if length else None
        clusters.append(cluster(pk=pk, township=township, established=established, dissolved=dissolved))
        for week in weeks:
            if status == "on_time":
                reports.append(c.ReportFact(pk, week, week.deadline))
            elif status == "late":
                reports.append(c.ReportFact(pk, week, week.deadline + datetime.timedelta(hours=1)))
            elif status == "draft":
                reports.append(c.ReportFact(pk, week, None))
    grid = c.build_grid(clusters=clusters, reports=reports, weeks=weeks, township_ids=[1, 2, 3], now=AFTER_ALL)
    total = grid.total
    assert (
        total.expected
        == sum(t.expected for t in grid.by_township.values())
        == sum(t.expected for t in grid.by_week.values())
    )
    assert total.expected == total.arrived + total.outstanding
    assert total.on_time <= total.arrived <= total.expected
    expected = sum(1 for span in clusters for week in weeks if c.is_expected(span, week))
    assert total.expected == expected
