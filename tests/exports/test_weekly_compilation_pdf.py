"""The week's compilation of weekly reports (周报汇编): filed reports only, in Chinese, scoped, and the answer printed."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exports import compilation
from reports import services as report_services
from reports.selectors import default_weeks
from reports.weeks import Week, reporting_week
from tests.exports import pdfcheck
from tests.exports.factories import county_with_clusters

# Each test files the reporting week's report of a cluster established today (see the midweek fixture).
pytestmark = pytest.mark.usefixtures("midweek")


def _filed(cluster, week, cadre, **content):
    content.setdefault("progress", "走访杨圩村农户，召开联村例会。")
    report = report_services.save_weekly_report(cluster=cluster, week=week, by=cadre, expected_version=None, **content)
    report_services.submit_weekly_report(report=report, by=cadre)
    return report


def test_compilation_prints_each_filed_report_of_the_week(login, cadre_a, cadre_b, county_office, artifacts):
    week = reporting_week()
    mine = county_with_clusters(cadre_a, county_office, name_prefix="杨圩联村")[0]
    theirs = county_with_clusters(cadre_b, county_office, name_prefix="畈上联村")[0]
    _filed(mine, week, cadre_a, problems="垭口道路需要县里协调。", issues_solved=3)
    _filed(theirs, week, cadre_b, progress="双埇村召开院坝议事会。")
    report_services.save_weekly_report(
        cluster=county_with_clusters(cadre_a, county_office, name_prefix="草稿联村")[0],
        week=week,
        by=cadre_a,
        expected_version=None,
        progress="草稿不应出现",
    )
    response = login(county_office).get(reverse("exports:weekly-compilation-pdf"), {"week": week.key})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    text = pdfcheck.compact(pdfcheck.text_of(data))
    for expected in [
        "清河县联村工作周报汇编",
        "杨圩联村1",
        "走访杨圩村农户",
        "垭口道路需要县里协调",
        "解决问题3个",
        "双埇村召开院坝议事会",
    ]:
        assert expected in text, expected
    assert "草稿不应出现" not in text
    assert pdfcheck.missing_glyphs(text) == set()
    pdfcheck.assert_only_vendored_fonts(data)
    pdfcheck.render_page_one(data, artifacts / "weekly-compilation")


def test_cadre_compilation_holds_only_its_township(cadre_a, cadre_b, county_office):
    week = reporting_week()
    _filed(county_with_clusters(cadre_a, county_office, name_prefix="甲联村")[0], week, cadre_a)
    _filed(county_with_clusters(cadre_b, county_office, name_prefix="乙联村")[0], week, cadre_b)
    book = compilation.weekly_compilation(cadre_b, week)
    assert [entry.cluster for entry in book.reports] == ["乙联村1"]


def test_a_bad_week_falls_back_to_the_last_completed_week(login, county_office):
    response = login(county_office).get(reverse("exports:weekly-compilation-pdf"), {"week": "2026-W99<script>"})
    assert response.status_code == 200
    assert default_weeks()[1].short_label in unquote(response["Content-Disposition"])


def test_the_compilation_downloads_under_the_weeks_chinese_name(login, county_office):
    week = default_weeks()[1].previous()
    response = login(county_office).get(reverse("exports:weekly-compilation-pdf"), {"week": week.key})
    assert f"周报汇编{week.year}年第{week.number}周.pdf" in unquote(response["Content-Disposition"])


def test_an_empty_compilation_says_nothing_was_filed_that_week(login, county_office):
    response = login(county_office).get(reverse("exports:weekly-compilation-pdf"))
    text = pdfcheck.compact(pdfcheck.text_of(b"".join(response.streaming_content)))
    week = default_weeks()[1]
    assert pdfcheck.compact(f"{week.label}没有已报送的周报，本期无可汇编的内容。") in text
    assert "共0篇" not in text


def test_compilation_queries_do_not_grow_with_reports(cadre_a, county_office, django_assert_num_queries):
    week = reporting_week()
    clusters = county_with_clusters(cadre_a, county_office, clusters=21)
    _filed(clusters[0], week, cadre_a)
    with CaptureQueriesContext(connection) as one:
        compilation.weekly_compilation(county_office, week)
    for cluster in clusters[1:]:
        _filed(cluster, week, cadre_a)
    with django_assert_num_queries(len(one.captured_queries)):
        book = compilation.weekly_compilation(county_office, week)
    assert len(book.reports) == 21
    assert isinstance(Week.parse(week.key), Week)
