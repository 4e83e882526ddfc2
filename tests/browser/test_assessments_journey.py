"""Scheme → inspection → 通报 → scorecard drill-down, in the browser, as the county office and a township would."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from assessments.models import Circular, InspectionVisit
from clusters.models import Form
from lianchun import clock
from tests import factories
from tests.assessments import factories as af

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_as(browser, live_server):
    contexts = []

    def _open_as(user, password="Test2026pass"):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768}, accept_downloads=True)
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/workbench/")
        return page

    yield _open_as
    for context in contexts:
        context.close()


def test_scheme_inspection_circular_and_drill_down(open_as, live_server, township_a, village_a, county_office, cadre_a):
    today = clock.today()
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)  # last month
    last = today.replace(day=1) - datetime.timedelta(days=1)
    partner = factories.PartnerUnitFactory(county=township_a.county, name="益欣食品有限公司")
    joint = af.cluster(
        township_a,
        "益欣城乡联建",
        form=Form.URBAN_RURAL,
        villages=[village_a],
        partner=partner,
        established_on=first - datetime.timedelta(days=60),
    )
    office = open_as(county_office)
    base = live_server.url

    # A monthly scheme for the joint organisations, with a computed inspection indicator.
    office.goto(f"{base}/assessments/schemes/")
    office.get_by_role("link", name="新建方案").click()
    office.locator("#id_name").fill("城乡联合党组织月度考核")
    office.locator("#id_subject_kind").select_option("joint")
    office.locator("#id_period_kind").select_option("month")
    office.get_by_role("button", name="保存").click()
    expect(office.get_by_text("考核方案已创建")).to_be_visible()
    office.get_by_role("link", name="添加指标").click()
    office.locator("#id_metric").select_option("inspection_score")
    office.locator("#id_label").fill("月度督查得分")
    office.locator("#id_weight").fill("100")
    office.get_by_role("button", name="保存").click()
    expect(office.locator("#indicators").get_by_text("月度督查得分")).to_be_visible()
    office.get_by_role("link", name="开启考核期").click()
    office.locator("#id_label").fill(f"{first.year}年{first.month}月")
    office.locator("#id_starts_on").fill(first.isoformat())
    office.locator("#id_ends_on").fill(last.isoformat())
    office.get_by_role("button", name="保存").click()
    expect(office.get_by_text("考核期已开启")).to_be_visible()
    scorecard_url = office.url

    # The month's inspection: a checklist, one visit marked item by item.
    office.goto(f"{base}/assessments/inspections/")
    office.get_by_role("link", name="新建督查轮次").click()
    office.locator("#id_month").fill(first.isoformat())
    office.get_by_role("button", name="保存").click()
    office.get_by_role("link", name="记录督查").click()
    office.locator("#id_cluster").select_option(value=str(joint.pk))
    office.locator("#id_visited_on").fill(first.replace(day=20).isoformat())
    office.locator("#id_inspectors").fill("县联村办督查组")
    marks = office.locator("input[name^='mark_']")
    for index in range(marks.count()):
        marks.nth(index).fill("18")
    office.get_by_role("button", name="保存").click()
    expect(office.get_by_text("督查记录已保存：90分")).to_be_visible()
    visit = InspectionVisit.objects.get(cluster=joint)
    assert visit.score == 90

    # The 通报: drafted from the round, issued to the townships.
    office.get_by_role("link", name=re.compile("联建工作督查")).first.click()
    office.get_by_role("link", name="起草通报").click()
    office.get_by_role("button", name="保存").click()
    expect(office.get_by_text(re.compile(r"通报已起草，文号联村办〔\d{4}〕1号"))).to_be_visible()
    office.get_by_role("link", name="印发各乡镇").click()
    office.get_by_role("button", name="印发各乡镇").click()
    assert office.locator("#circular-status").inner_text() == "已印发"
    circular = Circular.objects.get()
    with office.expect_download() as download:
        office.get_by_role("link", name="下载 PDF").click()
    assert download.value.suggested_filename.startswith(circular.number)

    # The township sees the circular it was sent.
    township = open_as(cadre_a)
    township.goto(f"{base}/assessments/circulars/")
    expect(township.get_by_role("link", name=circular.title)).to_be_visible()

    # The scorecard: the computed cell opens the visit beneath it; closing freezes it.
    office.goto(scorecard_url)
    office.locator("#scorecard").get_by_role("link", name="90", exact=True).click()
    assert office.locator("#cell-figure").inner_text().startswith("90")
    office.locator("#cell-records").get_by_role("link", name=re.compile("益欣城乡联建")).click()
    assert office.locator("#visit-score").inner_text() == "90"
    office.goto(scorecard_url)
    office.get_by_role("link", name="关闭并冻结").click()
    office.get_by_role("button", name="关闭并冻结").click()
    expect(office.get_by_text("考核期已关闭，成绩已冻结")).to_be_visible()
    assert "冻结" in office.locator("#scorecard-state").inner_text()
