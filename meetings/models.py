"""Meetings (seeds 000, 002, 003, 004): notices, attendance, minutes, raised issues, and 四议两公开 decisions."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianchun import clock
from lianchun.models import (
    AuditedModel,
    DeadlineItem,
    DetailPage,
    OfficialQuerySet,
    VoidableModel,
    actor_field,
    link_field,
)
from lianchun.scoping import ScopedManager
from lianchun.states import InState

from .dates import one_month_after


class MeetingKind(models.TextChoices):
    DISPATCH = "dispatch", _("Dispatch meeting")
    EXCHANGE = "exchange", _("Exchange meeting")
    TOWNSHIP = "township", _("Township regular meeting")
    JOINT = "joint", _("Joint meeting")
    ONSITE = "onsite", _("On-site meeting")
    VILLAGE = "village", _("Village deliberation meeting")


# Who convenes which kind (DOMAIN.md "Meetings"): the county office, a township, or both.
COUNTY_KINDS = frozenset({MeetingKind.DISPATCH, MeetingKind.EXCHANGE, MeetingKind.ONSITE})
TOWNSHIP_KINDS = frozenset({MeetingKind.TOWNSHIP, MeetingKind.JOINT, MeetingKind.ONSITE, MeetingKind.VILLAGE})
# Seed 003: the 例会 notice goes out in writing at least five days ahead.
NOTICE_RULE_KINDS = frozenset({MeetingKind.TOWNSHIP})


class Meeting(DetailPage, VoidableModel):
    """A meeting convened by the county office (township null) or by a township.

    `invited_townships` names the townships a meeting concerns: its own township for a
    township's meeting; the townships called to a county meeting. It is also the scoping
    path, so a township cadre sees the county meetings its township attends and never
    another township's own meetings.
    """

    kind = models.CharField(pgettext_lazy("meeting", "kind"), max_length=16, choices=MeetingKind.choices)
    county = link_field("villages.County", _("county"), related_name="+")
    township = link_field("villages.Township", _("convening township"), optional=True, related_name="meetings")
    village = link_field("villages.Village", _("village"), optional=True, related_name="+")
    area = models.CharField(
        _("area"), max_length=50, blank=True, help_text=_("The area (分片) of an exchange meeting.")
    )
    cluster = link_field("clusters.Cluster", _("cluster"), optional=True, related_name="+")
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    invited_townships = models.ManyToManyField(
        "villages.Township", verbose_name=_("townships concerned"), related_name="invited_meetings"
    )
    topic = models.CharField(_("topic"), max_length=200)
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=100)
    minutes_keeper = models.CharField(_("minutes kept by"), max_length=50)
    notice_sent_on = models.DateField(_("notice sent on"), null=True, blank=True)
    urgent_reason = models.CharField(_("reason for short notice"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_recorded_at = models.DateTimeField(_("minutes recorded at"), null=True, blank=True)
    created_by = actor_field(_("created by"), null=True)

    scope_township_path = "invited_townships"
    scope_county_path = "county_id"
    detail_url = "meetings:meeting-detail"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["county", "kind", "starts_at"]),
            # The meetings list, latest first, across every county a city or province office reads.
            models.Index(fields=["starts_at", "id"], name="meeting_latest_first"),
            # A city's or province's live meetings (to count them, and to join their issues) from the index alone.
            models.Index(fields=["county", "id"], condition=Q(voided_at__isnull=True), name="meeting_live_by_county"),
            # The few voided meetings, so that issues can leave out those of a voided meeting without a join.
            models.Index(fields=["id"], condition=Q(voided_at__isnull=False), name="meeting_voided"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.topic}"

    @property
    def date(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def convener_name(self) -> str:
        if self.village_id:
            return str(self.village)
        if self.township_id:
            return str(self.township)
        return str(self.county)

    @property
    def is_county_meeting(self) -> bool:
        return self.township_id is None

    @property
    def has_begun(self) -> bool:
        return clock.today() >= self.date

    @property
    def notice_days(self) -> int | None:
        if self.notice_sent_on is None:
            return None
        return (self.date - self.notice_sent_on).days


class MeetingPerson(AuditedModel):
    """A person named on one of a meeting's lists (its roll, its attendance), once per meeting, in the order added.

    The lists meet by name: a person on the roll is marked by the attendance row of the same meeting and name.
    """

    name = models.CharField(_("person's name"), max_length=50)
    unit = models.CharField(_("unit or post"), max_length=100, blank=True)

    scope_through = "meeting"

    class Meta:
        abstract = True
        ordering = ["pk"]
        # Each list names a person once (the subclass gives the `meeting` link its own related name).
        constraints = [models.UniqueConstraint(fields=["meeting", "name"], name="%(class)s_once_per_meeting")]


class Attendance(MeetingPerson):
    """One named person at a meeting: present on time, late, on approved leave, or absent.

    Seed 003 quantifies the 例会 in the annual assessment by whether village cadres attended on time
    (按时参会), so a late arrival is recorded as such: it attended, but not on time.
    """

    class Status(models.TextChoices):
        PRESENT = "present", _("Attended")
        LATE = "late", _("Arrived late")
        LEAVE = "leave", _("On approved leave")
        ABSENT = "absent", _("Absent")

    meeting = link_field(Meeting, _("meeting"), related_name="attendances")
    status = models.CharField(_("attendance"), max_length=16, choices=Status.choices)
    leave_approved_by = models.CharField(_("leave approved by"), max_length=50, blank=True)
    recorded_by = actor_field(_("recorded by"), null=True)

    class Meta(MeetingPerson.Meta):
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.name}: {self.get_status_display()}"

    # Attended, on time or late.
    is_present = InState(Status.PRESENT, Status.LATE)
    is_late = InState(Status.LATE)
    is_on_leave = InState(Status.LEAVE)


class Invitee(MeetingPerson):
    """One person a meeting expects (its roll): drawn from the records or listed when the meeting is called.

    The roll says who was expected; whether they came is their `Attendance` row (same meeting, same
    name), written by a tap on the roll. A person on the roll with no row is not yet marked, and
    counts nowhere: attendance figures read `Attendance` only.
    """

    class Source(models.TextChoices):
        TOWNSHIP_CADRE = "township_cadre", _("Township cadre (account)")
        VILLAGE_CADRE = "village_cadre", _("Village cadre (cluster officers)")
        GIVEN = "given", _("Listed when the meeting was called")

    meeting = link_field(Meeting, _("meeting"), related_name="roll")
    source = models.CharField(_("on the roll as"), max_length=16, choices=Source.choices)
    user = actor_field(_("account"), optional=True)
    officer = link_field("clusters.ClusterOfficer", _("cluster officer"), optional=True, related_name="+")
    village = link_field("villages.Village", _("village"), optional=True, related_name="+")
    added_by = actor_field(_("added by"), null=True)

    class Meta(MeetingPerson.Meta):
        verbose_name = _("person expected")
        verbose_name_plural = _("roll")

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name


class Outcome(models.TextChoices):
    """Seed 003: 当场解决 / 一月内专题会议解决 / 上报上级 / 向群众解释说明."""

    ON_THE_SPOT = "on_the_spot", _("Solved on the spot")
    SPECIAL_MEETING = "special_meeting", _("Solved by a special meeting within one month")
    ESCALATED = "escalated", _("Taken to higher levels")
    EXPLAINED = "explained", _("Explained to the people")


class IssueStatus(models.TextChoices):
    """Where a raised issue stands: open, an outcome recorded, the outcome published (seed 003)."""

    RAISED = "raised", _("Open")
    RESOLVED = "resolved", _("Outcome recorded")
    PUBLISHED = "published", _("Outcome published")


class MeetingIssueQuerySet(OfficialQuerySet):
    # What each of the issue list's three figures counts, stated once for the lists and for `counts`; open and
    # overdue by the issue's own rule (MeetingIssue.is_open, DeadlineItem.is_overdue).
    def _open(self) -> Q:
        return self.model.unsettled_condition() & Q(voided_at__isnull=True)

    def _overdue(self, today: datetime.date | None) -> Q:
        return self.model.overdue_condition(today) & Q(voided_at__isnull=True)

    @staticmethod
    def _unpublished() -> Q:
        return Q(status=IssueStatus.RESOLVED, voided_at__isnull=True)

    def open(self):
        return self.filter(self._open())

    def overdue(self, today: datetime.date | None = None):
        return self.filter(self._overdue(today))

    def unpublished(self):
        return self.filter(self._unpublished())

    def counts(self, today: datetime.date | None = None) -> dict[str, int]:
        """How many are open, overdue and awaiting publication, in one pass (the issue list's three figures)."""
        return self.filter(self._open() | self._unpublished()).aggregate(
            open=Count("pk", filter=self._open()),
            overdue=Count("pk", filter=self._overdue(today)),
            unpublished=Count("pk", filter=self._unpublished()),
        )


class MeetingIssue(DetailPage, DeadlineItem, VoidableModel):
    """An issue raised at a meeting (例会中反映的问题), followed to one of four outcomes and published."""

    meeting = link_field(Meeting, _("meeting"), related_name="issues")
    # The meeting's county, kept on the issue so that a county, city or province counts its issues still to
    # follow from these rows alone, without joining every meeting of five years (a meeting keeps its county).
    county = link_field("villages.County", _("county"), related_name="+")
    township = link_field("villages.Township", _("township"), optional=True, related_name="+")
    village = link_field("villages.Village", _("village"), optional=True, related_name="+")
    raised_by = models.CharField(_("raised by"), max_length=50)
    description = models.TextField(_("issue"))
    owner = models.CharField(_("owner"), max_length=50)
    deadline = models.DateField(_("due by"))
    status = models.CharField(_("status"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.RAISED)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("how it was handled"), blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_by = actor_field(_("created by"), null=True)

    scope_township_path = "township_id"
    scope_county_path = "county_id"
    detail_url = "meetings:issue-detail"

    objects = models.Manager.from_queryset(MeetingIssueQuerySet)()

    class Meta(DeadlineItem.Meta):
        verbose_name = _("raised issue")
        verbose_name_plural = _("raised issues")
        # Open issues are a small part of years of issues: the issue list pages and counts them, due first,
        # and lists the outcomes still to publish, through these partial indexes instead of every issue.
        indexes = [
            models.Index(
                fields=["deadline", "id"],
                condition=Q(status=IssueStatus.RAISED, voided_at__isnull=True),
                name="meetingissue_open_by_due",
            ),
            models.Index(
                fields=["outcome_on", "id"],
                condition=Q(status=IssueStatus.RESOLVED, voided_at__isnull=True),
                name="meetingissue_unpublished",
            ),
            # The issues still to follow (open, or an outcome not yet published) by county: a county, city
            # or province counts these few rows instead of reading every issue of five years.
            models.Index(
                fields=["county"],
                condition=Q(status__in=[IssueStatus.RAISED, IssueStatus.RESOLVED], voided_at__isnull=True),
                name="meetingissue_to_follow",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    is_open = InState(IssueStatus.RAISED)
    is_published = InState(IssueStatus.PUBLISHED)

    @property
    def is_editable(self) -> bool:
        """Its text may be corrected while it is open and not voided; an outcome fixes what was raised."""
        return self.is_open and not self.is_voided

    @property
    def is_settled(self) -> bool:
        """An outcome is recorded: overdue no more, whether or not it is published yet."""
        return not self.is_open

    @classmethod
    def unsettled_condition(cls) -> Q:
        return Q(status=IssueStatus.RAISED)

    @staticmethod
    def deadline_for(meeting: Meeting) -> datetime.date:
        return one_month_after(meeting.date)


class DecisionStep(models.TextChoices):
    """四议两公开 in its only order (seeds 001, 002)."""

    PROPOSAL = "proposal", _("Party branch proposal")
    CONSULTATION = "consultation", _("Two committees' consultation")
    REVIEW = "review", _("Party members' meeting review")
    RESOLUTION = "resolution", _("Villager representatives' resolution")
    RESOLUTION_PUBLIC = "resolution_public", _("Resolution made public")
    RESULT_PUBLIC = "result_public", _("Implementation result made public")


STEP_ORDER = list(DecisionStep)
VOTE_STEPS = frozenset({DecisionStep.REVIEW, DecisionStep.RESOLUTION})
PUBLIC_STEPS = frozenset({DecisionStep.RESOLUTION_PUBLIC, DecisionStep.RESULT_PUBLIC})


class DecisionStage(models.TextChoices):
    """A decision's state: the last step it passed (the workflow's field), or ended by a step that failed."""

    NEW = "new", _("No step yet")
    PROPOSAL = DecisionStep.PROPOSAL.value, DecisionStep.PROPOSAL.label
    CONSULTATION = DecisionStep.CONSULTATION.value, DecisionStep.CONSULTATION.label
    REVIEW = DecisionStep.REVIEW.value, DecisionStep.REVIEW.label
    RESOLUTION = DecisionStep.RESOLUTION.value, DecisionStep.RESOLUTION.label
    RESOLUTION_PUBLIC = DecisionStep.RESOLUTION_PUBLIC.value, DecisionStep.RESOLUTION_PUBLIC.label
    RESULT_PUBLIC = DecisionStep.RESULT_PUBLIC.value, DecisionStep.RESULT_PUBLIC.label
    FAILED = "failed", _("Not passed")


class DecisionQuerySet(OfficialQuerySet):
    def with_status(self, status: str):
        """Decisions whose summary status (in progress, not passed, completed) is `status`."""
        if status == Decision.Status.FAILED:
            return self.filter(stage=DecisionStage.FAILED)
        if status == Decision.Status.COMPLETED:
            return self.filter(stage=DecisionStage.RESULT_PUBLIC)
        if status == Decision.Status.IN_PROGRESS:
            return self.exclude(stage__in=[DecisionStage.FAILED, DecisionStage.RESULT_PUBLIC])
        return self


class Decision(DetailPage, VoidableModel):
    """A village decision taken through 四议两公开; its steps are DecisionRecord rows.

    `stage` is the last step passed (or 未通过): each step can only follow the one before it
    (meetings.workflows.DECISION_FLOW). `status` summarises it for lists.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        FAILED = "failed", _("Not passed")
        COMPLETED = "completed", _("Completed")

    village = link_field("villages.Village", _("village"), related_name="+")
    title = models.CharField(_("matter"), max_length=200)
    stage = models.CharField(_("stage"), max_length=20, choices=DecisionStage.choices, default=DecisionStage.NEW)
    steps_done = models.PositiveSmallIntegerField(_("steps taken"), default=0)
    # Seed 002: 书记领办自治项目 — the village cadre who leads the matter as a self-government project.
    lead = models.ForeignKey(
        "clusters.ClusterOfficer",
        verbose_name=_("lead cadre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The village cadre (for a self-government project, the village secretary) who leads it."),
    )
    created_by = actor_field(_("created by"), null=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    scope_through = "village"
    detail_url = "meetings:decision-detail"

    objects = models.Manager.from_queryset(DecisionQuerySet)()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def status(self) -> str:
        if self.stage == DecisionStage.FAILED:
            return self.Status.FAILED
        if self.stage == DecisionStage.RESULT_PUBLIC:
            return self.Status.COMPLETED
        return self.Status.IN_PROGRESS

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    has_failed = InState(DecisionStage.FAILED, field="stage")
    is_completed = InState(DecisionStage.RESULT_PUBLIC, field="stage")

    @property
    def next_step(self) -> DecisionStep | None:
        if self.has_failed or self.steps_done >= len(STEP_ORDER):
            return None
        return STEP_ORDER[self.steps_done]

    @property
    def last_step_label(self) -> str:
        return STEP_ORDER[self.steps_done - 1].label if self.steps_done else ""


class DecisionRecord(AuditedModel):
    """One step of a decision: when, whether it passed, and the vote where there is one."""

    decision = link_field(Decision, _("decision"), related_name="records")
    step = models.CharField(_("step"), max_length=20, choices=DecisionStep.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    held_on = models.DateField(_("date"))
    passed = models.BooleanField(_("passed"))
    members = models.PositiveIntegerField(_("members entitled"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    in_favour = models.PositiveIntegerField(_("in favour"), null=True, blank=True)
    against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = actor_field(_("recorded by"), null=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now, editable=False)

    scope_through = "decision"

    class Meta:
        verbose_name = _("decision step")
        verbose_name_plural = _("decision steps")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "position"], name="decision_step_once"),
            models.UniqueConstraint(fields=["decision", "step"], name="decision_step_kind_once"),
        ]

    def __str__(self) -> str:
        return f"{self.decision}: {self.get_step_display()}"


class MeetingTally(models.Model):
    """A county's live meetings (not voided), counted as meetings change (`meetings.tallies`).

    Not an official record: a city's or province's meeting list takes its length from these rows (one per
    county) instead of counting five years of meetings on every page. Scoped like the county's meetings.
    """

    county = models.OneToOneField("villages.County", on_delete=models.CASCADE, related_name="+")
    live = models.PositiveIntegerField(default=0)

    scope_township_path = "county__townships"
    scope_county_path = "county_id"

    objects = ScopedManager()

    class Meta:
        verbose_name = _("meeting tally")
        verbose_name_plural = _("meeting tallies")

    def __str__(self) -> str:
        return f"{self.county_id}: {self.live}"
