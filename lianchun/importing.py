"""One way in from spreadsheets: read a workbook once, check it row by row, preview, then import all or nothing.

An importer declares its columns (`Field`: the Chinese header, its aliases and
the kind of value), and says what a row means in its domain (`Importer.check`)
and how it is saved (`Importer.save`). This module does the rest, the same for
every importer:

- the upload is checked before any parser sees it (size, zip bombs, .xls,
  macros: `lianchun.uploads`);
- the first sheet is streamed (`lianchun.xlsx_reader`) and rows are counted as
  they come: reading stops at `XLSX_MAX_ROWS`, so a file five times too long is
  refused after reading the limit, not after loading it whole;
- the header row is found below any title rows, by header names and aliases;
- cells are parsed by kind (whole numbers, amounts, dates, division codes,
  yes/no, choices) and every problem is kept with its row and column;
- what was read is stored with the upload once (`StoredUpload.parsed`): the
  preview page never reads the workbook again;
- confirming claims the upload with a conditional update inside the import's
  transaction (a row lock on PostgreSQL, the write lock on SQLite), so two
  clicks on confirm import once; a refused import rolls the claim back.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from . import clock, xlsx_reader
from .spreadsheets import CellError, clean_text, header_key, parse_date, parse_decimal, parse_int
from .uploads import SOME_WORKBOOK, check_xlsx_bytes, check_xlsx_upload

TEXT = "text"
INT = "int"
DECIMAL = "decimal"
DATE = "date"
CODE = "code"
YES_NO = "yes_no"
CHOICE = "choice"

YES_WORDS = frozenset({"是", "√", "✓", "y", "yes", "1", "true"})
NO_WORDS = frozenset({"否", "", "×", "n", "no", "0", "false"})

ERRORS = {
    "unreadable": gettext_lazy("The workbook cannot be read. Open it in Excel or WPS, save it as .xlsx and try again."),
    "too_many_rows": gettext_lazy(
        "The sheet has more than %(limit)s rows; at most %(limit)s can be imported at once. "
        "Split it into smaller files."
    ),
    "not_int": gettext_lazy("“%(value)s” is not a whole number."),
    "negative": gettext_lazy("The number cannot be negative."),
    "not_amount": gettext_lazy("“%(value)s” is not an amount in yuan."),
    "negative_amount": gettext_lazy("The amount cannot be negative."),
    "not_date": gettext_lazy("“%(value)s” is not a date; write it as 2026-03-05 or 2026年3月5日."),
    "not_yes_no": gettext_lazy("Write 是 or 否, not “%(value)s”."),
}


@dataclass(frozen=True)
class Field:
    """One column an importer reads: `label` is the header shown in messages, `aliases` other names for it."""

    key: str
    label: Any
    aliases: tuple[str, ...] = ()  # every header name this column is known by, the template's first
    kind: str = TEXT
    required: bool = False  # the header row is the first row that names every required column
    choices: dict[str, Any] | None = None  # CHOICE: the words a cell may hold, and their values
    choice_error: Any = None  # CHOICE: the message for any other word, with %(value)s


@dataclass
class Spec:
    fields: list[Field]
    missing_header: Any  # the sheet problem when no header row is found (may use %(rows)s)
    header_search_rows: int = 10
    max_columns: int = 40
    # Rows to pass over without a problem: a note row ("说明：…"), or a row whose `skip_when_blank` cells are empty.
    skip_prefixes: tuple[str, ...] = ("说明",)
    skip_when_blank: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.by_key = {f.key: f for f in self.fields}
        self.lookup: dict[str, str] = {}
        for f in self.fields:
            for name in f.aliases:
                self.lookup.setdefault(header_key(name), f.key)


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Row:
    """A data row as read: its number in the sheet, the typed values of the cells present, its problems."""

    number: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Sheet:
    """What was read from a workbook: the columns found, the rows, and a problem that stops the whole sheet."""

    spec: Spec
    columns: dict[str, int] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    sheet_problem: str = ""

    def label(self, key: str) -> str:
        """The column as a user finds it: "C（村(社区)代码）", or the header alone when the file lacks it."""
        header = self.spec.by_key[key].label
        position = self.columns.get(key)
        if position is None:
            return str(header)
        return f"{get_column_letter(position + 1)}（{header}）"

    def has(self, key: str) -> bool:
        return key in self.columns

    def problem(self, row: Row, key: str, message: str) -> None:
        row.problems.append(Problem(row.number, self.label(key) if key else "", str(message)))

    # Stored with the upload as JSON, so the preview never reads the workbook again. Only amounts and dates need
    # converting; every other value is stored as it is.
    def to_json(self) -> dict[str, Any]:
        converted = [f.key for f in self.spec.fields if f.kind in (DECIMAL, DATE)]
        rows = []
        for row in self.rows:
            values = dict(row.values)
            for key in converted:
                value = values.get(key)
                if value is not None:
                    values[key] = _encode(value)
            rows.append([row.number, values, [[p.column, p.message] for p in row.problems]])
        return {"columns": self.columns, "sheet_problem": self.sheet_problem, "rows": rows}

    @classmethod
    def from_json(cls, spec: Spec, data: dict[str, Any]) -> Sheet:
        sheet = cls(spec=spec, columns=dict(data["columns"]), sheet_problem=data["sheet_problem"])
        converted = [(f.key, f.kind) for f in spec.fields if f.kind in (DECIMAL, DATE)]
        rows = sheet.rows
        for number, stored, problems in data["rows"]:
            values = dict(stored)
            for key, kind in converted:
                value = values.get(key)
                if value is not None:
                    values[key] = _decode(kind, value)
            rows.append(Row(number, values, [Problem(number, column, message) for column, message in problems]))
        return sheet


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _decode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == DECIMAL:
        return Decimal(value)
    if kind == DATE:
        return datetime.date.fromisoformat(value)
    return value


def normalize_code_cell(value: Any) -> str:
    from villages.codes import normalize_code  # the division codes' rules live with the villages

    return normalize_code(value)


class _Refused(Exception):
    """A cell that cannot be read as its column's kind; the message names the problem."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message


