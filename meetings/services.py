"""Writes to meetings, raised issues and decisions. Every write names its actor and lands in the audit trail."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.audit import save_audited, void_record
from lianchun.scoping import require
from villages.models import Township, Village

from .dates import NOTICE_DAYS, is_notice_in_time
from .models import (
    COUNTY_KINDS,
    NOTICE_RULE_KINDS,
    PUBLIC_STEPS,
    STEP_ORDER,
    TOWNSHIP_KINDS,
    VOTE_STEPS,
    Attendance,
    Decision,
    DecisionRecord,
    DecisionStep,
    Meeting,
    MeetingIssue,
    MeetingKind,
    Outcome,
)

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


def _refuse(message: str, code: str, field: str | None = None, **params: Any) -> ValidationError:
    """A domain error carrying its code; `field` names the form field it belongs to."""
    error = ValidationError(message, code=code, params=params or None)
    return ValidationError({field: [error]}) if field else error


def _not_voided(record: Any) -> None:
    if record.is_voided:
        raise _refuse(_("A voided record cannot be changed."), "voided")


# ---------------------------------------------------------------- meetings


def schedule_meeting(
    *,
    by: Any,
    kind: str,
    topic: str,
    starts_at: datetime.datetime,
    place: str,
    minutes_keeper: str,
    notice_sent_on: datetime.date | None = None,
    urgent_reason: str = "",
    village: Village | None = None,
    area: str = "",
    organisation: str = "",
    townships: list[Township] | None = None,
    cluster: Any = None,
) -> Meeting:
    """Schedule a meeting and record its written notice.

    Seed 003: a 例会 is notified in writing at least five days ahead, naming time, place and topic,
    with a named minutes keeper; a shorter notice needs an urgent reason, which is recorded.
    """
    require(can_convene(by, kind))
    urgent_reason = (urgent_reason or "").strip()
    meeting = Meeting(
        kind=kind,
        county_id=by.county_id,
        topic=(topic or "").strip(),
        starts_at=starts_at,
        place=(place or "").strip(),
        minutes_keeper=(minutes_keeper or "").strip(),
        notice_sent_on=notice_sent_on,
        urgent_reason=urgent_reason,
        area=(area or "").strip(),
        organisation=(organisation or "").strip(),
        created_by=by,
    )
    if by.is_township_cadre:
        meeting.township_id = by.township_id
        invited = [by.township]
    else:
        invited = [t for t in (townships or []) if t.county_id == by.county_id]
        if not invited:
            raise _refuse(_("Choose the townships called to the meeting."), "townships_required", "townships")

    if kind == MeetingKind.VILLAGE:
        if village is None:
            raise _refuse(_("A village deliberation meeting needs its village."), "village_required", "village")
        if village.township_id != by.township_id or village.is_voided:
            raise _refuse(_("Choose a village of your own township."), "village_outside", "village")
        meeting.village = village
    if kind == MeetingKind.EXCHANGE and not meeting.area:
        raise _refuse(_("An exchange meeting names its area."), "area_required", "area")
    if cluster is not None:
        if kind != MeetingKind.JOINT:
            raise _refuse(_("Only a joint meeting is held by a cluster."), "cluster_not_joint", "cluster")
        if cluster.township_id != by.township_id:
            raise _refuse(_("Choose a cluster of your own township."), "cluster_outside", "cluster")
        meeting.cluster = cluster
        meeting.organisation = meeting.organisation or cluster.name
    if kind == MeetingKind.JOINT and not meeting.organisation:
        raise _refuse(_("A joint meeting names its cluster or organisation."), "organisation_required", "organisation")

    if notice_sent_on is not None and notice_sent_on > clock.today():
        raise _refuse(_("A notice cannot be sent in the future."), "notice_in_future", "notice_sent_on")
    meeting_on = timezone.localtime(starts_at).date()
    if kind in NOTICE_RULE_KINDS:
        if notice_sent_on is None:
            raise _refuse(_("A township regular meeting needs a written notice."), "notice_required", "notice_sent_on")
        if notice_sent_on > meeting_on:
            raise _refuse(_("The notice must go out before the meeting."), "notice_after_meeting", "notice_sent_on")
        if not is_notice_in_time(notice_sent_on, meeting_on) and not urgent_reason:
            raise _refuse(
                _(
                    "The notice went out %(days)s days ahead; at least %(required)s are required. "
                    "Give the urgent reason to hold it anyway."
                ),
                "notice_too_short",
                "urgent_reason",
                days=(meeting_on - notice_sent_on).days,
                required=NOTICE_DAYS,
            )
    if notice_sent_on is not None and is_notice_in_time(notice_sent_on, meeting_on):
        meeting.urgent_reason = ""  # a timely notice needs no excuse; the record shows none
    meeting.full_clean(exclude=["invited_townships"])
    with transaction.atomic():
        save_audited(meeting, by=by, reason=_("Meeting scheduled"))
        meeting.invited_townships.set(invited)
    return meeting


def add_attendance(
    *, meeting: Meeting, by: Any, name: str, status: str, unit: str = "", leave_approved_by: str = ""
) -> Attendance:
    """Record one named person's attendance (seed 003: absence only with approved leave, recorded by name)."""
    require(can_manage_meeting(by, meeting))
    _not_voided(meeting)
    name = (name or "").strip()
    leave_approved_by = (leave_approved_by or "").strip()
    if not name:
        raise _refuse(_("Give the person's name."), "name_required", "name")
    if status not in Attendance.Status.values:
        raise _refuse(_("Choose present, on approved leave or absent."), "unknown_status", "status")
    if status == Attendance.Status.LEAVE and not leave_approved_by:
        raise _refuse(_("Name who approved the leave."), "leave_approver_required", "leave_approved_by")
    if status != Attendance.Status.LEAVE:
        leave_approved_by = ""
    if meeting.attendances.filter(name=name).exists():
        raise _refuse(_("%(name)s is already on the attendance list."), "duplicate_person", "name", name=name)
    attendance = Attendance(
        meeting=meeting,
        name=name,
        unit=(unit or "").strip(),
        status=status,
        leave_approved_by=leave_approved_by,
        recorded_by=by,
    )
    with transaction.atomic():
        save_audited(attendance, by=by)
    return attendance


