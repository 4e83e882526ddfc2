"""One way to serve a list page: filter through the list's FilterSet, paginate, render.

Every list template extends `includes/list_page.html`, which shows the filter form, the table
(marked `table-cards`, so a phone shows one card per row), the empty row and the pagination; the
context this helper prepares is what that layout reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.shortcuts import render

# What one screen of an office PC shows; a province holds thousands of rows behind it, a page away.
PAGE_SIZE = 30


def list_page(
    request,
    *,
    template: str,
    filterset_class: type,
    queryset: Any,
    context: dict[str, Any] | None = None,
    per_page: int | None = None,
    filter_kwargs: dict[str, Any] | None = None,
    form_name: str = "form",
    unfiltered_count: Callable[[], int] | None = None,
):
    """Render `template` with one page of `queryset` as filtered by `filterset_class`.

    The filterset is bound to the query string and scoped by the request (or by `filter_kwargs`
    where it asks for something else); `query` is the query string without the page number, for
    the pagination links. `unfiltered_count`, when given, answers how many rows `queryset` holds (from a
    kept tally): the list's length while no filter is in use, instead of counting the rows.
    """
    kwargs = filter_kwargs if filter_kwargs is not None else {"request": request}
    filterset = filterset_class(request.GET or None, queryset=queryset, **kwargs)
    townships_after_county(request, filterset)
    filtered = any(request.GET.get(name) for name in filterset.filters)
    count = unfiltered_count() if unfiltered_count is not None and not filtered else None
    return render(
        request,
        template,
        {form_name: filterset.form, **paginate(request, filterset.qs, per_page, count=count), **(context or {})},
    )


def paginate(request, rows: Any, per_page: int | None = None, *, count: int | None = None) -> dict[str, Any]:
    """One page of `rows` (`?page=`) as `page_obj`, and `query`, the query string without the page number.

    Every county and city list pages its rows through this, with `includes/pagination.html` below the
    table, so no list renders rows nobody reads however many counties are in scope.
    """
    query = request.GET.copy()
    query.pop("page", None)
    paginator = Paginator(rows, per_page or PAGE_SIZE)
    if count is not None:  # already counted with the page's other figures, in one pass
        paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    return {"page_obj": page, "query": query.urlencode()}


def townships_after_county(request, filterset) -> None:
    """A city or province role picks the county first: the township dropdown lists that county's townships only."""
    user = getattr(request, "user", None)
    township = filterset.filters.get("township")
    if township is not None and getattr(user, "is_region_role", False) and not getattr(user, "county_focus", None):
        from villages.models import Township

        township.queryset = Township.objects.none()
