"""ISO weeks as the weekly report (一周一报告, seed 000) counts them, in the county's time zone.

A report belongs to one ISO week (Monday to Sunday), always named with its ISO
year: 2024-12-30 is in 2025's week 1, 2027-01-01 in 2026's week 53. The week's
report is due a configurable time after the week ends — setting
WEEKLY_REPORT_DEADLINE_OFFSET, a timedelta (or a number of hours) after Sunday
24:00, default 12 hours: the following Monday 12:00.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

DEFAULT_DEADLINE_OFFSET = datetime.timedelta(hours=12)
_KEY = re.compile(r"^(\d{4})-W(\d{1,2})$", re.ASCII)
# Weeks a URL may name: far wider than any record, narrow enough that stepping a week or a range
# of weeks from either end never leaves the calendar (year 9999's last week has no next week).
MIN_YEAR = 1990
MAX_YEAR = 2100


def deadline_offset() -> datetime.timedelta:
    """How long after the week ends its report is due (WEEKLY_REPORT_DEADLINE_OFFSET)."""
    value = getattr(settings, "WEEKLY_REPORT_DEADLINE_OFFSET", DEFAULT_DEADLINE_OFFSET)
    if isinstance(value, datetime.timedelta):
        return value
    return datetime.timedelta(hours=float(value))


def _date_label(day: datetime.date, *, with_year: bool) -> str:
    if with_year:
        return _("%(month)s/%(day)s/%(year)s") % {"year": day.year, "month": day.month, "day": day.day}
    return _("%(month)s/%(day)s") % {"month": day.month, "day": day.day}


@dataclass(frozen=True, order=True)
class Week:
    """One ISO week: (ISO year, week number 1–53).

    Its days and moments (Monday, the deadline, …) are worked out once per Week object: a grid of a county's
    clusters over twelve weeks asks each week's deadline hundreds of times.
    """

    year: int
    number: int

    def __post_init__(self) -> None:
        # fromisocalendar raises ValueError for week 53 of a 52-week year, and for 0 or 54.
        datetime.date.fromisocalendar(self.year, self.number, 1)

    @classmethod
    def of(cls, day: datetime.date) -> Week:
        year, number, _weekday = day.isocalendar()
        return cls(year, number)

    @classmethod
    def containing(cls, moment: datetime.datetime) -> Week:
        """The week an aware moment falls in, read on the county's clock (Asia/Shanghai)."""
        return cls.of(timezone.localtime(moment).date())

    @classmethod
    def parse(cls, key: str) -> Week:
        """ "2026-W47" → Week(2026, 47); ValueError for anything else, and for years outside MIN_YEAR–MAX_YEAR."""
        match = _KEY.match((key or "").strip())
        if not match or not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR:
            raise ValueError(f"not an ISO week: {key!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def key(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @cached_property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.number, 1)

    @cached_property
    def sunday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.number, 7)

    @cached_property
    def starts_at(self) -> datetime.datetime:
        """Monday 00:00 in the county's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.monday, datetime.time.min))

    @cached_property
    def ends_at(self) -> datetime.datetime:
        """Sunday 24:00, i.e. the next Monday 00:00, in the county's time zone."""
        return self.next().starts_at

    @cached_property
    def deadline(self) -> datetime.datetime:
        return self.ends_at + deadline_offset()

    def is_late(self, submitted_at: datetime.datetime) -> bool:
        """Submitted after the deadline; exactly at the deadline is still on time."""
        return submitted_at > self.deadline

    def next(self) -> Week:
        return Week.of(self.monday + datetime.timedelta(days=7))

    def previous(self) -> Week:
        return Week.of(self.monday - datetime.timedelta(days=7))

    def __str__(self) -> str:
        return self.label

    @property
    def short_label(self) -> str:
        return _("Week %(number)s of %(year)s") % {"year": self.year, "number": self.number}

    @property
    def label(self) -> str:
        """ "2026年第47周(11月16日—11月22日)"; the dates carry their years when the week spans two."""
        spans = self.monday.year != self.sunday.year or self.monday.year != self.year
        return _("%(week)s (%(first)s – %(last)s)") % {
            "week": self.short_label,
            "first": _date_label(self.monday, with_year=spans),
            "last": _date_label(self.sunday, with_year=spans),
        }


def parse_week(text: str | None, default: Week | None = None) -> Week | None:
    """The week a parameter names ("2026-W47", as `<input type="week">` sends it), or `default`.

    The one parser of `?week=` and of week ranges: absent, malformed or impossible weeks ("abc",
    "2025-W53", "9999-W52") give `default`; it never raises.
    """
    if not isinstance(text, str) or not text:
        return default
    try:
        return Week.parse(text)
    except ValueError:
        return default


@dataclass(frozen=True)
class WeekRange:
    """The weeks from `first` to `last`, both included; `trimmed` when the asked range was too long."""

    first: Week
    last: Week
    trimmed: bool = False

    @property
    def weeks(self) -> list[Week]:
        return weeks_between(self.first, self.last)


def weeks_back(last: Week, count: int) -> Week:
    """The first week of the `count` weeks that end with `last`."""
    return Week.of(last.monday - datetime.timedelta(weeks=max(count, 1) - 1))


def parse_week_range(
    first: str | None, last: str | None, *, default_last: Week, default_length: int, max_length: int
) -> WeekRange:
    """`?first=…&last=…`: each end falls back on its own (the last to `default_last`, the first to
    `default_length` weeks before the last); reversed ends are swapped; a range longer than
    `max_length` weeks keeps its last `max_length` weeks. Never raises.
    """
    last_week = parse_week(last, default_last)
    first_week = parse_week(first, weeks_back(last_week, default_length))
    if first_week > last_week:
        first_week, last_week = last_week, first_week
    if (last_week.monday - first_week.monday).days // 7 + 1 > max_length:
        return WeekRange(weeks_back(last_week, max_length), last_week, trimmed=True)
    return WeekRange(first_week, last_week)


def weeks_between(first: Week, last: Week) -> list[Week]:
    """Every week from `first` to `last`, both included; empty when `last` comes first."""
    weeks = []
    week = first
    while week <= last:
        weeks.append(week)
        week = week.next()
    return weeks


def current_week(moment: datetime.datetime | None = None) -> Week:
    from lianchun import clock

    return Week.containing(moment or clock.now())


def reporting_week(moment: datetime.datetime | None = None) -> Week:
    """The week a township is filing for: last week until its deadline passes, then this week."""
    from lianchun import clock

    moment = moment or clock.now()
    this_week = Week.containing(moment)
    last_week = this_week.previous()
    return last_week if moment <= last_week.deadline else this_week


def last_closed_week(moment: datetime.datetime | None = None) -> Week:
    """The most recent week whose deadline has passed: the last week whose completeness is final (nothing in it
    is "not yet due"). Figures over several weeks that compare places end with it."""
    from lianchun import clock

    moment = moment or clock.now()
    week = current_week(moment).previous()
    return week if moment > week.deadline else week.previous()
