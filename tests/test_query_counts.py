"""County and city pages ask the database the same number of questions for one county or three.

A small world (one county, one township, a cluster with two weeks of reports, a meeting with an issue)
is grown into a bigger one (two more counties of the city, more townships, villages, clusters, reports,
meetings and issues in each): every county page for the county office, and every county and city page
for the city office (with and without its county filter), must count the same queries in both.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianchun import clock
from meetings import services as meeting_services
from reports.weeks import reporting_week
from tests import factories
from tests.lianchun.test_pagination import LISTS
from tests.meetings.factories import township_meeting
from tests.reports.factories import established_cluster, submitted

# Every county list (the pagination test's), and the county pages of figures.
COUNTY_PAGES = [
    *LISTS,
    "workbench",
    "clusters:coverage",
    "reports:completeness",
    "reports:completeness-grid",
    "notifications:reporting",
    "meetings:meeting-rhythm",
    "meetings:meeting-calendar",
    "rectification:overview",
    "rectification:ledger-overview",
]
CITY_PAGES = [
    f"villages:region-{figure}" for figure in ("coverage", "completeness", "rectification", "ledgers", "joint")
]


def grow(county, *, townships: int, clusters: int, weeks: int, issues: int) -> None:
    """Townships of `county`, each with villages, established clusters reporting `weeks` weeks, a meeting with issues."""
    last = reporting_week().previous()
    reported = [last]
    for _ in range(weeks - 1):
        reported.insert(0, reported[0].previous())
    for _ in range(townships):
        township = factories.TownshipFactory(county=county)
        cadre = factories.cadre_of(township)
        villages = [factories.VillageFactory(township=township) for _ in range(clusters + 1)]
        for number in range(clusters):
            cluster = established_cluster(
                township, name=f"{township.name}联村{number}", established_on=reported[0].monday - datetime.timedelta(7)
            )
            for week in reported:
                submitted(cluster, week, cadre)
        meeting = township_meeting(cadre, on=clock.today() - datetime.timedelta(days=1))
        for index in range(issues):
            meeting_services.raise_issue(
                meeting=meeting,
                by=cadre,
                description=f"问题{index}",
                raised_by="李书记",
                owner="王镇长",
                village=villages[0],
            )


def counts(client, urls: list[str]) -> dict[str, int]:
    result = {}
    for url in urls:
        client.get(url)  # the first visit may set the county's lists up; count the second
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        result[url] = len(queries)
    return result


@pytest.mark.django_db
def test_county_and_city_pages_count_the_same_queries_for_one_county_or_three(county, city, county_office, city_office):
    grow(county, townships=1, clusters=1, weeks=2, issues=1)
    county_client, city_client = Client(), Client()
    county_client.force_login(county_office)
    city_client.force_login(city_office)
    county_urls = [reverse(name) for name in COUNTY_PAGES]
    city_urls = county_urls + [f"{url}?county={county.pk}" for url in county_urls] + [reverse(n) for n in CITY_PAGES]

    small = {"county": counts(county_client, county_urls), "city": counts(city_client, city_urls)}
    grow(county, townships=2, clusters=3, weeks=4, issues=3)
    for index in range(2):
        neighbour = factories.CountyFactory(code=f"3799{index + 2:02d}000000", city=city)
        grow(neighbour, townships=2, clusters=2, weeks=3, issues=2)
    big = {"county": counts(county_client, county_urls), "city": counts(city_client, city_urls)}

    differing = {
        f"{who} {url}": (small[who][url], big[who][url])
        for who in small
        for url in small[who]
        if small[who][url] != big[who][url]
    }
    assert not differing, f"queries (small world, bigger world): {differing}"
