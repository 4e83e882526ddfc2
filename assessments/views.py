"""Pages of 考核 and 督查: fetch the scoped record, check the role, call a service, redirect."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clusters.models import Cluster, Form, Kind
from clusters.models import Status as ClusterStatus
from exports.views import _render
from lianchun import clock
from lianchun.editing import VERSION_FIELD, edit_record, form_page
from lianchun.listing import paginate
from lianchun.record_forms import RecordForm
from lianchun.routing import route
from lianchun.scoping import get_visible_or_404, require, require_place
from lianchun.views import TransitionView, record_page
from villages.models import Village

from . import appraisal as appraisal_rule
from . import circulars, rules, selectors, services, workflows
from .forms import (
    AppraisalForm,
    CircularForm,
    ContributionForm,
    FindingForm,
    FollowUpForm,
    IndicatorEditForm,
    IndicatorForm,
    PeriodForm,
    ResultForm,
    RoundForm,
    RuleForm,
    SchemeForm,
    StarRatingForm,
    VisitForm,
)
from .models import (
    MONEY_KINDS,
    Appraisal,
    AppraisalResult,
    AssessmentPeriod,
    AssessmentScheme,
    Circular,
    CircularStatus,
    Contribution,
    ContributionKind,
    Finding,
    FindingStatus,
    InspectionRound,
    InspectionVisit,
    SchemeIndicator,
    StarRating,
)


def _refused(request, error: ValidationError, target):
    for message in error.messages:
        messages.error(request, message)
    return redirect(target)


class CountyTransitionView(TransitionView):
    """A step on a county-wide record (a period, a circular): a user without a place is refused (403) first."""

    def dispatch(self, request, pk: int, **kwargs):
        require_place(request.user)
        return super().dispatch(request, pk, **kwargs)


def _circular_issue_context(circular, request) -> dict:
    return {"rows": services.ranking_rows(circular), "is_round": circular.inspection_round_id is not None}


period_close = route("periods/<int:pk>/close/", name="period-close")(
    CountyTransitionView.as_view(flow=workflows.PERIOD_FLOW, transition="close")
)
period_publish = route("periods/<int:pk>/publish/", name="period-publish")(
    CountyTransitionView.as_view(flow=workflows.PERIOD_FLOW, transition="publish")
)
circular_issue = route("circulars/<int:pk>/issue/", name="circular-issue")(
    CountyTransitionView.as_view(
        flow=workflows.CIRCULAR_FLOW,
        transition="issue",
        template_name="assessments/circular_issue.html",
        extra_context=_circular_issue_context,
    )
)
finding_rectify = route("findings/<int:pk>/rectify/", name="finding-rectify")(
    TransitionView.as_view(
        flow=workflows.FINDING_FLOW, transition="rectify", initial=lambda finding: {"on": clock.today()}
    )
)
finding_close = route("findings/<int:pk>/close/", name="finding-close")(
    TransitionView.as_view(flow=workflows.FINDING_FLOW, transition="close")
)
finding_reopen = route("findings/<int:pk>/reopen/", name="finding-reopen")(
    TransitionView.as_view(flow=workflows.FINDING_FLOW, transition="reopen")
)


def _county_office(request) -> None:
    require_place(request.user)
    require(services.can_manage(request.user))


def _found(request, queryset, pk: int):
    """The record `pk` of `queryset` if this user may see it (else 404), for a user with a place (else 403)."""
    record = get_visible_or_404(queryset, request.user, pk=pk)
    require_place(request.user)
    return record


def _listed(request, model) -> Any:
    """Every record of `model` this user may see (a user without a place: 403); `_visible` finds one of them."""
    require_place(request.user)
    return model.objects.visible_to(request.user)


def _visible(request, queryset, pk: int, *, published: Callable[[Any], bool] | None = None):
    """The record `pk` of `queryset` if this user may open it; a township sees a ranking or a circular
    only once the county has published it (`published(record)`)."""
    require_place(request.user)
    record = get_visible_or_404(queryset, request.user, pk=pk)
    if published is not None and request.user.is_township_cadre and not published(record):
        raise Http404(_("No such record."))
    return record


# ---------------------------------------------------------------------------- schemes


@route("schemes/")
def scheme_list(request):
    schemes = _listed(request, AssessmentScheme).prefetch_related("periods", "indicators")
    if request.user.is_township_cadre:
        published = {"published"}
    else:
        published = None
    return render(
        request,
        "assessments/scheme_list.html",
        {
            **paginate(request, schemes),
            "can_manage": services.can_manage(request.user),
            "published_only": published,
        },
    )


@route("schemes/new/")
def scheme_create(request):
    _county_office(request)
    return form_page(
        request,
        SchemeForm(request.POST or None),
        lambda data: services.create_scheme(county=request.user.county, by=request.user, **data),
        template="assessments/scheme_form.html",
        success=_("Scheme created. Add its indicators and open a period."),
    )


def _scheme(request, pk: int) -> AssessmentScheme:
    return _visible(request, AssessmentScheme.objects.select_related("county"), pk)


@route("schemes/<int:pk>/")
@record_page(_scheme, "assessments/scheme_detail.html", "scheme")
def scheme_detail(request, scheme):
    periods = scheme.periods.select_related("closed_by", "published_by").order_by("-starts_on")
    if request.user.is_township_cadre:
        periods = periods.filter(status="published")
    return {
        "indicators": scheme.indicators.all(),
        "periods": periods,
        "can_manage": services.can_manage(request.user),
    }


def _managed(fetch: Callable[[Any, int], Any]) -> Callable[[Any, int], Any]:
    """`fetch`, for the office that manages the county's assessments (another role: 403)."""

    def managed(request, pk: int):
        record = fetch(request, pk)
        require(services.can_manage(request.user))
        return record

    return managed


