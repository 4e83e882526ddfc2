"""The consent rule at its edges, and properties of its arithmetic (pure functions, no database)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from clusters import consent

counts = st.integers(min_value=0, max_value=10**7)


def test_exactly_eighty_percent_passes():
    assert consent.passes(800, 1000, 80)
    assert consent.passes(4, 5, 80)
    assert consent.forms_needed(800, 1000, 80) == 0


def test_one_form_short_fails_and_needs_one_more():
    assert not consent.passes(799, 1000, 80)
    assert consent.forms_needed(799, 1000, 80) == 1
    assert not consent.passes(3, 5, 80)
    assert consent.forms_needed(3, 5, 80) == 1


def test_zero_forms_handed_out_never_passes():
    assert not consent.passes(0, 0, 80)
    assert consent.format_rate(0, 0) == "—"
    assert consent.forms_needed(0, 0, 80) == 0


def test_rates_are_truncated_never_rounded_up_across_the_line():
    assert consent.format_rate(799, 1000) == "79.9%"
    assert consent.format_rate(7999, 10000) == "79.9%"
    assert consent.format_rate(7996, 10000) == "79.9%"
    assert consent.format_rate(800, 1000) == "80.0%"
    assert consent.format_rate(2, 3) == "66.6%"
    assert consent.format_rate(1, 1) == "100.0%"


def test_a_large_village_cannot_outvote_a_small_one():
    big = consent.Tally(handed_out=1000).plus(1000, 1000, 0, 0)
    small = consent.Tally(handed_out=100).plus(100, 50, 50, 0)
    assert (big.agree + small.agree) * 100 >= 80 * (big.handed_out + small.handed_out)  # 95% together
    assert big.passes and not small.passes


def test_threshold_comes_from_the_setting(settings):
    settings.CONSENT_THRESHOLD_PERCENT = 90
    assert not consent.passes(85, 100)
    assert consent.forms_needed(85, 100) == 5


def test_can_no_longer_reach_when_outstanding_forms_are_too_few():
    # 100 handed out, 90 back, 70 agree: even 10 more agreeing make 80 → still possible.
    assert consent.can_still_pass(70, 90, 100, 80)
    # 69 agree: 79 at most → can no longer reach.
    assert not consent.can_still_pass(69, 90, 100, 80)


@given(agree=counts, handed_out=counts, percent=st.integers(min_value=1, max_value=100))
def test_passes_matches_exact_fraction_comparison(agree, handed_out, percent):
    from fractions import Fraction

    expected = handed_out > 0 and Fraction(agree, handed_out) >= Fraction(percent, 100)
    assert consent.passes(agree, handed_out, percent) == expected


@given(
    agree=counts, handed_out=st.integers(min_value=1, max_value=10**7), percent=st.integers(min_value=1, max_value=100)
)
def test_forms_needed_is_the_smallest_number_that_passes(agree, handed_out, percent):
    needed = consent.forms_needed(agree, handed_out, percent)
    assert consent.passes(agree + needed, handed_out, percent)
    if needed > 0:
        assert not consent.passes(agree + needed - 1, handed_out, percent)


@given(part=counts, whole=st.integers(min_value=1, max_value=10**7))
def test_displayed_rate_never_exceeds_the_true_rate(part, whole):
    shown = consent.format_rate(part, whole)
    integer, decimal = shown.rstrip("%").split(".")
    tenths = int(integer) * 10 + int(decimal)
    assert tenths * whole <= part * 1000 < (tenths + 1) * whole


@given(agree=counts, handed_out=st.integers(min_value=1, max_value=10**7))
def test_a_failing_rate_is_never_shown_as_eighty(agree, handed_out):
    if not consent.passes(agree, handed_out, 80):
        assert consent.rate_tenths(agree, handed_out) < 800


@given(
    returned=st.integers(min_value=-5, max_value=500),
    agree=st.integers(min_value=-5, max_value=500),
    disagree=st.integers(min_value=-5, max_value=500),
    invalid=st.integers(min_value=-5, max_value=500),
    already=st.integers(min_value=0, max_value=500),
    handed_out=st.integers(min_value=0, max_value=1000),
)
def test_batch_validation_accepts_exactly_the_possible_batches(returned, agree, disagree, invalid, already, handed_out):
    possible = (
        min(returned, agree, disagree, invalid) >= 0
        and agree + disagree + invalid == returned
        and returned > 0
        and already + returned <= handed_out
    )
    try:
        consent.validate_batch(
            returned=returned,
            agree=agree,
            disagree=disagree,
            invalid=invalid,
            already_returned=already,
            handed_out=handed_out,
        )
    except ValidationError as error:
        assert not possible
        assert error.code in {"negative_count", "counts_do_not_add_up", "empty_batch", "returned_exceeds_handed_out"}
    else:
        assert possible


@given(
    parts=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50)), max_size=20),
    handed_out=st.integers(0, 2000),
)
def test_accepted_batches_never_add_up_to_more_than_handed_out(parts, handed_out):
    tally = consent.Tally(handed_out=handed_out)
    for agree, disagree, invalid in parts:
        returned = agree + disagree + invalid
        try:
            consent.validate_batch(
                returned=returned,
                agree=agree,
                disagree=disagree,
                invalid=invalid,
                already_returned=tally.returned,
                handed_out=handed_out,
            )
        except ValidationError:
            continue
        tally = tally.plus(returned, agree, disagree, invalid)
    assert tally.returned <= handed_out
    assert tally.agree + tally.disagree + tally.invalid == tally.returned
