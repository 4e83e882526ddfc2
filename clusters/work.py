"""Workbench items: what waits for the township and for the county office in the cluster work."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from lianchun.compiled import ScopedRead
from lianchun.workbench import INFO, NORMAL, URGENT, WorkItem

from .models import Cluster, Status


def _list_url(status: str) -> str:
    return f"{reverse('clusters:cluster-list')}?status={status}"


# The township's clusters still being shaped, by status: on every cadre's 工作台, compiled once (lianchun.compiled).
_TOWNSHIP_COUNTS = ScopedRead(
    lambda user: list(
        Cluster.objects.visible_to(user)
        .filter(status__in=[Status.RETURNED, Status.CONSULTING, Status.PROPOSED])
        .values_list("status")
        .annotate(n=Count("pk"))
    ),
    "rows",
)


def cluster_work(user: Any) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    group = _("Cluster list")
    if user.is_township_cadre:
        counts = dict(_TOWNSHIP_COUNTS(user))
        items = []
        if counts.get(Status.RETURNED):
            items.append(
                WorkItem(
                    _("Cluster proposals returned for revision"),
                    _list_url(Status.RETURNED),
                    counts[Status.RETURNED],
                    _("Read the county's opinion, revise and submit again."),
                    URGENT,
                    group,
                    "bi-arrow-return-left",
                )
            )
        if counts.get(Status.CONSULTING):
            items.append(
                WorkItem(
                    _("Consultations in progress"),
                    _list_url(Status.CONSULTING),
                    counts[Status.CONSULTING],
                    _("Record the consent forms as they come back; submit when every village passes."),
                    NORMAL,
                    group,
                    "bi-ui-checks",
                )
            )
        if counts.get(Status.PROPOSED):
            items.append(
                WorkItem(
                    _("Proposed clusters not yet in consultation"),
                    _list_url(Status.PROPOSED),
                    counts[Status.PROPOSED],
                    "",
                    INFO,
                    group,
                    "bi-diagram-3",
                )
            )
        return items
    if user.is_county_office:
        waiting = Cluster.objects.visible_to(user).filter(status=Status.SUBMITTED).count()
        if waiting:
            return [
                WorkItem(
                    _("Cluster proposals to review"),
                    reverse("clusters:review-queue"),
                    waiting,
                    _("Approve, or return with an opinion."),
                    URGENT,
                    group,
                    "bi-clipboard-check",
                )
            ]
    return []
