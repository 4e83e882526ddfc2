"""12-digit division codes, however a spreadsheet stored them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from villages.codes import normalize_code, validate_village_code


@pytest.mark.parametrize(
    "raw",
    [
        370781101201,
        370781101201.0,
        "3.70781101201E+11",
        "370781101201 ",
        " 370781101201",
        "３７０７８１１０１２０１",  # full-width digits
        "370781 101201",
        "370781101201.0",
    ],
)
def test_spreadsheet_forms_of_a_code_normalize_to_twelve_digits(raw):
    assert normalize_code(raw) == "370781101201"


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("37078110120", "length"),
        ("3707811012011", "length"),
        ("37078110120A", "not_digits"),
        ("", "empty"),
        ("370781101000", "village_level"),
    ],
)
def test_bad_village_codes_are_refused_with_a_reason(code, error_code):
    with pytest.raises(ValidationError) as error:
        validate_village_code(code)
    assert error.value.code == error_code


def test_village_code_must_start_with_its_townships_nine_digits():
    with pytest.raises(ValidationError) as error:
        validate_village_code("370781102201", "370781101000")
    assert error.value.code == "village_prefix"
    validate_village_code("370781101201", "370781101000")


@given(st.integers(min_value=100000000001, max_value=999999999999))
def test_any_twelve_digit_number_survives_a_round_trip_through_a_float(number):
    assert normalize_code(float(number)) == str(number)
    assert normalize_code(f"{float(number):.11E}") == str(number)


def test_codes_are_unique(township_a):
    from tests.factories import VillageFactory

    VillageFactory(township=township_a, code="379901101250")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        VillageFactory(township=township_a, code="379901101250")
