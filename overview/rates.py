"""Rates as a clerk's Excel shows them: one decimal, rounded half up (ROUND(x, 1)).

The consent rate is the exception: it decides a rule (seed 000, ≥ 80%), so it stays truncated
(`clusters.consent.format_rate`) and is never shown rounded up.
"""

from __future__ import annotations


def tenths_half_up(part: int, whole: int) -> int | None:
    """part ÷ whole in tenths of a percent, rounded half up, in integers (no float error); None for 0 ÷ 0."""
    if whole <= 0:
        return None
    return (part * 2000 + whole) // (2 * whole)


def format_rate(part: int, whole: int) -> str:
    tenths = tenths_half_up(part, whole)
    if tenths is None:
        return "—"
    return f"{tenths // 10}.{tenths % 10}%"
