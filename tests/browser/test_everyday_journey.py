"""Everyday use in a real browser: the leader's and the office's first screens, the cadre's 待办 with a missed
week and an unread answer, 催报 reaching a township, an attachment uploaded, shown and refused to another
township, and a notification list as cards on a 390-pixel phone."""

from __future__ import annotations

import datetime
import os
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from attachments.models import Attachment
from notifications.models import AnswerReceipt, Notification
from reports import services as report_services
from reports.weeks import Week
from tests.attachments.files import png_bytes
from tests.meetings.factories import township_meeting
from tests.rectification.factories import approved_plan, weak_village
from tests.reports.factories import draft, established_cluster, set_now, submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def county_week(clock, township_a, township_b, cadre_a, cadre_b, county_office):
    """Week 47: township B has reported, township A has one draft and one report not started; week 46 of
    township A was answered by the county ("下周二来指导") and its week 45 never came."""
    established = datetime.date(2026, 11, 2)
    a1 = established_cluster(township_a, name="李家联村", established_on=established)
    established_cluster(township_a, name="王庄联村", established_on=established)
    b1 = established_cluster(township_b, name="马园联村", established_on=established)
    set_now(clock, datetime.datetime(2026, 11, 18, 15, 0, tzinfo=SHANGHAI))
    report = submitted(a1, Week(2026, 46), cadre_a)
    report_services.answer_weekly_report(report=report, answer="下周二来指导。", by=county_office)
    submitted(b1, Week(2026, 46), cadre_b)
    submitted(b1, Week(2026, 45), cadre_b)
    set_now(clock, datetime.datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI))
    submitted(b1, Week(2026, 47), cadre_b)
    draft(a1, Week(2026, 47), cadre_a)
    set_now(clock, datetime.datetime(2026, 11, 22, 18, 0, tzinfo=SHANGHAI))  # Sunday, 18 hours before the deadline
    return clock


def test_leader_and_office_see_the_county_at_a_glance(
    page, log_in, live_server, county_week, township_a, cadre_a, leader, org_department, county_office, artifacts_dir
):
    approved_plan(weak_village(township_a, name="后进村"), cadre=cadre_a, leader=leader, org=org_department)
    log_in(leader)
    glance = page.locator("#county-glance")
    expect(glance).to_be_visible()
    reporting = page.locator("#glance-reporting")
    assert "2026年第47周" in reporting.inner_text()
    assert "报送率 33.3%" in reporting.inner_text()
    assert page.locator("#county-glance svg.mini-chart").count() == 5
    expect(page.locator("#glance-contacts").get_by_role("link", name="城关镇 · 后进村")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "leader_first_screen.png"), full_page=True)
    page.locator("#glance-coverage").click()
    page.wait_for_url(f"{live_server.url}/clusters/coverage/")

    page.context.clear_cookies()
    log_in(county_office)
    assert page.locator("#glance-contacts").count() == 0
    page.locator("#glance-reporting").click()
    page.wait_for_url(f"{live_server.url}/notifications/reporting/?week=2026-W47")
    row = page.locator("#reporting tr", has_text="城关镇")
    assert row.locator("td").nth(4).inner_text() == "2"
    expect(page.get_by_role("button", name="一键催报")).to_be_visible()
    page.screenshot(path=os.path.join(artifacts_dir, "office_reporting.png"), full_page=True)


def test_cadres_todo_shows_a_missed_week_and_an_unread_answer(
    page, log_in, live_server, county_week, cadre_a, county_office, artifacts_dir
):
    log_in(cadre_a)
    assert "还剩 18 小时" in page.locator("#cadre-week").inner_text()
    todo = page.locator(".workbench")
    missed = todo.locator("a", has_text="缺报周次")
    assert missed.is_visible() and "李家联村 2026年第45周" in missed.inner_text()
    unread = todo.locator("a", has_text="县联村办反馈未阅")
    assert unread.is_visible() and "下周二来指导。" in unread.inner_text()
    page.screenshot(path=os.path.join(artifacts_dir, "cadre_todo.png"), full_page=True)

    unread.click()
    page.wait_for_url(f"{live_server.url}/notifications/answers/")
    page.get_by_role("button", name="标为已阅").click()
    expect(page.get_by_text("已标为已阅，县联村办可以看到。")).to_be_visible()
    assert AnswerReceipt.objects.get().read_by == cadre_a
    page.goto(f"{live_server.url}/workbench/")
    assert page.locator(".workbench a", has_text="县联村办反馈未阅").count() == 0

    page.context.clear_cookies()
    log_in(county_office)
    page.goto(f"{live_server.url}/notifications/answers/")
    assert "张干部" in page.locator("#answers .read-state").first.inner_text()


