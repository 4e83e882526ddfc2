"""The audit trail: who changed an official record, when, and which fields from what to what.

django-simple-history keeps a history row per save; `save_audited` is how a
service saves, naming the actor and a reason. `history_entries` turns the rows
into the field-by-field changes the 修改记录 page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext as _

from . import clock

# The checks of a field's own column: digits of a decimal, the length of a text, the range of an integer.
COLUMN_VALIDATORS = (DecimalValidator, MaxLengthValidator, MinValueValidator, MaxValueValidator)


def check_fits_columns(instance: models.Model, update_fields: list[str] | None = None) -> None:
    """Refuse, on the field, a value its column cannot hold: 1e30 in a score of ten digits, a number beyond an
    integer column, a text longer than its column. A form checks what it shows; this holds for every write
    (a table of cells a view parses itself, a command, the next view), before the database stores what no page
    could then read back, or answers a server error."""
    errors: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        if update_fields is not None and field.name not in update_fields and field.attname not in update_fields:
            continue
        value = getattr(instance, field.attname)
        if value is None or value == "":
            continue
        try:
            if isinstance(field, models.DecimalField):
                try:
                    value = value if isinstance(value, Decimal) else Decimal(str(value))
                except (InvalidOperation, ValueError):
                    raise ValidationError(_("Enter a number."), code="invalid") from None
                if not value.is_finite():
                    raise ValidationError(_("Enter a number."), code="invalid")
            for validator in field.validators:
                if isinstance(validator, COLUMN_VALIDATORS):
                    validator(value)
        except ValidationError as error:
            errors[field.name] = error.messages
    if errors:
        raise ValidationError(errors)


def save_audited(instance: models.Model, *, by: Any, reason: str = "", update_fields: list[str] | None = None) -> None:
    """Save an official record with the actor and reason in its history row, once its values fit their columns."""
    check_fits_columns(instance, update_fields)
    instance._history_user = by  # read by django-simple-history
    instance._history_date = clock.now()  # the product's clock, so demo and tests date history consistently
    instance._change_reason = reason[:100] if reason else ""
    if update_fields is not None and instance.pk is not None and not instance._state.adding:
        instance.save(update_fields=update_fields)
    else:
        instance.save()


def create_audited(model: type[models.Model], *, by: Any, reason: str, **fields: Any) -> Any:
    """Create an official record with the actor and reason in its first history row."""
    record = model(**fields)
    with transaction.atomic():
        save_audited(record, by=by, reason=reason)
    return record


def void_record(instance: Any, *, by: Any, reason: str) -> None:
    """Void (作废) an official record: it stays, marked, with who and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for voiding this record."), code="void_reason_required")
    if instance.voided_at is not None:
        raise ValidationError(_("This record is already voided."), code="already_voided")
    with transaction.atomic():
        save_audited(instance, by=by, reason=reason, update_fields=instance.mark_voided(by=by, reason=reason))


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
EMPTY = "—"


def _name_of(record: models.Model) -> str:
    """How a history page names a linked record: a record type (an attachment's) by its own name, 会议, not
    ContentType's "app | model" (会议 | 会议)."""
    if isinstance(record, ContentType):
        model = record.model_class()
        return str(model._meta.verbose_name) if model is not None else record.model
    return str(record)


class _Names:
    """Names of linked records, fetched once per related model for a whole history page."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = {}
        self.found: dict[tuple[type[models.Model], Any], str] = {}

    def want(self, field: models.Field, value: Any) -> None:
        if isinstance(field, models.ForeignKey) and value not in (None, ""):
            self.wanted.setdefault(field.related_model, set()).add(value)

    def load(self) -> None:
        for related, pks in self.wanted.items():
            for record in related._base_manager.filter(pk__in=pks):
                self.found[(related, record.pk)] = _name_of(record)

    def display(self, field: models.Field, value: Any) -> Any:
        if value is None or value == "":
            return EMPTY
        if isinstance(field, models.ForeignKey):
            # A linked record that no longer exists still shows which one it was.
            return self.found.get((field.related_model, value), f"#{value}")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(field, models.BooleanField):
            return _("Yes") if value else _("No")
        return value


def _pk_of(value: Any) -> Any:
    return getattr(value, "pk", value)


def history_entries(instance: models.Model) -> list[HistoryEntry]:
    """Each history row of `instance`, newest first, with the fields it changed.

    Linked records (a lead village, an officer, who voided) are shown by their
    names, looked up once per related model, so every kind of change opens.
    """
    records = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id"))
    model = type(instance)
    fields = {
        f.attname: f for f in model._meta.concrete_fields if f.attname != "id" and not f.attname.endswith("_ptr_id")
    }
    names = _Names()
    raw: list[tuple[Any, list[tuple[models.Field, Any, Any]]]] = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changed: list[tuple[models.Field, Any, Any]] = []
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                field = model._meta.get_field(change.field)
                changed.append((field, _pk_of(change.old), _pk_of(change.new)))
        elif record.history_type == "+":
            for attname, field in fields.items():
                value = getattr(record, attname, None)
                if value not in (None, ""):
                    changed.append((field, None, value))
        for field, old, new in changed:
            names.want(field, old)
            names.want(field, new)
        raw.append((record, changed))
    names.load()
    return [
        HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            kind=record.history_type,
            reason=record.history_change_reason or "",
            changes=[
                FieldChange(field=str(field.verbose_name), old=names.display(field, old), new=names.display(field, new))
                for field, old, new in changed
            ],
        )
        for record, changed in raw
    ]
