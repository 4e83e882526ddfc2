"""Rates on the first screens as a clerk's Excel shows them: one decimal, rounded half up (ROUND(x, 1)).

The consent rate is the exception: it decides a rule (seed 000, ≥ 80%), so it stays truncated
(`clusters.consent.format_rate`) and is never shown rounded up.
"""

from __future__ import annotations

from functools import partial

from lianchun import rates

format_rate = partial(rates.format_rate, rounding=rates.HALF_UP)
