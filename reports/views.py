from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusters.models import Cluster
from lianchun.scoping import get_visible_or_404, require

from . import chart, completeness, selectors, services
from .forms import AnswerForm, ReturnForm, WeeklyReportForm
from .models import CONTENT_FIELDS, WeeklyReport
from .weeks import Week, current_week, reporting_week, weeks_between

# Text POSTed after the session expired, kept until the writer logs in again: {path: {field: value}}.
UNSAVED_DRAFTS = "reports_unsaved_drafts"
MAX_GRID_WEEKS = 26
EARLIER_WEEKS = 12


def _week_from(value: str | None, default: Week) -> Week:
    if not value:
        return default
    try:
        return Week.parse(value)
    except ValueError:
        return default


def _report_queryset():
    return WeeklyReport.objects.select_related("cluster__township", "updated_by", "submitted_by")


@login_required
def report_list(request):
    """本周待填报: the township's clusters for a week, each with its report's state."""
    require(request.user.is_township_cadre)
    default = reporting_week()
    week = _week_from(request.GET.get("week"), default)
    # Earlier weeks still owed (drafts and missing reports), so a late report can still be filed.
    last = default.previous()
    earlier = selectors.completeness_for(
        request.user, Week.of(last.monday - datetime.timedelta(weeks=EARLIER_WEEKS - 1)), last
    )
    owed = sorted(
        (
            {"cluster": earlier.clusters[span.id], "week": owed_week, "status": status}
            for span, owed_week, status in earlier.grid.statuses
            if status in {completeness.MISSING, completeness.DRAFT}
        ),
        key=lambda item: (item["week"], item["cluster"].name),
        reverse=True,
    )
    return render(
        request,
        "reports/weeklyreport_list.html",
        {
            "week": week,
            "current": current_week(),
            "default_week": default,
            "previous_week": week.previous(),
            "next_week": week.next() if week < current_week() else None,
            "rows": selectors.week_rows(request.user, week),
            "returned": list(selectors.returned_reports(request.user)),
            "owed": owed,
        },
    )


def _stash_unsaved(request) -> None:
    drafts = request.session.get(UNSAVED_DRAFTS, {})
    drafts[request.path] = {name: request.POST.get(name, "")[:200_000] for name in [*CONTENT_FIELDS, "version"]}
    request.session[UNSAVED_DRAFTS] = dict(list(drafts.items())[-5:])


