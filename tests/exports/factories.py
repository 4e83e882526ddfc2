"""Export test data: clusters built through the clusters services, with rare place-name characters."""

from __future__ import annotations

import itertools

from clusters import services
from tests.clusters.factories import consulting_cluster, established_cluster, give_consent
from villages.models import Village

RARE_VILLAGE_NAMES = ["杨圩村", "白畈村", "黄垭村", "青坳村", "氹仔村", "双埇村"]

# Codes from 400 up, skipping any code the township already has: these tests create many villages, and going
# through the shared VillageFactory would push its sequence into the codes other apps' fixtures use.
_names = itertools.count()


def make_village(township, name=None, **kwargs) -> Village:
    used = set(Village.objects.filter(township=township).values_list("code", flat=True))
    code = next(c for c in (f"{township.code[:9]}{n:03d}" for n in range(400, 1000)) if c not in used)
    values = {"households": 300, "population": 1000, "party_members": 30, **kwargs}
    village = Village(township=township, code=code, name=name or f"导出测试{next(_names)}村", **values)
    village.save()
    return village


def rare_villages(township, names=RARE_VILLAGE_NAMES, **kwargs):
    return [make_village(township, name=name, **kwargs) for name in names]


def county_with_clusters(cadre, office, *, clusters=1, villages_per_cluster=3, names=None, name_prefix="联村"):
    """`clusters` established clusters in the cadre's township, each with officers."""
    made = []
    for index in range(clusters):
        if names is not None:
            villages = rare_villages(
                cadre.township, names[index * villages_per_cluster : (index + 1) * villages_per_cluster]
            )
        else:
            villages = [make_village(cadre.township) for _ in range(villages_per_cluster)]
        cluster = established_cluster(cadre, office, villages, name=f"{name_prefix}{index + 1}")
        services.add_officer(
            cluster=cluster,
            body="party_branch",
            name="赵书记",
            post="书记",
            home_village=villages[0],
            phone="13812345678",
            by=cadre,
        )
        made.append(cluster)
    return made


__all__ = ["consulting_cluster", "give_consent", "county_with_clusters", "make_village", "rare_villages"]


def finished_job(user, identifier: str = "roster", parameters: dict | None = None):
    """A background download of `user`, queued and made by the worker's own task function."""
    from exports import jobs, registry

    job = jobs.request_export(exporter=registry.get(identifier), parameters=parameters or {}, by=user)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    return job
