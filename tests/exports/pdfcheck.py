"""What a PDF really contains: its text (pdftotext), its fonts (pdffonts), and whether the font has every glyph."""

from __future__ import annotations

import re
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from exports import pdf


def _run(args: list[str], data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(
            [*args, handle.name, *(["-"] if args[0] == "pdftotext" else [])],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode()


def text_of(data: bytes) -> str:
    return _run(["pdftotext", "-enc", "UTF-8", "-layout"], data)


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fonts_of(data: bytes) -> list[dict[str, str]]:
    """pdffonts rows: name, type, embedded ('yes'/'no')."""
    lines = _run(["pdffonts"], data).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "line": line})
    return rows


def page_count(data: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, check=True, timeout=60).stdout.decode()
    return int(re.search(r"Pages:\s+(\d+)", info)[1])


@cache
def vendored_cmap() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(pdf.font_path(), lazy=True).getBestCmap())


def missing_glyphs(text: str) -> set[str]:
    cmap = vendored_cmap()
    return {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}


def assert_only_vendored_fonts(data: bytes) -> None:
    fonts = fonts_of(data)
    assert fonts, "the PDF embeds no font"
    for font in fonts:
        name = font["name"].split("+", 1)[-1]
        assert name in {"AppCJK", "NotoSansSC-Regular"}, f"a fallback font was used: {font['line']}"
        assert font["emb"] == "yes", f"font not embedded: {font['line']}"
        assert font["sub"] == "yes", f"font not subset: {font['line']}"


def render_page_one(data: bytes, target: Path) -> Path:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        stem = str(target.with_suffix(""))
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", handle.name, stem],
            check=True,
            timeout=60,
        )
    return target.with_suffix(".png")
