"""The pages of a spreadsheet import, the same for every `Importer`: upload, preview of every problem,
and the confirmation that saves once. An app declares its three pages with `ImportPages` (its URLs,
templates and messages); the functions below are those pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .importing import AlreadyImported, Importer, Plan
from .routing import route
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


@dataclass(frozen=True)
class ImportPages:
    """The upload, preview and confirmation pages of one importer.

    `name` ("roster") names the URLs `<name>-import`, `<name>-preview` and `<name>-confirm` of the
    app `app` and the templates `<app>/<name>_import.html` and `<app>/<name>_preview.html`;
    `views(url)` routes them at `url`, `url<pk>/` and `url<pk>/confirm/`. `done` is where a saved
    (or already saved) upload goes on to; `already`, `problems` and `success` are `confirm_page`'s.
    """

    importer: Importer
    form_class: type
    app: str
    name: str
    done: str
    already: Any
    problems: Any
    success: Callable[[Plan], str]

    def views(self, url: str) -> tuple[Callable, Callable, Callable]:
        importer, preview = self.importer, f"{self.app}:{self.name}-preview"

        def upload(request, pk: int) -> Any:
            return own_upload(request, importer.upload_model, pk, allowed=importer.can_import(request.user))

        def start(request):
            require(importer.can_import(request.user))
            template = f"{self.app}/{self.name}_import.html"
            return upload_page(request, importer, form_class=self.form_class, template=template, preview=preview)

        def show(request, pk: int):
            template = f"{self.app}/{self.name}_preview.html"
            return preview_page(request, importer, upload(request, pk), template=template)

        @require_POST
        def confirm(request, pk: int):
            return confirm_page(
                request,
                importer,
                upload(request, pk),
                preview=preview,
                done=self.done,
                already=str(self.already),
                problems=str(self.problems),
                success=self.success,
            )

        return (
            route(url, name=f"{self.name}-import")(start),
            route(f"{url}<int:pk>/", name=f"{self.name}-preview")(show),
            route(f"{url}<int:pk>/confirm/", name=f"{self.name}-confirm")(confirm),
        )
