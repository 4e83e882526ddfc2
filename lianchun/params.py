"""Query parameters read safely: a hand-edited address gets a default, never a server error."""

from __future__ import annotations

import re

_ASCII_DIGITS = re.compile(r"^[0-9]{1,18}$")


def int_param(value: str | None) -> int | None:
    """A non-negative id from ASCII digits that fits the database's 64-bit integers; None otherwise.

    str.isdigit() accepts full-width and other Unicode digits, and int() then
    builds numbers too large for SQLite and PostgreSQL to compare.
    """
    if value is None or not _ASCII_DIGITS.match(value):
        return None
    return int(value)
