"""A large download made in the background: the office asks, sees it waiting, and the page shows the
link by itself once a worker has made the file (static/js/export-jobs.js polls the job's status)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.exports.factories import county_with_clusters
from tests.exports.test_jobs import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_gets_a_large_workbook_from_the_worker(page, log_in, settings, cadre_a, county_office):
    settings.EXPORT_BACKGROUND_ROWS = 0
    county_with_clusters(cadre_a, county_office, name_prefix="后台联村")
    log_in(county_office)
    page.get_by_role("link", name="报表下载").first.click()
    page.get_by_role("link", name="联村工作汇总工作簿（.xlsx）").click()
    expect(page.locator("#background-reason")).to_be_visible()
    page.get_by_role("button", name="在后台生成").click()

    row = page.locator("[data-job]").first
    expect(row.get_by_text("排队中")).to_be_visible()
    expect(row.get_by_role("progressbar")).to_be_visible()

    run_worker()
    # No reload by the test: the page's own poll notices the job finished and shows the link.
    link = row.get_by_role("link", name="下载")
    link.wait_for(state="visible", timeout=20000)
    expect(row.get_by_text("已生成")).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    book = load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read()))
    assert "分乡镇汇总" in book.sheetnames
    expect(page.locator("#nav-notifications .badge")).to_be_visible()
