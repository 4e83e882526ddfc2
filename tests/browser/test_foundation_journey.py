"""A township cadre's first visit: log in, see own villages, be refused another township's, import a roster."""

from __future__ import annotations

import io
import os

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from villages.models import Village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def roster_with_one_bad_row() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["城关镇村名册"])
    sheet.merge_cells("A1:F1")
    sheet.append(["乡镇代码", "乡镇名称", "村(社区)代码", "村(社区)名称", "户数", "户籍人口"])
    sheet.append(["379901101000", "城关镇", "379901101211", "新建村", 300, 1000])
    sheet.append(["379901101000", "城关镇", "37990110121", "短码村", 200, 700])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_cadre_sees_own_villages_is_refused_others_and_imports_a_roster(
    page, log_in, live_server, cadre_a, village_a, village_b, artifacts_dir, tmp_path
):
    log_in(cadre_a)
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.get_by_role("link", name="村（社区）").first.click()
    expect(page.get_by_role("link", name=village_a.name)).to_be_visible()
    assert page.get_by_text(village_b.name).count() == 0
    page.screenshot(path=os.path.join(artifacts_dir, "village_list.png"))

    response = page.goto(f"{live_server.url}/villages/{village_b.pk}/")
    assert response.status == 404
    assert village_b.name not in page.content()

    page.goto(f"{live_server.url}/villages/roster/import/")
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_with_one_bad_row())
    page.get_by_label("名册工作簿（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="上传并预览").click()
    problems = page.locator("#problems")
    expect(problems).to_be_visible()
    assert "第 4 行" in problems.inner_text()
    assert "12 位" in problems.inner_text()
    assert page.get_by_role("button", name="确认并保存全部").count() == 0
    page.screenshot(path=os.path.join(artifacts_dir, "roster_preview.png"))
    assert not Village.objects.filter(code="379901101211").exists()
