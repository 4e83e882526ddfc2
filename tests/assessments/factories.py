"""Assessment test data: records of other apps built through their own services, on a moved clock."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from assessments import services
from assessments.models import Metric, PeriodKind, SubjectKind
from clusters.models import Form, Status
from reports import services as reports_services
from reports.weeks import Week
from tests.reports import factories as rf

MAY = (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31))  # 31 May 2026 is a Sunday


def at(day: datetime.date, hour: int = 9, minute: int = 0, second: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute, second)))


def set_today(clock, day: datetime.date, hour: int = 10) -> None:
    rf.set_now(clock, at(day, hour))


def cluster(
    township, name, *, form=Form.VILLAGE_CLUSTER, villages=(), partner=None, established_on=datetime.date(2026, 1, 5)
):
    """An established cluster with member villages (set up directly: its own life cycle is tested in clusters)."""
    from clusters.models import Cluster, ClusterMembership

    created = Cluster.objects.create(
        township=township,
        name=name,
        form=form,
        status=Status.ESTABLISHED,
        established_on=established_on,
        partner_unit=partner,
        kind="village_enterprise" if form == Form.URBAN_RURAL else "strong_weak",
    )
    for village in villages:
        ClusterMembership.objects.create(cluster=created, village=village, form=form, joined_on=established_on)
    return created


def submit_at(cluster_, week: Week, cadre, clock, moment: datetime.datetime):
    """Submit at exactly `moment`: the product clock stands still while the service reads it."""
    rf.set_now(clock, moment)
    report = rf.draft(cluster_, week, cadre)
    moving = clock.now
    clock.now = lambda: moment
    try:
        reports_services.submit_weekly_report(report=report, by=cadre)
    finally:
        clock.now = moving
    report.refresh_from_db()
    return report


def scheme(office, *, subject_kind=SubjectKind.TOWNSHIP, metrics=None, name="联村工作考核"):
    created = services.create_scheme(
        county=office.county, name=name, subject_kind=subject_kind, period_kind=PeriodKind.MONTH, by=office
    )
    metrics = metrics or [
        Metric.WEEKLY_ON_TIME,
        Metric.ATTENDANCE,
        Metric.ISSUES_IN_MONTH,
        Metric.LEDGER_SOLVED,
        Metric.OVERDUE_MEASURES,
        Metric.DECISIONS_COMPLETED,
        Metric.CONSENT_FORMS,
        Metric.INSPECTION_SCORE,
    ]
    for metric in metrics:
        lower = metric == Metric.OVERDUE_MEASURES
        services.add_indicator(
            scheme=created,
            metric=metric,
            label=str(Metric(metric).label)[:60],
            weight=10,
            target=Decimal(
                0 if lower else 100 if metric not in {Metric.DECISIONS_COMPLETED, Metric.CONSENT_FORMS} else 5
            ),
            green_from=Decimal(
                0 if lower else 90 if metric not in {Metric.DECISIONS_COMPLETED, Metric.CONSENT_FORMS} else 4
            ),
            amber_from=Decimal(
                1 if lower else 70 if metric not in {Metric.DECISIONS_COMPLETED, Metric.CONSENT_FORMS} else 2
            ),
            by=office,
        )
    return created


def may_period(office, **kwargs):
    created = scheme(office, **kwargs)
    return services.open_period(scheme=created, label="2026年5月", starts_on=MAY[0], ends_on=MAY[1], by=office)
