"""The township's 本周待填报 and report form, the county's inbox, answers, returns and versions."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from reports import services
from reports.models import State, WeeklyReport
from reports.weeks import Week
from tests.factories import session_runs_out
from tests.reports.factories import count_queries, draft, established_cluster, set_now, submitted

SHANGHAI = ZoneInfo("Asia/Shanghai")
W47 = Week(2026, 47)


@pytest.fixture
def cluster_a(township_a):
    return established_cluster(township_a, name="城关联村", established_on=datetime.date(2026, 3, 2))


@pytest.fixture(autouse=True)
def in_week_48(clock):
    # Wednesday of week 48: week 47's deadline has passed, week 48 is being written.
    set_now(clock, datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))
    return clock


def write_url(cluster, week):
    return reverse("reports:report-write", kwargs={"cluster_pk": cluster.pk, "week": week.key})


def form_data(version="", **content):
    data = {
        "record_version": version,
        "progress": "",
        "problems": "",
        "next_week_plan": "",
        "coordination": "",
        "meetings_held": 0,
        "households_visited": 0,
        "opinions_collected": 0,
        "issues_solved": 0,
    }
    data.update(content)
    return data


def test_list_shows_each_cluster_with_its_report_state(login, cadre_a, cluster_a, township_a):
    established_cluster(township_a, name="未来联村", established_on=datetime.date(2026, 12, 1))
    draft(cluster_a, Week(2026, 48), cadre_a)
    response = login(cadre_a).get(reverse("reports:report-list"))
    page = response.content.decode()
    assert "本周待填报" in page
    assert "城关联村" in page and "草稿" in page
    assert "未来联村" not in page
    assert "2026年第48周(11月23日—11月29日)" in page


def test_list_of_a_past_week_shows_missing_reports(login, cadre_a, cluster_a):
    page = login(cadre_a).get(reverse("reports:report-list"), {"week": W47.key}).content.decode()
    assert "缺报" in page


def test_nonsense_week_falls_back_and_bad_write_week_is_404(login, cadre_a, cluster_a):
    client = login(cadre_a)
    assert client.get(reverse("reports:report-list"), {"week": "2026-W99"}).status_code == 200
    assert client.get(reverse("reports:completeness-grid")).status_code == 403
    url = reverse("reports:report-write", kwargs={"cluster_pk": cluster_a.pk, "week": "2025-W53"})
    assert client.get(url).status_code == 404


def test_new_report_starts_from_last_weeks_plan(login, cadre_a, cluster_a):
    draft(cluster_a, W47, cadre_a, next_week_plan="入户走访五十户")
    page = login(cadre_a).get(write_url(cluster_a, Week(2026, 48))).content.decode()
    assert "入户走访五十户" in page
    assert "上周" in page


def test_cadre_saves_a_draft_returns_and_submits(login, cadre_a, cluster_a):
    client = login(cadre_a)
    url = write_url(cluster_a, W47)
    response = client.post(url, form_data(progress="召开例会一次", meetings_held=1, save="1"))
    assert response.status_code == 302 and response["Location"] == url
    report = WeeklyReport.objects.get(cluster=cluster_a)
    page = client.get(url).content.decode()
    assert "召开例会一次" in page
    response = client.post(url, form_data(version=report.version, progress="召开例会一次，走访二十户", submit="1"))
    report.refresh_from_db()
    assert response["Location"] == report.get_absolute_url()
    assert report.state == State.SUBMITTED
    assert client.get(url)["Location"] == report.get_absolute_url()
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "只读" in detail and "走访二十户" in detail


def test_negative_count_is_a_form_error_not_a_crash(login, cadre_a, cluster_a):
    response = login(cadre_a).post(write_url(cluster_a, W47), form_data(progress="x", meetings_held=-1, save="1"))
    assert response.status_code == 200
    assert not WeeklyReport.objects.exists()


def test_submit_without_progress_keeps_the_draft_and_says_why(login, cadre_a, cluster_a):
    response = login(cadre_a).post(write_url(cluster_a, W47), form_data(problems="道路未硬化", submit="1"))
    assert response.status_code == 200
    assert "提交前请填写本周工作进展" in response.content.decode()
    report = WeeklyReport.objects.get()
    assert report.state == State.DRAFT and report.problems == "道路未硬化"


def test_stale_save_is_refused_showing_both_texts(login, cadre_a, cluster_a, township_a):
    from tests import factories

    colleague = factories.cadre_of(township_a, username="colleague", full_name="李同事")
    report = draft(cluster_a, W47, cadre_a, progress="原稿")
    services.save_weekly_report(cluster=cluster_a, week=W47, by=colleague, expected_version=1, progress="同事写的进展")
    response = login(cadre_a).post(write_url(cluster_a, W47), form_data(version=1, progress="我写的进展", save="1"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "同事写的进展" in page and "我写的进展" in page
    assert "李同事" in page and "您填写的内容尚未保存" in page
    assert 'name="record_version" value="2"' in page
    report.refresh_from_db()
    assert report.progress == "同事写的进展"


def test_text_typed_when_the_session_expired_comes_back_after_login(client, cadre_a, cluster_a):
    url = write_url(cluster_a, W47)
    text = "长篇进展：" + "走访农户并记录诉求。" * 500
    session_runs_out(client, cadre_a)
    response = client.post(url, form_data(progress=text, problems="无", save="1"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(
        reverse("accounts:login") + f"?next={url}",
        {"username": "cadre_a", "password": "Test2026pass", "next": url},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url
    assert "走访农户并记录诉求。" * 500 in page
    assert "尚未保存" in page
    assert not WeeklyReport.objects.exists()


def test_an_answer_typed_as_the_session_ran_out_comes_back_on_the_step_page(client, cadre_a, county_office, cluster_a):
    report = submitted(cluster_a, W47, cadre_a)
    url = reverse("reports:report-answer", args=[report.pk])
    session_runs_out(client, county_office)
    response = client.post(url, {"opinion": "收到。请补充入户走访的照片。"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(county_office)
    page = client.get(url).content.decode()
    assert "收到。请补充入户走访的照片。" in page and "尚未保存" in page
    report.refresh_from_db()
    assert report.state == State.SUBMITTED  # nothing was answered while logged out


def test_county_answers_and_the_township_sees_it(login, cadre_a, county_office, cluster_a, client):
    report = submitted(cluster_a, W47, cadre_a)
    office = login(county_office)
    inbox = office.get(reverse("reports:inbox")).content.decode()
    assert "城关联村" in inbox
    assert office.get(reverse("reports:report-answer", args=[report.pk])).status_code == 200
    response = office.post(reverse("reports:report-answer", args=[report.pk]), {"opinion": "收到，做得好。"})
    assert response["Location"] == reverse("reports:inbox")
    assert "城关联村" not in office.get(reverse("reports:inbox")).content.decode()
    client.force_login(cadre_a)
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "收到，做得好。" in detail and "已反馈" in detail


def test_return_needs_a_reason_and_the_cadre_resubmits_keeping_versions(
    login, cadre_a, county_office, cluster_a, client
):
    report = submitted(cluster_a, W47, cadre_a, progress="第一版")
    office = login(county_office)
    response = office.post(reverse("reports:report-return", args=[report.pk]), {"opinion": ""})
    assert response.status_code == 200
    office.post(reverse("reports:report-return", args=[report.pk]), {"opinion": "缺少问题清单"})
    client.force_login(cadre_a)
    listing = client.get(reverse("reports:report-list")).content.decode()
    assert "退回修改" in listing
    form = client.get(write_url(cluster_a, W47)).content.decode()
    assert "缺少问题清单" in form
    report.refresh_from_db()
    client.post(write_url(cluster_a, W47), form_data(version=report.version, progress="第二版", submit="1"))
    report.refresh_from_db()
    assert report.state == State.RESUBMITTED
    first = client.get(reverse("reports:report-version", args=[report.pk, 1])).content.decode()
    assert "第一版" in first and "缺少问题清单" in first
    second = client.get(reverse("reports:report-version", args=[report.pk, 2])).content.decode()
    assert "第二版" in second
    assert client.get(reverse("reports:report-version", args=[report.pk, 3])).status_code == 404


def test_submit_button_with_a_stale_version_is_refused(login, cadre_a, cluster_a):
    report = draft(cluster_a, W47, cadre_a)
    response = login(cadre_a).post(
        reverse("reports:report-submit", args=[report.pk]), {"record_version": "0"}, follow=True
    )
    assert "您填写的内容尚未保存" in response.content.decode()
    report.refresh_from_db()
    assert report.state == State.DRAFT


def test_workbench_lists_due_and_returned_reports_and_the_inbox(login, cadre_a, county_office, cluster_a, client):
    page = login(cadre_a).get(reverse("workbench")).content.decode()
    assert "2026年第48周工作动态待填报" in page
    report = submitted(cluster_a, W47, cadre_a)
    client.force_login(county_office)
    assert "待反馈的周报告" in client.get(reverse("workbench")).content.decode()
    services.return_weekly_report(report=report, reason="补充", by=county_office)
    client.force_login(cadre_a)
    assert "被退回修改的周报告" in client.get(reverse("workbench")).content.decode()


def test_list_query_count_does_not_grow_with_clusters(login, cadre_a, township_a, django_assert_num_queries):
    client = login(cadre_a)
    established_cluster(township_a, name="联村0", established_on=datetime.date(2026, 3, 2))
    client.get(reverse("reports:report-list"))
    small = count_queries(lambda: client.get(reverse("reports:report-list")))
    for index in range(1, 20):
        cluster = established_cluster(township_a, name=f"联村{index}", established_on=datetime.date(2026, 3, 2))
        draft(cluster, Week(2026, 48), cadre_a)
    with django_assert_num_queries(small):
        client.get(reverse("reports:report-list"))


def test_list_names_earlier_weeks_still_owed(login, cadre_a, cluster_a):
    draft(cluster_a, Week(2026, 45), cadre_a)
    submitted(cluster_a, Week(2026, 46), cadre_a)
    owed = login(cadre_a).get(reverse("reports:report-list")).content.decode()
    owed = owed[owed.index('id="owed"') :]
    assert "2026年第47周" in owed and "2026年第45周" in owed
    assert "2026年第46周" not in owed


def test_no_form_for_a_week_the_cluster_does_not_owe(login, cadre_a, township_a):
    young = established_cluster(township_a, name="新联村", established_on=datetime.date(2026, 11, 23))
    client = login(cadre_a)
    assert client.get(write_url(young, W47)).status_code == 404
    assert client.post(write_url(young, W47), form_data(progress="x", save="1")).status_code == 404
    assert client.get(write_url(young, Week(2026, 49))).status_code == 404
    assert client.get(write_url(young, Week(2026, 48))).status_code == 200
    assert not WeeklyReport.objects.exists()


def test_inbox_of_a_week_lists_every_report_that_arrived(login, cadre_a, county_office, cluster_a, township_a):
    other = established_cluster(township_a, name="东坝联村", established_on=datetime.date(2026, 3, 2))
    answered = submitted(cluster_a, W47, cadre_a)
    services.answer_weekly_report(report=answered, answer="已阅", by=county_office)
    submitted(other, W47, cadre_a)
    draft(cluster_a, Week(2026, 48), cadre_a)
    client = login(county_office)
    page = client.get(reverse("reports:inbox"), {"week": W47.key}).content.decode()
    assert "城关联村" in page and "东坝联村" in page and "已反馈" in page
    assert "1 份报告待反馈" in page
    waiting = client.get(reverse("reports:inbox")).content.decode()
    assert "东坝联村" in waiting and "城关联村" not in waiting
    assert "城关联村" not in client.get(reverse("reports:inbox"), {"week": "2026-W48"}).content.decode()


@pytest.mark.parametrize("bad", ["9999-W52", "abc", "2026-W99", "0000-W01", "2999-W52", "2101-W01"])
def test_malformed_weeks_never_raise(login, cadre_a, county_office, cluster_a, bad):
    cadre = login(cadre_a)
    assert cadre.get(reverse("reports:report-list"), {"week": bad}).status_code == 200
    assert cadre.get(write_url(cluster_a, W47).replace(W47.key, bad)).status_code == 404
    office = login(county_office)
    assert office.get(reverse("reports:inbox"), {"week": bad}).status_code == 200
    assert office.get(reverse("reports:completeness"), {"week": bad}).status_code == 200
    assert office.get(reverse("reports:completeness-grid"), {"first": bad, "last": bad}).status_code == 200
    assert office.get(reverse("reports:completeness-grid"), {"first": "1900-W01", "last": bad}).status_code == 200


def test_the_submit_page_confirms_and_carries_the_version_it_showed(login, cadre_a, cluster_a, township_a):
    from tests import factories

    report = draft(cluster_a, W47, cadre_a, progress="原稿")
    client = login(cadre_a)
    url = reverse("reports:report-submit", args=[report.pk])
    page = client.get(url).content.decode()
    assert "原稿" in page and f'name="record_version" value="{report.version}"' in page
    colleague = factories.cadre_of(township_a, username="colleague", full_name="李同事")
    services.save_weekly_report(
        cluster=cluster_a, week=W47, by=colleague, expected_version=report.version, progress="同事改过"
    )
    refused = client.post(url, {"record_version": report.version})
    assert refused.status_code == 200 and "李同事" in refused.content.decode()
    report.refresh_from_db()
    assert report.state == State.DRAFT
    assert client.post(url, {"record_version": report.version})["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert report.state == State.SUBMITTED and report.submissions.get().progress == "同事改过"


def test_a_returned_report_goes_back_to_the_county_through_the_confirm_page(login, cadre_a, county_office, cluster_a):
    """Resubmitting a returned report is a confirmed step, which says when nothing was changed since the return."""
    report = submitted(cluster_a, W47, cadre_a)
    services.return_weekly_report(report=report, reason="请补充走访户数。", by=county_office)
    client = login(cadre_a)
    submit_url = reverse("reports:report-submit", args=[report.pk])
    detail = client.get(report.get_absolute_url()).content.decode()
    assert f'action="{submit_url}"' not in detail  # no one-click post from the report's page
    assert f'href="{submit_url}"' in detail
    confirm = client.get(submit_url).content.decode()
    assert "内容自退回后未修改" in confirm and "请补充走访户数。" in confirm
    report.refresh_from_db()
    assert report.state == State.RETURNED
    services.save_weekly_report(
        cluster=cluster_a, week=W47, by=cadre_a, expected_version=report.version, progress="走访农户42户。"
    )
    assert "内容自退回后未修改" not in client.get(submit_url).content.decode()


def test_a_returned_report_sent_unchanged_from_its_form_stops_at_the_confirm_page(
    login, cadre_a, county_office, cluster_a
):
    report = submitted(cluster_a, W47, cadre_a, progress="第一版")
    services.return_weekly_report(report=report, reason="请补充走访户数。", by=county_office)
    client = login(cadre_a)
    report.refresh_from_db()
    response = client.post(write_url(cluster_a, W47), form_data(version=report.version, progress="第一版", submit="1"))
    assert response.status_code == 302 and response["Location"] == reverse("reports:report-submit", args=[report.pk])
    assert "内容自退回后未修改" in client.get(response["Location"]).content.decode()
    report.refresh_from_db()
    assert report.state == State.RETURNED, "nothing goes to the county until the cadre confirms"
    client.post(write_url(cluster_a, W47), form_data(version=report.version, progress="第二版", submit="1"))
    report.refresh_from_db()
    assert report.state == State.RESUBMITTED, "a revised report goes straight back, as before"


def test_a_drafts_submit_button_still_posts_from_the_report_page(login, cadre_a, cluster_a):
    report = draft(cluster_a, W47, cadre_a)
    detail = login(cadre_a).get(report.get_absolute_url()).content.decode()
    assert f'action="{reverse("reports:report-submit", args=[report.pk])}"' in detail
