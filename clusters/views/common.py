"""What every cluster page shares: fetching the scoped record and the township's villages."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from lianchun.scoping import get_visible_or_404, require
from villages.models import Village

from .. import selectors, services
from ..models import Cluster


def get_cluster(request, pk: int) -> Cluster:
    return get_visible_or_404(
        Cluster.objects.select_related("township__county", "lead_village", "partner_unit", "created_by"),
        request.user,
        pk=pk,
    )


def managed_cluster(request, pk: int) -> Cluster:
    """A cluster this user manages (another township's is a 404, a wrong role a 403)."""
    cluster = get_cluster(request, pk)
    require(services.can_manage(request.user, cluster))
    return cluster


def managed(queryset, cluster_of: Callable[[Any], Cluster] = attrgetter("cluster")) -> Callable[[Any, int], Any]:
    """The getter of a record of `queryset` on a cluster this user manages (`cluster_of(record)`):
    another township's record is a 404, a wrong role a 403."""

    def fetch(request, pk: int):
        record = get_visible_or_404(queryset, request.user, pk=pk)
        require(services.can_manage(request.user, cluster_of(record)))
        return record

    return fetch


def with_tallies(cluster: Cluster) -> list[selectors.VillageTally]:
    loaded = Cluster.objects.filter(pk=cluster.pk).prefetch_related(selectors.surveys_prefetch()).get()
    return selectors.tallies_of(loaded)


def township_villages(township_id: int):
    return Village.objects.filter(township_id=township_id, voided_at__isnull=True).order_by("code")
