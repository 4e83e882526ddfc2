"""Clusters and weekly reports for the reports tests, built through the reports services."""

from __future__ import annotations

import datetime

from clusters.models import Cluster, Status
from reports import services
from reports.weeks import Week


def established_cluster(
    township, *, name="马园联村", established_on=datetime.date(2026, 1, 5), dissolved_on=None
) -> Cluster:
    status = Status.DISSOLVED if dissolved_on else Status.ESTABLISHED
    return Cluster.objects.create(
        township=township, name=name, status=status, established_on=established_on, dissolved_on=dissolved_on
    )


def draft(cluster, week: Week, by, **content):
    content.setdefault("progress", "走访农户，召开联村例会。")
    return services.save_weekly_report(cluster=cluster, week=week, by=by, expected_version=None, **content)


def submitted(cluster, week: Week, by, **content):
    report = draft(cluster, week, by, **content)
    services.submit_weekly_report(report=report, by=by)
    return report


def set_now(clock, moment: datetime.datetime) -> None:
    """Move the product clock so that it reads (about) `moment`."""
    from django.utils import timezone

    clock.reset()
    clock.travel(moment - timezone.now())


def count_queries(call) -> int:
    """The queries of one call, after an uncounted one: the first page a role opens in a process compiles the
    工作台's scoped reads (lianchun.compiled), which no later page repeats."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    with CaptureQueriesContext(connection) as context:
        response = call()
    assert response.status_code == 200, response.status_code
    return len(context.captured_queries)
