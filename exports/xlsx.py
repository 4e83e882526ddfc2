"""The workbook writer: the layout county offices file, streamed with openpyxl's write-only mode.

Each sheet has a merged title row, a line with the reporting unit, the period
covered and the date, a bold header with borders, set column widths, and real
values: numbers as numbers, dates as dates, rates as numbers with a percentage
format, division codes as text ("@"). Every sheet prints on A4, landscape when
wide, fitted to the page width, with the title and header repeated on every
page, thin borders and "第 1 页 共 3 页" in the footer.

All text passes through `lianchun.spreadsheets`: characters a workbook cannot
hold are removed and text that could be read as a formula is stored as a
string cell, so nothing a user typed can break a download or run in Excel.
Data rows go through `sheet.append` and openpyxl's public cell API only. A
value openpyxl's own type inference already stores as its column wants (a
number in a column without a number format, a date in a date column, text that
cannot be read as a formula or an error value) is appended as it is; a value
that needs the column's number format or a forced string type is put into a
cell prepared once per column, which every row reuses (write-only rows are
serialised as soon as they are appended). The styled cells cost what openpyxl
charges for any styled cell, so the writer is somewhat slower than bare
openpyxl writing the same unformatted values (`make bench` prints the ratio).
The data borders come from one conditional format over the data range rather
than a style on every cell, which would halve the speed.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from operator import call
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lianchun.spreadsheets import EXCEL_CELL_MAX_CHARS, ILLEGAL_XML_CHARS, sheet_text, text_cell
from lianchun.text import chinese_date

TEXT = "text"
CODE = "code"
INT = "int"
# A figure shown as the page shows it, 1 or 2.5 (Excel's General format), not padded to two decimals.
NUMBER = "number"
DECIMAL = "decimal"
DATE = "date"
PERCENT = "percent"

# Dates read as the product writes them everywhere else, 2026年12月2日 (`chinese_date`), and stay real dates.
CHINESE_DATE_FORMAT = 'yyyy"年"m"月"d"日"'
NUMBER_FORMATS = {CODE: "@", DECIMAL: "#,##0.00", DATE: CHINESE_DATE_FORMAT, PERCENT: "0.0%"}
FOOTER = "第 &P 页 共 &N 页"
# Sum of column widths (in characters) above which a sheet prints landscape: A4 portrait holds about 95.
PORTRAIT_MAX_WIDTH = 95
# Text openpyxl would store as a formula ("=…") or an error value ("#N/A"): it goes in as a string cell.
_INFERRED_AS_NOT_TEXT = ("=", "#")
SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})

_thin = Side(style="thin", color="808080")
THIN_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_BORDER = THIN_BORDER


@dataclass(frozen=True)
class Column:
    header: Any
    kind: str = TEXT
    width: float = 12
    # Where a record's value comes from, for the sheets `exports.sheets` declares: a dotted path or a function.
    value: str | Callable[[Any], Any] = ""

    def of(self, value: str | Callable[[Any], Any]) -> Column:
        """This column (heading, kind, width) with its values taken from `value`."""
        return replace(self, value=value)


def rate_value(part: int, whole: int) -> float | None:
    """part ÷ whole as a fraction truncated to tenths of a percent (0.7996 → 0.799, shown 79.9%)."""
    if whole <= 0:
        return None
    return (part * 1000 // whole) / 1000


def _text_of(value: Any) -> str:
    """`value` as text a workbook can hold, with a quick path for the usual text that needs no cleaning.

    Every character XML cannot hold is a control, a surrogate or a noncharacter, none of which `str.isprintable`
    accepts, so printable text skips the regex search; text with a tab or newline still takes it.
    """
    text = value if value.__class__ is str else str(value)
    if (text.isprintable() or ILLEGAL_XML_CHARS.search(text) is None) and len(text) <= EXCEL_CELL_MAX_CHARS:
        return text
    return sheet_text(text)


def _column_values(sheet: Any, kind: str) -> Callable[[Any], Any]:
    """The function turning one value of a column of `kind` into what `sheet.append` is given for it.

    Where openpyxl's own type inference stores the value as the column wants (a number in a column without a
    number format, text that cannot be read as a formula or an error code), the value itself goes through.
    Otherwise the value is put into a cell prepared once for the column: its number format set, or its type
    forced to a string. Write-only rows are serialised as soon as they are appended, so the same cell can carry
    the column's value in every row. Text is always a string cell (never a formula), cleaned of what XML cannot
    hold. A value of an unexpected type gets a fresh cell, so it cannot leave its type on the prepared one.
    """
    if kind not in (TEXT, INT, NUMBER) and kind not in NUMBER_FORMATS:
        raise ValueError(f"unknown column kind {kind!r}")
    number_format = NUMBER_FORMATS.get(kind)

    def prepared() -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet)
        if number_format is not None:
            cell.number_format = number_format
        return cell

    text_slot = prepared()

    def text(value: Any) -> Any:
        if value is None:
            return None
        content = _text_of(value)
        if number_format is None and content[:1] not in _INFERRED_AS_NOT_TEXT:
            return content
        text_slot.value = content
        text_slot.data_type = "s"
        return text_slot

    if kind == TEXT or kind == CODE:
        return text
    if number_format is None:  # INT, NUMBER: openpyxl stores numbers (and dates) as they are

        def plain(value: Any) -> Any:
            type_ = value.__class__
            if type_ is int or value is None:
                return value
            if type_ is str:  # text in a number column is still only text
                return text(value)
            return float(value) if type_ is Decimal else value

        return plain

    number_slot = prepared()
    # openpyxl would give a date its own yyyy-mm-dd: a date takes the prepared cell, with the column's format.
    slotted = (int, float, datetime.date) if kind == DATE else (int, float)

    def number(value: Any) -> Any:
        type_ = value.__class__
        if value is None:
            return value
        if type_ in slotted:
            number_slot.value = value
            return number_slot
        if type_ is str:
            return text(value)
        cell = prepared()
        cell.value = float(value) if type_ is Decimal else value
        return cell

    return number


class WorkbookWriter:
    """One workbook of county sheets, written row by row; `on_sheet(count)` hears of each finished sheet."""

    def __init__(self, on_sheet: Callable[[int], None] | None = None) -> None:
        self.workbook = Workbook(write_only=True)
        self.on_sheet = on_sheet

    def add_sheet(
        self,
        *,
        name: str,
        title: str,
        unit: str,
        as_of: datetime.date,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        note: str = "",
        period: str = "",
    ) -> int:
        """Write one sheet; returns the number of data rows written. `period` is the range the figures cover."""
        sheet = self.workbook.create_sheet(title=sheet_text(name).translate(SHEET_NAME_FORBIDDEN)[:31])
        width = len(columns)
        last = get_column_letter(width)
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        self._print_setup(sheet, columns)
        sheet.merged_cells.add(f"A1:{last}1")
        sheet.merged_cells.add(f"A2:{last}2")
        sheet.row_dimensions[1].height = 30

        title_cell = text_cell(sheet, title)
        title_cell.font = Font(bold=True, size=16)
        title_cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.append([title_cell])
        line = f"填报单位：{unit}"
        if period:
            line += f"　　统计范围：{period}"
        line += f"　　数据截至：{chinese_date(as_of)}"
        unit_cell = text_cell(sheet, line)
        unit_cell.alignment = Alignment(horizontal="left")
        sheet.append([unit_cell])
        header = []
        for column in columns:
            cell = text_cell(sheet, column.header)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = HEADER_BORDER
            header.append(cell)
        sheet.append(header)

        count = 0
        converters = [_column_values(sheet, column.kind) for column in columns]
        for row in rows:  # a short row leaves the rest empty
            sheet.append(list(map(call, converters, row)))
            count += 1
        if count:
            sheet.conditional_formatting.add(
                f"A4:{last}{3 + count}", FormulaRule(formula=["TRUE"], border=THIN_BORDER, stopIfTrue=False)
            )
        if note:
            sheet.append([])
            sheet.append([text_cell(sheet, note)])
        if self.on_sheet is not None:
            self.on_sheet(len(self.workbook.worksheets))
        return count

    @staticmethod
    def _print_setup(sheet: Any, columns: Sequence[Column]) -> None:
        sheet.freeze_panes = "A4"
        sheet.print_title_rows = "1:3"
        wide = sum(column.width for column in columns) > PORTRAIT_MAX_WIDTH
        sheet.page_setup.orientation = "landscape" if wide else "portrait"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.print_options.horizontalCentered = True
        sheet.oddFooter.center.text = FOOTER
        sheet.evenFooter.center.text = FOOTER

    def to_bytes(self) -> bytes:
        if not self.workbook.worksheets:
            self.workbook.create_sheet("空")
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()
