"""Writes of assessments, inspections, circulars, appraisals, ratings and contributions.

Every write names its actor, checks its rule, saves with `save_audited` inside one transaction and
raises a coded `ValidationError` when refused. Who may act is decided here, as in every app's services: each
write first requires its actor (`PermissionDenied`, a 403 in a view) with the `can_*` functions, which the views
also ask to show or hide an action. Schemes, periods, inspections, circulars and the appraisal rule are the
county cluster office's of the record's county; appraisals, star ratings and contributions the township
cadre's of the record's township.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from clusters.models import Cluster, Form
from clusters.models import Status as ClusterStatus
from lianchun import clock
from lianchun.audit import create_audited, save_audited
from lianchun.changes import assign_changes
from lianchun.refusals import check_within, not_future, refuse
from lianchun.scoping import require
from villages.models import Township, Village

from . import appraisal as appraisal_rule
from . import selectors
from .models import (
    Appraisal,
    AppraisalResult,
    AppraisalRule,
    AssessmentPeriod,
    AssessmentScheme,
    ChecklistItem,
    Circular,
    Contribution,
    Finding,
    FindingEvent,
    HelpFollowUp,
    InspectionRound,
    InspectionVisit,
    Metric,
    RoundStatus,
    SchemeIndicator,
    ScoreEntry,
    StarRating,
    VisitMark,
)
from .rules import LOWER_IS_BETTER
from .workflows import CIRCULAR_FLOW, FINDING_FLOW, PERIOD_FLOW

# ---------------------------------------------------------------------------- who may act


def can_manage(user: Any) -> bool:
    """Schemes, periods, inspections and circulars belong to the county cluster office."""
    return bool(getattr(user, "is_county_office", False))


def can_keep_township_records(user: Any, township_id: int | None) -> bool:
    return (
        bool(getattr(user, "is_township_cadre", False)) and township_id is not None and user.township_id == township_id
    )


def can_rectify(user: Any, finding: Finding) -> bool:
    return can_keep_township_records(user, finding.visit.cluster.township_id)


def _require_office_of(by: Any, county_id: int | None) -> None:
    """The county cluster office of the county the record belongs to, and no other."""
    require(can_manage(by) and county_id is not None and by.county_id == county_id)


def _require_keeper_of(by: Any, township_id: int | None) -> None:
    """A township cadre of the township the record belongs to."""
    require(can_keep_township_records(by, township_id))


# ---------------------------------------------------------------------------- schemes and periods


def create_scheme(
    *, county: Any, name: str, subject_kind: str, period_kind: str, description: str = "", by: Any
) -> AssessmentScheme:
    _require_office_of(by, county.pk)
    name = (name or "").strip()
    if not name:
        raise refuse(_("Give the scheme a name."), "name_required", "name")
    return create_audited(
        AssessmentScheme,
        by=by,
        reason=_("Scheme created"),
        county=county,
        name=name,
        subject_kind=subject_kind,
        period_kind=period_kind,
        description=description,
        created_by=by,
        created_at=clock.now(),
    )


def add_indicator(
    *,
    scheme: AssessmentScheme,
    metric: str,
    label: str,
    weight: int,
    target: Decimal,
    green_from: Decimal,
    amber_from: Decimal,
    higher_is_better: bool | None = None,
    by: Any,
) -> SchemeIndicator:
    _require_office_of(by, scheme.county_id)
    if higher_is_better is None:
        higher_is_better = metric not in LOWER_IS_BETTER
    if metric != Metric.ENTERED and higher_is_better == (metric in LOWER_IS_BETTER):
        raise refuse(_("This measure counts the other way round."), "direction_fixed", "higher_is_better")
    better_or_equal = (green_from >= amber_from) if higher_is_better else (green_from <= amber_from)
    if not better_or_equal:
        raise refuse(
            _("The green band must start at a better value than the amber band."), "bands_out_of_order", "green_from"
        )
    if scheme.indicators.filter(label=label).exists():
        raise refuse(_("The scheme already has an indicator of this name."), "duplicate_indicator", "label")
    with transaction.atomic():
        order = (scheme.indicators.aggregate(m=Max("order"))["m"] or 0) + 1
        indicator = SchemeIndicator(
            scheme=scheme,
            metric=metric,
            label=label,
            weight=weight,
            target=target,
            green_from=green_from,
            amber_from=amber_from,
            higher_is_better=higher_is_better,
            order=order,
        )
        save_audited(indicator, by=by, reason=_("Indicator added"))
    return indicator


def update_indicator(*, indicator: SchemeIndicator, by: Any, **fields: Any) -> list[str]:
    """Change the name, weight, target or bands of an indicator (its measure stays); frozen cells are not touched."""
    _require_office_of(by, indicator.scheme.county_id)
    changed = assign_changes(indicator, fields, ("label", "weight", "target", "green_from", "amber_from"))
    if not changed:
        return []
    higher = indicator.higher_is_better
    if (indicator.green_from < indicator.amber_from) if higher else (indicator.green_from > indicator.amber_from):
        raise refuse(
            _("The green band must start at a better value than the amber band."), "bands_out_of_order", "green_from"
        )
    if (
        "label" in changed
        and indicator.scheme.indicators.exclude(pk=indicator.pk).filter(label=indicator.label).exists()
    ):
        raise refuse(_("The scheme already has an indicator of this name."), "duplicate_indicator", "label")
    save_audited(indicator, by=by, reason=_("Indicator changed"), update_fields=changed)
    return changed


# How far back a period may start: the ledgers a period is computed from are kept for five years.
PERIOD_YEARS_BACK = 5


def open_period(
    *, scheme: AssessmentScheme, label: str, starts_on: datetime.date, ends_on: datetime.date, by: Any
) -> AssessmentPeriod:
    _require_office_of(by, scheme.county_id)
    if ends_on < starts_on:
        raise refuse(_("A period cannot end before it starts."), "period_backwards", "ends_on")
    # A period is assessed from the ledgers: it starts within the records kept and ends within the plans made.
    today = clock.today()
    for day, field in ((starts_on, "starts_on"), (ends_on, "ends_on")):
        check_within(
            day,
            today.replace(year=today.year - PERIOD_YEARS_BACK, month=1, day=1),
            today.replace(year=today.year + 1, month=12, day=31),
            message=_("A period's dates lie between %(start)s and %(end)s."),
            field=field,
            too_early="period_too_early",
            too_late="period_too_late",
        )
    if scheme.periods.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        raise refuse(_("This period overlaps another period of the scheme."), "period_overlaps", "starts_on")
    with transaction.atomic():
        period = AssessmentPeriod(scheme=scheme, label=label, starts_on=starts_on, ends_on=ends_on)
        save_audited(period, by=by, reason=_("Period opened"))
    return period


def _lock_period(period: AssessmentPeriod) -> AssessmentPeriod:
    return AssessmentPeriod.objects.select_for_update().select_related("scheme").get(pk=period.pk)


def enter_score(
    *, period: AssessmentPeriod, indicator: SchemeIndicator, subject_id: int, value: Decimal, note: str = "", by: Any
) -> ScoreEntry:
    """Enter the value of an entered indicator (never of a computed one) while the period is open."""
    _require_office_of(by, period.scheme.county_id)
    if indicator.scheme_id != period.scheme_id:
        raise refuse(_("The indicator is not part of this scheme."), "wrong_scheme")
    if indicator.is_computed:
        raise refuse(_("This indicator is computed from the record and cannot be typed."), "computed_indicator")
    with transaction.atomic():
        period = _lock_period(period)
        if not period.is_open:
            raise refuse(_("The period is closed: its scores are frozen."), "period_frozen")
        entry = ScoreEntry.objects.filter(period=period, indicator=indicator, subject_id=subject_id).first()
        if entry is None:
            entry = ScoreEntry(period=period, indicator=indicator, subject_id=subject_id)
        entry.value, entry.note, entry.entered_by, entry.entered_at = value, note, by, clock.now()
        save_audited(entry, by=by, reason=_("Score entered"))
    return entry


def close_period(*, period: AssessmentPeriod, by: Any) -> AssessmentPeriod:
    """Freeze every subject's cells, total and rank, with the records beneath each cell, and who closed it."""
    return PERIOD_FLOW.perform(period, "close", by=by)


