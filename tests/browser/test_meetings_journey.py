"""A township cadre's 例会: notice six days ahead, attendance, minutes, two issues, one closed, one overdue a month on."""

from __future__ import annotations

import datetime
import os

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting, MeetingIssue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_runs_a_regular_meeting_and_follows_its_issues(
    page, log_in, live_server, cadre_a, village_a, clock, artifacts_dir
):
    log_in(cadre_a)
    page.goto(f"{live_server.url}/meetings/")
    page.get_by_role("link", name="安排会议").click()

    meeting_day = clock.today() + datetime.timedelta(days=6)
    page.get_by_label("会议类型").select_option(label="乡镇例会")
    page.get_by_label("议题").fill("四季度村两委主要干部例会")
    page.get_by_label("时间").fill(f"{meeting_day.isoformat()}T09:00")
    page.get_by_label("地点").fill("镇政府三楼会议室")
    page.get_by_label("记录人").fill("李记录")
    assert page.get_by_label("书面通知发出日期").input_value() == clock.today().isoformat()
    page.get_by_role("button", name="安排", exact=True).click()
    expect(page.get_by_text("会议已安排，通知已登记。")).to_be_visible()
    expect(page.get_by_text("提前 6 天")).to_be_visible()
    meeting = Meeting.objects.get()

    # The printable notice names time, place and topic.
    page.get_by_role("link", name="打印通知").click()
    expect(page.get_by_role("heading", name="关于召开乡镇例会的通知")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "meeting_notice.png"))
    page.go_back()

    # Six days later the meeting is held.
    clock.travel(datetime.timedelta(days=6))
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    for name, unit, status, approver in [
        ("张三", "李家庄村党支部书记", "出席", ""),
        ("李四", "李家庄村委会主任", "请假（已批准）", "镇党委书记"),
        ("王五", "李家庄村监委会主任", "缺席", ""),
    ]:
        page.get_by_label("姓名").fill(name)
        page.get_by_label("单位或职务").fill(unit)
        page.get_by_label("出席情况").select_option(label=status)
        if approver:
            page.get_by_label("请假批准人").fill(approver)
        page.get_by_role("button", name="添加").click()
    attendance = page.locator("#attendance")
    assert "张三" in attendance.inner_text() and "批准人：镇党委书记" in attendance.inner_text()
    assert "缺席" in attendance.inner_text()

    page.get_by_label("会议记录").fill("各村汇报四季度工作，讨论村道维修和水渠清淤问题。")
    page.get_by_role("button", name="保存会议记录").click()
    expect(page.get_by_text("会议记录已保存。")).to_be_visible()

    for text in ("村道破损，雨天无法通行", "水渠堵塞影响灌溉"):
        page.locator("summary", has_text="登记反映问题").click()
        page.locator("#id_description").fill(text)
        page.get_by_label("反映人").fill("李家庄村书记")
        page.get_by_label("所在村").select_option(label=village_a.name)
        page.get_by_label("责任人").fill("王副镇长")
        page.get_by_role("button", name="登记问题").click()
        expect(page.get_by_text("问题已登记")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "meeting_detail.png"), full_page=True)

    # One is solved on the spot.
    page.locator("#issues").get_by_role("link", name="村道破损").click()
    page.get_by_role("link", name="登记办理结果").click()
    page.get_by_label("当场解决").check()
    page.get_by_role("button", name="登记办理结果").click()
    expect(page.get_by_text("办理结果已登记，请及时公开。")).to_be_visible()

    # A month and a day later the other is overdue, first in the list; the closed one waits to be published.
    clock.travel(datetime.timedelta(days=32))
    page.goto(f"{live_server.url}/meetings/issues/")
    open_issues = page.locator("#open-issues")
    assert "水渠堵塞影响灌溉" in open_issues.inner_text()
    assert "已逾期" in open_issues.inner_text()
    assert "村道破损" not in open_issues.inner_text()
    assert "村道破损" in page.locator("#unpublished-issues").inner_text()
    page.screenshot(path=os.path.join(artifacts_dir, "issue_list.png"), full_page=True)
    assert MeetingIssue.objects.overdue().get().description == "水渠堵塞影响灌溉"

    # The workbench says so too.
    page.get_by_role("link", name="工作台").first.click()
    expect(page.get_by_text("逾期未办结的例会问题")).to_be_visible()


def test_two_cadres_keep_the_same_minutes_and_the_second_keeps_their_text(
    browser, live_server, cadre_a, township_a, clock, artifacts_dir
):
    """Two browsers open the minutes; the first saves; the second is refused, sees both texts, and loses nothing."""
    from meetings import services
    from tests import factories
    from tests.meetings.factories import township_meeting

    colleague = factories.cadre_of(township_a, username="colleague", full_name="李同事")
    meeting = township_meeting(cadre_a)
    services.record_minutes(meeting=meeting, by=cadre_a, minutes="初稿")
    pages = []
    for user in (cadre_a, colleague):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
        context.set_default_timeout(15000)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill("Test2026pass")
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/workbench/")
        page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
        pages.append(page)
    first, second = pages
    try:
        first.get_by_label("会议记录").fill("张干部的记录：各村汇报四季度工作。")
        second.get_by_label("会议记录").fill("李同事的记录：讨论村道维修。")
        first.get_by_role("button", name="保存会议记录").click()
        expect(first.get_by_text("会议记录已保存。")).to_be_visible()
        second.get_by_role("button", name="保存会议记录").click()
        expect(second.get_by_text("保存了此记录")).to_be_visible()
        assert second.get_by_label("会议记录").input_value() == "李同事的记录：讨论村道维修。"
        expect(second.get_by_text("张干部的记录：各村汇报四季度工作。")).to_be_visible()
        second.screenshot(path=os.path.join(artifacts_dir, "minutes_conflict.png"), full_page=True)
        meeting.refresh_from_db()
        assert meeting.minutes == "张干部的记录：各村汇报四季度工作。"
        # Merging and saving again goes through.
        second.get_by_label("会议记录").fill("合并后的记录：各村汇报四季度工作，讨论村道维修。")
        second.get_by_role("button", name="保存会议记录").click()
        expect(second.get_by_text("会议记录已保存。")).to_be_visible()
        meeting.refresh_from_db()
        assert meeting.minutes == "合并后的记录：各村汇报四季度工作，讨论村道维修。"
    finally:
        for page in pages:
            page.context.close()
