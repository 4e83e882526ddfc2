"""Shared CSS: inactive navigation links readable on the brand red, focus visible, the phone card layout."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_inactive_navigation_links_reach_4_5_to_1_on_the_brand():
    brand = re.search(r"--brand:\s*(#[0-9a-fA-F]{6})", CSS).group(1)
    link = re.search(r"--bs-navbar-color:\s*(#[0-9a-fA-F]{6})", CSS).group(1)
    assert contrast(link, brand) >= 4.5
    # Bootstrap's default, 55% white over the brand, was what failed (about 3.4:1).
    base = [int(brand[i : i + 2], 16) for i in (1, 3, 5)]
    blended = "#" + "".join(f"{round(0.55 * 255 + 0.45 * c):02x}" for c in base)
    assert contrast(blended, brand) < 4.5


def test_focus_is_styled_on_red_buttons_and_the_navigation_bar():
    assert re.search(r"\.btn-brand:focus-visible[^{]*\{[^}]*outline:\s*3px", CSS)
    assert re.search(r"\.navbar \.nav-link:focus-visible[^{]*\{[^}]*outline:\s*3px solid #fff", CSS)


def test_phone_cards_for_marked_tables():
    block = CSS[CSS.index("@media (max-width: 575.98px) {\n  table.table-cards") :]
    assert "table.table-cards tr" in block and "display: block" in block
    assert "content: attr(data-label)" in block
    assert (Path(settings.BASE_DIR) / "static" / "js" / "table-cards.js").exists()
