"""Building blocks shared by every official record: scoping, audit and voiding."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import clock
from .choices import ChoiceLabels
from .routing import record_url
from .scoping import ScopedManager, ScopedQuerySet


class UnauditedWriteError(RuntimeError):
    """A bulk write would bypass the audit trail (django-simple-history records none of them)."""


class OfficialQuerySet(ScopedQuerySet):
    """Scoped, and refusing the bulk writes the audit trail cannot see.

    django-simple-history records nothing for `QuerySet.update`, `bulk_create`
    and `bulk_update` (its issue #174). Official records are therefore written
    one `save()` at a time inside a transaction; these methods raise so a new
    bulk write fails in tests instead of silently leaving no trace.
    """

    def update(self, **kwargs: Any) -> int:
        raise UnauditedWriteError(f"{self.model.__name__}: QuerySet.update() bypasses the audit trail")

    def bulk_create(self, *args: Any, **kwargs: Any) -> Any:
        raise UnauditedWriteError(f"{self.model.__name__}: bulk_create() bypasses the audit trail")

    def bulk_update(self, *args: Any, **kwargs: Any) -> Any:
        raise UnauditedWriteError(f"{self.model.__name__}: bulk_update() bypasses the audit trail")


OfficialManager = models.Manager.from_queryset(OfficialQuerySet)


class ThroughParent:
    """A scope path of a record reached through a foreign key: the key's name, then the parent's own path.

    Declared once on `OfficialModel`; a model names `scope_through = "cluster"` and its township and
    county paths follow its cluster's, so a chain of records states each step once.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type) -> str | None:
        if owner.scope_through is None:
            return None
        parent = owner._meta.get_field(owner.scope_through).related_model
        path = getattr(parent, self.name)
        return None if path is None else f"{owner.scope_through}__{path}"


class DetailPage:
    """A record with a page of its own: `detail_url` names the URL that shows it (for an attachment, its file), by pk."""

    detail_url: str

    def get_absolute_url(self) -> str:
        return record_url(self.detail_url, self.pk)


class OfficialModel(ChoiceLabels, models.Model):
    """A scoped official record, written one `save()` at a time (see `OfficialQuerySet`).

    A model names its lookup paths to its township and county (`scope_township_path`,
    `scope_county_path`, see `lianchun.scoping`), or the foreign key whose paths it shares (`scope_through`).
    """

    scope_through: str | None = None
    scope_township_path = ThroughParent()
    scope_county_path = ThroughParent()

    objects = OfficialManager()

    class Meta:
        abstract = True


class AuditedModel(OfficialModel):
    """An official record whose every change django-simple-history keeps for its 修改记录 page."""

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


def link_field(to: Any, verbose_name: Any, *, optional: bool = False, **options: Any) -> models.ForeignKey:
    """A link from an official record to another record, which is kept while records name it (PROTECT).

    `optional` when the link may be absent (a form may leave it blank). `verbose_name` is what forms and the
    修改记录 page call the field: without it Django would show the field's English name.
    """
    if optional:
        options = {"null": True, "blank": True, **options}
    return models.ForeignKey(to, verbose_name=verbose_name, on_delete=models.PROTECT, **options)


def actor_field(verbose_name: Any, *, optional: bool = False, **options: Any) -> models.ForeignKey:
    """Who did something to an official record (drafted, recorded, submitted, voided it), named as a 修改记录
    page names the field: `actor_field(_("recorded by"))`.

    The user is kept while records name them (PROTECT) and gets no reverse accessor; `optional`
    when the step may not have happened yet.
    """
    return link_field(settings.AUTH_USER_MODEL, verbose_name, optional=optional, related_name="+", **options)


class VoidableModel(AuditedModel):
    """Official records are voided (作废) with a reason and who, never deleted."""

    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = actor_field(_("voided by"), optional=True)
    void_reason = models.CharField(_("void reason"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    def mark_voided(self, *, by: Any, reason: str) -> list[str]:
        """Note who voids the record, when and why; the caller saves the fields returned, audited."""
        self.voided_at = timezone.now()
        self.voided_by = by
        self.void_reason = reason
        return ["voided_at", "voided_by", "void_reason"]


class DatedNote(AuditedModel):
    """A dated note of work done on a record (a helper's follow-up, progress on a measure), added, never edited.

    `text_field` names the field that says what was done; the note reads as its date and first words.
    """

    on_date = models.DateField(_("date"))

    text_field: str

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.on_date}: {getattr(self, self.text_field)[:30]}"


class DeadlineItem(models.Model):
    """A matter followed until it is settled, by a deadline (a rectification measure, an inspection finding).

    Listed soonest deadline first; overdue while unsettled past its deadline, as of the product's clock
    (derived, never stored). A model says when it is settled (`is_settled`).
    """

    deadline = models.DateField(_("deadline"))

    is_settled: bool

    class Meta:
        abstract = True
        ordering = ["deadline", "pk"]

    @classmethod
    def unsettled_condition(cls) -> Q:
        """`not is_settled` as a query condition: a model states it beside `is_settled`."""
        raise NotImplementedError(f"{cls.__name__} states its unsettled_condition()")

    @classmethod
    def overdue_condition(cls, today: Any = None, *, through: str = "") -> Q:
        """`is_overdue_on(today)` (the product's clock by default) as a query condition, so a page that counts
        overdue matters in SQL counts what a record shows. `through` reaches the matters from another model
        ("items__" from a rectification plan)."""
        return reached_through(cls.unsettled_condition() & Q(deadline__lt=today or clock.today()), through)

    def is_overdue_on(self, day: Any) -> bool:
        return not self.is_settled and self.deadline < day

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(clock.today())

    @property
    def days_overdue(self) -> int:
        return 0 if self.is_settled else max((clock.today() - self.deadline).days, 0)


def reached_through(condition: Q, relation: str) -> Q:
    """`condition` with each lookup reached through `relation` ("items__"): the same rule, asked from a related model."""
    if not relation:
        return condition
    reached = condition.copy()
    reached.children = [
        reached_through(child, relation) if isinstance(child, Q) else (relation + child[0], child[1])
        for child in condition.children
    ]
    return reached


class StoredUpload(models.Model):
    """An uploaded workbook kept between preview and confirmation, with what was read from it.

    `parsed` holds the rows once read (see lianchun.importing), so the preview
    never reads the workbook again; `applied_at` is set, under a row lock, by
    the one confirmation that imports it. `purge_uploads` removes old ones.
    """

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField()
    parsed = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.file_name


class TownshipTally(models.Model):
    """Counts kept per township so that a city or province need not count years of records on every page.

    Not an official record: a tally is recounted from the records inside the transaction of every change to
    them (`rectification.tallies`, `reports.tallies`), and scoped like the township's own records.
    """

    township = models.ForeignKey("villages.Township", on_delete=models.CASCADE, related_name="+")

    scope_township_path = "township_id"
    scope_county_path = "township__county_id"

    objects = ScopedManager()

    class Meta:
        abstract = True

    @staticmethod
    def lock_townships(township_ids: Iterable[int]) -> None:
        """Lock the townships about to be recounted (inside the caller's transaction), always in the same order,
        so two writers of one township cannot each count without the other's change, nor deadlock."""
        from villages.models import Township

        list(Township.objects.select_for_update().filter(pk__in=township_ids).order_by("pk").values_list("pk"))
