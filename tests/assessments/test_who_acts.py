"""Who may write an assessment record is decided by the services, not only by the pages that call them.

Every write of the assessments app is tried by the roles that may not make it — the township cadre and the
county's other roles on the county office's records, another county's office on this county's, a cadre of
another township or the county office on a township's records — and each is refused with PermissionDenied
(a 403 in any view), with nothing saved. The actor that may is shown to succeed on the same arguments, so a
refusal is the actor's and not the arguments'.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Role
from assessments import services
from assessments.models import (
    Appraisal,
    AppraisalResult,
    AssessmentPeriod,
    AssessmentScheme,
    Circular,
    Contribution,
    Finding,
    HelpFollowUp,
    InspectionRound,
    InspectionVisit,
    Metric,
    PeriodKind,
    SchemeIndicator,
    ScoreEntry,
    StarRating,
    SubjectKind,
)
from clusters.models import Form
from tests import factories
from tests.assessments import factories as af

D = datetime.date


@pytest.fixture
def other_office(city):
    county = factories.CountyFactory(code="379902000000", name="柳林县", city=city)
    return factories.county_user(county, Role.COUNTY_OFFICE, username="other_office", full_name="孙主任")


@pytest.fixture
def records(clock, county, township_a, village_a, cadre_a, county_office):
    """One record of each kind the writes act on, made by the actors that may."""
    af.set_today(clock, D(2026, 6, 20))
    partner = factories.PartnerUnitFactory(county=county, name="益欣食品有限公司")
    cluster = af.cluster(township_a, "李家联村", villages=[village_a])
    joint = af.cluster(
        township_a,
        "益欣城乡联建",
        form=Form.URBAN_RURAL,
        partner=partner,
        villages=[factories.VillageFactory(township=township_a)],
    )
    scheme = services.create_scheme(
        county=county,
        name="联村工作考核",
        subject_kind=SubjectKind.TOWNSHIP,
        period_kind=PeriodKind.MONTH,
        by=county_office,
    )
    indicator = services.add_indicator(
        scheme=scheme,
        metric=Metric.ENTERED,
        label="群众满意度",
        weight=10,
        target=Decimal(100),
        green_from=Decimal(90),
        amber_from=Decimal(70),
        higher_is_better=True,
        by=county_office,
    )
    period = services.open_period(
        scheme=scheme, label="2026年6月", starts_on=D(2026, 6, 1), ends_on=D(2026, 6, 30), by=county_office
    )
    inspection = services.create_round(
        county=county, month=D(2026, 6, 1), title="六月督查", checklist=[("组织建设", 100)], by=county_office
    )
    item = inspection.checklist.get()
    visit = services.record_visit(
        inspection=inspection,
        cluster=cluster,
        visited_on=D(2026, 6, 10),
        inspectors="督查组",
        marks={item.pk: (8, "")},
        by=county_office,
    )
    appraisal = services.record_appraisal(
        township=township_a, cluster=cluster, year=2026, half=1, held_on=D(2026, 6, 15), voters=30, by=cadre_a
    )
    result = services.record_result(
        appraisal=appraisal,
        member="李四",
        excellent=1,
        qualified=2,
        basic=3,
        unqualified=24,
        helper="王书记",
        by=cadre_a,
    )
    return {
        "county": county, "township": township_a, "village": village_a, "cluster": cluster, "joint": joint,
        "scheme": scheme, "indicator": indicator, "period": period, "inspection": inspection, "item": item,
        "visit": visit, "appraisal": appraisal, "result": result,
    }  # fmt: skip


# Each write: the model whose rows it adds or changes, and its arguments from the records above.
OFFICE_WRITES = {
    "create_scheme": (AssessmentScheme, lambda r: {
        "county": r["county"], "name": "第二套考核", "subject_kind": SubjectKind.CLUSTER, "period_kind": PeriodKind.YEAR}),
    "add_indicator": (SchemeIndicator, lambda r: {
        "scheme": r["scheme"], "metric": Metric.ENTERED, "label": "走访户数", "weight": 5, "target": Decimal(50),
        "green_from": Decimal(40), "amber_from": Decimal(30), "higher_is_better": True}),
    "update_indicator": (SchemeIndicator, lambda r: {"indicator": r["indicator"], "label": "群众满意率"}),
    "open_period": (AssessmentPeriod, lambda r: {
        "scheme": r["scheme"], "label": "2026年7月", "starts_on": D(2026, 7, 1), "ends_on": D(2026, 7, 31)}),
    "enter_score": (ScoreEntry, lambda r: {
        "period": r["period"], "indicator": r["indicator"], "subject_id": r["township"].pk, "value": Decimal(95)}),
    "create_round": (InspectionRound, lambda r: {
        "county": r["county"], "month": D(2026, 5, 1), "title": "五月督查", "checklist": [("阵地建设", 100)]}),
    "record_visit": (InspectionVisit, lambda r: {
        "inspection": r["inspection"], "cluster": r["joint"], "visited_on": D(2026, 6, 12), "inspectors": "督查组",
        "marks": {r["item"].pk: (9, "")}}),
    "add_finding": (Finding, lambda r: {
        "visit": r["visit"], "description": "台账不全", "owner": "镇党委", "deadline": D(2026, 7, 10)}),
    "draft_circular": (Circular, lambda r: {
        "county": r["county"], "title": "关于六月督查情况的通报", "body": "现将督查情况通报如下。", "main_recipients": "各乡镇党委",
        "issuing_organ": "县联村办", "inspection": r["inspection"]}),
    "complete_round": (InspectionRound, lambda r: {"inspection": r["inspection"]}),
}  # fmt: skip
KEEPER_WRITES = {
    "record_appraisal": (Appraisal, lambda r: {
        "township": r["township"], "village": r["village"], "year": 2026, "half": 1, "held_on": D(2026, 6, 16),
        "voters": 20}),
    "record_result": (AppraisalResult, lambda r: {
        "appraisal": r["appraisal"], "member": "赵六", "excellent": 20, "qualified": 5, "basic": 0, "unqualified": 0}),
    "add_follow_up": (HelpFollowUp, lambda r: {"result": r["result"], "on_date": D(2026, 6, 18), "note": "谈心谈话"}),
    "record_star_rating": (StarRating, lambda r: {
        "village": r["village"], "person": "李书记", "post": "村党支部书记", "year": 2026, "stars": 4, "surveyed": 50,
        "satisfied": 45}),
    "record_contribution": (Contribution, lambda r: {
        "cluster": r["joint"], "kind": "funds", "amount": Decimal("5000.00"), "on_date": D(2026, 6, 1),
        "description": "捐建文化广场"}),
}  # fmt: skip


def _rows_and_saves(model) -> tuple[int, list]:
    return model.objects.count(), list(model.history.order_by("history_id").values_list("history_id", flat=True))


@pytest.mark.parametrize("write", sorted(OFFICE_WRITES))
def test_the_county_offices_writes_are_refused_to_every_other_actor(
    write, records, cadre_a, org_department, leader, other_office, county_office
):
    model, arguments = OFFICE_WRITES[write]
    for actor in (cadre_a, org_department, leader, other_office):
        before = _rows_and_saves(model)
        with pytest.raises(PermissionDenied):
            getattr(services, write)(by=actor, **arguments(records))
        assert _rows_and_saves(model) == before, f"{write} by {actor.username} saved something"
    getattr(services, write)(by=county_office, **arguments(records))
    assert _rows_and_saves(model) != before


@pytest.mark.parametrize("write", sorted(KEEPER_WRITES))
def test_a_townships_assessment_records_are_written_by_its_own_cadre_only(
    write, records, cadre_a, cadre_b, county_office, leader
):
    model, arguments = KEEPER_WRITES[write]
    for actor in (cadre_b, county_office, leader):
        before = _rows_and_saves(model)
        with pytest.raises(PermissionDenied):
            getattr(services, write)(by=actor, **arguments(records))
        assert _rows_and_saves(model) == before, f"{write} by {actor.username} saved something"
    getattr(services, write)(by=cadre_a, **arguments(records))
    assert _rows_and_saves(model) != before


def test_the_appraisal_rule_is_the_county_offices_alone(records, county, cadre_a, leader, other_office, county_office):
    for actor in (cadre_a, leader, other_office):
        with pytest.raises(PermissionDenied):
            services.update_rule(county=county, by=actor, excellent_from_num=3)
    assert services.rule_for(county).excellent_from_num != 3
    services.update_rule(county=county, by=county_office, excellent_from_num=3)
    assert services.rule_for(county).excellent_from_num == 3


def test_a_circular_reports_only_its_own_countys_round(records, other_office):
    """Another county's office cannot draft a circular of its own over this county's inspection."""
    with pytest.raises(PermissionDenied):
        services.draft_circular(
            county=other_office.county,
            title="通报",
            body="正文",
            main_recipients="各乡镇党委",
            issuing_organ="县联村办",
            inspection=records["inspection"],
            by=other_office,
        )
    assert not Circular.objects.exists()