def _refusing(parse: Callable[[Any], Any], unreadable: Any, negative: Any = None) -> Callable[[Any], Any]:
    """`parse`, with a cell it cannot read (or a negative number, when `negative` is given) refused with a message."""

    def typed(raw: Any) -> Any:
        try:
            value = parse(raw)
        except CellError:
            raise _Refused(unreadable % {"value": clean_text(raw)}) from None
        if negative is not None and value is not None and value < 0:
            raise _Refused(negative)
        return value

    return typed


def _parser(f: Field) -> Callable[[Any], Any]:
    """The function turning a cell of `f`'s column into its typed value, raising _Refused with the problem.

    Chosen once per column, so each cell costs one call instead of a walk through every kind.
    """
    kind = f.kind
    if kind == TEXT:
        return clean_text
    if kind == CODE:
        return normalize_code_cell
    if kind == INT:
        return _refusing(parse_int, ERRORS["not_int"], ERRORS["negative"])
    if kind == DECIMAL:
        return _refusing(parse_decimal, ERRORS["not_amount"], ERRORS["negative_amount"])
    if kind == DATE:
        return _refusing(parse_date, ERRORS["not_date"])
    if kind == YES_NO:

        def yes_no(raw: Any) -> bool:
            word = clean_text(raw).lower()
            if word in YES_WORDS:
                return True
            if word in NO_WORDS:
                return False
            raise _Refused(ERRORS["not_yes_no"] % {"value": clean_text(raw)})

        return yes_no
    if kind == CHOICE:
        choices = f.choices or {}

        def choice(raw: Any) -> Any:
            word = clean_text(raw)
            if not word:
                return None
            if word in choices:
                return choices[word]
            raise _Refused(f.choice_error % {"value": word})

        return choice
    raise ValueError(f"unknown field kind {kind!r}")


