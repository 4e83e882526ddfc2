"""Wide tables print whole: the scorecard on A4 landscape with every indicator column inside the page."""

from __future__ import annotations

import subprocess

import pytest

from assessments.models import Metric
from tests.assessments import factories as af
from tests.exports import pdfcheck

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A4 landscape less the wide page's 10 mm side margins, in CSS pixels (96 per inch).
LANDSCAPE_PRINTABLE_PX = (297 - 2 * 10) / 25.4 * 96

EVERY_METRIC = [metric for metric in Metric.values if metric not in {Metric.ENTERED}]


def _words(text: str) -> str:
    """`text` without spaces and quotation marks, which the PDF's text layer places out of order."""
    return pdfcheck.compact(text).translate(str.maketrans("", "", "“”"))


def _columns_outside(page, table: str) -> list[str]:
    """The headings of `table` whose right edge lies beyond the printable width, in print layout."""
    return page.evaluate(
        """([table, width]) => [...document.querySelectorAll(`${table} th, ${table} td`)]
            .filter(cell => cell.getBoundingClientRect().right > width + 1)
            .map(cell => cell.textContent.trim())""",
        [table, LANDSCAPE_PRINTABLE_PX],
    )


def test_the_scorecard_prints_every_column_on_a4_landscape(log_in, live_server, township_a, township_b, county_office):
    period = af.may_period(county_office, metrics=EVERY_METRIC)
    page = log_in(county_office)
    page.goto(f"{live_server.url}/assessments/periods/{period.pk}/")

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    width, height = (float(side) for side in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    text = _words(pdfcheck.text_of(pdf))
    labels = [_words(indicator.label) for indicator in period.scheme.indicators.all()]
    assert len(labels) == len(EVERY_METRIC)
    for heading in [*labels, "总分"]:
        assert heading in text

    # Laid out as printed, at the width of the landscape page: no column beyond the right margin.
    page.set_viewport_size({"width": int(LANDSCAPE_PRINTABLE_PX), "height": 700})
    page.emulate_media(media="print")
    assert _columns_outside(page, "#scorecard") == []
    # A rate is never broken across two lines.
    broken = page.evaluate(
        """() => [...document.querySelectorAll('#scorecard .rate')].filter(el => {
            const range = document.createRange(); range.selectNodeContents(el);
            return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
        }).map(el => el.textContent)"""
    )
    assert broken == []
