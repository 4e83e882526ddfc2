"""Text typed into a weekly report survives a closed tab: the browser keeps it and offers it back."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from reports.models import WeeklyReport
from tests.reports.factories import established_cluster, set_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unsaved_text_is_offered_back_after_the_page_is_left(page, log_in, live_server, clock, township_a, cadre_a):
    cluster = established_cluster(township_a, name="李家联村", established_on=datetime.date(2026, 3, 2))
    set_now(clock, datetime.datetime(2026, 11, 20, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    log_in(cadre_a)
    url = f"{live_server.url}/reports/clusters/{cluster.pk}/2026-W47/"
    page.goto(url)
    page.get_by_label("存在问题").fill("水渠淤堵，需要清理。")
    page.wait_for_timeout(800)
    page.goto(f"{live_server.url}/workbench/")
    page.goto(url)
    banner = page.locator("#autosave-restore")
    expect(banner).to_be_visible()
    assert page.get_by_label("存在问题").input_value() == ""
    banner.get_by_role("button", name="恢复保留的内容").click()
    assert page.get_by_label("存在问题").input_value() == "水渠淤堵，需要清理。"
    expect(banner).to_be_hidden()
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()
    assert WeeklyReport.objects.get().problems == "水渠淤堵，需要清理。"
    expect(page.locator("#autosave-restore")).to_be_hidden()


def test_logging_out_leaves_no_typed_text_in_the_browser(page, log_in, live_server, clock, township_a, cadre_a):
    """An office PC is shared: what one cadre typed and did not save is not left in the browser for the next
    person who sits down (nor readable in its storage), and a copy is only ever offered to the account that
    typed it."""
    cluster = established_cluster(township_a, name="李家联村", established_on=datetime.date(2026, 3, 2))
    set_now(clock, datetime.datetime(2026, 11, 20, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    log_in(cadre_a)
    url = f"{live_server.url}/reports/clusters/{cluster.pk}/2026-W47/"
    page.goto(url)
    page.get_by_label("存在问题").fill("困难户王某某，低保申请被拒。")
    page.wait_for_timeout(800)
    drafts = "() => Object.keys(window.localStorage).filter(k => k.includes('draft'))"
    assert page.evaluate(drafts) == [f"lianchun-form-draft:{cadre_a.pk}:/reports/clusters/{cluster.pk}/2026-W47/"]
    page.locator("#account-menu").click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    assert page.evaluate(drafts) == []
    log_in(cadre_a)
    page.goto(url)
    expect(page.locator("#autosave-restore")).to_be_hidden()
