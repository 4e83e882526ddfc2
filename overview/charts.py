"""Small server-side SVG charts for the first screens: geometry here, drawing in templates/overview/includes.

Every bar carries its figure as text beside it, so nothing is told by colour alone, and the
chart prints (and renders in WeasyPrint) without a line of JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LABEL_WIDTH = 92
BAR_AREA = 210
ROW = 22
TOP = 4


@dataclass(frozen=True)
class Segment:
    x: int
    width: int
    css: str
    value: int


def stacked_bars(rows: list[tuple[str, list[tuple[int, str]], str]], *, scale: int | None = None) -> dict[str, Any]:
    """Horizontal stacked bars: rows of (label, [(value, css class), ...], text shown after the bar)."""
    largest = scale or max([sum(v for v, _c in segments) for _l, segments, _t in rows] or [0]) or 1
    bars = []
    for index, (label, segments, text) in enumerate(rows):
        y = TOP + index * ROW
        x = LABEL_WIDTH
        parts = []
        for value, css in segments:
            width = BAR_AREA * value // largest
            parts.append(Segment(x=x, width=width, css=css, value=value))
            x += width
        bars.append({"label": label, "y": y, "text_y": y + 14, "segments": parts, "text": text, "text_x": x + 5})
    return {
        "bars": bars,
        "label_width": LABEL_WIDTH,
        "bar_height": ROW - 6,
        "width": LABEL_WIDTH + BAR_AREA + 110,
        "height": TOP + max(len(rows), 1) * ROW + 4,
    }


def share_bar(part: int, whole: int, text: str, *, width: int = 240) -> dict[str, Any]:
    """One bar showing part of a whole (a solved rate), with the figure written after it."""
    filled = width * part // whole if whole else 0
    return {"width": width + 70, "bar_width": width, "filled": filled, "text": text, "text_x": width + 6}
