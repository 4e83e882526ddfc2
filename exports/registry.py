"""The exporters every app registers with the downloads page (pretix's data-exporter pattern).

An exporter has an `identifier` (its URL slug), a `verbose_name`, the form
fields it asks for, and `render(user, form_data) -> (filename, content type,
bytes)`. Workbook exporters write their sheets with `sheets(writer, user,
form_data)`, so a combined workbook (the county's) can hold the sheets of
several. Each domain app keeps its exporters in `<app>/exporters.py`, decorated
with `@register`; the exports app imports every such module when it starts
(`autodiscover`), and the downloads page lists whatever is registered.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.module_loading import autodiscover_modules

from lianchun import clock
from lianchun.downloads import XLSX_CONTENT_TYPE

from .pdf import render_pdf
from .xlsx import WorkbookWriter

PDF_CONTENT_TYPE = "application/pdf"
XLSX = "xlsx"
PDF = "pdf"

_exporters: dict[str, BaseExporter] = {}


class BaseExporter:
    identifier: str = ""
    verbose_name: Any = ""
    kind: str = XLSX
    order: int = 100
    listed: bool = True  # shown on the downloads page (a cluster's profile is offered beside each cluster instead)
    # Always made in the background by a worker (exports.jobs), whatever the rows in scope.
    heavy: bool = False
    # Roughly how many rows each village in scope adds to the file (a workbook of several sheets: more).
    rows_per_village: int = 1

    @property
    def form_fields(self) -> dict[str, forms.Field]:
        """The choices a user makes before downloading (e.g. the weeks); none by default."""
        return {}

    def form(self, data: Any = None) -> forms.Form:
        form = forms.Form(data or None, prefix=None)
        form.fields.update(self.form_fields)
        return form

    def form_data(self, user: Any, data: Any) -> dict[str, Any]:
        """The cleaned choices, or each field's default where the input is missing or malformed."""
        form = self.form(data)
        if form.is_bound and form.is_valid():
            return form.cleaned_data
        return {
            name: field.initial() if callable(field.initial) else field.initial
            for name, field in self.form_fields.items()
        }

    def filename(self, user: Any, form_data: dict[str, Any]) -> str:
        from .selectors import scope_title

        return f"{scope_title(user)}{self.verbose_name}{clock.today():%Y%m%d}.{self.kind}"

    def estimated_rows(self, user: Any, form_data: dict[str, Any]) -> int:
        """The size of the file for `user`, in rows, from one indexed count: decides immediate or background."""
        from villages.models import Village

        return Village.objects.visible_to(user).count() * self.rows_per_village

    def render(self, user: Any, form_data: dict[str, Any]) -> tuple[str, str, bytes]:
        raise NotImplementedError


class WorkbookExporter(BaseExporter):
    kind = XLSX

    def sheets(self, writer: WorkbookWriter, user: Any, form_data: dict[str, Any]) -> None:
        raise NotImplementedError

    def render(
        self, user: Any, form_data: dict[str, Any], writer: WorkbookWriter | None = None
    ) -> tuple[str, str, bytes]:
        writer = writer or WorkbookWriter()
        self.sheets(writer, user, form_data)
        return self.filename(user, form_data), XLSX_CONTENT_TYPE, writer.to_bytes()


class PdfExporter(BaseExporter):
    kind = PDF
    template_name = ""

    def context(self, user: Any, form_data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def render(self, user: Any, form_data: dict[str, Any]) -> tuple[str, str, bytes]:
        content = render_pdf(self.template_name, self.context(user, form_data))
        return self.filename(user, form_data), PDF_CONTENT_TYPE, content


def register(exporter: Any) -> Any:
    """Make an exporter available to the downloads page under its identifier: a class (as a decorator)
    or an instance, e.g. `register(SheetsExporter("roster", ..., [ROSTER, OFFICERS], order=10))`."""
    instance = exporter() if isinstance(exporter, type) else exporter
    known = _exporters.get(instance.identifier)
    if known is not None and (type(known) is not type(instance) or known.verbose_name != instance.verbose_name):
        raise ValueError(f"two exporters are registered as {instance.identifier!r}")
    _exporters[instance.identifier] = instance
    return exporter


def autodiscover() -> None:
    autodiscover_modules("exporters")


def exporters(kind: str | None = None, *, listed_only: bool = False) -> Iterator[BaseExporter]:
    for exporter in sorted(_exporters.values(), key=lambda e: (e.order, e.identifier)):
        if (kind is None or exporter.kind == kind) and (exporter.listed or not listed_only):
            yield exporter


def get(identifier: str) -> BaseExporter | None:
    return _exporters.get(identifier)
