"""Writes of attachments: attach (checked from the content) and void. Both land in the audit trail."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.audit import save_audited, void_record
from lianchun.editing import clean_text
from lianchun.scoping import require

from . import files
from .models import ATTACHABLE, Attachment, attachment_storage


def place_of(record: models.Model) -> tuple[int | None, int | None]:
    """(county id, township id) of the record, read along its own scoping paths.

    A meeting is scoped to the townships it invites; its attachment belongs to its convening
    township (none for a county meeting).
    """
    model = type(record)
    county_id = model._base_manager.filter(pk=record.pk).values_list(model.scope_county_path, flat=True).first()
    path = model.scope_township_path
    first = path.split("__", 1)[0]
    field = model._meta.get_field(first.removesuffix("_id"))
    if field.many_to_many:
        township_id = getattr(record, "township_id", None)
    else:
        township_id = model._base_manager.filter(pk=record.pk).values_list(path, flat=True).first()
    return county_id, township_id


def is_attachable(record: Any) -> bool:
    return record._meta.label_lower in ATTACHABLE


def can_attach(user: Any, record: Any) -> bool:
    """The record's own township attaches and voids; the county office does for any record of its county."""
    if not getattr(user, "is_authenticated", False) or not is_attachable(record):
        return False
    county_id, township_id = place_of(record)
    if user.is_township_cadre:
        return township_id is not None and township_id == user.township_id
    return bool(user.is_county_office and county_id == user.county_id)


def refused_caption_key(record: Any) -> str:
    """Where the session keeps, until the record's page is shown again, the caption typed with a refused file."""
    return f"attachment-caption:{record._meta.label_lower}:{record.pk}"


def anchor_of(record: Any) -> str:
    """The id of the record's attachment panel on its page, e.g. "attachments-meetings-meeting-7"."""
    return f"attachments-{record._meta.label_lower.replace('.', '-')}-{record.pk}"


def attachments_of(record: Any, *, include_voided: bool = True):
    queryset = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("uploaded_by", "voided_by")
    if not include_voided:
        queryset = queryset.filter(voided_at__isnull=True)
    return queryset


def attach_file(*, record: Any, uploaded: Any, by: Any, caption: str = "") -> Attachment:
    """Keep an image or PDF as evidence beside `record`; its type is read from the bytes (files.check_content)."""
    require(can_attach(by, record))
    checked = files.check_content(files.read_upload(uploaded))
    county_id, township_id = place_of(record)
    now = clock.now()
    stem = f"{county_id}/{now:%Y/%m}/{uuid.uuid4().hex}"
    storage = attachment_storage()
    saved: list[str] = []
    try:
        name = storage.save(f"{stem}.{checked.extension}", ContentFile(checked.content))
        saved.append(name)
        thumbnail = ""
        if checked.thumbnail is not None:
            thumbnail = storage.save(f"{stem}.thumb.jpg", ContentFile(checked.thumbnail))
            saved.append(thumbnail)
        with transaction.atomic():
            attachment = Attachment(
                content_type=ContentType.objects.get_for_model(record),
                object_id=record.pk,
                county_id=county_id,
                township_id=township_id,
                file=name,
                thumbnail=thumbnail,
                file_kind=checked.kind,
                original_name=files.named_as(clean_text(getattr(uploaded, "name", "") or "")[:200], checked.kind),
                caption=clean_text(caption or "").strip()[:100],
                size=len(checked.content),
                sha256=checked.sha256,
                uploaded_by=by,
                uploaded_at=now,
            )
            save_audited(attachment, by=by, reason=_("Attachment uploaded"))
    except BaseException:
        # Nothing half-done: a file whose record was not saved is removed again.
        for name in saved:
            storage.delete(name)
        raise
    return attachment


def void_attachment(*, attachment: Attachment, reason: str, by: Any) -> Attachment:
    """Void (作废) an attachment: it stays, marked, with who and why; the file is kept."""
    record = attachment.record
    require(record is not None and can_attach(by, record))
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": ValidationError(_("Give a reason for voiding this record."), code="void_reason_required")}
        )
    void_record(attachment, by=by, reason=clean_text(reason).strip())
    return attachment
