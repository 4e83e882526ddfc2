"""Writes to weekly reports (一周一报告, seed 000). Every write names its actor and lands in the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clusters.models import Cluster
from lianchun import clock
from lianchun.audit import save_audited
from lianchun.changes import assign_changes
from lianchun.editing import EditConflict, check_version
from lianchun.scoping import require

from . import completeness
from .models import CONTENT_FIELDS, ReportSubmission, WeeklyReport
from .weeks import Week, current_week
from .workflows import FLOW, can_respond, can_write

__all__ = [
    "EditConflict",
    "answer_weekly_report",
    "can_respond",
    "can_write",
    "expects_report",
    "previous_plan",
    "return_weekly_report",
    "save_weekly_report",
    "submit_weekly_report",
]


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
    *, cluster: Cluster, week: Week, by: Any, expected_version: int | str | None, **content: Any
) -> WeeklyReport:
    """Create or change the draft of `cluster`'s report for `week`.

    `expected_version` is the version token the writer opened (None or "" for a new report).
    When someone saved in between, the shared EditConflict is raised and nothing is
    written: the second writer sees what the first saved (STYLE.md: lost updates).
    """
    if expected_version == "":
        expected_version = None
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
        if expected_version is None:
            # A new report was asked for, but someone created this week's report meanwhile.
            raise EditConflict(report)
        check_version(report, expected_version)
        if not report.is_editable:
            raise ValidationError(
                _("This report is %(state)s and can no longer be changed; only the county office can return it."),
                code="not_editable",
                params={"state": report.get_state_display()},
            )
        changed = assign_changes(report, values)
        report.version += 1
        report.updated_by = by
        report.updated_at = now
        save_audited(
            report, by=by, reason=_("Draft saved"), update_fields=[*changed, "version", "updated_by", "updated_at"]
        )
    return report


def submit_weekly_report(
    *, report: WeeklyReport, by: Any, expected_version: int | str | None = None
) -> ReportSubmission:
    """Send the report to the county (seed 000: 一周一报告); a copy of this version is kept."""
    FLOW.perform(report, "submit", by=by, record_version=expected_version)
    return report.submissions.order_by("-number").first()


def _respond(report: WeeklyReport, step: str, text: str, *, by: Any, required: ValidationError) -> ReportSubmission:
    require(can_respond(by, report))
    if not (text or "").strip():
        raise required
    if not report.is_awaiting_answer:
        raise ValidationError(
            _("This report is %(state)s: it is not waiting for the county's answer."),
            code="not_awaiting_answer",
            params={"state": report.get_state_display()},
        )
    FLOW.perform(report, step, by=by, opinion=text)
    return report.submissions.order_by("-number").first()


def answer_weekly_report(*, report: WeeklyReport, answer: str, by: Any) -> ReportSubmission:
    """The county office reads the report and answers it (反馈意见)."""
    required = ValidationError(_("Write the county's answer."), code="answer_required", params={"field": "opinion"})
    return _respond(report, "answer", answer, by=by, required=required)


def return_weekly_report(*, report: WeeklyReport, reason: str, by: Any) -> ReportSubmission:
    """The county office returns the report for revision, saying why; the township may then change it."""
    required = ValidationError(
        _("Say why the report is returned."), code="return_reason_required", params={"field": "opinion"}
    )
    return _respond(report, "return", reason, by=by, required=required)
