"""Each computed indicator equals a count made directly from the records it names, at the period's edges."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q, Sum

from assessments import rules, selectors
from assessments.models import Metric, SubjectKind
from clusters.models import ConsentBatch
from meetings import services as meeting_services
from meetings.models import Attendance, DecisionRecord, DecisionStep, MeetingIssue, MeetingKind
from rectification.models import LedgerEntry, RectificationItem
from reports import selectors as report_selectors
from reports.models import WeeklyReport
from tests.assessments import factories as af

D = datetime.date
START, END = af.MAY


def _cell(period, subject_id, metric):
    card = selectors.compute(period)
    row = card.row(subject_id)
    return next(cell for cell in row.cells if cell.indicator.metric == metric)


def _in_may(field):
    return {f"{field}__gte": START, f"{field}__lte": END}


def test_weekly_reports_on_time_equals_the_reports_counted_directly(may, clock, township_a, county_office):
    period = af.may_period(county_office)
    af.set_today(clock, D(2026, 6, 25))
    cell = _cell(period, township_a.pk, Metric.WEEKLY_ON_TIME)

    on_time = sum(
        1
        for report in WeeklyReport.objects.filter(cluster__township=township_a, first_submitted_at__isnull=False)
        if report.week in may.weeks and report.first_submitted_at <= report.week.deadline
    )
    assert cell.numerator == on_time == 2
    assert cell.denominator == 2 * len(may.weeks) == 10
    assert cell.value == Decimal("20.0")
    # The same count as the completeness page shows for those weeks.
    completeness = report_selectors.completeness_for(county_office, may.weeks[0], may.weeks[-1])
    tally = completeness.grid.by_township[township_a.pk]
    assert (tally.on_time, tally.expected) == (cell.numerator, cell.denominator)


def test_report_of_the_last_week_is_on_time_at_monday_noon_and_late_one_second_later(
    may, clock, county_office, township_a
):
    period = af.may_period(county_office, subject_kind=SubjectKind.CLUSTER, metrics=[Metric.WEEKLY_ON_TIME])
    af.set_today(clock, D(2026, 6, 25))
    last_week = may.weeks[-1]
    assert last_week.sunday == END and last_week.deadline == af.at(D(2026, 6, 1), 12)
    a1 = [line for line in _cell(period, may.a1.pk, Metric.WEEKLY_ON_TIME).lines if line["pk"] == may.edge_on_time.pk]
    a2 = [line for line in _cell(period, may.a2.pk, Metric.WEEKLY_ON_TIME).lines if line["pk"] == may.edge_late.pk]
    assert a1[0]["status"] == "on_time" and a1[0]["state"] == rules.COUNTED
    assert a2[0]["status"] == "late" and a2[0]["state"] == rules.NOT_COUNTED


def _may_attendance(township):
    """The township's 例会 attendance rows of May, counted straight from the table."""
    return Attendance.objects.filter(
        meeting__township=township,
        meeting__kind=MeetingKind.TOWNSHIP,
        meeting__starts_at__gte=af.at(START, 0),
        meeting__starts_at__lt=af.at(END + datetime.timedelta(days=1), 0),
    )


def test_attendance_equals_the_rows_counted_directly_with_leave_left_out(may, clock, county_office, township_a):
    period = af.may_period(county_office)
    cell = _cell(period, township_a.pk, Metric.ATTENDANCE)
    rows = _may_attendance(township_a)
    present = rows.filter(status=Attendance.Status.PRESENT).count()
    counted = rows.exclude(status=Attendance.Status.LEAVE).count()
    assert (cell.numerator, cell.denominator) == (present, counted) == (4, 6)
    assert cell.value == Decimal("66.6")  # 66.66…% truncated, never rounded up
    # The meeting on the last day counts; 1 June's belongs to June.
    meeting_ids = {line["url"] for line in cell.lines}
    assert any(str(may.m2.pk) in url for url in meeting_ids)
    assert not any(f"/{may.m3.pk}/" in url for url in meeting_ids)


def test_issues_solved_in_month_equals_the_issues_counted_directly(may, clock, county_office, township_a):
    period = af.may_period(county_office)
    cell = _cell(period, township_a.pk, Metric.ISSUES_IN_MONTH)
    raised = MeetingIssue.objects.filter(
        township=township_a,
        voided_at__isnull=True,
        meeting__starts_at__gte=af.at(START, 0),
        meeting__starts_at__lt=af.at(END + datetime.timedelta(days=1), 0),
    )
    in_time = raised.exclude(outcome="").filter(outcome_on__lte=models_f("deadline")).count()
    judged = raised.filter(Q(~Q(outcome="")) | Q(deadline__lt=D(2026, 6, 25))).count()
    assert (cell.numerator, cell.denominator) == (in_time, judged) == (1, 2)
    pending = [line for line in cell.lines if line["status"] == rules.PENDING]
    assert [line["pk"] for line in pending] == [may.issue_pending.pk]