def _add_indicator(*, scheme: AssessmentScheme, by: Any, **data: Any) -> SchemeIndicator:
    if data["metric"] != "entered":
        data["higher_is_better"] = None  # only an entered figure says which way is better
    return services.add_indicator(scheme=scheme, by=by, **data)


# The pages that write on one scheme.
SCHEME = RecordForm(_managed(_scheme), "scheme")

indicator_create = SCHEME.form(
    IndicatorForm,
    _add_indicator,
    initial=lambda scheme: {"weight": 10, "target": 100, "green_from": 90, "amber_from": 70},
    template="assessments/indicator_form.html",
    success=gettext_lazy("Indicator added."),
    redirect_to=lambda scheme: scheme,
).view("schemes/<int:pk>/indicators/new/", "indicator-create")

# Change an indicator's name, weight, target or bands; scores already frozen keep what they were.
indicator_edit = RecordForm(
    _managed(lambda request, pk: _visible(request, SchemeIndicator.objects.select_related("scheme"), pk)),
    "indicator",
    IndicatorEditForm,
    services.update_indicator,
    template="assessments/indicator_edit.html",
    success=gettext_lazy("Indicator saved."),
    edit=True,
    parent="scheme",
).view("indicators/<int:pk>/edit/", "indicator-edit")

period_create = SCHEME.form(
    PeriodForm, services.open_period, template="assessments/period_form.html", success=gettext_lazy("Period opened.")
).view("schemes/<int:pk>/periods/new/", "period-create")


def _period(request, pk: int) -> AssessmentPeriod:
    periods = AssessmentPeriod.objects.select_related("scheme__county", "closed_by", "published_by")
    return _visible(request, periods, pk, published=lambda period: period.is_published)


@route("periods/<int:pk>/")
def scorecard(request, pk: int):
    period = _period(request, pk)
    card = selectors.scorecard(period)
    return render(
        request,
        "assessments/scorecard.html",
        {"period": period, "card": card, "can_manage": services.can_manage(request.user)},
    )


@route("periods/<int:pk>/cells/<int:subject>/<int:indicator>/")
def scorecard_cell(request, pk: int, subject: int, indicator: int):
    period = _period(request, pk)
    indicator_obj = period.scheme.indicators.filter(pk=indicator).first()
    if indicator_obj is None:
        raise Http404(_("No such record."))
    row, cell = selectors.cell_lines(period, subject, indicator_obj)
    if cell is None:
        raise Http404(_("No such record."))
    return render(
        request,
        "assessments/scorecard_cell.html",
        {
            "period": period,
            "row": row,
            "cell": cell,
            "indicator": indicator_obj,
            "lines": [{**line, "status_label": STATUS_LABELS[line["status"]]} for line in cell.lines],
        },
    )


