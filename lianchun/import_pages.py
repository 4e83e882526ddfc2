"""The pages of a spreadsheet import, the same for every `Importer`: upload, preview of every problem,
and the confirmation that saves once. Each app's views name their own URLs, templates and messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from .importing import AlreadyImported, Importer, Plan
from .scoping import get_visible_or_404, require


def upload_page(request, importer: Importer, *, form_class: type, template: str, preview: str) -> HttpResponse:
    """The upload form; a stored upload goes on to its preview (the URL named `preview`)."""
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = importer.store_upload(form.cleaned_data["file"], user=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect(preview, pk=upload.pk)
    return render(request, template, {"form": form})


def own_upload(request, model: type, pk: int, *, allowed: bool) -> Any:
    """An upload not yet saved, visible to the user, who uploaded it and may still import (else 403)."""
    upload = get_visible_or_404(model, request.user, pk=pk, applied_at__isnull=True)
    require(upload.uploaded_by_id == request.user.pk and allowed)
    return upload


def preview_page(request, importer: Importer, upload: Any, *, template: str) -> HttpResponse:
    plan = importer.preview(upload, user=request.user)
    return render(request, template, {"upload": upload, "plan": plan})


def confirm_page(
    request,
    importer: Importer,
    upload: Any,
    *,
    preview: str,
    done: str,
    already: str,
    problems: str,
    success: Callable[[Plan], str],
) -> HttpResponse:
    """Save the previewed upload once: `already` when it was saved before, `problems` (back to the
    preview) when it still has some, else `success(plan)`; then on to the URL named `done`."""
    try:
        plan = importer.confirm(upload, user=request.user)
    except AlreadyImported:
        messages.info(request, already)
        return redirect(done)
    if not plan.is_valid:
        messages.error(request, problems)
        return redirect(preview, pk=upload.pk)
    messages.success(request, success(plan))
    return redirect(done)
