"""Markup a list of raised issues repeats on every row, written once in Python."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def outcome_badge(issue) -> str:
    """Where an issue stands: its outcome and whether it is published, overdue by how many days, or open.

    A tag rather than an included template: the issue list shows sixty of them on a page."""
    if not issue.is_open:
        outcome = format_html('<span class="badge text-bg-success">{}</span>', issue.get_outcome_display())
        if issue.is_published:
            return format_html(
                '{} <span class="badge text-bg-light border">{} {}</span>',
                outcome,
                _("Published"),
                date_filter(issue.published_on, "Y-m-d"),
            )
        return format_html('{} <span class="badge text-bg-warning">{}</span>', outcome, _("Not published"))
    if issue.is_overdue:
        return format_html(
            '<span class="badge text-bg-danger">{}</span>',
            _("Overdue by %(days)s days") % {"days": issue.days_overdue},
        )
    return format_html('<span class="badge text-bg-secondary">{}</span>', _("Open"))
