"""Scheduling meetings: who convenes which kind, and the 例会's five-day written notice (seed 003)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from lianchun import clock
from meetings import services
from meetings.models import Meeting, MeetingKind
from tests.meetings.factories import at, county_meeting

DAY = datetime.timedelta(days=1)


def schedule(cadre, *, days_ahead: int, notice_days: int, urgent_reason: str = ""):
    on = clock.today() + days_ahead * DAY
    return services.schedule_meeting(
        by=cadre,
        kind=MeetingKind.TOWNSHIP,
        topic="村两委主要干部例会",
        starts_at=at(on),
        place="镇政府会议室",
        minutes_keeper="李记录",
        notice_sent_on=on - notice_days * DAY,
        urgent_reason=urgent_reason,
    )


def test_notice_exactly_five_days_ahead_is_accepted(cadre_a, clock):
    meeting = schedule(cadre_a, days_ahead=5, notice_days=5)
    assert meeting.notice_days == 5
    assert meeting.urgent_reason == ""
    assert list(meeting.invited_townships.all()) == [cadre_a.township]


def test_notice_four_days_ahead_is_refused_without_an_urgent_reason(cadre_a, clock, refused):
    with refused("notice_too_short") as info:
        schedule(cadre_a, days_ahead=4, notice_days=4)
    assert "4" in str(
        info.value.error_dict["urgent_reason"][0].message % info.value.error_dict["urgent_reason"][0].params
    )
    assert not Meeting.objects.exists()


def test_short_notice_with_an_urgent_reason_is_recorded(cadre_a, clock):
    meeting = schedule(cadre_a, days_ahead=2, notice_days=2, urgent_reason="防汛紧急部署")
    assert meeting.urgent_reason == "防汛紧急部署"
    assert meeting.history.first().history_user == cadre_a


def test_regular_meeting_without_a_notice_is_refused(cadre_a, clock, refused):
    with refused("notice_required"):
        services.schedule_meeting(
            by=cadre_a,
            kind=MeetingKind.TOWNSHIP,
            topic="例会",
            starts_at=at(clock.today() + 7 * DAY),
            place="镇政府",
            minutes_keeper="李记录",
        )


def test_notice_dated_in_the_future_is_refused(cadre_a, clock, refused):
    with refused("notice_in_future"):
        services.schedule_meeting(
            by=cadre_a,
            kind=MeetingKind.TOWNSHIP,
            topic="例会",
            starts_at=at(clock.today() + 9 * DAY),
            place="镇政府",
            minutes_keeper="李记录",
            notice_sent_on=clock.today() + DAY,
        )


def test_dispatch_meeting_is_convened_by_the_county_office_for_chosen_townships(county_office, township_a, township_b):
    meeting = county_meeting(county_office, [township_a, township_b], on=clock.today() + 2 * DAY)
    assert meeting.township is None
    assert set(meeting.invited_townships.all()) == {township_a, township_b}


def test_township_cadre_cannot_convene_a_dispatch_meeting(cadre_a, township_a):
    with pytest.raises(PermissionDenied):
        county_meeting(cadre_a, [township_a])


def test_county_office_cannot_convene_a_township_regular_meeting(county_office, clock):
    with pytest.raises(PermissionDenied):
        schedule(county_office, days_ahead=6, notice_days=6)


def test_exchange_meeting_needs_its_area(county_office, township_a, refused):
    with refused("area_required"):
        county_meeting(county_office, [township_a], kind=MeetingKind.EXCHANGE, area="")


def test_village_meeting_needs_a_village_of_the_own_township(cadre_a, village_a, village_b, refused):
    values = dict(
        kind=MeetingKind.VILLAGE, topic="院坝议事", starts_at=at(clock.today()), place="村广场", minutes_keeper="村文书"
    )
    with refused("village_required"):
        services.schedule_meeting(by=cadre_a, **values)
    with refused("village_outside"):
        services.schedule_meeting(by=cadre_a, village=village_b, **values)
    meeting = services.schedule_meeting(by=cadre_a, village=village_a, **values)
    assert meeting.convener_name == village_a.name


def test_joint_meeting_names_its_organisation(cadre_a, refused):
    values = dict(
        kind=MeetingKind.JOINT, topic="联席会议", starts_at=at(clock.today()), place="社区", minutes_keeper="某"
    )
    with refused("organisation_required"):
        services.schedule_meeting(by=cadre_a, **values)
    meeting = services.schedule_meeting(by=cadre_a, organisation="光明社区城乡联合党委", **values)
    assert meeting.organisation == "光明社区城乡联合党委"
