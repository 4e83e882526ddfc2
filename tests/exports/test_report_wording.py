"""Words that once clashed between catalogues read right where they are printed.

"Next week" is a button on the weekly report pages (下一周) and the weekly report's plan in the Excel and PDF
exports (下周计划); with one catalogue and a context, each place says its own word.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import services as report_services
from reports.weeks import reporting_week
from tests.exports import pdfcheck
from tests.exports.factories import county_with_clusters

# Each test files the reporting week's report of a cluster established today (see the midweek fixture).
pytestmark = pytest.mark.usefixtures("midweek")


def _filed(cluster, week, cadre):
    report = report_services.save_weekly_report(
        cluster=cluster,
        week=week,
        by=cadre,
        expected_version=None,
        progress="召开联村例会，走访农户。",
        next_week_plan="筹备茶叶合作社议事会",
    )
    report_services.submit_weekly_report(report=report, by=cadre)
    return report


def test_weekly_sheet_heads_the_plan_column_as_next_weeks_plan(login, cadre_a, county_office):
    week = reporting_week()
    _filed(county_with_clusters(cadre_a, county_office, name_prefix="茶园联村")[0], week, cadre_a)
    response = login(county_office).get(
        reverse("exports:workbook", args=["weekly"]), {"first": week.key, "last": week.key}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["周报告"]
    header = [cell.value for cell in sheet[3]]
    row = next(row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0])
    assert row[header.index("下周计划")] == "筹备茶叶合作社议事会"
    assert row[header.index("工作进展")] == "召开联村例会，走访农户。"
    assert "下一周" not in header and "周次" in header


def test_weekly_compilation_pdf_labels_the_plan_as_next_weeks_plan(login, cadre_a, county_office):
    week = reporting_week()
    _filed(county_with_clusters(cadre_a, county_office, name_prefix="茶园联村")[0], week, cadre_a)
    response = login(county_office).get(reverse("exports:weekly-compilation-pdf"), {"week": week.key})
    text = pdfcheck.compact(pdfcheck.text_of(b"".join(response.streaming_content)))
    assert "下周计划：筹备茶叶合作社议事会" in text
    assert "工作进展：召开联村例会" in text
    assert "下一周" not in text


def test_week_navigation_still_offers_the_next_week(login, county_office):
    page = login(county_office).get(reverse("reports:completeness")).content.decode()
    assert "下一周" in page and "下周计划" not in page
