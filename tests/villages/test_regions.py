"""City and province roles: they see every county beneath them, nothing of another city, and compare counties."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from clusters.models import Form, Kind
from tests import factories
from tests.clusters.factories import established_cluster, villages_of
from villages import regions
from villages.models import County, PartnerUnit


def scoped_models():
    return [model for model in apps.get_models() if getattr(model, "scope_county_path", None)]


def visible_pks(model, user) -> set[int]:
    return set(model._default_manager.all().visible_to(user).values_list("pk", flat=True))


def test_a_city_office_sees_exactly_what_its_county_sees_and_another_city_sees_none_of_it(world):
    """Over every scoped model: the city above the county reads the county's records; another city reads none."""
    city_office = world.personas["city_office"]
    other_city_office = world.personas["other_city_office"]
    county_office = world.personas["county_office"]
    checked = 0
    for model in scoped_models():
        county_sees = visible_pks(model, county_office)
        assert visible_pks(model, city_office) == county_sees, model.__name__
        assert not visible_pks(model, other_city_office), model.__name__
        checked += bool(county_sees)
    assert checked >= 15, "the walk's world should hold records of most scoped models"


def test_a_province_office_sees_every_city_of_its_province_and_not_another_province(world, city, other_city):
    neighbour = factories.CountyFactory(code="379801000000", name="临川县", city=other_city)
    village = factories.VillageFactory(township=factories.TownshipFactory(county=neighbour))
    province_office = factories.UserFactory(role=Role.PROVINCE_OFFICE, province=city.province)
    far = factories.CityFactory(province=factories.ProvinceFactory(code="360000000000"), code="360100000000")
    far_office = factories.UserFactory(role=Role.PROVINCE_LEADER, province=far.province)

    seen = visible_pks(type(village), province_office)
    assert {world.village_a.pk, world.village_b.pk, village.pk} <= seen
    assert not visible_pks(type(village), far_office)
    assert village.pk not in visible_pks(type(village), world.personas["city_office"])


def test_a_county_without_a_city_is_seen_by_its_county_roles_only(db):
    county = factories.CountyFactory(code="379701000000")
    village = factories.VillageFactory(township=factories.TownshipFactory(county=county))
    office = factories.county_user(county, Role.COUNTY_OFFICE)
    assert visible_pks(type(village), office) == {village.pk}
    some_city_office = factories.UserFactory(role=Role.CITY_OFFICE, city=factories.CityFactory())
    assert not visible_pks(type(village), some_city_office)


@pytest.mark.parametrize(("role", "field"), [(Role.CITY_OFFICE, "city"), (Role.PROVINCE_LEADER, "province")])
def test_a_region_role_must_be_bound_to_its_place(db, role, field):
    user = factories.UserFactory.build(role=role, username="nobody")
    with pytest.raises(ValidationError) as error:
        user.clean()
    assert field in error.value.message_dict


def test_a_city_role_loses_any_county_or_township_it_was_given(city, township_a):
    user = factories.UserFactory.build(
        role=Role.CITY_LEADER, city=city, county=township_a.county, township=township_a, username="mayor"
    )
    user.clean()
    assert (user.county, user.township, user.city) == (None, None, city)
    assert user.is_region_role and not user.is_county_role


@pytest.fixture
def two_counties(city, county, township_a, cadre_a, county_office):
    """清河县 with one established cluster of three villages and one joint organisation, beside 临水县 with none."""
    established_cluster(cadre_a, county_office, villages_of(township_a, 3), name="城关联村")
    unit = factories.PartnerUnitFactory(county=county, kind=PartnerUnit.Kind.ENTERPRISE)
    established_cluster(
        cadre_a,
        county_office,
        villages_of(township_a, 2),
        name="村企联建",
        form=Form.URBAN_RURAL,
        kind=Kind.VILLAGE_ENTERPRISE,
        partner_unit=unit,
    )
    neighbour = factories.CountyFactory(code="379902000000", name="临水县", city=city)
    villages_of(factories.TownshipFactory(county=neighbour), 4)
    return county, neighbour


def test_coverage_by_county_counts_each_countys_villages_and_clusters(two_counties, city_office):
    county, neighbour = two_counties
    comparison = regions.compare_counties(city_office, "coverage")
    rows = {row.county.name: row.figures for row in comparison.rows}
    assert rows["清河县"]["villages"] == 5 and rows["清河县"]["clusters"] == 2
    assert rows["清河县"]["clustered_villages"] == 5 and rows["清河县"]["share"] == "100.0%"
    assert rows["临水县"]["villages"] == 4 and rows["临水县"]["clusters"] == 0 and rows["临水县"]["share"] == "0.0%"
    assert comparison.totals["villages"] == 9 and comparison.totals["share"] == "55.6%"


