"""What an uploaded attachment is, decided from its bytes, never from its name or the browser's word.

Accepted: JPEG, PNG and WebP images that Pillow can open (and that are not decompression bombs),
and PDF documents (a `%PDF-` header and an `%%EOF` marker near the end). Anything else — an
executable renamed .jpg, an HTML page called .pdf, an Office document — is refused in Chinese.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import FileKind

# A phone photo is ~12–50 megapixels; more than this is a decompression bomb, not a photo.
MAX_PIXELS = 80_000_000
THUMBNAIL_SIZE = (320, 320)

ERRORS = {
    "empty": _("The file is empty."),
    "too_large": _("The file is %(size)s MB; the limit is %(limit)s MB."),
    "wrong_type": _("Only photos (JPEG, PNG, WebP) and PDF documents can be attached. This file is neither."),
    "broken_image": _("This image cannot be read: it may be damaged."),
    "broken_pdf": _("This PDF is incomplete or damaged."),
    "too_many_pixels": _("This image is too large (more than %(limit)s million pixels)."),
}

_PILLOW_FORMATS = {"JPEG": FileKind.JPEG, "PNG": FileKind.PNG, "WEBP": FileKind.WEBP}


_EXTENSIONS = {FileKind.JPEG: ("jpg", "jpeg"), FileKind.PNG: ("png",), FileKind.WEBP: ("webp",), FileKind.PDF: ("pdf",)}
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def named_as(name: str, kind: str) -> str:
    """`name` ending in the extension of the kind the file's bytes are: a PDF uploaded as "通知.exe" or
    "通知.html" is kept and downloaded as "通知.pdf", so a copy saved to disk opens as what it is."""
    allowed = _EXTENSIONS[kind]
    _stem, dot, suffix = (name or "").rpartition(".")
    if dot and suffix.lower() in allowed:
        return name
    stem = _SUFFIX.sub("", name or "")
    return f"{stem[:190] or '附件'}.{allowed[0]}"


@dataclass(frozen=True)
class Checked:
    content: bytes
    kind: str
    sha256: str
    thumbnail: bytes | None

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self.kind][0]


def sniff(content: bytes) -> str | None:
    """The kind the magic bytes announce, or None."""
    if content.startswith(b"%PDF-"):
        return FileKind.PDF
    if content.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return FileKind.WEBP
    return None


def _limit_mb() -> int:
    return settings.ATTACHMENT_MAX_BYTES // 1048576


def read_upload(uploaded) -> bytes:
    limit = settings.ATTACHMENT_MAX_BYTES
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            ERRORS["too_large"], code="too_large", params={"size": f"{size / 1048576:.1f}", "limit": _limit_mb()}
        )
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            ERRORS["too_large"],
            code="too_large",
            params={"size": f"{len(content) / 1048576:.1f}+", "limit": _limit_mb()},
        )
    return content


def make_thumbnail(content: bytes) -> bytes:
    with Image.open(io.BytesIO(content)) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            background.paste(image.convert("RGBA"), mask=image.convert("RGBA").split()[-1])
            image = background
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
        return out.getvalue()


def check_content(content: bytes) -> Checked:
    """The checked file; ValidationError with a Chinese message when it is not an image or PDF we accept."""
    if not content:
        raise ValidationError(ERRORS["empty"], code="empty")
    kind = sniff(content)
    if kind is None:
        raise ValidationError(ERRORS["wrong_type"], code="wrong_type")
    thumbnail = None
    if kind == FileKind.PDF:
        if b"%%EOF" not in content[-2048:]:
            raise ValidationError(ERRORS["broken_pdf"], code="broken_pdf")
    else:
        try:
            with Image.open(io.BytesIO(content)) as image:
                if _PILLOW_FORMATS.get(image.format) != kind:
                    raise ValidationError(ERRORS["wrong_type"], code="wrong_type")
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(
                        ERRORS["too_many_pixels"], code="too_many_pixels", params={"limit": MAX_PIXELS // 1_000_000}
                    )
                image.verify()
            thumbnail = make_thumbnail(content)
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise ValidationError(ERRORS["broken_image"], code="broken_image") from None
    return Checked(content=content, kind=kind, sha256=hashlib.sha256(content).hexdigest(), thumbnail=thumbnail)
