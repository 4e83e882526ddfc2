"""The pages: what each role sees and can do, query counts pinned on lists and dashboards."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianchun import clock
from lianchun.workbench import workbench
from rectification import services
from rectification.models import LedgerEntry, PlanStatus
from tests import factories
from tests.rectification import factories as rf
from tests.rectification.test_ledgers import record


def count_queries(client, url) -> int:
    # An uncounted request first: a session last written a minute ago is written again by the first request
    # after (lianchun.sessions), and on a slow machine that minute can pass while the rows are being made.
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def make_plans(township, n, *, cadre, leader, org):
    for number in range(n):
        village = rf.weak_village(township)
        if number % 2:
            rf.approved_plan(village, cadre=cadre, leader=leader, org=org)
        else:
            rf.draft_plan(village, cadre=cadre, leader=leader)


@pytest.mark.parametrize(
    "url_name", ["rectification:plan-list", "rectification:overview", "rectification:ledger-overview"]
)
def test_list_and_dashboard_queries_do_not_grow_with_rows(
    url_name, login, township_a, cadre_a, leader, org_department, county_office, clock
):
    client = login(county_office)
    url = reverse(url_name)
    make_plans(township_a, 1, cadre=cadre_a, leader=leader, org=org_department)
    kind = rf.livelihood(township_a.county)
    record(rf.weak_village(township_a), cadre_a, kind)
    clock.travel(datetime.timedelta(days=40))
    count_queries(client, url)  # warm: the county's lists exist after the first visit
    one = count_queries(client, url)
    make_plans(township_a, 19, cadre=cadre_a, leader=leader, org=org_department)
    for number in range(19):
        record(rf.weak_village(township_a), cadre_a, kind, solved=number % 2 == 0)
    factories.TownshipFactory(county=township_a.county)
    assert count_queries(client, url) == one


def test_village_ledger_queries_do_not_grow_with_entries(login, village_a, cadre_a, county):
    client = login(cadre_a)
    kind = rf.livelihood(county)
    record(village_a, cadre_a, kind)
    url = reverse("rectification:ledger-village", args=[village_a.pk])
    one = count_queries(client, url)
    for number in range(19):
        record(village_a, cadre_a, kind, solved=number % 2 == 0)
    assert count_queries(client, url) == one


def test_overdue_measures_stand_out_on_the_plan_and_the_county_view(approved, login, org_department, clock):
    clock.travel(datetime.timedelta(days=45))
    client = login(org_department)
    page = client.get(approved.get_absolute_url()).content.decode()
    assert page.count("item-overdue") == 1
    assert "逾期 15 天" in page
    overview = client.get(reverse("rectification:overview")).content.decode()
    assert 'id="overdue-total">1<' in overview
    # Dates read as elsewhere in the product, 2026年12月2日, never 2026-12-02.
    today = clock.today()
    assert f"截至 {today.year}年{today.month}月{today.day}日" in overview
    assert not re.search(r">\s*\d{4}-\d{2}-\d{2}\s*<", overview)


def test_returned_plan_shows_what_failed_and_rounds_side_by_side(advised, login, org_department, cadre_a):
    client = login(org_department)
    response = client.post(
        reverse("rectification:plan-review", args=[advised.pk]),
        {"problems_accurate": "on", "measures_targeted": "on", "opinion": "时限不明确", "action": "return"},
    )
    assert response.status_code == 302
    client = login(cadre_a)
    page = client.get(advised.get_absolute_url()).content.decode()
    assert "第 1 轮方案被退回" in page and "未通过：整改责任人和时限明确" in page
    assert page.count('class="card h-100 round-card"') == 1


def test_approving_without_all_checks_shows_the_reason_and_changes_nothing(advised, login, org_department):
    client = login(org_department)
    response = client.post(
        reverse("rectification:plan-review", args=[advised.pk]),
        {"problems_accurate": "on", "opinion": "", "action": "approve"},
    )
    assert response.status_code == 200
    assert "三个检查都勾选后才能审核通过" in response.content.decode()
    advised.refresh_from_db()
    assert advised.status == PlanStatus.ADVISED


def test_a_plan_under_review_says_why_it_cannot_be_edited(advised, login, cadre_a):
    client = login(cadre_a)
    response = client.get(reverse("rectification:plan-edit", args=[advised.pk]), follow=True)
    assert "退回后才能修改" in response.content.decode()


def test_stage_page_offers_raising_the_standing_on_close_out(approved, login, cadre_a, org_department):
    for item in approved.items.all():
        services.record_progress(item=item, by=cadre_a, on_date=clock.today(), evidence="完成", marks_complete=True)
    services.start_consolidation(plan=approved, by=org_department, note="巩固")
    client = login(org_department)
    url = reverse("rectification:plan-stage", args=[approved.pk])
    assert "raise_standing_to" in client.get(url).content.decode()
    response = client.post(url, {"opinion": "验收合格", "raise_standing_to": "average"})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == PlanStatus.CLOSED
    assert approved.village.standing == "average"


def test_bad_input_never_errors(approved, login, org_department, cadre_a, village_a):
    client = login(org_department)
    assert client.post(reverse("rectification:plan-stage", args=[approved.pk]), {"opinion": ""}).status_code == 200
    assert client.get(reverse("rectification:ledger-overview") + "?township=abc").status_code == 200
    assert client.get(reverse("rectification:ledger-overview") + "?township=999999").status_code == 200
    client = login(cadre_a)
    url = reverse("rectification:entry-create", args=[village_a.pk])
    assert client.post(url, {"kind": "x", "collected_on": "2099-13-40", "status": "nope"}).status_code == 200
    assert (
        client.get(
            reverse("rectification:ledger-village", args=[village_a.pk]) + "?kind=zz&status=!&page=x"
        ).status_code
        == 200
    )
    assert client.post(reverse("rectification:plan-review", args=[approved.pk])).status_code == 403


def test_entry_form_records_a_matter(login, village_a, cadre_a, county):
    kind = rf.livelihood(county)
    client = login(cadre_a)
    response = client.post(
        reverse("rectification:entry-create", args=[village_a.pk]),
        {
            "kind": kind.pk,
            "source": "letter",
            "collected_on": "2026年1月5日",
            "summary": "低保申请",
            "owner": "王委员",
            "handling": "",
            "status": "in_progress",
            "solved_on": "2026-01-06",
        },
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert entry.collected_on == datetime.date(2026, 1, 5)
    assert entry.solved_on is None  # a matter in progress has no date solved


def test_ledger_settings_add_a_kind(login, county_office, county):
    client = login(county_office)
    url = reverse("rectification:ledger-settings")
    response = client.post(url, {"action": "add_kind", "kind-name": "计生台账"}, follow=True)
    assert "计生台账" in response.content.decode()
    response = client.post(url, {"action": "add_kind", "kind-name": "计生台账"})
    assert "本县已有同名台账" in response.content.decode()
    assert client.post(url, {"action": "disable_method", "method": "abc"}).status_code == 302


def titles(user):
    return {item.title: item.count for item in workbench.items_for(user)}


def test_workbench_items_per_role(weak_a, cadre_a, leader, org_department, county_office, township_a, clock):
    plan = rf.advised_plan(weak_a, cadre=cadre_a, leader=leader, org=org_department)
    rf.draft_plan(rf.weak_village(township_a), cadre=cadre_a, leader=leader)
    proposed = rf.draft_plan(rf.weak_village(township_a), cadre=cadre_a, leader=leader)
    rf.propose(proposed, cadre_a)
    assert titles(org_department)["待提建议的整顿方案"] == 1
    assert titles(org_department)["待审核把关（三个不放过）的方案"] == 1
    assert titles(cadre_a)["尚未上报的方案草稿"] == 1
    services.return_plan(plan=plan, by=org_department, checks={"problems_accurate": True}, note="细化措施")
    assert titles(cadre_a)["退回修改的整顿方案"] == 1
    approved = rf.approved_plan(rf.weak_village(township_a), cadre=cadre_a, leader=leader, org=org_department)
    clock.travel(datetime.timedelta(days=31))
    assert titles(cadre_a)["逾期未完成的整改措施"] == 1
    assert titles(leader)["逾期未完成的整改措施"] == 1
    assert titles(county_office)["整顿中和巩固提升的村"] == 1
    other_leader = factories.county_user(township_a.county, "county_leader")
    assert "逾期未完成的整改措施" not in titles(other_leader)
    assert approved.status == PlanStatus.RECTIFYING


def test_the_county_todo_names_both_stages_it_counts(
    login, approved, cadre_a, leader, org_department, county_office, township_a
):
    """The chart beside it counts 整顿中 alone; the 待办 line counts 整顿中 and 巩固提升 together, and says so."""
    rf.approved_plan(rf.weak_village(township_a), cadre=cadre_a, leader=leader, org=org_department)
    services.start_consolidation(plan=approved, by=org_department, note="集中整顿完成")
    assert titles(county_office)["整顿中和巩固提升的村"] == 2
    page = login(county_office).get(reverse("workbench")).content.decode()
    assert "整顿中和巩固提升的村" in page and "整顿中的村" not in page


def test_draft_page_lists_weak_villages_without_a_plan(login, cadre_a, township_a, village_a, leader, draft):
    free = rf.weak_village(township_a, name="待整顿村")
    form = login(cadre_a).get(reverse("rectification:plan-create")).context["form"]
    offered = list(form.fields["village"].queryset)
    assert offered == [free]  # not the one with a plan, not village_a (not marked weak)


def test_draft_page_says_why_no_village_can_be_chosen(login, cadre_a, township_a, village_a):
    """village_a is not flagged 软弱涣散: the empty list says so and where a village is flagged."""
    client = login(cadre_a)
    page = client.get(reverse("rectification:plan-create")).content.decode()
    assert "软弱涣散" in page and "修改基本情况" in page
    rf.weak_village(township_a, name="待整顿村")
    assert "修改基本情况" not in client.get(reverse("rectification:plan-create")).content.decode()


def test_plan_item_and_entry_have_a_change_history_page(approved, login, cadre_a, cadre_b, county):
    entry = record(approved.village, cadre_a, rf.livelihood(county))
    item = approved.items.first()
    client = login(cadre_a)
    for model, pk in [
        ("rectification.rectificationplan", approved.pk),
        ("rectification.rectificationitem", item.pk),
        ("rectification.ledgerentry", entry.pk),
    ]:
        assert client.get(reverse("record-history", args=[model, pk])).status_code == 200
    assert (
        login(cadre_b).get(reverse("record-history", args=["rectification.ledgerentry", entry.pk])).status_code == 404
    )
