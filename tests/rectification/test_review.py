"""The three-step review: the township proposes, the department advises, then checks and decides."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianchun import clock
from rectification import services
from rectification.models import Governance, PlanStatus, RectificationPlan, ReviewRound
from tests import factories
from tests.rectification import factories as rf

ALL = rf.ALL_CHECKS


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def test_a_cadre_drafts_a_plan_for_a_weak_village_of_its_own_township(draft, cadre_a):
    assert draft.status == PlanStatus.DRAFT
    assert draft.items.count() == 2
    assert draft.events.get().to_status == PlanStatus.DRAFT
    assert draft.history.first().history_user == cadre_a


def test_drafting_refused_for_another_township_and_county_roles(weak_a, cadre_b, org_department, county_office, leader):
    for user in (cadre_b, org_department, county_office, leader):
        with pytest.raises(PermissionDenied):
            rf.draft_plan(weak_a, cadre=user, leader=leader)
    assert not RectificationPlan.objects.exists()


def test_drafting_refused_for_a_village_not_marked_weak(village_a, cadre_a, leader):
    with pytest.raises(ValidationError) as error:
        rf.draft_plan(village_a, cadre=cadre_a, leader=leader)
    assert codes(error.value) == {"village_not_weak"}


def test_a_village_has_one_plan(draft, weak_a, cadre_a, leader):
    with pytest.raises(ValidationError) as error:
        rf.draft_plan(weak_a, cadre=cadre_a, leader=leader)
    assert codes(error.value) == {"plan_exists"}
    assert RectificationPlan.objects.count() == 1


def test_the_contact_must_be_a_county_leader_of_the_county(weak_a, cadre_a, org_department):
    with pytest.raises(ValidationError) as error:
        rf.draft_plan(weak_a, cadre=cadre_a, leader=org_department)
    assert codes(error.value) == {"not_a_county_leader"}


def test_propose_records_the_meeting_and_snapshots_round_one(draft, cadre_a):
    review = rf.propose(draft, cadre_a)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.PROPOSED
    assert draft.rounds == 1
    assert review.number == 1
    assert review.meeting_result == "应到45人，实到42人，全票通过"
    assert [item["problem"] for item in review.snapshot["items"]] == list(
        draft.items.order_by("deadline").values_list("problem", flat=True)
    )


def test_propose_refused_without_items(weak_a, cadre_a, leader):
    plan = rf.draft_plan(weak_a, cadre=cadre_a, leader=leader, items=0)
    with pytest.raises(ValidationError) as error:
        rf.propose(plan, cadre_a)
    assert codes(error.value) == {"no_items"}
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.rounds == 0


def test_propose_refused_with_a_future_meeting_date(draft, cadre_a):
    with pytest.raises(ValidationError) as error:
        services.propose_plan(
            plan=draft,
            by=cadre_a,
            meeting_date=clock.today() + datetime.timedelta(days=1),
            entitled=45,
            present=42,
            in_favour=42,
            meeting_result="通过",
        )
    assert codes(error.value) == {"future_date"}


def test_only_the_own_township_proposes(draft, cadre_b, org_department):
    for user in (cadre_b, org_department):
        with pytest.raises(PermissionDenied):
            rf.propose(draft, user)


def test_the_township_cannot_advise_or_approve_its_own_plan(draft, cadre_a):
    rf.propose(draft, cadre_a)
    with pytest.raises(PermissionDenied):
        services.advise_plan(plan=draft, by=cadre_a, advice="自己同意")
    with pytest.raises(PermissionDenied):
        services.approve_plan(plan=draft, by=cadre_a, checks=ALL)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.PROPOSED


def test_county_office_and_leader_cannot_review(draft, cadre_a, county_office, leader):
    rf.propose(draft, cadre_a)
    for user in (county_office, leader):
        with pytest.raises(PermissionDenied):
            services.advise_plan(plan=draft, by=user, advice="意见")


def test_approval_before_advice_is_refused(draft, cadre_a, org_department):
    rf.propose(draft, cadre_a)
    with pytest.raises(ValidationError) as error:
        services.approve_plan(plan=draft, by=org_department, checks=ALL)
    assert codes(error.value) == {"wrong_state"}


def test_advice_requires_text(draft, cadre_a, org_department):
    rf.propose(draft, cadre_a)
    with pytest.raises(ValidationError) as error:
        services.advise_plan(plan=draft, by=org_department, advice="  ")
    assert codes(error.value) == {"opinion_required"}


@pytest.mark.parametrize("missing", ["problems_accurate", "measures_targeted", "responsibility_clear"])
def test_the_department_cannot_approve_without_all_three_checks(advised, org_department, missing):
    checks = {**ALL, missing: False}
    with pytest.raises(ValidationError, match="三个检查都勾选") as error:
        services.approve_plan(plan=advised, by=org_department, checks=checks)
    assert codes(error.value) == {"checks_incomplete"}
    advised.refresh_from_db()
    assert advised.status == PlanStatus.ADVISED
    assert advised.review_rounds.get().decision == ReviewRound.Decision.PENDING


def test_approval_with_all_checks_starts_rectifying(advised, org_department):
    services.approve_plan(plan=advised, by=org_department, checks=ALL, note="同意实施")
    advised.refresh_from_db()
    assert advised.status == PlanStatus.RECTIFYING
    assert advised.approved_on == clock.today()
    review = advised.review_rounds.get()
    assert review.decision == ReviewRound.Decision.APPROVED and review.decided_by == org_department


def test_return_records_what_failed_and_requires_a_note(advised, org_department):
    checks = {**ALL, "responsibility_clear": False}
    with pytest.raises(ValidationError) as error:
        services.return_plan(plan=advised, by=org_department, checks=checks, note="")
    assert codes(error.value) == {"opinion_required"}
    services.return_plan(plan=advised, by=org_department, checks=checks, note="责任人和时限不明确")
    advised.refresh_from_db()
    assert advised.status == PlanStatus.RETURNED
    review = advised.review_rounds.get()
    assert review.failed_checks == ["整改责任人和时限明确"]


def test_return_with_every_check_ticked_is_refused(advised, org_department):
    with pytest.raises(ValidationError) as error:
        services.return_plan(plan=advised, by=org_department, checks=ALL, note="退回")
    assert codes(error.value) == {"nothing_failed"}


def test_rounds_are_counted_and_each_keeps_its_own_text(advised, cadre_a, org_department):
    services.return_plan(plan=advised, by=org_department, checks={**ALL, "problems_accurate": False}, note="问题不准")
    item = advised.items.first()
    services.update_item(item=item, by=cadre_a, problem="修改后的问题：书记长期缺职")
    services.add_item(
        plan=advised,
        by=cadre_a,
        governance=Governance.CORRUPTION,
        problem="新增问题",
        measure="开展财务审计",
        responsible="王会计",
        deadline=clock.today() + datetime.timedelta(days=60),
    )
    rf.propose(advised, cadre_a)
    services.advise_plan(plan=advised, by=org_department, advice="第二轮意见")
    services.approve_plan(plan=advised, by=org_department, checks=ALL)
    advised.refresh_from_db()
    assert advised.rounds == 2
    first, second = advised.review_rounds.order_by("number")
    assert len(first.snapshot["items"]) == 2 and len(second.snapshot["items"]) == 3
    assert "修改后的问题：书记长期缺职" not in [i["problem"] for i in first.snapshot["items"]]
    assert "修改后的问题：书记长期缺职" in [i["problem"] for i in second.snapshot["items"]]
    assert (first.decision, second.decision) == ("returned", "approved")
    assert first.advice == "措施可行，建议细化时限。" and second.advice == "第二轮意见"


def test_a_plan_under_review_cannot_be_edited(draft, cadre_a):
    rf.propose(draft, cadre_a)
    with pytest.raises(ValidationError) as error:
        services.update_item(item=draft.items.first(), by=cadre_a, problem="偷偷改")
    assert codes(error.value) == {"wrong_state"}
    with pytest.raises(ValidationError):
        services.update_plan(plan=draft, by=cadre_a, work_team="改")


def test_removing_an_item_voids_it(draft, cadre_a):
    item = draft.items.first()
    services.remove_item(item=item, by=cadre_a)
    item.refresh_from_db()
    assert item.is_voided
    assert draft.items.filter(voided_at__isnull=True).count() == 1


def test_another_county_department_cannot_review(advised):
    other_county = factories.CountyFactory(code="379902000000")
    outsider = factories.county_user(other_county, "org_department")
    with pytest.raises(PermissionDenied):
        services.approve_plan(plan=advised, by=outsider, checks=ALL)


def test_a_draft_voided_by_mistake_frees_the_village_for_a_new_plan(draft, weak_a, cadre_a, cadre_b, leader):
    with pytest.raises(PermissionDenied):
        services.void_plan(plan=draft, by=cadre_b, reason="录错")
    services.void_plan(plan=draft, by=cadre_a, reason="录错村")
    draft.refresh_from_db()
    assert draft.is_voided and draft.void_reason == "录错村"
    again = rf.draft_plan(weak_a, cadre=cadre_a, leader=leader)
    assert again.pk != draft.pk


def test_a_plan_once_proposed_cannot_be_voided(draft, cadre_a, org_department):
    rf.propose(draft, cadre_a)
    with pytest.raises(ValidationError) as error:
        services.void_plan(plan=draft, by=cadre_a, reason="不要了")
    assert codes(error.value) == {"wrong_state"}
    services.advise_plan(plan=draft, by=org_department, advice="意见")
    services.return_plan(plan=draft, by=org_department, checks={}, note="退回")
    with pytest.raises(ValidationError) as error:
        services.void_plan(plan=draft, by=cadre_a, reason="不要了")
    assert codes(error.value) == {"wrong_state"}
