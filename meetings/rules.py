"""Who may keep which meeting record, and the coded refusals every meetings rule raises.

Shared by the services and the declared workflows (meetings/workflows.py), so neither imports the other.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lianchun.refusals import refuse
from villages.models import Village

from .models import COUNTY_KINDS, TOWNSHIP_KINDS, Meeting, MeetingIssue, MeetingKind

# ---------------------------------------------------------------- who may act


def can_convene(user: Any, kind: str) -> bool:
    if user.is_county_office:
        return kind in COUNTY_KINDS
    if user.is_township_cadre:
        return kind in TOWNSHIP_KINDS
    return False


def kinds_for(user: Any) -> list[tuple[str, str]]:
    return [(kind.value, kind.label) for kind in MeetingKind if can_convene(user, kind)]


def can_manage_meeting(user: Any, meeting: Meeting) -> bool:
    """The convener keeps the record: its township's cadres, or the county office for a county meeting."""
    if meeting.township_id is not None:
        return user.is_township_cadre and user.township_id == meeting.township_id
    return user.is_county_office and user.county_id == meeting.county_id


def can_manage_issue(user: Any, issue: MeetingIssue) -> bool:
    """The meeting's convener, or the cadres of the township the issue belongs to."""
    if can_manage_meeting(user, issue.meeting):
        return True
    return user.is_township_cadre and issue.township_id is not None and user.township_id == issue.township_id


def can_keep_decisions(user: Any, village: Village) -> bool:
    """四议两公开 is recorded by the cadres of the village's township."""
    return user.is_township_cadre and user.township_id == village.township_id


# ---------------------------------------------------------------- refusals


def not_voided(record: Any) -> None:
    if record.is_voided:
        raise refuse(_("A voided record cannot be changed."), "voided")
