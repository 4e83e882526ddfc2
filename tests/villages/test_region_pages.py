"""A city or province office on the county pages: every county beneath it, a county filter, no other city's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def other_village(other_city):
    """A village of a county of another city of the same province."""
    county = factories.CountyFactory(code="379801000000", name="临川县", city=other_city)
    township = factories.TownshipFactory(county=county, code="379801101000", name="临川镇")
    return factories.VillageFactory(township=township, code="379801101201", name="临川村")


@pytest.mark.django_db
def test_a_second_citys_county_is_404_for_the_first_citys_office(login, city_office, village_a, other_village):
    client = login(city_office)
    assert client.get(reverse("villages:village-detail", args=[village_a.pk])).status_code == 200
    assert client.get(reverse("villages:village-detail", args=[other_village.pk])).status_code == 404
    names = [village.name for village in client.get(reverse("villages:village-list")).context["page_obj"]]
    assert village_a.name in names and other_village.name not in names


@pytest.mark.django_db
def test_the_county_filter_narrows_a_list_and_never_reaches_beyond_the_city(
    login, city_office, province_office, village_a, village_b, other_village, county
):
    client = login(city_office)
    url = reverse("villages:village-list")
    chosen = client.get(url, {"county": county.pk})
    assert {v.name for v in chosen.context["page_obj"]} == {village_a.name, village_b.name}
    assert f'<option value="{county.pk}" selected>' in chosen.content.decode()
    # Another city's county chosen by hand shows nothing, as if it did not exist.
    assert not list(client.get(url, {"county": other_village.township.county_id}).context["page_obj"])
    # The province office reaches both cities and narrows to either.
    province = login(province_office)
    other = province.get(url, {"county": other_village.township.county_id})
    assert [v.name for v in other.context["page_obj"]] == [other_village.name]


@pytest.mark.django_db
def test_a_page_of_every_township_shows_the_counties_first_then_the_chosen_county(
    login, city_office, county, village_a
):
    client = login(city_office)
    summary = client.get(reverse("clusters:coverage"))
    assert "villages/region_coverage.html" in [t.name for t in summary.templates]
    assert f'href="{reverse("clusters:coverage")}?county={county.pk}"' in summary.content.decode()
    detail = client.get(reverse("clusters:coverage"), {"county": county.pk})
    assert "clusters/coverage.html" in [t.name for t in detail.templates]
    assert village_a.township.name in detail.content.decode()


@pytest.mark.django_db
def test_the_city_workbench_compares_its_counties_with_links(login, city_office, county, village_a):
    page = login(city_office).get(reverse("workbench")).content.decode()
    assert 'id="region-glance"' in page
    assert f'href="{reverse("clusters:coverage")}?county={county.pk}">{county.name}</a>' in page


@pytest.mark.django_db
def test_the_city_office_reads_the_review_queue_without_the_countys_buttons(login, city_office, cadre_a, village_a):
    from tests.clusters.factories import submitted_cluster, villages_of

    cluster = submitted_cluster(cadre_a, [village_a, *villages_of(cadre_a.township, 1)])
    city_page = login(city_office).get(reverse("clusters:review-queue")).content.decode()
    assert cluster.name in city_page
    assert reverse("clusters:cluster-approve", args=[cluster.pk]) not in city_page


@pytest.mark.django_db
def test_the_city_office_finds_the_county_pages_and_the_downloads_in_its_menu(city_office, county_office):
    from lianchun import navigation

    def urls(user):
        found = set()
        for entry in navigation.items_for(user):
            found |= {child["url_name"] for child in entry.get("children", [entry])}
        return found

    city = urls(city_office)
    assert {"villages:region-coverage", "meetings:issue-list", "reports:inbox", "clusters:review-queue"} <= city
    assert "exports:index" in city and "exports:index" in urls(county_office)
