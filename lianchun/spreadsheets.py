"""Reading and writing cells the way county spreadsheets need.

`text_cell` is the one function that writes user text to a sheet as its own
cell: text that starts with =, +, - or @ is stored as a string cell so Excel
and LibreOffice show it and never run it as a formula. `sheet_text` cleans any
text before it reaches a sheet: characters an XML file cannot hold (the C0
controls other than tab, newline and carriage return, which Word and
PowerPoint leave behind in pasted text; lone surrogates; U+FFFE/U+FFFF) are
removed, and text is cut at Excel's 32,767 characters per cell. Whatever is
already stored, no text can make a workbook fail to save or open.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.cell import WriteOnlyCell

from .text import without_controls

FORMULA_PREFIXES = ("=", "+", "-", "@")
EXCEL_CELL_MAX_CHARS = 32767

# What XML 1.0 (and so a workbook or an HTML page fed to the PDF renderer) cannot hold.
ILLEGAL_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def sheet_text(value: Any) -> str:
    """`value` as text any workbook can hold."""
    text = "" if value is None else str(value)
    text = ILLEGAL_XML_CHARS.sub("", text)
    return text[:EXCEL_CELL_MAX_CHARS]


def text_cell(sheet: Any, value: Any, style: Any = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=sheet_text(value))
    cell.data_type = "s"
    if style is not None:
        cell.style = style
    return cell


_WHITE_SPACE = re.compile(r"\s+")


def clean_text(value: Any) -> str:
    """Cell text with full-width characters folded (NFKC) and white space trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # The characters no record keeps (lianchun.text), as a form's text is cleaned of them.
    text = without_controls(unicodedata.normalize("NFKC", value if value.__class__ is str else str(value)))
    return _WHITE_SPACE.sub(" ", text).strip()


def header_key(value: Any) -> str:
    """A header cell reduced for matching: no spaces, no brackets' width differences."""
    return re.sub(r"\s+", "", clean_text(value))


class CellError(ValueError):
    pass


def parse_int(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(value)
        return int(value)
    text = clean_text(value).replace(",", "")
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        return int(Decimal(text))
    raise CellError(value)


def parse_decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(value)
    if isinstance(value, (int, float)):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = clean_text(value).replace(",", "").replace("元", "").replace("万", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(value) from None
    if "万" in clean_text(value):
        number *= 10000
    return number.quantize(Decimal("0.01"))


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
]


def parse_date(value: Any) -> datetime.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_text(value).replace(" ", "")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                raise CellError(value) from None
    raise CellError(value)


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