def _is_blank(values: tuple) -> bool:
    """No cell of the row holds anything but white space."""
    for value in values:
        if value is not None and (value.__class__ is not str or clean_text(value)):
            return False
    return True


def _locate_header(spec: Spec, values: tuple) -> dict[str, int] | None:
    mapping: dict[str, int] = {}
    for position, value in enumerate(values):
        key = spec.lookup.get(header_key(value))
        if key and key not in mapping:
            mapping[key] = position
    required = {f.key for f in spec.fields if f.required}
    return mapping if required <= set(mapping) else None


def read_sheet(
    content: bytes, spec: Spec, *, max_rows: int | None = None, checked: bool = False, contents: Any = SOME_WORKBOOK
) -> Sheet:
    """Read the workbook's first sheet against `spec`: header, typed cells, problems by row and column.

    `checked`: the bytes already passed `check_xlsx_upload` (size, zip bombs, macros) and need not be unpacked twice.
    """
    limit = max_rows if max_rows is not None else settings.XLSX_MAX_ROWS
    sheet = Sheet(spec=spec)
    if not checked:
        try:
            check_xlsx_bytes(content, contents=contents)
        except ValidationError as error:
            sheet.sheet_problem = error.messages[0]
            return sheet
    fields: list[tuple[str, int, Callable[[Any], Any]]] = []
    blank_keys: list[int] = []
    rows = xlsx_reader.iter_rows(content, max_columns=spec.max_columns)
    try:
        for number, values in rows:
            if number > limit:
                sheet.rows = []
                sheet.sheet_problem = str(ERRORS["too_many_rows"] % {"limit": limit})
                return sheet
            if not fields:
                if number > spec.header_search_rows:
                    break
                mapping = _locate_header(spec, values)
                if mapping is not None:
                    sheet.columns = mapping
                    fields = [(key, position, _parser(spec.by_key[key])) for key, position in mapping.items()]
                    blank_keys = [mapping[key] for key in spec.skip_when_blank if key in mapping]
                continue
            if _is_blank(values):
                continue
            if values and isinstance(values[0], str) and clean_text(values[0]).startswith(spec.skip_prefixes):
                continue
            if blank_keys and all(
                position >= len(values) or clean_text(values[position]) == "" for position in blank_keys
            ):
                continue
            row = Row(number=number, values={})
            typed = row.values
            for key, position, parse in fields:
                try:
                    typed[key] = parse(values[position] if position < len(values) else None)
                except _Refused as refusal:
                    sheet.problem(row, key, refusal.message)
            sheet.rows.append(row)
    except Exception:  # a damaged file fails in the zip, XML or value layer
        sheet.rows = []
        sheet.sheet_problem = str(ERRORS["unreadable"])
        return sheet
    finally:
        rows.close()  # stops reading: the rest of the file is never parsed
    if not fields:
        sheet.sheet_problem = str(spec.missing_header) % {"rows": spec.header_search_rows}
    return sheet


@dataclass
class Plan:
    """What importing would do: the rows an importer accepted, every problem, or a problem with the whole sheet."""

    sheet: Sheet | None = None
    rows: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheet_problem: str = ""

    @property
    def is_valid(self) -> bool:
        return not self.problems and not self.sheet_problem


