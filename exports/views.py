"""The downloads page and the downloads themselves: whatever exporters the apps registered."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clusters import importing as consent_importing
from clusters.models import Cluster
from clusters.selectors import active_member_count
from lianchun import listing
from lianchun.downloads import download
from lianchun.routing import route
from lianchun.scoping import get_visible_or_404
from lianchun.scoping import require_place as _require_place
from reports import selectors as report_selectors
from reports.weeks import Week

from . import jobs, registry, selectors
from .models import JobStatus

# How many of the user's background downloads the downloads page lists (the latest first).
JOBS_LISTED = 10


def recent_weeks(count: int = 12) -> list[Week]:
    """The completed weeks a compilation can be printed for, the latest first."""
    week = report_selectors.default_weeks()[1]
    weeks = []
    for _index in range(count):
        weeks.append(week)
        week = week.previous()
    return weeks


@route("")
def index(request):
    _require_place(request.user)
    clusters = (
        selectors.active_clusters(request.user)
        .select_related("township")
        .annotate(member_count=active_member_count())
        .order_by("township__code", "name")
    )
    first, last = report_selectors.default_weeks()
    from assessments.exporters import circulars_for, periods_for

    return render(
        request,
        "exports/index.html",
        {
            # One page of the cluster profiles: a province holds thousands of clusters.
            **listing.paginate(request, clusters),
            "circulars": list(circulars_for(request.user).order_by("-year", "-serial")[:12]),
            "periods": list(periods_for(request.user).exclude(status="open")[:12]),
            "workbooks": list(registry.exporters(registry.XLSX, listed_only=True)),
            "place": selectors.scope_title(request.user),
            "workbooks_purpose": selectors.workbooks_purpose(request.user),
            "summaries_purpose": selectors.summaries_purpose(request.user),
            "weeks": recent_weeks(),
            "default_first": first,
            "default_last": last,
            "can_import_consent": consent_importing.can_import(request.user),
            "jobs": list(jobs.jobs_of(request.user)[:JOBS_LISTED]),
        },
    )


def _render(request, identifier: str, data=None):
    """The file now when it is small; when it is large, a page offering to have a worker make it (GET),
    and the request for that (POST: the job is queued and the user comes back to the downloads page)."""
    _require_place(request.user)
    exporter = registry.get(identifier)
    if exporter is None:
        raise Http404(_("No such workbook."))
    if request.method == "POST":
        return _queue(request, exporter, {**request.POST.dict(), **(data or {})})
    form_data = exporter.form_data(request.user, request.GET if data is None else data)
    if jobs.wants_background(exporter, request.user, form_data):
        return render(
            request,
            "exports/job_confirm.html",
            {"exporter": exporter, "parameters": sorted(request.GET.dict().items()), "action": request.path},
        )
    filename, content_type, content = exporter.render(request.user, form_data)
    return download(content, filename=filename, content_type=content_type)


def _queue(request, exporter, parameters: dict):
    parameters.pop("csrfmiddlewaretoken", None)
    try:
        job = jobs.request_export(exporter=exporter, parameters=parameters, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(reverse("exports:index") + "#jobs")
    messages.success(
        request,
        _("%(title)s is being made in the background; you will be told when it is ready.") % {"title": job.title},
    )
    return redirect(reverse("exports:index") + f"#job-{job.pk}")


@route("workbooks/<slug:topic>.xlsx")
def workbook(request, topic: str):
    exporter = registry.get(topic)
    if exporter is None or exporter.kind != registry.XLSX:
        raise Http404(_("No such workbook."))
    return _render(request, topic)


@route("county-summary.pdf")
def county_summary_pdf(request):
    return _render(request, "county-summary")


@route("clusters/<int:pk>/profile.pdf")
def cluster_profile_pdf(request, pk: int):
    get_visible_or_404(Cluster, request.user, pk=pk)  # out of reach answers 404 before the role is checked
    return _render(request, "cluster-profile", {"cluster": pk})


@route("weekly-compilation.pdf")
def weekly_compilation_pdf(request):
    return _render(request, "weekly-compilation")


@route("jobs/status.json")
@require_GET
def job_status(request):
    """The user's background downloads as JSON, for the downloads page's progress display."""
    _require_place(request.user)
    rows = jobs.jobs_of(request.user).values("pk", "status", "progress")[:JOBS_LISTED]
    return JsonResponse(
        {
            "jobs": [
                {
                    "id": row["pk"],
                    "status": row["status"],
                    "label": str(JobStatus(row["status"]).label),
                    "progress": row["progress"],
                }
                for row in rows
            ]
        }
    )


@route("jobs/<int:pk>/download/")
@require_GET
def job_download(request, pk: int):
    """A finished background download, to the user who asked for it only (anyone else: 404)."""
    job = jobs.jobs_of(request.user).filter(pk=pk).first()
    if job is None or not job.is_ready:
        raise Http404(_("No such file."))
    return download(job.file.open("rb"), filename=job.filename, content_type=job.content_type)
