"""The week's compilation of weekly reports (周报汇编) as a PDF, and the latest reports of one cluster.

Only filed reports are compiled (a draft is the township's own business); each
shows its state, whether it came in late, and the county office's answer.
The PDF takes plain entries, so its layout does not depend on the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from reports.models import ReportSubmission, State, WeeklyReport
from reports.weeks import Week

from . import selectors


@dataclass
class ReportEntry:
    township: str
    cluster: str
    status: str
    # What the township wrote, under the report's own names (reports.models.CONTENT_FIELDS).
    progress: str
    problems: str = ""
    next_week_plan: str = ""
    coordination: str = ""
    meetings_held: int = 0
    households_visited: int = 0
    opinions_collected: int = 0
    issues_solved: int = 0
    answer: str = ""
    week: str = ""


@dataclass
class Compilation:
    title: str
    unit: str
    week_label: str
    reports: list[ReportEntry] = field(default_factory=list)


def filed_reports(user: Any):
    """Visible reports that were submitted at least once, with the county's answers (two queries)."""
    answers = Prefetch(
        "submissions",
        queryset=ReportSubmission.objects.filter(outcome=ReportSubmission.Outcome.ANSWERED).order_by("-number"),
        to_attr="answers",
    )
    return (
        WeeklyReport.objects.visible_to(user)
        .exclude(state=State.DRAFT)
        .exclude(first_submitted_at__isnull=True)
        .select_related("cluster__township")
        .prefetch_related(answers)
    )


def entry_for(report: WeeklyReport) -> ReportEntry:
    status = report.get_state_display()
    if report.is_late:
        status = _("%(state)s, late") % {"state": status}
    answers = getattr(report, "answers", [])
    return ReportEntry(
        township=report.cluster.township.name,
        cluster=report.cluster.name,
        status=status,
        answer=answers[0].response if answers else "",
        week=report.week.label,
        **report.content(),
    )


def weekly_compilation(user: Any, week: Week) -> Compilation:
    reports = (
        filed_reports(user)
        .filter(iso_year=week.year, iso_week=week.number)
        .order_by("cluster__township__code", "cluster__name")
    )
    return Compilation(
        title=_("%(place)s: weekly reports of the village clusters") % {"place": selectors.scope_title(user)},
        unit=selectors.unit_name(user),
        week_label=week.label,
        reports=[entry_for(report) for report in reports],
    )


def latest_reports(user: Any, cluster: Any, count: int = 4) -> list[ReportEntry]:
    reports = filed_reports(user).filter(cluster=cluster).order_by("-iso_year", "-iso_week")[:count]
    return [entry_for(report) for report in reports]


def render(compilation: Compilation) -> bytes:
    from .pdf import render_pdf

    return render_pdf("exports/weekly_compilation_pdf.html", {"compilation": compilation})
