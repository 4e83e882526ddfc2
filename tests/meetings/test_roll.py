"""The roll: whom a meeting expects, one tap per person, and the notice addressed to those called."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from clusters import services as cluster_services
from clusters.models import ClusterOfficer
from meetings import selectors, services
from meetings.models import Attendance, Invitee, Meeting, MeetingKind
from tests import factories
from tests.clusters.factories import proposed_cluster, villages_of
from tests.meetings.factories import at, county_meeting, township_meeting

DAY = datetime.timedelta(days=1)
Body = ClusterOfficer.Body


def officer(cadre, cluster, name, post, village=None, body=Body.PARTY_BRANCH, **kwargs):
    return cluster_services.add_officer(
        cluster=cluster, body=body, name=name, post=post, home_village=village, by=cadre, **kwargs
    )


@pytest.fixture
def officers(cadre_a):
    """A cluster of three villages of township A: two village cadres (one holding two posts) and a work group leader."""
    villages = villages_of(cadre_a.township, 3)
    cluster = proposed_cluster(cadre_a, villages)
    officer(cadre_a, cluster, "李建华", "书记", villages[0])
    officer(cadre_a, cluster, "李建华", "主任", villages[0], body=Body.COMMITTEE)
    officer(cadre_a, cluster, "王秀英", "副书记", villages[1])
    officer(cadre_a, cluster, "周组长", "组长", None, body=Body.WORK_GROUP, unit="镇党委")
    return cluster, villages


def roll_names(meeting):
    return list(meeting.roll.values_list("name", flat=True))


# ---------------------------------------------------------------- who is expected


def test_a_county_meeting_expects_the_active_cadres_of_the_townships_it_calls(
    county_office, cadre_a, cadre_b, township_a, clock
):
    colleague = factories.cadre_of(cadre_a.township, full_name="孙同事")
    factories.cadre_of(cadre_a.township, full_name="离职者", is_active=False)
    meeting = county_meeting(county_office, [township_a])
    assert roll_names(meeting) == [str(cadre_a), str(colleague)]
    assert set(meeting.roll.values_list("source", flat=True)) == {Invitee.Source.TOWNSHIP_CADRE}
    assert meeting.roll.get(user=cadre_a).unit == township_a.name


def test_a_regular_meeting_expects_its_village_cadres_once_each_from_the_cluster_officers(cadre_a, officers, clock):
    _cluster, villages = officers
    meeting = township_meeting(cadre_a)
    assert roll_names(meeting) == ["李建华", "王秀英"]  # the work group is the township's own
    li = meeting.roll.get(name="李建华")
    assert li.village == villages[0] and li.source == Invitee.Source.VILLAGE_CADRE
    assert li.unit == f"{villages[0].name} · 联村党总支书记、联村委员会主任"


def test_a_joint_meeting_of_a_cluster_expects_all_its_officers(cadre_a, officers, clock):
    cluster, _villages = officers
    meeting = township_meeting(cadre_a, kind=MeetingKind.JOINT, cluster=cluster, notice_sent_on=None)
    assert roll_names(meeting) == ["李建华", "王秀英", "周组长"]


def test_a_voided_officer_is_not_expected(cadre_a, officers, clock):
    cluster, _villages = officers
    cluster_services.void_officer(officer=cluster.officers.get(name="王秀英"), by=cadre_a, reason="已调离")
    assert roll_names(township_meeting(cadre_a)) == ["李建华"]


def test_a_list_given_when_the_meeting_is_called(cadre_a, officers, clock):
    meeting = township_meeting(
        cadre_a, roll_from_records=False, expected="赵德胜，东村党支部书记\n\n钱春梅 西村村委会主任\n孙明亮"
    )
    assert [(i.name, i.unit, i.source) for i in meeting.roll.all()] == [
        ("赵德胜", "东村党支部书记", Invitee.Source.GIVEN),
        ("钱春梅", "西村村委会主任", Invitee.Source.GIVEN),
        ("孙明亮", "", Invitee.Source.GIVEN),
    ]


def test_a_too_long_line_is_refused_and_nothing_is_scheduled(cadre_a, clock, refused):
    with refused("roll_line_too_long") as info:
        township_meeting(cadre_a, expected="赵德胜，东村\n" + "长" * 51)
    assert "expected" in info.value.error_dict
    assert not Meeting.objects.exists()


def test_two_cadres_of_one_name_are_told_apart_by_their_village(cadre_a, clock):
    villages = villages_of(cadre_a.township, 2)
    cluster = proposed_cluster(cadre_a, villages)
    officer(cadre_a, cluster, "张伟", "书记", villages[0])
    officer(cadre_a, cluster, "张伟", "副书记", villages[1])
    meeting = township_meeting(cadre_a)
    assert roll_names(meeting) == ["张伟", f"张伟（{villages[1].name}）"]
    # Drawing the roll again adds no one twice.
    assert services.add_to_roll(meeting=meeting, by=cadre_a, from_records=True) == []
    assert meeting.roll.count() == 2


def test_adding_to_the_roll_later_takes_new_officers_and_listed_people(cadre_a, officers, clock):
    cluster, villages = officers
    meeting = township_meeting(cadre_a, roll_from_records=False)
    assert not meeting.roll.exists()
    officer(cadre_a, cluster, "陈卫东", "委员", villages[2], body=Body.COMMITTEE)
    added = services.add_to_roll(meeting=meeting, by=cadre_a, people="王秀英\n吴玉兰，镇农业办", from_records=True)
    assert [i.name for i in added] == ["李建华", "王秀英", "陈卫东", "吴玉兰"]  # 王秀英 listed twice: once


def test_adding_nothing_to_the_roll_is_refused(cadre_a, clock, refused):
    with refused("roll_nothing_given"):
        services.add_to_roll(meeting=township_meeting(cadre_a), by=cadre_a, people="  \n ")


# ---------------------------------------------------------------- one tap per person


@pytest.fixture
def listed(cadre_a, clock):
    return township_meeting(
        cadre_a, roll_from_records=False, expected="赵德胜，东村书记\n钱春梅，西村主任\n孙明亮，南村书记"
    )


def test_a_tap_records_the_person_with_their_unit_and_a_second_tap_changes_it(listed, cadre_a, refused):
    person = services.mark_attendance(meeting=listed, by=cadre_a, name="赵德胜", status="present")
    assert (person.unit, person.status, person.recorded_by) == ("东村书记", "present", cadre_a)
    with refused("leave_approver_required"):
        services.mark_attendance(meeting=listed, by=cadre_a, name="赵德胜", status="leave")
    services.mark_attendance(meeting=listed, by=cadre_a, name="赵德胜", status="leave", leave_approved_by="镇党委书记")
    person.refresh_from_db()
    assert (person.status, person.leave_approved_by) == ("leave", "镇党委书记")
    services.mark_attendance(meeting=listed, by=cadre_a, name="赵德胜", status="absent", leave_approved_by="镇党委书记")
    person.refresh_from_db()
    assert (person.status, person.leave_approved_by) == ("absent", "")  # an approver belongs to leave only
    assert listed.attendances.count() == 1
    assert [row.status for row in person.history.order_by("history_id")] == ["present", "leave", "absent"]


def test_a_late_arrival_is_its_own_tap_and_count(listed, cadre_a):
    person = services.mark_attendance(meeting=listed, by=cadre_a, name="钱春梅", status="late")
    assert person.is_present and person.is_late and person.get_status_display() == "迟到"
    roll = selectors.roll_of(listed)
    assert (roll.present, roll.late, roll.unmarked) == (0, 1, 2)


def test_someone_not_on_the_roll_is_added_as_before_and_then_tapped_like_anyone(listed, cadre_a, refused):
    with refused("not_on_roll"):
        services.mark_attendance(meeting=listed, by=cadre_a, name="路人甲", status="present")
    services.add_attendance(meeting=listed, by=cadre_a, name="李临时", unit="镇农业办", status="present")
    services.mark_attendance(meeting=listed, by=cadre_a, name="李临时", status="absent")
    roll = selectors.roll_of(listed)
    assert [(line.name, line.on_roll, line.status) for line in roll.added] == [("李临时", False, "absent")]
    assert (roll.expected, roll.present, roll.absent, roll.unmarked) == (3, 0, 1, 3)


def test_present_and_absent_wait_for_the_meetings_day_but_leave_may_be_approved_before(cadre_a, clock, refused):
    meeting = township_meeting(cadre_a, on=clock.today() + 6 * DAY, expected="赵德胜")
    with refused("meeting_not_held"):
        services.mark_attendance(meeting=meeting, by=cadre_a, name="赵德胜", status="present")
    services.mark_attendance(meeting=meeting, by=cadre_a, name="赵德胜", status="leave", leave_approved_by="镇党委书记")
    assert meeting.attendances.get().status == "leave"


def test_an_absence_is_corrected_to_leave_on_the_day_but_not_weeks_later(cadre_a, clock, refused):
    """Seed 003: leave is approved before the meeting; turning an absence into leave afterwards only lifts the rate."""
    meeting = township_meeting(cadre_a, on=clock.today(), expected="赵德胜\n钱春梅")
    services.mark_attendance(meeting=meeting, by=cadre_a, name="赵德胜", status="absent")
    services.mark_attendance(meeting=meeting, by=cadre_a, name="赵德胜", status="leave", leave_approved_by="镇党委书记")
    services.mark_attendance(meeting=meeting, by=cadre_a, name="钱春梅", status="absent")
    clock.travel(10 * DAY)
    with refused("leave_after_the_meeting") as error:
        services.mark_attendance(meeting=meeting, by=cadre_a, name="钱春梅", status="leave", leave_approved_by="镇长")
    assert error.value.message_dict == {"status": ["钱春梅已登记为“缺席”；会议当天过后不能再改为请假。"]}
    assert dict(meeting.attendances.values_list("name", "status")) == {"赵德胜": "leave", "钱春梅": "absent"}
    # Other corrections stay possible: an absence found to be a late arrival.
    services.mark_attendance(meeting=meeting, by=cadre_a, name="钱春梅", status="late")
    assert meeting.attendances.get(name="钱春梅").status == "late"


def test_someone_added_by_name_waits_for_the_meetings_day_as_a_tap_does(cadre_a, clock, refused):
    """Adding a person not on the roll follows the roll's rule: present or absent from the day, leave before."""
    meeting = township_meeting(cadre_a, on=clock.today() + 2 * DAY)
    for status in ("present", "late", "absent"):
        with refused("meeting_not_held"):
            services.add_attendance(meeting=meeting, by=cadre_a, name="李临时", status=status)
    assert not meeting.attendances.exists()
    services.add_attendance(meeting=meeting, by=cadre_a, name="李临时", status="leave", leave_approved_by="镇党委书记")
    assert meeting.attendances.get().status == "leave"


