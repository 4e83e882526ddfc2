"""County workbooks: the layout county offices file, streamed with openpyxl's write-only mode.

Each sheet has a merged title row, the reporting unit and date line, a frozen
bold header, set column widths, and real values: numbers as numbers, dates as
dates, rates as numbers with a percentage format, division codes as text ("@").

User text goes through `lianchun.spreadsheets.text_cell` whenever it could be
read as a formula (it starts with =, +, - or @); openpyxl stores every other
string as a plain string cell, exactly as text_cell would, without building a
cell object per value. Styled columns reuse one cell per column: write-only
rows are serialised as soon as they are appended, so the cell is free again.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from lianchun.spreadsheets import FORMULA_PREFIXES, text_cell

TEXT = "text"
CODE = "code"
INT = "int"
DECIMAL = "decimal"
DATE = "date"
PERCENT = "percent"

NUMBER_FORMATS = {CODE: "@", DECIMAL: "#,##0.00", DATE: "yyyy-mm-dd", PERCENT: "0.0%"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_thin = Side(style="thin", color="808080")
HEADER_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)


@dataclass(frozen=True)
class Column:
    header: Any
    kind: str = TEXT
    width: float = 12


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def rate_value(part: int, whole: int) -> float | None:
    """part ÷ whole as a fraction truncated to tenths of a percent (0.7996 → 0.799, shown 79.9%)."""
    if whole <= 0:
        return None
    return (part * 1000 // whole) / 1000


_SAMPLES = {CODE: "0", DECIMAL: 0.0, DATE: datetime.date(2000, 1, 1), PERCENT: 0.0}


def _code_setter(slot: WriteOnlyCell):
    def set_code(value: Any) -> WriteOnlyCell:
        slot._value = str(value)
        return slot

    return set_code


def _number_setter(slot: WriteOnlyCell):
    def set_number(value: Any) -> WriteOnlyCell:
        slot._value = float(value) if isinstance(value, Decimal) else value
        return slot

    return set_number


def _date_setter(slot: WriteOnlyCell):
    def set_date(value: Any) -> WriteOnlyCell:
        slot._value = value
        return slot

    return set_date


_SETTERS = {CODE: _code_setter, DECIMAL: _number_setter, PERCENT: _number_setter, DATE: _date_setter}


class WorkbookWriter:
    """One workbook of county sheets, written row by row."""

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)

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
    ) -> int:
        """Write one sheet; returns the number of data rows written."""
        sheet = self.workbook.create_sheet(title=name[:31])
        width = len(columns)
        last = get_column_letter(width)
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A4"
        sheet.print_title_rows = "3:3"
        sheet.page_setup.orientation = "landscape" if width > 7 else "portrait"
        sheet.page_setup.paperSize = "9"  # A4
        sheet.merged_cells.add(f"A1:{last}1")
        sheet.merged_cells.add(f"A2:{last}2")
        sheet.row_dimensions[1].height = 30

        title_cell = text_cell(sheet, title)
        title_cell.font = Font(bold=True, size=16)
        title_cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.append([title_cell])
        unit_cell = text_cell(sheet, f"填报单位：{unit}　　数据截至：{chinese_date(as_of)}")
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

        convert = self._row_converter(sheet, columns)
        count = 0
        for row in rows:
            sheet.append(convert(row))
            count += 1
        if note:
            sheet.append([])
            sheet.append([text_cell(sheet, note)])
        return count

    @staticmethod
    def _row_converter(sheet: Any, columns: Sequence[Column]):
        """One function turning a row of values into cells, specialised to the sheet's column kinds.

        Text passes through as a plain string unless it could be read as a formula (then text_cell);
        numbers pass through; codes, dates, percentages and amounts reuse one styled cell per column,
        whose value is set directly (its data type is fixed by the column).
        """

        def text(value: Any) -> Any:
            if value is None:
                return None
            value = str(value)
            return text_cell(sheet, value) if value.startswith(FORMULA_PREFIXES) else value

        env: dict[str, Any] = {"P": FORMULA_PREFIXES, "tx": text, "Decimal": Decimal}
        parts = []
        for index, column in enumerate(columns):
            value = f"r[{index}]"
            if column.kind == TEXT:
                parts.append(f"({value} if {value}.__class__ is str and not {value}.startswith(P) else tx({value}))")
            elif column.kind == INT:
                parts.append(value)
            elif column.kind in NUMBER_FORMATS:
                slot = WriteOnlyCell(sheet, value=_SAMPLES[column.kind])
                slot.number_format = NUMBER_FORMATS[column.kind]
                env[f"s{index}"] = slot
                env[f"f{index}"] = _SETTERS[column.kind](slot)
                parts.append(f"(None if {value} is None else f{index}({value}))")
            else:
                raise ValueError(f"unknown column kind {column.kind!r}")
        source = "def convert(r):\n    return [" + ", ".join(parts) + "]\n"
        exec(compile(source, "<exports.xlsx row>", "exec"), env)  # noqa: S102 - generated from column kinds only
        return env["convert"]

    def to_bytes(self) -> bytes:
        if not self.workbook.worksheets:
            self.workbook.create_sheet("空")
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()