def test_an_issue_raised_on_the_last_day_counts_against_once_its_month_has_passed(
    may, clock, county_office, township_a
):
    period = af.may_period(county_office)
    before = _cell(period, township_a.pk, Metric.ISSUES_IN_MONTH)
    af.set_today(clock, D(2026, 7, 1))  # its month ended on 30 June
    after = _cell(period, township_a.pk, Metric.ISSUES_IN_MONTH)
    assert (before.numerator, before.denominator) == (1, 2)
    assert (after.numerator, after.denominator) == (1, 3)
    assert {line["pk"]: line["status"] for line in after.lines}[may.issue_pending.pk] == rules.OPEN_OVERDUE


def test_ledger_solved_equals_the_matters_counted_directly(may, clock, county_office, township_a):
    period = af.may_period(county_office)
    cell = _cell(period, township_a.pk, Metric.LEDGER_SOLVED)
    collected = LedgerEntry.objects.filter(
        village__township=township_a, voided_at__isnull=True, **_in_may("collected_on")
    )
    solved = collected.filter(solved_on__lte=END).count()
    assert (cell.numerator, cell.denominator) == (solved, collected.count()) == (2, 4)


def test_overdue_measures_equal_the_items_counted_directly(may, clock, county_office, township_a):
    period = af.may_period(county_office)
    cell = _cell(period, township_a.pk, Metric.OVERDUE_MEASURES)
    day_after = END + datetime.timedelta(days=1)
    overdue = (
        RectificationItem.objects.filter(
            plan__village__township=township_a, voided_at__isnull=True, deadline__lt=day_after
        )
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=END))
        .count()
    )
    assert cell.numerator == overdue == 2
    assert cell.value == Decimal(2)
    # The one completed on 5 June was still overdue when May ended, as the item's own rule says.
    assert may.items[0].is_overdue_on(day_after) is False  # today's completion date hides it …
    assert rules.is_overdue_at_end(period.span, rules.MeasureFact(0, may.items[0].deadline, D(2026, 6, 5)))


def test_decisions_completed_equal_the_results_made_public_in_the_period(may, clock, county_office, township_a):
    period = af.may_period(county_office)
    cell = _cell(period, township_a.pk, Metric.DECISIONS_COMPLETED)
    direct = DecisionRecord.objects.filter(
        step=DecisionStep.RESULT_PUBLIC, decision__village__township=township_a, **_in_may("held_on")
    ).count()
    assert cell.numerator == direct == 1
    assert [line["pk"] for line in cell.lines] == [may.decision_may.pk]


def test_consent_forms_equal_the_batches_summed_directly(may, clock, county_office, township_a):
    period = af.may_period(county_office)
    cell = _cell(period, township_a.pk, Metric.CONSENT_FORMS)
    direct = ConsentBatch.objects.filter(
        survey__cluster__township=township_a, voided_at__isnull=True, **_in_may("batch_date")
    ).aggregate(total=Sum("returned"))["total"]
    assert cell.numerator == direct == 92


def test_inspection_score_is_the_average_of_the_visits(may, clock, county_office):
    period = af.may_period(county_office, subject_kind=SubjectKind.JOINT, metrics=[Metric.INSPECTION_SCORE])
    card = selectors.compute(period)
    assert [row.subject_id for row in card.rows] == [may.a2.pk]  # joint organisations only
    assert card.rows[0].cells[0].value == Decimal(may.visit.score) == Decimal(85)


def test_township_b_sees_none_of_township_as_records(may, clock, county_office, township_b):
    period = af.may_period(county_office)
    row = selectors.compute(period).row(township_b.pk)
    weekly = row.cell(next(c.indicator.pk for c in row.cells if c.indicator.metric == Metric.WEEKLY_ON_TIME))
    attendance = row.cell(next(c.indicator.pk for c in row.cells if c.indicator.metric == Metric.ATTENDANCE))
    assert (weekly.numerator, weekly.denominator) == (1, 5)
    assert (attendance.numerator, attendance.denominator) == (0, 1)


def models_f(name):
    from django.db.models import F

    return F(name)


