"""Meetings pages. One way each: lists through `_list_page`, the forms about one meeting or issue through
`RecordForm`, other creations through `form_page` (`attempt`), steps of a life cycle through `TransitionView`."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters.models import Cluster
from clusters.models import Status as ClusterStatus
from lianchun import clock
from lianchun.editing import attempt, form_page, version_token, with_version
from lianchun.listing import list_page, paginate, townships_after_county
from lianchun.record_forms import RecordForm
from lianchun.routing import route
from lianchun.scoping import get_visible_or_404, require, require_place
from lianchun.views import TransitionView, record_page
from villages.models import Township, Village
from villages.region_views import counties_first

from . import selectors, services, tallies
from .filters import DecisionFilter, IssueFilter, MeetingFilter
from .forms import (
    AttendanceForm,
    DecisionForm,
    IssueEditForm,
    IssueForm,
    MeetingForm,
    MinutesForm,
    RollAddForm,
    RollMarkForm,
    VoidForm,
)
from .models import Attendance, Decision, DecisionStep, Meeting, MeetingIssue
from .workflows import DECISION_FLOW, ISSUE_FLOW, next_transition

PAGE_SIZE = 30


def _meeting(request, pk: int) -> Meeting:
    return get_visible_or_404(
        Meeting.objects.select_related("township", "village", "county", "cluster"), request.user, pk=pk
    )


ISSUES = MeetingIssue.objects.select_related("meeting__township", "meeting__county", "township", "village")


def _issue(request, pk: int) -> MeetingIssue:
    return get_visible_or_404(ISSUES, request.user, pk=pk)


def _managed_meeting(request, pk: int) -> Meeting:
    meeting = _meeting(request, pk)
    require(services.can_manage_meeting(request.user, meeting))
    return meeting


def _villages_of(meeting: Meeting):
    return Village.objects.filter(township__in=meeting.invited_townships.all(), voided_at__isnull=True).order_by("code")


def _list_page(request, **kwargs):
    """A filtered, paginated list of what the user may see."""
    require_place(request.user)
    return list_page(request, per_page=PAGE_SIZE, **kwargs)


# ---------------------------------------------------------------- meetings


@route("")
def meeting_list(request):
    return _list_page(
        request,
        template="meetings/meeting_list.html",
        filterset_class=MeetingFilter,
        queryset=selectors.meetings_for(request.user).order_by("-starts_at", "-pk"),
        context={"can_schedule": bool(services.kinds_for(request.user)), "tab": "meetings"},
        # A city or province reads its counties' meetings of five years: their number comes from the tallies.
        unfiltered_count=(lambda: tallies.live_meetings_of(request.user)) if request.user.is_region_role else None,
    )


@route("new/")
def meeting_create(request):
    user = request.user
    kinds = services.kinds_for(user)
    require(bool(kinds))
    cadre = user.is_township_cadre
    townships = Township.objects.visible_to(user).order_by("code") if user.is_county_office else None
    initial = {"kind": request.GET.get("kind", "")}
    if townships is not None:
        initial["townships"] = list(townships)
    form = MeetingForm(
        request.POST or None,
        kinds=kinds,
        villages=Village.objects.visible_to(user).filter(voided_at__isnull=True).order_by("code") if cadre else None,
        townships=townships,
        clusters=Cluster.objects.visible_to(user).exclude(status=ClusterStatus.DISSOLVED).order_by("name")
        if cadre
        else None,
        initial=initial,
    )
    return form_page(
        request,
        form=form,
        action=lambda data: services.schedule_meeting(
            by=user, **{**data, "townships": list(data.get("townships") or [])}
        ),
        template="meetings/meeting_form.html",
        success=_("The meeting was scheduled and its notice recorded."),
        context={"tab": "meetings"},
    )


@route("<int:pk>/")
@record_page(_meeting, "meetings/meeting_detail.html", "meeting")
def meeting_detail(request, meeting):
    return {
        "attendances": list(meeting.attendances.all()),
        "issues": list(
            MeetingIssue.objects.visible_to(request.user)
            .filter(meeting=meeting, voided_at__isnull=True)
            .select_related("village")
        ),
        "invited": list(meeting.invited_townships.order_by("code")),
        "roll": selectors.roll_of(meeting),
        "can_manage": services.can_manage_meeting(request.user, meeting) and not meeting.is_voided,
        "attendance_form": AttendanceForm(),
        "issue_form": IssueForm(villages=_villages_of(meeting)),
        "minutes_form": with_version(MinutesForm(initial={"minutes": meeting.minutes}), version_token(meeting)),
        "tab": "meetings",
    }


@route("<int:pk>/notice/")
@record_page(_meeting, "meetings/meeting_notice.html", "meeting")
def meeting_notice(request, meeting):
    return {"addressees": selectors.notice_addressees(meeting)}


def _roll_url(meeting: Meeting, line: int | None = None) -> str:
    url = reverse("meetings:attendance-roll", args=[meeting.pk])
    return f"{url}#person-{line}" if line else url


def _roll_page(request, meeting: Meeting, mark_form: RollMarkForm | None = None):
    roll = selectors.roll_of(meeting)
    return render(
        request,
        "meetings/attendance_roll.html",
        {
            "meeting": meeting,
            "roll": roll,
            "statuses": Attendance.Status.choices,
            "approver": request.POST.get("approver")
            if mark_form is not None
            else selectors.last_leave_approver(meeting),
            "mark_form": mark_form,
            "attendance_form": AttendanceForm(),
            "add_form": RollAddForm(),
            "tab": "meetings",
        },
    )


def _state_text(person: Attendance) -> str:
    """What the roll row says under the buttons (as templates/meetings/includes/roll_row.html does)."""
    if person.leave_approved_by:
        return f"{person.get_status_display()} · " + _("approved by %(who)s") % {"who": person.leave_approved_by}
    return person.get_status_display()


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@route("<int:pk>/roll/")
def attendance_roll(request, pk: int):
    """The roll: one tap per person (present, approved leave, absent), saved at once.

    The buttons are plain submit buttons of one form, so the page works without JavaScript;
    `meetings/roll.js` sends the same POST in the background and updates the row instead.
    """
    meeting = _managed_meeting(request, pk)
    if request.method != "POST":
        return _roll_page(request, meeting)
    form = RollMarkForm(request.POST)
    outcome = attempt(
        form,
        lambda data: services.mark_attendance(
            meeting=meeting,
            by=request.user,
            name=data["name"],
            status=data["status"],
            leave_approved_by=data["approver"],
        ),
    )
    if outcome.ok:
        person: Attendance = outcome.value
        message = _("%(name)s recorded as %(status)s.") % {"name": person.name, "status": person.get_status_display()}
        roll = selectors.roll_of(meeting)
        if _wants_json(request):
            return JsonResponse(
                {
                    "ok": True,
                    "message": message,
                    "name": person.name,
                    "status": person.status,
                    "label": person.get_status_display(),
                    "approver": person.leave_approved_by,
                    "state": _state_text(person),
                    "counts": {
                        "present": roll.present,
                        "late": roll.late,
                        "leave": roll.leave,
                        "absent": roll.absent,
                        "unmarked": roll.unmarked,
                    },
                }
            )
        messages.success(request, message)
        line = next((line.number for line in roll.lines if line.name == person.name), None)
        return redirect(_roll_url(meeting, line))
    if _wants_json(request):
        errors = [str(error) for errors in form.errors.values() for error in errors]
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    return _roll_page(request, meeting, mark_form=form)


# The pages that write on one meeting its keeper manages.
MEETING = RecordForm(_managed_meeting, "meeting", context={"tab": "meetings"})

# Put more people on the roll: listed by hand, or whom the records name.
roll_add = MEETING.form(
    RollAddForm,
    services.add_to_roll,
    template="meetings/roll_add.html",
    success=lambda added: (
        _("%(count)s put on the roll.") % {"count": len(added)}
        if added
        else _("No one new: everyone named is already on the roll.")
    ),
    redirect_to=_roll_url,
).view("<int:pk>/roll/add/", "roll-add")


@route("<int:pk>/attendance/")
def attendance_add(request, pk: int):
    back_to_roll = request.GET.get("next") == "roll"
    return MEETING.form(
        AttendanceForm,
        services.add_attendance,
        template="meetings/attendance_form.html",
        success=lambda person: (
            _("%(name)s recorded as %(status)s.") % {"name": person.name, "status": person.get_status_display()}
        ),
        redirect_to=lambda meeting: _roll_url(meeting) if back_to_roll else f"{meeting.get_absolute_url()}#attendance",
    ).page(request, pk)


meeting_minutes = MEETING.form(
    MinutesForm,
    services.record_minutes,
    template="meetings/minutes_form.html",
    success=gettext_lazy("The minutes were saved."),
    redirect_to=lambda meeting: f"{meeting.get_absolute_url()}#minutes",
    edit=True,
).view("<int:pk>/minutes/", "meeting-minutes")

# GET asks for the reason; POST voids the meeting record (kept, marked, never deleted).
meeting_void = MEETING.form(
    VoidForm,
    services.void_meeting,
    template="meetings/meeting_void.html",
    success=gettext_lazy("The meeting record was voided."),
).view("<int:pk>/void/", "meeting-void")


# ---------------------------------------------------------------- raised issues


issue_create = MEETING.form(
    IssueForm,
    services.raise_issue,
    form_kwargs=lambda meeting: {"villages": _villages_of(meeting)},
    template="meetings/issue_form.html",
    success=lambda issue: _("The issue was recorded; it is due by %(date)s.") % {"date": issue.deadline.isoformat()},
    redirect_to=lambda meeting: f"{meeting.get_absolute_url()}#issues",
    context={"tab": "issues"},
).view("<int:pk>/issues/new/", "issue-create")


UNPUBLISHED_SHOWN = 30


@route("issues/")
def issue_list(request):
    user = request.user
    require_place(user)
    filterset = IssueFilter(request.GET or None, queryset=selectors.issues_for(user), request=request)
    townships_after_county(request, filterset)
    issues = filterset.qs
    today = clock.today()
    # The open issues a page at a time; the counts in SQL over every open issue, as the workbook
    # and the county summary count them; the first unpublished outcomes and how many there are.
    counts = issues.counts(today=today)
    paged = paginate(request, issues.open().order_by("deadline", "pk"), count=counts["open"])
    unpublished = issues.unpublished().order_by("outcome_on", "pk")
    return render(
        request,
        "meetings/issue_list.html",
        {
            **paged,
            "form": None if user.is_township_cadre else filterset.form,
            "open_count": counts["open"],
            "overdue_count": counts["overdue"],
            "unpublished": list(unpublished[:UNPUBLISHED_SHOWN]),
            "unpublished_count": counts["unpublished"],
            "show_township": not user.is_township_cadre,
            "tab": "issues",
        },
    )


@route("issues/<int:pk>/")
@record_page(_issue, "meetings/issue_detail.html", "issue")
def issue_detail(request, issue):
    return {
        "can_manage": services.can_manage_issue(request.user, issue) and not issue.is_voided,
        "tab": "issues",
    }


def _managed_issue(request, pk: int) -> MeetingIssue:
    issue = _issue(request, pk)
    require(services.can_manage_issue(request.user, issue))
    return issue


issue_edit = RecordForm(
    _managed_issue,
    "issue",
    IssueEditForm,
    services.update_issue,
    template="meetings/issue_edit.html",
    success=gettext_lazy("The issue was corrected."),
    context={"tab": "issues"},
    edit=True,
).view("issues/<int:pk>/edit/", "issue-edit")


def _issue_page(record: MeetingIssue, request) -> dict[str, Any]:
    return {"issue": record, "tab": "issues"}


def _issue_step(page: str, transition: str, **view_kwargs):
    """An issue's step page: at `issues/<pk>/<page>/`, named `issue-<page>`, drawn by `meetings/issue_<page>.html`."""
    view = TransitionView.as_view(
        flow=ISSUE_FLOW,
        transition=transition,
        queryset=ISSUES,
        template_name=f"meetings/issue_{page}.html",
        extra_context=_issue_page,
        **view_kwargs,
    )
    return route(f"issues/<int:pk>/{page}/", name=f"issue-{page}")(view)