def test_joint_organisations_by_kind_count_only_urban_rural_kinds(two_counties, city_office):
    comparison = regions.compare_counties(city_office, "joint")
    rows = {row.county.name: row.figures for row in comparison.rows}
    assert rows["清河县"]["joint"] == 1 and rows["清河县"]["kind_village_enterprise"] == 1
    assert rows["清河县"]["joint_villages"] == 2 and rows["临水县"]["joint"] == 0
    assert comparison.totals["joint_share"] == "22.2%"


def test_completeness_by_county_counts_expected_arrived_and_drafts_per_county(
    two_counties, township_a, cadre_a, city_office, clock
):
    import datetime

    from django.utils import timezone

    from tests.reports import factories as reports

    county, neighbour = two_counties
    reports.set_now(clock, datetime.datetime(2026, 3, 4, 12, 0, tzinfo=timezone.get_current_timezone()))
    ours = reports.established_cluster(township_a, name="报告联村")
    reports.established_cluster(factories.TownshipFactory(county=neighbour), name="临水联村")
    weeks = regions.compare_counties(city_office, "completeness").weeks
    reports.submitted(ours, weeks[0], cadre_a)
    reports.draft(ours, weeks[1], cadre_a)

    comparison = regions.compare_counties(city_office, "completeness")
    rows = {row.county.name: row.figures for row in comparison.rows}
    # The clusters of two_counties were established today, after these weeks: they owe nothing yet.
    assert (rows["清河县"]["expected"], rows["清河县"]["arrived"], rows["清河县"]["draft"]) == (4, 1, 1)
    assert (rows["临水县"]["expected"], rows["临水县"]["arrived"]) == (4, 0)
    assert rows["清河县"]["reporting_rate"] == "25.0%" and rows["临水县"]["reporting_rate"] == "0.0%"
    assert (comparison.totals["expected"], comparison.totals["arrived"]) == (8, 1)


@pytest.mark.parametrize("figure", regions.FIGURES)
def test_each_comparison_page_shows_the_citys_counties_and_not_another_citys(
    figure, two_counties, city_office, other_city_office, client
):
    client.force_login(city_office)
    page = client.get(reverse(f"villages:region-{figure}")).content.decode()
    assert "清河县" in page and "临水县" in page
    client.force_login(other_city_office)
    page = client.get(reverse(f"villages:region-{figure}")).content.decode()
    assert "清河县" not in page and "临水县" not in page


@pytest.mark.parametrize("figure", regions.FIGURES)
def test_comparison_pages_are_paginated_with_the_same_queries_for_two_counties_or_thirty(
    figure, city, city_office, client
):
    def counties(n):
        for index in range(County.objects.count(), n):
            county = factories.CountyFactory(code=f"{379901 + index:06d}000000", city=city)
            villages_of(factories.TownshipFactory(county=county), 1)

    client.force_login(city_office)
    url = reverse(f"villages:region-{figure}")
    counties(2)
    client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    counties(30)
    with CaptureQueriesContext(connection) as large:
        first = client.get(url)
    assert len(large) == len(small)
    assert len(first.context["comparison"].rows) == regions.COUNTIES_PER_PAGE
    second = client.get(url, {"page": 2})
    assert [row.county.code for row in second.context["comparison"].rows] == [
        f"{379901 + index:06d}000000" for index in range(25, 30)
    ]