def test_consent_forms_count_a_batch_on_the_last_day_and_leave_the_next_days_to_june(
    may, clock, county_office, cadre_a, township_a
):
    from clusters import services as cluster_services
    from clusters.models import ConsentSurvey

    survey = ConsentSurvey.objects.filter(cluster__name="新建联村").select_related("cluster").first()
    for day, returned in ((END, 2), (END + datetime.timedelta(days=1), 1)):
        cluster_services.record_consent_batch(
            survey=survey, returned=returned, agree=returned, disagree=0, invalid=0, batch_date=day, by=cadre_a
        )
    period = af.may_period(county_office)
    cell = _cell(period, township_a.pk, Metric.CONSENT_FORMS)
    direct = ConsentBatch.objects.filter(
        survey__cluster__township=township_a, voided_at__isnull=True, **_in_may("batch_date")
    ).aggregate(total=Sum("returned"))["total"]
    assert cell.numerator == direct == 92 + 2
    assert END in {ConsentBatch.objects.get(pk=line["pk"]).batch_date for line in cell.lines}


def test_inspection_score_averages_a_visit_on_the_last_day_but_not_one_on_the_first_of_june(
    may, clock, county_office, township_a
):
    from assessments import services as assessment_services
    from assessments.models import InspectionVisit
    from clusters.models import Form
    from tests import factories

    second = af.cluster(
        township_a, "二号城乡联建", form=Form.URBAN_RURAL, villages=[factories.VillageFactory(township=township_a)]
    )
    items = list(may.round.checklist.all())
    last_day = assessment_services.record_visit(
        inspection=may.round,
        cluster=second,
        visited_on=END,
        inspectors="督查组",
        marks={items[0].pk: (30, ""), items[1].pk: (40, "")},
        by=county_office,
    )
    june = assessment_services.create_round(
        county=county_office.county,
        month=D(2026, 6, 1),
        title="6月督查",
        checklist=[("联席会议", 100)],
        by=county_office,
    )
    assessment_services.record_visit(
        inspection=june,
        cluster=second,
        visited_on=END + datetime.timedelta(days=1),
        inspectors="督查组",
        marks={june.checklist.get().pk: (10, "")},
        by=county_office,
    )
    period = af.may_period(county_office, subject_kind=SubjectKind.JOINT, metrics=[Metric.INSPECTION_SCORE])
    card = selectors.compute(period)
    for cluster in (may.a2, second):
        cell = card.row(cluster.pk).cells[0]
        visits = InspectionVisit.objects.filter(cluster=cluster, **_in_may("visited_on"))
        assert (cell.numerator, cell.denominator) == (sum(v.score for v in visits), visits.count())
    cell = card.row(second.pk).cells[0]
    assert cell.value == Decimal(70) and [line["pk"] for line in cell.lines] == [last_day.pk]


def test_a_person_on_the_roll_never_marked_counts_as_not_attending(may, clock, county_office, township_a):
    """Leaving the absent unmarked must not raise the rate: 4 of 6 marked rows, plus two names on the roll."""
    meeting_services.add_to_roll(meeting=may.m1, by=may.cadre, people="李一\n周六\n吴七")
    meeting_services.add_to_roll(meeting=may.m3, by=may.cadre, people="郑八")  # 1 June: June's meeting
    cell = _cell(af.may_period(county_office), township_a.pk, Metric.ATTENDANCE)
    assert (cell.numerator, cell.denominator) == (4, 8)
    unmarked = [line for line in cell.lines if line["status"] == rules.UNMARKED]
    assert sorted(line["label"].split(" · ")[0] for line in unmarked) == ["吴七", "周六"]
    assert {line["state"] for line in unmarked} == {rules.NOT_COUNTED}

    # Marked afterwards, they count as what they are.
    meeting_services.mark_attendance(meeting=may.m1, by=may.cadre, name="周六", status=Attendance.Status.PRESENT)
    cell = _cell(af.may_period(county_office), township_a.pk, Metric.ATTENDANCE)
    assert (cell.numerator, cell.denominator) == (5, 8)


def test_a_late_arrival_attended_but_is_counted_against_being_on_time(may, clock, county_office, township_a):
    """Seed 003 asks whether village cadres attended on time: a late arrival stays in the count, not on time."""
    rows = _may_attendance(township_a)
    late = rows.filter(status=Attendance.Status.PRESENT).first()
    meeting_services.mark_attendance(meeting=late.meeting, by=may.cadre, name=late.name, status=Attendance.Status.LATE)
    cell = _cell(af.may_period(county_office), township_a.pk, Metric.ATTENDANCE)
    assert (cell.numerator, cell.denominator) == (3, 6)
    [line] = [line for line in cell.lines if line["pk"] == late.pk]
    assert (line["status"], line["state"]) == (rules.ARRIVED_LATE, rules.NOT_COUNTED)