def _status_labels() -> dict[str, str]:
    return {
        "on_time": _("On time"),
        "late": _("Late"),
        "draft": _("Draft, not submitted"),
        "missing": _("Missing"),
        "not_due": _("Not yet due"),
        "present": _("Attended"),
        "arrived_late": _("Arrived late (not on time)"),
        "leave": _("On approved leave (not counted)"),
        "absent": _("Absent"),
        "unmarked": _("On the roll, never marked (counted as not attending)"),
        "solved_in_time": _("Outcome within its month"),
        "solved_late": _("Outcome after its month"),
        "open_overdue": _("Open past its month"),
        "pending": _("Open, month not over (not counted yet)"),
        "solved": _("Solved by the period's end"),
        "unsolved": _("Not solved by the period's end"),
        "overdue": _("Past its deadline at the period's end"),
        "completed": _("Result made public"),
        "forms": _("Forms returned"),
        "score": _("Visit score"),
        "led": _("Led by this cadre"),
        "failed": _("Did not pass a step (not counted)"),
    }


class _Labels(dict):
    def __missing__(self, key):
        return _status_labels().get(key, key)


STATUS_LABELS = _Labels()


@route("periods/<int:pk>/scores/")
def score_entry(request, pk: int):
    period = _period(request, pk)
    require(services.can_manage(request.user))
    indicators = [indicator for indicator in selectors.indicators_of(period) if not indicator.is_computed]
    subjects, _clusters = selectors.subjects_for(period)
    typed = None
    if request.method == "POST":
        try:
            with transaction.atomic():  # all the table's values or none of them
                # Two people filling the table at once: the second is refused, not left to overwrite the first.
                if request.POST.get(VERSION_FIELD, "") != selectors.scores_version(
                    AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
                ):
                    raise ValidationError(
                        _(
                            "Someone else saved scores of this period after you opened the table. Your typing is kept "
                            "below: compare it with the period's scorecard, then save again."
                        ),
                        code="stale_scores",
                    )
                count = _save_entries(request, period, indicators, subjects)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            typed = request.POST  # nothing typed is lost: the table comes back as it was filled
        else:
            messages.success(request, _("%(count)s scores saved.") % {"count": count})
            return redirect(period)
    card = selectors.compute(period)
    rows = [
        {
            "name": row.name,
            "cells": [
                {
                    "label": f"{row.name} {indicator.label}",
                    "value_name": f"v_{cell.indicator.pk}_{row.subject_id}",
                    "note_name": f"n_{cell.indicator.pk}_{row.subject_id}",
                    "value": typed.get(f"v_{cell.indicator.pk}_{row.subject_id}", "") if typed is not None
                    else ("" if cell.value is None else cell.value),
                    "note": typed.get(f"n_{cell.indicator.pk}_{row.subject_id}", "") if typed is not None
                    else cell.note,
                }
                for indicator in indicators
                for cell in row.cells
                if cell.indicator.pk == indicator.pk
            ],
        }
        for row in card.rows
    ]  # fmt: skip
    return render(
        request,
        "assessments/score_entry.html",
        {
            "period": period,
            "indicators": indicators,
            "rows": rows,
            "version_field": VERSION_FIELD,
            "version": selectors.scores_version(period),
        },
    )


def _save_entries(request, period, indicators, subjects) -> int:
    """Save each filled cell of the entry table; a value that is not a number refuses the whole table."""
    count = 0
    for indicator in indicators:
        for subject in subjects:
            raw = request.POST.get(f"v_{indicator.pk}_{subject.pk}", "").strip()
            if raw == "":
                continue
            try:
                value = Decimal(raw)
            except ArithmeticError:
                raise ValidationError(
                    _("“%(value)s” is not a number."), code="not_a_number", params={"value": raw}
                ) from None
            if not value.is_finite():
                raise ValidationError(_("“%(value)s” is not a number."), code="not_a_number", params={"value": raw})
            try:
                services.enter_score(
                    period=period,
                    indicator=indicator,
                    subject_id=subject.pk,
                    value=value,
                    note=request.POST.get(f"n_{indicator.pk}_{subject.pk}", "")[:200],
                    by=request.user,
                )
            except ValidationError as error:  # say which cell of the table, not only what is wrong
                raise ValidationError(
                    _("%(indicator)s of %(subject)s: %(problem)s"),
                    code=getattr(error, "code", None) or "cell_refused",
                    params={"indicator": indicator.label, "subject": subject.name, "problem": " ".join(error.messages)},
                ) from None
            count += 1
    return count


