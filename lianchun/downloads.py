"""A file the browser saves: the one way every download of the product answers (workbooks, PDFs, templates,
background files).

The name may be Chinese: Django's FileResponse writes it as RFC 6266 asks (`filename*=UTF-8''…`), which every
browser our users have reads. No browser, proxy or shared office PC keeps a copy: lianchun.headers forbids
caching of every answer, downloads included. An uploaded attachment, shown in the browser under its own
Content-Security-Policy, is the one file answered elsewhere (attachments.views).
"""

from __future__ import annotations

import io
from typing import BinaryIO

from django.http import FileResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes | BinaryIO, *, filename: str, content_type: str = XLSX_CONTENT_TYPE) -> FileResponse:
    """Answer with `content` (the bytes, or an open binary file, closed once sent) saved as `filename`."""
    handle = io.BytesIO(content) if isinstance(content, bytes) else content
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
