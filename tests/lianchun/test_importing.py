"""The import framework: streaming read with a row limit, header detection, stored preview, import once, cleanup."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
import threading
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from openpyxl import Workbook

from lianchun import importing
from lianchun.importing import DATE, INT, YES_NO, Field, Spec
from tests.villages.test_roster_import import row, workbook_bytes
from villages import importing as roster_importing
from villages.models import RosterUpload, Village

SPEC = Spec(
    [
        Field("name", "名称", ("名称", "村名"), required=True),
        Field("count", "户数", ("户数",), INT),
        Field("day", "日期", ("日期",), DATE),
        Field("weak", "软弱涣散", ("软弱涣散",), YES_NO),
    ],
    missing_header="没有表头（前 %(rows)s 行）",
)


def sheet_bytes(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("表")
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def townships(township_a, township_b):
    return township_a, township_b


def test_header_is_found_below_title_rows_by_its_aliases():
    content = sheet_bytes([["某县村名册"], ["填报单位：城关镇"], [None, "村名", "户数"], [None, "东村", "３００"]])
    sheet = importing.read_sheet(content, SPEC)
    assert sheet.sheet_problem == ""
    assert [(r.number, r.values) for r in sheet.rows] == [(4, {"name": "东村", "count": 300})]
    assert sheet.label("count") == "C（户数）"


def test_cells_are_typed_and_problems_named_by_row_and_column():
    content = sheet_bytes(
        [
            ["名称", "户数", "日期", "软弱涣散"],
            ["甲村", "很多", "2026年3月5日", "是"],
            ["乙村", -3, "2026-13-01", "也许"],
        ]
    )
    sheet = importing.read_sheet(content, SPEC)
    first, second = sheet.rows
    assert first.values == {"name": "甲村", "day": datetime.date(2026, 3, 5), "weak": True}
    assert [(p.row, p.column) for p in first.problems] == [(2, "B（户数）")]
    assert "不是整数" in first.problems[0].message
    assert [(p.row, p.column) for p in second.problems] == [(3, "B（户数）"), (3, "C（日期）"), (3, "D（软弱涣散）")]


def test_a_sheet_without_the_header_names_the_rows_searched():
    sheet = importing.read_sheet(sheet_bytes([["甲", "乙"]] * 20), SPEC)
    assert sheet.sheet_problem == "没有表头（前 10 行）"


def test_reading_stops_at_the_row_limit(settings):
    settings.XLSX_MAX_ROWS = 50
    rows = [["名称", "户数"]] + [[f"村{n}", n] for n in range(500)]
    sheet = importing.read_sheet(sheet_bytes(rows), SPEC)
    assert sheet.rows == []
    assert sheet.sheet_problem == "工作表超过 50 行；一次最多导入 50 行。请拆分为多个文件。"


def test_a_wrong_dimension_in_the_file_does_not_truncate_the_rows():
    content = sheet_bytes([["名称", "户数"]] + [[f"村{n}", n] for n in range(30)])
    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<dimension ref=\"[^\"]*\"\s*/>", b'<dimension ref="A1:B3"/>', data)
                if b"<dimension" not in data:
                    data = data.replace(b"<sheetData>", b'<dimension ref="A1:B3"/><sheetData>', 1)
            new.writestr(info, data)
    assert len(importing.read_sheet(target.getvalue(), SPEC).rows) == 30


def test_nine_digit_township_codes_are_accepted(townships, cadre_a):
    plan = roster_importing.plan_import(
        workbook_bytes([row(township=379901101), row(code="379901101203", township="379901101")]), user=cadre_a
    )
    assert plan.is_valid, [(p.row, p.column, p.message) for p in plan.problems]
    assert len(plan.new_rows) == 2


def test_a_township_code_of_another_township_is_still_refused(townships, cadre_a):
    plan = roster_importing.plan_import(workbook_bytes([row(township="379901102")]), user=cadre_a)
    assert [p.column for p in plan.problems] == ["A（乡镇代码）"]
    assert "379901101000" in plan.problems[0].message


def _store(user, content) -> RosterUpload:
    return roster_importing.roster.store_upload(SimpleUploadedFile("名册.xlsx", content), user=user)


def test_the_preview_is_read_once_and_stored_with_the_upload(townships, cadre_a):
    upload = _store(cadre_a, workbook_bytes([row(), row(code="379901101203", name="东村")]))
    RosterUpload.objects.filter(pk=upload.pk).update(content=b"the file is not read again")
    upload.refresh_from_db()
    plan = roster_importing.roster.preview(upload, user=cadre_a)
    assert [r.values["name"] for r in plan.new_rows] == ["新村", "东村"]


def test_an_oversized_sheet_is_refused_at_upload_and_nothing_is_stored(townships, cadre_a, settings):
    settings.XLSX_MAX_ROWS = 20
    with pytest.raises(Exception) as error:
        _store(cadre_a, workbook_bytes([row(code=f"3799011012{n:02d}") for n in range(10, 60)]))
    assert "一次最多导入 20 行" in error.value.messages[0]
    assert not RosterUpload.objects.exists()


def test_confirming_twice_imports_once(townships, cadre_a):
    upload = _store(cadre_a, workbook_bytes([row()]))
    plan = roster_importing.roster.confirm(upload, user=cadre_a)
    assert plan.is_valid
    with pytest.raises(importing.AlreadyImported):
        roster_importing.roster.confirm(upload, user=cadre_a)
    assert Village.objects.filter(code="379901101202").count() == 1
    assert Village.objects.get(code="379901101202").history.count() == 1


def test_a_refused_confirmation_keeps_the_upload_for_another_try(townships, county_office):
    from tests.factories import TownshipFactory

    content = workbook_bytes([row(code="379901103201", township="379901103000", township_name="新设镇")])
    upload = _store(county_office, content)
    refused = roster_importing.roster.confirm(upload, user=county_office)
    assert not refused.is_valid and "379901103000" in refused.problems[0].message
    TownshipFactory(county=county_office.county, code="379901103000", name="新设镇")
    assert roster_importing.roster.confirm(upload, user=county_office).is_valid
    assert Village.objects.filter(code="379901103201").exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirmations_import_once(township_a, township_b, cadre_a):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers in one process; the race needs PostgreSQL")
    upload = _store(cadre_a, workbook_bytes([row(), row(code="379901101203", name="东村")]))
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def confirm():
        from django.db import connections

        start.wait()
        try:
            roster_importing.roster.confirm(RosterUpload.objects.get(pk=upload.pk), user=cadre_a)
            outcomes.append("imported")
        except importing.AlreadyImported:
            outcomes.append("already")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already", "imported"]
    assert Village.objects.filter(code__in=["379901101202", "379901101203"]).count() == 2
    assert sum(v.history.count() for v in Village.objects.all()) == 2


def test_purge_removes_only_old_uploads_and_only_when_told(townships, cadre_a, clock):
    old = _store(cadre_a, workbook_bytes([row()]))
    RosterUpload.objects.filter(pk=old.pk).update(created_at=clock.now() - datetime.timedelta(days=8))
    recent = _store(cadre_a, workbook_bytes([row()]))
    out = io.StringIO()
    call_command("purge_uploads", stdout=out)
    assert RosterUpload.objects.count() == 2
    assert "1 villages.RosterUpload" in out.getvalue()
    call_command("purge_uploads", "--commit", stdout=io.StringIO())
    assert list(RosterUpload.objects.values_list("pk", flat=True)) == [recent.pk]
    call_command("purge_uploads", "--commit", "--days", "0", stdout=io.StringIO())
    assert not RosterUpload.objects.exists()


def test_an_upload_is_dated_by_the_product_clock(townships, cadre_a, clock):
    """Uploads are kept for a week by the product's clock, so they are dated by it too: an upload stored on a
    day the clock was moved to is not taken for a month-old one."""
    clock.travel(datetime.timedelta(days=30))
    upload = _store(cadre_a, workbook_bytes([row()]))
    assert abs(upload.created_at - clock.now()) < datetime.timedelta(minutes=1)
    out = io.StringIO()
    call_command("purge_uploads", stdout=out)
    assert "0 villages.RosterUpload" in out.getvalue()


def test_no_record_of_ours_is_dated_by_the_machine_clock_instead_of_the_products():
    from django.apps import apps
    from django.db import models

    ours = {"accounts", "assessments", "attachments", "clusters", "exports", "lianchun", "meetings"}
    ours |= {"notifications", "rectification", "reports", "villages"}
    machine_dated = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in ours
        for field in model._meta.get_fields()
        if isinstance(field, models.DateField) and (getattr(field, "auto_now", False) or field.auto_now_add)
    ]
    assert machine_dated == []


def _normal_mode_book() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["花名册"])
    sheet.merge_cells("A1:D1")
    sheet.append(["名称", "户数", "日期", "软弱涣散"])
    sheet.append(["杨圩村", 320, datetime.date(2026, 3, 5), "否"])
    sheet.append(["白畈村", 3.0, datetime.datetime(2026, 3, 6, 0, 0), "是"])  # noqa: DTZ001 - Excel keeps no time zone
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


EXPECTED = [
    (3, {"name": "杨圩村", "count": 320, "day": datetime.date(2026, 3, 5), "weak": False}),
    (4, {"name": "白畈村", "count": 3, "day": datetime.date(2026, 3, 6), "weak": True}),
]


def test_shared_strings_numbers_and_date_cells_are_read_as_excel_shows_them():
    sheet = importing.read_sheet(_normal_mode_book(), SPEC)
    assert [(r.number, r.values) for r in sheet.rows] == EXPECTED


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_workbook_saved_by_libreoffice_reads_the_same(tmp_path):
    source = tmp_path / "in" / "花名册.xlsx"
    source.parent.mkdir()
    source.write_bytes(_normal_mode_book())
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    sheet = importing.read_sheet((tmp_path / "花名册.xlsx").read_bytes(), SPEC)
    assert [(r.number, r.values) for r in sheet.rows] == EXPECTED
