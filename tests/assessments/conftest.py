"""A month of township A's records (May 2026), built through each app's services, at the period's edges."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from assessments import services as assessment_services
from clusters.models import Form
from meetings import services as meeting_services
from meetings.models import Attendance, DecisionStep, Outcome
from rectification import services as rectification_services
from rectification.models import LedgerEntry
from reports.weeks import Week
from tests import factories
from tests.assessments import factories as af
from tests.clusters import factories as cf
from tests.meetings import factories as mf
from tests.rectification import factories as rectf

D = datetime.date


def _decision(cadre, village, title, last_day):
    decision = meeting_services.start_decision(village=village, by=cadre, title=title)
    votes = {"members": 30, "present": 28, "in_favour": 26, "against": 2}
    for step in DecisionStep:
        extra = votes if step in (DecisionStep.REVIEW, DecisionStep.RESOLUTION) else {}
        if step in (DecisionStep.PROPOSAL, DecisionStep.CONSULTATION):
            extra = {"passed": True}
        meeting_services.record_decision_step(
            decision=decision,
            by=cadre,
            step=step,
            held_on=last_day if step == DecisionStep.RESULT_PUBLIC else last_day - datetime.timedelta(days=10),
            **extra,
        )
    return decision


@pytest.fixture
def may(db, clock, cadre_a, cadre_b, county_office, org_department, leader, township_a, township_b, village_a):
    """Township A's May: reports, 例会 with attendance and issues, ledger matters, measures, decisions, consent, a visit."""
    w = SimpleNamespace(cadre=cadre_a, office=county_office)
    v2 = factories.VillageFactory(township=township_a, name="东岗村")
    v3 = factories.VillageFactory(township=township_a, name="西岗村")
    vb = factories.VillageFactory(township=township_b, name="南岗村")
    partner = factories.PartnerUnitFactory(county=township_a.county, name="益欣食品有限公司")
    w.a1 = af.cluster(township_a, "李家联村", villages=[village_a, v2])
    w.a2 = af.cluster(township_a, "益欣城乡联建", form=Form.URBAN_RURAL, villages=[v3], partner=partner)
    w.b1 = af.cluster(township_b, "南岗联村", villages=[vb])
    w.villages = [village_a, v2, v3]

    # Rectification: planned on 1 April, so its two measures fall due on 1 May and on 31 May.
    af.set_today(clock, D(2026, 4, 1))
    weak = rectf.weak_village(township_a)
    w.villages.append(weak)
    from clusters.models import ClusterMembership

    ClusterMembership.objects.create(cluster=w.a2, village=weak, form=Form.URBAN_RURAL, joined_on=D(2026, 1, 5))
    w.plan = rectf.approved_plan(weak, cadre=cadre_a, leader=leader, org=org_department)
    w.items = list(w.plan.items.order_by("deadline"))
    assert [item.deadline for item in w.items] == [D(2026, 5, 1), D(2026, 5, 31)]

    # Weekly reports: the weeks ending in May are W18 (to 3 May) … W22 (to 31 May, due 1 June 12:00).
    weeks = [
        Week.of(D(2026, 5, 3)),
        Week.of(D(2026, 5, 10)),
        Week.of(D(2026, 5, 17)),
        Week.of(D(2026, 5, 24)),
        Week.of(D(2026, 5, 31)),
    ]
    w.weeks = weeks
    af.submit_at(w.a1, weeks[0], cadre_a, clock, af.at(D(2026, 5, 4), 9))  # on time
    af.submit_at(w.a1, weeks[1], cadre_a, clock, af.at(D(2026, 5, 12), 9))  # late
    af.set_today(clock, D(2026, 5, 26))
    from tests.reports import factories as reportf

    reportf.draft(w.a1, weeks[3], cadre_a)  # a draft, never submitted
    w.edge_on_time = af.submit_at(w.a1, weeks[4], cadre_a, clock, af.at(D(2026, 6, 1), 12))  # exactly at the deadline
    w.edge_late = af.submit_at(w.a2, weeks[4], cadre_a, clock, af.at(D(2026, 6, 1), 12, 0, 1))  # one second after
    af.submit_at(w.b1, weeks[0], cadre_b, clock, af.at(D(2026, 5, 4), 9))

    af.set_today(clock, D(2026, 6, 25))
    # 例会: 10 May and the period's last day; one on 1 June belongs to June.
    w.m1 = mf.township_meeting(cadre_a, on=D(2026, 5, 10))
    w.m2 = mf.township_meeting(cadre_a, on=D(2026, 5, 31))
    w.m3 = mf.township_meeting(cadre_a, on=D(2026, 6, 1))
    for meeting, rows in [
        (w.m1, [("李一", "present"), ("王二", "present"), ("张三", "absent")]),
        (w.m2, [("李一", "present"), ("王二", "leave"), ("张三", "present"), ("赵四", "absent")]),
        (w.m3, [("李一", "absent"), ("王二", "absent")]),
    ]:
        for name, status in rows:
            meeting_services.add_attendance(
                meeting=meeting,
                by=cadre_a,
                name=name,
                status=status,
                leave_approved_by="镇党委书记" if status == Attendance.Status.LEAVE else "",
            )
    mb = mf.township_meeting(cadre_b, on=D(2026, 5, 12))
    meeting_services.add_attendance(meeting=mb, by=cadre_b, name="马五", status="absent")

    def issue(meeting, text, village=None):
        return meeting_services.raise_issue(
            meeting=meeting, by=cadre_a, description=text, raised_by="村书记", owner="王副镇长", village=village
        )

    w.issue_in_time = issue(w.m2, "最后一天提出、月内解决")  # due 30 June
    w.issue_pending = issue(w.m2, "最后一天提出、尚未解决")
    w.issue_late = issue(w.m1, "五月十日提出、逾期解决")  # due 10 June
    w.issue_june = issue(w.m3, "六月提出")
    meeting_services.record_outcome(
        issue=w.issue_in_time,
        by=cadre_a,
        outcome=Outcome.SPECIAL_MEETING,
        outcome_on=D(2026, 6, 20),
        note="专题会议解决",
    )
    meeting_services.record_outcome(
        issue=w.issue_late, by=cadre_a, outcome=Outcome.ESCALATED, outcome_on=D(2026, 6, 12), note="上报"
    )

    # 三本台账: collected in May, solved within May or after it.
    kind = rectf.livelihood(township_a.county)

    def entry(village, collected, solved=None):
        return rectification_services.create_ledger_entry(
            village=village,
            by=cadre_a,
            kind=kind,
            source=LedgerEntry.Source.HOUSE_VISIT,
            collected_on=collected,
            summary="村道破损",
            owner="李书记",
            handling=None,
            status=LedgerEntry.Status.SOLVED if solved else LedgerEntry.Status.IN_PROGRESS,
            solved_on=solved,
        )

    entry(village_a, D(2026, 5, 3), D(2026, 5, 20))
    entry(village_a, D(2026, 5, 31), D(2026, 5, 31))
    entry(v2, D(2026, 5, 18), D(2026, 6, 3))  # solved after the period
    entry(v3, D(2026, 5, 19))
    entry(v3, D(2026, 6, 2), D(2026, 6, 2))  # June's

    # The first measure is completed on 5 June: still past its deadline when May ended.
    rectification_services.record_progress(
        item=w.items[0], by=cadre_a, on_date=D(2026, 6, 5), evidence="已完成", marks_complete=True
    )

    # 四议两公开: one completed on 31 May, one on 2 June.
    w.decision_may = _decision(cadre_a, village_a, "修建村文化广场", D(2026, 5, 31))
    _decision(cadre_a, v3, "村道硬化", D(2026, 6, 2))

    # Consent collected in May by a new cluster in consultation.
    af.set_today(clock, D(2026, 5, 15))  # consultation begins before the forms come back
    consulting = cf.consulting_cluster(cadre_a, cf.villages_of(township_a, 2), name="新建联村")
    af.set_today(clock, D(2026, 6, 25))
    cf.give_consent(
        cadre_a,
        consulting,
        {v.village: (50, 40, 5, 1) for v in consulting.surveys.select_related("village")},
        on=D(2026, 5, 20),
    )

    # A May inspection of the joint organisation.
    inspection = assessment_services.create_round(
        county=township_a.county,
        month=D(2026, 5, 1),
        title="5月督查",
        checklist=[("联席会议", 50), ("帮扶", 50)],
        by=county_office,
    )
    items = list(inspection.checklist.all())
    w.visit = assessment_services.record_visit(
        inspection=inspection,
        cluster=w.a2,
        visited_on=D(2026, 5, 20),
        inspectors="督查组",
        marks={items[0].pk: (40, ""), items[1].pk: (45, "")},
        by=county_office,
    )
    w.round = inspection
    return w