# Checks the login itself: a POST after the session expired keeps the typed text for after the login.
@login_not_required
def report_write(request, cluster_pk: int, week: str):
    """Write (create or continue) a cluster's report for a week; the session may have expired meanwhile."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            # The session expired while the cadre typed: keep the text so the form comes back filled after login.
            _stash_unsaved(request)
            messages.warning(request, _("Your session expired. Log in again: the report you typed is kept."))
        return redirect_to_login(request.get_full_path())
    try:
        week_obj = Week.parse(week)
    except ValueError:
        raise Http404(_("No such week.")) from None
    cluster = get_visible_or_404(Cluster.objects.select_related("township"), request.user, pk=cluster_pk)
    require(services.can_write(request.user, cluster))
    report = _report_queryset().filter(cluster=cluster, iso_year=week_obj.year, iso_week=week_obj.number).first()
    if report is None and (week_obj > current_week() or not services.expects_report(cluster, week_obj)):
        # The cluster owes no report for this week (not yet established, dissolved, or a future week).
        raise Http404(_("No such week."))
    theirs = None
    if request.method == "POST":
        form = WeeklyReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            content = {name: data[name] for name in CONTENT_FIELDS}
            try:
                saved = services.save_weekly_report(
                    cluster=cluster, week=week_obj, by=request.user, expected_version=data["version"], **content
                )
                if "submit" in request.POST:
                    services.submit_weekly_report(report=saved, by=request.user, expected_version=saved.version)
            except services.EditConflict as conflict:
                theirs = conflict.current
                data = request.POST.copy()
                data["version"] = str(theirs.version)
                form = WeeklyReportForm(data)
                form.is_valid()
                form.add_error(None, conflict)
            except ValidationError as error:
                # A refused submission comes after the draft was saved: carry on from the saved version.
                report = (
                    _report_queryset().filter(cluster=cluster, iso_year=week_obj.year, iso_week=week_obj.number).first()
                )
                data = request.POST.copy()
                data["version"] = str(report.version) if report else ""
                form = WeeklyReportForm(data)
                form.is_valid()
                form.add_error(None, error)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("The report was submitted to the county."))
                    return redirect(saved)
                messages.success(request, _("The draft was saved."))
                return redirect("reports:report-write", cluster_pk=cluster.pk, week=week_obj.key)
    else:
        if report is not None and not report.is_editable:
            return redirect(report)
        unsaved = request.session.get(UNSAVED_DRAFTS, {}).pop(request.path, None)
        if unsaved is not None:
            request.session.modified = True
            form = WeeklyReportForm(unsaved)
            form.is_valid()
            messages.info(
                request, _("The text you typed before your session expired is back. It is not saved yet: save it now.")
            )
        elif report is not None:
            form = WeeklyReportForm(initial={**report.content(), "version": report.version})
        else:
            form = WeeklyReportForm(initial={"progress": services.previous_plan(cluster, week_obj)})
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


@login_required
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
            "can_respond": services.can_respond(request.user, report) and report.is_awaiting_answer,
        },
    )


@login_required
@require_POST
def report_submit(request, pk: int):
    report = get_visible_or_404(_report_queryset(), request.user, pk=pk)
    require(services.can_write(request.user, report.cluster))
    try:
        version = int(request.POST.get("version") or report.version)
    except ValueError:
        version = -1
    try:
        services.submit_weekly_report(report=report, by=request.user, expected_version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report was submitted to the county."))
    return redirect(report)


def _respond(request, pk: int, *, form_class, service, template: str, done: str):
    report = get_visible_or_404(_report_queryset(), request.user, pk=pk)
    require(services.can_respond(request.user, report))
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(report, form.cleaned_data["text"], request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("reports:inbox")
    latest = report.submissions.order_by("-number").first()
    return render(request, template, {"report": report, "form": form, "latest": latest})


@login_required
def report_answer(request, pk: int):
    return _respond(
        request,
        pk,
        form_class=AnswerForm,
        service=lambda report, text, by: services.answer_weekly_report(report=report, answer=text, by=by),
        template="reports/weeklyreport_answer.html",
        done=_("The answer was sent to the township."),
    )


@login_required
def report_return(request, pk: int):
    return _respond(
        request,
        pk,
        form_class=ReturnForm,
        service=lambda report, text, by: services.return_weekly_report(report=report, reason=text, by=by),
        template="reports/weeklyreport_return.html",
        done=_("The report was returned to the township for revision."),
    )


@login_required
def report_version(request, pk: int, number: int):
    report = get_visible_or_404(_report_queryset(), request.user, pk=pk)
    submission = get_object_or_404(report.submissions.select_related("submitted_by", "responded_by"), number=number)
    return render(request, "reports/reportsubmission_detail.html", {"report": report, "submission": submission})


@login_required
def inbox(request):
    """The county office's inbox: reports waiting for an answer, or every report one week brought."""
    require(request.user.is_county_office)
    week = None
    if request.GET.get("week"):
        week = _week_from(request.GET.get("week"), reporting_week())
        reports = list(selectors.submitted_in(request.user, week))
    else:
        reports = list(selectors.awaiting_answer(request.user))
    context = {"reports": reports, "week": week, "waiting": sum(1 for report in reports if report.is_awaiting_answer)}
    if week is not None:
        context.update({"previous_week": week.previous(), "next_week": week.next() if week < current_week() else None})
    return render(request, "reports/inbox.html", context)


@login_required
def completeness_week(request):
    """For one week: expected, arrived, on time, and which townships and clusters are missing."""
    require(request.user.is_county_role)
    week = _week_from(request.GET.get("week"), current_week().previous())
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
            "previous_week": week.previous(),
            "next_week": week.next(),
            "total": data.grid.total,
            "rows": rows,
            "outstanding": outstanding,
            "missing_townships": [row["township"] for row in rows if row["tally"].outstanding],
        },
    )


@login_required
def completeness_grid(request):
    """A township × week grid over a range of weeks, with rates per township and per week and a chart."""
    require(request.user.is_county_role)
    last = _week_from(request.GET.get("last"), current_week().previous())
    first = _week_from(request.GET.get("first"), Week.of(last.monday - datetime.timedelta(weeks=11)))
    if first > last:
        first, last = last, first
    weeks = weeks_between(first, last)
    if len(weeks) > MAX_GRID_WEEKS:
        first = weeks[-MAX_GRID_WEEKS]
        weeks = weeks[-MAX_GRID_WEEKS:]
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
