"""One way to edit a record: clean text, refuse a stale save, and put the domain's refusal on the form.

Every form that writes goes through this module:
- `attempt(form, action)` runs the service and lands its `ValidationError` on the field it names
  (`ValidationError({"field": ...})`, or `params={"field": ...}`), or on the form when the form
  has no such field — never a server error.
- `edit_record(...)` is the view helper every edit of an existing official record uses. A version
  token travels with the form; when someone saved the record after the form was opened, the save
  is refused, the form keeps what this user typed, and the page shows what the other person saved
  beside it (STYLE.md: lost updates). The check and the service's write happen in one transaction
  under a row lock, so two saves cannot both pass it.
- Text from a form is cleaned once, here: C0 control characters other than tab and newline (what
  office software leaves in pasted text) are removed, and CR LF becomes LF.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .text import without_controls
from .unsaved import restore

VERSION_FIELD = "record_version"


def clean_text(value: str) -> str:
    """Text without the control characters that Excel, XML and printers cannot hold, nor the invisible ones
    that reorder what a reader sees (lianchun.text, which imported workbooks are cleaned of too)."""
    return without_controls(value.replace("\r\n", "\n").replace("\r", "\n"))


def clean_values(data: Mapping[str, Any]) -> dict[str, Any]:
    return {name: clean_text(value) if isinstance(value, str) else value for name, value in data.items()}


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a domain refusal on the field it names, or on the whole form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return
    for item in error.error_list:
        name = (item.params or {}).get("field") if isinstance(item.params, Mapping) else None
        form.add_error(name if name in form.fields else None, item)


@dataclass
class Outcome:
    ok: bool
    value: Any = None


def attempt(form: forms.BaseForm, action: Callable[[dict[str, Any]], Any]) -> Outcome:
    """Run `action(cleaned data)` if the form is valid; a domain refusal lands on the form."""
    if not form.is_valid():
        return Outcome(False)
    try:
        with transaction.atomic():
            value = action(clean_values(form.cleaned_data))
    except ValidationError as error:
        add_errors(form, error)
        return Outcome(False)
    return Outcome(True, value)


# --- versions ---------------------------------------------------------------------------------------


def version_token(record: models.Model) -> str:
    """What the record looked like when a form was opened: its own version number, or its newest history row."""
    if any(f.name == "version" for f in record._meta.concrete_fields):
        return str(record.version)
    latest = record.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return str(latest or 0)


def last_saved(record: models.Model) -> tuple[Any, Any]:
    """Who saved the record last, and when (from its history)."""
    row = record.history.select_related("history_user").order_by("-history_id").first()
    return (row.history_user, row.history_date) if row is not None else (None, None)


class EditConflict(ValidationError):
    """Someone saved the record after this form was opened; `current` is what they saved."""

    def __init__(self, current: models.Model, *, who: Any = None, when: Any = None):
        self.current = current
        if who is None and when is None:
            who, when = last_saved(current)
        super().__init__(
            _(
                "%(who)s saved this record at %(when)s, after you opened it. Your text was not saved: "
                "it is still in the form below, beside what they saved. Merge the two and save again."
            ),
            code="edited_elsewhere",
            params={
                "who": who or _("Someone"),
                "when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M:%S") if when else "—",
            },
        )


def check_version(record: models.Model, expected: str | int | None) -> None:
    """Refuse a save based on an older version of `record` (call it with the row locked).

    `expected` is the token the form carried; a post without one ("") is refused as stale too (a hand-made post,
    a form cached from before tokens): only None, a caller with no form (a command, the demo), skips the check.
    """
    if expected is not None and str(expected) != version_token(record):
        raise EditConflict(record)


def lock(record: models.Model) -> models.Model:
    """The record's row, locked until the transaction ends (a no-op on SQLite, which locks the database)."""
    return type(record)._base_manager.select_for_update().get(pk=record.pk)


@dataclass
class TheirValue:
    label: str
    theirs: Any
    yours: Any


