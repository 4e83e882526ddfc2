"""The meetings pages as a user sees them: lists, forms, notice, calendar, rhythm and the workbench."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import DecisionStep, Meeting, MeetingKind, Outcome
from tests.meetings.factories import at, county_meeting, township_meeting

DAY = datetime.timedelta(days=1)


def issue_at(meeting, cadre, village, text="村道破损需维修"):
    return services.raise_issue(
        meeting=meeting, by=cadre, description=text, raised_by="李书记", owner="王副镇长", village=village
    )


def test_cadre_schedules_a_regular_meeting_six_days_ahead(login, cadre_a, clock):
    client = login(cadre_a)
    on = clock.today() + 6 * DAY
    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "kind": MeetingKind.TOWNSHIP,
            "topic": "三季度工作例会",
            "starts_at": f"{on.isoformat()}T09:00",
            "place": "镇政府三楼会议室",
            "minutes_keeper": "李记录",
            "notice_sent_on": clock.today().isoformat(),
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "三季度工作例会" in page and "提前 6 天" in page


def test_short_notice_without_reason_shows_the_rule_and_saves_nothing(login, cadre_a, clock):
    client = login(cadre_a)
    on = clock.today() + 4 * DAY
    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "kind": MeetingKind.TOWNSHIP,
            "topic": "例会",
            "starts_at": f"{on.isoformat()}T09:00",
            "place": "镇政府",
            "minutes_keeper": "李记录",
            "notice_sent_on": clock.today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "通知仅提前 4 天发出，须至少提前 5 天" in response.content.decode()
    assert not Meeting.objects.exists()


def test_cadre_sees_county_meetings_of_its_township_only(login, county_office, cadre_a, cadre_b, township_a, clock):
    meeting = county_meeting(county_office, [township_a], on=clock.today() + 3 * DAY)
    assert login(cadre_a).get(meeting.get_absolute_url()).status_code == 200
    assert login(cadre_b).get(meeting.get_absolute_url()).status_code == 404
    page = login(cadre_a).get(meeting.get_absolute_url()).content.decode()
    assert "只读" in page  # the county keeps its own meeting's record


def test_other_townships_meeting_answers_404(login, cadre_a, cadre_b, clock):
    meeting = township_meeting(cadre_a)
    assert login(cadre_b).get(meeting.get_absolute_url()).status_code == 404
    assert login(cadre_b).get(reverse("meetings:meeting-notice", args=[meeting.pk])).status_code == 404


def test_notice_page_names_time_place_topic_and_keeper(login, cadre_a, clock):
    meeting = township_meeting(cadre_a, on=clock.today() + 6 * DAY, topic="秋收秋种工作部署")
    page = login(cadre_a).get(reverse("meetings:meeting-notice", args=[meeting.pk])).content.decode()
    for text in (
        "关于召开乡镇例会的通知",
        "秋收秋种工作部署",
        "镇政府三楼会议室",
        "李记录",
        meeting.date.strftime("%Y年%-m月%-d日"),
    ):
        assert text in page


def test_attendance_records_each_named_person(login, cadre_a, clock):
    meeting = township_meeting(cadre_a)
    client = login(cadre_a)
    url = reverse("meetings:attendance-add", args=[meeting.pk])
    client.post(url, {"name": "张三", "unit": "李家庄村书记", "status": "present"})
    response = client.post(url, {"name": "李四", "unit": "王家村主任", "status": "leave"})
    assert "请填写请假批准人" in response.content.decode()
    client.post(url, {"name": "李四", "unit": "王家村主任", "status": "leave", "leave_approved_by": "镇党委书记"})
    client.post(url, {"name": "王五", "status": "absent"})
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "张三" in page and "请假（已批准）" in page and "批准人：镇党委书记" in page and "缺席" in page
    assert meeting.attendances.count() == 3


def test_attendance_is_not_marked_present_on_the_meeting_page_before_its_day(login, cadre_a, clock):
    meeting = township_meeting(cadre_a, on=clock.today() + 2 * DAY)
    url = reverse("meetings:attendance-add", args=[meeting.pk])
    response = login(cadre_a).post(url, {"name": "张三", "unit": "李家庄村书记", "status": "present"})
    assert response.status_code == 200  # back on the form, not redirected
    assert f"出席、缺席自会议当天（{meeting.date.isoformat()}）起登记；请假可提前登记。" in response.content.decode()
    assert not meeting.attendances.exists()


def test_the_meeting_list_and_its_filter_name_the_kind_of_meeting(login, cadre_a, clock):
    township_meeting(cadre_a)
    page = login(cadre_a).get(reverse("meetings:meeting-list")).content.decode()
    assert "<th>会议类型</th>" in page and page.count("会议类型") >= 2  # the column and the filter


def test_issue_list_puts_overdue_issues_first(login, cadre_a, village_a, clock):
    old = township_meeting(cadre_a)
    late = issue_at(old, cadre_a, village_a, "水渠堵塞")
    clock.travel(40 * DAY)
    fresh = issue_at(township_meeting(cadre_a), cadre_a, village_a, "路灯不亮")
    page = login(cadre_a).get(reverse("meetings:issue-list")).content.decode()
    assert page.index(late.description) < page.index(fresh.description)
    assert "已逾期" in page and "逾期 1 件" in page


def test_county_sees_every_townships_issues_and_can_filter(
    login, county_office, cadre_a, cadre_b, village_a, village_b, township_b, clock
):
    issue_at(township_meeting(cadre_a), cadre_a, village_a, "甲镇问题")
    issue_at(township_meeting(cadre_b), cadre_b, village_b, "乙镇问题")
    client = login(county_office)
    page = client.get(reverse("meetings:issue-list")).content.decode()
    assert "甲镇问题" in page and "乙镇问题" in page
    page = client.get(reverse("meetings:issue-list"), {"township": township_b.pk}).content.decode()
    assert "甲镇问题" not in page and "乙镇问题" in page
    assert client.get(reverse("meetings:issue-list"), {"township": "nonsense"}).status_code == 200


def test_outcome_then_publication_through_the_pages(login, cadre_a, village_a, clock):
    issue = issue_at(township_meeting(cadre_a), cadre_a, village_a)
    client = login(cadre_a)
    client.post(
        reverse("meetings:issue-outcome", args=[issue.pk]),
        {"outcome": Outcome.ON_THE_SPOT, "outcome_on": clock.today().isoformat()},
    )
    assert issue.description in client.get(reverse("meetings:issue-list")).content.decode()  # awaiting publication
    confirm = client.get(reverse("meetings:issue-publish", args=[issue.pk]))
    assert "公开后不能撤回" in confirm.content.decode()
    client.post(reverse("meetings:issue-publish", args=[issue.pk]))
    issue.refresh_from_db()
    assert issue.published_on == clock.today()


def test_calendar_shows_the_months_meetings_and_survives_bad_input(login, cadre_a, clock):
    meeting = township_meeting(cadre_a, topic="月度例会")
    client = login(cadre_a)
    page = client.get(reverse("meetings:meeting-calendar"), {"month": meeting.date.strftime("%Y-%m")}).content.decode()
    assert meeting.get_absolute_url() in page
    for bad in ("2026-13", "abc", "99999-1", "-"):
        assert client.get(reverse("meetings:meeting-calendar"), {"month": bad}).status_code == 200


def test_rhythm_says_when_a_dispatch_meeting_is_due(login, county_office, township_a, clock):
    county_meeting(county_office, [township_a], on=clock.today() - DAY)
    client = login(county_office)
    assert "在两周之内" in client.get(reverse("meetings:meeting-rhythm")).content.decode()
    clock.travel(13 * DAY)
    page = client.get(reverse("meetings:meeting-rhythm")).content.decode()
    assert "已满两周，应召开调度会" in page and "14 天前召开" in page


def test_workbench_lists_overdue_issues_and_a_due_dispatch_meeting(login, cadre_a, county_office, village_a, clock):
    issue_at(township_meeting(cadre_a), cadre_a, village_a)
    clock.travel(32 * DAY)
    assert "逾期未办结的例会问题" in login(cadre_a).get(reverse("workbench")).content.decode()
    assert "应召开调度会" in login(county_office).get(reverse("workbench")).content.decode()


def test_decision_step_out_of_order_is_refused_on_the_page(login, cadre_a, village_a, clock):
    decision = services.start_decision(village=village_a, by=cadre_a, title="村集体土地流转")
    client = login(cadre_a)
    response = client.post(
        reverse("meetings:decision-step", args=[decision.pk]),
        {
            "step": DecisionStep.RESOLUTION,
            "held_on": clock.today().isoformat(),
            "members": 40,
            "present": 30,
            "in_favour": 25,
        },
    )
    assert "步骤不能跳过或颠倒顺序：下一步应为“党支部提议”" in response.content.decode()
    client.post(
        reverse("meetings:decision-step", args=[decision.pk]),
        {"step": DecisionStep.PROPOSAL, "held_on": clock.today().isoformat(), "passed": "yes"},
    )
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "登记：两委会商议" in page


@pytest.mark.parametrize(
    "url_name",
    [
        "meetings:meeting-list",
        "meetings:issue-list",
        "meetings:decision-list",
        "meetings:meeting-calendar",
        "meetings:meeting-rhythm",
    ],
)
def test_lists_take_the_same_number_of_queries_for_1_and_20_rows(
    url_name, login, cadre_a, village_a, clock, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(count):
        for n in range(count):
            meeting = township_meeting(cadre_a, topic=f"例会{n}")
            issue_at(meeting, cadre_a, village_a, f"问题{n}")
            services.start_decision(village=village_a, by=cadre_a, title=f"事项{n}")

    client = login(cadre_a)
    add(1)
    client.get(reverse(url_name))
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(url_name)).status_code == 200
    add(19)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse(url_name))


def test_meeting_time_is_kept_in_local_time(cadre_a, clock):
    meeting = township_meeting(cadre_a, on=clock.today(), starts_at=at(clock.today(), 23))
    assert meeting.date == clock.today()


def test_voiding_a_meeting_keeps_it_marked_and_drops_it_and_its_issues_from_the_lists(login, cadre_a, village_a, clock):
    meeting = township_meeting(cadre_a, topic="误录的例会")
    issue_at(meeting, cadre_a, village_a, "误录的问题")
    client = login(cadre_a)
    response = client.post(reverse("meetings:meeting-void", args=[meeting.pk]), {"reason": ""})
    assert response.status_code == 200 and not Meeting.objects.get().is_voided
    client.post(reverse("meetings:meeting-void", args=[meeting.pk]), {"reason": "重复登记"})
    meeting.refresh_from_db()
    assert meeting.is_voided and meeting.void_reason == "重复登记" and meeting.voided_by == cadre_a
    assert "误录的例会" not in client.get(reverse("meetings:meeting-list")).content.decode()
    assert "误录的问题" not in client.get(reverse("meetings:issue-list")).content.decode()
    assert "重复登记" in client.get(meeting.get_absolute_url()).content.decode()


def test_workbench_items_serve_only_cadres_and_the_county_office(
    cadre_a, leader, org_department, admin, village_a, clock
):
    from meetings.workbench import meeting_items

    issue_at(township_meeting(cadre_a), cadre_a, village_a)
    clock.travel(40 * DAY)
    assert [item.count for item in meeting_items(cadre_a)] == [1]
    for user in (leader, org_department, admin):
        assert meeting_items(user) == []


def test_decision_step_page_asks_for_counts_only_at_the_votes(login, cadre_a, village_a, clock):
    """两委会商议 records whether it passed, no counts; 党员大会审议 records its counts, and its result follows."""
    decision = services.start_decision(village=village_a, by=cadre_a, title="村集体土地流转")
    services.record_decision_step(
        decision=decision, by=cadre_a, step=DecisionStep.PROPOSAL, held_on=clock.today(), passed=True
    )
    client = login(cadre_a)
    url = reverse("meetings:decision-step", args=[decision.pk])
    consultation = client.get(url).content.decode()
    assert 'name="passed"' in consultation
    for name in ("members", "present", "in_favour", "against"):
        assert f'name="{name}"' not in consultation, name
    services.record_decision_step(
        decision=decision, by=cadre_a, step=DecisionStep.CONSULTATION, held_on=clock.today(), passed=True
    )
    review = client.get(url).content.decode()
    assert all(f'name="{name}"' in review for name in ("members", "present", "in_favour", "against"))
    assert 'name="passed"' not in review


def test_counts_given_to_a_step_that_is_no_vote_are_refused(cadre_a, village_a, clock, refused):
    decision = services.start_decision(village=village_a, by=cadre_a, title="村集体土地流转")
    with refused("counts_not_recorded"):
        services.record_decision_step(
            decision=decision, by=cadre_a, step=DecisionStep.PROPOSAL, held_on=clock.today(), passed=True, members=9
        )
    decision.refresh_from_db()
    assert decision.steps_done == 0 and not decision.records.exists()
