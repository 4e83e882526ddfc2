from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from clusters.models import Cluster
from lianchun.editing import VERSION_FIELD, EditConflict, add_errors, version_token, with_version
from lianchun.listing import paginate
from lianchun.routing import route
from lianchun.scoping import get_visible_or_404, oversees_counties, require
from lianchun.unsaved import restore
from lianchun.views import TransitionView
from villages.region_views import counties_first

from . import chart, completeness, selectors, services
from .forms import WeeklyReportForm
from .models import AWAITING_ANSWER_STATES, CONTENT_FIELDS, WeeklyReport
from .weeks import Week, current_week, parse_week, parse_week_range, reporting_week
from .workflows import FLOW

# Text POSTed after the session expired, kept until the writer logs in again: {path: {field: value}}.
MAX_GRID_WEEKS = 26


def _week_nav(week: Week, *, last: Week | None = None) -> dict:
    """The neighbours `includes/week_nav.html` links to; no next week after `last`."""
    return {"previous_week": week.previous(), "next_week": week.next() if last is None or week < last else None}


def _report_queryset():
    return WeeklyReport.objects.select_related("cluster__township", "updated_by", "submitted_by")


@route("")
def report_list(request):
    """本周待填报: the township's clusters for a week, each with its report's state."""
    require(request.user.is_township_cadre)
    default = reporting_week()
    week = parse_week(request.GET.get("week"), default)
    # Earlier weeks still owed (drafts and missing reports), so a late report can still be filed: the same
    # reports, over the same span, as the 工作台's 缺报.
    owed = [
        {"cluster": row.cluster, "week": row.week, "status": row.status}
        for row in reversed(selectors.weeks_owed(request.user))
    ]
    return render(
        request,
        "reports/weeklyreport_list.html",
        {
            "week": week,
            "current": current_week(),
            "default_week": default,
            **_week_nav(week, last=current_week()),
            "rows": selectors.week_rows(request.user, week),
            "returned": list(selectors.returned_reports(request.user)),
            "owed": owed,
            "owed_weeks": selectors.OWED_WEEKS,
        },
    )


def _report_form(data=None, *, initial=None, token: str = "") -> WeeklyReportForm:
    """The report form with the version token it was opened at (empty for a new report)."""
    form = WeeklyReportForm(data, initial=initial)
    return with_version(form, data.get(VERSION_FIELD, "") if data is not None else token)


@route("clusters/<int:cluster_pk>/<str:week>/")
def report_write(request, cluster_pk: int, week: str):
    """Write (create or continue) a cluster's report for a week; text typed as the session ran out comes back."""
    week_obj = parse_week(week)
    if week_obj is None:
        raise Http404(_("No such week."))
    cluster = get_visible_or_404(Cluster.objects.select_related("township"), request.user, pk=cluster_pk)
    require(services.can_write(request.user, cluster))
    report = _report_queryset().filter(cluster=cluster, iso_year=week_obj.year, iso_week=week_obj.number).first()
    if report is None and (week_obj > current_week() or not services.expects_report(cluster, week_obj)):
        # The cluster owes no report for this week (not yet established, dissolved, or a future week).
        raise Http404(_("No such week."))
    theirs = None
    if request.method == "POST":
        form = _report_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            content = {name: data[name] for name in CONTENT_FIELDS}
            try:
                saved = services.save_weekly_report(
                    cluster=cluster, week=week_obj, by=request.user, expected_version=data[VERSION_FIELD], **content
                )
                # A returned report sent back unchanged goes to the confirm page, which says so, instead.
                confirm_first = "submit" in request.POST and saved.is_unchanged_since_return()
                if "submit" in request.POST and not confirm_first:
                    services.submit_weekly_report(report=saved, by=request.user, expected_version=saved.version)
            except EditConflict as conflict:
                # Nothing was saved: the text stays in the form, what the other person saved beside it.
                theirs = conflict.current
                form.add_error(None, conflict)
                with_version(form, version_token(theirs))
            except ValidationError as error:
                # A refused submission comes after the draft was saved: carry on from the saved version.
                report = (
                    _report_queryset().filter(cluster=cluster, iso_year=week_obj.year, iso_week=week_obj.number).first()
                )
                add_errors(form, error)
                with_version(form, version_token(report) if report else "")
            else:
                if confirm_first:
                    return redirect("reports:report-submit", pk=saved.pk)
                if "submit" in request.POST:
                    messages.success(request, _("The report was submitted to the county."))
                    return redirect(saved)
                messages.success(request, _("The draft was saved."))
                return redirect("reports:report-write", cluster_pk=cluster.pk, week=week_obj.key)
    else:
        if report is not None and not report.is_editable:
            return redirect(report)
        if report is not None:
            form = _report_form(initial=report.content(), token=version_token(report))
        else:
            form = _report_form(initial={"progress": services.previous_plan(cluster, week_obj)})
        restore(request, form)
    return render(
        request,
        "reports/weeklyreport_form.html",
        {
            "cluster": cluster,
            "week": week_obj,
            "report": report,
            "form": form,
            "theirs": theirs,
            "latest": report.submissions.order_by("-number").select_related("responded_by").first() if report else None,
            "offers_previous_plan": report is None and bool(form.initial.get("progress")),
        },
    )