def publish_period(*, period: AssessmentPeriod, by: Any) -> AssessmentPeriod:
    return PERIOD_FLOW.perform(period, "publish", by=by)


# ---------------------------------------------------------------------------- inspections


FULL_MARKS = 100


def create_round(
    *, county: Any, month: datetime.date, title: str, checklist: list[tuple[str, int]], by: Any
) -> InspectionRound:
    _require_office_of(by, county.pk)
    month = month.replace(day=1)
    if InspectionRound.objects.filter(county=county, month=month).exists():
        raise refuse(_("This month already has an inspection round."), "round_exists", "month")
    if not checklist:
        raise refuse(_("Give the round at least one checklist item."), "checklist_required", "checklist")
    total = sum(points for _text, points in checklist)
    if total != FULL_MARKS:
        # Every month's visits are averaged into one inspection score and ranked: out of the same full marks.
        raise refuse(
            _("The checklist's points must add up to %(full)s, so that every month's scores compare; now %(total)s."),
            "checklist_not_full_marks",
            "checklist",
            full=FULL_MARKS,
            total=total,
        )
    with transaction.atomic():
        inspection = InspectionRound(county=county, month=month, title=title, created_by=by, created_at=clock.now())
        save_audited(inspection, by=by, reason=_("Inspection round created"))
        for order, (text, points) in enumerate(checklist, start=1):
            save_audited(ChecklistItem(round=inspection, text=text, max_points=points, order=order), by=by)
    return inspection