def record_minutes(*, meeting: Meeting, by: Any, minutes: str) -> Meeting:
    """Keep the minutes once the meeting has been held (not before its day)."""
    require(can_manage_meeting(by, meeting))
    _not_voided(meeting)
    minutes = (minutes or "").strip()
    if not minutes:
        raise _refuse(_("Write the minutes."), "minutes_required", "minutes")
    if not meeting.has_begun:
        raise _refuse(_("Minutes can be kept from the day of the meeting."), "meeting_not_held", "minutes")
    with transaction.atomic():
        meeting.minutes = minutes
        meeting.minutes_recorded_at = clock.now()
        save_audited(meeting, by=by, reason=_("Minutes recorded"), update_fields=["minutes", "minutes_recorded_at"])
    return meeting


def void_meeting(*, meeting: Meeting, by: Any, reason: str) -> None:
    require(can_manage_meeting(by, meeting))
    void_record(meeting, by=by, reason=reason)


# ---------------------------------------------------------------- raised issues


def raise_issue(
    *, meeting: Meeting, by: Any, description: str, raised_by: str, owner: str, village: Village | None = None
) -> MeetingIssue:
    """Record an issue raised at a meeting. Seed 003: each gets an owner; due one month after the meeting."""
    require(can_manage_meeting(by, meeting))
    _not_voided(meeting)
    description, raised_by, owner = (description or "").strip(), (raised_by or "").strip(), (owner or "").strip()
    if not meeting.has_begun:
        raise _refuse(_("Issues are recorded from the day of the meeting."), "meeting_not_held")
    if not description:
        raise _refuse(_("Describe the issue."), "description_required", "description")
    if not owner:
        raise _refuse(_("Every issue needs an owner."), "owner_required", "owner")
    if village is not None:
        allowed = set(meeting.invited_townships.values_list("pk", flat=True))
        if village.township_id not in allowed or village.is_voided:
            raise _refuse(_("The village is not one of the meeting's townships."), "village_outside", "village")
    issue = MeetingIssue(
        meeting=meeting,
        township_id=village.township_id if village is not None else meeting.township_id,
        village=village,
        raised_by=raised_by,
        description=description,
        owner=owner,
        due_date=MeetingIssue.due_date_for(meeting),
        created_by=by,
    )
    with transaction.atomic():
        save_audited(issue, by=by, reason=_("Issue raised"))
    return issue