@route("<int:pk>/")
def report_detail(request, pk: int):
    report = get_visible_or_404(_report_queryset(), request.user, pk=pk)
    submissions = list(report.submissions.select_related("submitted_by", "responded_by").order_by("-number"))
    return render(
        request,
        "reports/weeklyreport_detail.html",
        {
            "report": report,
            "submissions": submissions,
            "can_write": services.can_write(request.user, report.cluster) and report.is_editable,
            "version_field": VERSION_FIELD,
            "version": version_token(report),
        },
    )


def _report_on_the_page(report: WeeklyReport, request) -> dict:
    """The text the step is about: the version the county reads when it waits for an answer, else the draft; a
    returned report's resubmission also shows the county's reason, and says so when nothing was changed since."""
    latest = report.submissions.order_by("-number").first() if report.is_awaiting_answer or report.is_returned else None
    if report.is_returned:
        return {"report": report, "returned": latest, "unchanged_since_return": report.is_unchanged_since_return()}
    return {"report": report, "latest": latest}


class ReportTransitionView(TransitionView):
    """Submit, answer, return: the shared transition view; answers and returns go back to the inbox."""

    flow = FLOW
    queryset = _report_queryset()
    template_name = "reports/weeklyreport_transition.html"
    extra_context = staticmethod(_report_on_the_page)
    done_url: str | None = None

    def post(self, request, pk: int):
        response = super().post(request, pk)
        if self.done_url and response.status_code == 302:
            return redirect(self.done_url)
        return response


report_submit = route("<int:pk>/submit/", name="report-submit")(
    ReportTransitionView.as_view(transition="submit", initial=lambda report: {VERSION_FIELD: version_token(report)})
)
report_answer = route("<int:pk>/answer/", name="report-answer")(
    ReportTransitionView.as_view(transition="answer", done_url="reports:inbox")
)
report_return = route("<int:pk>/return/", name="report-return")(
    ReportTransitionView.as_view(transition="return", done_url="reports:inbox")
)


@route("<int:pk>/versions/<int:number>/")
def report_version(request, pk: int, number: int):
    report = get_visible_or_404(_report_queryset(), request.user, pk=pk)
    submission = get_object_or_404(report.submissions.select_related("submitted_by", "responded_by"), number=number)
    return render(request, "reports/reportsubmission_detail.html", {"report": report, "submission": submission})


@route("inbox/")
def inbox(request):
    """The county office's inbox: reports waiting for an answer, or every report one week brought.

    A city or province office reads it for the counties beneath it (the answer is the county's).
    The count is SQL's; the rows are one page.
    """
    require(request.user.is_county_office or request.user.is_region_role)
    week = None
    if request.GET.get("week"):
        week = parse_week(request.GET.get("week"), reporting_week())
        reports = selectors.submitted_in(request.user, week)
        waiting = reports.filter(state__in=AWAITING_ANSWER_STATES).count()
    else:
        reports = selectors.awaiting_answer(request.user)
        waiting = None
    context = {"week": week, **paginate(request, reports)}
    context["waiting"] = context["page_obj"].paginator.count if waiting is None else waiting
    if week is not None:
        context.update(_week_nav(week, last=current_week()))
    return render(request, "reports/inbox.html", context)


@route("completeness/", name="completeness")
@counties_first("completeness", allowed=oversees_counties)
def completeness_week(request):
    """For one week: expected, arrived, on time, and which townships and clusters are missing."""
    week = parse_week(request.GET.get("week"), current_week().previous())
    data = selectors.completeness_for(request.user, week, week)
    names = {township.pk: township for township in data.townships}
    outstanding = [
        {"cluster": data.clusters[span.id], "township": names[span.township_id], "status": status}
        for span, _week, status in data.grid.statuses
        if status in {completeness.MISSING, completeness.DRAFT, completeness.NOT_DUE}
    ]
    rows = [
        {"township": township, "tally": data.grid.by_township[township.pk]}
        for township in data.townships
        if data.grid.by_township[township.pk].expected
    ]
    return render(
        request,
        "reports/completeness_week.html",
        {
            "week": week,
            **_week_nav(week),
            "total": data.grid.total,
            "rows": rows,
            "outstanding": outstanding,
            "missing_townships": [row["township"] for row in rows if row["tally"].outstanding],
        },
    )


@route("completeness/grid/")
@counties_first("completeness", allowed=oversees_counties)
def completeness_grid(request):
    """A township × week grid over a range of weeks, with rates per township and per week and a chart."""
    asked = parse_week_range(
        request.GET.get("first"),
        request.GET.get("last"),
        default_last=selectors.default_weeks()[1],
        default_length=selectors.DEFAULT_WEEKS,
        max_length=MAX_GRID_WEEKS,
    )
    first, last, weeks = asked.first, asked.last, asked.weeks
    if asked.trimmed:
        messages.info(request, _("At most %(count)s weeks are shown at once.") % {"count": MAX_GRID_WEEKS})
    data = selectors.completeness_for(request.user, first, last)
    rows = [
        {
            "township": township,
            "cells": [{"week": week, "tally": data.grid.cell(township.pk, week)} for week in weeks],
            "tally": data.grid.by_township[township.pk],
        }
        for township in data.townships
    ]
    columns = [{"week": week, "tally": data.grid.by_week[week]} for week in weeks]
    return render(
        request,
        "reports/completeness_grid.html",
        {
            "first": first,
            "last": last,
            "weeks": weeks,
            "rows": rows,
            "columns": columns,
            "total": data.grid.total,
            "chart": chart.rate_chart(columns),
            "week_url": reverse("reports:completeness"),
        },
    )
