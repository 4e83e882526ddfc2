"""Writes to meetings, raised issues and decisions. Every write names its actor and lands in the audit trail."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.audit import save_audited, void_record
from lianchun.refusals import check_within
from lianchun.scoping import require
from lianchun.votes import vote_passes
from villages.models import Township, Village

from .dates import NOTICE_DAYS, is_notice_in_time, sane_window
from .models import (
    NOTICE_RULE_KINDS,
    Attendance,
    Decision,
    DecisionRecord,
    DecisionStage,
    DecisionStep,
    Invitee,
    IssueStatus,
    Meeting,
    MeetingIssue,
    MeetingKind,
)
from .rules import (  # noqa: F401 - the who-may predicates are part of this module's interface
    can_convene,
    can_keep_decisions,
    can_manage_issue,
    can_manage_meeting,
    kinds_for,
    not_voided,
    refuse,
)
from .selectors import Candidate, roll_candidates
from .workflows import DECISION_FLOW, ISSUE_FLOW, next_transition

_vote_passes = vote_passes


def _perform(flow: Any, record: Any, name: str, *, by: Any, refusals: dict, otherwise: Any = None, **data: Any) -> Any:
    """Take a declared step; when the record is no longer where the step starts, say why in the domain's words.

    `refusals` maps the state the record is actually in to (message, code); `otherwise` covers the rest
    (someone moved the record on meanwhile).
    """
    try:
        return flow.perform(record, name, by=by, **data)
    except ValidationError as error:
        if getattr(error, "code", None) != "wrong_state":
            raise
        current = flow.model._base_manager.filter(pk=record.pk).values_list(flow.field, flat=True).first()
        message, code = refusals.get(current, otherwise) or (None, None)
        if code is None:
            raise
        raise refuse(message, code) from error


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
    roll_from_records: bool = True,
    expected: str = "",
) -> Meeting:
    """Schedule a meeting, record its written notice, and put whom it expects on its roll.

    Seed 003: a 例会 is notified in writing at least five days ahead, naming time, place and topic,
    with a named minutes keeper; a shorter notice needs an urgent reason, which is recorded.
    The roll: the people the records name (`roll_from_records`, see `selectors.roll_candidates`)
    and anyone `expected` lists, one per line ("name, unit or post").
    """
    require(can_convene(by, kind))
    given = parse_people(expected, field="expected")
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
            raise refuse(_("Choose the townships called to the meeting."), "townships_required", "townships")

    if kind == MeetingKind.VILLAGE:
        if village is None:
            raise refuse(_("A village deliberation meeting needs its village."), "village_required", "village")
        if village.township_id != by.township_id or village.is_voided:
            raise refuse(_("Choose a village of your own township."), "village_outside", "village")
        meeting.village = village
    if kind == MeetingKind.EXCHANGE and not meeting.area:
        raise refuse(_("An exchange meeting names its area."), "area_required", "area")
    if cluster is not None:
        if kind != MeetingKind.JOINT:
            raise refuse(_("Only a joint meeting is held by a cluster."), "cluster_not_joint", "cluster")
        if cluster.township_id != by.township_id:
            raise refuse(_("Choose a cluster of your own township."), "cluster_outside", "cluster")
        meeting.cluster = cluster
        meeting.organisation = meeting.organisation or cluster.name
    if kind == MeetingKind.JOINT and not meeting.organisation:
        raise refuse(_("A joint meeting names its cluster or organisation."), "organisation_required", "organisation")

    today = clock.today()
    earliest, latest = sane_window(today)
    meeting_on = timezone.localtime(starts_at).date()
    check_within(
        meeting_on,
        earliest,
        latest,
        message=_("The meeting is held between %(start)s and %(end)s."),
        field="starts_at",
        too_early="meeting_too_early",
        too_late="meeting_too_late",
    )
    if notice_sent_on is not None:
        check_within(
            notice_sent_on,
            earliest,
            today,
            message=_("The notice is sent between %(start)s and today (%(end)s)."),
            field="notice_sent_on",
            too_early="notice_too_early",
            too_late="notice_in_future",
        )
    if kind in NOTICE_RULE_KINDS:
        if notice_sent_on is None:
            raise refuse(_("A township regular meeting needs a written notice."), "notice_required", "notice_sent_on")
        if notice_sent_on > meeting_on:
            raise refuse(_("The notice must go out before the meeting."), "notice_after_meeting", "notice_sent_on")
        if not is_notice_in_time(notice_sent_on, meeting_on) and not urgent_reason:
            raise refuse(
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
        _put_on_roll(meeting, by, (roll_candidates(meeting) if roll_from_records else []) + given)
    return meeting


# ---------------------------------------------------------------- the roll and attendance

_SEPARATOR = re.compile(r"\s*[,，、;；\t]\s*|\s+")


def parse_people(text: str, *, field: str) -> list[Candidate]:
    """People listed by hand, one per line: the name, then (after a comma, 、 or a space) the unit or post."""
    people: list[Candidate] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = _SEPARATOR.split(line, maxsplit=1)
        name, unit = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
        if len(name) > 50 or len(unit) > 100:
            raise refuse(
                _("Line %(line)s: a name has at most 50 characters and a unit or post at most 100."),
                "roll_line_too_long",
                field,
                line=number,
            )
        people.append(Candidate(name=name, unit=unit, source=Invitee.Source.GIVEN))
    return people


def _suffixed(person: Candidate) -> str:
    return f"{person.name}（{person.where}）"[:50]


def _is_on_roll(invitee: Invitee, person: Candidate) -> bool:
    if person.user is not None:
        return invitee.user_id == person.user.pk
    if person.officer is not None:
        village_id = person.village.pk if person.village is not None else None
        return (
            invitee.source == Invitee.Source.VILLAGE_CADRE
            and invitee.village_id == village_id
            and invitee.name in {person.name, _suffixed(person)}
        )
    return invitee.name == person.name  # listed by hand: the same name is the same person


def _put_on_roll(meeting: Meeting, by: Any, people: list[Candidate]) -> list[Invitee]:
    """Add the people not yet on the roll; two people of one name are told apart by their village or township."""
    roll = list(meeting.roll.all())
    added = []
    for person in people:
        if any(_is_on_roll(invitee, person) for invitee in roll):
            continue
        names = {invitee.name for invitee in roll}
        name = person.name if person.name not in names else _suffixed(person)
        if name in names:
            continue
        invitee = Invitee(
            meeting=meeting,
            name=name,
            unit=person.unit[:100],
            source=person.source,
            user=person.user,
            officer=person.officer,
            village=person.village,
            added_by=by,
        )
        save_audited(invitee, by=by, reason=_("Put on the roll"))
        roll.append(invitee)
        added.append(invitee)
    return added


def add_to_roll(*, meeting: Meeting, by: Any, people: str = "", from_records: bool = False) -> list[Invitee]:
    """Put more people on a meeting's roll: those listed (one per line), and/or those the records name."""
    require(can_manage_meeting(by, meeting))
    not_voided(meeting)
    given = parse_people(people, field="people")
    if not given and not from_records:
        raise refuse(_("List the people to add, or take them from the records."), "roll_nothing_given", "people")
    with transaction.atomic():
        return _put_on_roll(meeting, by, (roll_candidates(meeting) if from_records else []) + given)


