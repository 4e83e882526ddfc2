"""The rates-over-weeks chart, drawn as inline SVG by the template from points computed here (no script)."""

from __future__ import annotations

WIDTH = 760
HEIGHT = 240
LEFT = 44
RIGHT = 16
TOP = 14
BOTTOM = 36


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    if count <= 1:
        return LEFT + span / 2
    return round(LEFT + span * index / (count - 1), 1)


def _y(tenths: int) -> float:
    span = HEIGHT - TOP - BOTTOM
    return round(TOP + span * (1 - tenths / 1000), 1)


def rate_chart(columns: list[dict]) -> dict:
    """Points of the reporting rate and the on-time rate per week; weeks expecting nothing are skipped."""
    count = len(columns)
    reporting, on_time, labels = [], [], []
    for index, column in enumerate(columns):
        tally = column["tally"]
        x = _x(index, count)
        labels.append({"x": x, "text": str(column["week"].number)})
        if tally.expected:
            reporting.append(
                {"x": x, "y": _y(tally.reporting_tenths), "rate": tally.reporting_rate, "week": column["week"]}
            )
            on_time.append({"x": x, "y": _y(tally.on_time_tenths), "rate": tally.on_time_rate, "week": column["week"]})
    grid = [{"y": _y(tenths), "label": f"{tenths // 10}%"} for tenths in (0, 250, 500, 750, 1000)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "label_y": HEIGHT - BOTTOM + 18,
        "grid": grid,
        "labels": labels,
        "reporting": reporting,
        "on_time": on_time,
        "reporting_points": " ".join(f"{p['x']},{p['y']}" for p in reporting),
        "on_time_points": " ".join(f"{p['x']},{p['y']}" for p in on_time),
    }
