"""One way to serve a list page: filter through the list's FilterSet, paginate, render.

Every list template extends `includes/list_page.html`, which shows the filter form, the table
(marked `table-cards`, so a phone shows one card per row), the empty row and the pagination; the
context this helper prepares is what that layout reads.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.shortcuts import render

PAGE_SIZE = 50


def list_page(
    request,
    *,
    template: str,
    filterset_class: type,
    queryset: Any,
    context: dict[str, Any] | None = None,
    per_page: int = PAGE_SIZE,
    filter_kwargs: dict[str, Any] | None = None,
    form_name: str = "form",
):
    """Render `template` with one page of `queryset` as filtered by `filterset_class`.

    The filterset is bound to the query string and scoped by the request (or by `filter_kwargs`
    where it asks for something else); `query` is the query string without the page number, for
    the pagination links.
    """
    kwargs = filter_kwargs if filter_kwargs is not None else {"request": request}
    filterset = filterset_class(request.GET or None, queryset=queryset, **kwargs)
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(filterset.qs, per_page).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {form_name: filterset.form, "page_obj": page, "query": query.urlencode(), **(context or {})},
    )
