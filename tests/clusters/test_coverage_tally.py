"""The coverage tallies a city or province reads: after every kind of change they equal a direct count."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q

from clusters import services, tallies
from clusters.models import Cluster, ClusterMembership, CoverageTally, Status
from lianchun import clock
from tests import factories
from tests.clusters.factories import established_cluster, proposed_cluster, villages_of
from villages import regions
from villages import services as village_services
from villages.models import Standing, Village

pytestmark = pytest.mark.django_db


def direct_counts() -> dict[int, dict[str, int]]:
    """Coverage per township, counted from the villages, clusters and memberships themselves."""
    counts: dict[int, dict[str, int]] = {}
    villages = Village.objects.filter(voided_at__isnull=True).values("township_id")
    for row in villages.annotate(
        villages=Count("pk"),
        lagging=Count("pk", filter=Q(standing=Standing.LAGGING)),
        weak=Count("pk", filter=Q(is_weak=True)),
    ):
        counts.setdefault(row.pop("township_id"), {}).update(row)
    for row in Cluster.objects.filter(status=Status.ESTABLISHED).values("township_id").annotate(clusters=Count("pk")):
        counts.setdefault(row.pop("township_id"), {}).update(row)
    members = ClusterMembership.objects.filter(
        is_active=True, cluster__status=Status.ESTABLISHED, village__voided_at__isnull=True
    )
    for row in members.values("village__township_id").annotate(clustered_villages=Count("village", distinct=True)):
        counts.setdefault(row.pop("village__township_id"), {}).update(row)
    return {township: {name: figures.get(name, 0) for name in tallies.FIGURES} for township, figures in counts.items()}


def kept_counts() -> dict[int, dict[str, int]]:
    return {
        row.township_id: {name: getattr(row, name) for name in tallies.FIGURES} for row in CoverageTally.objects.all()
    }


def test_coverage_follows_villages_clusters_and_memberships(township_a, township_b, county_office, org_department):
    cadre_a, cadre_b = factories.cadre_of(township_a), factories.cadre_of(township_b)
    villages = villages_of(township_a, 4)
    villages_of(township_b, 2, standing=Standing.LAGGING)
    assert kept_counts() == direct_counts()
    assert kept_counts()[township_a.pk]["villages"] == 4

    proposed = proposed_cluster(cadre_b)  # proposed clusters cover nothing yet
    assert kept_counts() == direct_counts()
    assert kept_counts()[township_b.pk]["clustered_villages"] == 0
    assert proposed.status == Status.PROPOSED

    cluster = established_cluster(cadre_a, county_office, villages[:3])
    assert kept_counts() == direct_counts()
    assert (kept_counts()[township_a.pk]["clusters"], kept_counts()[township_a.pk]["clustered_villages"]) == (1, 3)

    village_services.change_village_standing(
        village=villages[3],
        to_standing=Standing.LAGGING,
        effective_date=clock.today(),
        reason="评定",
        by=org_department,
    )
    village_services.void_village(village=villages[0], by=county_office, reason="撤并")
    assert kept_counts() == direct_counts()
    assert kept_counts()[township_a.pk] == {
        "villages": 3, "lagging": 1, "weak": 0, "clusters": 1, "clustered_villages": 2,
    }  # fmt: skip

    services.dissolve_cluster(
        cluster=Cluster.objects.get(pk=cluster.pk), by=county_office, opinion="撤销", dissolved_on=clock.today()
    )
    assert kept_counts() == direct_counts()
    assert kept_counts()[township_a.pk]["clustered_villages"] == 0


def test_a_village_moved_to_another_township_leaves_its_old_count(township_a, township_b):
    village = factories.VillageFactory(township=township_a)
    village.township = township_b
    village.code = factories.next_free_village_code(township_b)
    village.save()
    assert kept_counts() == direct_counts()
    assert township_a.pk not in kept_counts()  # nothing left to count there
    assert kept_counts()[township_b.pk]["villages"] == 1


def test_recount_all_rebuilds_what_a_bulk_load_left_out(township_a, county_office):
    cadre = factories.cadre_of(township_a)
    established_cluster(cadre, county_office)
    kept = kept_counts()
    CoverageTally.objects.all().delete()
    tallies.recount_all()
    assert kept_counts() == kept == direct_counts()


def test_region_coverage_reads_the_tallies_and_matches_the_county_page(township_a, county_office, province_office):
    cadre = factories.cadre_of(township_a)
    established_cluster(cadre, county_office)
    villages_of(township_a, 2)
    comparison = regions.compare_counties(province_office, "coverage")
    figures = comparison.totals
    assert (figures["villages"], figures["clusters"], figures["clustered_villages"]) == (5, 1, 3)
    assert figures["share"] == regions.rate(3, 5)