def test_only_the_convener_marks_and_a_voided_meeting_is_not_marked(listed, cadre_a, cadre_b, county_office, refused):
    for other in (cadre_b, county_office):
        with pytest.raises(PermissionDenied):
            services.mark_attendance(meeting=listed, by=other, name="赵德胜", status="present")
    services.void_meeting(meeting=listed, by=cadre_a, reason="重复登记")
    with refused("voided"):
        services.mark_attendance(meeting=listed, by=cadre_a, name="赵德胜", status="present")
    assert not Attendance.objects.exists()


def test_the_regular_meeting_figures_stay_present_leave_absent_per_person(listed, cadre_a):
    """What the assessment reads: one Attendance row per person marked; someone not yet marked has none."""
    services.mark_attendance(meeting=listed, by=cadre_a, name="赵德胜", status="present")
    services.mark_attendance(meeting=listed, by=cadre_a, name="钱春梅", status="leave", leave_approved_by="镇党委书记")
    rows = Attendance.objects.filter(meeting__kind=MeetingKind.TOWNSHIP, meeting__township=cadre_a.township)
    assert sorted(rows.values_list("name", "status")) == [("赵德胜", "present"), ("钱春梅", "leave")]
    assert set(Attendance.objects.values_list("status", flat=True)) <= set(Attendance.Status.values)