@route("periods/<int:pk>/recompute/")
def period_recompute(request, pk: int):
    period = _period(request, pk)
    require(request.user.is_county_role)
    if not period.is_frozen:
        messages.info(request, _("An open period is always computed from the records as they are."))
        return redirect(period)
    return render(
        request, "assessments/period_recompute.html", {"period": period, "result": selectors.recompute(period)}
    )


def _export(fetch, identifier: str, choice: str):
    """A download of the record `fetch` lets the user see, through the registered exporter."""

    def view(request, pk: int):
        fetch(request, pk)
        return _render(request, identifier, {choice: pk})

    return view


scorecard_workbook = route("periods/<int:pk>/workbook/", name="scorecard-workbook")(
    _export(_period, "scorecard", "period")
)
scorecard_pdf = route("periods/<int:pk>/pdf/", name="scorecard-pdf")(_export(_period, "scorecard-pdf", "period"))


# ---------------------------------------------------------------------------- inspections


@route("inspections/")
def round_list(request):
    rounds = _listed(request, InspectionRound).annotate(visit_count=Count("visits", distinct=True)).order_by("-month")
    return render(
        request,
        "assessments/round_list.html",
        {**paginate(request, rounds), "can_manage": services.can_manage(request.user)},
    )


@route("inspections/new/")
def round_create(request):
    _county_office(request)
    today = clock.today()
    form = RoundForm(
        request.POST or None,
        initial={
            "month": today.replace(day=1),
            "title": _("Inspection of joint organisations, %(year)s-%(month)s")
            % {"year": today.year, "month": today.month},
            "checklist": circulars.DEFAULT_CHECKLIST,
        },
    )
    return form_page(
        request,
        form,
        lambda data: services.create_round(county=request.user.county, by=request.user, **data),
        template="assessments/round_form.html",
    )


def _round(request, pk: int) -> InspectionRound:
    return _visible(request, InspectionRound.objects.select_related("county"), pk)


@route("inspections/<int:pk>/")
def round_detail(request, pk: int):
    inspection = _round(request, pk)
    visits = (
        InspectionVisit.objects.visible_to(request.user)
        .filter(round=inspection)
        .select_related("cluster__township")
        .annotate(
            finding_count=Count("findings", distinct=True),
            open_count=Count("findings", filter=~Q(findings__status=FindingStatus.CLOSED), distinct=True),
        )
        .order_by("-score", "cluster__name")
    )
    return render(
        request,
        "assessments/round_detail.html",
        {
            "round": inspection,
            "checklist": inspection.checklist.all(),
            "visits": visits,
            "circulars": inspection.circulars.all() if request.user.is_county_role else [],
            "can_manage": services.can_manage(request.user),
        },
    )


@route("inspections/<int:pk>/visits/new/")
def visit_create(request, pk: int):
    inspection = _round(request, pk)
    require(services.can_manage(request.user))
    clusters = (
        Cluster.objects.visible_to(request.user)
        .filter(status=ClusterStatus.ESTABLISHED)
        .exclude(pk__in=inspection.visits.values("cluster_id"))
        .select_related("township")
        .order_by("-form", "township__code", "name")
    )
    form = VisitForm(request.POST or None, clusters=clusters, checklist=inspection.checklist.all())
    return form_page(
        request,
        form,
        lambda data: services.record_visit(
            inspection=inspection,
            cluster=data["cluster"],
            visited_on=data["visited_on"],
            inspectors=data["inspectors"],
            summary=data["summary"],
            marks=form.marks(),
            by=request.user,
        ),
        template="assessments/visit_form.html",
        success=lambda visit: _("Visit recorded: %(score)s points.") % {"score": visit.score},
        context={"round": inspection},
    )


