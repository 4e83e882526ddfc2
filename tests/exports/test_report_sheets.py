"""Sheets over weekly reports and completeness, and every workbook topic for every persona."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exports import registry, selectors
from reports import selectors as report_selectors
from reports import services as report_services
from reports.weeks import reporting_week
from tests.exports.factories import county_with_clusters

# Each test files the reporting week's report of a cluster established today (see the midweek fixture).
pytestmark = pytest.mark.usefixtures("midweek")


def _filed(cluster, week, cadre, **content):
    content.setdefault("progress", "召开联村例会，走访坳上组农户。")
    report = report_services.save_weekly_report(cluster=cluster, week=week, by=cadre, expected_version=None, **content)
    report_services.submit_weekly_report(report=report, by=cadre)
    return report


def _book(login, user, topic, **params):
    response = login(user).get(reverse("exports:workbook", args=[topic]), params)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_weekly_sheet_lists_the_reports_of_the_chosen_weeks(login, cadre_a, county_office):
    week = reporting_week()
    cluster = county_with_clusters(cadre_a, county_office, name_prefix="坳上联村")[0]
    _filed(cluster, week, cadre_a, households_visited=42, coordination='=HYPERLINK("http://x","点我")')
    book = _book(login, county_office, "weekly", first=week.previous().key, last=week.key)
    sheet = book["周报告"]
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert len(rows) == 1
    week_label, township, name, *_rest = rows[0]
    assert (week_label, township, name) == (week.short_label, "城关镇", "坳上联村1")  # 2026年第37周
    assert rows[0][7] == 42 and isinstance(rows[0][7], int)
    assert rows[0][13] == '=HYPERLINK("http://x","点我")'
    assert week.previous().short_label in sheet["A1"].value and week.short_label in sheet["A1"].value
    assert "-W" not in sheet["A1"].value


def test_completeness_sheet_shows_weeks_side_by_side_as_rates(login, cadre_a, county_office):
    week = reporting_week()
    clusters = county_with_clusters(cadre_a, county_office, clusters=2)
    _filed(clusters[0], week, cadre_a)
    first = week.previous()
    sheet = _book(login, county_office, "completeness", first=first.key, last=week.key)["报送情况"]
    header = [c.value for c in sheet[3]]
    assert header[:3] == ["乡镇", first.short_label, week.short_label]  # 2026年第36周, as the pages write weeks
    assert f"（{first.short_label}至{week.short_label}）" in sheet["A1"].value
    township_row = next(row for row in sheet.iter_rows(min_row=4) if row[0].value == "城关镇")
    if township_row[2].value is not None:  # the clusters were established this week: only due weeks count
        assert township_row[2].number_format == "0.0%"
        assert 0 <= township_row[2].value <= 1


def test_a_malformed_week_range_falls_back_to_the_default_weeks(login, county_office):
    sheet = _book(login, county_office, "completeness", first="2026-W99", last="x")["报送情况"]
    assert len([c for c in sheet[3] if c.value and "年第" in str(c.value)]) == report_selectors.DEFAULT_WEEKS


def test_the_county_workbook_names_weeks_as_the_pages_do(login, cadre_a, county_office):
    county_with_clusters(cadre_a, county_office)
    sheet = _book(login, county_office, "county")["报送情况"]
    first, last = report_selectors.default_weeks()
    assert [c.value for c in sheet[3]][1] == first.short_label and last.short_label in sheet["A1"].value
    assert not any("-W" in str(c.value) for row in sheet.iter_rows(max_row=3) for c in row if c.value)


@pytest.mark.parametrize("topic", sorted(e.identifier for e in registry.exporters(registry.XLSX)))
def test_every_workbook_opens_for_a_cadre_and_the_county(login, cadre_a, county_office, topic, rare_cluster):
    for user in (cadre_a, county_office):
        book = _book(login, user, topic)
        for sheet in book.worksheets:
            assert sheet["A1"].value
            assert sheet["A2"].value.startswith("填报单位：")
            assert sheet.freeze_panes == "A4"


def test_summary_adds_reporting_rectification_ledger_and_meeting_figures(county_office, rare_cluster):
    lines = selectors.headline_figures(county_office)
    assert len(lines) == 4
    assert "周报告" in lines[0] and "三本台账" in lines[2]
