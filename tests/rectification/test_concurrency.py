"""Two department users deciding the same round at once: the row lock lets only one through (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from rectification import services, workflows
from rectification.models import PlanEvent, PlanStatus, RectificationPlan
from tests import factories
from tests.rectification import factories as rf

pytestmark = pytest.mark.django_db(transaction=True)


def decide_at_once(plan_pk, first_user, second_user, monkeypatch) -> list:
    """Approve and return the same plan from two threads that both pass the status check first."""
    barrier = threading.Barrier(2)
    original = workflows._current_round

    def meet_then_continue(plan):
        try:
            barrier.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        return original(plan)

    monkeypatch.setattr(workflows, "_current_round", meet_then_continue)
    outcomes: list = []

    def run(action, user):
        try:
            plan = RectificationPlan.objects.select_related("village__township").get(pk=plan_pk)
            if action == "approve":
                services.approve_plan(plan=plan, by=user, checks=rf.ALL_CHECKS)
            else:
                services.return_plan(plan=plan, by=user, checks={"problems_accurate": True}, note="退回")
            outcomes.append((action, "ok"))
        except ValidationError as error:
            outcomes.append((action, error.error_list[0].code))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("approve", first_user)),
        threading.Thread(target=run, args=("return", second_user)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def setting(township_a, cadre_a, leader, org_department, county):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    second = factories.county_user(county, "org_department", username="org2")
    plan = rf.advised_plan(rf.weak_village(township_a), cadre=cadre_a, leader=leader, org=org_department)
    return plan, org_department, second


def test_without_the_lock_both_decisions_go_through(setting, monkeypatch):
    plan, first, second = setting
    # The workflow's row lock replaced by a plain read of the record as the thread fetched it.
    monkeypatch.setattr(workflows.PLAN_FLOW, "_lock", lambda record, by: record)
    outcomes = decide_at_once(plan.pk, first, second, monkeypatch)
    assert sorted(outcomes) == [("approve", "ok"), ("return", "ok")]
    assert PlanEvent.objects.filter(plan=plan, from_status=PlanStatus.ADVISED).count() == 2  # the race


def test_with_the_lock_the_second_decision_is_refused(setting, monkeypatch):
    plan, first, second = setting
    outcomes = decide_at_once(plan.pk, first, second, monkeypatch)
    assert sorted(result for _action, result in outcomes) == ["ok", "wrong_state"]
    assert PlanEvent.objects.filter(plan=plan, from_status=PlanStatus.ADVISED).count() == 1
