"""Reads for notifications and reminders: which townships still owe a week's reports, answers and receipts."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Count, QuerySet

from accounts.models import Role, User
from clusters.models import Cluster
from lianchun import clock
from lianchun.compiled import CompiledQuery
from reports import completeness
from reports.models import ReportSubmission, WeeklyReport
from reports.weeks import Week

from .models import Notification

NOT_ARRIVED = frozenset({completeness.DRAFT, completeness.MISSING, completeness.NOT_DUE})
# Answers older than this are not chased as unread on the 待办.
ANSWER_WINDOW_DAYS = 28


def for_user(user: Any) -> QuerySet[Notification]:
    """A user's own notifications: they are personal, nobody else reads them."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


# The menu bar's figure, on every page of every user with a place: compiled once (lianchun.compiled).
_UNREAD = CompiledQuery(
    lambda recipient_id: (
        Notification.objects.filter(recipient_id=recipient_id)
        .unread()
        .order_by()
        .values("recipient_id")
        .annotate(unread=Count("pk"))
        .values_list("unread")
    ),
    placeholders=[-1],
)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    rows = _UNREAD.rows(user.pk)  # one row, or none when nothing is unread
    return rows[0][0] if rows else 0


def township_cadres(township_id: int) -> QuerySet[User]:
    return User.objects.filter(role=Role.TOWNSHIP_CADRE, is_active=True, township_id=township_id).order_by("pk")


def county_office_users(county_id: int) -> QuerySet[User]:
    return User.objects.filter(role=Role.COUNTY_OFFICE, is_active=True, county_id=county_id).order_by("pk")


def outstanding_by_township(week: Week, now: datetime.datetime | None = None) -> dict[int, list[str]]:
    """For the scheduled reminders (every county at once): township → clusters whose report for `week` has not
    arrived (a draft, missing, or not yet due). Same rule as the completeness grid; three queries."""
    now = now or clock.now()
    clusters = list(Cluster.objects.filter(completeness.owing(week)).order_by("township_id", "name"))
    arrived = {
        row["cluster_id"]: row["first_submitted_at"]
        for row in WeeklyReport.objects.filter(iso_year=week.year, iso_week=week.number).values(
            "cluster_id", "first_submitted_at"
        )
    }
    result: dict[int, list[str]] = defaultdict(list)
    for cluster in clusters:
        fact = completeness.ReportFact(cluster.pk, week, arrived[cluster.pk]) if cluster.pk in arrived else None
        if completeness.report_status(completeness.span_of(cluster), week, fact, now) in NOT_ARRIVED:
            result[cluster.township_id].append(cluster.name)
    return dict(result)


def _answered(user: Any) -> QuerySet[ReportSubmission]:
    """Answered versions of visible weekly reports, newest first."""
    return (
        ReportSubmission.objects.visible_to(user)
        .filter(outcome=ReportSubmission.Outcome.ANSWERED)
        .order_by("-responded_at", "-pk")
    )


def answers_for(user: Any) -> QuerySet[ReportSubmission]:
    """The answers page: each answer with who gave it and its 已阅 receipt."""
    return _answered(user).select_related("report__cluster__township", "responded_by", "receipt__read_by")


def unread_answers(user: Any) -> QuerySet[ReportSubmission]:
    """The 工作台's unread answers: what its line says (cluster, week, the answer's first words), not the rest."""
    since = clock.now() - datetime.timedelta(days=ANSWER_WINDOW_DAYS)
    return (
        _answered(user)
        .filter(responded_at__gte=since, receipt__isnull=True)
        .select_related("report__cluster")
        .only("response", "report__iso_year", "report__iso_week", "report__cluster__name")
    )
