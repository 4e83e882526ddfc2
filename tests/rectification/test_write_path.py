"""The shared write path in rectification: the declared life cycle, stale saves refused, errors on the
form, dates within a named window, and a 修改记录 page for everything a service does."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from lianchun import clock
from lianchun.workflow import REGISTRY
from rectification import services
from rectification.models import (
    ItemProgress,
    LedgerEntry,
    PlanStatus,
    RectificationItem,
    RectificationPlan,
    ReviewRound,
)
from rectification.workflows import PLAN_FLOW
from tests import factories
from tests.rectification import factories as rf
from tests.rectification.test_ledgers import record
from tests.rectification.test_stages import complete_all
from tests.walk import form_data


def history(client, label: str, pk: int) -> str:
    response = client.get(reverse("record-history", args=[label, pk]))
    assert response.status_code == 200, f"{label} #{pk}: {response.status_code}"
    return response.content.decode()


# ---------------------------------------------------------------------------- the declared life cycle


def test_the_plan_life_cycle_is_declared_and_walkable():
    assert REGISTRY["rectification.rectificationplan"] is PLAN_FLOW
    assert PLAN_FLOW.reachable() == set(PlanStatus.values)
    assert PLAN_FLOW.stuck_states() == set()


def test_steps_offered_follow_the_state_and_the_role(draft, cadre_a, cadre_b, org_department, leader):
    assert {t.name for t in PLAN_FLOW.available(draft, cadre_a)} == {"propose", "void"}
    assert PLAN_FLOW.available(draft, cadre_b) == []  # another township's plan
    assert PLAN_FLOW.available(draft, org_department) == []
    rf.propose(draft, cadre_a)
    assert [t.name for t in PLAN_FLOW.available(draft, org_department)] == ["advise"]
    assert PLAN_FLOW.available(draft, cadre_a) == [] and PLAN_FLOW.available(draft, leader) == []


def test_a_voided_plan_offers_no_step(draft, cadre_a):
    services.void_plan(plan=draft, by=cadre_a, reason="录错村")
    assert PLAN_FLOW.available(draft, cadre_a) == []
    assert not PLAN_FLOW.can(draft, cadre_a, "propose")


@pytest.mark.parametrize(
    ("url_name", "message"),
    [
        ("rectification:plan-advise", "该方案当前不在待提建议状态"),
        ("rectification:plan-review", "该方案当前不在待审核状态"),
        ("rectification:plan-stage", "方案审核通过后才能推进整顿阶段"),
    ],
)
def test_a_step_page_asks_the_workflow_and_says_why_not(draft, login, org_department, url_name, message):
    response = login(org_department).get(reverse(url_name, args=[draft.pk]), follow=True)
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert message in response.content.decode()


def test_the_void_page_refuses_a_plan_once_proposed(draft, login, cadre_a):
    rf.propose(draft, cadre_a)
    response = login(cadre_a).get(reverse("rectification:plan-void", args=[draft.pk]), follow=True)
    assert "只有从未上报的草稿才能作废" in response.content.decode()


def test_the_plan_page_shows_only_the_steps_the_user_may_take(advised, login, org_department, cadre_a):
    page = login(org_department).get(advised.get_absolute_url()).content.decode()
    assert reverse("rectification:plan-review", args=[advised.pk]) in page
    assert reverse("rectification:plan-advise", args=[advised.pk]) not in page
    page = login(cadre_a).get(advised.get_absolute_url()).content.decode()
    assert reverse("rectification:plan-review", args=[advised.pk]) not in page
    assert reverse("rectification:plan-propose", args=[advised.pk]) not in page


def test_voiding_a_draft_through_its_page_keeps_the_reason(draft, login, cadre_a):
    response = login(cadre_a).post(reverse("rectification:plan-void", args=[draft.pk]), {"opinion": "录错村"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_voided and draft.void_reason == "录错村"


# ---------------------------------------------------------------------------- errors on the form


def test_proposing_a_plan_without_a_county_leader_says_so_on_the_form(weak_a, cadre_a, login):
    plan = rf.draft_plan(weak_a, cadre=cadre_a, leader=None)
    response = login(cadre_a).post(
        reverse("rectification:plan-propose", args=[plan.pk]),
        {
            "meeting_date": (clock.today() - datetime.timedelta(days=1)).isoformat(),
            "entitled": 45,
            "present": 42,
            "in_favour": 42,
            "meeting_result": "全票通过",
        },
    )
    assert response.status_code == 200
    assert "该方案尚未填写联系该村的县领导" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.rounds == 0 and not plan.review_rounds.exists()


# ---------------------------------------------------------------------------- stale saves


def _second_editor(township_a):
    colleague = factories.cadre_of(township_a, username="colleague", full_name="李同事")
    client = Client()
    client.force_login(colleague)
    return client


@pytest.mark.parametrize("record_kind", ["plan", "item", "entry"])
def test_the_second_of_two_editors_is_refused_and_keeps_their_text(
    record_kind, draft, login, cadre_a, township_a, county
):
    if record_kind == "plan":
        url, field, current = reverse("rectification:plan-edit", args=[draft.pk]), "work_team", lambda: draft
    elif record_kind == "item":
        item = draft.items.first()
        url, field, current = reverse("rectification:item-edit", args=[item.pk]), "measure", lambda: item
    else:
        entry = record(draft.village, cadre_a, rf.livelihood(county))
        url, field, current = reverse("rectification:entry-edit", args=[entry.pk]), "summary", lambda: entry
    first = login(cadre_a)
    mine = form_data(first.get(url).content.decode())
    colleague = _second_editor(township_a)
    theirs = form_data(colleague.get(url).content.decode())
    assert colleague.post(url, {**theirs, field: "同事保存的内容"}).status_code == 302

    response = first.post(url, {**mine, field: "我输入的内容"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "李同事" in page and "保存了此记录" in page and "您填写的内容尚未保存" in page
    assert "同事保存的内容" in page and "我输入的内容" in page
    saved = current()
    saved.refresh_from_db()
    assert getattr(saved, field) == "同事保存的内容"

    # Saving again from the refused form (it now carries the current version) goes through.
    again = form_data(page)
    assert first.post(url, {**again, field: "合并后的内容"}).status_code == 302
    saved.refresh_from_db()
    assert getattr(saved, field) == "合并后的内容"


# ---------------------------------------------------------------------------- dates within a window


def test_a_deadline_before_the_plan_or_decades_ahead_is_refused_naming_the_range(draft, login, cadre_a):
    client = login(cadre_a)
    url = reverse("rectification:item-create", args=[draft.pk])
    base = {"governance": "weakness", "problem": "班子软弱", "measure": "选配书记", "responsible": "李书记"}
    drafted = draft.drafted_on.isoformat()
    for deadline in [draft.drafted_on - datetime.timedelta(days=1), datetime.date(2099, 6, 30)]:
        response = client.post(url, {**base, "deadline": deadline.isoformat()})
        assert response.status_code == 200
        errors = response.context["form"].errors["deadline"]
        assert any(drafted in error and "完成时限须在" in error for error in errors), errors
    assert draft.items.count() == 2
    assert (
        client.post(url, {**base, "deadline": (clock.today() + datetime.timedelta(days=90)).isoformat()}).status_code
        == 302
    )


def test_a_ledger_date_decades_back_or_ahead_is_refused_naming_the_range(village_a, cadre_a, county, login):
    kind = rf.livelihood(county)
    client = login(cadre_a)
    url = reverse("rectification:entry-create", args=[village_a.pk])
    base = {"kind": kind.pk, "source": "letter", "summary": "低保申请", "owner": "王委员", "status": "in_progress"}
    for day in ["1900-01-01", "2099-01-01"]:
        response = client.post(url, {**base, "collected_on": day})
        assert response.status_code == 200
        errors = response.context["form"].errors["collected_on"]
        assert any("收集日期须在" in error and clock.today().isoformat() in error for error in errors), errors
    assert not LedgerEntry.objects.exists()


# ---------------------------------------------------------------------------- every service leaves a history


def test_every_service_leaves_a_history_page_that_shows_the_change(
    weak_a, township_a, cadre_a, leader, org_department, county, login, county_office
):
    other_leader = factories.county_user(county, "county_leader", full_name="孙县长")
    plan = rf.draft_plan(weak_a, cadre=cadre_a, leader=leader)
    services.update_plan(plan=plan, by=cadre_a, work_team="县民政局工作组", county_leader=other_leader)
    item, removed = plan.items.order_by("pk")
    services.update_item(item=item, by=cadre_a, measure="修改后的措施")
    services.remove_item(item=removed, by=cadre_a)
    rf.propose(plan, cadre_a)
    services.advise_plan(plan=plan, by=org_department, advice="建议细化")
    services.return_plan(plan=plan, by=org_department, checks={"problems_accurate": True}, note="时限不明确")
    rf.propose(plan, cadre_a)
    services.advise_plan(plan=plan, by=org_department, advice="同意")
    services.approve_plan(plan=plan, by=org_department, checks=rf.ALL_CHECKS)
    complete_all(plan, cadre_a)
    services.start_consolidation(plan=plan, by=org_department, note="巩固")
    services.close_out_plan(plan=plan, by=org_department, note="销号")
    services.reopen_plan(plan=plan, by=org_department, note="反复回潮")
    entry = record(weak_a, cadre_a, rf.livelihood(county))
    services.update_ledger_entry(entry=entry, by=cadre_a, summary="村道已修")
    services.void_ledger_entry(entry=entry, by=cadre_a, reason="重复录入")
    voided = rf.draft_plan(rf.weak_village(township_a), cadre=cadre_a, leader=leader)
    services.void_plan(plan=voided, by=cadre_a, reason="录错村")

    client = login(county_office)
    page = history(client, "rectification.rectificationplan", plan.pk)
    assert "县民政局工作组" in page and "孙县长" in page and str(leader) in page  # linked records by name
    for label in ["草稿", "整顿中", "巩固提升", "已销号", "反复回潮"]:
        assert label in page, label
    assert "修改后的措施" in history(client, "rectification.rectificationitem", item.pk)
    assert "从草稿中移除" in history(client, "rectification.rectificationitem", removed.pk)  # the void, with why
    assert "重复录入" in history(client, "rectification.ledgerentry", entry.pk)
    assert "村道已修" in history(client, "rectification.ledgerentry", entry.pk)
    assert "录错村" in history(client, "rectification.rectificationplan", voided.pk)
    first_round = ReviewRound.objects.get(plan=plan, number=1)
    round_page = history(client, "rectification.reviewround", first_round.pk)
    assert "建议细化" in round_page and "时限不明确" in round_page
    progress = ItemProgress.objects.filter(item__plan=plan).first()
    assert "已完成" in history(client, "rectification.itemprogress", progress.pk)
    assert RectificationItem.objects.filter(plan=plan, completed_on__isnull=False).exists()
    assert RectificationPlan.objects.get(pk=plan.pk).reopen_count == 1