def _checked_leave(status: str, leave_approved_by: str) -> str:
    """Seed 003: absence only with approved leave, and who approved it is recorded; other marks carry no approver."""
    leave_approved_by = (leave_approved_by or "").strip()
    if status not in Attendance.Status.values:
        raise refuse(_("Choose present, on approved leave or absent."), "unknown_status", "status")
    if status == Attendance.Status.LEAVE and not leave_approved_by:
        raise refuse(_("Name who approved the leave."), "leave_approver_required", "leave_approved_by")
    return leave_approved_by if status == Attendance.Status.LEAVE else ""


def _check_marked_when_held(meeting: Meeting, status: str) -> None:
    """Seed 003: who came and who stayed away is known from the meeting's day; approved leave may be recorded before."""
    if status != Attendance.Status.LEAVE and not meeting.has_begun:
        raise refuse(
            _("Present or absent is marked from the day of the meeting, %(date)s; approved leave before it."),
            "meeting_not_held",
            "status",
            date=meeting.date.isoformat(),
        )


def mark_attendance(*, meeting: Meeting, by: Any, name: str, status: str, leave_approved_by: str = "") -> Attendance:
    """One tap on the roll: the person is present, on approved leave, or absent; a second tap changes it.

    The person is on the roll or already recorded (added at the meeting); anyone else is added with
    `add_attendance`. Present and absent are known from the meeting's day; leave may be approved before.
    """
    require(can_manage_meeting(by, meeting))
    not_voided(meeting)
    name = (name or "").strip()
    leave_approved_by = _checked_leave(status, leave_approved_by)
    _check_marked_when_held(meeting, status)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _mark(meeting, by, name, status, leave_approved_by)
        except IntegrityError:
            continue  # someone recorded the same person at the same moment: mark their row instead
    raise refuse(_("Someone else is marking this person; tap again."), "mark_busy", "status")


