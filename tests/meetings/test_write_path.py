"""Meetings on the shared write path: declared life cycles, no lost update, dates within the record's life,
and a 修改记录 page for every change the meetings services make."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from lianchun.workflow import REGISTRY
from meetings import services
from meetings.models import Decision, DecisionStage, DecisionStep, IssueStatus, Meeting, MeetingIssue, Outcome
from meetings.workflows import DECISION_FLOW, ISSUE_FLOW
from tests import factories
from tests.meetings.factories import at, township_meeting
from tests.walk import form_data

DAY = datetime.timedelta(days=1)
S = DecisionStep


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def colleague(township_a):
    return factories.cadre_of(township_a, username="colleague", full_name="李同事")


def issue_of(meeting, cadre, village=None, text="村道破损需维修"):
    return services.raise_issue(
        meeting=meeting, by=cadre, description=text, raised_by="李书记", owner="王副镇长", village=village
    )


# ---------------------------------------------------------------- lost updates


def test_second_person_saving_minutes_is_refused_and_keeps_their_text(cadre_a, colleague, clock):
    meeting = township_meeting(cadre_a)
    url = reverse("meetings:meeting-minutes", args=[meeting.pk])
    first, second = client_of(cadre_a), client_of(colleague)
    mine = form_data(first.get(url).content.decode())
    theirs = form_data(second.get(url).content.decode())

    assert first.post(url, {**mine, "minutes": "张干部记的：各村汇报四季度工作。"}).status_code == 302
    response = second.post(url, {**theirs, "minutes": "李同事记的：讨论村道维修。"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "张干部" in page  # who saved meanwhile
    assert "张干部记的：各村汇报四季度工作。" in page and "李同事记的：讨论村道维修。" in page
    meeting.refresh_from_db()
    assert meeting.minutes == "张干部记的：各村汇报四季度工作。"
    # The refused form now carries the current token: saving the merged text goes through.
    merged = form_data(page)
    assert merged["record_version"] != theirs["record_version"]
    assert second.post(url, {**merged, "minutes": "两人合并的记录。"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "两人合并的记录。"


def test_minutes_kept_inline_on_the_meeting_page_carry_the_token_too(cadre_a, colleague, clock):
    meeting = township_meeting(cadre_a)
    stale = form_data(client_of(colleague).get(meeting.get_absolute_url()).content.decode(), "minutes")
    services.record_minutes(meeting=meeting, by=cadre_a, minutes="先保存的记录")
    response = client_of(colleague).post(
        reverse("meetings:meeting-minutes", args=[meeting.pk]), {**stale, "minutes": "后保存的记录"}
    )
    assert response.status_code == 200 and "先保存的记录" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "先保存的记录"


def test_second_person_correcting_an_issue_is_refused_and_keeps_their_text(cadre_a, colleague, village_a, clock):
    issue = issue_of(township_meeting(cadre_a), cadre_a, village_a)
    url = reverse("meetings:issue-edit", args=[issue.pk])
    first, second = client_of(cadre_a), client_of(colleague)
    mine = form_data(first.get(url).content.decode())
    theirs = form_data(second.get(url).content.decode())
    assert first.post(url, {**mine, "description": "村道破损，雨天无法通行"}).status_code == 302
    response = second.post(url, {**theirs, "description": "村道破损，学生上学绕行"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "村道破损，雨天无法通行" in page and "村道破损，学生上学绕行" in page
    issue.refresh_from_db()
    assert issue.description == "村道破损，雨天无法通行"


def test_pasted_control_characters_are_cleaned_from_the_minutes(cadre_a, clock):
    meeting = township_meeting(cadre_a)
    url = reverse("meetings:meeting-minutes", args=[meeting.pk])
    client = client_of(cadre_a)
    data = form_data(client.get(url).content.decode())
    client.post(url, {**data, "minutes": "第一项\x0b\x0c议程\r\n第二项"})
    meeting.refresh_from_db()
    assert meeting.minutes == "第一项议程\n第二项"


def test_an_issue_with_an_outcome_can_no_longer_be_corrected(cadre_a, clock, refused):
    issue = issue_of(township_meeting(cadre_a), cadre_a)
    services.record_outcome(issue=issue, by=cadre_a, outcome=Outcome.ON_THE_SPOT, outcome_on=clock.today())
    with refused("not_editable"):
        services.update_issue(issue=issue, by=cadre_a, description="改", raised_by="", owner="王")
    page = client_of(cadre_a).get(issue.get_absolute_url()).content.decode()
    assert reverse("meetings:issue-edit", args=[issue.pk]) not in page


# ---------------------------------------------------------------- declared life cycles


def test_meetings_declare_both_life_cycles():
    assert REGISTRY["meetings.meetingissue"] is ISSUE_FLOW
    assert REGISTRY["meetings.decision"] is DECISION_FLOW


def test_each_decision_step_starts_only_where_the_step_before_it_ends():
    previous = DecisionStage.NEW
    for step in S:
        assert DECISION_FLOW[step.value].sources == {previous}
        previous = step.value
    assert DECISION_FLOW.reachable() == set(DecisionStage.values)


def test_a_decision_offers_only_its_next_step_and_none_once_ended(cadre_a, county_office, village_a, clock):
    decision = services.start_decision(village=village_a, by=cadre_a, title="村集体土地流转")
    assert [t.name for t in DECISION_FLOW.available(decision, cadre_a)] == [S.PROPOSAL]
    assert DECISION_FLOW.available(decision, county_office) == []
    services.record_decision_step(decision=decision, by=cadre_a, step=S.PROPOSAL, held_on=clock.today(), passed=True)
    assert [t.name for t in DECISION_FLOW.available(decision, cadre_a)] == [S.CONSULTATION]
    services.record_decision_step(
        decision=decision, by=cadre_a, step=S.CONSULTATION, held_on=clock.today(), passed=False
    )
    decision.refresh_from_db()
    assert decision.stage == DecisionStage.FAILED and decision.status == Decision.Status.FAILED
    assert DECISION_FLOW.available(decision, cadre_a) == []
    page = client_of(cadre_a).get(decision.get_absolute_url()).content.decode()
    assert "登记：" not in page and "未通过" in page


def test_decision_list_filters_by_status(cadre_a, village_a, clock):
    done = services.start_decision(village=village_a, by=cadre_a, title="已否决的事项")
    services.record_decision_step(decision=done, by=cadre_a, step=S.PROPOSAL, held_on=clock.today(), passed=False)
    services.start_decision(village=village_a, by=cadre_a, title="进行中的事项")
    client = client_of(cadre_a)
    failed = client.get(reverse("meetings:decision-list"), {"status": Decision.Status.FAILED}).content.decode()
    assert "已否决的事项" in failed and "进行中的事项" not in failed
    ongoing = client.get(reverse("meetings:decision-list"), {"status": Decision.Status.IN_PROGRESS}).content.decode()
    assert "进行中的事项" in ongoing and "已否决的事项" not in ongoing
    assert client.get(reverse("meetings:decision-list"), {"status": "nonsense"}).status_code == 200


def test_an_issue_moves_from_open_to_outcome_to_published(cadre_a, cadre_b, clock):
    issue = issue_of(township_meeting(cadre_a), cadre_a)
    assert [t.name for t in ISSUE_FLOW.available(issue, cadre_a)] == ["record_outcome"]
    assert ISSUE_FLOW.available(issue, cadre_b) == []
    services.record_outcome(issue=issue, by=cadre_a, outcome=Outcome.ON_THE_SPOT, outcome_on=clock.today())
    assert issue.status == IssueStatus.RESOLVED
    assert [t.name for t in ISSUE_FLOW.available(issue, cadre_a)] == ["publish"]
    services.publish_outcome(issue=issue, by=cadre_a)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PUBLISHED and ISSUE_FLOW.available(issue, cadre_a) == []


def test_issues_of_a_voided_meeting_offer_no_step(cadre_a, clock):
    meeting = township_meeting(cadre_a)
    issue = issue_of(meeting, cadre_a)
    services.void_meeting(meeting=meeting, by=cadre_a, reason="重复登记")
    issue = MeetingIssue.objects.get(pk=issue.pk)
    assert ISSUE_FLOW.available(issue, cadre_a) == []


# ---------------------------------------------------------------- dates within the record's life


def test_a_meeting_decades_away_is_refused_naming_the_allowed_range(login, cadre_a, clock, refused):
    today = clock.today()
    client = login(cadre_a)
    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "kind": "township",
            "topic": "例会",
            "starts_at": "2066-05-01T09:00",
            "place": "镇政府",
            "minutes_keeper": "李记录",
            "notice_sent_on": today.isoformat(),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Meeting.objects.exists()
    start, end = today - 366 * DAY, today + 366 * DAY
    assert f"会议日期须在 {start.isoformat()} 至 {end.isoformat()} 之间" in page
    assert 'id="error_1_id_starts_at"' in page  # on the date field, not above the form
    with refused("meeting_too_early"):
        township_meeting(cadre_a, on=datetime.date(1990, 3, 1))


def test_a_notice_dated_1900_is_refused(cadre_a, clock, refused):
    with refused("notice_too_early") as info:
        services.schedule_meeting(
            by=cadre_a,
            kind="township",
            topic="例会",
            starts_at=at(clock.today() + 7 * DAY),
            place="镇政府",
            minutes_keeper="李记录",
            notice_sent_on=datetime.date(1900, 1, 1),
        )
    assert "notice_sent_on" in info.value.error_dict


def test_minutes_before_the_meeting_day_name_the_day(login, cadre_a, clock):
    meeting = township_meeting(cadre_a, on=clock.today() + 6 * DAY)
    client = login(cadre_a)
    url = reverse("meetings:meeting-minutes", args=[meeting.pk])
    data = form_data(client.get(url).content.decode())
    page = client.post(url, {**data, "minutes": "提前写好的记录"}).content.decode()
    assert f"会议记录自会议当天（{meeting.date.isoformat()}）起方可填写" in page
    meeting.refresh_from_db()
    assert meeting.minutes == ""


def test_outcome_dated_before_the_meeting_names_the_range_on_the_date_field(login, cadre_a, clock):
    meeting = township_meeting(cadre_a)
    issue = issue_of(meeting, cadre_a)
    response = login(cadre_a).post(
        reverse("meetings:issue-outcome", args=[issue.pk]),
        {"outcome": Outcome.EXPLAINED, "outcome_on": "1999-01-01", "note": "已解释"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"办理日期须在会议当天（{meeting.date.isoformat()}）至今天（{clock.today().isoformat()}）之间" in page
    issue.refresh_from_db()
    assert issue.is_open


def test_a_first_decision_step_dated_decades_back_is_refused(cadre_a, village_a, clock, refused):
    decision = services.start_decision(village=village_a, by=cadre_a, title="修建村文化广场")
    with refused("date_too_early") as info:
        services.record_decision_step(
            decision=decision, by=cadre_a, step=S.PROPOSAL, held_on=datetime.date(1980, 1, 1), passed=True
        )
    assert "held_on" in info.value.error_dict
    assert not decision.records.exists()


# ---------------------------------------------------------------- history


def test_every_meetings_service_leaves_a_history_page_that_opens(cadre_a, county_office, village_a, clock):
    meeting = township_meeting(cadre_a, topic="历史例会")
    person = services.add_attendance(meeting=meeting, by=cadre_a, name="张三", status="present")
    services.record_minutes(meeting=meeting, by=cadre_a, minutes="第一次记录")
    services.record_minutes(meeting=meeting, by=cadre_a, minutes="第二次记录")
    issue = issue_of(meeting, cadre_a, village_a, "路灯不亮")
    services.update_issue(issue=issue, by=cadre_a, description="路灯不亮已三月", raised_by="李书记", owner="王副镇长")
    services.record_outcome(issue=issue, by=cadre_a, outcome=Outcome.ON_THE_SPOT, outcome_on=clock.today())
    services.publish_outcome(issue=issue, by=cadre_a)
    decision = services.start_decision(village=village_a, by=cadre_a, title="历史事项")
    step = services.record_decision_step(
        decision=decision, by=cadre_a, step=S.PROPOSAL, held_on=clock.today(), passed=True
    )
    services.void_meeting(meeting=meeting, by=cadre_a, reason="重复登记")

    client = client_of(county_office)

    def history(label, pk):
        response = client.get(reverse("record-history", args=[label, pk]))
        assert response.status_code == 200, label
        return response.content.decode()

    page = history("meetings.meeting", meeting.pk)
    assert "第一次记录 → 第二次记录" in page and "重复登记" in page and "张干部" in page
    assert "张三" in history("meetings.attendance", person.pk)
    page = history("meetings.meetingissue", issue.pk)
    assert "路灯不亮 → 路灯不亮已三月" in page
    assert "当场解决" in page and "办理中 → " in page
    assert "历史例会" in page  # the linked meeting, by name
    page = history("meetings.decision", decision.pk)
    assert "党支部提议" in page and "尚无步骤 → 党支部提议" in page
    assert "历史事项" in history("meetings.decisionrecord", step.pk)