def record_outcome(
    *, issue: MeetingIssue, by: Any, outcome: str, outcome_on: datetime.date, note: str = ""
) -> MeetingIssue:
    """Close an issue with one of the four outcomes of seed 003 and its date."""
    require(can_manage_issue(by, issue))
    _not_voided(issue)
    note = (note or "").strip()
    if issue.outcome:
        raise _refuse(_("This issue already has an outcome."), "already_closed")
    if outcome not in Outcome.values:
        raise _refuse(_("Choose one of the four outcomes."), "unknown_outcome", "outcome")
    if outcome_on < issue.meeting.date:
        raise _refuse(_("The outcome cannot come before the meeting."), "outcome_before_meeting", "outcome_on")
    if outcome_on > clock.today():
        raise _refuse(_("The outcome date cannot be in the future."), "outcome_in_future", "outcome_on")
    if outcome == Outcome.ON_THE_SPOT and outcome_on != issue.meeting.date:
        raise _refuse(
            _("An issue solved on the spot is solved on the day of the meeting."), "not_on_the_spot", "outcome_on"
        )
    if outcome in {Outcome.ESCALATED, Outcome.EXPLAINED, Outcome.SPECIAL_MEETING} and not note:
        raise _refuse(_("Say how the issue was handled."), "note_required", "note")
    with transaction.atomic():
        # Two people closing the same issue at once: the row lock lets the second see the first's outcome.
        if MeetingIssue.objects.select_for_update().filter(pk=issue.pk).exclude(outcome="").exists():
            raise _refuse(_("This issue already has an outcome."), "already_closed")
        issue.outcome = outcome
        issue.outcome_on = outcome_on
        issue.outcome_note = note
        save_audited(
            issue, by=by, reason=_("Outcome recorded"), update_fields=["outcome", "outcome_on", "outcome_note"]
        )
    return issue


def publish_outcome(*, issue: MeetingIssue, by: Any, published_on: datetime.date | None = None) -> MeetingIssue:
    """Seed 003: every outcome is published (政务公开栏) for party members and the people to see."""
    require(can_manage_issue(by, issue))
    _not_voided(issue)
    published_on = published_on or clock.today()
    if not issue.outcome:
        raise _refuse(_("Only an outcome can be published; this issue is still open."), "no_outcome")
    if issue.published_on is not None:
        raise _refuse(_("This outcome is already published."), "already_published")
    if published_on < issue.outcome_on or published_on > clock.today():
        raise _refuse(
            _("The publication date lies between the outcome and today."), "bad_publication_date", "published_on"
        )
    with transaction.atomic():
        if MeetingIssue.objects.select_for_update().filter(pk=issue.pk, published_on__isnull=False).exists():
            raise _refuse(_("This outcome is already published."), "already_published")
        issue.published_on = published_on
        save_audited(issue, by=by, reason=_("Outcome published"), update_fields=["published_on"])
    return issue


# ---------------------------------------------------------------- 四议两公开 decisions


def start_decision(*, village: Village, by: Any, title: str) -> Decision:
    require(can_keep_decisions(by, village))
    title = (title or "").strip()
    if not title:
        raise _refuse(_("Name the matter to be decided."), "title_required", "title")
    if village.is_voided:
        raise _refuse(_("A voided village cannot take decisions."), "voided")
    decision = Decision(village=village, title=title, created_by=by)
    with transaction.atomic():
        save_audited(decision, by=by, reason=_("Decision started"))
    return decision


