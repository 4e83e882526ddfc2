"""Attachments: the evidence a county office keeps beside a record — a signed consent form, a meeting's
sign-in sheet, the photo of the 公开栏 notice or of a 四议两公开 公示, proof a measure was done.

An attachment belongs to one record through a generic relation (ATTACHABLE lists which kinds), is an
image or a PDF recognised from its content, lives on the `attachments` storage (local disk or an
S3-compatible bucket, never a public URL), and is voided, never deleted.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from lianchun.models import DetailPage, VoidableModel, actor_field, link_field

# The records that take attachments, as "app_label.model_name".
ATTACHABLE = frozenset(
    {
        "clusters.consentsurvey",
        "meetings.meeting",
        "meetings.meetingissue",
        "meetings.decisionrecord",
        "rectification.rectificationitem",
    }
)


class AttachmentStorage(LazyObject):
    """The `attachments` storage of settings.STORAGES, looked up when first used (and again after the
    setting changes), so a FileField bound at import follows the configured store."""

    def _setup(self) -> None:
        self._wrapped = storages["attachments"]


attachment_store = AttachmentStorage()


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        attachment_store._wrapped = empty


def attachment_storage():
    return attachment_store


class FileKind(models.TextChoices):
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    WEBP = "webp", "WebP"
    PDF = "pdf", "PDF"


CONTENT_TYPES = {
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.WEBP: "image/webp",
    FileKind.PDF: "application/pdf",
}


class Attachment(DetailPage, VoidableModel):
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("record number"))
    record = GenericForeignKey("content_type", "object_id")
    county = link_field("villages.County", _("county"), related_name="+")
    # The record's township (none for a county meeting): the scoping path of the attachment itself.
    township = link_field("villages.Township", _("township"), optional=True, related_name="+")
    file = models.FileField(_("file"), storage=attachment_storage, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), storage=attachment_storage, max_length=200, blank=True)
    file_kind = models.CharField(_("file type"), max_length=8, choices=FileKind.choices)
    original_name = models.CharField(_("original file name"), max_length=200)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = actor_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    scope_township_path = "township_id"
    scope_county_path = "county_id"
    detail_url = "attachments:download"

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_record")]

    def __str__(self) -> str:
        return self.caption or self.original_name

    @property
    def is_image(self) -> bool:
        return self.file_kind != FileKind.PDF

    @property
    def mime_type(self) -> str:
        return CONTENT_TYPES[self.file_kind]

    @property
    def size_label(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / 1048576:.1f} MB"
        return f"{max(1, self.size // 1024)} KB"
