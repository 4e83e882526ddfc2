"""The first screens' small SVG charts, written by a tag: a county's glance draws a hundred bars, and a block
of template lookups per bar was a quarter of the county 工作台's CPU. The geometry is `overview.charts`'."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

register = template.Library()

# A bar's label keeps this many characters (the last an ellipsis when cut), as `truncatechars:8` did.
LABEL_CHARS = 8


@register.simple_tag
def bars_svg(chart: dict[str, Any], label: str) -> SafeString:
    """Horizontal stacked bars (`charts.stacked_bars`), each bar's figure written after it."""
    parts = [
        format_html(
            '<svg class="mini-chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">\n'
            "  <title>{}</title>\n  ",
            chart["width"],
            chart["height"],
            chart["width"],
            chart["height"],
            label,
            label,
        )
    ]
    for bar in chart["bars"]:
        parts.append(
            format_html(
                '\n  <text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>\n  ',
                chart["label_width"] - 6,
                bar["text_y"],
                Truncator(bar["label"]).chars(LABEL_CHARS),
            )
        )
        parts.extend(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" class="{}"><title>{}</title></rect>',
                segment.x,
                bar["y"],
                segment.width,
                chart["bar_height"],
                segment.css,
                segment.value,
            )
            for segment in bar["segments"]
            if segment.width
        )
        parts.append(
            format_html(
                '\n  <text x="{}" y="{}" class="chart-value">{}</text>\n  ', bar["text_x"], bar["text_y"], bar["text"]
            )
        )
    parts.append("\n</svg>\n")
    return mark_safe("".join(parts))  # noqa: S308 (every value went through format_html)
