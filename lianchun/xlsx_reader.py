"""A streaming reader of an xlsx workbook's first sheet: values row by row, in constant memory, stopping when told.

openpyxl's read-only mode parses sheets with the pure-Python ElementTree when
defusedxml is installed (about 1 ms a row), and reads a whole sheet that has
no <dimension> element once before the first row comes. An import only needs
values: this reader parses the sheet with lxml's iterparse (C, entities not
resolved, no network, no DTD), looks up shared strings, turns date-formatted
numbers into dates, and frees each row once read, so refusing a file five
times the row limit costs the limit's rows, not the file's.

Callers check the archive first (`lianchun.uploads.check_xlsx_bytes`: size,
zip bombs, macros); what a value means is the importer's business.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from typing import Any

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
ROW = f"{{{MAIN}}}row"
CELL = f"{{{MAIN}}}c"
VALUE = f"{{{MAIN}}}v"
TEXT = f"{{{MAIN}}}t"
INLINE = f"{{{MAIN}}}is"
PHONETIC = f"{{{MAIN}}}rPh"
SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


class UnreadableWorkbook(ValueError):
    pass


def _parse(archive: zipfile.ZipFile, name: str) -> Any:
    with archive.open(name) as handle:
        return etree.parse(handle, etree.XMLParser(**SAFE))


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, bool]:
    """The path of the first sheet and whether dates count from 1904."""
    workbook = _parse(archive, "xl/workbook.xml").getroot()
    properties = workbook.find(f"{{{MAIN}}}workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    sheet = workbook.find(f"{{{MAIN}}}sheets/{{{MAIN}}}sheet")
    if sheet is None:
        raise UnreadableWorkbook("no sheet")
    rel_id = sheet.get(f"{{{REL}}}id")
    rels = _parse(archive, "xl/_rels/workbook.xml.rels").getroot()
    for rel in rels.iter(f"{{{PACKAGE_REL}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            return path, date1904
    raise UnreadableWorkbook("sheet not found")


def _text_of(element: Any) -> str:
    """The text of a shared or inline string: every <t> run, phonetic guides left out."""
    if len(element) == 1 and element[0].tag == TEXT:  # plain text, no rich runs: the common case
        return element[0].text or ""
    return "".join(t.text or "" for t in element.iter(TEXT) if t.getparent().tag != PHONETIC)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    with archive.open("xl/sharedStrings.xml") as handle:
        for _event, item in etree.iterparse(handle, events=("end",), tag=f"{{{MAIN}}}si", **SAFE):
            strings.append(_text_of(item))
            item.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """The indexes of cell formats (the `s` attribute of a cell) that show a date."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    styles = _parse(archive, "xl/styles.xml").getroot()
    custom = {
        int(fmt.get("numFmtId")): fmt.get("formatCode", "")
        for fmt in styles.iterfind(f"{{{MAIN}}}numFmts/{{{MAIN}}}numFmt")
    }
    dates = set()
    for index, xf in enumerate(styles.iterfind(f"{{{MAIN}}}cellXfs/{{{MAIN}}}xf")):
        number_format = int(xf.get("numFmtId", "0"))
        code = custom.get(number_format, BUILTIN_FORMATS.get(number_format, ""))
        if code and is_date_format(code):
            dates.add(index)
    return dates


_DIGITS = "0123456789"


def _column_of(reference: str, known: dict[str, int]) -> int:
    """The column number of a cell reference ("C12" → 3); `known` remembers the letters already seen."""
    letters = reference.rstrip(_DIGITS)
    column = known.get(letters)
    if column is None:
        column = known[letters] = column_index_from_string(letters) if letters else 0
    return column


def _number(raw: str) -> Any:
    """A numeric cell's value: whole numbers written without a point or exponent as int, others as float."""
    if raw.isdigit() and raw.isascii():
        return int(raw)
    number: Any = float(raw)
    if number.is_integer() and "E" not in raw and "e" not in raw and "." not in raw:
        number = int(raw)
    return number


def iter_rows(content: bytes, *, max_columns: int) -> Iterator[tuple[int, tuple]]:
    """(row number, values of the first `max_columns` columns) for every row the first sheet holds."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        path, date1904 = _first_sheet(archive)
        strings = _shared_strings(archive)
        date_styles = _date_styles(archive)
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as error:
        raise UnreadableWorkbook(str(error)) from None
    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    date_style_ids = {str(index) for index in date_styles}
    columns: dict[str, int] = {}
    with archive.open(path) as handle:
        last_number = 0
        for _event, row in etree.iterparse(handle, events=("end",), tag=ROW, **SAFE):
            number = int(row.get("r") or last_number + 1)
            last_number = number
            values: list[Any] = [None] * max_columns
            position = 0
            for cell in row.iterchildren(CELL):
                reference = cell.get("r")
                if reference:
                    column = columns.get(reference.rstrip(_DIGITS)) or _column_of(reference, columns)
                else:
                    column = position + 1
                position = column
                if column > max_columns:
                    continue
                kind = cell.get("t")
                if kind == "inlineStr":
                    inline = next(cell.iterchildren(INLINE), None)
                    values[column - 1] = _text_of(inline) if inline is not None else None
                    continue
                # The value element: the children are filtered by lxml itself, cheaper than a path search per cell.
                raw = None
                for child in cell.iterchildren(VALUE):
                    raw = child.text
                    break
                if raw is None:
                    continue
                if kind == "s":
                    values[column - 1] = strings[int(raw)]
                elif kind in ("str", "e"):
                    values[column - 1] = raw
                elif kind == "b":
                    values[column - 1] = raw == "1"
                else:
                    number_value = int(raw) if raw.isdigit() and raw.isascii() else _number(raw)
                    if date_style_ids and cell.get("s", "0") in date_style_ids:
                        try:
                            number_value = from_excel(number_value, epoch)
                        except (ValueError, OverflowError):
                            pass
                    values[column - 1] = number_value
            # Free the row and everything before it: memory stays flat however long the sheet is.
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]
            yield number, tuple(values)
