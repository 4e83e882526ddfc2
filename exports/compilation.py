"""The week's compilation of weekly reports (周报汇编) as a PDF.

The PDF takes plain entries, so the layout does not depend on how the reports
app stores a report; `reports_for_week` adapts stored reports when that app
provides them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReportEntry:
    township: str
    cluster: str
    status: str
    progress: str
    problems: str = ""
    next_plan: str = ""
    coordination: str = ""
    meetings: int = 0
    visits: int = 0
    solved: int = 0
    answer: str = ""


@dataclass
class Compilation:
    title: str
    unit: str
    week_label: str
    reports: list[ReportEntry] = field(default_factory=list)


def week_label(iso_year: int, week: int) -> str:
    import datetime

    monday = datetime.date.fromisocalendar(iso_year, week, 1)
    sunday = datetime.date.fromisocalendar(iso_year, week, 7)
    return f"{iso_year}年第{week}周（{monday.month}月{monday.day}日—{sunday.month}月{sunday.day}日）"


def render(compilation: Compilation) -> bytes:
    from .pdf import render_pdf

    return render_pdf("exports/weekly_compilation_pdf.html", {"compilation": compilation})

