"""The county filter of city and province roles, shown on every county page and list they open."""

from __future__ import annotations

from typing import Any

from django import template

from lianchun.scoping import COUNTY_PARAMETER, counties_in_reach

register = template.Library()


@register.inclusion_tag("includes/county_filter.html", takes_context=True)
def county_filter(context: dict[str, Any], standalone: bool = False) -> dict[str, Any]:
    """`{% county_filter %}` inside a list's filter form; `{% county_filter standalone=True %}` as its own form.

    Only a city or province role sees it (one query for its counties); the standalone form keeps the
    page's other query parameters, so a week or a month chosen stays chosen.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_region_role", False):
        return {"counties": None}
    kept = [
        (name, value)
        for name, values in request.GET.lists()
        if name not in {COUNTY_PARAMETER, "page"}
        for value in values
    ]
    return {
        "counties": list(counties_in_reach(user).values_list("pk", "name")),
        "chosen": getattr(user, "county_focus", None),
        "parameter": COUNTY_PARAMETER,
        "standalone": standalone,
        "kept": kept if standalone else [],
    }
