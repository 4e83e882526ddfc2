"""What every rectification page shares: fetching a scoped record and saying why a plan is locked."""

from __future__ import annotations

import functools

from django.utils.translation import gettext as _

from lianchun.scoping import get_visible_or_404, require, require_place
from villages.region_views import counties_first

from .. import services
from ..models import REVIEW_STATUSES, UNDER_WAY_STATUSES, LedgerEntry, PlanStatus, RectificationItem, RectificationPlan

PLANS = RectificationPlan.objects.select_related("village__township__county", "county_leader", "created_by")


def county_page(figure: str):
    """A county-wide page (the county view, the ledgers): a city or province role picks a county first
    (`counties_first(figure)`); the decorated view is given the user. A county has its standard lists from
    its creation (rectification.receivers)."""

    def decorate(view):
        @counties_first(figure)
        @functools.wraps(view)
        def page(request):
            require_place(request.user)
            return view(request, request.user)

        return page

    return decorate


def plan_of(request, pk: int) -> RectificationPlan:
    return get_visible_or_404(PLANS, request.user, pk=pk)


def item_of(request, pk: int) -> RectificationItem:
    return get_visible_or_404(
        RectificationItem.objects.select_related("plan__village__township__county", "plan__county_leader"),
        request.user,
        pk=pk,
    )


def kept_entry(request, pk: int) -> LedgerEntry:
    """An entry of a ledger this user keeps (another township's is a 404, a wrong role a 403)."""
    entry = get_visible_or_404(
        LedgerEntry.objects.select_related("village__township__county", "kind", "handling"), request.user, pk=pk
    )
    require(services.can_keep_ledger(request.user, entry.village))
    return entry


def readonly_reason(plan: RectificationPlan) -> str:
    """Say why the plan cannot be edited, and who can move it on (DOMAIN.md: a lock says why)."""
    if plan.is_voided:
        return _("This plan was voided.")
    if plan.status in REVIEW_STATUSES:
        return _(
            "Proposed for review: the organisation department advises and checks it; it can be revised only if returned."
        )
    if plan.status in UNDER_WAY_STATUSES:
        return _(
            "Approved: the text is fixed. The township records progress on each measure; the organisation department moves the stages."
        )
    if plan.status == PlanStatus.CLOSED:
        return _("Closed out. If the village slides back, the organisation department can reopen the plan.")
    return ""
