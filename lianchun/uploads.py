"""Checks on an uploaded spreadsheet that run before any parser sees it.

openpyxl is safe against XML entity attacks only with defusedxml installed
(it is a dependency); this module keeps out what a parser should never be
handed: files too big, files that are not xlsx, and zip bombs whose unpacked
size is out of proportion.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ERRORS = {
    "empty": _("The file is empty."),
    "too_large": _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files."),
    "xls": _(
        "This is an old Excel 97–2003 (.xls) file. Open it in Excel or WPS and save it as .xlsx, then upload again."
    ),
    "not_xlsx": _("This file is not an Excel .xlsx workbook. Download the template and fill it in."),
    "xlsm": _("Workbooks with macros (.xlsm) are not accepted. Save it as a plain .xlsx workbook."),
    "unpacked_too_large": _(
        "The workbook unpacks to more than %(limit)s MB, far more than any %(contents)s needs. "
        "It may be damaged or malicious."
    ),
    "too_many_entries": _("The workbook has too many internal parts. It may be damaged or malicious."),
}

# What a refusal calls the file when the caller does not say what it holds (each importer names its own).
SOME_WORKBOOK = pgettext_lazy("import file", "workbook of this kind")

MAX_ZIP_ENTRIES = 2000


def check_xlsx_upload(uploaded, *, contents: Any = SOME_WORKBOOK) -> bytes:
    """The file's bytes if it is a plausible xlsx; ValidationError with a Chinese message if not.

    `contents` names what the file holds (the roster, the consent tallies) in the messages."""
    limit = settings.XLSX_UPLOAD_MAX_BYTES
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            ERRORS["too_large"], code="too_large", params={"size": f"{size / 1048576:.1f}", "limit": limit // 1048576}
        )
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            ERRORS["too_large"],
            code="too_large",
            params={"size": f"{len(content) / 1048576:.1f}+", "limit": limit // 1048576},
        )
    check_xlsx_bytes(content, contents=contents)
    return content


def check_xlsx_bytes(content: bytes, *, contents: Any = SOME_WORKBOOK) -> None:
    if not content:
        raise ValidationError(ERRORS["empty"], code="empty")
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValidationError(ERRORS["xls"], code="xls")
    if content[:4] != b"PK\x03\x04":
        raise ValidationError(ERRORS["not_xlsx"], code="not_xlsx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(ERRORS["not_xlsx"], code="not_xlsx") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ValidationError(ERRORS["too_many_entries"], code="too_many_entries")
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ValidationError(ERRORS["not_xlsx"], code="not_xlsx")
    if "xl/vbaProject.bin" in names:
        raise ValidationError(ERRORS["xlsm"], code="xlsm")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > settings.XLSX_UNPACKED_MAX_BYTES:
        raise ValidationError(
            ERRORS["unpacked_too_large"],
            code="unpacked_too_large",
            params={"limit": settings.XLSX_UNPACKED_MAX_BYTES // 1048576, "contents": contents},
        )
    # The declared sizes can lie; what openpyxl will actually inflate is checked while reading.
    budget = settings.XLSX_UNPACKED_MAX_BYTES
    for info in infos:
        with archive.open(info) as member:
            while True:
                chunk = member.read(1 << 20)
                if not chunk:
                    break
                budget -= len(chunk)
                if budget < 0:
                    raise ValidationError(
                        ERRORS["unpacked_too_large"],
                        code="unpacked_too_large",
                        params={"limit": settings.XLSX_UNPACKED_MAX_BYTES // 1048576, "contents": contents},
                    )