def record_visit(
    *,
    inspection: InspectionRound,
    cluster: Cluster,
    visited_on: datetime.date,
    inspectors: str,
    marks: dict[int, tuple[int, str]],
    summary: str = "",
    by: Any,
) -> InspectionVisit:
    """A visit with a mark for every checklist item; its score is their sum."""
    _require_office_of(by, inspection.county_id)
    if inspection.status != RoundStatus.OPEN:
        raise refuse(_("The inspection round is completed."), "round_closed")
    if cluster.township.county_id != inspection.county_id or cluster.status != ClusterStatus.ESTABLISHED:
        raise refuse(
            _("Only an established cluster of the county can be inspected."), "cluster_not_inspectable", "cluster"
        )
    if (visited_on.year, visited_on.month) != (inspection.month.year, inspection.month.month):
        raise refuse(_("The visit must fall in the month inspected."), "visit_outside_month", "visited_on")
    not_future(visited_on, "visited_on")
    items = list(inspection.checklist.all())
    missing = [item.text for item in items if item.pk not in marks]
    if missing:
        raise refuse(_("Give a mark for every checklist item."), "marks_missing")
    for item in items:
        if marks[item.pk][0] > item.max_points:
            raise refuse(
                _("“%(item)s” is worth at most %(points)s points."),
                "mark_too_high",
                item=item.text,
                points=item.max_points,
            )
    if InspectionVisit.objects.filter(round=inspection, cluster=cluster).exists():
        raise refuse(_("This cluster has already been visited in this round."), "visit_exists", "cluster")
    with transaction.atomic():
        visit = InspectionVisit(
            round=inspection,
            cluster=cluster,
            visited_on=visited_on,
            inspectors=inspectors,
            summary=summary,
            score=sum(marks[item.pk][0] for item in items),
            recorded_by=by,
        )
        save_audited(visit, by=by, reason=_("Visit recorded"))
        for item in items:
            points, note = marks[item.pk]
            save_audited(VisitMark(visit=visit, item=item, points=points, note=note), by=by)
    return visit