def _display(record: models.Model, name: str) -> Any:
    value = getattr(record, name)
    getter = getattr(record, f"get_{name}_display", None)
    if callable(getter):
        return getter()
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "all") and callable(value.all):
        return "、".join(str(item) for item in value.all())
    return value


def their_values(current: models.Model, form: forms.BaseForm) -> list[TheirValue]:
    """The other person's saved values beside what this user typed, for each field the form edits."""
    rows = []
    for name, bound in ((n, form[n]) for n in form.fields if n != VERSION_FIELD):
        if not hasattr(current, name):
            continue
        theirs = _display(current, name)
        yours = bound.value()
        if str(theirs if theirs is not None else "") == str(yours if yours is not None else ""):
            continue
        rows.append(TheirValue(label=str(bound.label), theirs=theirs, yours=yours))
    return rows


def with_version(form: forms.BaseForm, token: str) -> forms.BaseForm:
    """Carry `token` in the form as a hidden field; a bound form is given the token anew (after a conflict)."""
    form.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, initial=token)
    if form.is_bound:
        data = form.data.copy()
        data[VERSION_FIELD] = token
        form.data = data
    return form


def initial_from(record: models.Model, form_class: type[forms.BaseForm]) -> dict[str, Any]:
    initial = {}
    for name in form_class.base_fields:
        if hasattr(record, name):
            value = getattr(record, name)
            initial[name] = list(value.all()) if hasattr(value, "all") and callable(value.all) else value
    return initial


def form_page(
    request: Any,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], Any],
    *,
    template: str,
    success: str | Callable[[Any], str] | None = None,
    redirect_to: Any = None,
    context: Mapping[str, Any] | None = None,
):
    """Show `form` for a creation (or another post that is not an edit of one record).

    On a post, `action(cleaned data)` calls the service through `attempt` (its refusal lands on the
    form); then the page says `success` (when given) and redirects to `redirect_to`, by default to
    the record the service returned. Either may be a callable of what the service returned.
    """
    if request.method == "POST":
        outcome = attempt(form, action)
        if outcome.ok:
            if success:
                messages.success(request, success(outcome.value) if callable(success) else success)
            if redirect_to is None:
                return redirect(outcome.value)
            return redirect(redirect_to(outcome.value) if callable(redirect_to) else redirect_to)
    else:
        restore(request, form)
    return render(request, template, {"form": form, **(context or {})})


def edit_record(
    request: Any,
    *,
    record: models.Model,
    form_class: type[forms.BaseForm],
    save: Callable[[dict[str, Any]], Any],
    template: str,
    context: Mapping[str, Any] | None = None,
    initial: Mapping[str, Any] | None = None,
    form_kwargs: Mapping[str, Any] | None = None,
    success: str | Callable[[Any], str | None] | None = None,
    redirect_to: Any = None,
):
    """Show and save the edit form of an existing official record, refusing a stale save.

    `save(cleaned data)` calls the service; it runs inside the transaction that holds the
    record's row lock, after the version check.
    """
    form_kwargs = dict(form_kwargs or {})
    conflict: list[TheirValue] = []
    if request.method == "POST":
        posted = request.POST.get(VERSION_FIELD, "")
        form = with_version(form_class(request.POST, **form_kwargs), posted)
        if form.is_valid():
            try:
                with transaction.atomic():
                    check_version(lock(record), posted)
                    value = save(clean_values({k: v for k, v in form.cleaned_data.items() if k != VERSION_FIELD}))
            except EditConflict as error:
                form.add_error(None, error)
                conflict = their_values(error.current, form)
                # The next save is measured against what the other person saved.
                with_version(form, version_token(error.current))
            except ValidationError as error:
                add_errors(form, error)
            else:
                message = success(value) if callable(success) else success
                if message:
                    messages.success(request, message)
                return redirect(redirect_to or record)
    else:
        form = with_version(
            form_class(initial=initial if initial is not None else initial_from(record, form_class), **form_kwargs),
            version_token(record),
        )
        restore(request, form)
    return render(request, template, {"record": record, "form": form, "conflict": conflict, **(context or {})})
