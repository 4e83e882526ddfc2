"""The workbook writer: text a workbook cannot hold is cleaned, and every sheet is ready to print."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from exports.xlsx import CODE, INT, TEXT, Column, WorkbookWriter
from lianchun.spreadsheets import EXCEL_CELL_MAX_CHARS, sheet_text

DAY = datetime.date(2026, 3, 5)


def _book(columns, rows, **kwargs) -> bytes:
    writer = WorkbookWriter()
    writer.add_sheet(name="测试", title="测试表", unit="清河县", as_of=DAY, columns=columns, rows=rows, **kwargs)
    return writer.to_bytes()


def test_control_characters_pasted_from_office_software_are_removed():
    pasted = "第一段\x0b第二段\x0c\x01完\ufffe"
    content = _book([Column("进展", TEXT), Column("代码", CODE)], [[pasted, "3799\x0b01101201"], ["=1\x0b", None]])
    sheet = load_workbook(io.BytesIO(content))["测试"]
    assert sheet["A4"].value == "第一段第二段完"
    assert sheet["B4"].value == "379901101201"
    assert sheet["A5"].value == "=1" and sheet["A5"].data_type == "s"


def test_text_is_cut_at_the_excel_cell_limit():
    assert len(sheet_text("长" * (EXCEL_CELL_MAX_CHARS + 10))) == EXCEL_CELL_MAX_CHARS
    content = _book([Column("进展", TEXT)], [["长" * (EXCEL_CELL_MAX_CHARS + 10)]])
    assert len(load_workbook(io.BytesIO(content))["测试"]["A4"].value) == EXCEL_CELL_MAX_CHARS


def test_sheet_prints_on_a4_fitted_to_width_with_repeated_header_and_page_numbers():
    wide = [Column(f"列{n}", TEXT, 14) for n in range(9)]
    content = _book(wide, [["内容"] * 9 for _ in range(5)], period="2026-W01 至 2026-W08")
    sheet = load_workbook(io.BytesIO(content))["测试"]
    assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$3"
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert "统计范围：2026-W01 至 2026-W08" in sheet["A2"].value
    assert sheet["A3"].border.left.style == "thin"
    (rule,) = [r for rng in sheet.conditional_formatting for r in rng.rules]
    assert rule.dxf.border.left.style == "thin"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b'sqref="A4:I8"' in archive.read("xl/worksheets/sheet1.xml")


def test_narrow_sheet_prints_portrait():
    content = _book([Column("名称", TEXT, 20), Column("数", INT, 8)], [["甲", 1]])
    assert load_workbook(io.BytesIO(content))["测试"].page_setup.orientation == "portrait"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_a_long_sheet_with_page_numbers_on_every_page(tmp_path):
    columns = [Column("乡镇", TEXT, 12), Column("进展", TEXT, 60), Column("数", INT, 8), Column("备注", TEXT, 30)]
    rows = [["城关镇", f"第{n}行\x0b走访农户，召开院坝议事会。", n, "无"] for n in range(300)]
    path = tmp_path / "long.xlsx"
    path.write_bytes(_book(columns, rows))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    text = subprocess.run(["pdftotext", str(tmp_path / "long.pdf"), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {len(pages)} 页" in page
        assert "进展" in page  # the header row is repeated on every page


def _naive(day: datetime.date, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute))  # what a workbook holds: no time zone


def test_each_column_keeps_its_format_whatever_type_a_row_brings():
    from decimal import Decimal

    from exports.xlsx import DATE, DECIMAL, PERCENT

    columns = [
        Column("代码", CODE),
        Column("数", INT),
        Column("日期", DATE),
        Column("比例", PERCENT),
        Column("金额", DECIMAL),
        Column("说明", TEXT),
    ]
    rows = [
        [370781101201, "=1+1", DAY, 0.5, Decimal("12.50"), 7],
        ["370781101202", 3, _naive(datetime.date(2026, 3, 6), 8, 30), None, 3, "#N/A"],
        [None, datetime.date(2026, 1, 2), "未定", 1, None],  # a short row leaves the rest empty
        ["370781101203", 4, DAY, 0.25, Decimal("1"), "末行"],
    ]
    content = _book(columns, rows)
    sheet = load_workbook(io.BytesIO(content))["测试"]
    assert [c.value for c in sheet["A"][3:]] == ["370781101201", "370781101202", None, "370781101203"]
    assert all(c.number_format == "@" for c in sheet["A"][3:] if c.value is not None)
    assert sheet["B4"].value == "=1+1" and sheet["B4"].data_type == "s"  # text in a number column is never a formula
    assert sheet["B5"].value == 3 and sheet["B5"].number_format == "General"
    assert sheet["B6"].value == _naive(datetime.date(2026, 1, 2)) and sheet["B6"].is_date
    assert sheet["B7"].value == 4 and sheet["B7"].number_format == "General"  # the date above left no format behind
    assert sheet["C4"].value == _naive(DAY) and sheet["C4"].number_format == 'yyyy"年"m"月"d"日"'
    assert sheet["C5"].value == _naive(datetime.date(2026, 3, 6), 8, 30)
    assert sheet["C6"].value == "未定" and sheet["C6"].data_type == "s"
    assert sheet["C7"].value == _naive(DAY) and sheet["C7"].number_format == 'yyyy"年"m"月"d"日"'
    assert (sheet["D4"].value, sheet["D4"].number_format) == (0.5, "0.0%")
    assert sheet["D5"].value is None
    assert (sheet["D6"].value, sheet["D6"].number_format) == (1, "0.0%")
    assert (sheet["E4"].value, sheet["E4"].number_format) == (12.5, "#,##0.00")
    assert (sheet["E5"].value, sheet["E5"].number_format) == (3, "#,##0.00")
    assert sheet["F4"].value == "7" and sheet["F5"].value == "#N/A" and sheet["F5"].data_type == "s"
    assert sheet["F6"].value is None and sheet["F7"].value == "末行"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_every_row_keeps_its_own_values_although_each_column_reuses_one_prepared_cell():
    from exports.xlsx import DECIMAL, PERCENT

    columns = [Column("代码", CODE), Column("比例", PERCENT), Column("金额", DECIMAL), Column("说明", TEXT)]
    rows = [[f"37078110120{n}", n / 10, n * 1.5, f"=A{n}+1"] for n in range(1, 8)]
    sheet = load_workbook(io.BytesIO(_book(columns, rows)))["测试"]
    for n, row in enumerate(sheet.iter_rows(min_row=4), start=1):
        assert [c.value for c in row] == [f"37078110120{n}", n / 10, n * 1.5, f"=A{n}+1"]
        assert [c.number_format for c in row[:3]] == ["@", "0.0%", "#,##0.00"]
        assert row[3].data_type == "s"  # each row's text stays text, never a formula
