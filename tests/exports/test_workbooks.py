"""County workbooks: the county layout, real types, no formulas from user text, and LibreOffice reads them."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
import uuid
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from clusters import services
from exports import registry
from tests.exports.factories import consulting_cluster, county_with_clusters, give_consent, rare_villages

INJECTION = '=HYPERLINK("http://x","点我")'


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return b"".join(response.streaming_content)


def test_county_workbook_has_the_county_layout(login, county_office, rare_cluster):
    data = _workbook(login(county_office).get(reverse("exports:workbook", args=["county"])))
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames[:4] == ["分乡镇汇总", "联村花名册", "联村干部", "群众同意率"]
    assert {"报送情况", "周报告", "一村一策整顿方案", "整改事项", "三本台账", "会议未办结问题"} <= set(book.sheetnames)
    sheet = book["联村花名册"]
    assert sheet["A1"].value == "清河县联村花名册"
    assert sheet["A1"].font.b
    assert "A1:M1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value.startswith("填报单位：清河县联村自治办公室")
    assert sheet.freeze_panes == "A4"
    assert [c.value for c in sheet[3]][:3] == ["乡镇", "联村", "形式"]
    assert sheet["A3"].font.b
    assert sheet.column_dimensions["B"].width == 18
    row = [c for c in sheet[4]]
    assert row[6].value == rare_cluster.memberships.order_by("village__code").first().village.code
    assert row[6].number_format == "@" and row[6].data_type == "s"
    assert isinstance(row[5].value, datetime.datetime)  # established on: a real date
    assert isinstance(row[9].value, int)  # households: a real number


def test_consent_rates_are_numbers_with_a_percentage_format_truncated(login, cadre_a, county_office):
    villages = rare_villages(cadre_a.township, ["东圩村", "西畈村"])
    cluster = consulting_cluster(cadre_a, villages, name="坳口联村")
    give_consent(cadre_a, cluster, {villages[0]: (1000, 799, 100, 1), villages[1]: (100, 80, 10, 0)})
    data = _workbook(login(cadre_a).get(reverse("exports:workbook", args=["consent"])))
    sheet = load_workbook(io.BytesIO(data))["群众同意率"]
    rows = {r[4].value: r for r in sheet.iter_rows(min_row=4) if r[4].value}
    assert rows["东圩村"][11].value == pytest.approx(0.799)  # 79.96% is never shown as 80.0%
    assert rows["东圩村"][11].number_format == "0.0%"
    assert rows["东圩村"][12].value == "否" and rows["东圩村"][13].value == 1
    assert rows["西畈村"][11].value == pytest.approx(0.8)
    assert rows["西畈村"][12].value == "是"


@pytest.mark.parametrize("prefix_text", [INJECTION, "+1+1", "-2+3", "@SUM(A1)", "=1+1"])
def test_user_text_that_looks_like_a_formula_stays_text(login, cadre_a, county_office, prefix_text):
    cluster = county_with_clusters(cadre_a, county_office)[0]
    services.add_officer(
        cluster=cluster, body="committee", name=prefix_text[:50], post=prefix_text[:50], unit=prefix_text, by=cadre_a
    )
    data = _workbook(login(county_office).get(reverse("exports:workbook", args=["roster"])))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    sheet = load_workbook(io.BytesIO(data))["联村干部"]
    units = [row[6].value for row in sheet.iter_rows(min_row=4)]
    assert prefix_text in units


def test_cadre_workbook_holds_only_its_own_township(login, cadre_b, county_office, rare_cluster):
    county_with_clusters(cadre_b, county_office, name_prefix="马园联村")
    data = _workbook(login(cadre_b).get(reverse("exports:workbook", args=["county"])))
    book = load_workbook(io.BytesIO(data))
    townships = {row[0].value for row in book["联村花名册"].iter_rows(min_row=4)}
    assert townships == {"马园镇"}
    assert [row[1].value for row in book["分乡镇汇总"].iter_rows(min_row=4) if len(row) > 1 and row[1].value] == [
        "马园镇",
        "合计",
    ]


def test_unknown_workbook_is_404(login, county_office):
    assert login(county_office).get(reverse("exports:workbook", args=["nothing"])).status_code == 404


def _county_workbook(user) -> bytes:
    exporter = registry.get("county")
    return exporter.render(user, exporter.form_data(user, None))[2]


def test_workbook_queries_do_not_grow_with_clusters(county_office, cadre_a, django_assert_num_queries):
    county_with_clusters(cadre_a, county_office)
    with CaptureQueriesContext(connection) as one:
        _county_workbook(county_office)
    county_with_clusters(cadre_a, county_office, clusters=20, name_prefix="又一联村")
    with django_assert_num_queries(len(one.captured_queries)):
        _county_workbook(county_office)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc-nogui) is not installed")
def test_libreoffice_reads_the_same_values(login, county_office, rare_cluster, tmp_path):
    data = _workbook(login(county_office).get(reverse("exports:workbook", args=["roster"])))
    source = tmp_path / "roster.xlsx"
    source.write_bytes(data)
    profile = f"file:///tmp/lo-profile-{uuid.uuid4().hex}"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = list(csv.reader((tmp_path / "roster.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0][0] == "清河县联村花名册"
    assert rows[2][:3] == ["乡镇", "联村", "形式"]
    book = load_workbook(io.BytesIO(data))["联村花名册"]
    expected = [[("" if c.value is None else c.value) for c in row] for row in book.iter_rows(min_row=4)]
    got = rows[3 : 3 + len(expected)]
    assert len(got) == len(expected) == 3
    for mine, theirs in zip(expected, got, strict=True):
        assert theirs[6] == mine[6]  # the division code stays 12 digits of text
        assert theirs[7] == mine[7]  # rare place-name characters survive
        assert int(theirs[9]) == mine[9]
        assert theirs[5] == f"{mine[5].year}年{mine[5].month}月{mine[5].day}日"  # as the product writes dates


def test_writer_keeps_types_and_never_writes_a_formula():
    from decimal import Decimal

    from exports.xlsx import CODE, DATE, DECIMAL, INT, PERCENT, TEXT, Column, WorkbookWriter

    writer = WorkbookWriter()
    columns = [
        Column("代码", CODE),
        Column("名称", TEXT),
        Column("数", INT),
        Column("金额", DECIMAL),
        Column("日期", DATE),
        Column("比例", PERCENT),
    ]
    rows = [
        ["=1+1", "@cmd", 3, Decimal("1234.50"), datetime.date(2026, 3, 5), 0.799],
        [None, None, None, None, None, None],
        ["379901101201", 12345, 0, Decimal("0"), datetime.date(2026, 1, 1), 1.0],
    ]
    data = writer.add_sheet(
        name="测试", title="测试", unit="清河县", as_of=datetime.date(2026, 3, 5), columns=columns, rows=rows
    )
    assert data == 3
    content = writer.to_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = load_workbook(io.BytesIO(content))["测试"]
    first, empty, last = (list(r) for r in sheet.iter_rows(min_row=4, max_row=6))
    assert [c.value for c in first[:3]] == ["=1+1", "@cmd", 3]
    assert first[0].data_type == "s" and first[0].number_format == "@"
    assert first[3].value == 1234.5 and first[3].number_format == "#,##0.00"
    assert first[4].value.date() == datetime.date(2026, 3, 5) and first[4].is_date
    assert first[5].value == pytest.approx(0.799) and first[5].number_format == "0.0%"
    assert all(c.value is None for c in empty)
    assert last[0].value == "379901101201" and last[1].value == "12345"
