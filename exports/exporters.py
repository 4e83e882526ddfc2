"""The county's own downloads: its workbook of every sheet and the summary PDF for on-site meetings.

The other exporters belong to their apps (`clusters/exporters.py`, `reports/exporters.py`, …); the county
workbook holds their sheets after its own summary by township.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianchun import rates

from . import registry, selectors
from .registry import PdfExporter, WorkbookExporter, register
from .xlsx import CODE, INT, PERCENT, TEXT, Column, WorkbookWriter, rate_value

# The sheets of the county workbook after the summary by township, in order.
COUNTY_SHEETS = ["roster", "consent", "completeness", "weekly", "rectification", "ledgers", "meeting-issues"]


def township_sheet(writer: WorkbookWriter, user: Any) -> None:
    summary = selectors.county_summary(user)
    columns = [
        Column(_("Township code"), CODE, 15),
        Column(_("Township"), TEXT, 14),
        Column(_("Number of villages"), INT, 9),
        Column(_("Clusters established"), INT, 11),
        Column(_("Villages in clusters"), INT, 11),
        Column(_("Share of villages"), PERCENT, 11),
        Column(_("Lagging villages"), INT, 10),
        Column(_("Forms handed out"), INT, 11),
        Column(_("Forms returned"), INT, 11),
        Column(_("Agreeing forms"), INT, 11),
        Column(rates.AGREE_RATE_LABEL, PERCENT, 14),
    ]

    def rows():
        for row in [*summary.townships, summary.totals]:
            township = row.township
            yield [
                township.code if township else "",
                township.name if township else _("Total"),
                row.villages,
                row.clusters,
                row.clustered_villages,
                rates.describe_fraction(row.clustered_villages, row.villages),
                row.lagging,
                row.handed_out,
                row.returned,
                row.agree,
                rate_value(row.agree, row.handed_out),
            ]

    writer.add_sheet(
        name=_("Summary by township"),
        title=_("%(place)s: village clusters by township") % {"place": summary.place},
        unit=summary.unit,
        as_of=summary.as_of,
        columns=columns,
        rows=rows(),
        note=_(
            "Shares are rounded half up to one decimal place, as Excel's ROUND does; the agree rate decides "
            "the consent rule and is truncated, never rounded up."
        ),
    )


@register
class CountyWorkbookExporter(WorkbookExporter):
    identifier = "county"
    verbose_name = gettext_lazy("County workbook")
    order = 0
    rows_per_village = len(COUNTY_SHEETS) + 1

    @property
    def form_fields(self) -> dict[str, forms.Field]:
        fields: dict[str, forms.Field] = {}
        for identifier in COUNTY_SHEETS:
            fields.update(registry.get(identifier).form_fields)
        return fields

    def sheets(self, writer: WorkbookWriter, user: Any, form_data: dict[str, Any]) -> None:
        township_sheet(writer, user)
        for identifier in COUNTY_SHEETS:
            registry.get(identifier).sheets(writer, user, form_data)


@register
class CountySummaryExporter(PdfExporter):
    """The headline figures, the table by township and the list of clusters, for on-site meetings (现场会)."""

    identifier = "county-summary"
    verbose_name = gettext_lazy("Summary for the on-site meeting")
    template_name = "exports/county_summary_pdf.html"
    order = 110

    def context(self, user: Any, form_data: dict[str, Any]) -> dict[str, Any]:
        return {
            "summary": selectors.county_summary(user),
            "show_clusters": form_data.get("show_clusters", True),
            "extra_figures": selectors.headline_figures(user),
        }

    def filename(self, user: Any, form_data: dict[str, Any]) -> str:
        return _("%(place)s village cluster summary %(day)s.pdf") % {
            "place": selectors.scope_title(user),
            "day": selectors.stamp(),
        }
