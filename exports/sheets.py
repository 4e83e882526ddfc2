"""Sheets declared as data: each column states its heading and where its value comes from.

    CONSENT = Sheet(
        name=gettext_lazy("Consent"),
        title=gettext_lazy("%(place)s: consent to village clusters by village"),
        records=selectors.consent_rows,
        columns=[TOWNSHIP.of("survey.cluster.township.name"), Column(_("Agree"), INT, 8, "tally.agree"), ...],
    )
    register(SheetsExporter("consent", gettext_lazy("Consent by village"), [CONSENT], order=20))

A column's value is a dotted path from the record (a method at its end is called, so
`cluster.get_status_display` gives the label) or a function of the record. Every sheet is headed by
the place and unit of the user who downloads it and dated today (`write_sheet`); a sheet whose columns
are computed (weeks, ledger kinds) gives a `table` of columns and rows instead of records. The columns
several sheets share are defined once below, so the same heading has the same kind and width in every
workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianchun import clock, rates

from . import registry, selectors
from .registry import WorkbookExporter
from .xlsx import CODE, INT, PERCENT, TEXT, Column, WorkbookWriter

TOWNSHIP = Column(_("Township"), TEXT, 12)
CLUSTER = Column(_("Cluster"), TEXT, 18)
VILLAGE_CODE = Column(_("Village code"), CODE, 15)
VILLAGE = Column(_("Village"), TEXT, 14)
STATUS = Column(_("Status"), TEXT, 12)
STAGE = Column(_("Stage"), TEXT, 14)
FORMS_HANDED_OUT = Column(_("Forms handed out"), INT, 10)
FORMS_RETURNED = Column(_("Forms returned"), INT, 10)
# Truncated, and labelled so wherever it stands next to rates rounded half up.
AGREE_RATE = Column(rates.AGREE_RATE_LABEL, PERCENT, 14)
DAYS_OVERDUE = Column(_("Days overdue"), INT, 8)


def yes_no(value: bool) -> str:
    """A yes-or-no cell, written out as a word."""
    return gettext("Yes") if value else gettext("No")


def getter(column: Column) -> Callable[[Any], Any]:
    """The function giving a record's value in `column`: its own function, or its dotted path followed
    (empty when a step is empty; a method at the end is called)."""
    if callable(column.value):
        return column.value
    names = column.value.split(".")

    def get(record: Any) -> Any:
        value = record
        for name in names:
            value = getattr(value, name)
            if value is None:
                return None
        return value() if callable(value) else value

    return get


def rows_of(columns: Sequence[Column], records: Iterable[Any]) -> Iterator[list[Any]]:
    getters = [getter(column) for column in columns]
    for record in records:
        yield [get(record) for get in getters]


def write_sheet(
    writer: WorkbookWriter,
    user: Any,
    *,
    title: Any,
    title_params: dict[str, Any] | None = None,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    **extra: Any,
) -> int:
    """One sheet titled for the user's place (`title` holds `%(place)s` and any `title_params`), with their
    unit, as of today."""
    return writer.add_sheet(
        title=title % {"place": selectors.scope_title(user), **(title_params or {})},
        unit=selectors.unit_name(user),
        as_of=clock.today(),
        columns=columns,
        rows=rows,
        **extra,
    )


@dataclass(frozen=True)
class Sheet:
    """A sheet declared as data: its name, title and note, and its content, either `records` listed in
    `columns` or, where the columns are computed (weeks, ledger kinds), a `table` giving columns and rows."""

    name: Any
    title: Any
    columns: Sequence[Column] = ()
    records: Callable[..., Iterable[Any]] | None = None
    note: Any = ""
    table: Callable[..., tuple[Sequence[Column], Iterable[Sequence[Any]]]] | None = None

    def __call__(self, writer: WorkbookWriter, user: Any, *args: Any, **extra: Any) -> int:
        """Write this sheet of what `user` may see: `args` go to `records` or `table` (a chosen range), `extra`
        to `write_sheet` (the range's title parameters and period)."""
        if self.table is not None:
            columns, rows = self.table(user, *args)
        else:
            columns, rows = self.columns, rows_of(self.columns, self.records(user, *args))
        return write_sheet(
            writer, user, name=self.name, title=self.title, columns=columns, rows=rows, note=self.note, **extra
        )


SheetWriter = Callable[[WorkbookWriter, Any], Any]


class SheetsExporter(WorkbookExporter):
    """A workbook of `contents`, in order: `Sheet`s, functions `(writer, user)` for sheets whose columns are
    computed, and identifiers of other workbook exporters, whose sheets and choices it includes."""

    def __init__(
        self,
        identifier: str,
        verbose_name: Any,
        contents: Sequence[SheetWriter | str],
        *,
        order: int,
        rows_per_village: int = 1,
    ) -> None:
        self.identifier = identifier
        self.verbose_name = verbose_name
        self.contents = contents
        self.order = order
        self.rows_per_village = rows_per_village

    @property
    def form_fields(self) -> dict[str, forms.Field]:
        fields: dict[str, forms.Field] = {}
        for part in self.contents:
            if isinstance(part, str):
                fields.update(registry.get(part).form_fields)
        return fields

    def sheets(self, writer: WorkbookWriter, user: Any, form_data: dict[str, Any]) -> None:
        for part in self.contents:
            if isinstance(part, str):
                registry.get(part).sheets(writer, user, form_data)
            else:
                part(writer, user)
