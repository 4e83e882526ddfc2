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
