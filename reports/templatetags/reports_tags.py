from __future__ import annotations

import functools

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from reports import completeness

register = template.Library()

STATUS_LABELS = {
    completeness.ON_TIME: _("On time"),
    completeness.LATE: _("Late"),
    completeness.DRAFT: _("Draft, not submitted"),
    completeness.MISSING: _("Missing"),
    completeness.NOT_DUE: _("Not yet due"),
    completeness.NOT_EXPECTED: _("Not expected"),
}
STATUS_BADGES = {
    completeness.ON_TIME: "text-bg-success",
    completeness.LATE: "text-bg-warning",
    completeness.DRAFT: "text-bg-secondary",
    completeness.MISSING: "text-bg-danger",
    completeness.NOT_DUE: "text-bg-light border",
    completeness.NOT_EXPECTED: "text-bg-light",
}
# The completeness grid says each status in a mark as well as a colour (a colour alone is lost to
# colour-blind readers and on a black-and-white printout).
STATUS_MARKS = {
    completeness.ON_TIME: "✓",
    completeness.LATE: pgettext_lazy("completeness mark", "Late"),
    completeness.DRAFT: pgettext_lazy("completeness mark", "Draft"),
    completeness.MISSING: pgettext_lazy("completeness mark", "Missing"),
}
STATE_BADGES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "resubmitted": "text-bg-primary",
    "answered": "text-bg-success",
    "returned": "text-bg-danger",
}


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@register.filter
def status_mark(status: str) -> str:
    return STATUS_MARKS.get(status, "")


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-light")


@register.filter
def state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "text-bg-light")


@register.filter
def grid_class(status: str) -> str:
    return {
        # Bootstrap's table-* classes colour a cell through --bs-table-bg, which plain backgrounds cannot beat.
        completeness.ON_TIME: "grid-on-time table-success",
        completeness.LATE: "grid-late table-warning",
        completeness.DRAFT: "grid-draft table-secondary",
        completeness.MISSING: "grid-missing table-danger",
        completeness.NOT_DUE: "grid-none",
    }.get(status, "grid-none")


@register.simple_tag
def grid_cell(week, tally) -> str:
    """One township-week cell of the completeness grid: its colour, its mark and arrived/expected.

    Written here rather than in the template because a county's grid has hundreds of cells and a province
    office opens it: the same markup from Python costs a fraction of the template's lookups, and each
    status's escaped words are worked out once per language."""
    language = get_language()
    css, label, mark = _grid_status(tally.status, language)
    if tally.expected:
        content = f'<span class="visually-hidden">{label}：</span>{mark}{tally.arrived:d}/{tally.expected:d}'
    else:
        content = f'<span aria-hidden="true">·</span><span class="visually-hidden">{label}</span>'
    title = f"{_week_title(week, language)} · {label}"
    return mark_safe(f'<td class="grid-cell {css}" data-status="{escape(tally.status)}" title="{title}">{content}</td>')  # noqa: S308 (every part escaped above)


@functools.lru_cache(maxsize=4096)
def _week_title(week, language: str | None) -> str:
    return escape(week.short_label)


@functools.cache
def _grid_status(status: str, language: str | None) -> tuple[str, str, str]:
    mark = status_mark(status)
    return (
        escape(grid_class(status)),
        escape(status_label(status)),
        format_html('<span class="grid-mark" aria-hidden="true">{}</span> ', mark) if mark else "",
    )


@register.simple_tag
def grid_legend() -> list[str]:
    """The statuses the completeness grid marks, in the order its legend lists them."""
    return list(STATUS_MARKS)
