"""One rate formatter: truncated (the default, every rate that reports against a rule) or half up like Excel."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lianchun.rates import HALF_UP, format_rate, rate_fraction, rate_tenths


def test_truncated_rates_never_round_up():
    assert format_rate(7996, 10000) == "79.9%"
    assert format_rate(2, 3) == "66.6%"
    assert format_rate(1, 1) == "100.0%"
    assert format_rate(0, 0) == "—"
    assert rate_fraction(799, 1000) == 0.799
    assert rate_fraction(3, 0) is None


def test_half_up_rounds_as_excels_round():
    # Excel: =ROUND(2/3*100, 1) → 66.7; =ROUND(0.6665*100, 1) → 66.7 (half away from zero); 1/8 → 12.5.
    assert format_rate(2, 3, rounding=HALF_UP) == "66.7%"
    assert format_rate(6665, 10000, rounding=HALF_UP) == "66.7%"
    assert format_rate(6664, 10000, rounding=HALF_UP) == "66.6%"
    assert format_rate(1, 8, rounding=HALF_UP) == "12.5%"
    assert format_rate(7996, 10000, rounding=HALF_UP) == "80.0%"
    assert rate_fraction(2, 3, rounding=HALF_UP) == 0.667


def test_nonsense_is_refused():
    with pytest.raises(ValueError):
        rate_tenths(-1, 3)
    with pytest.raises(ValueError):
        rate_tenths(1, 3, rounding="banker")


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_both_agree_with_exact_arithmetic(part, whole):
    exact = part * 1000 / whole
    truncated = rate_tenths(part, whole)
    rounded = rate_tenths(part, whole, rounding=HALF_UP)
    assert truncated <= exact < truncated + 1
    assert rounded - 0.5 <= exact < rounded + 0.5
