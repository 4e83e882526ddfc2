"""Scheduled reminders (manage.py send_reminders), the office's 催报, and delivery through the channels."""

from __future__ import annotations

import datetime
import http.server
import io
import json
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse

from notifications import services
from notifications.models import Kind, Notification, ReportChase
from reports.weeks import Week
from tests import factories
from tests.reports.factories import draft, established_cluster, set_now, submitted

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEK_47 = Week(2026, 47)  # 16–22 November 2026, due Monday 23 November 12:00


@pytest.fixture
def two_townships(township_a, township_b, cadre_a, cadre_b, county_office, clock):
    """Township A has not submitted week 47 (one draft, one not started); township B has."""
    cadre_a.email = "zhang@example.cn"
    cadre_a.phone = "13800000001"
    cadre_a.save()
    established = datetime.date(2026, 11, 16)  # week 47 is the first week they owe
    a1 = established_cluster(township_a, name="李家联村", established_on=established)
    established_cluster(township_a, name="王庄联村", established_on=established)
    b1 = established_cluster(township_b, name="马园联村", established_on=established)
    set_now(clock, datetime.datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI))
    draft(a1, WEEK_47, cadre_a)
    submitted(b1, WEEK_47, cadre_b)
    return clock


def test_before_the_deadline_only_townships_still_owing_are_reminded_once(two_townships, cadre_a, cadre_b):
    set_now(two_townships, datetime.datetime(2026, 11, 22, 20, 0, tzinfo=SHANGHAI))  # Sunday evening
    assert services.remind_before_deadline() == 1
    note = Notification.objects.get()
    assert note.recipient == cadre_a and note.kind == Kind.DUE
    assert note.title == "2026年第47周周报告还有 16 小时截止"
    assert "李家联村、王庄联村" in note.body and "2026-11-23 12:00" in note.body
    assert note.url == f"{reverse('reports:report-list')}?week=2026-W47"
    assert services.remind_before_deadline() == 0  # the second run notifies nobody again
    assert not Notification.objects.filter(recipient=cadre_b).exists()


def test_no_reminder_earlier_than_the_configured_hours(two_townships, settings):
    settings.REPORT_REMINDER_HOURS_BEFORE = 24
    set_now(two_townships, datetime.datetime(2026, 11, 22, 11, 0, tzinfo=SHANGHAI))  # 25 hours before
    assert services.remind_before_deadline() == 0
    assert not Notification.objects.exists()


def test_after_the_deadline_the_township_hears_what_it_missed_and_the_office_who_missed(
    two_townships, cadre_a, cadre_b, county_office
):
    set_now(two_townships, datetime.datetime(2026, 11, 23, 12, 30, tzinfo=SHANGHAI))
    assert services.remind_after_deadline() == 2
    township_note = Notification.objects.get(recipient=cadre_a)
    assert township_note.kind == Kind.MISSED and township_note.title == "2026年第47周周报告缺报"
    office_note = Notification.objects.get(recipient=county_office)
    assert office_note.title == "1 个乡镇2026年第47周周报告缺报" and office_note.body == "城关镇"
    assert services.remind_after_deadline() == 0


def test_chase_reaches_every_township_missing_the_week_and_no_other(
    two_townships, login, cadre_a, cadre_b, county_office
):
    second = factories.cadre_of(cadre_a.township, username="cadre_a2")
    set_now(two_townships, datetime.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI))
    client = login(county_office)
    page = client.get(reverse("notifications:reporting")).content.decode()
    assert "2026年第47周" in page and "1 个乡镇尚有联村未报送" in page
    response = client.post(
        reverse("notifications:chase"), {"week": "2026-W47", "message": "请今天上午报送。"}, follow=True
    )
    assert "已催报 1 个乡镇报送2026年第47周周报告。" in response.content.decode()
    chase = ReportChase.objects.get()
    assert list(chase.townships.all()) == [cadre_a.township]
    assert chase.history.get().history_user == county_office
    history = client.get(reverse("record-history", args=["notifications.reportchase", chase.pk])).content.decode()
    assert "2026年第47周" in history and "2026-W47" not in history  # the chase is named as the pages name weeks
    notes = Notification.objects.filter(kind=Kind.CHASE)
    assert sorted(n.recipient.username for n in notes) == ["cadre_a", "cadre_a2"]
    assert notes[0].body.startswith("请今天上午报送。\n尚未提交：李家联村、王庄联村。")
    assert not Notification.objects.filter(recipient=cadre_b).exists()
    assert second.notifications.unread().count() == 1


def test_chase_refused_when_everyone_has_reported(two_townships, cadre_a, county_office):
    from django.core.exceptions import ValidationError

    set_now(two_townships, datetime.datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI))
    for cluster in cadre_a.township.clusters.all():
        submitted(cluster, WEEK_47, cadre_a) if not cluster.weekly_reports.exists() else None
    from reports import services as report_services

    for report in cadre_a.township.clusters.get(name="李家联村").weekly_reports.all():
        report_services.submit_weekly_report(report=report, by=cadre_a)
    with pytest.raises(ValidationError, match="均已报送，无需催报"):
        services.chase_missing_reports(week=WEEK_47, by=county_office)
    assert not ReportChase.objects.exists()


def test_only_the_office_may_chase(two_townships, login, leader):
    response = login(leader).post(reverse("notifications:chase"), {"week": "2026-W47"})
    assert response.status_code == 403
    assert not ReportChase.objects.exists()


# --- delivery -------------------------------------------------------------------------------------


