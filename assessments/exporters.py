"""考核 and 督查 downloads in the exports registry: the scorecard (workbook and PDF) and the 通报 (PDF and workbook).

The assessment pages link to these same exporters, so a page, the downloads page and the generic
download tests all go through one path. A township sees a scorecard once it is published and a
circular once it is issued, as on the pages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exports.registry import PdfExporter, WorkbookExporter, register
from exports.sheets import rows_of
from exports.xlsx import DATE, TEXT, Column, WorkbookWriter
from lianchun import clock
from lianchun.scoping import get_visible_or_404

from . import circulars, selectors
from .models import AssessmentPeriod, Circular, CircularStatus, PeriodStatus


def periods_for(user: Any):
    periods = AssessmentPeriod.objects.visible_to(user).select_related("scheme__county", "closed_by")
    if user.is_township_cadre:
        periods = periods.filter(status=PeriodStatus.PUBLISHED)
    return periods.order_by("-ends_on", "-pk")


def circulars_for(user: Any):
    found = Circular.objects.visible_to(user).select_related("inspection_round", "period__scheme", "issued_by")
    if user.is_township_cadre:
        found = found.filter(status=CircularStatus.ISSUED)
    return found


def _chosen(queryset: Any, user: Any, pk: Any) -> Any:
    """The record chosen by id within what the user may download (404 otherwise); the latest when none is chosen."""
    if pk in (None, ""):
        return queryset.first()
    found = queryset.filter(pk=pk).first()
    if found is None:
        get_visible_or_404(queryset.model, user, pk=pk)  # out of reach answers as the pages do
        raise Http404(_("No such record."))
    return found


class _Chosen:
    """An exporter of one record the user chooses by id (`choice`), named after it in the file name."""

    choice = ""
    choice_required = False

    @property
    def form_fields(self) -> dict[str, forms.Field]:
        return {self.choice: forms.IntegerField(widget=forms.HiddenInput, required=self.choice_required, min_value=1)}

    def records(self, user: Any):
        raise NotImplementedError

    def title(self, record: Any) -> str:
        raise NotImplementedError

    def chosen(self, user: Any, form_data: dict[str, Any]) -> Any:
        return _chosen(self.records(user), user, form_data.get(self.choice))

    def filename(self, user: Any, form_data: dict[str, Any]) -> str:
        record = self.chosen(user, form_data)
        if record is None:
            return f"{self.verbose_name}{clock.today():%Y%m%d}.{self.kind}"
        return f"{self.title(record)}.{self.kind}"


class _PeriodChoice(_Chosen):
    choice = "period"

    def records(self, user: Any):
        return periods_for(user)

    def title(self, record: AssessmentPeriod) -> str:
        return f"{record.scheme.name}{record.label}"

    def period(self, user: Any, form_data: dict[str, Any]) -> AssessmentPeriod | None:
        return self.chosen(user, form_data)


@register
class ScorecardWorkbookExporter(_PeriodChoice, WorkbookExporter):
    """One period's scorecard (the latest the user may see unless one is chosen): value per indicator, total, rank."""

    identifier = "scorecard"
    verbose_name = gettext_lazy("Assessment scorecard")
    order = 150

    def sheets(self, writer: WorkbookWriter, user: Any, form_data: dict[str, Any]) -> None:
        period = self.period(user, form_data)
        if period is None:
            writer.add_sheet(
                name=_("Scorecard"),
                title=str(self.verbose_name),
                unit="",
                as_of=clock.today(),
                columns=[Column(_("Subject"), TEXT, 24)],
                rows=[],
                note=_("No assessment period yet."),
            )
            return
        circulars.scorecard_sheet(writer, period, selectors.scorecard(period))


@register
class ScorecardPdfExporter(_PeriodChoice, PdfExporter):
    identifier = "scorecard-pdf"
    verbose_name = gettext_lazy("Assessment scorecard")
    template_name = "assessments/scorecard_pdf.html"
    order = 151
    listed = False  # offered on each scorecard and beside each period on the downloads page

    def context(self, user: Any, form_data: dict[str, Any]) -> dict[str, Any]:
        period = self.period(user, form_data)
        if period is None:
            raise Http404(_("No such record."))
        return {"period": period, "card": selectors.scorecard(period), "as_of": clock.today()}


class _CircularChoice(_Chosen):
    choice = "circular"

    def records(self, user: Any):
        return circulars_for(user)

    def title(self, record: Circular) -> str:
        return f"{record.number}{record.title}"

    def circular(self, user: Any, form_data: dict[str, Any]) -> Circular | None:
        return self.chosen(user, form_data)


# The register of circulars: one row per circular the user may see.
CIRCULAR_REGISTER = [
    Column(gettext_lazy("Document number"), TEXT, 20, "number"),
    Column(gettext_lazy("Title"), TEXT, 40, "title"),
    Column(gettext_lazy("Status"), TEXT, 8, "get_status_display"),
    Column(gettext_lazy("Date"), DATE, 12, "issued_on"),
    Column(gettext_lazy("Main recipients"), TEXT, 30, "main_recipients"),
    Column(gettext_lazy("Copied to"), TEXT, 30, "copy_to"),
]


@register
class CircularWorkbookExporter(_CircularChoice, WorkbookExporter):
    """A circular's ranking as issued; without a choice, the register of the circulars the user may see."""

    identifier = "circulars"
    verbose_name = gettext_lazy("Circulars")
    order = 152

    def filename(self, user: Any, form_data: dict[str, Any]) -> str:
        if form_data.get("circular") in (None, ""):
            return f"{self.verbose_name}{clock.today():%Y%m%d}.xlsx"
        return super().filename(user, form_data)

    def sheets(self, writer: WorkbookWriter, user: Any, form_data: dict[str, Any]) -> None:
        if form_data.get("circular") not in (None, ""):
            circulars.circular_sheet(writer, self.circular(user, form_data))
            return
        found = circulars_for(user).order_by("-year", "-serial")
        writer.add_sheet(
            name=_("Circulars"),
            title=_("Register of circulars"),
            unit="",
            as_of=clock.today(),
            columns=CIRCULAR_REGISTER,
            rows=rows_of(CIRCULAR_REGISTER, found),
        )


@register
class CircularPdfExporter(_CircularChoice, PdfExporter):
    """The 通报 printed in the official layout (GB/T 9704)."""

    identifier = "circular-pdf"
    verbose_name = gettext_lazy("Circular")
    order = 153
    listed = False  # offered beside each circular
    choice_required = True

    def render(self, user: Any, form_data: dict[str, Any]) -> tuple[str, str, bytes]:
        circular = self.circular(user, form_data)
        if circular is None:
            raise Http404(_("No such record."))
        return self.filename(user, form_data), "application/pdf", circulars.circular_pdf(circular)