def test_completeness_by_county_agrees_with_the_county_pages_rule(
    township_a, township_b, cadre_a, cadre_b, county_office, city_office, clock
):
    """Late, on-time, draft and missing reports, a cluster dissolved mid-way: the same figures both ways."""
    import datetime

    from django.utils import timezone

    from reports.selectors import completeness_for
    from tests.reports import factories as reports

    tz = timezone.get_current_timezone()
    reports.set_now(clock, datetime.datetime(2026, 3, 3, 9, 0, tzinfo=tz))
    weeks = regions.compare_counties(city_office, "completeness").weeks
    early = reports.established_cluster(township_a, name="早联村", established_on=weeks[0].monday)
    late_comer = reports.established_cluster(township_b, name="晚联村", established_on=weeks[2].monday)
    reports.established_cluster(township_b, name="撤联村", established_on=weeks[0].monday, dissolved_on=weeks[1].sunday)
    reports.set_now(clock, weeks[0].deadline - datetime.timedelta(hours=1))
    reports.submitted(early, weeks[0], cadre_a)
    reports.set_now(clock, weeks[2].deadline + datetime.timedelta(hours=3))
    reports.submitted(early, weeks[1], cadre_a)
    reports.draft(late_comer, weeks[2], cadre_b)
    reports.set_now(clock, weeks[3].deadline + datetime.timedelta(hours=1))

    comparison = regions.compare_counties(city_office, "completeness")
    assert comparison.weeks == weeks
    totals = comparison.totals
    grid = completeness_for(county_office, weeks[0], weeks[-1]).grid.total
    assert (totals["expected"], totals["arrived"], totals["on_time"], totals["late"]) == (
        grid.expected,
        grid.arrived,
        grid.on_time,
        grid.late,
    )
    assert (totals["draft"], totals["missing"], totals["not_due"]) == (grid.draft, grid.missing, grid.not_due)
    assert (grid.expected, grid.on_time, grid.late, grid.draft, grid.missing, grid.not_due) == (8, 1, 1, 1, 5, 0)


def test_the_counties_are_compared_over_weeks_whose_deadline_has_passed(two_counties, city_office, clock):
    """A week still open would count its reports as owed and put every county behind: the comparison ends with
    the last week whose Monday-noon deadline has passed, as the county's figures of a closed week do."""
    import datetime

    from django.utils import timezone

    from reports.weeks import Week
    from tests.reports import factories as reports

    tz = timezone.get_current_timezone()
    reports.set_now(clock, datetime.datetime(2026, 12, 2, 19, 45, tzinfo=tz))  # a Wednesday of 2026-W49
    weeks = regions.compare_counties(city_office, "completeness").weeks
    assert [week.key for week in weeks] == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert regions.compare_counties(city_office, "completeness").totals["not_due"] == 0
    # On Monday morning the week just ended is still being filed until noon: it is not compared yet.
    just_ended = Week.of(datetime.date(2026, 11, 29))
    reports.set_now(clock, just_ended.deadline - datetime.timedelta(hours=1))
    assert regions.compare_counties(city_office, "completeness").weeks[-1].key == "2026-W47"


def test_contributions_by_county_and_by_kind_of_joint_organisation_equal_the_entries(
    two_counties, city, city_office, other_city_office, cadre_a, client
):
    from decimal import Decimal

    from django.db.models import Sum

    from assessments import services
    from assessments.models import Contribution, ContributionKind
    from clusters.models import Cluster
    from lianchun import clock

    county, neighbour = two_counties
    joint = Cluster.objects.get(name="村企联建")
    for kind, amount in [
        (ContributionKind.FUNDS, "3000000"),
        (ContributionKind.FUNDS, "1500000.50"),
        (ContributionKind.PROJECTS, "7"),
        (ContributionKind.JOBS, "90"),
        (ContributionKind.INFRASTRUCTURE, "980000"),
    ]:
        services.record_contribution(
            cluster=joint, kind=kind, amount=Decimal(amount), on_date=clock.today(), description="—", by=cadre_a
        )
    voided = Contribution.objects.filter(kind=ContributionKind.JOBS).get()
    voided.voided_at = clock.now()
    voided.save()

    comparison = regions.compare_counties(city_office, "contributions")
    rows = {row.county.name: row.figures for row in comparison.rows}
    live = Contribution.objects.filter(voided_at__isnull=True)
    for kind in ContributionKind.values:
        direct = live.filter(kind=kind, cluster__township__county=county).aggregate(s=Sum("amount"))["s"] or 0
        assert rows["清河县"][kind] == direct == comparison.totals[kind]
        assert rows["临水县"][kind] == 0
    assert rows["清河县"]["funds"] == Decimal("4500000.50") and rows["清河县"]["jobs"] == 0  # the voided entry is out
    by_kind = dict(comparison.by_kind)
    assert list(by_kind) == ["村居联建", "村企联建", "部门村庄联建"]
    assert by_kind["村企联建"]["funds"] == Decimal("4500000.50") and by_kind["村居联建"]["funds"] == 0

    client.force_login(city_office)
    page = client.get(reverse("villages:region-contributions")).content.decode()
    assert "4500000.50" in page and "村企联建" in page
    assert regions.compare_counties(other_city_office, "contributions").totals["funds"] == 0
