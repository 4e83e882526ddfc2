"""Export test data: clusters built through the clusters services, with rare place-name characters."""

from __future__ import annotations

from clusters import services
from tests import factories
from tests.clusters.factories import consulting_cluster, established_cluster, give_consent

RARE_VILLAGE_NAMES = ["杨圩村", "白畈村", "黄垭村", "青坳村", "氹仔村", "双埇村"]


def rare_villages(township, names=RARE_VILLAGE_NAMES, **kwargs):
    return [factories.VillageFactory(township=township, name=name, **kwargs) for name in names]


def county_with_clusters(cadre, office, *, clusters=1, villages_per_cluster=3, names=None, name_prefix="联村"):
    """`clusters` established clusters in the cadre's township, each with officers."""
    made = []
    for index in range(clusters):
        if names is not None:
            villages = rare_villages(cadre.township, names[index * villages_per_cluster : (index + 1) * villages_per_cluster])
        else:
            villages = [factories.VillageFactory(township=cadre.township) for _ in range(villages_per_cluster)]
        cluster = established_cluster(cadre, office, villages, name=f"{name_prefix}{index + 1}")
        services.add_officer(
            cluster=cluster, body="party_branch", name="赵书记", post="书记", home_village=villages[0], phone="13812345678", by=cadre
        )
        made.append(cluster)
    return made


__all__ = ["consulting_cluster", "give_consent", "county_with_clusters", "rare_villages"]
