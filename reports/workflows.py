"""The weekly report's life cycle (一周一报告, seed 000), declared once.

draft → submitted → answered, or → returned → resubmitted → answered or returned again. The township
submits its own clusters' reports; the county office of the report's county answers or returns them,
always in writing. Each submission keeps a copy of the text the county read (`ReportSubmission`, the
event row), and the county's answer or reason for return is written on that copy.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianchun import clock
from lianchun.audit import save_audited
from lianchun.editing import check_version
from lianchun.views import OpinionForm
from lianchun.workflow import NONE, REQUIRED, Workflow, county_office, steps, township_cadre

from .models import AWAITING_ANSWER_STATES, EDITABLE_STATES, ReportSubmission, State, WeeklyReport


def can_write(user: Any, report_or_cluster: Any) -> bool:
    """The township files its own clusters' reports."""
    cluster = getattr(report_or_cluster, "cluster", report_or_cluster)
    return bool(user.is_township_cadre and cluster.township_id == user.township_id)


def can_respond(user: Any, report: WeeklyReport) -> bool:
    """The county office of the report's county reads, answers and returns reports."""
    return bool(user.is_county_office and report.cluster.township.county_id == user.county_id)


class SubmitForm(forms.Form):
    """The submit button carries the version the writer saw, so an older copy is never sent."""

    record_version = forms.CharField(widget=forms.HiddenInput, required=False)


class AnswerForm(OpinionForm):
    opinion = forms.CharField(label=gettext_lazy("The county's answer"), widget=forms.Textarea(attrs={"rows": 5}))


class ReturnForm(OpinionForm):
    opinion = forms.CharField(label=gettext_lazy("Reason for returning"), widget=forms.Textarea(attrs={"rows": 4}))


def _submission_target(report: WeeklyReport) -> str:
    return State.RESUBMITTED if report.state == State.RETURNED else State.SUBMITTED


_submission_target.possible_targets = frozenset({State.SUBMITTED, State.RESUBMITTED})


def _ready_to_submit(report: WeeklyReport, *, by: Any, record_version: str | int | None = None, **data: Any) -> None:
    check_version(report, record_version)
    if not report.progress:
        raise ValidationError(
            _("Describe this week's progress before submitting."),
            code="progress_required",
            params={"field": "progress"},
        )


def _mark_submitted(report: WeeklyReport, *, by: Any, **data: Any) -> list[str]:
    now = clock.now()
    report.submitted_at = now
    report.submitted_by = by
    report.first_submitted_at = report.first_submitted_at or now
    report.version += 1
    return ["submitted_at", "submitted_by", "first_submitted_at", "version"]


def _next_version(report: WeeklyReport, **data: Any) -> list[str]:
    report.version += 1
    return ["version"]


def _record_submission(report: WeeklyReport, *, transition, from_state, to_state, by, opinion) -> None:
    """The event row: a kept copy on submission; the county's answer or reason written on the latest copy."""
    if transition.name == "submit":
        number = report.submissions.count() + 1
        copy = ReportSubmission(
            report=report, number=number, submitted_at=report.submitted_at, submitted_by=by, **report.content()
        )
        save_audited(copy, by=by, reason=str(transition.label))
        return
    submission = report.submissions.order_by("-number").first()
    submission.outcome = OUTCOMES[transition.name]
    submission.response = opinion
    submission.responded_at = clock.now()
    submission.responded_by = by
    save_audited(
        submission, by=by, reason=opinion, update_fields=["outcome", "response", "responded_at", "responded_by"]
    )


OUTCOMES = {"answer": ReportSubmission.Outcome.ANSWERED, "return": ReportSubmission.Outcome.RETURNED}

# The township submits; the county office of the report's county answers or returns, always in writing.
step = steps(pages="reports:report-", who=township_cadre())
respond = steps(
    pages="reports:report-", who=county_office(), sources=AWAITING_ANSWER_STATES, effect=_next_version, opinion=REQUIRED
)

FLOW = Workflow(
    model=WeeklyReport,
    field="state",
    initial={State.DRAFT},
    final={State.ANSWERED},
    on_transition=_record_submission,
    transitions=[
        step(
            "submit",
            gettext_lazy("Submit the report to the county"),
            EDITABLE_STATES,
            _submission_target,
            guard=_ready_to_submit,
            effect=_mark_submitted,
            opinion=NONE,
            form_class=SubmitForm,
            success=gettext_lazy("The report was submitted to the county."),
            explanation=gettext_lazy("After submission the report is read-only unless the county office returns it."),
        ),
        respond(
            "answer",
            gettext_lazy("Send the answer"),
            target=State.ANSWERED,
            form_class=AnswerForm,
            style="success",
            success=gettext_lazy("The answer was sent to the township."),
        ),
        respond(
            "return",
            gettext_lazy("Return to the township"),
            target=State.RETURNED,
            form_class=ReturnForm,
            style="danger",
            success=gettext_lazy("The report was returned to the township for revision."),
        ),
    ],
)
