"""Statistical division codes (统计用区划代码): 12 digits, 6 county + 3 township + 3 village."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CODE_LENGTH = 12

ERRORS = {
    "empty": _("The division code is empty."),
    "not_digits": _("The division code must contain digits only, got “%(value)s”."),
    "length": _("The division code must have 12 digits, got %(length)s (“%(value)s”)."),
    "county_level": _("A county code ends with six zeros (e.g. 370781000000)."),
    "township_level": _("A township code ends with three zeros and has a non-zero township part."),
    "village_level": _("A village code must not end with 000."),
    "village_prefix": _("The village code %(code)s does not start with its township's nine digits %(prefix)s."),
    "township_prefix": _("The township code %(code)s does not start with its county's six digits %(prefix)s."),
}

_SCIENTIFIC = re.compile(r"^[+]?\d+(\.\d+)?[eE][+]?\d+$")
_WHOLE_DECIMAL = re.compile(r"\d+\.0+")
_WHITE_SPACE = re.compile(r"\s+")


def normalize_code(raw: Any) -> str:
    """The code as 12-character text, whatever a spreadsheet made of it.

    Accepts ints, floats (370781101201.0), scientific text (3.70781101201E+11),
    full-width digits and spaces (NFKC), and surrounding white space.
    """
    if raw is None:
        return ""
    if raw.__class__ is str and raw.isdigit() and raw.isascii():  # already plain digits: the usual cell
        return raw
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        if raw.is_integer():
            return str(int(raw))
        return repr(raw)
    text = unicodedata.normalize("NFKC", str(raw))
    text = _WHITE_SPACE.sub("", text)
    if _SCIENTIFIC.match(text) or _WHOLE_DECIMAL.fullmatch(text):
        try:
            value = Decimal(text)
        except InvalidOperation:
            return text
        if value == value.to_integral_value():
            return str(int(value))
    return text


def township_code_of(raw: Any) -> str:
    """A township code as 12 digits: the common 9-digit form (379901101) gains its three zeros."""
    code = normalize_code(raw)
    if len(code) == 9 and code.isdigit() and code.isascii():
        return code + "000"
    return code


def validate_code_format(code: str) -> None:
    if not code:
        raise ValidationError(ERRORS["empty"], code="empty")
    if not code.isdigit() or not code.isascii():
        raise ValidationError(ERRORS["not_digits"], code="not_digits", params={"value": code})
    if len(code) != CODE_LENGTH:
        raise ValidationError(ERRORS["length"], code="length", params={"length": len(code), "value": code})


def validate_county_code(code: str) -> None:
    validate_code_format(code)
    if not code.endswith("000000") or code[:6] == "000000":
        raise ValidationError(ERRORS["county_level"], code="county_level")


def validate_township_code(code: str, county_code: str | None = None) -> None:
    validate_code_format(code)
    if not code.endswith("000") or code[6:9] == "000":
        raise ValidationError(ERRORS["township_level"], code="township_level")
    if county_code and not code.startswith(county_code[:6]):
        raise ValidationError(
            ERRORS["township_prefix"], code="township_prefix", params={"code": code, "prefix": county_code[:6]}
        )


def validate_village_code(code: str, township_code: str | None = None) -> None:
    validate_code_format(code)
    if code.endswith("000"):
        raise ValidationError(ERRORS["village_level"], code="village_level")
    if township_code and not code.startswith(township_code[:9]):
        raise ValidationError(
            ERRORS["village_prefix"], code="village_prefix", params={"code": code, "prefix": township_code[:9]}
        )
