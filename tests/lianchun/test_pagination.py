"""Every county and city list pages its rows through the one helper: a set number per page, and a page 2."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clusters.views import clusters as cluster_views
from lianchun import listing
from meetings import services as meeting_services
from meetings import views as meeting_views
from tests import factories, walk
from villages import regions

# Every list a county or city office opens, read as both.
LISTS = [
    "villages:village-list",
    "villages:township-list",
    "clusters:cluster-list",
    "clusters:review-queue",
    "meetings:meeting-list",
    "meetings:issue-list",
    "meetings:decision-list",
    "rectification:plan-list",
    "reports:inbox",
    "assessments:scheme-list",
    "assessments:round-list",
    "assessments:finding-list",
    "assessments:circular-list",
    "assessments:appraisal-list",
    "assessments:rating-list",
    "exports:index",
]
REGION_LISTS = ["villages:region-coverage", "villages:region-ledgers"]


@pytest.fixture
def one_per_page(monkeypatch):
    """The set number per page made 1, so two records of the shared world fill two pages."""
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    monkeypatch.setattr(meeting_views, "PAGE_SIZE", 1)
    monkeypatch.setattr(cluster_views, "REVIEW_PAGE_SIZE", 1)
    monkeypatch.setattr(regions, "COUNTIES_PER_PAGE", 1)


def _page(client, name, number=None):
    response = client.get(reverse(name) + (f"?page={number}" if number else ""))
    assert response.status_code == 200, name
    return response.context["page_obj"]


def _rows_of(page):
    return [getattr(row, "pk", row) for row in page.object_list]


@pytest.mark.django_db
def test_every_county_and_city_list_holds_the_set_number_of_rows_and_has_a_page_two(world, one_per_page, city):
    cadre = world.personas["cadre_a"]
    # A second open issue and a second county of the city, so those lists run to two pages as well.
    meeting_services.raise_issue(
        meeting=world.meeting_a, by=cadre, description="水渠堵塞", raised_by="李书记", owner="王镇长"
    )
    factories.CountyFactory(code="379902000000", name="清溪县", city=city)
    paged = set()
    for persona in ("county_office", "city_office"):
        client = walk.client_for(world.personas[persona])
        for name in LISTS + (REGION_LISTS if persona == "city_office" else []):
            first = _page(client, name)
            assert first.paginator.per_page == 1, name
            assert len(first.object_list) == min(1, first.paginator.count), name
            if first.paginator.count < 2:
                continue
            second = _page(client, name, 2)
            assert second.number == 2 and len(second.object_list) == 1, name
            assert set(_rows_of(first)).isdisjoint(_rows_of(second)), name
            paged.add(name)
    # The lists the shared world fills with two records or more, proven to reach page 2.
    assert {
        "villages:village-list",
        "villages:township-list",
        "clusters:cluster-list",
        "meetings:meeting-list",
        "meetings:issue-list",
        "rectification:plan-list",
        "villages:region-coverage",
        "villages:region-ledgers",
        "exports:index",
    } <= paged