def _mark(meeting: Meeting, by: Any, name: str, status: str, leave_approved_by: str) -> Attendance:
    attendance = Attendance.objects.select_for_update().filter(meeting=meeting, name=name).first()
    if attendance is not None:
        if status == Attendance.Status.LEAVE != attendance.status and clock.today() > meeting.date:
            # Seed 003: leave is approved before the meeting. A mark is corrected on the day; weeks later, turning
            # an absence into leave would only take it out of the attendance rate.
            raise refuse(
                _(
                    "%(name)s is already marked %(status)s; after the day of the meeting it cannot become approved leave."
                ),
                "leave_after_the_meeting",
                "status",
                name=name,
                status=attendance.get_status_display(),
            )
        if (attendance.status, attendance.leave_approved_by) != (status, leave_approved_by):
            attendance.status, attendance.leave_approved_by, attendance.recorded_by = status, leave_approved_by, by
            save_audited(
                attendance,
                by=by,
                reason=_("Marked on the roll"),
                update_fields=["status", "leave_approved_by", "recorded_by"],
            )
        return attendance
    invitee = meeting.roll.filter(name=name).first()
    if invitee is None:
        raise refuse(_("%(name)s is not on the roll; add them as someone not on it."), "not_on_roll", "name", name=name)
    return _attend(meeting, by, invitee.name, invitee.unit, status, leave_approved_by, reason=_("Marked on the roll"))


def _attend(
    meeting: Meeting, by: Any, name: str, unit: str, status: str, leave_approved_by: str, *, reason: str = ""
) -> Attendance:
    """A new line of the attendance list, by name (seed 003), attributed to who recorded it."""
    attendance = Attendance(
        meeting=meeting, name=name, unit=unit, status=status, leave_approved_by=leave_approved_by, recorded_by=by
    )
    with transaction.atomic():
        save_audited(attendance, by=by, reason=reason)
    return attendance


def add_attendance(
    *, meeting: Meeting, by: Any, name: str, status: str, unit: str = "", leave_approved_by: str = ""
) -> Attendance:
    """Record one named person's attendance (seed 003: absence only with approved leave, recorded by name).

    As on the roll, present and absent are known from the meeting's day; leave may be approved before.
    """
    require(can_manage_meeting(by, meeting))
    not_voided(meeting)
    name = (name or "").strip()
    if not name:
        raise refuse(_("Give the person's name."), "name_required", "name")
    leave_approved_by = _checked_leave(status, leave_approved_by)
    _check_marked_when_held(meeting, status)
    if meeting.attendances.filter(name=name).exists():
        raise refuse(_("%(name)s is already on the attendance list."), "duplicate_person", "name", name=name)
    return _attend(meeting, by, name, (unit or "").strip(), status, leave_approved_by)


def record_minutes(*, meeting: Meeting, by: Any, minutes: str) -> Meeting:
    """Keep the minutes once the meeting has been held (not before its day)."""
    require(can_manage_meeting(by, meeting))
    not_voided(meeting)
    minutes = (minutes or "").strip()
    if not minutes:
        raise refuse(_("Write the minutes."), "minutes_required", "minutes")
    if not meeting.has_begun:
        raise refuse(
            _("Minutes can be kept from the day of the meeting, %(date)s."),
            "meeting_not_held",
            "minutes",
            date=meeting.date.isoformat(),
        )
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
    not_voided(meeting)
    description, raised_by, owner = (description or "").strip(), (raised_by or "").strip(), (owner or "").strip()
    if not meeting.has_begun:
        raise refuse(
            _("Issues are recorded from the day of the meeting, %(date)s."),
            "meeting_not_held",
            date=meeting.date.isoformat(),
        )
    if not description:
        raise refuse(_("Describe the issue."), "description_required", "description")
    if not owner:
        raise refuse(_("Every issue needs an owner."), "owner_required", "owner")
    if village is not None:
        allowed = set(meeting.invited_townships.values_list("pk", flat=True))
        if village.township_id not in allowed or village.is_voided:
            raise refuse(_("The village is not one of the meeting's townships."), "village_outside", "village")
    issue = MeetingIssue(
        meeting=meeting,
        county_id=meeting.county_id,
        township_id=village.township_id if village is not None else meeting.township_id,
        village=village,
        raised_by=raised_by,
        description=description,
        owner=owner,
        deadline=MeetingIssue.deadline_for(meeting),
        created_by=by,
    )
    with transaction.atomic():
        save_audited(issue, by=by, reason=_("Issue raised"))
    return issue