def test_chase_reaches_the_township_still_missing_the_week(
    page, log_in, live_server, county_week, cadre_a, cadre_b, county_office
):
    log_in(county_office)
    page.goto(f"{live_server.url}/notifications/reporting/")
    page.get_by_label("给乡镇的附言（可不填）").fill("请今天下班前报送。")
    page.get_by_role("button", name="一键催报").click()
    expect(page.get_by_text("已催报 1 个乡镇报送2026年第47周周报告。")).to_be_visible()
    assert "城关镇" in page.locator("#chases").inner_text()

    page.context.clear_cookies()
    log_in(cadre_a)
    bell = page.locator("#nav-notifications")
    # The chase, beside what the cluster's own approval told the township when the fixture established it.
    unread = Notification.objects.filter(recipient=cadre_a, read_at__isnull=True)
    assert unread.filter(title__contains="催报").count() == 1
    assert bell.locator(".badge").inner_text() == str(unread.count())
    bell.click()
    first = page.locator("#notifications tbody tr").first
    assert "县联村办催报2026年第47周周报告" in first.inner_text()
    assert "请今天下班前报送。" in first.inner_text()
    first.get_by_role("button").click()
    page.wait_for_url(f"{live_server.url}/reports/?week=2026-W47")
    # Opening the chase reads it: the bell counts only what is still unread.
    left = unread.count()
    assert unread.filter(title__contains="催报").count() == 0
    if left:
        assert page.locator("#nav-notifications .badge").inner_text() == str(left)
    else:
        assert page.locator("#nav-notifications .badge").count() == 0

    page.context.clear_cookies()
    log_in(cadre_b)
    assert page.locator("#nav-notifications .badge").count() == 0


def test_an_attachment_is_uploaded_shown_and_refused_to_another_township(
    page, log_in, live_server, cadre_a, cadre_b, village_a, tmp_path, artifacts_dir
):
    meeting = township_meeting(cadre_a, topic="三月村两委例会")
    log_in(cadre_a)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    panel = page.locator(f"#attachments-meetings-meeting-{meeting.pk}")
    photo = tmp_path / "签到表.png"
    photo.write_bytes(png_bytes())
    panel.get_by_label("文件（照片或 PDF）").set_input_files(str(photo))
    panel.get_by_label("说明").fill("签到表")
    panel.get_by_role("button", name="上传").click()
    expect(page.get_by_text("附件已上传。")).to_be_visible()
    thumbnail = page.locator(f"#attachments-meetings-meeting-{meeting.pk} img")
    thumbnail.wait_for()
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 320
    page.screenshot(path=os.path.join(artifacts_dir, "attachment_panel.png"), full_page=True)
    attachment = Attachment.objects.get()

    fake = tmp_path / "照片.jpg"
    fake.write_bytes(b"MZ" + b"\x00" * 400)
    panel = page.locator(f"#attachments-meetings-meeting-{meeting.pk}")
    panel.get_by_label("文件（照片或 PDF）").set_input_files(str(fake))
    panel.get_by_role("button", name="上传").click()
    expect(page.get_by_text("只能上传照片（JPEG、PNG、WebP）或 PDF 文件，此文件不是。")).to_be_visible()
    assert Attachment.objects.count() == 1

    page.context.clear_cookies()
    log_in(cadre_b)
    response = page.goto(f"{live_server.url}/attachments/{attachment.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/attachments/{attachment.pk}/thumbnail/")
    assert response.status == 404


def test_notification_list_becomes_cards_on_a_phone(browser, live_server, county_week, cadre_a, county_office):
    from notifications import services

    services.chase_missing_reports(
        week=Week(2026, 47), by=county_office, message="请于今天下班前报送联村工作周报告，逾期计为迟报。"
    )
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("用户名").fill(cadre_a.username)
    phone.get_by_label("密码").fill("Test2026pass")
    phone.get_by_role("button", name="登录").click()
    phone.goto(f"{live_server.url}/notifications/")
    table = phone.locator("#notifications")
    assert table.evaluate("t => t.scrollWidth <= document.documentElement.clientWidth")
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    title = phone.locator("#notifications .notification-title").first
    box = title.bounding_box()
    assert box["width"] > 200  # the title has the card's width, not a narrow column
    label = phone.locator("#notifications tbody td").nth(1).evaluate("td => getComputedStyle(td, '::before').content")
    assert "类型" in label
    context.close()