def test_send_reminders_emails_through_djangos_mail_framework(two_townships, settings, cadre_a):
    settings.NOTIFICATION_CHANNELS = ["email"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFICATION_SITE_URL = "https://lianchun.example.cn"
    set_now(two_townships, datetime.datetime(2026, 11, 22, 20, 0, tzinfo=SHANGHAI))
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhang@example.cn"]
    assert message.subject == "【联村治理台账】2026年第47周周报告还有 16 小时截止"
    assert "https://lianchun.example.cn/reports/?week=2026-W47" in message.body
    assert "delivered 1, failed 0" in out.getvalue()
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # delivered once


def test_console_channel_prints_for_development(two_townships, settings):
    settings.NOTIFICATION_CHANNELS = ["console"]
    set_now(two_townships, datetime.datetime(2026, 11, 22, 20, 0, tzinfo=SHANGHAI))
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "→ cadre_a: 2026年第47周周报告还有 16 小时截止" in out.getvalue()


class _Hook(http.server.BaseHTTPRequestHandler):
    received: list = []
    answer = b'{"errcode": 0, "errmsg": "ok"}'

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        type(self).received.append((self.headers["Content-Type"], json.loads(self.rfile.read(length))))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(type(self).answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook_server():
    class Handler(_Hook):
        received = []

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, Handler
    server.shutdown()
    server.server_close()


def test_webhook_channel_posts_a_wechat_work_text_message(two_townships, settings, webhook_server):
    server, handler = webhook_server
    settings.NOTIFICATION_CHANNELS = ["webhook"]
    settings.NOTIFICATION_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test"
    set_now(two_townships, datetime.datetime(2026, 11, 22, 20, 0, tzinfo=SHANGHAI))
    call_command("send_reminders", stdout=io.StringIO())
    assert len(handler.received) == 1
    content_type, body = handler.received[0]
    assert content_type == "application/json; charset=utf-8"
    assert body["msgtype"] == "text"
    assert body["text"]["content"].startswith("2026年第47周周报告还有 16 小时截止\n尚未提交：李家联村、王庄联村。")
    assert body["text"]["mentioned_mobile_list"] == ["13800000001"]
    assert body["recipient"]["username"] == "cadre_a" and body["kind"] == "周报即将截止"
    assert Notification.objects.get().delivered_at is not None


def test_a_refused_webhook_leaves_the_notification_for_the_next_run(two_townships, settings, webhook_server):
    server, handler = webhook_server
    handler.answer = b'{"errcode": 93000, "errmsg": "invalid webhook url"}'
    settings.NOTIFICATION_CHANNELS = ["webhook"]
    settings.NOTIFICATION_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/send"
    set_now(two_townships, datetime.datetime(2026, 11, 22, 20, 0, tzinfo=SHANGHAI))
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "delivered 0, failed 1" in out.getvalue()
    assert Notification.objects.get().delivered_at is None
    handler.answer = b'{"errcode": 0}'
    call_command("send_reminders", stdout=io.StringIO())
    assert Notification.objects.get().delivered_at is not None
    assert len(handler.received) == 2


def test_an_unreachable_webhook_fails_without_breaking_the_run(two_townships, settings):
    settings.NOTIFICATION_CHANNELS = ["webhook"]
    settings.NOTIFICATION_WEBHOOK_URL = "http://127.0.0.1:9/nothing-listens-here"
    settings.NOTIFICATION_WEBHOOK_TIMEOUT = 2
    set_now(two_townships, datetime.datetime(2026, 11, 22, 20, 0, tzinfo=SHANGHAI))
    assert services.remind_before_deadline() == 1
    assert services.deliver_pending() == (0, 1)


def test_an_unknown_channel_is_a_configuration_error(settings):
    settings.NOTIFICATION_CHANNELS = ["pigeon"]
    with pytest.raises(ImproperlyConfigured, match="unknown channel 'pigeon'"):
        services.deliver_pending()


def test_a_channel_that_failed_is_tried_again_alone_and_the_email_is_not_sent_twice(
    two_townships, settings, webhook_server
):
    server, handler = webhook_server
    handler.answer = b'{"errcode": 93000, "errmsg": "invalid webhook url"}'
    settings.NOTIFICATION_CHANNELS = ["email", "webhook"]
    settings.NOTIFICATION_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/send"
    set_now(two_townships, datetime.datetime(2026, 11, 22, 20, 0, tzinfo=SHANGHAI))
    call_command("send_reminders", stdout=io.StringIO())
    notification = Notification.objects.get()
    assert notification.delivered_at is None and notification.delivered_via == ["email"]
    assert len(mail.outbox) == 1
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1, "the e-mail went out once"
    handler.answer = b'{"errcode": 0}'
    call_command("send_reminders", stdout=io.StringIO())
    notification.refresh_from_db()
    assert notification.delivered_at is not None and notification.delivered_via == ["email", "webhook"]
    assert len(mail.outbox) == 1 and len(handler.received) == 3
    call_command("send_reminders", stdout=io.StringIO())
    assert len(handler.received) == 3, "delivered: nothing is sent again"


def test_a_mail_server_that_cannot_be_reached_fails_the_email_without_breaking_the_run(two_townships, settings):
    settings.NOTIFICATION_CHANNELS = ["email"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    set_now(two_townships, datetime.datetime(2026, 11, 22, 20, 0, tzinfo=SHANGHAI))
    assert services.remind_before_deadline() == 1
    assert services.deliver_pending() == (0, 1)
    assert Notification.objects.get().delivered_via == []