def update_issue(*, issue: MeetingIssue, by: Any, description: str, raised_by: str, owner: str) -> MeetingIssue:
    """Correct what was written about an open issue: its text, who raised it, its owner."""
    require(can_manage_issue(by, issue))
    if not issue.is_editable:
        raise refuse(_("Only an open issue can be corrected; this one has its outcome."), "not_editable")
    description, raised_by, owner = (description or "").strip(), (raised_by or "").strip(), (owner or "").strip()
    if not description:
        raise refuse(_("Describe the issue."), "description_required", "description")
    if not owner:
        raise refuse(_("Every issue needs an owner."), "owner_required", "owner")
    with transaction.atomic():
        issue.description, issue.raised_by, issue.owner = description, raised_by, owner
        save_audited(issue, by=by, reason=_("Issue corrected"), update_fields=["description", "raised_by", "owner"])
    return issue


_ALREADY_CLOSED = (_("This issue already has an outcome."), "already_closed")


def record_outcome(
    *, issue: MeetingIssue, by: Any, outcome: str, outcome_on: datetime.date, note: str = ""
) -> MeetingIssue:
    """Close an issue with one of the four outcomes of seed 003 and its date (ISSUE_FLOW "record_outcome")."""
    _perform(
        ISSUE_FLOW,
        issue,
        "record_outcome",
        by=by,
        refusals={IssueStatus.RESOLVED: _ALREADY_CLOSED, IssueStatus.PUBLISHED: _ALREADY_CLOSED},
        outcome=outcome,
        outcome_on=outcome_on,
        note=note,
    )
    return issue


def publish_outcome(*, issue: MeetingIssue, by: Any, published_on: datetime.date | None = None) -> MeetingIssue:
    """Seed 003: every outcome is published (政务公开栏) for party members and the people to see."""
    _perform(
        ISSUE_FLOW,
        issue,
        "publish",
        by=by,
        refusals={
            IssueStatus.RAISED: (_("Only an outcome can be published; this issue is still open."), "no_outcome"),
            IssueStatus.PUBLISHED: (_("This outcome is already published."), "already_published"),
        },
        published_on=published_on,
    )
    return issue


# ---------------------------------------------------------------- 四议两公开 decisions


def start_decision(*, village: Village, by: Any, title: str, lead: Any = None) -> Decision:
    require(can_keep_decisions(by, village))
    title = (title or "").strip()
    if not title:
        raise refuse(_("Name the matter to be decided."), "title_required", "title")
    if village.is_voided:
        raise refuse(_("A voided village cannot take decisions."), "voided")
    if lead is not None and (lead.home_village_id != village.pk or lead.is_voided):
        raise refuse(_("The lead cadre must be a cadre of this village."), "lead_elsewhere", "lead")
    decision = Decision(village=village, title=title, created_by=by, lead=lead)
    with transaction.atomic():
        save_audited(decision, by=by, reason=_("Decision started"))
    return decision


def record_decision_step(*, decision: Decision, by: Any, step: str, **data: Any) -> DecisionRecord:
    """Take the next step of 四议两公开 (seeds 001, 002) through DECISION_FLOW.

    Steps come in one order and none is skipped; a step that does not pass ends the decision.
    For the two votes the result follows from the counts; the two publications simply happen.
    `data`: held_on, and passed, members, present, in_favour, against, note as the step needs.
    """
    if step not in DecisionStep.values:
        raise refuse(_("Unknown step."), "unknown_step", "step")
    locked = _perform(
        DECISION_FLOW,
        decision,
        next_transition(decision),
        by=by,
        refusals={
            DecisionStage.FAILED: (_("This decision did not pass a step and has ended."), "decision_ended"),
            DecisionStage.RESULT_PUBLIC: (_("All six steps of this decision are done."), "decision_completed"),
        },
        otherwise=(_("Someone else recorded a step meanwhile; reload the page."), "stale_decision"),
        step=step,
        **data,
    )
    return locked.last_record
