"""Reads shared by pages and the workbench: rhythm, calendar, issue lists. All start from visible_to(user)."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lianchun import clock
from villages.models import Township

from .dates import DISPATCH_INTERVAL_DAYS, month_bounds
from .models import Decision, Meeting, MeetingIssue, MeetingKind


def _aware(day: datetime.date, end: bool = False) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
    return timezone.make_aware(moment)


def meetings_for(user: Any) -> QuerySet[Meeting]:
    return (
        Meeting.objects.visible_to(user)
        .filter(voided_at__isnull=True)
        .select_related("township", "village", "county")
        .annotate(
            issue_count=Count("issues", filter=Q(issues__voided_at__isnull=True), distinct=True),
            open_issue_count=Count(
                "issues", filter=Q(issues__voided_at__isnull=True, issues__outcome=""), distinct=True
            ),
        )
    )


def issues_for(user: Any) -> QuerySet[MeetingIssue]:
    return (
        MeetingIssue.objects.visible_to(user)
        .filter(voided_at__isnull=True, meeting__voided_at__isnull=True)
        .select_related("meeting", "township", "village")
    )


def decisions_for(user: Any) -> QuerySet[Decision]:
    return Decision.objects.visible_to(user).filter(voided_at__isnull=True).select_related("village__township")


# ---------------------------------------------------------------- rhythm


@dataclass
class DispatchRhythm:
    last: Meeting | None
    next: Meeting | None
    days_since: int | None

    @property
    def is_due(self) -> bool:
        """Seed 000 两周一调度: due when none was held, or the last one is fourteen days or more ago."""
        return self.days_since is None or self.days_since >= DISPATCH_INTERVAL_DAYS


def dispatch_rhythm(user: Any) -> DispatchRhythm:
    now = clock.now()
    dispatches = Meeting.objects.visible_to(user).filter(kind=MeetingKind.DISPATCH, voided_at__isnull=True)
    last = dispatches.filter(starts_at__lte=now).order_by("-starts_at").first()
    upcoming = dispatches.filter(starts_at__gt=now).order_by("starts_at").first()
    days = (clock.today() - last.date).days if last else None
    return DispatchRhythm(last=last, next=upcoming, days_since=days)


def recent_months(count: int = 3) -> list[tuple[int, int]]:
    today = clock.today()
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


@dataclass
class RhythmRow:
    label: str
    counts: list[int] = field(default_factory=list)
    last: datetime.date | None = None

    @property
    def held_this_month(self) -> bool:
        return bool(self.counts and self.counts[-1])


def _rows_by_month(pairs: list[tuple[str, datetime.date]], labels: list[str], months: list[tuple[int, int]]):
    rows = {label: RhythmRow(label=label, counts=[0] * len(months)) for label in labels}
    index = {month: i for i, month in enumerate(months)}
    for label, day in pairs:
        row = rows.setdefault(label, RhythmRow(label=label, counts=[0] * len(months)))
        position = index.get((day.year, day.month))
        if position is not None:
            row.counts[position] += 1
        if row.last is None or day > row.last:
            row.last = day
    return list(rows.values())


def exchange_rhythm(user: Any, months: list[tuple[int, int]]) -> list[RhythmRow]:
    """Seed 000 一月一交流: exchange meetings held per area, month by month."""
    start = _aware(month_bounds(*months[0])[0])
    pairs = [
        (area, timezone.localtime(starts_at).date())
        for area, starts_at in Meeting.objects.visible_to(user)
        .filter(kind=MeetingKind.EXCHANGE, voided_at__isnull=True, starts_at__gte=start, starts_at__lte=clock.now())
        .values_list("area", "starts_at")
    ]
    return sorted(_rows_by_month(pairs, [], months), key=lambda row: row.label)


def township_rhythm(user: Any, months: list[tuple[int, int]]) -> list[RhythmRow]:
    """Each visible township's 例会, month by month (seed 003: 定期召开)."""
    townships = list(Township.objects.visible_to(user).order_by("code"))
    start = _aware(month_bounds(*months[0])[0])
    names = {t.pk: t.name for t in townships}
    pairs = [
        (names[township_id], timezone.localtime(starts_at).date())
        for township_id, starts_at in Meeting.objects.visible_to(user)
        .filter(kind=MeetingKind.TOWNSHIP, voided_at__isnull=True, starts_at__gte=start, starts_at__lte=clock.now())
        .values_list("township_id", "starts_at")
        if township_id in names
    ]
    return _rows_by_month(pairs, [t.name for t in townships], months)


# ---------------------------------------------------------------- calendar


@dataclass
class CalendarDay:
    day: datetime.date
    in_month: bool
    is_today: bool
    meetings: list[Meeting]


def month_calendar(user: Any, year: int, month: int) -> list[list[CalendarDay]]:
    """A Monday-first month grid with each day's visible meetings."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    by_day: dict[datetime.date, list[Meeting]] = defaultdict(list)
    for meeting in (
        Meeting.objects.visible_to(user)
        .filter(voided_at__isnull=True, starts_at__gte=_aware(first), starts_at__lte=_aware(last, end=True))
        .select_related("township", "village")
        .order_by("starts_at")
    ):
        by_day[meeting.date].append(meeting)
    today = clock.today()
    return [
        [CalendarDay(day=d, in_month=d.month == month, is_today=d == today, meetings=by_day.get(d, [])) for d in week]
        for week in weeks
    ]
