"""Consent tallies from Excel: the template, the upload, the preview of every problem, and the confirmation."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianchun import clock
from lianchun.downloads import download
from lianchun.import_pages import ImportPages
from lianchun.routing import route
from lianchun.scoping import require

from . import importing
from .forms import ConsentUploadForm


@route("consent/template.xlsx")
def consent_template(request):
    require(importing.can_import(request.user))
    filename = _("Consent tally template %(day)s.xlsx") % {"day": clock.today().strftime("%Y%m%d")}
    return download(importing.build_template(request.user), filename=filename)


consent_import, consent_preview, consent_confirm = ImportPages(
    importing.tallies,
    ConsentUploadForm,
    "clusters",
    "consent",
    done="exports:index",
    already=gettext_lazy("These consent tallies were already recorded."),
    problems=gettext_lazy("Nothing was saved: the workbook still has problems."),
    success=lambda plan: _("%(count)s consent batches were recorded.") % {"count": len(plan.rows)},
).views("consent/import/")
