"""Writes to weekly reports (一周一报告, seed 000). Every write names its actor and lands in the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Cluster
from lianchun import clock
from lianchun.audit import save_audited
from lianchun.scoping import require

from . import completeness
from .models import AWAITING_ANSWER_STATES, CONTENT_FIELDS, ReportSubmission, State, WeeklyReport
from .weeks import Week, current_week


class EditConflict(ValidationError):
    """Someone else saved the report since it was opened; `current` is what they saved."""

    def __init__(self, current: WeeklyReport):
        self.current = current
        super().__init__(
            _(
                "%(who)s saved this report at %(when)s, after you opened it. Your text was not saved: "
                "it is still in the form below, beside what they saved. Merge the two and save again."
            ),
            code="edited_elsewhere",
            params={
                "who": current.updated_by,
                "when": timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M:%S"),
            },
        )


def can_write(user: Any, cluster: Cluster) -> bool:
    """The township files its own clusters' reports."""
    return bool(user.is_township_cadre and cluster.township_id == user.township_id)


def can_respond(user: Any, report: WeeklyReport) -> bool:
    """The county office of the report's county reads, answers and returns reports."""
    return bool(user.is_county_office and report.cluster.township.county_id == user.county_id)


def expects_report(cluster: Cluster, week: Week) -> bool:
    return completeness.is_expected(completeness.span_of(cluster), week)


def previous_plan(cluster: Cluster, week: Week) -> str:
    """Last week's "plan for next week", offered as the start of this week's progress."""
    previous = week.previous()
    report = (
        WeeklyReport.objects.filter(cluster=cluster, iso_year=previous.year, iso_week=previous.number)
        .only("next_week_plan")
        .first()
    )
    return report.next_week_plan if report else ""


def _clean_content(content: dict) -> dict:
    cleaned = {}
    for name in CONTENT_FIELDS:
        if name not in content:
            continue
        value = content[name]
        if name in {"progress", "problems", "next_week_plan", "coordination"}:
            value = (value or "").strip()
        else:
            value = int(value or 0)
            if value < 0:
                raise ValidationError(
                    _("Report counts cannot be negative."), code="negative_count", params={"field": name}
                )
        cleaned[name] = value
    return cleaned


def save_weekly_report(
    *, cluster: Cluster, week: Week, by: Any, expected_version: int | None, **content: Any
) -> WeeklyReport:
    """Create or change the draft of `cluster`'s report for `week`.

    `expected_version` is the version the writer opened (None for a new report).
    When someone saved in between, EditConflict is raised and nothing is
    written: the second writer sees what the first saved (STYLE.md: lost updates).
    """
    require(can_write(by, cluster))
    if not expects_report(cluster, week):
        raise ValidationError(
            _("%(cluster)s owes no report for %(week)s: it was not established during that week."),
            code="not_expected",
            params={"cluster": cluster.name, "week": week.label},
        )
    if week > current_week():
        raise ValidationError(_("A report cannot be written for a week that has not begun."), code="future_week")
    values = _clean_content(content)
    now = clock.now()
    with transaction.atomic():
        report = (
            WeeklyReport.objects.select_for_update()
            .filter(cluster=cluster, iso_year=week.year, iso_week=week.number)
            .first()
        )
        if report is None:
            if expected_version is not None:
                raise ValidationError(_("This report no longer exists."), code="report_gone")
            report = WeeklyReport(
                cluster=cluster,
                iso_year=week.year,
                iso_week=week.number,
                created_by=by,
                created_at=now,
                updated_by=by,
                updated_at=now,
                **values,
            )
            try:
                with transaction.atomic():
                    save_audited(report, by=by, reason=_("Draft created"))
            except IntegrityError:
                # Another writer created the same week's report a moment earlier.
                raise EditConflict(
                    WeeklyReport.objects.get(cluster=cluster, iso_year=week.year, iso_week=week.number)
                ) from None
            return report
        if expected_version != report.version:
            raise EditConflict(report)
        if not report.is_editable:
            raise ValidationError(
                _("This report is %(state)s and can no longer be changed; only the county office can return it."),
                code="not_editable",
                params={"state": report.get_state_display()},
            )
        changed = [name for name, value in values.items() if getattr(report, name) != value]
        for name in changed:
            setattr(report, name, values[name])
        report.version += 1
        report.updated_by = by
        report.updated_at = now
        save_audited(
            report, by=by, reason=_("Draft saved"), update_fields=[*changed, "version", "updated_by", "updated_at"]
        )
    return report


