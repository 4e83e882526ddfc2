"""Filing, submitting, answering and returning weekly reports through the services."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports import services
from reports.models import ReportSubmission, State, WeeklyReport
from reports.weeks import Week
from tests.reports.factories import draft, established_cluster, set_now, submitted

SHANGHAI = ZoneInfo("Asia/Shanghai")
W47 = Week(2026, 47)


@pytest.fixture
def cluster_a(township_a):
    return established_cluster(township_a, name="城关联村", established_on=datetime.date(2026, 3, 2))


@pytest.fixture
def in_week_48(clock):
    set_now(clock, datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))
    return clock


def test_cadre_saves_a_draft_and_continues_it(cluster_a, cadre_a, in_week_48):
    report = draft(cluster_a, W47, cadre_a, progress="第一稿")
    assert report.state == State.DRAFT
    assert report.version == 1
    again = services.save_weekly_report(
        cluster=cluster_a, week=W47, by=cadre_a, expected_version=1, progress="第二稿", households_visited=12
    )
    assert again.pk == report.pk
    assert again.version == 2
    stored = WeeklyReport.objects.get(pk=report.pk)
    assert (stored.progress, stored.households_visited) == ("第二稿", 12)


def test_long_text_is_kept_whole(cluster_a, cadre_a, in_week_48):
    text = "联村议事，" * 8000
    report = draft(cluster_a, W47, cadre_a, progress=text)
    assert WeeklyReport.objects.get(pk=report.pk).progress == text.strip()


def test_last_weeks_plan_is_offered_for_this_weeks_progress(cluster_a, cadre_a, in_week_48):
    draft(cluster_a, W47.previous(), cadre_a, next_week_plan="召开马园联村例会")
    assert services.previous_plan(cluster_a, W47) == "召开马园联村例会"
    assert services.previous_plan(cluster_a, W47.previous()) == ""


def test_second_save_from_a_stale_copy_is_refused_and_shows_what_was_saved(cluster_a, cadre_a, township_a, in_week_48):
    from tests import factories

    colleague = factories.cadre_of(township_a, username="colleague", full_name="李同事")
    draft(cluster_a, W47, cadre_a, progress="原稿")
    services.save_weekly_report(cluster=cluster_a, week=W47, by=colleague, expected_version=1, progress="同事的修改")
    with pytest.raises(services.EditConflict) as refused:
        services.save_weekly_report(cluster=cluster_a, week=W47, by=cadre_a, expected_version=1, progress="我的修改")
    assert refused.value.code == "edited_elsewhere"
    assert refused.value.current.progress == "同事的修改"
    assert "李同事" in refused.value.messages[0]
    assert WeeklyReport.objects.get(cluster=cluster_a).progress == "同事的修改"


def test_creating_a_report_someone_else_already_created_is_a_conflict(cluster_a, cadre_a, in_week_48):
    draft(cluster_a, W47, cadre_a, progress="先建的")
    with pytest.raises(services.EditConflict):
        services.save_weekly_report(cluster=cluster_a, week=W47, by=cadre_a, expected_version=None, progress="后建的")
    assert WeeklyReport.objects.count() == 1


def test_submitted_report_is_read_only_until_returned(cluster_a, cadre_a, county_office, in_week_48):
    report = submitted(cluster_a, W47, cadre_a, progress="完成走访")
    assert report.state == State.SUBMITTED
    with pytest.raises(ValidationError) as refused:
        services.save_weekly_report(
            cluster=cluster_a, week=W47, by=cadre_a, expected_version=report.version, progress="改"
        )
    assert refused.value.code == "not_editable"
    services.return_weekly_report(report=report, reason="请补充问题清单", by=county_office)
    report.refresh_from_db()
    assert report.state == State.RETURNED
    services.save_weekly_report(
        cluster=cluster_a, week=W47, by=cadre_a, expected_version=report.version, progress="完成走访，补充问题清单"
    )
    report.refresh_from_db()
    services.submit_weekly_report(report=report, by=cadre_a)
    report.refresh_from_db()
    assert report.state == State.RESUBMITTED
    versions = list(report.submissions.order_by("number"))
    assert [(v.number, v.progress, v.outcome) for v in versions] == [
        (1, "完成走访", ReportSubmission.Outcome.RETURNED),
        (2, "完成走访，补充问题清单", ReportSubmission.Outcome.PENDING),
    ]
    assert versions[0].response == "请补充问题清单"


def test_county_answers_a_submitted_report(cluster_a, cadre_a, county_office, in_week_48):
    report = submitted(cluster_a, W47, cadre_a)
    services.answer_weekly_report(report=report, answer="工作扎实，继续推进。", by=county_office)
    report.refresh_from_db()
    assert report.state == State.ANSWERED
    assert report.submissions.get().response == "工作扎实，继续推进。"
    with pytest.raises(ValidationError) as refused:
        services.return_weekly_report(report=report, reason="再改改", by=county_office)
    assert refused.value.code == "not_awaiting_answer"


def test_answer_and_return_need_text_and_the_county_office(cluster_a, cadre_a, county_office, leader, in_week_48):
    report = submitted(cluster_a, W47, cadre_a)
    with pytest.raises(ValidationError) as refused:
        services.return_weekly_report(report=report, reason="  ", by=county_office)
    assert refused.value.code == "return_reason_required"
    with pytest.raises(ValidationError) as refused:
        services.answer_weekly_report(report=report, answer="", by=county_office)
    assert refused.value.code == "answer_required"
    with pytest.raises(PermissionDenied):
        services.answer_weekly_report(report=report, answer="好", by=leader)
    with pytest.raises(PermissionDenied):
        services.answer_weekly_report(report=report, answer="好", by=cadre_a)
    report.refresh_from_db()
    assert report.state == State.SUBMITTED


def test_submission_needs_progress(cluster_a, cadre_a, in_week_48):
    report = draft(cluster_a, W47, cadre_a, progress="")
    with pytest.raises(ValidationError) as refused:
        services.submit_weekly_report(report=report, by=cadre_a)
    assert refused.value.code == "progress_required"
    assert not ReportSubmission.objects.exists()


def test_only_the_clusters_own_township_writes(cluster_a, cadre_b, county_office, in_week_48):
    for user in (cadre_b, county_office):
        with pytest.raises(PermissionDenied):
            services.save_weekly_report(cluster=cluster_a, week=W47, by=user, expected_version=None, progress="x")
    assert not WeeklyReport.objects.exists()


def test_no_report_for_a_week_before_the_cluster_was_established(township_a, cadre_a, in_week_48):
    young = established_cluster(township_a, name="新联村", established_on=datetime.date(2026, 11, 23))
    with pytest.raises(ValidationError) as refused:
        draft(young, W47, cadre_a)
    assert refused.value.code == "not_expected"
    assert draft(young, Week(2026, 48), cadre_a).state == State.DRAFT


def test_no_report_for_a_future_week(cluster_a, cadre_a, in_week_48):
    with pytest.raises(ValidationError) as refused:
        draft(cluster_a, Week(2026, 49), cadre_a)
    assert refused.value.code == "future_week"


def test_late_is_judged_by_the_first_submission(cluster_a, cadre_a, county_office, clock):
    set_now(clock, datetime.datetime(2026, 11, 23, 11, 59, tzinfo=SHANGHAI))
    report = submitted(cluster_a, W47, cadre_a)
    assert not report.is_late
    services.return_weekly_report(report=report, reason="补充数据", by=county_office)
    set_now(clock, datetime.datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI))
    report.refresh_from_db()
    services.submit_weekly_report(report=report, by=cadre_a)
    report.refresh_from_db()
    assert not report.is_late

    set_now(clock, datetime.datetime(2026, 11, 23, 12, 1, tzinfo=SHANGHAI))
    other = established_cluster(cluster_a.township, name="东坝联村", established_on=datetime.date(2026, 3, 2))
    assert submitted(other, W47, cadre_a).is_late


def test_every_change_is_in_the_history(cluster_a, cadre_a, county_office, in_week_48):
    report = submitted(cluster_a, W47, cadre_a)
    services.answer_weekly_report(report=report, answer="收到", by=county_office)
    users = [row.history_user for row in report.history.order_by("history_date", "history_id")]
    assert users == [cadre_a, cadre_a, county_office]
