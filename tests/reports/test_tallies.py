"""The report tallies a city or province compares counties by: after every change they equal a direct count."""

from __future__ import annotations

import datetime

from django.utils import timezone

from reports import completeness, services, tallies
from reports.models import ReportTally, WeeklyReport
from reports.weeks import Week
from tests.reports import factories as reports


def direct_counts() -> dict[tuple[int, int, int], tuple[int, int, int]]:
    """(arrived, on time, drafts) per (township, year, week), from the reports of clusters that owed the week."""
    counts: dict[tuple[int, int, int], list[int]] = {}
    for report in WeeklyReport.objects.select_related("cluster"):
        week = Week(report.iso_year, report.iso_week)
        if not completeness.is_expected(completeness.span_of(report.cluster), week):
            continue
        figures = counts.setdefault((report.cluster.township_id, week.year, week.number), [0, 0, 0])
        if report.first_submitted_at is None:
            figures[2] += 1
        else:
            figures[0] += 1
            figures[1] += not week.is_late(report.first_submitted_at)
    return {key: tuple(value) for key, value in counts.items()}


def kept_counts() -> dict[tuple[int, int, int], tuple[int, int, int]]:
    return {(t.township_id, t.iso_year, t.iso_week): (t.arrived, t.on_time, t.draft) for t in ReportTally.objects.all()}


def test_tallies_follow_drafts_submissions_and_a_cluster_dissolved_after_the_fact(township_a, cadre_a, clock):
    tz = timezone.get_current_timezone()
    reports.set_now(clock, datetime.datetime(2026, 3, 3, 9, 0, tzinfo=tz))
    weeks = [Week(2026, 6), Week(2026, 7), Week(2026, 8)]
    cluster = reports.established_cluster(township_a, name="计数联村", established_on=weeks[0].monday)
    t = township_a.pk

    reports.set_now(clock, weeks[0].deadline - datetime.timedelta(hours=1))
    first = reports.draft(cluster, weeks[0], cadre_a)
    assert kept_counts() == direct_counts() == {(t, 2026, 6): (0, 0, 1)}

    services.submit_weekly_report(report=first, by=cadre_a)  # the draft, submitted before the deadline
    reports.set_now(clock, weeks[1].deadline + datetime.timedelta(hours=2))
    reports.submitted(cluster, weeks[1], cadre_a)  # late
    reports.set_now(clock, weeks[2].deadline - datetime.timedelta(hours=2))
    reports.submitted(cluster, weeks[2], cadre_a)
    assert (
        kept_counts()
        == direct_counts()
        == {
            (t, 2026, 6): (1, 1, 0),
            (t, 2026, 7): (1, 0, 0),
            (t, 2026, 8): (1, 1, 0),
        }
    )

    # Dissolved as of week 7's Sunday: week 8 was never owed, so its report no longer counts.
    cluster.dissolved_on = weeks[1].sunday
    cluster.save()
    assert kept_counts() == direct_counts() == {(t, 2026, 6): (1, 1, 0), (t, 2026, 7): (1, 0, 0)}

    kept = kept_counts()
    ReportTally.objects.all().delete()
    tallies.recount_all()
    assert kept_counts() == kept
