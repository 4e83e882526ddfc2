"""What every cluster page shares: fetching the scoped record, and a post that answers with a message."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from lianchun.editing import attempt
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


def with_tallies(cluster: Cluster) -> list[selectors.VillageTally]:
    loaded = Cluster.objects.filter(pk=cluster.pk).prefetch_related(selectors.surveys_prefetch()).get()
    return selectors.tallies_of(loaded)


def township_villages(township_id: int):
    return Village.objects.filter(township_id=township_id, voided_at__isnull=True).order_by("code")


def post_then_back(request, form, action, *, success, back):
    """A small post from a list page (void, add a member): run it through `attempt`, say how it went, go back."""
    outcome = attempt(form, action)
    if outcome.ok:
        messages.success(request, success(outcome.value) if callable(success) else success)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(back)
