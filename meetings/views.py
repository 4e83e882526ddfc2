from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clusters.models import Cluster
from clusters.models import Status as ClusterStatus
from lianchun import clock
from lianchun.scoping import get_visible_or_404, require
from lianchun.scoping import require_place as _require_place
from villages.models import Township, Village

from . import selectors, services
from .forms import (
    AttendanceForm,
    DecisionForm,
    DecisionStepForm,
    IssueFilterForm,
    IssueForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesForm,
    OutcomeForm,
    VoidForm,
)
from .models import Decision, DecisionStep, Meeting, MeetingIssue


def add_domain_error(form, error: ValidationError) -> None:
    """Put a service's refusal on the field it names, or on the form when the form has no such field."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _meeting(request, pk: int) -> Meeting:
    return get_visible_or_404(
        Meeting.objects.select_related("township", "village", "county", "cluster"), request.user, pk=pk
    )


def _issue(request, pk: int) -> MeetingIssue:
    return get_visible_or_404(
        MeetingIssue.objects.select_related("meeting__township", "meeting__county", "township", "village"),
        request.user,
        pk=pk,
    )


def _decision(request, pk: int) -> Decision:
    return get_visible_or_404(Decision.objects.select_related("village__township"), request.user, pk=pk)


# ---------------------------------------------------------------- meetings


@login_required
def meeting_list(request):
    _require_place(request.user)
    form = MeetingFilterForm(request.GET or None)
    meetings = selectors.meetings_for(request.user)
    if form.is_valid() and form.cleaned_data["kind"]:
        meetings = meetings.filter(kind=form.cleaned_data["kind"])
    page = Paginator(meetings.order_by("-starts_at", "-pk"), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "can_schedule": bool(services.kinds_for(request.user)),
            "tab": "meetings",
        },
    )


@login_required
def meeting_create(request):
    kinds = services.kinds_for(request.user)
    require(bool(kinds))
    user = request.user
    villages = (
        Village.objects.visible_to(user).filter(voided_at__isnull=True).order_by("code")
        if user.is_township_cadre
        else None
    )
    townships = Township.objects.visible_to(user).order_by("code") if user.is_county_office else None
    clusters = (
        Cluster.objects.visible_to(user).exclude(status=ClusterStatus.DISSOLVED).order_by("name")
        if user.is_township_cadre
        else None
    )
    initial = {"kind": request.GET.get("kind", "")}
    if townships is not None:
        initial["townships"] = list(townships)
    form = MeetingForm(
        request.POST or None, kinds=kinds, villages=villages, townships=townships, clusters=clusters, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["townships"] = list(data.pop("townships", []) or [])
        try:
            meeting = services.schedule_meeting(by=user, **data)
        except ValidationError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The meeting was scheduled and its notice recorded."))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "tab": "meetings"})


@login_required
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    can_manage = services.can_manage_meeting(request.user, meeting) and not meeting.is_voided
    villages = Village.objects.filter(township__in=meeting.invited_townships.all(), voided_at__isnull=True)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "attendances": list(meeting.attendances.all()),
            "issues": list(
                MeetingIssue.objects.visible_to(request.user)
                .filter(meeting=meeting, voided_at__isnull=True)
                .select_related("village")
            ),
            "invited": list(meeting.invited_townships.order_by("code")),
            "can_manage": can_manage,
            "attendance_form": AttendanceForm(),
            "issue_form": IssueForm(villages=villages.order_by("code")),
            "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
            "tab": "meetings",
        },
    )


@login_required
def meeting_notice(request, pk: int):
    meeting = _meeting(request, pk)
    return render(
        request,
        "meetings/meeting_notice.html",
        {"meeting": meeting, "invited": list(meeting.invited_townships.order_by("code"))},
    )


@login_required
def attendance_add(request, pk: int):
    meeting = _meeting(request, pk)
    require(services.can_manage_meeting(request.user, meeting))
    form = AttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attendance = services.add_attendance(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s recorded as %(status)s.")
                % {"name": attendance.name, "status": attendance.get_status_display()},
            )
            return redirect(f"{meeting.get_absolute_url()}#attendance")
    return render(request, "meetings/attendance_form.html", {"meeting": meeting, "form": form, "tab": "meetings"})


@login_required
def meeting_minutes(request, pk: int):
    meeting = _meeting(request, pk)
    require(services.can_manage_meeting(request.user, meeting))
    form = MinutesForm(request.POST or None, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_minutes(meeting=meeting, by=request.user, minutes=form.cleaned_data["minutes"])
        except ValidationError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The minutes were saved."))
            return redirect(f"{meeting.get_absolute_url()}#minutes")
    return render(request, "meetings/minutes_form.html", {"meeting": meeting, "form": form, "tab": "meetings"})


@login_required
def meeting_void(request, pk: int):
    """GET asks for the reason; POST voids the meeting record (kept, marked, never deleted)."""
    meeting = _meeting(request, pk)
    require(services.can_manage_meeting(request.user, meeting))
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.void_meeting(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The meeting record was voided."))
            return redirect(meeting)
    return render(request, "meetings/meeting_void.html", {"meeting": meeting, "form": form, "tab": "meetings"})


# ---------------------------------------------------------------- raised issues


@login_required
def issue_create(request, pk: int):
    meeting = _meeting(request, pk)
    require(services.can_manage_meeting(request.user, meeting))
    villages = Village.objects.filter(township__in=meeting.invited_townships.all(), voided_at__isnull=True).order_by(
        "code"
    )
    form = IssueForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.raise_issue(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("The issue was recorded; it is due by %(date)s.") % {"date": issue.due_date.isoformat()}
            )
            return redirect(f"{meeting.get_absolute_url()}#issues")
    return render(request, "meetings/issue_form.html", {"meeting": meeting, "form": form, "tab": "issues"})


@login_required
def issue_list(request):
    _require_place(request.user)
    user = request.user
    issues = selectors.issues_for(user)
    form = None
    if user.is_county_role:
        form = IssueFilterForm(request.GET or None, townships=Township.objects.visible_to(user).order_by("code"))
        if form.is_valid() and form.cleaned_data["township"]:
            issues = issues.filter(township=form.cleaned_data["township"])
    today = clock.today()
    open_issues = list(issues.open().order_by("due_date", "pk")[:200])
    unpublished = list(issues.unpublished().order_by("outcome_on", "pk")[:200])
    return render(
        request,
        "meetings/issue_list.html",
        {
            "form": form,
            "open_issues": open_issues,
            "overdue_count": sum(1 for issue in open_issues if issue.due_date < today),
            "unpublished": unpublished,
            "show_township": user.is_county_role,
            "tab": "issues",
        },
    )


@login_required
def issue_detail(request, pk: int):
    issue = _issue(request, pk)
    return render(
        request,
        "meetings/issue_detail.html",
        {
            "issue": issue,
            "can_manage": services.can_manage_issue(request.user, issue) and not issue.is_voided,
            "tab": "issues",
        },
    )


@login_required
def issue_outcome(request, pk: int):
    issue = _issue(request, pk)
    require(services.can_manage_issue(request.user, issue))
    form = OutcomeForm(request.POST or None, initial={"outcome_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outcome(issue=issue, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The outcome was recorded. Remember to publish it."))
            return redirect(issue)
    return render(request, "meetings/issue_outcome.html", {"issue": issue, "form": form, "tab": "issues"})


@login_required
def issue_publish(request, pk: int):
    """GET asks for confirmation; POST publishes (publication cannot be taken back)."""
    issue = _issue(request, pk)
    require(services.can_manage_issue(request.user, issue))
    if request.method == "POST":
        try:
            services.publish_outcome(issue=issue, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The outcome is published."))
        return redirect(issue)
    return render(request, "meetings/issue_publish.html", {"issue": issue, "tab": "issues"})


# ---------------------------------------------------------------- rhythm and calendar


@login_required
def meeting_rhythm(request):
    _require_place(request.user)
    months = selectors.recent_months(3)
    user = request.user
    return render(
        request,
        "meetings/meeting_rhythm.html",
        {
            "dispatch": selectors.dispatch_rhythm(user),
            "months": [datetime.date(year, month, 1) for year, month in months],
            "exchange_rows": selectors.exchange_rhythm(user, months),
            "township_rows": selectors.township_rhythm(user, months),
            "tab": "rhythm",
        },
    )


def _parse_month(value: str | None) -> tuple[int, int]:
    today = clock.today()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        datetime.date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError
    except (ValueError, TypeError):
        return today.year, today.month
    return year, month


@login_required
def meeting_calendar(request):
    _require_place(request.user)
    year, month = _parse_month(request.GET.get("month"))
    first = datetime.date(year, month, 1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "meetings/meeting_calendar.html",
        {
            "weeks": selectors.month_calendar(request.user, year, month),
            "first": first,
            "previous": previous,
            "following": following,
            "tab": "calendar",
        },
    )


# ---------------------------------------------------------------- 四议两公开 decisions


@login_required
def decision_list(request):
    _require_place(request.user)
    decisions = selectors.decisions_for(request.user)
    status = request.GET.get("status", "")
    if status in Decision.Status.values:
        decisions = decisions.filter(status=status)
    page = Paginator(decisions.order_by("-created_at", "-pk"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/decision_list.html",
        {
            "page_obj": page,
            "query": f"status={status}" if status in Decision.Status.values else "",
            "status": status,
            "statuses": Decision.Status.choices,
            "steps": list(DecisionStep),
            "can_start": request.user.is_township_cadre,
            "show_township": request.user.is_county_role,
        },
    )


@login_required
def decision_create(request):
    require(request.user.is_township_cadre)
    villages = Village.objects.visible_to(request.user).filter(voided_at__isnull=True).order_by("code")
    form = DecisionForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.start_decision(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("The matter was entered; record its first step when the party branch proposes it.")
            )
            return redirect(decision)
    return render(request, "meetings/decision_form.html", {"form": form})


@login_required
def decision_detail(request, pk: int):
    decision = _decision(request, pk)
    records = {record.step: record for record in decision.records.all()}
    steps = [{"step": step, "record": records.get(step.value)} for step in DecisionStep]
    return render(
        request,
        "meetings/decision_detail.html",
        {
            "decision": decision,
            "steps": steps,
            "can_record": services.can_keep_decisions(request.user, decision.village)
            and decision.next_step is not None
            and not decision.is_voided,
        },
    )


@login_required
def decision_step(request, pk: int):
    decision = _decision(request, pk)
    require(services.can_keep_decisions(request.user, decision.village))
    next_step = decision.next_step
    form = DecisionStepForm(
        request.POST or None, initial={"step": next_step.value if next_step else "", "held_on": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decision_step(decision=decision, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The step was recorded."))
            return redirect(decision)
    return render(
        request,
        "meetings/decision_step.html",
        {"decision": decision, "form": form, "next_step": next_step},
    )
