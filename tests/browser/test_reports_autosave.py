"""Text typed into a weekly report survives a closed tab: the browser keeps it and offers it back."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

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
    assert banner.is_visible()
    assert page.get_by_label("存在问题").input_value() == ""
    banner.get_by_role("button", name="恢复保留的内容").click()
    assert page.get_by_label("存在问题").input_value() == "水渠淤堵，需要清理。"
    assert not banner.is_visible()
    page.get_by_role("button", name="保存草稿").click()
    assert page.get_by_text("草稿已保存").is_visible()
    assert WeeklyReport.objects.get().problems == "水渠淤堵，需要清理。"
    assert not page.locator("#autosave-restore").is_visible()
