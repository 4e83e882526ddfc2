"""Weeks owed start when the county approved the cluster: an establishment date set back to the submission (which
the approval allows) does not make the township miss weeks whose deadline passed before anyone could file them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clusters import services as cluster_services
from reports import services, tallies
from reports.models import ReportTally
from reports.selectors import completeness_for, weeks_owed
from reports.weeks import Week
from tests.clusters import factories as cf
from tests.reports import factories as reports
from villages import regions


def test_weeks_whose_deadline_passed_before_approval_are_not_owed(cadre_a, county_office, city_office, clock):
    tz = timezone.get_current_timezone()
    reports.set_now(clock, datetime.datetime(2026, 3, 4, 10, 0, tzinfo=tz))  # Wednesday of 2026-W10
    cluster = cf.submitted_cluster(cadre_a)
    submitted_on = datetime.date(2026, 3, 4)
    w10, w11, w12, w13 = (Week(2026, number) for number in (10, 11, 12, 13))
    # Three weeks later (Wednesday of W13, after W12's Monday-noon deadline) the county approves, dating the
    # establishment back to the submission.
    reports.set_now(clock, datetime.datetime(2026, 3, 25, 15, 0, tzinfo=tz))
    cluster_services.approve_cluster(cluster=cluster, by=county_office, established_on=submitted_on, opinion="同意组建")
    cluster.refresh_from_db()
    assert cluster.established_on == submitted_on

    assert [services.expects_report(cluster, week) for week in (w10, w11, w12, w13)] == [False, False, False, True]
    assert weeks_owed(cadre_a) == []
    with pytest.raises(ValidationError):
        reports.draft(cluster, w12, cadre_a)

    # A week after, W13's deadline has passed unfiled: that one week is owed, by every count of it.
    reports.set_now(clock, datetime.datetime(2026, 3, 30, 15, 0, tzinfo=tz))
    assert [(row.week, row.cluster) for row in weeks_owed(cadre_a)] == [(w13, cluster)]
    grid = completeness_for(county_office, w10, w13).grid.total
    assert (grid.expected, grid.missing) == (1, 1)
    by_county = regions._completeness(city_office, [w10, w11, w12, w13], timezone.now())
    assert sum(figures["expected"] for figures in by_county.values()) == 1

    reports.submitted(cluster, w13, cadre_a)
    kept = sorted(ReportTally.objects.values_list("iso_week", "arrived", "on_time"))
    assert kept == [(13, 1, 0)]
    tallies.recount_all()
    assert sorted(ReportTally.objects.values_list("iso_week", "arrived", "on_time")) == kept
