"""A plan's whole life in the browser: drafted, returned with one check failed, revised, approved, carried to 销号."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from playwright.sync_api import expect

from lianchun import clock
from rectification.models import PlanStatus, RectificationPlan
from tests.rectification import factories as rf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_as(browser, live_server):
    contexts = []

    def _open_as(user, password="Test2026pass"):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/workbench/")
        return page

    yield _open_as
    for context in contexts:
        context.close()


def in_days(days: int) -> str:
    """A deadline within the allowed window (after the plan was drafted, a few years at most)."""
    return (clock.today() + datetime.timedelta(days=days)).isoformat()


def stage_count(page, live_server, stage: str) -> str:
    page.goto(f"{live_server.url}/rectification/overview/")
    return page.locator(f'#stage-matrix tr[data-stage="{stage}"] .stage-total').inner_text()


def test_plan_goes_from_draft_through_a_returned_round_to_close_out(
    open_as, live_server, township_a, cadre_a, org_department, leader, artifacts_dir
):
    village = rf.weak_village(township_a, name="后进村")
    cadre = open_as(cadre_a)
    org = open_as(org_department)
    assert stage_count(org, live_server, "rectifying") == "0"

    # The township drafts a plan with two problems and proposes it.
    cadre.goto(f"{live_server.url}/rectification/")
    cadre.get_by_role("link", name="起草整顿方案").click()
    cadre.locator("#id_village").select_option(value=str(village.pk))
    cadre.locator("#id_county_leader").select_option(value=str(leader.pk))
    cadre.locator("#id_contact_class").select_option(value="county_c")
    cadre.get_by_label("第一书记").fill("赵立军")
    cadre.get_by_role("button", name="保存", exact=True).click()
    expect(cadre.get_by_text("方案草稿已保存")).to_be_visible()
    cadre.get_by_role("link", name="添加存在问题").click()
    problems = [("weakness", "书记长期缺职", "三个月内选配书记"), ("poverty", "集体经济空白", "发展来料加工")]
    for index, (governance, problem, measure) in enumerate(problems):
        cadre.locator("#id_governance").select_option(value=governance)
        cadre.get_by_label("存在问题").fill(problem)
        cadre.get_by_label("整改措施").fill(measure)
        cadre.get_by_label("责任人").fill("李书记")
        cadre.get_by_label("完成时限").fill(in_days(180))
        button = "保存并继续添加" if index == 0 else "保存"
        cadre.get_by_role("button", name=button, exact=True).click()
    assert cadre.locator("#items tbody tr").count() == 2
    cadre.get_by_role("link", name="上报审核").click()
    cadre.get_by_label("村民代表会议日期").fill("2026-01-10")
    cadre.get_by_label("应到村民代表人数").fill("45")
    cadre.get_by_label("实到村民代表人数").fill("42")
    cadre.get_by_label("同意的村民代表人数").fill("42")
    cadre.get_by_label("会议审议结果").fill("应到45人，实到42人，全票同意")
    cadre.get_by_role("button", name="上报县委组织部").click()
    assert "已上报，待提建议" in cadre.locator("#plan-status").inner_text()
    plan = RectificationPlan.objects.get(village=village)

    # The department advises, then returns it with one check failed.
    org.goto(f"{live_server.url}{plan.get_absolute_url()}")
    org.get_by_role("link", name="提出意见建议").click()
    org.get_by_label("县委组织部意见建议").fill("措施可行，时限需细化。")
    org.get_by_role("button", name="保存意见建议").click()
    org.get_by_role("link", name="审核把关").click()
    org.get_by_label("存在问题找得准").check()
    org.get_by_label("整改措施有针对性和操作性").check()
    org.locator("#id_opinion").fill("责任人和时限不明确，请细化。")
    org.get_by_role("button", name="退回修改").click()
    assert "退回修改" in org.locator("#plan-status").inner_text()

    # The township sees what failed, revises, and proposes round 2.
    cadre.reload()
    returned = cadre.locator("#returned-reason")
    assert "未通过：整改责任人和时限明确" in returned.inner_text()
    cadre.locator("#items tbody tr").first.locator('a[href$="/edit/"]').click()
    cadre.get_by_label("责任人").fill("王村主任（第一责任人）")
    cadre.get_by_label("完成时限").fill(in_days(90))
    cadre.get_by_role("button", name="保存", exact=True).click()
    cadre.get_by_role("link", name="上报审核").click()
    cadre.get_by_label("村民代表会议日期").fill("2026-01-20")
    cadre.get_by_label("应到村民代表人数").fill("45")
    cadre.get_by_label("实到村民代表人数").fill("43")
    cadre.get_by_label("同意的村民代表人数").fill("43")
    cadre.get_by_label("会议审议结果").fill("全票同意")
    cadre.get_by_role("button", name="上报县委组织部").click()
    assert cadre.locator("#plan-rounds").inner_text() == "2"

    # The department approves round 2; both rounds stand side by side.
    org.goto(f"{live_server.url}{plan.get_absolute_url()}")
    org.get_by_role("link", name="提出意见建议").click()
    org.get_by_label("县委组织部意见建议").fill("已按要求细化。")
    org.get_by_role("button", name="保存意见建议").click()
    org.get_by_role("link", name="审核把关").click()
    org.get_by_label("存在问题找得准").check()
    org.get_by_label("整改措施有针对性和操作性").check()
    org.get_by_role("button", name="审核通过").click()
    expect(org.get_by_text("三个检查都勾选后才能审核通过")).to_be_visible()
    org.get_by_label("整改措施有针对性和操作性").check()
    org.get_by_label("整改责任人和时限明确").check()
    org.get_by_role("button", name="审核通过").click()
    assert "整顿中" in org.locator("#plan-status").inner_text()
    assert org.locator("#rounds .round-card").count() == 2
    assert "王村主任（第一责任人）" not in org.locator('#rounds [data-round="1"]').inner_text()
    assert "王村主任（第一责任人）" in org.locator('#rounds [data-round="2"]').inner_text()
    org.screenshot(path=os.path.join(artifacts_dir, "rectification_plan.png"), full_page=True)
    assert stage_count(org, live_server, "rectifying") == "1"

    # The township completes every measure.
    for _index in range(2):
        cadre.goto(f"{live_server.url}{plan.get_absolute_url()}")
        cadre.get_by_role("link", name=re.compile("记录进展")).first.click()
        cadre.get_by_label("进展情况及佐证").fill("已落实，见会议记录。")
        cadre.get_by_label("该项措施已完成").check()
        cadre.get_by_role("button", name="记录进展").click()
    assert cadre.locator("#items .badge.text-bg-success").count() == 2

    # The department moves it on to 销号, raising the village's standing.
    org.goto(f"{live_server.url}{plan.get_absolute_url()}")
    org.get_by_role("link", name="转入巩固提升").click()
    org.locator("#id_opinion").fill("集中整顿完成。")
    org.get_by_role("button", name=re.compile("转入")).click()
    assert stage_count(org, live_server, "consolidating") == "1"
    assert stage_count(org, live_server, "rectifying") == "0"
    org.goto(f"{live_server.url}{plan.get_absolute_url()}")
    org.get_by_role("link", name="销号").click()
    org.locator("#id_opinion").fill("验收合格。")
    org.locator("#id_raise_standing_to").select_option(value="average")
    org.get_by_role("button", name=re.compile("转入")).click()
    assert "已销号" in org.locator("#plan-status").inner_text()
    assert stage_count(org, live_server, "closed") == "1"
    expect(org.locator("#closed").get_by_text("后进村")).to_be_visible()
    org.screenshot(path=os.path.join(artifacts_dir, "rectification_overview.png"), full_page=True)
    plan.refresh_from_db()
    village.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED and plan.rounds == 2
    assert village.standing == "average"
