"""The county's own downloads: its workbook of every sheet and the summary PDF for on-site meetings.

The other exporters belong to their apps (`clusters/exporters.py`, `reports/exporters.py`, …); the county
workbook holds their sheets after its own summary by township.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from lianchun import rates

from . import selectors
from .registry import PdfExporter, register
from .sheets import AGREE_RATE, SheetsExporter, rows_of
from .xlsx import CODE, INT, PERCENT, TEXT, Column, WorkbookWriter, rate_value

# The sheets of the county workbook after the summary by township, in order.
COUNTY_SHEETS = ["roster", "consent", "completeness", "weekly", "rectification", "ledgers", "meeting-issues"]


def township_label(row: selectors.TownshipFigures) -> str:
    """The township's name, or what the row sums: a county's townships (小计) or all of them (合计)."""
    if row.township is not None:
        return row.township.name
    return gettext("Subtotal") if row.county is not None else gettext("Total")


TOWNSHIP_COLUMNS = [
    Column(_("Township code"), CODE, 15, "township.code"),
    Column(_("Township"), TEXT, 14, township_label),
    Column(_("Number of villages"), INT, 9, "villages"),
    Column(_("Clusters established"), INT, 11, "clusters"),
    Column(_("Villages in clusters"), INT, 11, "clustered_villages"),
    Column(
        _("Share of villages"), PERCENT, 11, lambda row: rates.describe_fraction(row.clustered_villages, row.villages)
    ),
    Column(_("Lagging villages"), INT, 10, "lagging"),
    Column(_("Forms handed out"), INT, 11, "handed_out"),
    Column(_("Forms returned"), INT, 11, "returned"),
    Column(_("Agreeing forms"), INT, 11, "agree"),
    AGREE_RATE.of(lambda row: rate_value(row.agree, row.handed_out)),
]


# A city's or a province's sheet starts with the county and subtotals each county's townships.
COUNTY_TOWNSHIP_COLUMNS = [Column(pgettext_lazy("place", "County"), TEXT, 12, "county.name"), *TOWNSHIP_COLUMNS]


def township_sheet(writer: WorkbookWriter, user: Any) -> None:
    summary = selectors.county_summary(user)
    if summary.by_county:
        columns, title = COUNTY_TOWNSHIP_COLUMNS, gettext("%(place)s: village clusters by county and township")
    else:
        columns, title = TOWNSHIP_COLUMNS, gettext("%(place)s: village clusters by township")
    writer.add_sheet(
        name=gettext("Summary by township"),
        title=title % {"place": summary.place},
        unit=summary.unit,
        as_of=summary.as_of,
        columns=columns,
        rows=rows_of(columns, [*summary.table_rows, summary.totals]),
        note=gettext(
            "Shares are rounded half up to one decimal place, as Excel's ROUND does; the agree rate decides "
            "the consent rule and is truncated, never rounded up."
        ),
    )


register(
    SheetsExporter(
        "county",
        gettext_lazy("County workbook"),
        [township_sheet, *COUNTY_SHEETS],
        order=0,
        rows_per_village=len(COUNTY_SHEETS) + 1,
    )
)


@register
class CountySummaryExporter(PdfExporter):
    """The headline figures, the table by township and the list of clusters, for on-site meetings (现场会)."""

    identifier = "county-summary"
    verbose_name = gettext_lazy("Summary for the on-site meeting")
    template_name = "exports/county_summary_pdf.html"
    order = 110
    # A county's summary stays immediate; ten counties' took 5 s in the request (make bench-scale), so a city's
    # or a province's goes to a worker: sized like the county workbook.
    rows_per_village = 8

    def context(self, user: Any, form_data: dict[str, Any]) -> dict[str, Any]:
        return {
            "summary": selectors.county_summary(user),
            "show_clusters": form_data.get("show_clusters", True),
            "extra_figures": selectors.headline_figures(user),
        }

    def filename(self, user: Any, form_data: dict[str, Any]) -> str:
        return gettext("%(place)s village cluster summary %(day)s.pdf") % {
            "place": selectors.scope_title(user),
            "day": selectors.stamp(),
        }