@route("inspections/<int:pk>/complete/")
@require_POST
def round_complete(request, pk: int):
    inspection = _round(request, pk)
    require(services.can_manage(request.user))
    try:
        services.complete_round(inspection=inspection, by=request.user)
    except ValidationError as error:
        return _refused(request, error, inspection)
    messages.success(request, _("The round is completed."))
    return redirect(inspection)


def _visit(request, pk: int) -> InspectionVisit:
    return _found(request, InspectionVisit.objects.select_related("round", "cluster__township", "recorded_by"), pk)


@route("visits/<int:pk>/")
@record_page(_visit, "assessments/visit_detail.html", "visit")
def visit_detail(request, visit):
    return {
        "marks": visit.marks.select_related("item"),
        "findings": visit.findings.all(),
        "can_manage": services.can_manage(request.user),
    }


finding_create = RecordForm(
    _managed(_visit),
    "visit",
    FindingForm,
    services.add_finding,
    template="assessments/finding_form.html",
    success=gettext_lazy("Finding recorded."),
    redirect_to=lambda visit: visit,
).view("visits/<int:pk>/findings/new/", "finding-create")


@route("findings/")
def finding_list(request):
    findings = _listed(request, Finding).select_related("visit__cluster__township", "visit__round")
    status = request.GET.get("status", "")
    if status in FindingStatus.values:
        findings = findings.filter(status=status)
    return render(
        request,
        "assessments/finding_list.html",
        {
            **paginate(request, findings.order_by("status", "deadline", "pk")),
            "status": status,
            "statuses": FindingStatus.choices,
        },
    )


def _finding(request, pk: int) -> Finding:
    return _found(request, Finding.objects.select_related("visit__cluster__township", "visit__round"), pk)


@route("findings/<int:pk>/")
@record_page(_finding, "assessments/finding_detail.html", "finding")
def finding_detail(request, finding):
    return {"events": finding.events.select_related("by")}


# ---------------------------------------------------------------------------- circulars


def _circulars_for(user):
    circulars_ = Circular.objects.visible_to(user).select_related("inspection_round", "period__scheme")
    if user.is_township_cadre:
        circulars_ = circulars_.filter(status=CircularStatus.ISSUED)
    return circulars_


@route("circulars/")
def circular_list(request):
    require_place(request.user)
    return render(
        request,
        "assessments/circular_list.html",
        {**paginate(request, _circulars_for(request.user)), "can_manage": services.can_manage(request.user)},
    )


@route("circulars/new/")
def circular_create(request):
    _county_office(request)
    inspection = period = None
    if request.GET.get("round"):
        inspection = get_visible_or_404(InspectionRound, request.user, pk=request.GET["round"])
    elif request.GET.get("period"):
        period = get_visible_or_404(
            AssessmentPeriod.objects.select_related("scheme"), request.user, pk=request.GET["period"]
        )
    else:
        rounds = InspectionRound.objects.visible_to(request.user).order_by("-month")[:24]
        periods = (
            AssessmentPeriod.objects.visible_to(request.user)
            .exclude(status="open")
            .select_related("scheme")
            .order_by("-ends_on")[:24]
        )
        return render(request, "assessments/circular_choose.html", {"rounds": rounds, "periods": periods})
    initial = circulars.initial_text(inspection=inspection, period=period, county=request.user.county)
    return form_page(
        request,
        CircularForm(request.POST or None, initial=initial),
        lambda data: services.draft_circular(
            county=request.user.county, inspection=inspection, period=period, by=request.user, **data
        ),
        template="assessments/circular_form.html",
        success=lambda circular: _("Circular drafted as %(number)s.") % {"number": circular.number},
        context={"round": inspection, "period": period},
    )


def _circular(request, pk: int) -> Circular:
    circulars_ = Circular.objects.select_related("inspection_round", "period__scheme", "issued_by")
    return _visible(request, circulars_, pk, published=lambda circular: circular.is_issued)


@route("circulars/<int:pk>/")
@record_page(_circular, "assessments/circular_detail.html", "circular")
def circular_detail(request, circular):
    rows = circular.ranking if circular.is_issued else services.ranking_rows(circular)
    return {
        "rows": rows,
        "townships": circular.townships.order_by("code"),
        "can_manage": services.can_manage(request.user),
    }


