from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from clusters import importing as consent_importing
from clusters.models import Cluster
from lianchun import clock
from lianchun.scoping import get_visible_or_404
from lianchun.scoping import require_place as _require_place
from reports.weeks import Week, reporting_week, weeks_between

from . import compilation, more_sheets, selectors, workbooks
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
            "can_import_consent": consent_importing.can_import(request.user),
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
