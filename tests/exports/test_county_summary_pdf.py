"""The county summary for an on-site meeting (现场会材料): Chinese really printed, figures right, scoped."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exports import selectors
from exports.pdf import render_pdf
from tests.exports import pdfcheck
from tests.exports.factories import RARE_VILLAGE_NAMES, county_with_clusters, make_village, rare_villages


@pytest.fixture
def summary_county(cadre_a, cadre_b, county_office, rare_cluster, village_b):
    # Township B: one established cluster with the other rare names, plus lagging villages.
    county_with_clusters(cadre_b, county_office, names=RARE_VILLAGE_NAMES[3:], name_prefix="双埇联村")
    make_village(cadre_a.township, name="后进村", standing="lagging")
    return rare_cluster


def test_county_office_downloads_the_summary_as_a_pdf(login, county_office, summary_county):
    response = login(county_office).get(reverse("exports:county-summary-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")


def test_summary_prints_the_chinese_that_went_in(widest_day, county_office, summary_county, artifacts):
    summary = selectors.county_summary(county_office)
    data = render_pdf("exports/county_summary_pdf.html", {"summary": summary, "show_clusters": True})
    text = pdfcheck.compact(pdfcheck.text_of(data))
    for name in RARE_VILLAGE_NAMES:
        assert name in text
    established = summary.clusters[0].cluster.established_on
    for expected in [
        "清河县联村自治工作情况",
        "城关镇",
        "马园镇",
        "杨圩畈联村1",
        "双埇联村1",
        "第1页共",
        f"{established.year}年{established.month}月{established.day}日",  # 组建日期 as the product writes dates
    ]:
        assert expected in text
    assert f"{established:%Y-%m-%d}" not in text
    assert pdfcheck.missing_glyphs("".join(RARE_VILLAGE_NAMES) + text) == set()
    pdfcheck.assert_only_vendored_fonts(data)
    png = pdfcheck.render_page_one(data, artifacts / "county-summary")
    assert png.stat().st_size > 5000


def test_summary_figures_come_from_the_records(county_office, summary_county, village_a, village_b):
    summary = selectors.county_summary(county_office)
    totals = summary.totals
    assert totals.clusters == 2
    assert totals.clustered_villages == 6
    assert totals.villages == 6 + 2 + 1  # six rare villages, village_a, village_b, the lagging one
    assert totals.share == "66.7%"  # 6 of 9, rounded half up as Excel's ROUND
    assert totals.handed_out == 600 and totals.agree == 540
    assert totals.agree_rate == "90.0%"
    assert summary.lagging_now == 1


def test_cadre_summary_covers_only_its_own_township(cadre_b, summary_county):
    summary = selectors.county_summary(cadre_b)
    assert [row.township.name for row in summary.townships] == ["马园镇"]
    assert {line.cluster.name for line in summary.clusters} == {"双埇联村1"}
    assert summary.place == "清河县马园镇"


def test_summary_queries_do_not_grow_with_clusters(county_office, cadre_a, django_assert_num_queries):
    county_with_clusters(cadre_a, county_office, clusters=1)
    # Uncounted: the first read of a role in a process also compiles its scoped reads (lianchun.compiled).
    selectors.county_summary(county_office)
    with CaptureQueriesContext(connection) as one:
        selectors.county_summary(county_office)
    county_with_clusters(cadre_a, county_office, clusters=20, name_prefix="又一联村")
    rare_villages(cadre_a.township, ["新圩村"])
    with django_assert_num_queries(len(one.captured_queries)):
        summary = selectors.county_summary(county_office)
    assert summary.totals.clusters == 21