def complete_round(*, inspection: InspectionRound, by: Any) -> None:
    _require_office_of(by, inspection.county_id)
    with transaction.atomic():
        locked = InspectionRound.objects.select_for_update().get(pk=inspection.pk)
        if locked.status != RoundStatus.OPEN:
            raise refuse(_("The inspection round is completed."), "round_closed")
        if not locked.visits.exists():
            raise refuse(_("Record at least one visit before completing the round."), "no_visits")
        locked.status = RoundStatus.CLOSED
        save_audited(locked, by=by, reason=_("Inspection round completed"), update_fields=["status"])
    inspection.status = RoundStatus.CLOSED


def add_finding(*, visit: InspectionVisit, description: str, owner: str, deadline: datetime.date, by: Any) -> Finding:
    _require_office_of(by, visit.round.county_id)
    if deadline < visit.visited_on:
        raise refuse(_("The deadline cannot come before the visit."), "deadline_before_visit", "deadline")
    with transaction.atomic():
        finding = Finding(visit=visit, description=description, owner=owner, deadline=deadline, recorded_by=by)
        save_audited(finding, by=by, reason=_("Finding recorded"))
        FindingEvent(finding=finding, from_status="", to_status=finding.status, by=by, at=clock.now()).save()
    return finding


def rectify_finding(*, finding: Finding, what_was_done: str, on: datetime.date, by: Any) -> Finding:
    """The township reports the finding rectified, saying what was done (open → rectified)."""
    return FINDING_FLOW.perform(finding, "rectify", by=by, what_was_done=what_was_done, on=on)


def close_finding(*, finding: Finding, by: Any, opinion: str = "") -> Finding:
    """The county office checks the rectification and closes the finding (rectified → closed)."""
    return FINDING_FLOW.perform(finding, "close", by=by, opinion=opinion)


def reopen_finding(*, finding: Finding, by: Any, opinion: str) -> Finding:
    """The county office is not satisfied: back to open, with the reason."""
    return FINDING_FLOW.perform(finding, "reopen", by=by, opinion=opinion)


# ---------------------------------------------------------------------------- circulars (通报)


def next_serial(county: Any, prefix: str, year: int) -> int:
    last = Circular.objects.filter(county=county, number_prefix=prefix, year=year).aggregate(m=Max("serial"))["m"]
    return (last or 0) + 1


def draft_circular(
    *,
    county: Any,
    title: str,
    body: str,
    main_recipients: str,
    copy_to: str = "",
    issuing_organ: str,
    inspection: InspectionRound | None = None,
    period: AssessmentPeriod | None = None,
    number_prefix: str = "联村办",
    year: int | None = None,
    by: Any,
) -> Circular:
    _require_office_of(by, county.pk)
    if (inspection is None) == (period is None):
        raise refuse(_("A circular reports one inspection round or one assessment period."), "one_source")
    source_county = inspection.county_id if inspection is not None else period.scheme.county_id
    require(source_county == county.pk)
    year = year or clock.today().year
    with transaction.atomic():
        circular = Circular(
            county=county,
            inspection_round=inspection,
            period=period,
            issuing_organ=issuing_organ,
            number_prefix=number_prefix,
            year=year,
            serial=next_serial(county, number_prefix, year),
            title=title,
            main_recipients=main_recipients,
            copy_to=copy_to,
            body=body,
            created_by=by,
        )
        save_audited(circular, by=by, reason=_("Circular drafted"))
        circular.townships.set(Township.objects.filter(county=county))
    return circular


