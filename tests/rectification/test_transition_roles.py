"""Every transition, tried by every persona: only its own role goes through; the others are refused (403)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from lianchun import clock
from rectification import services
from rectification.models import PlanStatus
from tests.rectification import factories as rf

PERSONAS = ["cadre_a", "cadre_b", "county_office", "org_department", "leader", "admin"]


def setup_state(state, weak_a, cadre_a, leader, org):
    if state == "draft":
        return rf.draft_plan(weak_a, cadre=cadre_a, leader=leader)
    if state == "proposed":
        plan = rf.draft_plan(weak_a, cadre=cadre_a, leader=leader)
        rf.propose(plan, cadre_a)
        return plan
    if state == "advised":
        return rf.advised_plan(weak_a, cadre=cadre_a, leader=leader, org=org)
    plan = rf.approved_plan(weak_a, cadre=cadre_a, leader=leader, org=org)
    if state in {"consolidating", "closed"}:
        for item in plan.items.all():
            services.record_progress(item=item, by=cadre_a, on_date=clock.today(), evidence="完成", marks_complete=True)
        services.start_consolidation(plan=plan, by=org, note="巩固")
    if state == "closed":
        services.close_out_plan(plan=plan, by=org, note="销号")
    return plan


TRANSITIONS = {
    # name: (state it starts from, allowed persona, call)
    "propose": ("draft", "cadre_a", lambda plan, user: rf.propose(plan, user)),
    "edit": ("draft", "cadre_a", lambda plan, user: services.update_plan(plan=plan, by=user, work_team="新工作组")),
    "advise": (
        "proposed",
        "org_department",
        lambda plan, user: services.advise_plan(plan=plan, by=user, advice="意见"),
    ),
    "approve": (
        "advised",
        "org_department",
        lambda plan, user: services.approve_plan(plan=plan, by=user, checks=rf.ALL_CHECKS),
    ),
    "return": (
        "advised",
        "org_department",
        lambda plan, user: services.return_plan(plan=plan, by=user, checks={}, note="退回"),
    ),
    "progress": (
        "rectifying",
        "cadre_a",
        lambda plan, user: services.record_progress(
            item=plan.items.first(), by=user, on_date=clock.today(), evidence="进展"
        ),
    ),
    "consolidate": (
        "rectifying",
        "org_department",
        lambda plan, user: services.start_consolidation(plan=plan, by=user, note="巩固"),
    ),
    "close_out": (
        "consolidating",
        "org_department",
        lambda plan, user: services.close_out_plan(plan=plan, by=user, note="销号"),
    ),
    "reopen": ("closed", "org_department", lambda plan, user: services.reopen_plan(plan=plan, by=user, note="回潮")),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("transition", sorted(TRANSITIONS))
def test_only_the_right_role_takes_each_step(transition, persona, request, weak_a, cadre_a, leader, org_department):
    state, allowed, call = TRANSITIONS[transition]
    plan = setup_state(state, weak_a, cadre_a, leader, org_department)
    user = request.getfixturevalue(persona)
    before = (plan.status, plan.events.count())
    if persona == allowed:
        call(plan, user)
        plan.refresh_from_db()
        assert plan.events.count() > before[1] or transition in {"edit", "progress"}
    else:
        with pytest.raises(PermissionDenied):
            call(plan, user)
        plan.refresh_from_db()
        assert (plan.status, plan.events.count()) == before
        assert plan.status in PlanStatus.values
