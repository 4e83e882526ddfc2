"""Stages after approval: 整顿中 → 巩固提升 → 销号, progress per measure, overdue, reopening."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianchun import clock
from rectification import selectors, services
from rectification.models import PlanStatus
from tests.rectification.test_review import codes
from villages.models import Standing, StandingChange


def complete_all(plan, cadre):
    for item in plan.items.filter(voided_at__isnull=True):
        services.record_progress(
            item=item, by=cadre, on_date=clock.today(), evidence="已完成，见会议记录", marks_complete=True
        )


def test_progress_is_recorded_by_the_own_township_with_evidence(approved, cadre_a):
    item = approved.items.first()
    services.record_progress(item=item, by=cadre_a, on_date=clock.today(), evidence="召开支委会，调整班子")
    item.refresh_from_db()
    assert item.progress.count() == 1 and item.completed_on is None
    services.record_progress(item=item, by=cadre_a, on_date=clock.today(), evidence="新书记到任", marks_complete=True)
    item.refresh_from_db()
    assert item.completed_on == clock.today()


@pytest.mark.parametrize("persona", ["cadre_b", "org_department", "county_office", "leader"])
def test_progress_refused_for_others(approved, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.record_progress(item=approved.items.first(), by=user, on_date=clock.today(), evidence="x")


def test_progress_refused_before_approval(advised, cadre_a):
    with pytest.raises(ValidationError) as error:
        services.record_progress(item=advised.items.first(), by=cadre_a, on_date=clock.today(), evidence="x")
    assert codes(error.value) == {"wrong_state"}


def test_progress_needs_evidence_and_a_past_date(approved, cadre_a):
    item = approved.items.first()
    with pytest.raises(ValidationError) as error:
        services.record_progress(item=item, by=cadre_a, on_date=clock.today(), evidence=" ")
    assert codes(error.value) == {"evidence_required"}
    with pytest.raises(ValidationError) as error:
        services.record_progress(
            item=item, by=cadre_a, on_date=clock.today() + datetime.timedelta(days=1), evidence="x"
        )
    assert codes(error.value) == {"future_date"}


def test_progress_before_the_plan_was_drafted_is_refused_with_the_allowed_range(approved, cadre_a):
    from django.utils import translation

    item = approved.items.first()
    with pytest.raises(ValidationError) as error, translation.override("zh-hans"):
        services.record_progress(item=item, by=cadre_a, on_date=datetime.date(1900, 1, 1), evidence="补录")
    assert codes(error.value) == {"date_out_of_range"}
    first_meeting = approved.review_rounds.order_by("meeting_date").first().meeting_date
    message = error.value.message_dict["on_date"][0]
    assert first_meeting.isoformat() in message and clock.today().isoformat() in message
    assert "进展日期须在" in message
    assert not item.progress.exists()
    with pytest.raises(ValidationError):
        services.record_progress(
            item=item, by=cadre_a, on_date=first_meeting - datetime.timedelta(days=1), evidence="会前"
        )
    services.record_progress(item=item, by=cadre_a, on_date=first_meeting, evidence="村民代表会议当天即落实")
    assert item.progress.count() == 1


def test_measures_past_their_deadline_are_overdue_as_the_clock_moves(approved, cadre_a, clock):
    assert not selectors.overdue_items(cadre_a).exists()
    clock.travel(datetime.timedelta(days=31))
    overdue = list(selectors.overdue_items(cadre_a))
    assert [item.pk for item in overdue] == [approved.items.order_by("deadline").first().pk]
    assert overdue[0].days_overdue == 1
    services.record_progress(item=overdue[0], by=cadre_a, on_date=clock.today(), evidence="完成", marks_complete=True)
    assert not selectors.overdue_items(cadre_a).exists()


def test_the_plan_list_counts_the_measures_each_shows_as_overdue(approved, cadre_a, clock):
    first, second = approved.items.order_by("deadline")
    clock.travel(second.deadline - clock.today() + datetime.timedelta(days=1))
    services.record_progress(item=first, by=cadre_a, on_date=clock.today(), evidence="完成", marks_complete=True)
    items = list(approved.items.all())
    shown = {item.pk for item in items if item.is_overdue}
    assert shown == {second.pk}  # past both deadlines; the first measure is done
    assert {item.pk for item in selectors.overdue_items(cadre_a)} == shown
    (row,) = (plan for plan in selectors.plan_rows(cadre_a) if plan.pk == approved.pk)
    assert row.overdue_count == len(shown) and row.item_count == 2


def test_only_the_department_moves_the_stages(approved, cadre_a, county_office, leader):
    for user in (cadre_a, county_office, leader):
        with pytest.raises(PermissionDenied):
            services.start_consolidation(plan=approved, by=user, note="转入巩固")
    approved.refresh_from_db()
    assert approved.status == PlanStatus.RECTIFYING


def test_stage_moves_need_a_note_and_the_right_order(approved, org_department):
    with pytest.raises(ValidationError) as error:
        services.start_consolidation(plan=approved, by=org_department, note="")
    assert codes(error.value) == {"opinion_required"}
    with pytest.raises(ValidationError) as error:
        services.close_out_plan(plan=approved, by=org_department, note="直接销号")
    assert codes(error.value) == {"wrong_state"}
    with pytest.raises(ValidationError) as error:
        services.reopen_plan(plan=approved, by=org_department, note="重新整顿")
    assert codes(error.value) == {"wrong_state"}


def test_close_out_refused_while_measures_are_open(approved, org_department):
    services.start_consolidation(plan=approved, by=org_department, note="集中整顿完成")
    with pytest.raises(ValidationError) as error:
        services.close_out_plan(plan=approved, by=org_department, note="销号")
    assert codes(error.value) == {"items_open"}
    approved.refresh_from_db()
    assert approved.status == PlanStatus.CONSOLIDATING


def test_close_out_raises_the_standing_in_the_same_step(approved, cadre_a, org_department):
    complete_all(approved, cadre_a)
    services.start_consolidation(plan=approved, by=org_department, note="集中整顿完成")
    services.close_out_plan(
        plan=approved, by=org_department, note="验收合格，后进变先进", raise_standing_to=Standing.ADVANCED
    )
    approved.refresh_from_db()
    village = approved.village
    village.refresh_from_db()
    assert approved.status == PlanStatus.CLOSED and approved.closed_on == clock.today()
    assert village.standing == Standing.ADVANCED
    change = StandingChange.objects.get(village=village)
    assert (change.from_standing, change.to_standing, change.recorded_by) == (
        Standing.LAGGING,
        Standing.ADVANCED,
        org_department,
    )


def test_close_out_refuses_a_standing_that_is_not_higher(approved, cadre_a, org_department):
    complete_all(approved, cadre_a)
    services.start_consolidation(plan=approved, by=org_department, note="巩固")
    with pytest.raises(ValidationError) as error:
        services.close_out_plan(plan=approved, by=org_department, note="销号", raise_standing_to=Standing.LAGGING)
    assert codes(error.value) == {"standing_not_raised"}
    approved.refresh_from_db()
    assert approved.status == PlanStatus.CONSOLIDATING
    assert not StandingChange.objects.exists()


def test_reopen_after_close_out_keeps_the_history(approved, cadre_a, org_department):
    complete_all(approved, cadre_a)
    services.start_consolidation(plan=approved, by=org_department, note="巩固")
    services.close_out_plan(plan=approved, by=org_department, note="销号")
    for user in (cadre_a,):
        with pytest.raises(PermissionDenied):
            services.reopen_plan(plan=approved, by=user, note="回潮")
    services.reopen_plan(plan=approved, by=org_department, note="反复回潮，班子再次涣散")
    approved.refresh_from_db()
    assert approved.status == PlanStatus.RECTIFYING
    assert approved.reopen_count == 1 and approved.closed_on is None
    assert list(approved.events.values_list("to_status", flat=True)) == [
        "draft",
        "proposed",
        "advised",
        "rectifying",
        "consolidating",
        "closed",
        "rectifying",
    ]
    assert approved.review_rounds.count() == 1
    assert sum(item.progress.count() for item in approved.items.all()) == 2
    # The same village does not get a second plan: it is the same plan reopened.
    assert approved.village.rectification_plans.count() == 1


def test_close_out_takes_the_village_off_the_weak_list_and_reopening_puts_it_back(approved, cadre_a, org_department):
    """销号 (seed 001: 巩固一个、销号一个): the village is no longer counted weak; sliding back counts it again."""
    from clusters.models import CoverageTally

    village = approved.village
    weak = lambda: CoverageTally.objects.get(township=village.township).weak  # noqa: E731
    assert village.is_weak and weak() == 1
    complete_all(approved, cadre_a)
    services.start_consolidation(plan=approved, by=org_department, note="巩固")
    services.close_out_plan(plan=approved, by=org_department, note="验收合格，予以销号")
    village.refresh_from_db()
    assert not village.is_weak and weak() == 0
    lifted = village.history.order_by("-history_id").first()
    assert (lifted.is_weak, lifted.history_user, lifted.history_change_reason) == (
        False,
        org_department,
        "整顿销号：验收合格，予以销号",
    )
    # The village keeps its one plan and is not offered a second one while the plan is live.
    assert village not in selectors.villages_without_plan(org_department)

    services.reopen_plan(plan=approved, by=org_department, note="反复回潮，班子再次涣散")
    village.refresh_from_db()
    assert village.is_weak and weak() == 1
    assert village.history.order_by("-history_id").first().history_change_reason == ("重新整顿：反复回潮，班子再次涣散")


def test_a_reopened_plan_is_closed_out_again_only_after_renewed_progress(approved, cadre_a, org_department, clock):
    complete_all(approved, cadre_a)
    services.start_consolidation(plan=approved, by=org_department, note="巩固")
    services.close_out_plan(plan=approved, by=org_department, note="销号")
    clock.travel(datetime.timedelta(days=40))
    services.reopen_plan(plan=approved, by=org_department, note="反复回潮")
    services.start_consolidation(plan=approved, by=org_department, note="巩固")
    with pytest.raises(ValidationError) as error:
        services.close_out_plan(plan=approved, by=org_department, note="再次销号")
    assert codes(error.value) == {"no_progress_since_reopen"}
    assert "重新整顿后还没有记录任何整改进展" in error.value.messages[0]
    approved.refresh_from_db()
    assert approved.status == PlanStatus.CONSOLIDATING and approved.village.is_weak

    clock.travel(datetime.timedelta(days=1))
    services.record_progress(
        item=approved.items.first(), by=cadre_a, on_date=clock.today(), evidence="重新调整班子，召开党员大会"
    )
    services.close_out_plan(plan=approved, by=org_department, note="再次验收合格")
    approved.refresh_from_db()
    assert approved.status == PlanStatus.CLOSED and not approved.village.is_weak


def test_a_refused_close_out_leaves_the_mark(approved, org_department):
    services.start_consolidation(plan=approved, by=org_department, note="巩固")
    with pytest.raises(ValidationError):
        services.close_out_plan(plan=approved, by=org_department, note="销号")
    approved.village.refresh_from_db()
    assert approved.village.is_weak


def test_a_voided_plan_cannot_move(approved, org_department):
    from lianchun.audit import void_record

    void_record(approved, by=org_department, reason="重复录入")
    with pytest.raises(ValidationError) as error:
        services.start_consolidation(plan=approved, by=org_department, note="x")
    assert codes(error.value) == {"voided"}