issue_outcome = _issue_step("outcome", "record_outcome", initial=lambda record: {"outcome_on": clock.today()})
issue_publish = _issue_step("publish", "publish")


# ---------------------------------------------------------------- rhythm and calendar


@route("rhythm/")
@counties_first()
def meeting_rhythm(request):
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


@route("calendar/")
@counties_first()
def meeting_calendar(request):
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


@route("decisions/")
def decision_list(request):
    status = request.GET.get("status", "")
    return _list_page(
        request,
        template="meetings/decision_list.html",
        filterset_class=DecisionFilter,
        queryset=selectors.decisions_for(request.user).order_by("-created_at", "-pk"),
        context={
            "chosen": status if status in Decision.Status.values else "",
            "statuses": Decision.Status.choices,
            "steps": list(DecisionStep),
            "can_start": request.user.is_township_cadre,
            "show_township": request.user.is_county_role,
        },
    )


@route("decisions/new/")
def decision_create(request):
    require(request.user.is_township_cadre)
    villages = Village.objects.visible_to(request.user).filter(voided_at__isnull=True).order_by("code")
    return form_page(
        request,
        form=DecisionForm(request.POST or None, villages=villages, leads=selectors.village_cadres_of(villages)),
        action=lambda data: services.start_decision(by=request.user, **data),
        template="meetings/decision_form.html",
        success=_("The matter was entered; record its first step when the party branch proposes it."),
    )


DECISIONS = Decision.objects.select_related("village__township", "lead")


@route("decisions/<int:pk>/")
def decision_detail(request, pk: int):
    decision = get_visible_or_404(DECISIONS, request.user, pk=pk)
    records = {record.step: record for record in decision.records.all()}
    steps = [
        {"step": step, "record": records.get(step.value), "is_next": step == decision.next_step}
        for step in DecisionStep
    ]
    return render(request, "meetings/decision_detail.html", {"decision": decision, "steps": steps})


class DecisionStepView(TransitionView):
    """The decision's next step: which one it is follows from where the decision stands."""

    flow = DECISION_FLOW
    queryset = DECISIONS
    template_name = "meetings/decision_step.html"

    def get_record(self, request, pk):
        record = super().get_record(request, pk)
        self.transition = next_transition(record)
        return record

    @staticmethod
    def initial(record: Decision) -> dict[str, Any]:
        return {"step": next_transition(record), "held_on": clock.today()}


decision_step = route("decisions/<int:pk>/step/", name="decision-step")(DecisionStepView.as_view())
