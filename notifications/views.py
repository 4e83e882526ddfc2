from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lianchun import clock
from lianchun.params import int_param
from lianchun.routing import route
from lianchun.scoping import get_visible_or_404, oversees_counties, require, require_place
from reports.models import ReportSubmission
from reports.selectors import completeness_for
from reports.weeks import Week, current_week, reporting_week
from villages.region_views import counties_first

from . import selectors, services
from .models import ReportChase


@route("")
def notification_list(request):
    page = Paginator(selectors.for_user(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page_obj": page})


@route("open/")
@require_POST
def notification_open(request):
    """Open one of the user's own notifications: mark it read and go to what it is about."""
    # The id comes from a hidden field: anything but a database id (a hand-made post) opens nothing.
    notification = services.open_notification(user=request.user, pk=int_param(request.POST.get("pk")) or 0)
    target = notification.url if notification is not None else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:notification-list")


@route("read-all/")
@require_POST
def notification_read_all(request):
    services.read_all(user=request.user)
    return redirect("notifications:notification-list")


def _week_from(request) -> Week:
    try:
        week = Week.parse(request.GET.get("week") or request.POST.get("week") or "")
    except ValueError:
        return reporting_week()
    return min(week, current_week())


@route("reporting/")
@counties_first("completeness", allowed=oversees_counties)
def reporting(request):
    """This week's reporting by township (reported, on time, missing), with the office's 催报."""
    week = _week_from(request)
    data = completeness_for(request.user, week, week)
    chases = list(
        ReportChase.objects.visible_to(request.user)
        .filter(iso_year=week.year, iso_week=week.number)
        .select_related("created_by")
        .prefetch_related("townships")[:10]
    )
    rows = [{"township": t, "tally": data.grid.by_township[t.pk]} for t in data.townships]
    outstanding = [row for row in rows if row["tally"].outstanding]
    return render(
        request,
        "notifications/reporting.html",
        {
            "week": week,
            "rows": rows,
            "total": data.grid.total,
            "outstanding": outstanding,
            "chases": chases,
            "previous_week": week.previous(),
            "next_week": week.next() if week < current_week() else None,
            "deadline_passed": clock.now() > week.deadline,
            "chase_form": ChaseForm(initial={"week": week.key}),
        },
    )


class ChaseForm(forms.Form):
    week = forms.CharField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=gettext_lazy("Message to the townships (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": gettext_lazy("e.g. Please submit before 17:00 today.")}
        ),
    )


@route("reporting/chase/")
@require_POST
def chase(request):
    require(request.user.is_county_office)
    week = _week_from(request)
    form = ChaseForm(request.POST)
    message = form.cleaned_data.get("message", "") if form.is_valid() else ""
    try:
        done = services.chase_missing_reports(week=week, by=request.user, message=message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Reminded %(count)s townships to submit the reports of %(week)s.")
            % {"count": done.townships.count(), "week": week.short_label},
        )
    return redirect(f"{reverse('notifications:reporting')}?week={week.key}")


@route("answers/")
def answers(request):
    """The county's answers: a township reads them (已阅); the county sees which townships have."""
    require_place(request.user)
    page = Paginator(selectors.answers_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/answers.html", {"page_obj": page})


@route("answers/<int:pk>/read/")
@require_POST
def answer_read(request, pk: int):
    submission = get_visible_or_404(ReportSubmission.objects.select_related("report__cluster"), request.user, pk=pk)
    require(request.user.is_township_cadre)
    try:
        services.mark_answer_read(submission=submission, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as read. The county office can see it."))
    return redirect("notifications:answers")
