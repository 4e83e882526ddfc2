"""Village cadres as subjects of a scheme: their 例会 attendance and the self-government projects they lead.

Seed 003: 对村两委主要干部是否按时参加例会 … 进行量化考核. Seed 002: 每个村(社区)书记每年至少领办1个自治类项目,
并将项目成效纳入年度考核. Each figure is checked against a count made directly from the records, at the
period's edges (the last day counts, the next day belongs to the next period).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import rules, selectors, services
from assessments.models import Metric, PeriodKind, SubjectKind
from clusters import services as cluster_services
from clusters.models import ClusterOfficer
from meetings import services as meeting_services
from meetings.models import Attendance, DecisionRecord, DecisionStage, DecisionStep, Invitee
from tests import factories
from tests.assessments import factories as af
from tests.meetings import factories as mf

D = datetime.date
START, END = af.MAY
Body = ClusterOfficer.Body


def _project(cadre, village, title, lead, proposed_on, *, fail_consultation=False):
    decision = meeting_services.start_decision(village=village, by=cadre, title=title, lead=lead)
    meeting_services.record_decision_step(
        decision=decision, by=cadre, step=DecisionStep.PROPOSAL, held_on=proposed_on, passed=True
    )
    meeting_services.record_decision_step(
        decision=decision,
        by=cadre,
        step=DecisionStep.CONSULTATION,
        held_on=proposed_on + datetime.timedelta(days=3),
        passed=not fail_consultation,
    )
    return decision


@pytest.fixture
def cadres(db, clock, cadre_a, cadre_b, county_office, township_a, township_b, village_a):
    af.set_today(clock, D(2026, 6, 25))
    w = SimpleNamespace()
    w.v2 = factories.VillageFactory(township=township_a, name="东岗村")
    vb = factories.VillageFactory(township=township_b, name="南岗村")
    w.cluster = af.cluster(township_a, "李家联村", villages=[village_a, w.v2])
    other = af.cluster(township_b, "南岗联村", villages=[vb])

    def officer(cluster, body, name, post, village, by=cadre_a):
        return cluster_services.add_officer(
            cluster=cluster, body=body, name=name, post=post, home_village=village, by=by
        )

    # 李书记 holds two posts (the village secretary on the cluster's branch and its committee): one subject.
    w.secretary = officer(w.cluster, Body.PARTY_BRANCH, "李书记", "书记", village_a)
    w.secretary_post2 = officer(w.cluster, Body.COMMITTEE, "李书记", "主任", village_a)
    w.member = officer(w.cluster, Body.COMMITTEE, "王委员", "委员", w.v2)
    officer(w.cluster, Body.WORK_GROUP, "张组长", "组长", None)  # a township cadre, not a village cadre
    w.elsewhere = officer(other, Body.PARTY_BRANCH, "马书记", "书记", vb, by=cadre_b)

    # 例会 on 10 May, on the period's last day, and on 1 June (June's); the roll names the village cadres.
    w.m1 = mf.township_meeting(cadre_a, on=D(2026, 5, 10))
    w.m2 = mf.township_meeting(cadre_a, on=D(2026, 5, 31))
    w.m3 = mf.township_meeting(cadre_a, on=D(2026, 6, 1))
    for meeting, marks in [
        (w.m1, {"李书记": "present", "王委员": "absent"}),
        (w.m2, {"李书记": "leave", "王委员": "present"}),
        (w.m3, {"李书记": "absent", "王委员": "absent"}),
    ]:
        for name, status in marks.items():
            meeting_services.mark_attendance(
                meeting=meeting,
                by=cadre_a,
                name=name,
                status=status,
                leave_approved_by="镇党委书记" * (status == "leave"),
            )
    meeting_services.add_attendance(meeting=w.m1, by=cadre_a, name="赵群众", status="present")  # not a cadre
    mb = mf.township_meeting(cadre_b, on=D(2026, 5, 12))
    meeting_services.mark_attendance(meeting=mb, by=cadre_b, name="马书记", status="absent")

    # Self-government projects: proposed on the last day (counts), on 1 June (June's), one that failed.
    w.led_last_day = _project(cadre_a, village_a, "邻里互助站", w.secretary, END)
    _project(cadre_a, village_a, "红色物业", w.secretary_post2, D(2026, 6, 1))
    w.failed = _project(cadre_a, village_a, "村口停车场", w.secretary, D(2026, 5, 5), fail_consultation=True)
    w.member_project = _project(cadre_a, w.v2, "河道保洁", w.member, D(2026, 5, 20))
    meeting_services.start_decision(village=village_a, by=cadre_a, title="无人领办的事项")
    return w


def _period(office, metrics=(Metric.ATTENDANCE, Metric.PROJECTS_LED)):
    return af.may_period(office, subject_kind=SubjectKind.VILLAGE_CADRE, metrics=list(metrics))


def _cell(card, subject_id, metric):
    return next(cell for cell in card.row(subject_id).cells if cell.indicator.metric == metric)


def _posts(officer):
    return set(
        ClusterOfficer.objects.filter(name=officer.name, home_village=officer.home_village).values_list("pk", flat=True)
    )


def test_the_subjects_are_the_village_cadres_one_per_person(cadres, county_office):
    card = selectors.compute(_period(county_office))
    assert {row.subject_id for row in card.rows} == {cadres.secretary.pk, cadres.member.pk, cadres.elsewhere.pk}
    assert "书记、主任" in card.row(cadres.secretary.pk).name  # two posts, one person


def test_attendance_of_a_cadre_equals_their_rows_counted_directly(cadres, county_office):
    card = selectors.compute(_period(county_office))
    for officer in (cadres.secretary, cadres.member):
        names = Invitee.objects.filter(officer__in=_posts(officer)).values("meeting_id", "name")
        rows = [
            row
            for row in Attendance.objects.filter(
                meeting__starts_at__gte=af.at(START, 0),
                meeting__starts_at__lt=af.at(END + datetime.timedelta(days=1), 0),
            )
            if {"meeting_id": row.meeting_id, "name": row.name} in list(names)
        ]
        present = sum(row.status == Attendance.Status.PRESENT for row in rows)
        counted = sum(row.status != Attendance.Status.LEAVE for row in rows)
        cell = _cell(card, officer.pk, Metric.ATTENDANCE)
        assert (cell.numerator, cell.denominator) == (present, counted)
    assert (_cell(card, cadres.secretary.pk, Metric.ATTENDANCE).value) == Decimal("100.0")  # leave left out
    member = _cell(card, cadres.member.pk, Metric.ATTENDANCE)
    assert member.value == Decimal("50.0")
    # Present on the period's last day counts; absent on 1 June belongs to June; 赵群众 is nobody's.
    urls = {line["url"] for line in member.lines}
    assert cadres.m2.get_absolute_url() in urls and cadres.m3.get_absolute_url() not in urls
    assert not any("赵群众" in line["label"] for row in card.rows for cell in row.cells for line in cell.lines)
    assert _cell(card, cadres.elsewhere.pk, Metric.ATTENDANCE).denominator == 1


def test_projects_led_equal_the_proposals_counted_directly_at_the_period_edges(cadres, county_office):
    card = selectors.compute(_period(county_office))
    for officer in (cadres.secretary, cadres.member, cadres.elsewhere):
        direct = (
            DecisionRecord.objects.filter(
                step=DecisionStep.PROPOSAL,
                held_on__gte=START,
                held_on__lte=END,
                decision__lead__in=_posts(officer),
                decision__voided_at__isnull=True,
            )
            .exclude(decision__stage=DecisionStage.FAILED)
            .count()
        )
        assert _cell(card, officer.pk, Metric.PROJECTS_LED).numerator == direct
    secretary = _cell(card, cadres.secretary.pk, Metric.PROJECTS_LED)
    assert secretary.value == Decimal(1)  # the last day's; 1 June's is June's; the failed one is shown only
    states = {line["pk"]: (line["status"], line["state"]) for line in secretary.lines}
    assert states == {cadres.led_last_day.pk: ("led", rules.COUNTED), cadres.failed.pk: ("failed", rules.NOT_COUNTED)}
    assert _cell(card, cadres.member.pk, Metric.PROJECTS_LED).value == Decimal(1)
    assert _cell(card, cadres.elsewhere.pk, Metric.PROJECTS_LED).value == Decimal(0)


def test_a_secretary_without_a_project_in_the_year_is_red(cadres, county_office):
    scheme = services.create_scheme(
        county=county_office.county,
        name="村书记年度考核",
        subject_kind=SubjectKind.VILLAGE_CADRE,
        period_kind=PeriodKind.YEAR,
        by=county_office,
    )
    services.add_indicator(
        scheme=scheme,
        metric=Metric.PROJECTS_LED,
        label="领办自治项目",
        weight=10,
        target=Decimal(1),
        green_from=Decimal(1),
        amber_from=Decimal(1),
        by=county_office,
    )
    period = services.open_period(
        scheme=scheme, label="2026年", starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31), by=county_office
    )
    card = selectors.compute(period)
    assert _cell(card, cadres.secretary.pk, Metric.PROJECTS_LED).value == Decimal(2)  # May's and June's
    assert _cell(card, cadres.secretary.pk, Metric.PROJECTS_LED).band == rules.GREEN
    assert _cell(card, cadres.elsewhere.pk, Metric.PROJECTS_LED).band == rules.RED
    assert card.row(cadres.elsewhere.pk).total == 0


def test_the_drill_down_opens_the_projects_and_meetings_beneath_a_cadre(cadres, county_office, login):
    period = _period(county_office)
    client = login(county_office)
    for metric, expected in [
        (Metric.PROJECTS_LED, cadres.led_last_day.get_absolute_url()),
        (Metric.ATTENDANCE, cadres.m1.get_absolute_url()),
    ]:
        indicator = period.scheme.indicators.get(metric=metric)
        page = client.get(reverse("assessments:scorecard-cell", args=[period.pk, cadres.secretary.pk, indicator.pk]))
        assert page.status_code == 200
        assert expected in page.content.decode()


def test_the_lead_is_a_cadre_of_the_decisions_village(cadres, cadre_a, village_a):
    with pytest.raises(ValidationError) as refused:
        meeting_services.start_decision(village=village_a, by=cadre_a, title="跨村领办", lead=cadres.member)
    assert refused.value.error_dict["lead"][0].code == "lead_elsewhere"


def test_the_decision_form_offers_the_villages_cadres_and_the_page_shows_the_lead(cadres, cadre_a, village_a, login):
    client = login(cadre_a)
    form = client.get(reverse("meetings:decision-create")).content.decode()
    assert "李书记（书记）" in form and "张组长" not in form and "马书记" not in form
    response = client.post(
        reverse("meetings:decision-create"),
        {"village": village_a.pk, "title": "文化礼堂改造", "lead": cadres.secretary.pk},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "李书记（书记）" in page


def test_a_frozen_cadre_ranking_does_not_move_when_a_project_fails_later_and_recompute_lists_it(
    cadres, county_office, cadre_a
):
    period = _period(county_office)
    services.close_period(period=period, by=county_office)
    services.publish_period(period=period, by=county_office)
    before = selectors.scorecard(period)
    assert _cell(before, cadres.member.pk, Metric.PROJECTS_LED).value == Decimal(1)

    # Weeks later 王委员's project fails the party members' review: it no longer counts for him.
    meeting_services.record_decision_step(
        decision=cadres.member_project,
        by=cadre_a,
        step=DecisionStep.REVIEW,
        held_on=D(2026, 6, 20),
        members=30,
        present=26,
        in_favour=10,
        against=16,
    )
    after = selectors.scorecard(period)
    assert [(row.subject_id, row.total, row.rank) for row in after.rows] == [
        (row.subject_id, row.total, row.rank) for row in before.rows
    ]
    assert _cell(after, cadres.member.pk, Metric.PROJECTS_LED).value == Decimal(1)
    changed = [(d.subject, d.frozen_value, d.current_value) for d in selectors.recompute(period).differences]
    assert changed == [(before.row(cadres.member.pk).name, Decimal(1), Decimal(0))]
