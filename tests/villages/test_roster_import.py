"""Roster import: preview with row-level problems, then all rows or none."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lianchun import clock
from lianchun.downloads import XLSX_CONTENT_TYPE
from lianchun.uploads import check_xlsx_upload
from villages import importing
from villages.models import StandingChange, Village

HEADER = [
    "乡镇代码",
    "乡镇名称",
    "村(社区)代码",
    "村(社区)名称",
    "户数",
    "户籍人口",
    "党员数",
    "村集体经济收入(元)",
    "类别(先进/一般/后进)",
    "软弱涣散(是/否)",
]


def workbook_bytes(rows, title=True, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["清河县城关镇村(社区)名册"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append(["填报单位：城关镇", None, None, "日期：2026-11-20"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(
    code="379901101202",
    name="新村",
    township="379901101000",
    township_name="城关镇",
    households=300,
    population=1000,
    members=30,
    income=50000,
    standing="一般",
    weak="否",
):
    return [township, township_name, code, name, households, population, members, income, standing, weak]


@pytest.fixture
def townships(township_a, township_b):
    return township_a, township_b


def problems_of(plan):
    return [(p.row, p.column, p.message) for p in plan.problems]


def test_template_is_a_workbook_with_chinese_headers_and_an_example():
    sheet = load_workbook(io.BytesIO(importing.build_template())).active
    assert sheet["A1"].value == "村(社区)名册"
    assert [c.value for c in sheet[2]] == importing.TEMPLATE_HEADERS
    assert sheet["C3"].value == "370781101201"


def test_both_templates_download_as_dated_chinese_workbooks_no_copy_kept(client, cadre_a):
    day = clock.today().strftime("%Y%m%d")
    client.force_login(cadre_a)
    for name, expected in [
        ("villages:roster-template", "村名册模板"),
        ("clusters:consent-template", "征求意见统计模板"),
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX_CONTENT_TYPE
        assert f"{expected}{day}.xlsx" in unquote(response["Content-Disposition"]), name
        assert "no-store" in response["Cache-Control"]
        assert load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]["A1"].value


def test_a_clean_roster_under_a_merged_title_imports_every_row(townships, cadre_a):
    content = workbook_bytes([row(), row(code="379901101203", name="东村")])
    plan = importing.apply_import(content, user=cadre_a, file_name="名册.xlsx")
    assert plan.is_valid
    assert set(Village.objects.values_list("name", flat=True)) == {"新村", "东村"}
    village = Village.objects.get(code="379901101202")
    assert village.history.first().history_user == cadre_a


def test_messy_cells_are_cleaned(townships, cadre_a):
    content = workbook_bytes(
        [
            [" 379901101000 ", "城关镇 ", 3.79901101202e11, "新村  ", "３００", " 1,000 ", "30", "5万", "一般 ", "否"],
            [None, None, "3.79901101203E+11", "东村", 200, 800, 20, 0, None, None],
            [None, None, None, None, None, None, None, None, None, None],
            ["", " ", "", "", "", "", "", "", "", ""],
        ]
    )
    plan = importing.apply_import(content, user=cadre_a, file_name="名册.xlsx")
    assert plan.is_valid, problems_of(plan)
    village = Village.objects.get(code="379901101202")
    assert (village.name, village.households, village.population, int(village.collective_income)) == (
        "新村",
        300,
        1000,
        50000,
    )
    assert Village.objects.filter(code="379901101203").exists()


def test_a_name_imported_with_a_direction_override_is_kept_without_it(townships, cadre_a):
    """A workbook's cells are cleaned of the characters a form's text is (lianchun.text): a right-to-left
    override would show the name reversed in lists and exports."""
    content = workbook_bytes([row(name="新\u202e村\x85")])
    plan = importing.apply_import(content, user=cadre_a, file_name="名册.xlsx")
    assert plan.is_valid, problems_of(plan)
    assert Village.objects.get(code="379901101202").name == "新村"


def test_one_bad_row_saves_nothing_and_names_row_and_column(townships, cadre_a):
    content = workbook_bytes(
        [row(), row(code="37990110120", name="短码村"), row(code="379901101204", households="很多")]
    )
    plan = importing.apply_import(content, user=cadre_a, file_name="名册.xlsx")
    assert not plan.is_valid
    found = problems_of(plan)
    assert (5, "C（村（社区）代码）", "区划代码应为 12 位数字，实际为 11 位（“37990110120”）。") in found
    assert any(r == 6 and column.startswith("E") and "不是整数" in message for r, column, message in found)
    assert not Village.objects.exists(), "nothing may be half-saved"


def test_duplicate_codes_inside_the_file_are_reported(townships, cadre_a):
    plan = importing.plan_import(workbook_bytes([row(), row(name="重复村")]), user=cadre_a)
    assert problems_of(plan) == [(5, "C（村（社区）代码）", "代码 379901101202 与第 4 行重复。")]


def test_unknown_township_is_reported(townships, county_office):
    plan = importing.plan_import(
        workbook_bytes([row(code="379901199201", township="379901199000")]), user=county_office
    )
    assert len(plan.problems) == 1
    assert "乡镇 379901199000 不存在" in plan.problems[0].message
    assert plan.problems[0].column.startswith("A")


def test_a_cadre_cannot_import_another_townships_village(townships, cadre_a):
    plan = importing.plan_import(
        workbook_bytes([row(code="379901102205", township="379901102000", township_name="马园镇")]), user=cadre_a
    )
    assert "属于其他乡镇" in plan.problems[0].message


def test_reimporting_the_same_file_changes_nothing(townships, county_office):
    content = workbook_bytes(
        [row(standing="后进"), row(code="379901102203", township="379901102000", township_name="马园镇")]
    )
    importing.apply_import(content, user=county_office, file_name="a.xlsx")
    history_rows = sum(v.history.count() for v in Village.objects.all())
    changes = StandingChange.objects.count()
    plan = importing.apply_import(content, user=county_office, file_name="a.xlsx")
    assert plan.is_valid and len(plan.unchanged_rows) == 2 and not plan.new_rows and not plan.changed_rows
    assert sum(v.history.count() for v in Village.objects.all()) == history_rows
    assert StandingChange.objects.count() == changes


def test_a_changed_row_updates_the_village_by_code(townships, county_office):
    importing.apply_import(workbook_bytes([row()]), user=county_office, file_name="a.xlsx")
    plan = importing.apply_import(
        workbook_bytes([row(households=333, standing="后进")]), user=county_office, file_name="b.xlsx"
    )
    assert [r.code for r in plan.changed_rows] == ["379901101202"]
    village = Village.objects.get(code="379901101202")
    assert village.households == 333 and village.standing == "lagging"
    change = StandingChange.objects.get(village=village)
    assert change.recorded_by == county_office and "b.xlsx" in change.reason


def test_a_missing_header_is_a_sheet_problem(townships, cadre_a):
    plan = importing.plan_import(workbook_bytes([["a", "b"]], header=["甲", "乙"]), user=cadre_a)
    assert "未找到表头" in plan.sheet_problem


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_an_xls_file_is_refused_before_parsing():
    with pytest.raises(ValidationError) as error:
        check_xlsx_upload(upload("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100))
    assert error.value.code == "xls"


def test_a_csv_renamed_to_xlsx_is_refused():
    with pytest.raises(ValidationError) as error:
        check_xlsx_upload(upload("list.xlsx", "代码,名称\n1,2\n".encode()))
    assert error.value.code == "not_xlsx"


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.XLSX_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        check_xlsx_upload(upload("big.xlsx", b"PK\x03\x04" + b"0" * 2000))
    assert error.value.code == "too_large"


def test_a_zip_bomb_is_refused_before_openpyxl_sees_it(settings):
    settings.XLSX_UNPACKED_MAX_BYTES = 10 * 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < 100 * 1024
    with pytest.raises(ValidationError) as error:
        check_xlsx_upload(upload("bomb.xlsx", content))
    assert error.value.code == "unpacked_too_large"


def test_a_macro_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/vbaProject.bin", b"macro")
    with pytest.raises(ValidationError) as error:
        check_xlsx_upload(upload("m.xlsx", buffer.getvalue()))
    assert error.value.code == "xlsm"


def test_defusedxml_guards_openpyxl():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


def test_upload_page_shows_the_problem_instead_of_failing(login, cadre_a, townships):
    client = login(cadre_a)
    response = client.post("/villages/roster/import/", {"file": upload("a.xlsx", b"not a zip")})
    assert response.status_code == 200
    assert "不是 Excel .xlsx 工作簿" in response.content.decode()


def test_upload_preview_confirm_through_the_pages(login, cadre_a, townships):
    client = login(cadre_a)
    response = client.post("/villages/roster/import/", {"file": upload("名册.xlsx", workbook_bytes([row()]))})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "新增 1 个" in preview.content.decode()
    assert not Village.objects.exists()
    confirm = client.post(response["Location"] + "confirm/")
    assert confirm.status_code == 302
    assert Village.objects.filter(code="379901101202").exists()
    # An applied upload cannot be applied twice.
    assert client.post(response["Location"] + "confirm/").status_code == 404


def test_a_figure_its_column_cannot_hold_refuses_its_row_not_the_page(townships, cadre_a):
    """An income of 10¹³ yuan passed the preview and made the confirm step a server error."""
    content = workbook_bytes([row(), row(code="379901101203", name="东村", income=10**13)])
    plan = importing.apply_import(content, user=cadre_a, file_name="名册.xlsx")
    assert not plan.is_valid
    assert [problem[0] for problem in problems_of(plan)] == [5]
    assert not Village.objects.filter(code__in=["379901101202", "379901101203"]).exists()
