"""Date rules of meetings, kept pure so they can be tested on their own."""

from __future__ import annotations

import calendar
import datetime

NOTICE_DAYS = 5  # seed 003: 提前五天以书面形式通知
DISPATCH_INTERVAL_DAYS = 14  # seed 000: 两周一调度


def one_month_after(day: datetime.date) -> datetime.date:
    """The same day of the next month, clamped to that month's end (31 Jan → 28/29 Feb).

    Seed 003: issues needing a special meeting are solved 一月内, within one month.
    """
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def notice_days_ahead(notice_on: datetime.date, meeting_on: datetime.date) -> int:
    return (meeting_on - notice_on).days


def is_notice_in_time(notice_on: datetime.date, meeting_on: datetime.date) -> bool:
    """At least five whole days between the written notice and the meeting (seed 003)."""
    return notice_days_ahead(notice_on, meeting_on) >= NOTICE_DAYS


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, 1), datetime.date(year, month, last)


# A meeting, an issue's outcome or a decision's step is recorded up to a year back (late entry of a
# quarter's paper minutes) and scheduled up to a year ahead; anything outside is a typing slip.
YEAR = datetime.timedelta(days=366)


def sane_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The dates a meeting may be held on, seen from `today`."""
    return today - YEAR, today + YEAR


def within(day: datetime.date, start: datetime.date, end: datetime.date) -> bool:
    return start <= day <= end
