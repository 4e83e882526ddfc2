"""Phone numbers at their edges: which are kept, and that a mask never shows more than it hides (pure functions)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lianchun.phones import is_phone_number, mask_phone


@pytest.mark.parametrize("number", ["13812345678", "19912345678", "0551-1234567", "05511234567", "010-12345678"])
def test_a_mobile_or_a_landline_with_its_area_code_is_a_number(number):
    assert is_phone_number(number) and is_phone_number(f" {number} ")


@pytest.mark.parametrize(
    "text",
    ["", "1381234", "1381234567", "138123456789", "23812345678", "551-1234567", "0551-123", "0551--1234567", "138x"],
)
def test_a_short_long_or_lettered_number_is_not(text):
    assert not is_phone_number(text)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("1381234", "****234"),
        ("0551-1234567", "05******4567"),
        ("1234", "**34"),
        ("12", "*2"),
        ("1", "*"),
        ("", ""),
    ],
)
def test_phone_numbers_are_masked_in_lists(phone, masked):
    assert mask_phone(phone) == masked


@given(st.text(alphabet="0123456789-", max_size=30))
def test_a_mask_keeps_the_length_and_never_shows_more_than_it_hides(phone):
    masked = mask_phone(phone)
    shown = len(masked) - masked.count("*")
    assert len(masked) == len(phone)
    if is_phone_number(phone) and phone.startswith("1"):  # a mobile: the national 3 + 4, hiding the middle four
        assert masked == phone[:3] + "****" + phone[-4:]
    else:
        assert shown <= len(phone) - shown
