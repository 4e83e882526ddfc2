"""Meetings test data, built through the services as a user would."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lianchun import clock
from meetings import services
from meetings.models import MeetingKind


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def township_meeting(cadre, *, on: datetime.date | None = None, notice_days: int = 6, **kwargs):
    """A 例会 of the cadre's township, on `on` (default today), notified `notice_days` ahead."""
    on = on or clock.today()
    notice = on - datetime.timedelta(days=notice_days)
    if notice > clock.today():
        notice = clock.today()
    values = {
        "kind": MeetingKind.TOWNSHIP,
        "topic": "村两委主要干部例会",
        "starts_at": at(on),
        "place": "镇政府三楼会议室",
        "minutes_keeper": "李记录",
        "notice_sent_on": notice,
    }
    values.update(kwargs)
    return services.schedule_meeting(by=cadre, **values)


def county_meeting(office, townships, *, kind=MeetingKind.DISPATCH, on: datetime.date | None = None, **kwargs):
    values = {
        "kind": kind,
        "topic": "联村工作调度会",
        "starts_at": at(on or clock.today(), 15),
        "place": "县委大楼第一会议室",
        "minutes_keeper": "县联村办王某",
        "notice_sent_on": (on or clock.today()) if (on or clock.today()) <= clock.today() else clock.today(),
        "townships": list(townships),
    }
    if kind == MeetingKind.EXCHANGE:
        values["area"] = "东片"
    values.update(kwargs)
    return services.schedule_meeting(by=office, **values)
