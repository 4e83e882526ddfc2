"""Rates shown as a percentage with one decimal, computed in integers (no float drift).

Two ways to keep one decimal, chosen by the caller:

- `TRUNCATE` (the default): 79.96% shows as 79.9%. A rate that decides a rule is never rounded up
  (DOMAIN.md: never show 80.0% for 79.96%): the consent rate (clusters) and the assessments' rule rates.
  Where such a rate stands next to rounded ones it is labelled as truncated (`AGREE_RATE_LABEL`).
- `HALF_UP`: 66.65% shows as 66.7%, as Excel's ROUND(x, 1) does (half away from zero; rates are never
  negative). Every rate that only describes uses it, on pages, in workbooks and in PDFs alike
  (`describe`, `describe_fraction`): reporting and on-time rates, coverage shares, returned rate,
  the 台账 solved share — a reader checks them against a spreadsheet.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TRUNCATE = "truncate"
HALF_UP = "half_up"
EMPTY = "—"


def rate_tenths(part: int, whole: int, *, rounding: str = TRUNCATE) -> int | None:
    """part ÷ whole in tenths of a percent (799 means 79.9%); None when the whole is zero."""
    if whole <= 0:
        return None
    if part < 0:
        raise ValueError("a rate's part cannot be negative")
    if rounding == HALF_UP:
        return (part * 2000 + whole) // (2 * whole)
    if rounding != TRUNCATE:
        raise ValueError(f"unknown rounding {rounding!r}")
    return part * 1000 // whole


def format_rate(part: int, whole: int, *, rounding: str = TRUNCATE) -> str:
    """ "79.9%"; "—" when nothing was expected."""
    tenths = rate_tenths(part, whole, rounding=rounding)
    if tenths is None:
        return EMPTY
    return f"{tenths // 10}.{tenths % 10}%"


def rate_fraction(part: int, whole: int, *, rounding: str = TRUNCATE) -> float | None:
    """The same rate as a fraction for a spreadsheet cell formatted 0.0% (0.799 shows 79.9%)."""
    tenths = rate_tenths(part, whole, rounding=rounding)
    return None if tenths is None else tenths / 1000


def describe(part: int, whole: int) -> str:
    """A descriptive rate as Excel's ROUND(x, 1) shows it: 2 of 3 → "66.7%"."""
    return format_rate(part, whole, rounding=HALF_UP)


def describe_fraction(part: int, whole: int) -> float | None:
    """The same descriptive rate for a spreadsheet cell formatted 0.0% (2 of 3 → 0.667)."""
    return rate_fraction(part, whole, rounding=HALF_UP)


# The consent rate's heading wherever it stands next to rounded rates (pages and files): it is truncated.
AGREE_RATE_LABEL = _("Agree rate (truncated, not rounded)")
