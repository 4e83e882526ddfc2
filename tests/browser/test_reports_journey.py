"""A week of reporting: a cadre drafts, returns, submits; the county answers one report and returns another;
the cadre resubmits; the completeness page counts the week."""

from __future__ import annotations

import datetime
import os
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from reports.models import State, WeeklyReport
from tests.reports.factories import established_cluster, set_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def fill_report(page, progress: str) -> None:
    page.get_by_label("本周工作进展").fill(progress)
    page.get_by_label("走访农户数").fill("25")


def test_weekly_report_from_draft_to_completeness(
    page, log_in, live_server, clock, township_a, township_b, cadre_a, county_office, artifacts_dir
):
    first = established_cluster(township_a, name="李家联村", established_on=datetime.date(2026, 3, 2))
    second = established_cluster(township_a, name="王庄联村", established_on=datetime.date(2026, 3, 2))
    established_cluster(township_b, name="马园联村", established_on=datetime.date(2026, 3, 2))
    set_now(clock, datetime.datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI))  # Friday of week 47

    log_in(cadre_a)
    page.get_by_role("link", name="周报告").first.click()
    expect(page.get_by_role("heading", name=re.compile("本周待填报"))).to_be_visible()
    assert "2026年第47周(11月16日—11月22日)" in page.content()
    page.locator("tr", has_text="李家联村").get_by_role("link", name="填写").click()
    fill_report(page, "召开联村党总支会议一次。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()
    page.get_by_role("link", name="返回").click()
    page.locator("tr", has_text="李家联村").get_by_role("link", name="继续填写").click()
    assert page.get_by_label("本周工作进展").input_value() == "召开联村党总支会议一次。"
    page.screenshot(path=os.path.join(artifacts_dir, "report_form.png"))
    page.get_by_role("button", name="提交县联村办").click()
    expect(page.get_by_text("报告已提交县联村办")).to_be_visible()
    assert page.locator("#report-state").inner_text() == "已提交"

    page.goto(f"{live_server.url}/reports/")
    page.locator("tr", has_text="王庄联村").get_by_role("link", name="填写").click()
    fill_report(page, "入户走访二十五户。")
    page.get_by_role("button", name="提交县联村办").click()
    assert page.locator("#report-state").inner_text() == "已提交"

    page.context.clear_cookies()
    log_in(county_office)
    page.get_by_role("button", name="周报告").click()
    page.get_by_role("link", name="周报收件箱").click()
    page.locator("tr", has_text="李家联村").get_by_role("link", name="反馈").click()
    page.get_by_label("县联村办反馈意见").fill("已阅，继续推进。")
    page.get_by_role("button", name="发送反馈").click()
    expect(page.get_by_text("反馈意见已发送给乡镇")).to_be_visible()
    page.locator("tr", has_text="王庄联村").get_by_role("link", name="退回").click()
    page.get_by_label("退回理由").fill("请写明走访发现的具体问题。")
    page.get_by_role("button", name="退回乡镇").click()
    expect(page.get_by_text("报告已退回乡镇修改")).to_be_visible()

    page.context.clear_cookies()
    log_in(cadre_a)
    page.goto(f"{live_server.url}/reports/")
    returned = page.locator("#returned")
    expect(returned).to_be_visible()
    returned.get_by_role("link", name=re.compile("王庄联村")).click()
    assert "请写明走访发现的具体问题。" in page.locator("#return-reason").inner_text()
    page.get_by_label("存在问题").fill("两户反映灌溉水渠淤堵。")
    page.get_by_role("button", name="提交县联村办").click()
    assert page.locator("#report-state").inner_text() == "已重新提交"
    assert page.locator("#versions li").count() == 2
    page.goto(f"{live_server.url}/reports/")
    expect(page.locator("tr", has_text="李家联村").get_by_text("已反馈")).to_be_visible()

    set_now(clock, datetime.datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI))  # week 47's deadline has passed
    page.context.clear_cookies()
    log_in(county_office)
    page.get_by_role("button", name="周报告").click()
    page.get_by_role("link", name="周报完整性").click()
    page.goto(f"{live_server.url}/reports/completeness/?week=2026-W47")
    stats = {
        name: page.locator(f'[data-stat="{name}"]').inner_text()
        for name in ["expected", "arrived", "on_time", "reporting_rate", "on_time_rate"]
    }
    assert stats == {
        "expected": "3",
        "arrived": "2",
        "on_time": "2",
        "reporting_rate": "66.7%",
        "on_time_rate": "66.7%",
    }
    assert "马园联村" in page.locator("#outstanding").inner_text()
    page.get_by_role("link", name="逐周对比").click()
    expect(page.locator("#rate-chart")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "report_grid.png"), full_page=True)

    states = dict(WeeklyReport.objects.values_list("cluster__name", "state"))
    assert states == {first.name: State.ANSWERED, second.name: State.RESUBMITTED}