circular_pdf = route("circulars/<int:pk>/pdf/", name="circular-pdf")(_export(_circular, "circular-pdf", "circular"))
circular_workbook = route("circulars/<int:pk>/workbook/", name="circular-workbook")(
    _export(_circular, "circulars", "circular")
)


# ---------------------------------------------------------------------------- 民主评议


@route("appraisals/")
def appraisal_list(request):
    appraisals = (
        _listed(request, Appraisal)
        .select_related("township", "cluster", "village")
        .annotate(
            members=Count("results", distinct=True),
            unqualified=Count("results", filter=Q(results__grade=appraisal_rule.UNQUALIFIED), distinct=True),
        )
    )
    return render(
        request,
        "assessments/appraisal_list.html",
        {
            **paginate(request, appraisals.order_by("-held_on", "pk")),
            "can_record": request.user.is_township_cadre,
            # The rule is one county's: a city or province role reads the appraisals without it.
            "rule": services.rule_for(request.user.county) if request.user.county_id else None,
            "can_manage": services.can_manage(request.user),
        },
    )


@route("appraisals/new/")
def appraisal_create(request):
    require_place(request.user)
    require(request.user.is_township_cadre)
    township = request.user.township
    clusters = Cluster.objects.visible_to(request.user).filter(status=ClusterStatus.ESTABLISHED)
    villages = Village.objects.visible_to(request.user).filter(voided_at__isnull=True)
    today = clock.today()
    form = AppraisalForm(
        request.POST or None,
        clusters=clusters,
        villages=villages,
        initial={"year": today.year, "half": 1 if today.month <= 6 else 2, "held_on": today},
    )
    return form_page(
        request,
        form,
        lambda data: services.record_appraisal(township=township, by=request.user, **data),
        template="assessments/appraisal_form.html",
    )


def _appraisal(request, pk: int) -> Appraisal:
    return _found(request, Appraisal.objects.select_related("township__county", "cluster", "village"), pk)


@route("appraisals/<int:pk>/")
def appraisal_detail(request, pk: int):
    appraisal = _appraisal(request, pk)
    can_record = services.can_keep_township_records(request.user, appraisal.township_id)
    if request.method == "POST":
        require(can_record)
    results = appraisal.results.prefetch_related("follow_ups")
    tally = defaultdict(int)
    for result in results:
        tally[result.grade] += 1
    return form_page(
        request,
        ResultForm(request.POST or None),
        lambda data: services.record_result(appraisal=appraisal, by=request.user, **data),
        template="assessments/appraisal_detail.html",
        success=lambda result: (
            _("%(member)s: %(grade)s.") % {"member": result.member, "grade": result.get_grade_display()}
        ),
        redirect_to=appraisal,
        context={
            "appraisal": appraisal,
            "results": results,
            "can_record": can_record,
            "grades": [(grade, label, tally[grade]) for grade, label in appraisal_rule.GRADE_CHOICES],
            "follow_up_form": FollowUpForm(initial={"on_date": clock.today()}),
        },
    )


def _kept_result(request, pk: int) -> AppraisalResult:
    """A result of an appraisal whose township's records this user keeps."""
    result = _found(request, AppraisalResult.objects.select_related("appraisal"), pk)
    require(services.can_keep_township_records(request.user, result.appraisal.township_id))
    return result


# From the appraisal's page; a refusal is said there.
follow_up_create = RecordForm(
    _kept_result,
    "result",
    FollowUpForm,
    services.add_follow_up,
    success=gettext_lazy("Follow-up recorded."),
    parent="appraisal",
).post_view("appraisals/results/<int:pk>/follow-up/", "follow-up-create")


@route("appraisals/rule/", name="appraisal-rule")
def appraisal_rule_edit(request):
    _county_office(request)
    # An edit of the county's one rule: two office staff changing it at once cannot overwrite each other.
    return edit_record(
        request,
        record=services.rule_for(request.user.county),
        form_class=RuleForm,
        form_kwargs={"instance": services.rule_for(request.user.county)},
        save=lambda data: services.update_rule(county=request.user.county, by=request.user, **data),
        template="assessments/appraisal_rule.html",
        success=_("The appraisal rule is saved."),
        redirect_to="assessments:appraisal-list",
    )


# ---------------------------------------------------------------------------- star ratings


