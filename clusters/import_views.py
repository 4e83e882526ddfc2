"""Consent tallies from Excel: the template, the upload, the preview of every problem, and the confirmation."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianchun import clock
from lianchun.import_pages import confirm_page, own_upload, preview_page, upload_page
from lianchun.routing import route
from lianchun.scoping import require

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
    return upload_page(
        request,
        importing.tallies,
        form_class=ConsentUploadForm,
        template="clusters/consent_import.html",
        preview="clusters:consent-preview",
    )


def _get_upload(request, pk: int) -> ConsentUpload:
    return own_upload(request, ConsentUpload, pk, allowed=importing.can_import(request.user))


@route("consent/import/<int:pk>/")
@login_required
def consent_preview(request, pk: int):
    return preview_page(request, importing.tallies, _get_upload(request, pk), template="clusters/consent_preview.html")


@route("consent/import/<int:pk>/confirm/")
@login_required
@require_POST
def consent_confirm(request, pk: int):
    return confirm_page(
        request,
        importing.tallies,
        _get_upload(request, pk),
        preview="clusters:consent-preview",
        done="exports:index",
        already=_("These consent tallies were already recorded."),
        problems=_("Nothing was saved: the workbook still has problems."),
        success=lambda plan: _("%(count)s consent batches were recorded.") % {"count": len(plan.rows)},
    )
