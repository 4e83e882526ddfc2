"""Phone numbers of the people the records name: which numbers are kept, and how lists show them.

A number is one a cadre can dial from the county: a mobile (11 digits starting with 1, as 13812345678)
or a landline with its area code (0 and two or three more digits, then a local number of 7 or 8 digits,
with or without a hyphen: 0551-1234567, 05511234567, 010-12345678). Pure functions, no database.
"""

from __future__ import annotations

import re

MOBILE = re.compile(r"1\d{10}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")
MASK = "*"
TAIL = 4  # the last digits, by which people tell numbers apart (尾号)


def is_phone_number(text: str) -> bool:
    """True for a mobile or a landline with its area code; surrounding spaces are ignored."""
    text = (text or "").strip()
    return bool(MOBILE.fullmatch(text) or LANDLINE.fullmatch(text))


def mask_phone(phone: str) -> str:
    """A number as lists show it, each hidden character a `*`, the number's length kept.

    A mobile as it is masked everywhere in China: its first three digits (the carrier) and its last four,
    13812345678 → 138****5678. Any other number shows at most half of itself (the last four digits first,
    then its first ones): 0551-1234567 → 05******4567, 1381234 → ****234, so no number, whatever its length or
    whatever older data holds, is shown whole or made to look like a mobile.
    """
    phone = (phone or "").strip()
    if MOBILE.fullmatch(phone):
        return phone[:3] + MASK * 4 + phone[-TAIL:]
    shown = len(phone) // 2
    tail = min(shown, TAIL)
    head = shown - tail
    return phone[:head] + MASK * (len(phone) - shown) + phone[len(phone) - tail :]
