"""Pages for city and province roles: the counties beneath them side by side, one figure per page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from lianchun.scoping import require

from . import regions

PAGES = {
    "coverage": _("Coverage by county"),
    "completeness": _("Reporting by county"),
    "rectification": _("Rectification by county"),
    "ledgers": _("Ledgers by county"),
    "joint": _("Joint organisations by county"),
    "contributions": _("Partners' contributions by county"),
}


@login_required
def compare_counties(request, figure: str):
    require(request.user.is_region_role)
    comparison = regions.compare_counties(request.user, figure, page_number=request.GET.get("page"))
    return render(
        request,
        f"villages/region_{figure}.html",
        {
            "comparison": comparison,
            "page_obj": comparison.page,
            "title": PAGES[figure],
            "pages": [(name, label) for name, label in PAGES.items()],
            "figure": figure,
        },
    )
