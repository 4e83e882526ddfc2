"""The audit trail: who changed an official record, when, and which fields from what to what.

django-simple-history keeps a history row per save; `save_audited` is how a
service saves, naming the actor and a reason. `history_entries` turns the rows
into the field-by-field changes the 修改记录 page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import clock


def save_audited(instance: models.Model, *, by: Any, reason: str = "", update_fields: list[str] | None = None) -> None:
    """Save an official record with the actor and reason in its history row."""
    instance._history_user = by  # read by django-simple-history
    instance._history_date = clock.now()  # the product's clock, so demo and tests date history consistently
    instance._change_reason = reason[:100] if reason else ""
    if update_fields is not None and instance.pk is not None and not instance._state.adding:
        instance.save(update_fields=update_fields)
    else:
        instance.save()


def void_record(instance: Any, *, by: Any, reason: str) -> None:
    """Void (作废) an official record: it stays, marked, with who and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for voiding this record."), code="void_reason_required")
    if instance.voided_at is not None:
        raise ValidationError(_("This record is already voided."), code="already_voided")
    with transaction.atomic():
        instance.voided_at = timezone.now()
        instance.voided_by = by
        instance.void_reason = reason
        save_audited(instance, by=by, reason=reason, update_fields=["voided_at", "voided_by", "void_reason"])


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    when: Any
    who: Any
    kind: str
    reason: str
    changes: list[FieldChange]


KIND_LABELS = {"+": "created", "~": "changed", "-": "deleted"}


def _display(record: Any, field: models.Field, value: Any) -> Any:
    if value is None or value == "":
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.ForeignKey):
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else value
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    return value


def history_entries(instance: models.Model) -> list[HistoryEntry]:
    """Each history row of `instance`, newest first, with the fields it changed."""
    records = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id"))
    model = type(instance)
    fields = {f.attname: f for f in model._meta.concrete_fields}
    entries: list[HistoryEntry] = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[FieldChange] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                if isinstance(field, models.ForeignKey):
                    change.old = getattr(change.old, "pk", change.old)
                    change.new = getattr(change.new, "pk", change.new)
                changes.append(
                    FieldChange(
                        field=str(field.verbose_name),
                        old=_display(previous, field, change.old),
                        new=_display(record, field, change.new),
                    )
                )
        elif record.history_type == "+":
            for attname, field in fields.items():
                if attname in {"id"} or attname.endswith("_ptr_id"):
                    continue
                value = getattr(record, attname, None)
                if value not in (None, ""):
                    changes.append(
                        FieldChange(field=str(field.verbose_name), old="—", new=_display(record, field, value))
                    )
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                kind=record.history_type,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
