"""A weekly report's 修改记录 opens after every service has touched it, and shows each change."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from reports import services
from reports.models import State
from reports.weeks import Week
from tests.reports.factories import draft, established_cluster, set_now

W47 = Week(2026, 47)


@pytest.fixture
def in_week_48(clock):
    set_now(clock, datetime.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    return clock


def _rows(page: str) -> list[str]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for row in body.split("<tr>")[1:]]


def test_history_of_a_report_through_every_service_opens_and_shows_each_change(
    client, township_a, cadre_a, county_office, in_week_48
):
    cluster = established_cluster(township_a, name="城关联村", established_on=datetime.date(2026, 3, 2))
    report = draft(cluster, W47, cadre_a, progress="第一稿")
    services.save_weekly_report(
        cluster=cluster, week=W47, by=cadre_a, expected_version=report.version, progress="第二稿", meetings_held=2
    )
    report.refresh_from_db()
    services.submit_weekly_report(report=report, by=cadre_a, expected_version=report.version)
    services.return_weekly_report(report=report, reason="请补充问题清单", by=county_office)
    services.save_weekly_report(
        cluster=cluster, week=W47, by=cadre_a, expected_version=report.version, problems="水渠淤堵"
    )
    report.refresh_from_db()
    services.submit_weekly_report(report=report, by=cadre_a, expected_version=report.version)
    services.answer_weekly_report(report=report, answer="已阅，继续推进。", by=county_office)
    report.refresh_from_db()
    assert report.state == State.ANSWERED

    for viewer in (county_office, cadre_a):
        client.force_login(viewer)
        response = client.get(reverse("record-history", args=["reports.weeklyreport", report.pk]))
        assert response.status_code == 200
    rows = _rows(response.content.decode())
    # Newest first: answered, resubmitted, draft saved, returned, submitted, draft saved, created.
    assert len(rows) == 7, rows
    text = "\n".join(rows)
    assert "本周工作进展 : 第一稿 → 第二稿" in text
    assert "存在问题 : — → 水渠淤堵" in text
    assert "草稿 → 已提交" in text and "已提交 → 退回修改" in text
    assert "退回修改 → 已重新提交" in text and "已重新提交 → 已反馈" in text
    # The county's reasons, and linked records by their names.
    assert "请补充问题清单" in rows[3] and "已阅，继续推进。" in rows[0]
    assert "提交人 : — → 张干部" in rows[4]
    assert "联村 : — → 城关联村" in rows[6]

    first = report.submissions.get(number=1)
    version = client.get(first.get_absolute_url()).content.decode()
    history_url = reverse("record-history", args=["reports.reportsubmission", first.pk])
    assert history_url in version
    text = "\n".join(_rows(client.get(history_url).content.decode()))
    assert "退回修改" in text and "请补充问题清单" in text and "王主任" in text
