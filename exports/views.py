"""The downloads page and the downloads themselves: whatever exporters the apps registered."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from clusters import importing as consent_importing
from clusters.models import Cluster
from lianchun.scoping import get_visible_or_404
from lianchun.scoping import require_local_place as _require_place
from reports import selectors as report_selectors
from reports.weeks import Week

from . import registry, selectors


def _download(filename: str, content_type: str, content: bytes) -> FileResponse:
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def recent_weeks(count: int = 12) -> list[Week]:
    """The completed weeks a compilation can be printed for, the latest first."""
    week = report_selectors.default_weeks()[1]
    weeks = []
    for _index in range(count):
        weeks.append(week)
        week = week.previous()
    return weeks


@login_required
def index(request):
    _require_place(request.user)
    clusters = (
        selectors.active_clusters(request.user)
        .select_related("township")
        .annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("township__code", "name")
    )
    first, last = report_selectors.default_weeks()
    return render(
        request,
        "exports/index.html",
        {
            "clusters": clusters,
            "workbooks": list(registry.exporters(registry.XLSX, listed_only=True)),
            "place": selectors.scope_title(request.user),
            "weeks": recent_weeks(),
            "default_first": first,
            "default_last": last,
            "can_import_consent": consent_importing.can_import(request.user),
        },
    )


def _render(request, identifier: str, data=None) -> FileResponse:
    _require_place(request.user)
    exporter = registry.get(identifier)
    if exporter is None:
        raise Http404(_("No such workbook."))
    form_data = exporter.form_data(request.user, request.GET if data is None else data)
    return _download(*exporter.render(request.user, form_data))


@login_required
def workbook(request, topic: str):
    exporter = registry.get(topic)
    if exporter is None or exporter.kind != registry.XLSX:
        raise Http404(_("No such workbook."))
    return _render(request, topic)


@login_required
def county_summary_pdf(request):
    return _render(request, "county-summary")


@login_required
def cluster_profile_pdf(request, pk: int):
    get_visible_or_404(Cluster, request.user, pk=pk)  # out of reach answers 404 before the role is checked
    return _render(request, "cluster-profile", {"cluster": pk})


@login_required
def weekly_compilation_pdf(request):
    return _render(request, "weekly-compilation")
