"""Importing consent tallies from the product's template: preview with row messages, then all or nothing."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from clusters import importing as consent_import
from clusters.models import ConsentBatch
from lianchun import clock as product_clock
from tests.exports.factories import consulting_cluster, rare_villages


def _days_ago(days: int) -> str:
    import datetime

    return (product_clock.today() - datetime.timedelta(days=days)).isoformat()


def _chinese_days_ago(days: int) -> str:
    import datetime

    day = product_clock.today() - datetime.timedelta(days=days)
    return f"{day.year}年{day.month}月{day.day}日"


def _cluster(cadre):
    villages = rare_villages(cadre.township, ["东圩村", "西畈村"])
    cluster = consulting_cluster(cadre, villages, name="坳口联村")
    from clusters import services

    for survey in cluster.surveys.all():
        services.set_forms_handed_out(survey=survey, handed_out=100, by=cadre)
    return cluster, villages


def _filled(cadre, rows_by_code) -> bytes:
    """The template with counts filled in: {code: [date, returned, agree, disagree, invalid]}."""
    book = load_workbook(io.BytesIO(consent_import.build_template(cadre)))
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(min_row=3):
        values = rows_by_code.get(row[2].value)
        if values:
            for offset, value in enumerate(values):
                sheet.cell(row=row[0].row, column=5 + offset, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, content):
    response = client.post(reverse("clusters:consent-import"), {"file": io.BytesIO(content)}, format="multipart")
    return response


def test_template_lists_the_member_villages_in_consultation(cadre_a):
    cluster, villages = _cluster(cadre_a)
    sheet = load_workbook(io.BytesIO(consent_import.build_template(cadre_a))).worksheets[0]
    codes = [row[2].value for row in sheet.iter_rows(min_row=3) if row[2].value]
    assert codes == sorted(v.code for v in villages)
    assert sheet.cell(row=3, column=3).number_format == "@"


def test_preview_then_confirm_records_every_batch(login, cadre_a, clock):
    cluster, villages = _cluster(cadre_a)
    content = _filled(
        cadre_a,
        {villages[0].code: [_days_ago(3), 90, 85, 3, 2], villages[1].code: [_chinese_days_ago(2), 50, 30, 20, 0]},
    )
    client = login(cadre_a)
    file = io.BytesIO(content)
    file.name = "统计.xlsx"
    response = client.post(reverse("clusters:consent-import"), {"file": file})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    page = preview.content.decode()
    assert "2 批将被登记" in page or "东圩村" in page
    assert ConsentBatch.objects.count() == 0
    confirm = client.post(response["Location"] + "confirm/")
    assert confirm.status_code == 302
    batches = ConsentBatch.objects.order_by("survey__village__code")
    assert [(b.survey.village.name, b.returned, b.agree) for b in batches] == [("东圩村", 90, 85), ("西畈村", 50, 30)]


def test_a_bad_row_is_named_and_nothing_is_saved(cadre_a):
    cluster, villages = _cluster(cadre_a)
    content = _filled(
        cadre_a, {villages[0].code: [_days_ago(3), 90, 85, 3, 2], villages[1].code: [_days_ago(3), 50, 30, 10, 0]}
    )
    plan = consent_import.plan_import(content, user=cadre_a)
    assert not plan.is_valid
    assert [(p.row, p.column) for p in plan.problems] == [(4, "F（收回份数）")]
    assert "30" in plan.problems[0].message and "50" in plan.problems[0].message
    applied = consent_import.apply_import(content, user=cadre_a, file_name="x.xlsx")
    assert not applied.is_valid
    assert ConsentBatch.objects.count() == 0


def test_more_returned_than_handed_out_is_refused(cadre_a):
    cluster, villages = _cluster(cadre_a)
    content = _filled(cadre_a, {villages[0].code: [_days_ago(3), 101, 101, 0, 0]})
    plan = consent_import.plan_import(content, user=cadre_a)
    assert len(plan.problems) == 1 and "100" in plan.problems[0].message


def test_another_townships_village_is_refused(cadre_a, cadre_b, village_b):
    _cluster(cadre_a)
    content = _filled(cadre_a, {})
    book = load_workbook(io.BytesIO(content))
    book.worksheets[0].append(["马园镇", "x", village_b.code, village_b.name, _days_ago(3), 1, 1, 0, 0])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = consent_import.plan_import(buffer.getvalue(), user=cadre_a)
    assert [p.column for p in plan.problems] == ["C（村(社区)代码）"]


def test_not_a_workbook_gets_a_chinese_message(login, cadre_a):
    client = login(cadre_a)
    file = io.BytesIO(b"a,b,c\n1,2,3\n")
    file.name = "统计.xlsx"
    response = client.post(reverse("clusters:consent-import"), {"file": file})
    assert response.status_code == 200
    assert "Excel" in response.content.decode()
    assert ConsentBatch.objects.count() == 0


def test_other_township_cannot_open_the_preview(login, cadre_a, cadre_b):
    from clusters.models import ConsentUpload

    upload = ConsentUpload.objects.create(
        uploaded_by=cadre_a, township=cadre_a.township, file_name="x.xlsx", content=b"x"
    )
    assert login(cadre_b).get(reverse("clusters:consent-preview", args=[upload.pk])).status_code == 404


def test_a_row_dated_before_the_consultation_is_named_in_the_preview(cadre_a):
    cluster, villages = _cluster(cadre_a)
    import datetime

    from clusters.selectors import consultation_began

    before = consultation_began(cluster) - datetime.timedelta(days=1)
    content = _filled(cadre_a, {villages[0].code: [before.isoformat(), 10, 9, 1, 0]})
    plan = consent_import.plan_import(content, user=cadre_a)
    assert not plan.is_valid
    assert [p.row for p in plan.problems] == [3]
    assert consultation_began(cluster).isoformat() in plan.problems[0].message
    assert ConsentBatch.objects.count() == 0


def test_an_oversized_workbook_is_refused_as_a_consent_tally_sheet_not_a_roster(login, cadre_a, settings):
    import zipfile

    settings.XLSX_UNPACKED_MAX_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (2 * 1024 * 1024))
    file = io.BytesIO(buffer.getvalue())
    file.name = "统计.xlsx"
    page = login(cadre_a).post(reverse("clusters:consent-import"), {"file": file}).content.decode()
    assert "远超正常征求意见表统计表的大小" in page
    assert "名册" not in page
    assert ConsentBatch.objects.count() == 0