def ranking_rows(circular: Circular) -> list[dict]:
    """The ranking a circular carries, computed now (a draft) — frozen into the circular when issued."""
    if circular.inspection_round_id:
        inspection = circular.inspection_round
        maximum = inspection.max_score
        visits = (
            InspectionVisit.objects.filter(round=inspection)
            .select_related("cluster__township")
            .order_by("-score", "cluster__name")
        )
        open_findings = {visit.pk: visit.findings.count() for visit in visits.prefetch_related("findings")}
        from .rules import competition_ranks

        ranks = competition_ranks({visit.pk: Decimal(visit.score) for visit in visits})
        return [
            {
                "rank": ranks[visit.pk],
                "name": visit.cluster.name,
                "township": visit.cluster.township.name,
                "score": visit.score,
                "max": maximum,
                "findings": open_findings[visit.pk],
            }
            for visit in visits
        ]
    card = selectors.frozen(circular.period)
    return [
        {"rank": row.rank, "name": row.name, "township": "", "score": str(row.total), "max": "", "findings": ""}
        for row in card.rows
    ]


def issue_circular(*, circular: Circular, by: Any, issued_on: datetime.date | None = None) -> Circular:
    """Issue the circular to its townships: the ranking is frozen into it, and its date fixed."""
    return CIRCULAR_FLOW.perform(circular, "issue", by=by, issued_on=issued_on)


# ---------------------------------------------------------------------------- 民主评议


def rule_for(county: Any) -> AppraisalRule:
    rule, _created = AppraisalRule.objects.get_or_create(county=county)
    return rule


def update_rule(*, county: Any, by: Any, **shares: int) -> AppraisalRule:
    _require_office_of(by, county.pk)
    with transaction.atomic():
        rule = rule_for(county)
        for name, value in shares.items():
            setattr(rule, name, value)
        if min(rule.unqualified_over_den, rule.excellent_from_den, rule.basic_over_den) <= 0:
            raise refuse(_("A share needs a denominator above zero."), "zero_denominator")
        rule.updated_by = by
        save_audited(rule, by=by, reason=_("Appraisal rule changed"))
    return rule


# The earliest year an appraisal is entered for (late entry of old paper records, not typing slips like 0 or 20026).
FIRST_APPRAISAL_YEAR = 2000


def record_appraisal(
    *,
    township: Township,
    year: int,
    half: int,
    held_on: datetime.date,
    voters: int,
    cluster: Cluster | None = None,
    village: Village | None = None,
    by: Any,
) -> Appraisal:
    _require_keeper_of(by, township.pk)
    if (cluster is None) == (village is None):
        raise refuse(_("Appraise either a joint organisation or a village."), "one_organisation")
    place = cluster.township_id if cluster else village.township_id
    if place != township.pk:
        raise refuse(_("The organisation is not in this township."), "wrong_township")
    if half not in (1, 2):
        raise refuse(_("Choose the first or the second half of the year."), "bad_half", "half")
    if not FIRST_APPRAISAL_YEAR <= year <= clock.today().year:
        raise refuse(
            _("The year appraised lies between %(start)s and this year (%(end)s)."),
            "bad_year",
            "year",
            start=FIRST_APPRAISAL_YEAR,
            end=clock.today().year,
        )
    # 民主评议 appraises a half-year's work: it is held once that half has begun, and not ahead of today.
    check_within(
        held_on,
        datetime.date(year, 1 if half == 1 else 7, 1),
        clock.today(),
        message=_(
            "The appraisal meeting is held between %(start)s (the first day of the half-year) and today (%(end)s)."
        ),
        field="held_on",
        too_early="held_before_the_half",
        too_late="future_date",
    )
    if voters <= 0:
        raise refuse(_("Give the number of people voting."), "no_voters", "voters")
    return create_audited(
        Appraisal,
        by=by,
        reason=_("Appraisal recorded"),
        township=township,
        cluster=cluster,
        village=village,
        year=year,
        half=half,
        held_on=held_on,
        voters=voters,
        recorded_by=by,
    )


