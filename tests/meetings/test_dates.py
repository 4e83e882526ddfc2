"""The pure date rules: one month later, and the five-day notice."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from meetings.dates import is_notice_in_time, one_month_after

D = datetime.date


def test_one_month_after_is_the_same_day_next_month():
    assert one_month_after(D(2026, 11, 23)) == D(2026, 12, 23)
    assert one_month_after(D(2026, 12, 15)) == D(2027, 1, 15)


def test_one_month_after_clamps_to_the_end_of_a_shorter_month():
    assert one_month_after(D(2026, 1, 31)) == D(2026, 2, 28)
    assert one_month_after(D(2028, 1, 31)) == D(2028, 2, 29)
    assert one_month_after(D(2026, 3, 31)) == D(2026, 4, 30)
    assert one_month_after(D(2026, 8, 31)) == D(2026, 9, 30)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
def test_one_month_after_lands_in_the_next_month_on_the_same_or_last_day(day):
    due = one_month_after(day)
    assert (due.year * 12 + due.month) - (day.year * 12 + day.month) == 1
    assert due.day == day.day or (due.day < day.day and (due + datetime.timedelta(days=1)).day == 1)
    assert 28 <= (due - day).days <= 31


def test_notice_five_days_ahead_is_in_time_and_four_is_not():
    meeting = D(2026, 12, 1)
    assert is_notice_in_time(D(2026, 11, 26), meeting)
    assert not is_notice_in_time(D(2026, 11, 27), meeting)