class RowRefused(Exception):
    """A service refused a row while saving (the data changed since the preview): nothing of the file is kept."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


class AlreadyImported(Exception):
    """The upload was confirmed before (a second click, or a second tab)."""


class Importer:
    """The steps every import shares; subclasses give `spec`, `upload_model`, `can_import`, `check` and `save`."""

    spec: Spec
    upload_model: Any
    plan_class: type[Plan] = Plan
    empty_message: Any = gettext_lazy("The sheet has a header but no rows.")
    # What the file holds, as the refusals of a damaged or oversized file name it ("the roster").
    contents: Any = SOME_WORKBOOK

    def can_import(self, user: Any) -> bool:
        raise NotImplementedError

    def check(self, sheet: Sheet, user: Any, plan: Plan) -> None:
        """Decide, row by row, what saving would do: append accepted rows to `plan.rows`, problems to the rows."""
        raise NotImplementedError

    def save(self, plan: Plan, *, user: Any, file_name: str) -> None:
        """Write every accepted row; runs inside the import's transaction."""
        raise NotImplementedError

    def upload_fields(self, user: Any) -> dict[str, Any]:
        """Scope fields of the stored upload (township, county)."""
        return {}

    # The shared steps.
    def plan(self, sheet: Sheet, *, user: Any) -> Plan:
        plan = self.plan_class(sheet=sheet, sheet_problem=sheet.sheet_problem)
        if plan.sheet_problem:
            return plan
        self.check(sheet, user, plan)
        plan.problems = sorted((p for row in sheet.rows for p in row.problems), key=lambda p: p.row)
        if not plan.rows and not plan.problems:
            plan.sheet_problem = str(self.empty_message)
        return plan

    def plan_import(self, content: bytes, *, user: Any) -> Plan:
        """Read and check a workbook; write nothing."""
        return self.plan(read_sheet(content, self.spec, contents=self.contents), user=user)

    def apply_import(self, content: bytes, *, user: Any, file_name: str) -> Plan:
        """Read, check and save a workbook in one transaction: every row or none."""
        with transaction.atomic():
            plan = self.plan_import(content, user=user)
            if plan.is_valid:
                self._save_or_roll_back(plan, user=user, file_name=file_name)
        return plan

    def _save_or_roll_back(self, plan: Plan, *, user: Any, file_name: str) -> None:
        try:
            with transaction.atomic():
                self.save(plan, user=user, file_name=file_name)
        except RowRefused as refusal:
            transaction.set_rollback(True)
            plan.problems.append(Problem(refusal.row, "", refusal.message))

    def store_upload(self, uploaded: Any, *, user: Any) -> Any:
        """Check and read an uploaded file once and keep both; ValidationError when it is not a usable workbook."""
        content = check_xlsx_upload(uploaded, contents=self.contents)
        sheet = read_sheet(content, self.spec, checked=True)
        if sheet.sheet_problem:
            raise ValidationError(sheet.sheet_problem, code="sheet")
        return self.upload_model.objects.create(
            uploaded_by=user,
            file_name=str(getattr(uploaded, "name", "") or "")[:200],
            content=content,
            parsed=sheet.to_json(),
            **self.upload_fields(user),
        )

    def sheet_of(self, upload: Any) -> Sheet:
        if upload.parsed is None:  # stored before uploads kept what was read
            sheet = read_sheet(bytes(upload.content), self.spec, contents=self.contents)
            type(upload).objects.filter(pk=upload.pk).update(parsed=sheet.to_json())
            return sheet
        return Sheet.from_json(self.spec, upload.parsed)

    def preview(self, upload: Any, *, user: Any) -> Plan:
        return self.plan(self.sheet_of(upload), user=user)

    def confirm(self, upload: Any, *, user: Any) -> Plan:
        """Import a stored upload once: AlreadyImported for a second confirmation, a plan with problems if refused."""
        with transaction.atomic():
            claimed = type(upload).objects.filter(pk=upload.pk, applied_at__isnull=True).update(applied_at=clock.now())
            if not claimed:
                raise AlreadyImported
            plan = self.preview(upload, user=user)
            if not plan.is_valid:
                transaction.set_rollback(True)
                return plan
            self._save_or_roll_back(plan, user=user, file_name=upload.file_name)
        return plan


def purge_uploads(
    *, older_than: datetime.timedelta, models: Iterable[Any] | None = None, commit: bool
) -> dict[str, int]:
    """Remove stored uploads created more than `older_than` ago; counts per model (nothing removed unless commit)."""
    from django.apps import apps

    from .models import StoredUpload

    cutoff = clock.now() - older_than
    counts = {}
    for model in models or [m for m in apps.get_models() if issubclass(m, StoredUpload)]:
        old = model._base_manager.filter(created_at__lt=cutoff)
        counts[model._meta.label] = old.count()
        if commit:
            old.delete()
    return counts
