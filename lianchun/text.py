"""The characters no record keeps, wherever its text comes from (a form, an imported workbook).

Control characters other than tab and newline (pasted from office software), the C1 controls (U+0080–U+009F:
NEL and others that arrive from old encodings) and the bidirectional overrides and isolates (U+202A–U+202E,
U+2066–U+2069), which can show a name in a list or an export reversed ("invoice‮fdp.exe").
"""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def without_controls(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def chinese_date(day: datetime.date) -> str:
    """A day as the product writes it to people, in pages, files and record names: 2026年12月2日."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_datetime(moment: datetime.datetime) -> str:
    """A moment in the county's time, as people read it: 2026年7月6日 12:00."""
    local = timezone.localtime(moment)
    return f"{chinese_date(local.date())} {local:%H:%M}"