def _lock(report: WeeklyReport) -> WeeklyReport:
    return WeeklyReport.objects.select_for_update().select_related("cluster__township").get(pk=report.pk)


def submit_weekly_report(*, report: WeeklyReport, by: Any, expected_version: int | None = None) -> ReportSubmission:
    """Send the report to the county (seed 000: 一周一报告); a copy of this version is kept."""
    require(can_write(by, report.cluster))
    with transaction.atomic():
        locked = _lock(report)
        if expected_version is not None and expected_version != locked.version:
            raise EditConflict(locked)
        if not locked.is_editable:
            raise ValidationError(
                _("This report is %(state)s and cannot be submitted again."),
                code="not_submittable",
                params={"state": locked.get_state_display()},
            )
        if not locked.progress:
            raise ValidationError(_("Describe this week's progress before submitting."), code="progress_required")
        now = clock.now()
        number = locked.submissions.count() + 1
        submission = ReportSubmission(
            report=locked, number=number, submitted_at=now, submitted_by=by, **locked.content()
        )
        save_audited(submission, by=by, reason=_("Submitted"))
        locked.state = State.RESUBMITTED if locked.state == State.RETURNED else State.SUBMITTED
        locked.submitted_at = now
        locked.submitted_by = by
        locked.first_submitted_at = locked.first_submitted_at or now
        locked.version += 1
        save_audited(
            locked,
            by=by,
            reason=_("Submitted"),
            update_fields=["state", "submitted_at", "submitted_by", "first_submitted_at", "version"],
        )
    _refresh(report, locked)
    return submission


def _respond(report: WeeklyReport, *, by: Any, text: str, to_state: str, outcome: str) -> ReportSubmission:
    with transaction.atomic():
        locked = _lock(report)
        if locked.state not in AWAITING_ANSWER_STATES:
            raise ValidationError(
                _("This report is %(state)s: it is not waiting for the county's answer."),
                code="not_awaiting_answer",
                params={"state": locked.get_state_display()},
            )
        submission = locked.submissions.order_by("-number").first()
        submission.outcome = outcome
        submission.response = text
        submission.responded_at = clock.now()
        submission.responded_by = by
        save_audited(
            submission, by=by, reason=text, update_fields=["outcome", "response", "responded_at", "responded_by"]
        )
        locked.state = to_state
        locked.version += 1
        save_audited(locked, by=by, reason=text, update_fields=["state", "version"])
    _refresh(report, locked)
    return submission


def answer_weekly_report(*, report: WeeklyReport, answer: str, by: Any) -> ReportSubmission:
    """The county office reads the report and answers it (反馈意见)."""
    require(can_respond(by, report))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(_("Write the county's answer."), code="answer_required")
    return _respond(report, by=by, text=answer, to_state=State.ANSWERED, outcome=ReportSubmission.Outcome.ANSWERED)


def return_weekly_report(*, report: WeeklyReport, reason: str, by: Any) -> ReportSubmission:
    """The county office returns the report for revision, saying why; the township may then change it."""
    require(can_respond(by, report))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the report is returned."), code="return_reason_required")
    return _respond(report, by=by, text=reason, to_state=State.RETURNED, outcome=ReportSubmission.Outcome.RETURNED)


def _refresh(report: WeeklyReport, locked: WeeklyReport) -> None:
    for name in ["state", "version", "submitted_at", "submitted_by_id", "first_submitted_at"]:
        setattr(report, name, getattr(locked, name))