def record_result(
    *,
    appraisal: Appraisal,
    member: str,
    unit: str = "",
    excellent: int,
    qualified: int,
    basic: int,
    unqualified: int,
    helper: str = "",
    by: Any,
) -> AppraisalResult:
    """Record one member's vote counts; the grade is derived by the county's rule, never chosen."""
    _require_keeper_of(by, appraisal.township_id)
    votes = appraisal_rule.Votes(excellent, qualified, basic, unqualified)
    if votes.cast == 0:
        raise refuse(_("Record the votes cast."), "no_votes")
    if votes.cast > appraisal.voters:
        raise refuse(
            _("%(cast)s votes were counted but only %(voters)s people voted."),
            "too_many_votes",
            cast=votes.cast,
            voters=appraisal.voters,
        )
    grade = appraisal_rule.derive(votes, rule_for(appraisal.township.county).as_rule())
    helper = (helper or "").strip()
    if grade == appraisal_rule.UNQUALIFIED and not helper:
        raise refuse(
            _("An unqualified member gets a named helper: give the helper's name."), "helper_required", "helper"
        )
    if appraisal.results.filter(member=member).exists():
        raise refuse(_("This member already has a result in this appraisal."), "duplicate_member", "member")
    return create_audited(
        AppraisalResult,
        by=by,
        reason=_("Appraisal result recorded"),
        appraisal=appraisal,
        member=member,
        unit=unit,
        excellent=excellent,
        qualified=qualified,
        basic=basic,
        unqualified=unqualified,
        grade=grade,
        helper=helper,
    )


def add_follow_up(*, result: AppraisalResult, on_date: datetime.date, note: str, by: Any) -> HelpFollowUp:
    _require_keeper_of(by, result.appraisal.township_id)
    if result.grade != appraisal_rule.UNQUALIFIED:
        raise refuse(_("Only an unqualified member is followed up."), "not_unqualified")
    not_future(on_date, "on_date")
    with transaction.atomic():
        follow_up = HelpFollowUp(result=result, on_date=on_date, note=note, recorded_by=by)
        save_audited(follow_up, by=by, reason=_("Follow-up recorded"))
    return follow_up


# ---------------------------------------------------------------------------- star ratings


def record_star_rating(
    *, village: Village, person: str, post: str, year: int, stars: int, surveyed: int, satisfied: int, by: Any
) -> StarRating:
    _require_keeper_of(by, village.township_id)
    if surveyed <= 0:
        raise refuse(_("Give the number of people surveyed."), "none_surveyed", "surveyed")
    if satisfied > surveyed:
        raise refuse(_("More people satisfied than surveyed."), "satisfied_over_surveyed", "satisfied")
    if StarRating.objects.filter(village=village, person=person, post=post, year=year).exists():
        raise refuse(_("This person already has a rating for the year."), "duplicate_rating", "person")
    return create_audited(
        StarRating,
        by=by,
        reason=_("Star rating recorded"),
        village=village,
        person=person,
        post=post,
        year=year,
        stars=stars,
        surveyed=surveyed,
        satisfied=satisfied,
        recorded_by=by,
    )


# ---------------------------------------------------------------------------- contributions


def record_contribution(
    *, cluster: Cluster, kind: str, amount: Decimal, on_date: datetime.date, description: str, by: Any
) -> Contribution:
    """What the urban partner of a joint organisation brought, attributed to that partner."""
    _require_keeper_of(by, cluster.township_id)
    if cluster.form != Form.URBAN_RURAL or cluster.partner_unit_id is None:
        raise refuse(_("Contributions are recorded for urban–rural joint organisations."), "not_joint", "cluster")
    if amount <= 0:
        raise refuse(_("The amount must be above zero."), "amount_not_positive", "amount")
    not_future(on_date, "on_date")
    return create_audited(
        Contribution,
        by=by,
        reason=_("Contribution recorded"),
        cluster=cluster,
        partner_unit_id=cluster.partner_unit_id,
        kind=kind,
        amount=amount,
        on_date=on_date,
        description=description,
        recorded_by=by,
    )
