"""The life cycles of 考核 and 督查, declared once (lianchun.workflow).

- An assessment period: open → closed (its scores frozen with who and when) → published to the townships.
- An inspection finding: open → rectified (the township says what was done) → closed by the county office,
  or back to open when the rectification is not enough.
- A circular (通报): draft → issued to the townships, its ranking frozen into it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianchun import clock
from lianchun.text import chinese_datetime
from lianchun.workflow import NONE, OPTIONAL, REQUIRED, Transition, Workflow, county_office, steps, township_cadre

from .models import (
    AssessmentPeriod,
    CellScore,
    Circular,
    CircularStatus,
    Finding,
    FindingEvent,
    FindingStatus,
    PeriodStatus,
    SubjectScore,
)

OFFICE = county_office()
CADRE = township_cadre()

# The county office's steps that freeze or hand out a result: no opinion is asked, the page is named after the step.
period_step = steps(pages="assessments:period-", who=OFFICE, opinion=NONE)
finding_step = steps(pages="assessments:finding-")
circular_step = steps(pages="assessments:circular-", who=OFFICE, opinion=NONE)


# ---------------------------------------------------------------------------- periods


def closes_at(period: AssessmentPeriod):
    """When a period is over and may be frozen: after its last day, and after the deadline of the last weekly
    report it counts (a week ending on its last Sunday may still be filed on time on the Monday after)."""
    span = period.span
    weeks = span.weeks()
    return max(span.ends_at, weeks[-1].deadline) if weeks else span.ends_at


def _can_close(period: AssessmentPeriod, *, by: Any, **data: Any) -> None:
    if not period.scheme.indicators.exists():
        raise ValidationError(_("The scheme has no indicators to score."), code="no_indicators")
    over = closes_at(period)
    if clock.now() < over:
        raise ValidationError(
            _("The period is not over yet: it can be closed and its scores frozen from %(when)s."),
            code="period_not_over",
            params={"when": chinese_datetime(over)},
        )


def _freeze(period: AssessmentPeriod, *, by: Any, opinion: str = "", **data: Any) -> list[str]:
    """Compute the scorecard now and keep every subject's cells, total and rank, with the records beneath."""
    from . import selectors

    card = selectors.compute(period)
    for row in card.rows:
        score = SubjectScore(
            period=period, subject_id=row.subject_id, subject_name=row.name, total=row.total, rank=row.rank
        )
        score.save()
        for cell in row.cells:
            CellScore(
                subject_score=score,
                indicator=cell.indicator,
                value=cell.value,
                numerator=cell.numerator,
                denominator=cell.denominator,
                band=cell.band,
                points=cell.points,
                records=cell.lines,
            ).save()
    period.closed_at = clock.now()
    period.closed_by = by
    return ["closed_at", "closed_by"]


def _published(period: AssessmentPeriod, *, by: Any, opinion: str = "", **data: Any) -> list[str]:
    period.published_at = clock.now()
    period.published_by = by
    return ["published_at", "published_by"]


PERIOD_FLOW = Workflow(
    model=AssessmentPeriod,
    initial={PeriodStatus.OPEN},
    final={PeriodStatus.PUBLISHED},
    transitions=[
        period_step(
            "close",
            gettext_lazy("Close and freeze"),
            {PeriodStatus.OPEN},
            PeriodStatus.CLOSED,
            guard=_can_close,
            effect=_freeze,
            success=gettext_lazy("The period is closed and its scores frozen."),
            explanation=gettext_lazy(
                "Every value, band, points total and rank is frozen with the records beneath it, and your name and "
                "the time are kept. Later changes to the records will not move it; re-computing shows what would "
                "differ. This cannot be undone."
            ),
        ),
        period_step(
            "publish",
            gettext_lazy("Publish the ranking"),
            {PeriodStatus.CLOSED},
            PeriodStatus.PUBLISHED,
            effect=_published,
            success=gettext_lazy("The ranking is published to the townships."),
            explanation=gettext_lazy("The townships will see the frozen ranking. It cannot be withdrawn."),
        ),
    ],
)


