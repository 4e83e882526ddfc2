"""Weekly reports (一周一报告, seed 000): one work report per established cluster per ISO week.

Life cycle: draft → submitted → answered (反馈) by the county office, or
returned for revision → resubmitted → answered or returned again. Every
submission is kept as a ReportSubmission, so earlier versions stay readable.
`version` counts saves of the report and guards against two people
overwriting each other's draft (optimistic concurrency, checked under a row lock).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clusters.models import Cluster
from lianchun.models import AuditedModel, DetailPage, TownshipTally, actor_field, link_field
from lianchun.states import InState

from .weeks import Week


class State(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("weekly report", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("weekly report", "Submitted")
    ANSWERED = "answered", pgettext_lazy("weekly report", "Answered")
    RETURNED = "returned", pgettext_lazy("weekly report", "Returned for revision")
    RESUBMITTED = "resubmitted", pgettext_lazy("weekly report", "Resubmitted")


# States in which the township may still change the text.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
# States waiting for the county office's answer.
AWAITING_ANSWER_STATES = frozenset({State.SUBMITTED, State.RESUBMITTED})

CONTENT_FIELDS = [
    "progress",
    "problems",
    "next_week_plan",
    "coordination",
    "meetings_held",
    "households_visited",
    "opinions_collected",
    "issues_solved",
]
COUNT_FIELDS = ["meetings_held", "households_visited", "opinions_collected", "issues_solved"]


class InWeek:
    """A record of one ISO week, kept as `iso_year` and `iso_week`: its `week` names it, keys it and dates it."""

    @property
    def week(self) -> Week:
        return Week(self.iso_year, self.iso_week)


class ReportContent(AuditedModel):
    """The fields a township writes, shared by the report and each kept submission."""

    progress = models.TextField(_("progress this week"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_week_plan = models.TextField(_("plan for next week"), blank=True)
    coordination = models.TextField(_("matters needing county coordination"), blank=True)
    meetings_held = models.PositiveIntegerField(_("meetings held"), default=0)
    households_visited = models.PositiveIntegerField(_("households visited"), default=0)
    opinions_collected = models.PositiveIntegerField(_("opinions collected"), default=0)
    issues_solved = models.PositiveIntegerField(_("issues solved"), default=0)

    class Meta:
        abstract = True

    def content(self) -> dict:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}


class WeeklyReport(DetailPage, InWeek, ReportContent):
    cluster = link_field(Cluster, _("cluster"), related_name="weekly_reports")
    iso_year = models.PositiveSmallIntegerField(_("ISO year"))
    iso_week = models.PositiveSmallIntegerField(_("ISO week"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(_("created at"))
    updated_by = actor_field(_("last saved by"))
    updated_at = models.DateTimeField(_("last saved at"))
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = actor_field(_("submitted by"), optional=True)

    scope_through = "cluster"
    detail_url = "reports:report-detail"

    class Meta:
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        ordering = ["-iso_year", "-iso_week", "cluster__township__code", "cluster__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "iso_year", "iso_week"], name="one_weekly_report_per_cluster_week"
            ),
            models.CheckConstraint(
                condition=models.Q(iso_week__gte=1, iso_week__lte=53), name="weekly_report_iso_week_range"
            ),
        ]
        indexes = [
            # The reports waiting for the county's answer: the 工作台's count and the inbox read only
            # these few rows, not every report of five years (partial: SQLite and PostgreSQL alike).
            models.Index(
                fields=["cluster", "submitted_at"],
                condition=models.Q(state__in=[State.SUBMITTED, State.RESUBMITTED]),
                name="weeklyreport_awaiting_answer",
            ),
            # The inbox, oldest first, across every county a city or province office reads: the first page
            # straight from the index instead of sorting every report still waiting.
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(state__in=[State.SUBMITTED, State.RESUBMITTED]),
                name="weeklyreport_awaiting_oldest",
            ),
            # A range of weeks across every cluster (completeness, the inbox's week, the compilation).
            models.Index(fields=["iso_year", "iso_week"], name="weeklyreport_week"),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} · {self.week.short_label}"

    is_editable = InState(*EDITABLE_STATES, field="state")
    is_awaiting_answer = InState(*AWAITING_ANSWER_STATES, field="state")
    # Returned by the county for revision: the township changes it and submits again.
    is_returned = InState(State.RETURNED, field="state")

    @property
    def is_late(self) -> bool:
        return self.first_submitted_at is not None and self.week.is_late(self.first_submitted_at)

    def is_unchanged_since_return(self) -> bool:
        """Returned, and its text is still the text of the version the county returned: submitting it again
        would send the county what it already asked to have revised."""
        if not self.is_returned:
            return False
        returned = self.submissions.order_by("-number").first()
        return returned is not None and returned.content() == self.content()


class ReportSubmission(ReportContent):
    """One submitted version of a report, as the county read it, and the county's response to it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting the county's answer")
        ANSWERED = "answered", _("Answered")
        RETURNED = "returned", _("Returned for revision")

    report = link_field(WeeklyReport, _("weekly report"), related_name="submissions")
    number = models.PositiveSmallIntegerField(_("version number"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = actor_field(_("submitted by"))
    outcome = models.CharField(
        pgettext_lazy("weekly report", "outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    response = models.TextField(_("county's answer or reason for return"), blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = actor_field(_("answered by"), optional=True)

    scope_through = "report"

    class Meta:
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_submission_number_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report-version", args=[self.report_id, self.number])

    is_returned = InState(Outcome.RETURNED, field="outcome")


class ReportTally(InWeek, TownshipTally):
    """One township's weekly reports of one week as completeness counts them: arrived, on time, drafts.

    Only reports of clusters that owed the week count (established by its Sunday, not dissolved before its
    Monday), as in `reports.completeness`. A city or province compares its counties from these rows (one per
    township and week) instead of counting years of reports on every page; `reports.tallies` recounts them in
    the transaction of every report or cluster change. What a week expects still comes from the clusters.
    """

    iso_year = models.PositiveSmallIntegerField()
    iso_week = models.PositiveSmallIntegerField()
    arrived = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    draft = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("report tally")
        verbose_name_plural = _("report tallies")
        constraints = [
            models.UniqueConstraint(fields=["township", "iso_year", "iso_week"], name="report_tally_one_per_week"),
        ]
        indexes = [models.Index(fields=["iso_year", "iso_week"], name="report_tally_week")]

    def __str__(self) -> str:
        return f"{self.township_id} {self.week.key}: {self.arrived}"
