"""PDF rendering with WeasyPrint: Chinese that is really there, fast, and fetching nothing from outside.

One FontConfiguration and one URL fetcher per process. The fetcher answers only
`data:` URLs and `file:` URLs inside the project's own static directory, with no
redirects: user text such as `<img src="file:///etc/passwd">` or a network
address pulls nothing into a PDF (and user text is escaped by the templates in
any case). Chinese comes from the vendored Noto Sans SC (static/vendor/), so a
fresh clone renders it without any system font; a county with its licensed
仿宋_GB2312 gets that first.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher

from lianchun.spreadsheets import ILLEGAL_XML_CHARS

logger = logging.getLogger(__name__)

FONT_DIR = "vendor/noto-sans-sc-0.4.3"
FONT_FILE = f"{FONT_DIR}/NotoSansSC-Regular.ttf"


def static_dir() -> Path:
    """The project's own static directory (collected STATIC_ROOT may be empty in development)."""
    return Path(settings.STATICFILES_DIRS[0]).resolve()


def font_path() -> Path:
    return static_dir() / FONT_FILE


class StaticOnlyURLFetcher(URLFetcher):
    """Fetch `data:` URLs and files under the static directory; refuse everything else."""

    def __init__(self, static_root: Path, **kwargs: Any) -> None:
        kwargs.setdefault("allowed_protocols", ("file", "data"))
        kwargs.setdefault("allow_redirects", False)
        super().__init__(**kwargs)
        self.static_root = Path(static_root).resolve()

    def fetch(self, url: str, headers: Any = None) -> Any:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            parts = urlsplit(url)
            if parts.netloc in ("", "localhost"):
                path = Path(url2pathname(parts.path)).resolve()
                if path.is_relative_to(self.static_root) and path.is_file():
                    return super().fetch(path.as_uri(), headers)
        logger.warning("PDF renderer refused a URL: %s", url[:200])
        raise ValueError(f"URL not allowed: {url[:200]}")


@cache
def _fetcher() -> StaticOnlyURLFetcher:
    return StaticOnlyURLFetcher(static_dir())


@cache
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def subsetter() -> str:
    """Which font subsetter WeasyPrint will use: "harfbuzz" (fast) or "fonttools" (about 30× slower)."""
    from weasyprint.pdf import fonts

    return "harfbuzz" if getattr(fonts, "harfbuzz_subset", None) else "fonttools"


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`; characters no XML or HTML document may hold (pasted control characters) are dropped."""
    from weasyprint import HTML

    html = ILLEGAL_XML_CHARS.sub("", html)
    document = HTML(string=html, base_url=static_dir().as_uri() + "/", url_fetcher=_fetcher())
    return document.write_pdf(font_config=_font_config())


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a template that extends exports/pdf_base.html to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context))
