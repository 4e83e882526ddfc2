"""The weekly reports' downloads: the reports and their completeness as workbooks, the week's compilation as a PDF."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from exports import compilation
from exports.registry import PDF_CONTENT_TYPE, PdfExporter, register
from exports.sheets import CLUSTER, TOWNSHIP, Sheet, SheetsExporter, yes_no
from exports.xlsx import DATE, INT, PERCENT, TEXT, Column, WorkbookWriter
from lianchun import rates

from . import selectors as report_selectors
from .weeks import Week, weeks_between

MAX_WEEKS = 53


class WeekField(forms.CharField):
    """An ISO week written as 2026-W47."""

    def to_python(self, value: Any) -> Week | None:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return Week.parse(text)
        except ValueError:
            raise forms.ValidationError(_("Write the week as 2026-W47."), code="week") from None


def week_range_fields() -> dict[str, forms.Field]:
    return {
        "first": WeekField(label=_("From week"), initial=lambda: report_selectors.default_weeks()[0]),
        "last": WeekField(label=_("To week"), initial=lambda: report_selectors.default_weeks()[1]),
    }


def week_range(form_data: dict[str, Any]) -> tuple[Week, Week]:
    """The chosen weeks; the default range when they are missing, reversed or longer than a year."""
    first, last = form_data.get("first"), form_data.get("last")
    if first is None or last is None or last < first or len(weeks_between(first, last)) > MAX_WEEKS:
        return report_selectors.default_weeks()
    return first, last


def period_label(first: Week, last: Week) -> str:
    return _("%(first)s to %(last)s") % {"first": first.label, "last": last.label}


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


WEEKLY_COLUMNS = [
    Column(gettext_lazy("Week"), TEXT, 14, "week.short_label"),
    TOWNSHIP.of("cluster.township.name"),
    CLUSTER.of("cluster.name"),
    Column(gettext_lazy("State"), TEXT, 10, "get_state_display"),
    Column(gettext_lazy("First submitted on"), DATE, 12, lambda report: _local_date(report.first_submitted_at)),
    Column(gettext_lazy("Late"), TEXT, 6, lambda report: yes_no(report.is_late)),
    Column(gettext_lazy("Meetings held"), INT, 8, "meetings_held"),
    Column(gettext_lazy("Households visited"), INT, 8, "households_visited"),
    Column(gettext_lazy("Opinions collected"), INT, 8, "opinions_collected"),
    Column(gettext_lazy("Issues solved"), INT, 8, "issues_solved"),
    Column(pgettext_lazy("weekly report", "Progress"), TEXT, 40, "progress"),
    Column(gettext_lazy("Problems"), TEXT, 30, "problems"),
    Column(pgettext_lazy("weekly report", "Next week"), TEXT, 30, "next_week_plan"),
    Column(gettext_lazy("Needs county coordination"), TEXT, 30, "coordination"),
]


def _reports(user: Any, first: Week, last: Week):
    return (
        report_selectors.reports_between(user, first, last)
        .select_related("cluster__township")
        .order_by("iso_year", "iso_week", "cluster__township__code", "cluster__name")
        .iterator(chunk_size=2000)
    )


WEEKLY = Sheet(
    name=gettext_lazy("Weekly reports"),
    title=gettext_lazy("%(place)s: weekly reports, %(first)s to %(last)s"),
    columns=WEEKLY_COLUMNS,
    records=_reports,
)


def _completeness_table(user: Any, first: Week, last: Week) -> tuple[list[Column], Any]:
    """Each township's share of expected reports that arrived, week by week, with its totals and the county's."""
    result = report_selectors.completeness_for(user, first, last)
    grid = result.grid
    weeks = weeks_between(first, last)
    columns = [TOWNSHIP]
    columns += [Column(week.short_label, PERCENT, 14) for week in weeks]
    columns += [
        Column(_("Expected"), INT, 8),
        Column(_("Arrived"), INT, 8),
        Column(_("On time"), INT, 8),
        Column(_("Reporting rate"), PERCENT, 10),
        Column(_("On-time rate"), PERCENT, 10),
    ]

    def line(label, cells, total):
        return [
            label,
            *[rates.describe_fraction(c.arrived, c.expected) for c in cells],
            total.expected,
            total.arrived,
            total.on_time,
            rates.describe_fraction(total.arrived, total.expected),
            rates.describe_fraction(total.on_time, total.expected),
        ]

    def rows():
        for township in result.townships:
            yield line(township.name, [grid.cell(township.pk, w) for w in weeks], grid.by_township[township.pk])
        yield line(_("Total"), [grid.by_week[w] for w in weeks], grid.total)

    return columns, rows()


COMPLETENESS = Sheet(
    name=gettext_lazy("Completeness"),
    title=gettext_lazy("%(place)s: weekly report completeness, %(first)s to %(last)s"),
    table=_completeness_table,
    note=gettext_lazy(
        "Each week column is the share of expected reports that arrived; empty where no report was expected."
    ),
)


class WeekRangeExporter(SheetsExporter):
    """Sheets over the weeks the user chooses: each of its contents is a `Sheet` of `(user, first, last)` whose
    title names the weeks (`%(first)s`, `%(last)s`), as does its period.

    A sheet names a week as the pages do (2026年第37周, `Week.short_label`); the ISO key (2026-W37) is only
    for addresses and the download form's fields."""

    @property
    def form_fields(self) -> dict[str, forms.Field]:
        return week_range_fields()

    def sheets(self, writer: WorkbookWriter, user: Any, form_data: dict[str, Any]) -> None:
        first, last = week_range(form_data)
        for sheet in self.contents:
            sheet(
                writer,
                user,
                first,
                last,
                title_params={"first": first.short_label, "last": last.short_label},
                period=period_label(first, last),
            )


register(WeekRangeExporter("weekly", gettext_lazy("Weekly reports"), [WEEKLY], order=40))
register(WeekRangeExporter("completeness", gettext_lazy("Weekly report completeness"), [COMPLETENESS], order=30))


@register
class WeeklyCompilationExporter(PdfExporter):
    """周报汇编: every filed report of one week; by default the last completed week."""

    identifier = "weekly-compilation"
    verbose_name = gettext_lazy("Weekly reports compilation")
    order = 120
    # One page a report: a county's week stays immediate; ten counties' week took 5.7 s in the request
    # (make bench-scale), so a city's or a province's goes to a worker.
    rows_per_village = 8

    @property
    def form_fields(self) -> dict[str, forms.Field]:
        return {"week": WeekField(label=_("Week"), initial=lambda: report_selectors.default_weeks()[1])}

    def filename(self, user: Any, form_data: dict[str, Any]) -> str:
        return _("Weekly reports %(week)s.pdf") % {"week": form_data["week"].short_label}

    def render(self, user: Any, form_data: dict[str, Any]) -> tuple[str, str, bytes]:
        form_data = {"week": form_data.get("week") or report_selectors.default_weeks()[1]}
        book = compilation.weekly_compilation(user, form_data["week"])
        return self.filename(user, form_data), PDF_CONTENT_TYPE, compilation.render(book)
