"""Pages for city and province roles: the counties beneath them side by side, one figure per page.

A county page opened by a city or province role without a county chosen shows these summaries first
(`summary_first`): one row per county, each linking to the county page filtered to that county, so
nothing renders the townships of every county at once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianchun.routing import route
from lianchun.scoping import counties_in_reach, require, require_place

from . import regions

PAGES = {
    "coverage": _("Coverage by county"),
    "completeness": _("Reporting by county"),
    "rectification": _("Rectification by county"),
    "ledgers": _("Ledgers by county"),
    "joint": _("Joint organisations by county"),
    "contributions": _("Partners' contributions by county"),
}
# The county page each figure's rows open, filtered to the county of the row.
COUNTY_PAGES = {
    "coverage": "clusters:coverage",
    "completeness": "reports:completeness",
    "rectification": "rectification:overview",
    "ledgers": "rectification:ledger-overview",
    "joint": "clusters:cluster-list",
    "contributions": "assessments:contribution-list",
}


def _comparison(request, figure: str, *, detail_url: str | None = None):
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
            # Each county's name opens the county page this summary stands for (or the figure's own).
            "county_url": detail_url or reverse(COUNTY_PAGES[figure]),
            "summary_first": detail_url is not None,
        },
    )


def compare_counties(request, figure: str):
    require(request.user.is_region_role)
    return _comparison(request, figure)


def summary_first(request, figure: str | None = None):
    """For a city or province role with no county chosen: the counties compared (or listed) instead of every township.

    Returns None for everyone else, and for a region role that chose a county: the county page follows.
    """
    user = request.user
    if not getattr(user, "is_region_role", False) or getattr(user, "county_focus", None):
        return None
    if figure is not None:
        return _comparison(request, figure, detail_url=request.path)
    page = Paginator(counties_in_reach(user).select_related("city"), regions.COUNTIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "villages/region_choose.html", {"page_obj": page, "detail_url": request.path})


def counties_first(figure: str | None = None, *, allowed: Callable[[Any], bool] | None = None):
    """A page that shows every township of its scope: who may open it (`allowed(user)`, by default any
    user with a place; else 403), then, for a city or province role with no county chosen,
    `summary_first(request, figure)` instead of the page."""

    def decorate(view):
        @functools.wraps(view)
        def page(request, *args, **kwargs):
            if allowed is None:
                require_place(request.user)
            else:
                require(allowed(request.user))
            summary = summary_first(request, figure)
            return summary if summary is not None else view(request, *args, **kwargs)

        return page

    return decorate


for figure in PAGES:
    route(f"region/{figure}/", name=f"region-{figure}", kwargs={"figure": figure})(compare_counties)
