"""ISO weeks in Asia/Shanghai: labels, year edges and the report deadline."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.weeks import Week, parse_week, parse_week_range, reporting_week, weeks_between

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def test_label_reads_as_chinese_users_read_a_week():
    assert Week(2026, 47).label == "2026年第47周(11月16日—11月22日)"
    assert Week(2026, 47).short_label == "2026年第47周"


def test_week_1_can_start_in_the_previous_calendar_year():
    week = Week.of(datetime.date(2024, 12, 30))
    assert week == Week(2025, 1)
    assert week.monday == datetime.date(2024, 12, 30)
    assert week.label == "2025年第1周(2024年12月30日—2025年1月5日)"


def test_week_53_spans_two_years_and_belongs_to_the_first():
    week = Week.of(datetime.date(2027, 1, 1))
    assert week == Week(2026, 53)
    assert (week.monday, week.sunday) == (datetime.date(2026, 12, 28), datetime.date(2027, 1, 3))
    assert week.label == "2026年第53周(2026年12月28日—2027年1月3日)"
    assert week.next() == Week(2027, 1)
    assert Week(2027, 1).previous() == week


def test_a_year_without_week_53_refuses_it():
    with pytest.raises(ValueError):
        Week(2025, 53)
    with pytest.raises(ValueError):
        Week(2026, 0)


def test_week_of_a_moment_is_read_on_the_county_clock():
    # Sunday 23:30 in Shanghai is Sunday 15:30 UTC; Monday 00:30 in Shanghai is still Sunday in UTC.
    assert Week.containing(at(2026, 11, 22, 23, 30)) == Week(2026, 47)
    monday_early = datetime.datetime(2026, 11, 22, 16, 30, tzinfo=datetime.UTC)
    assert Week.containing(monday_early) == Week(2026, 48)


def test_deadline_defaults_to_the_following_monday_noon():
    assert Week(2026, 47).deadline == at(2026, 11, 23, 12, 0)


def test_deadline_edge_one_second_before_and_after():
    week = Week(2026, 47)
    assert not week.is_late(at(2026, 11, 23, 11, 59, 59))
    assert not week.is_late(at(2026, 11, 23, 12, 0, 0))
    assert week.is_late(at(2026, 11, 23, 12, 0, 1))


def test_deadline_offset_is_a_setting(settings):
    settings.WEEKLY_REPORT_DEADLINE_OFFSET = datetime.timedelta(days=1, hours=18)
    assert Week(2026, 47).deadline == at(2026, 11, 24, 18, 0)
    settings.WEEKLY_REPORT_DEADLINE_OFFSET = 36
    assert Week(2026, 47).deadline == at(2026, 11, 24, 12, 0)


def test_reporting_week_is_last_week_until_its_deadline():
    assert reporting_week(at(2026, 11, 23, 12, 0)) == Week(2026, 47)
    assert reporting_week(at(2026, 11, 23, 12, 0, 1)) == Week(2026, 48)
    assert reporting_week(at(2026, 11, 27, 9, 0)) == Week(2026, 48)


def test_weeks_between_crosses_the_year():
    weeks = weeks_between(Week(2026, 52), Week(2027, 2))
    assert weeks == [Week(2026, 52), Week(2026, 53), Week(2027, 1), Week(2027, 2)]
    assert weeks_between(Week(2027, 2), Week(2026, 52)) == []


def test_key_round_trips_and_rejects_nonsense():
    assert Week.parse("2026-W05") == Week(2026, 5)
    assert Week(2026, 5).key == "2026-W05"
    for bad in ["", "2026-47", "2025-W53", "x", "2026-W99"]:
        with pytest.raises(ValueError):
            Week.parse(bad)


days = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 12, 31))


@given(days)
def test_every_day_lies_in_its_week(day):
    week = Week.of(day)
    assert week.monday <= day <= week.sunday
    assert week.monday.weekday() == 0
    assert (week.sunday - week.monday).days == 6
    assert Week.parse(week.key) == week


@given(days)
def test_consecutive_weeks_are_seven_days_apart_and_ordered(day):
    week = Week.of(day)
    following = week.next()
    assert following.monday - week.monday == datetime.timedelta(days=7)
    assert week < following
    assert following.previous() == week


@given(days)
def test_deadline_follows_the_end_of_the_week(day):
    week = Week.of(day)
    assert week.deadline > week.ends_at > week.starts_at
    assert week.ends_at == week.next().starts_at


def test_one_parser_for_week_parameters_never_raises():
    default = Week(2026, 47)
    assert parse_week("2026-W05", default) == Week(2026, 5)
    for bad in [None, "", "abc", "2026-W99", "2025-W53", "9999-W52", "0000-W01", "２０２６-W05", ["2026-W05"]]:
        assert parse_week(bad, default) == default
    assert parse_week("abc") is None
    with pytest.raises(ValueError):
        Week.parse("9999-W52")  # its next week would leave the calendar


def test_a_week_range_falls_back_swaps_and_trims():
    last = Week(2026, 47)
    asked = parse_week_range(None, None, default_last=last, default_length=12, max_length=26)
    assert (asked.first, asked.last, asked.trimmed) == (Week(2026, 36), last, False)
    assert len(asked.weeks) == 12
    asked = parse_week_range("2026-W47", "2026-W40", default_last=last, default_length=12, max_length=26)
    assert (asked.first, asked.last) == (Week(2026, 40), Week(2026, 47))
    asked = parse_week_range("1990-W01", "2100-W52", default_last=last, default_length=12, max_length=26)
    assert asked.trimmed and asked.last == Week(2100, 52) and len(asked.weeks) == 26
    asked = parse_week_range("abc", "9999-W52", default_last=last, default_length=12, max_length=26)
    assert (asked.first, asked.last, asked.trimmed) == (Week(2026, 36), last, False)