def _vote_passes(members: int, present: int, in_favour: int) -> bool:
    """A meeting with at least two thirds of its members present, and more than half of those present in favour.

    The quorum and majority of the 村民委员会组织法 for the villager representatives' meeting,
    applied to the party members' meeting as well.
    """
    return present * 3 >= members * 2 and in_favour * 2 > present


def record_decision_step(
    *,
    decision: Decision,
    by: Any,
    step: str,
    held_on: datetime.date,
    passed: bool | None = None,
    members: int | None = None,
    present: int | None = None,
    in_favour: int | None = None,
    against: int | None = None,
    note: str = "",
) -> DecisionRecord:
    """Take the next step of 四议两公开 (seeds 001, 002).

    Steps come in one order and none is skipped; a step that does not pass ends the decision.
    For the two votes the result follows from the counts; the two publications simply happen.
    """
    require(can_keep_decisions(by, decision.village))
    _not_voided(decision)
    if decision.status == Decision.Status.FAILED:
        raise _refuse(_("This decision did not pass a step and has ended."), "decision_ended")
    if decision.status == Decision.Status.COMPLETED:
        raise _refuse(_("All six steps of this decision are done."), "decision_completed")
    if step not in DecisionStep.values:
        raise _refuse(_("Unknown step."), "unknown_step", "step")
    expected = decision.next_step
    position = STEP_ORDER.index(DecisionStep(step))
    if position < decision.steps_done:
        raise _refuse(
            _("The step “%(step)s” is already recorded."), "step_repeated", "step", step=DecisionStep(step).label
        )
    if position > decision.steps_done:
        raise _refuse(
            _("Steps cannot be skipped or taken out of order: next comes “%(expected)s”."),
            "step_out_of_order",
            "step",
            expected=expected.label,
        )
    if held_on > clock.today():
        raise _refuse(_("The date cannot be in the future."), "date_in_future", "held_on")
    previous = decision.records.order_by("-position").first()
    if previous is not None and held_on < previous.held_on:
        raise _refuse(
            _("This step cannot come before the previous one (%(date)s)."),
            "date_before_previous",
            "held_on",
            date=previous.held_on.isoformat(),
        )
    record = DecisionRecord(
        decision=decision, step=step, position=position, held_on=held_on, note=(note or "").strip(), recorded_by=by
    )
    if step in VOTE_STEPS:
        if members is None or present is None or in_favour is None:
            raise _refuse(_("Give the members entitled, those present and those in favour."), "counts_required")
        against = against or 0
        if members <= 0:
            raise _refuse(_("The number of members entitled must be positive."), "no_members", "members")
        if present > members:
            raise _refuse(_("More present than members entitled."), "present_over_members", "present")
        if in_favour + against > present:
            raise _refuse(_("More votes than people present."), "votes_over_present", "in_favour")
        record.members, record.present, record.in_favour, record.against = members, present, in_favour, against
        record.passed = _vote_passes(members, present, in_favour)
    elif step in PUBLIC_STEPS:
        record.passed = True
    else:
        if passed is None:
            raise _refuse(_("Say whether the step passed."), "result_required", "passed")
        record.passed = bool(passed)
    with transaction.atomic():
        # Two clerks recording the same step at once: the row lock and the unique (decision, position)
        # constraint let only one of them through.
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.steps_done != decision.steps_done or locked.status != decision.status:
            raise _refuse(_("Someone else recorded a step meanwhile; reload the page."), "stale_decision")
        save_audited(record, by=by)
        decision.steps_done = position + 1
        if not record.passed:
            decision.status = Decision.Status.FAILED
        elif decision.steps_done == len(STEP_ORDER):
            decision.status = Decision.Status.COMPLETED
        save_audited(decision, by=by, reason=record.get_step_display(), update_fields=["steps_done", "status"])
    return record
