from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters.models import Cluster
from lianchun import clock
from lianchun.scoping import get_visible_or_404, require
from lianchun.scoping import require_place as _require_place
from lianchun.uploads import check_xlsx_upload
from reports.weeks import Week, reporting_week, weeks_between

from . import compilation, consent_import, more_sheets, selectors, workbooks
from .forms import ConsentUploadForm
from .models import ConsentUpload
from .pdf import render_pdf
from .xlsx import XLSX_CONTENT_TYPE

PDF_CONTENT_TYPE = "application/pdf"


def _download(content: bytes, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def _stamp() -> str:
    return clock.today().strftime("%Y%m%d")


@login_required
def index(request):
    _require_place(request.user)
    clusters = (
        selectors.active_clusters(request.user)
        .select_related("township")
        .annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("township__code", "name")
    )
    topics = [(slug, label) for slug, (label, _sheets) in workbooks.TOPICS.items()]
    return render(
        request,
        "exports/index.html",
        {
            "clusters": clusters,
            "topics": topics,
            "place": selectors.scope_title(request.user),
            "weeks": recent_weeks(),
            "can_import_consent": consent_import.can_import(request.user),
        },
    )


def recent_weeks(count: int = 12) -> list[Week]:
    week = reporting_week()
    weeks = []
    for _index in range(count):
        weeks.append(week)
        week = week.previous()
    return weeks


def _week_range(request) -> tuple[Week, Week] | None:
    """?first=2026-W40&last=2026-W47; None (the last eight weeks) when absent, malformed or over a year long."""
    try:
        first, last = Week.parse(request.GET.get("first", "")), Week.parse(request.GET.get("last", ""))
    except ValueError:
        return None
    if last < first or len(weeks_between(first, last)) > 53:
        return None
    return first, last


def _week_from(request) -> Week:
    try:
        return Week.parse(request.GET.get("week", ""))
    except ValueError:
        return reporting_week()


@login_required
def workbook(request, topic: str):
    _require_place(request.user)
    if topic not in workbooks.TOPICS:
        raise Http404(_("No such workbook."))
    label = workbooks.TOPICS[topic][0]
    content = workbooks.build_workbook(topic, request.user, weeks=_week_range(request))
    filename = f"{selectors.scope_title(request.user)}{label}{_stamp()}.xlsx"
    return _download(content, filename, XLSX_CONTENT_TYPE)


@login_required
def county_summary_pdf(request):
    _require_place(request.user)
    summary = selectors.county_summary(request.user)
    context = {"summary": summary, "show_clusters": True, "extra_figures": more_sheets.extra_figures(request.user)}
    content = render_pdf("exports/county_summary_pdf.html", context)
    filename = _("%(place)s village cluster summary %(day)s.pdf") % {"place": summary.place, "day": _stamp()}
    return _download(content, filename, PDF_CONTENT_TYPE)


@login_required
def cluster_profile_pdf(request, pk: int):
    cluster = get_visible_or_404(
        Cluster.objects.select_related("township__county", "lead_village", "partner_unit"), request.user, pk=pk
    )
    _require_place(request.user)
    profile = selectors.cluster_profile(request.user, cluster)
    weekly = compilation.latest_reports(request.user, cluster)
    content = render_pdf("exports/cluster_profile_pdf.html", {"profile": profile, "weekly_reports": weekly})
    filename = _("%(cluster)s profile %(day)s.pdf") % {"cluster": cluster.name, "day": _stamp()}
    return _download(content, filename, PDF_CONTENT_TYPE)


@login_required
def weekly_compilation_pdf(request):
    _require_place(request.user)
    week = _week_from(request)
    content = compilation.render(compilation.weekly_compilation(request.user, week))
    filename = _("Weekly reports %(week)s.pdf") % {"week": week.key}
    return _download(content, filename, PDF_CONTENT_TYPE)


@login_required
def consent_template(request):
    require(consent_import.can_import(request.user))
    filename = _("Consent tally template %(day)s.xlsx") % {"day": _stamp()}
    return _download(consent_import.build_template(request.user), filename, XLSX_CONTENT_TYPE)


@login_required
def consent_import_upload(request):
    require(consent_import.can_import(request.user))
    form = ConsentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            content = check_xlsx_upload(uploaded)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            upload = ConsentUpload.objects.create(
                uploaded_by=request.user,
                township_id=request.user.township_id,
                file_name=uploaded.name[:200],
                content=content,
            )
            return redirect("exports:consent-preview", pk=upload.pk)
    return render(request, "exports/consent_import.html", {"form": form})


def _get_upload(request, pk: int) -> ConsentUpload:
    upload = get_visible_or_404(ConsentUpload, request.user, pk=pk, applied_at__isnull=True)
    require(upload.uploaded_by_id == request.user.pk and consent_import.can_import(request.user))
    return upload


@login_required
def consent_preview(request, pk: int):
    upload = _get_upload(request, pk)
    plan = consent_import.plan_import(bytes(upload.content), user=request.user)
    return render(request, "exports/consent_preview.html", {"upload": upload, "plan": plan})


@login_required
@require_POST
def consent_confirm(request, pk: int):
    upload = _get_upload(request, pk)
    plan = consent_import.apply_import(bytes(upload.content), user=request.user, file_name=upload.file_name)
    if not plan.is_valid:
        messages.error(request, _("Nothing was saved: the workbook still has problems."))
        return redirect("exports:consent-preview", pk=upload.pk)
    upload.applied_at = clock.now()
    upload.save(update_fields=["applied_at"])
    messages.success(request, _("%(count)s consent batches were recorded.") % {"count": len(plan.rows)})
    return redirect("exports:index")
