"""Answered and returned weekly reports for the notification tests, through the reports services."""

from __future__ import annotations

from reports import services
from reports.weeks import current_week
from tests.reports.factories import established_cluster, submitted


def answered(township, cadre, office, *, name="通知联村", weeks_back=2, answer="下周二来指导。"):
    cluster = established_cluster(township, name=name)
    week = current_week()
    for _step in range(weeks_back):
        week = week.previous()
    report = submitted(cluster, week, cadre)
    submission = services.answer_weekly_report(report=report, answer=answer, by=office)
    return report, submission