@route("ratings/")
def rating_list(request):
    ratings = _listed(request, StarRating).select_related("village__township")
    year = request.GET.get("year", "")
    if year.isdigit():
        ratings = ratings.filter(year=int(year))
    # Below the threshold in SQL, by the rule's own integer comparison (exactly 80% is not below).
    flagged = ratings.alias(hundredfold=F("satisfied") * 100).filter(
        surveyed__gt=0, hundredfold__lt=F("surveyed") * rules.SATISFACTION_THRESHOLD
    )
    return render(
        request,
        "assessments/rating_list.html",
        {**paginate(request, ratings), "flagged": list(flagged), "can_record": request.user.is_township_cadre},
    )


@route("ratings/new/")
def rating_create(request):
    require_place(request.user)
    require(request.user.is_township_cadre)
    villages = Village.objects.visible_to(request.user).filter(voided_at__isnull=True)
    return form_page(
        request,
        StarRatingForm(request.POST or None, villages=villages, initial={"year": clock.today().year, "stars": 3}),
        lambda data: services.record_star_rating(by=request.user, **data),
        template="assessments/rating_form.html",
        success=_("Star rating recorded."),
        redirect_to="assessments:rating-list",
    )


# ---------------------------------------------------------------------------- contributions

JOINT_KINDS = [Kind.VILLAGE_COMMUNITY, Kind.VILLAGE_ENTERPRISE, Kind.DEPARTMENT_VILLAGE]


def contribution_totals(user) -> dict:
    """Totals by kind of contribution, per kind of joint organisation and per joint organisation: one query each."""
    live = Contribution.objects.visible_to(user).filter(voided_at__isnull=True)
    by_kind = {
        (row["cluster__kind"], row["kind"]): row["total"]
        for row in live.order_by().values("cluster__kind", "kind").annotate(total=Sum("amount"))
    }
    kinds = list(ContributionKind)
    table = []
    for cluster_kind in JOINT_KINDS:
        cells = [by_kind.get((cluster_kind.value, kind.value), Decimal(0)) for kind in kinds]
        table.append({"label": cluster_kind.label, "cells": cells})
    totals = [sum((row["cells"][i] for row in table), Decimal(0)) for i in range(len(kinds))]
    per_cluster = defaultdict(lambda: [Decimal(0)] * len(kinds))
    names = {}
    index = {kind.value: i for i, kind in enumerate(kinds)}
    for row in (
        live.order_by()
        .values("cluster_id", "cluster__name", "partner_unit__name", "kind")
        .annotate(total=Sum("amount"))
    ):
        per_cluster[row["cluster_id"]][index[row["kind"]]] = row["total"]
        names[row["cluster_id"]] = (row["cluster__name"], row["partner_unit__name"])
    clusters = [
        {"name": names[pk][0], "partner": names[pk][1], "cells": cells}
        for pk, cells in sorted(per_cluster.items(), key=lambda p: names[p[0]])
    ]
    return {
        "kinds": kinds,
        "money": [kind in MONEY_KINDS for kind in kinds],
        "table": table,
        "totals": totals,
        "clusters": clusters,
        "joint_count": Cluster.objects.visible_to(user)
        .filter(form=Form.URBAN_RURAL, status=ClusterStatus.ESTABLISHED)
        .count(),
    }


@route("contributions/")
def contribution_list(request):
    contributions = (
        _listed(request, Contribution)
        .filter(voided_at__isnull=True)
        .select_related("cluster__township", "partner_unit", "recorded_by")[:200]
    )
    return render(
        request,
        "assessments/contribution_list.html",
        {
            "contributions": contributions,
            "totals": contribution_totals(request.user),
            "can_record": request.user.is_township_cadre,
            "place": request.user.place_name,
        },
    )


@route("contributions/new/")
def contribution_create(request):
    require_place(request.user)
    require(request.user.is_township_cadre)
    clusters = Cluster.objects.visible_to(request.user).filter(form=Form.URBAN_RURAL, status=ClusterStatus.ESTABLISHED)
    return form_page(
        request,
        ContributionForm(request.POST or None, clusters=clusters, initial={"on_date": clock.today()}),
        lambda data: services.record_contribution(by=request.user, **data),
        template="assessments/contribution_form.html",
        success=_("Contribution recorded."),
        redirect_to="assessments:contribution-list",
    )
