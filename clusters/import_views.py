"""Consent tallies from Excel: the template, the upload, the preview of every problem, and the confirmation."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianchun import clock
from lianchun.importing import AlreadyImported
from lianchun.routing import route
from lianchun.scoping import get_visible_or_404, require

from . import importing
from .forms import ConsentUploadForm
from .models import ConsentUpload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@route("consent/template.xlsx")
@login_required
def consent_template(request):
    require(importing.can_import(request.user))
    filename = _("Consent tally template %(day)s.xlsx") % {"day": clock.today().strftime("%Y%m%d")}
    content = importing.build_template(request.user)
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response


@route("consent/import/")
@login_required
def consent_import(request):
    require(importing.can_import(request.user))
    form = ConsentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = importing.tallies.store_upload(form.cleaned_data["file"], user=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("clusters:consent-preview", pk=upload.pk)
    return render(request, "clusters/consent_import.html", {"form": form})


def _get_upload(request, pk: int) -> ConsentUpload:
    upload = get_visible_or_404(ConsentUpload, request.user, pk=pk, applied_at__isnull=True)
    require(upload.uploaded_by_id == request.user.pk and importing.can_import(request.user))
    return upload


@route("consent/import/<int:pk>/")
@login_required
def consent_preview(request, pk: int):
    upload = _get_upload(request, pk)
    plan = importing.tallies.preview(upload, user=request.user)
    return render(request, "clusters/consent_preview.html", {"upload": upload, "plan": plan})


@route("consent/import/<int:pk>/confirm/")
@login_required
@require_POST
def consent_confirm(request, pk: int):
    upload = _get_upload(request, pk)
    try:
        plan = importing.tallies.confirm(upload, user=request.user)
    except AlreadyImported:
        messages.info(request, _("These consent tallies were already recorded."))
        return redirect("exports:index")
    if not plan.is_valid:
        messages.error(request, _("Nothing was saved: the workbook still has problems."))
        return redirect("clusters:consent-preview", pk=upload.pk)
    messages.success(request, _("%(count)s consent batches were recorded.") % {"count": len(plan.rows)})
    return redirect("exports:index")
