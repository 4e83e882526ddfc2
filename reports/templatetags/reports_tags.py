from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
def grid_legend() -> list[str]:
    """The statuses the completeness grid marks, in the order its legend lists them."""
    return list(STATUS_MARKS)
