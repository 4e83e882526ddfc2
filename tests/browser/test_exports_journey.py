"""The county office downloads the county workbook and the on-site summary from the 报表下载 page."""

from __future__ import annotations

import io
import os

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.exports import pdfcheck
from tests.exports.factories import RARE_VILLAGE_NAMES, county_with_clusters

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_office_downloads_the_workbook_and_the_summary(
    page, log_in, live_server, cadre_a, county_office, artifacts_dir
):
    county_with_clusters(cadre_a, county_office, names=RARE_VILLAGE_NAMES[:3], name_prefix="杨圩畈联村")
    log_in(county_office)
    page.get_by_role("link", name="报表下载").first.click()
    expect(page.get_by_role("heading", name="报表下载")).to_be_visible()
    expect(page.get_by_text("杨圩畈联村1")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "exports_index.png"))

    with page.expect_download() as download_info:
        page.get_by_role("link", name="联村工作汇总工作簿（.xlsx）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert "联村花名册" in book.sheetnames

    with page.expect_download() as download_info:
        page.get_by_role("link", name="现场会汇总材料（PDF）").click()
    data = open(download_info.value.path(), "rb").read()
    text = pdfcheck.compact(pdfcheck.text_of(data))
    assert "清河县联村自治工作情况汇总" in text and "杨圩村" in text

    with page.expect_download() as download_info:
        page.get_by_role("link", name="概况").first.click()
    assert download_info.value.suggested_filename.endswith(".pdf")


def test_cadre_sees_only_its_own_clusters_on_the_downloads_page(
    page, log_in, live_server, cadre_a, cadre_b, county_office
):
    county_with_clusters(cadre_a, county_office, name_prefix="城关联村")
    county_with_clusters(cadre_b, county_office, name_prefix="马园联村")
    log_in(cadre_b)
    page.goto(f"{live_server.url}/exports/")
    expect(page.get_by_text("马园联村1")).to_be_visible()
    assert page.get_by_text("城关联村1").count() == 0


def test_cadre_imports_consent_tallies_after_fixing_a_bad_row(
    page, log_in, live_server, cadre_a, tmp_path, artifacts_dir
):
    from clusters import services
    from clusters.models import ConsentBatch
    from tests.clusters.test_consent_import import _days_ago, _filled
    from tests.exports.factories import consulting_cluster, rare_villages

    villages = rare_villages(cadre_a.township, ["东圩村", "西畈村"])
    cluster = consulting_cluster(cadre_a, villages, name="坳口联村")
    for survey in cluster.surveys.all():
        services.set_forms_handed_out(survey=survey, handed_out=100, by=cadre_a)
    log_in(cadre_a)
    page.goto(f"{live_server.url}/exports/")
    page.get_by_role("link", name="导入征求意见统计").click()

    bad = tmp_path / "统计.xlsx"
    bad.write_bytes(
        _filled(
            cadre_a, {villages[0].code: [_days_ago(2), 90, 85, 3, 2], villages[1].code: [_days_ago(2), 50, 30, 10, 0]}
        )
    )
    page.get_by_label("征求意见统计表（.xlsx）").set_input_files(str(bad))
    page.get_by_role("button", name="上传并预览").click()
    problems = page.locator("#problems")
    expect(problems).to_be_visible()
    assert "第 4 行" in problems.inner_text() and "收回份数" in problems.inner_text()
    assert ConsentBatch.objects.count() == 0

    page.get_by_role("link", name="上传改正后的文件").click()
    good = tmp_path / "统计2.xlsx"
    good.write_bytes(
        _filled(
            cadre_a, {villages[0].code: [_days_ago(2), 90, 85, 3, 2], villages[1].code: [_days_ago(2), 50, 30, 20, 0]}
        )
    )
    page.get_by_label("征求意见统计表（.xlsx）").set_input_files(str(good))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("#batches")).to_be_visible()
    assert "尚差" in page.content()  # 西畈村: 30 of 100 agree, still short
    page.screenshot(path=os.path.join(artifacts_dir, "exports_consent_preview.png"))
    page.get_by_role("button", name="确认并登记全部批次").click()
    expect(page.get_by_text("已登记2批征求意见表。")).to_be_visible()
    assert ConsentBatch.objects.count() == 2
