"""The county's completeness pages: counts, rates, missing townships, and a fixed number of queries."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from reports.weeks import Week
from tests import factories
from tests.reports.factories import count_queries, draft, established_cluster, set_now, submitted

SHANGHAI = ZoneInfo("Asia/Shanghai")
W46, W47 = Week(2026, 46), Week(2026, 47)


def stat(page: str, name: str) -> str:
    return re.search(rf'data-stat="{name}">([^<]*)<', page).group(1)


@pytest.fixture
def reported(clock, township_a, township_b, cadre_a, cadre_b):
    """Week 47: A has one on time, one late, one draft; B one missing; a cluster established in week 48 owes nothing."""
    early = datetime.date(2026, 3, 2)
    on_time = established_cluster(township_a, name="按时联村", established_on=early)
    late = established_cluster(township_a, name="迟报联村", established_on=early)
    drafted = established_cluster(township_a, name="草稿联村", established_on=early)
    established_cluster(township_b, name="缺报联村", established_on=W47.monday + datetime.timedelta(days=2))
    established_cluster(township_b, name="新建联村", established_on=Week(2026, 48).monday)
    set_now(clock, datetime.datetime(2026, 11, 22, 18, 0, tzinfo=SHANGHAI))
    submitted(on_time, W47, cadre_a)
    draft(drafted, W47, cadre_a)
    set_now(clock, datetime.datetime(2026, 11, 23, 15, 0, tzinfo=SHANGHAI))
    submitted(late, W47, cadre_a)
    set_now(clock, datetime.datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI))


def test_week_page_counts_expected_arrived_and_on_time(reported, login, county_office):
    page = login(county_office).get(reverse("reports:completeness"), {"week": W47.key}).content.decode()
    assert stat(page, "expected") == "4"
    assert stat(page, "arrived") == "2"
    assert stat(page, "on_time") == "1"
    assert stat(page, "reporting_rate") == "50.0%"
    assert stat(page, "on_time_rate") == "25.0%"
    outstanding = page[page.index('id="outstanding"') :]
    assert "草稿联村" in outstanding and "缺报联村" in outstanding
    assert "新建联村" not in page
    assert "按时联村" not in outstanding


def test_cluster_established_mid_range_is_not_missing_before_it_existed(reported, login, county_office):
    page = login(county_office).get(reverse("reports:completeness"), {"week": W46.key}).content.decode()
    assert stat(page, "expected") == "3"
    assert "缺报联村" not in page


def test_grid_shows_each_township_and_week_with_rates(reported, login, county_office):
    page = (
        login(county_office)
        .get(reverse("reports:completeness-grid"), {"first": W46.key, "last": W47.key})
        .content.decode()
    )
    grid = page[page.index('id="grid"') :]
    assert "城关镇" in grid and "马园镇" in grid
    assert "2/3" in grid and "0/1" in grid and "0/3" in grid
    assert "<svg" in page and "polyline" in page
    assert stat(page, "expected") == "7"
    assert stat(page, "reporting_rate") == "28.6%"  # 2 of 7, rounded half up


def test_grid_with_reversed_or_garbage_range_answers(reported, login, county_office):
    client = login(county_office)
    assert client.get(reverse("reports:completeness-grid"), {"first": W47.key, "last": W46.key}).status_code == 200
    assert client.get(reverse("reports:completeness-grid"), {"first": "abc", "last": "2026-W00"}).status_code == 200
    assert client.get(reverse("reports:completeness-grid"), {"first": "2020-W01", "last": W47.key}).status_code == 200


def build_county(county, clock, townships: int, clusters_per_township: int, weeks: list[Week]):
    cadres = []
    for index in range(townships):
        township = factories.TownshipFactory(county=county)
        cadre = factories.cadre_of(township)
        cadres.append(cadre)
        for number in range(clusters_per_township):
            cluster = established_cluster(township, name=f"联村{index}-{number}", established_on=weeks[0].monday)
            for week in weeks[:: number + 1]:
                set_now(clock, week.deadline - datetime.timedelta(hours=number))
                submitted(cluster, week, cadre)
    set_now(clock, datetime.datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI))


@pytest.mark.parametrize(
    ("name", "with_week"),
    [
        ("reports:completeness", True),
        ("reports:completeness-grid", True),
        ("reports:inbox", True),
        ("reports:inbox", False),
    ],
)
def test_query_count_does_not_grow_with_townships_clusters_or_weeks(
    name, with_week, county, county_office, clock, client
):
    client.force_login(county_office)
    small_weeks = [W46, W47]
    build_county(county, clock, townships=1, clusters_per_township=1, weeks=small_weeks)
    url = reverse(name)
    small_params = {"week": W47.key, "first": W46.key, "last": W47.key} if with_week else {}
    small = count_queries(lambda: client.get(url, small_params))
    big_weeks = [Week(2026, n) for n in range(36, 48)]
    build_county(county, clock, townships=5, clusters_per_township=4, weeks=big_weeks)
    big_params = {"week": W47.key, "first": big_weeks[0].key, "last": W47.key} if with_week else {}
    big = count_queries(lambda: client.get(url, big_params))
    assert big == small


def test_grid_says_each_status_in_words_and_marks_not_colour_alone(reported, login, county_office):
    page = (
        login(county_office)
        .get(reverse("reports:completeness-grid"), {"first": W46.key, "last": W47.key})
        .content.decode()
    )
    cells = re.findall(r'<td class="grid-cell[^"]*" data-status="([a-z_]+)"[^>]*>(.*?)</td>', page, re.S)
    marks = {"on_time": ("✓", "按时"), "late": ("迟", "迟报"), "draft": ("稿", "草稿未提交"), "missing": ("缺", "缺报")}
    shown = {status for status, _ in cells if status in marks}
    assert "missing" in shown and len(shown) >= 2
    for status, html in cells:
        if status in marks:
            mark, words = marks[status]
            assert f'<span class="visually-hidden">{words}：</span>' in html  # read out by a screen reader
            assert f'<span class="grid-mark" aria-hidden="true">{mark}</span>' in html  # seen without colour
    legend = re.sub(r"<[^>]+>", "", page[page.index('id="grid-legend"') :].split("</ul>")[0])
    assert all(f"{mark} {words}" in " ".join(legend.split()) for mark, words in marks.values())