# ---------------------------------------------------------------------------- findings


class RectifyStepForm(forms.Form):
    what_was_done = forms.CharField(
        label=gettext_lazy("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    on = forms.DateField(
        label=gettext_lazy("Rectified on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _check_rectification(finding: Finding, *, by: Any, what_was_done: str = "", on: Any = None, **data: Any) -> None:
    if not (what_was_done or "").strip():
        raise ValidationError(
            {"what_was_done": ValidationError(_("Say what was done."), code="rectification_required")}
        )
    if on is None or on > clock.today():
        raise ValidationError({"on": ValidationError(_("The date cannot be in the future."), code="future_date")})


def _rectified(finding: Finding, *, by: Any, what_was_done: str = "", on: Any = None, **data: Any) -> list[str]:
    finding.rectification = what_was_done.strip()
    finding.rectified_on = on
    return ["rectification", "rectified_on"]


def _closed(finding: Finding, *, by: Any, **data: Any) -> list[str]:
    finding.closed_on = clock.today()
    return ["closed_on"]


def _finding_event(
    finding: Finding, *, transition: Transition, from_state: str, to_state: str, by: Any, opinion: str
) -> None:
    note = finding.rectification if to_state == FindingStatus.RECTIFIED else opinion
    FindingEvent(finding=finding, from_status=from_state, to_status=to_state, note=note, by=by, at=clock.now()).save()


FINDING_FLOW = Workflow(
    model=Finding,
    initial={FindingStatus.OPEN},
    final={FindingStatus.CLOSED},
    on_transition=_finding_event,
    transitions=[
        finding_step(
            "rectify",
            gettext_lazy("Report it rectified"),
            {FindingStatus.OPEN},
            FindingStatus.RECTIFIED,
            who=CADRE,
            guard=_check_rectification,
            effect=_rectified,
            opinion=NONE,
            form_class=RectifyStepForm,
            success=gettext_lazy("Reported as rectified; the county office will check it."),
        ),
        finding_step(
            "close",
            gettext_lazy("Close the finding"),
            {FindingStatus.RECTIFIED},
            FindingStatus.CLOSED,
            who=OFFICE,
            effect=_closed,
            opinion=OPTIONAL,
            success=gettext_lazy("The finding is closed."),
        ),
        finding_step(
            "reopen",
            gettext_lazy("Not enough: reopen"),
            {FindingStatus.RECTIFIED},
            FindingStatus.OPEN,
            who=OFFICE,
            opinion=REQUIRED,
            style="outline-danger",
            success=gettext_lazy("The finding is open again."),
        ),
    ],
)


# ---------------------------------------------------------------------------- circulars


def _can_issue(circular: Circular, *, by: Any, **data: Any) -> None:
    from . import services

    if circular.period_id and not circular.period.is_frozen:
        raise ValidationError(_("Close the assessment period before circulating its ranking."), code="period_open")
    if not services.ranking_rows(circular):
        raise ValidationError(_("There is no result to circulate yet."), code="nothing_to_circulate")
    if not circular.townships.exists():
        raise ValidationError(_("Choose the townships the circular is issued to."), code="no_recipients")


def _issued(circular: Circular, *, by: Any, issued_on: Any = None, **data: Any) -> list[str]:
    from . import services

    circular.ranking = services.ranking_rows(circular)
    circular.issued_on = issued_on or clock.today()
    circular.issued_by = by
    return ["ranking", "issued_on", "issued_by"]


CIRCULAR_FLOW = Workflow(
    model=Circular,
    initial={CircularStatus.DRAFT},
    final={CircularStatus.ISSUED},
    transitions=[
        circular_step(
            "issue",
            gettext_lazy("Issue to the townships"),
            {CircularStatus.DRAFT},
            CircularStatus.ISSUED,
            guard=_can_issue,
            effect=_issued,
            success=gettext_lazy("The circular is issued to the townships."),
            explanation=gettext_lazy(
                "On issue the ranking below is frozen into the circular, dated today, and shown to every township "
                "it is addressed to. It cannot be recalled."
            ),
        ),
    ],
)
