"""The pure rules: periods and weeks, bands, points, ranks, the appraisal rule and the 80% satisfaction line."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import appraisal, rules

D = datetime.date


def test_weeks_of_a_period_are_those_ending_in_it():
    weeks = rules.Period(D(2026, 5, 1), D(2026, 5, 31)).weeks()
    assert [w.sunday for w in weeks] == [D(2026, 5, 3), D(2026, 5, 10), D(2026, 5, 17), D(2026, 5, 24), D(2026, 5, 31)]
    # June 2026 starts on a Monday and ends on a Tuesday: the week of 29 June ends in July.
    june = rules.Period(D(2026, 6, 1), D(2026, 6, 30)).weeks()
    assert june[0].monday == D(2026, 6, 1) and june[-1].sunday == D(2026, 6, 28)


def test_weeks_across_the_iso_year_end_belong_to_the_period_of_their_sunday():
    first_half_2027 = rules.Period(D(2027, 1, 1), D(2027, 6, 30)).weeks()
    # 28 Dec 2026 – 3 Jan 2027 is ISO week 53 of 2026 and ends in 2027's first half.
    assert (first_half_2027[0].year, first_half_2027[0].number) == (2026, 53)
    second_half_2026 = rules.Period(D(2026, 7, 1), D(2026, 12, 31)).weeks()
    assert (second_half_2026[-1].year, second_half_2026[-1].number) == (2026, 52)


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)), st.integers(min_value=0, max_value=200))
def test_consecutive_periods_share_no_week_and_miss_none(start, length):
    first = rules.Period(start, start + datetime.timedelta(days=length))
    second = rules.Period(
        first.ends_on + datetime.timedelta(days=1), first.ends_on + datetime.timedelta(days=length + 1)
    )
    both = rules.Period(first.starts_on, second.ends_on)
    assert first.weeks() + second.weeks() == both.weeks()


def test_a_measure_due_on_the_last_day_and_not_done_is_overdue_when_the_period_ends():
    may = rules.Period(D(2026, 5, 1), D(2026, 5, 31))
    due_last_day = rules.MeasureFact(1, D(2026, 5, 31), None)
    done_last_day = rules.MeasureFact(2, D(2026, 5, 31), D(2026, 5, 31))
    due_next_period = rules.MeasureFact(3, D(2026, 6, 1), None)
    assert rules.overdue_measures(may, [due_last_day, done_last_day, due_next_period]).numerator == 1


def test_rates_are_truncated_never_rounded_up():
    measure = rules.Measure(rules.RATE, numerator=2, denominator=3)
    assert measure.value == Decimal("66.6")
    assert rules.Measure(rules.RATE, numerator=0, denominator=0).value is None
    assert rules.format_rate(7996, 10000) == "79.9%"


SCORING = rules.Scoring(weight=20, target=Decimal(100), green_from=Decimal(90), amber_from=Decimal(70))
LOWER = rules.Scoring(
    weight=10, target=Decimal(0), green_from=Decimal(0), amber_from=Decimal(2), higher_is_better=False
)


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (Decimal(90), "green"),
        (Decimal("89.9"), "amber"),
        (Decimal(70), "amber"),
        (Decimal("69.9"), "red"),
        (None, "none"),
    ],
)
def test_bands_start_where_the_value_reaches_them(value, band):
    assert rules.band(value, SCORING) == band


def test_bands_for_an_indicator_where_less_is_better():
    assert [rules.band(Decimal(v), LOWER) for v in (0, 1, 2, 3)] == ["green", "amber", "amber", "red"]


def test_points_are_weight_times_attainment_truncated():
    assert rules.points(Decimal(100), SCORING) == Decimal(20)
    assert rules.points(Decimal("66.6"), SCORING) == Decimal("13.3")  # 13.32 truncated
    assert rules.points(None, SCORING) == Decimal(0)
    assert [rules.points(Decimal(v), LOWER) for v in (0, 1, 3)] == [Decimal(10), Decimal(5), Decimal("2.5")]


def test_equal_totals_share_a_rank_and_the_next_is_skipped():
    ranks = rules.competition_ranks({1: Decimal(90), 2: Decimal(95), 3: Decimal(90), 4: Decimal(80)})
    assert ranks == {2: 1, 1: 2, 3: 2, 4: 4}


RULE = appraisal.Rule(unqualified_over=(1, 3), excellent_from=(2, 3), basic_over=(1, 2))


@pytest.mark.parametrize(
    ("votes", "grade"),
    [
        (appraisal.Votes(excellent=20, qualified=10), appraisal.EXCELLENT),  # 2/3 exactly reaches excellent
        (appraisal.Votes(excellent=19, qualified=11), appraisal.QUALIFIED),
        (appraisal.Votes(qualified=20, unqualified=10), appraisal.QUALIFIED),  # exactly 1/3 is not "more than"
        (appraisal.Votes(qualified=19, unqualified=11), appraisal.UNQUALIFIED),
        (appraisal.Votes(qualified=15, basic=15), appraisal.QUALIFIED),  # exactly half is not "more than"
        (appraisal.Votes(qualified=14, basic=16), appraisal.BASIC),
        (appraisal.Votes(excellent=21, unqualified=11), appraisal.UNQUALIFIED),  # unqualified is judged first
    ],
)
def test_the_appraisal_result_follows_from_the_votes_by_the_county_rule(votes, grade):
    assert appraisal.derive(votes, RULE) == grade


def test_an_appraisal_without_votes_has_no_result():
    with pytest.raises(ValueError):
        appraisal.derive(appraisal.Votes(), RULE)


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_satisfaction_below_80_percent_is_exact(surveyed, data):
    satisfied = data.draw(st.integers(min_value=0, max_value=surveyed))
    assert rules.below_satisfaction(satisfied, surveyed) == (
        satisfied / surveyed < 0.8 - 1e-12 and satisfied * 5 < surveyed * 4
    )


def test_exactly_80_percent_is_not_below_and_one_form_less_is():
    assert not rules.below_satisfaction(80, 100)
    assert rules.below_satisfaction(79, 100)
    assert rules.below_satisfaction(3999, 5000)
