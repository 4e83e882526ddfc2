"""The coverage tallies: each township's villages and how many are in clusters, recounted as they change.

Villages, clusters and memberships are saved one `save()` at a time by the services (the audit trail demands
it), so `post_save` sees every change, whichever page or import made it, and recounts the township inside the
same transaction. The township row is locked first, so two saves in one township cannot each count without
the other's change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from villages.models import Standing, Village
from villages.tallies import townships_of

from .models import Cluster, ClusterMembership, CoverageTally, Status

FIGURES = ("villages", "lagging", "weak", "clusters", "clustered_villages")


def counted_villages():
    return Village.objects.filter(voided_at__isnull=True)


def counted_memberships():
    """A village is in a cluster while its membership is active, the cluster established and the village kept."""
    return ClusterMembership.objects.filter(
        is_active=True, cluster__status=Status.ESTABLISHED, village__voided_at__isnull=True
    )


def _count(township_ids: Iterable[int] | None) -> dict[int, dict[str, int]]:
    villages, clusters = counted_villages(), Cluster.objects.filter(status=Status.ESTABLISHED)
    members = counted_memberships()
    if township_ids is not None:
        villages = villages.filter(township_id__in=township_ids)
        clusters = clusters.filter(township_id__in=township_ids)
        members = members.filter(cluster__township_id__in=township_ids)
    parts = [
        (
            villages,
            "township_id",
            {
                "villages": Count("pk"),
                "lagging": Count("pk", filter=Q(standing=Standing.LAGGING)),
                "weak": Count("pk", filter=Q(is_weak=True)),
            },
        ),
        (clusters, "township_id", {"clusters": Count("pk")}),
        # A cluster joins villages of its own township, so a township's distinct villages add up to the county's.
        (members, "cluster__township_id", {"clustered_villages": Count("village_id", distinct=True)}),
    ]
    counts: dict[int, dict[str, int]] = {}
    for queryset, path, aggregates in parts:
        for row in queryset.order_by().values(path).annotate(**aggregates):
            counts.setdefault(row.pop(path), {}).update(row)
    return counts


def recount(township_ids: Iterable[int]) -> None:
    """Count again the coverage rows of `township_ids` (a few dozen villages each)."""
    township_ids = sorted(set(township_ids) - {None})
    if not township_ids:
        return
    with transaction.atomic():
        CoverageTally.lock_townships(township_ids)
        _replace(CoverageTally.objects.filter(township_id__in=township_ids), _count(township_ids))


def recount_all() -> None:
    """Every township's row in one pass (after a bulk load, or to prove the kept ones right)."""
    with transaction.atomic():
        _replace(CoverageTally.objects.all(), _count(None))


def _replace(rows, counts: dict[int, dict[str, int]]) -> None:
    rows.delete()
    CoverageTally.objects.bulk_create(
        (CoverageTally(township_id=township_id, **figures) for township_id, figures in counts.items()),
        batch_size=2000,
    )


@receiver(post_save, sender=Village, dispatch_uid="coverage_tally_village")
def _village_saved(sender: Any, instance: Village, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # fixtures: recount_all afterwards
        recount(townships_of(instance))


@receiver(post_save, sender=Cluster, dispatch_uid="coverage_tally_cluster")
def _cluster_saved(sender: Any, instance: Cluster, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        recount([instance.township_id])


@receiver(post_save, sender=ClusterMembership, dispatch_uid="coverage_tally_membership")
@receiver(post_delete, sender=ClusterMembership, dispatch_uid="coverage_tally_membership_gone")
def _membership_changed(sender: Any, instance: ClusterMembership, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        recount([Cluster.objects.values_list("township_id", flat=True).get(pk=instance.cluster_id)])