# ---------------------------------------------------------------- pages


def roll_url(meeting):
    return reverse("meetings:attendance-roll", args=[meeting.pk])


def test_the_roll_page_marks_a_person_with_a_plain_post_and_shows_it_after_reload(login, listed, cadre_a):
    client = login(cadre_a)
    page = client.get(roll_url(listed)).content.decode()
    assert "赵德胜" in page and "东村书记" in page and 'src="/static/meetings/roll.js"' in page
    assert "<script>" not in page  # no inline script: the page's behaviour is in a static file
    response = client.post(roll_url(listed), {"mark": "present|钱春梅", "approver": ""})
    assert response.status_code == 302 and response["Location"] == roll_url(listed) + "#person-2"
    page = client.get(roll_url(listed)).content.decode()
    assert "已登记 钱春梅：出席。" in page
    row = page[page.index('id="person-2"') : page.index('id="person-3"')]
    assert 'value="present|钱春梅" class="btn roll-mark btn-outline-success active" aria-pressed="true"' in row


def test_a_tap_sent_by_the_script_answers_with_the_row_and_the_counts(login, listed, cadre_a):
    client = login(cadre_a)
    response = client.post(
        roll_url(listed),
        {"mark": "leave|孙明亮", "approver": "镇党委书记"},
        HTTP_ACCEPT="application/json",
    )
    data = json.loads(response.content)
    assert response.status_code == 200 and data["ok"]
    assert (data["status"], data["state"]) == ("leave", "请假（已批准） · 批准人：镇党委书记")
    assert data["counts"] == {"present": 0, "late": 0, "leave": 1, "absent": 0, "unmarked": 2}
    refused = client.post(roll_url(listed), {"mark": "leave|赵德胜"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and json.loads(refused.content)["errors"] == ["请填写请假批准人。"]
    assert listed.attendances.count() == 1


def test_a_refused_plain_tap_says_why_on_the_roll_page(login, listed, cadre_a):
    response = login(cadre_a).post(roll_url(listed), {"mark": "leave|赵德胜", "approver": ""})
    assert response.status_code == 200 and "请填写请假批准人。" in response.content.decode()
    assert not listed.attendances.exists()


def test_the_roll_is_kept_by_its_convener_only(login, listed, cadre_b, county_office):
    for url in (roll_url(listed), reverse("meetings:roll-add", args=[listed.pk])):
        assert login(cadre_b).get(url).status_code == 404
    assert login(cadre_b).post(roll_url(listed), {"mark": "present|赵德胜"}).status_code == 404
    assert login(county_office).post(roll_url(listed), {"mark": "present|赵德胜"}).status_code == 403
    assert not listed.attendances.exists()


def test_a_late_addition_from_the_roll_page_returns_to_the_roll(login, listed, cadre_a):
    client = login(cadre_a)
    url = reverse("meetings:attendance-add", args=[listed.pk]) + "?next=roll"
    response = client.post(url, {"name": "李临时", "unit": "镇农业办", "status": "present"})
    assert response["Location"] == roll_url(listed)
    page = client.get(roll_url(listed)).content.decode()
    assert "不在名单上、会上补登的人员" in page and "李临时" in page


def test_people_are_put_on_the_roll_from_its_page(login, listed, cadre_a):
    client = login(cadre_a)
    url = reverse("meetings:roll-add", args=[listed.pk])
    response = client.post(url, {"people": "吴玉兰，镇农业办\n赵德胜"})
    assert response["Location"] == roll_url(listed)
    assert roll_names(listed)[-1] == "吴玉兰" and listed.roll.count() == 4
    assert "请列出要添加的人员" in client.post(url, {"people": ""}).content.decode()


def test_scheduling_through_the_form_puts_the_listed_people_on_the_roll(login, cadre_a, officers, clock):
    on = clock.today() + 6 * DAY
    login(cadre_a).post(
        reverse("meetings:meeting-create"),
        {
            "kind": MeetingKind.TOWNSHIP,
            "topic": "例会",
            "starts_at": f"{on.isoformat()}T09:00",
            "place": "镇政府",
            "minutes_keeper": "李记录",
            "notice_sent_on": clock.today().isoformat(),
            "roll_from_records": "on",
            "expected": "赵德胜，东村书记",
        },
    )
    assert roll_names(Meeting.objects.get()) == ["李建华", "王秀英", "赵德胜"]


def test_the_meeting_page_counts_the_roll(login, listed, cadre_a):
    services.mark_attendance(meeting=listed, by=cadre_a, name="赵德胜", status="present")
    page = login(cadre_a).get(listed.get_absolute_url()).content.decode()
    summary = page[page.index('id="roll-summary"') :]
    assert "名单 <strong>3</strong>" in summary and 'data-count="unmarked">2<' in summary


# ---------------------------------------------------------------- the notice


def addressees(client, meeting) -> str:
    page = client.get(reverse("meetings:meeting-notice", args=[meeting.pk])).content.decode()
    start = page.index('id="addressees">') + len('id="addressees">')
    return page[start : page.index("</p>", start)]


def test_a_regular_meetings_notice_is_addressed_to_its_villages_not_its_own_township(
    login, cadre_a, township_a, officers, clock
):
    _cluster, villages = officers
    meeting = township_meeting(cadre_a)
    line = addressees(login(cadre_a), meeting)
    assert township_a.name not in line
    assert line == f"{villages[0].name}、{villages[1].name}："


def test_a_notice_with_no_one_named_goes_to_every_village(login, cadre_a, township_a, clock):
    assert addressees(login(cadre_a), township_meeting(cadre_a, roll_from_records=False)) == "各村（社区）："


def test_a_county_notice_is_addressed_to_the_townships_called(login, county_office, township_a, township_b, clock):
    meeting = county_meeting(county_office, [township_b, township_a])
    expected = "、".join(t.name for t in sorted([township_a, township_b], key=lambda t: t.code))
    assert addressees(login(county_office), meeting) == f"{expected}："


def test_a_deliberation_notice_is_addressed_to_the_villages_people(login, cadre_a, village_a, clock):
    meeting = services.schedule_meeting(
        by=cadre_a,
        kind=MeetingKind.VILLAGE,
        topic="院坝议事",
        starts_at=at(clock.today() + 3 * DAY, 19),
        place="文化广场",
        minutes_keeper="村文书",
        village=village_a,
    )
    assert addressees(login(cadre_a), meeting) == f"{village_a.name}各村民小组、村民代表："


def test_the_roll_page_reads_as_many_rows_in_as_many_queries_for_one_person_as_for_twenty(login, cadre_a, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cadre_a)
    counts = []
    for size in (1, 20):
        meeting = township_meeting(cadre_a, expected="\n".join(f"人员{n}，第{n}村书记" for n in range(size)))
        services.mark_attendance(meeting=meeting, by=cadre_a, name="人员0", status="present")
        services.add_attendance(meeting=meeting, by=cadre_a, name="补登者", status="absent")
        client.get(roll_url(meeting))  # warm the session and caches alike for both sizes
        with CaptureQueriesContext(connection) as queries:
            assert client.get(roll_url(meeting)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_notice_page_prints_without_inline_script(login, cadre_a, clock):
    page = login(cadre_a).get(reverse("meetings:meeting-notice", args=[township_meeting(cadre_a).pk])).content.decode()
    assert "onclick" not in page and "<script>" not in page and 'src="/static/meetings/print.js"' in page
