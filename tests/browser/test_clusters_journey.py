"""The cluster journey as a new user would walk it: propose, consult in batches, be refused with the
failing village named, add a batch, submit; the county returns it, the cadre resubmits, the county
approves, and the coverage dashboard changes."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from clusters.models import Cluster, Status
from lianchun import clock as product_clock
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLUSTERS_MENU = re.compile(r"^\s*联村\s*$")


def _switch_user(page, log_in, user):
    page.context.clear_cookies()
    log_in(user)


def _add_batch(page, returned, agree, disagree, invalid):
    form = page.locator("form[action$='/batches/add/']")
    form.get_by_label("收回").fill(str(returned))
    form.locator("input[name=agree]").fill(str(agree))  # its label "同意" is inside "不同意"
    form.get_by_label("不同意").fill(str(disagree))
    form.get_by_label("无效").fill(str(invalid))
    form.get_by_role("button", name="添加批次").click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_cadre_proposes_consults_is_refused_submits_and_county_returns_then_approves(
    page, log_in, live_server, cadre_a, cadre_b, county_office, township_a, artifacts_dir
):
    villages = [
        factories.VillageFactory(township=township_a, name=name, households=10)
        for name in ("东岭村", "西岭村", "南岭村")
    ]
    factories.VillageFactory(township=township_a, name="北岭村", households=10)

    # The county office's dashboard before: nothing established.
    log_in(county_office)
    page.goto(f"{live_server.url}/clusters/coverage/")
    assert page.locator("#fig-established").inner_text() == "0"

    # A cadre proposes a cluster of three villages.
    _switch_user(page, log_in, cadre_a)
    page.locator("a.dropdown-toggle", has_text=CLUSTERS_MENU).click()
    page.locator("a.dropdown-item[href$='/clusters/']").click()
    page.get_by_role("link", name="拟组建联村").click()
    page.get_by_label("名称").fill("三岭联村")
    for village in villages:
        page.get_by_label(village.name, exact=True).check()
    page.get_by_label("中心村").select_option(label="东岭村")
    page.get_by_role("button", name="拟组建", exact=True).click()
    expect(page.get_by_role("heading", name="三岭联村")).to_be_visible()
    page.get_by_role("link", name="开始征求意见").click()
    # The step asks the day the forms went out (today unless the cadre says otherwise).
    assert page.get_by_label("征求意见表发放日期").input_value() == product_clock.today().isoformat()
    page.locator("main form").get_by_role("button", name="开始征求意见").click()
    expect(page.locator(".alert-success")).to_be_visible()
    cluster = Cluster.objects.get(name="三岭联村")

    # Tallies in two batches per village; 南岭村 ends one agreeing form short.
    batches = {
        "东岭村": [(5, 5, 0, 0), (4, 3, 1, 0)],
        "西岭村": [(6, 6, 0, 0), (3, 2, 0, 1)],
        "南岭村": [(5, 5, 0, 0), (3, 2, 1, 0)],
    }
    for name, rows in batches.items():
        page.goto(f"{live_server.url}{cluster.get_absolute_url()}")
        page.locator(".tally-table").get_by_role("link", name=name).click()
        handed = page.locator("form[action$='/handed-out/']")
        handed.get_by_label("发放份数").fill("10")
        handed.get_by_role("button", name="保存").click()
        for row in rows:
            _add_batch(page, *row)
    page.screenshot(path=os.path.join(artifacts_dir, "clusters_survey.png"), full_page=True)

    # Trying to submit names the failing village, its rate and how many forms it lacks.
    page.goto(f"{live_server.url}{cluster.get_absolute_url()}")
    page.get_by_role("link", name="报县审核").click()
    page.get_by_role("button", name="报县审核").click()
    refusal = page.locator("form .alert-danger")
    expect(refusal).to_be_visible()
    text = refusal.inner_text()
    assert "南岭村" in text and "70.0%" in text and "还需 1 份" in text
    assert "东岭村" not in text
    page.screenshot(path=os.path.join(artifacts_dir, "clusters_submit_refused.png"), full_page=True)

    # One more batch, then the submission goes through.
    page.goto(f"{live_server.url}{cluster.get_absolute_url()}")
    page.locator(".tally-table").get_by_role("link", name="南岭村").click()
    _add_batch(page, 1, 1, 0, 0)
    assert page.locator("#agree-rate").inner_text() == "80.0%"
    page.goto(f"{live_server.url}{cluster.get_absolute_url()}")
    page.get_by_role("link", name="报县审核").click()
    page.get_by_role("button", name="报县审核").click()
    expect(page.locator(".alert-success")).to_be_visible()
    cluster.refresh_from_db()
    assert cluster.status == Status.SUBMITTED

    # Another township's cadre can neither see nor open it.
    _switch_user(page, log_in, cadre_b)
    response = page.goto(f"{live_server.url}{cluster.get_absolute_url()}")
    assert response.status == 404
    page.goto(f"{live_server.url}/clusters/")
    assert page.get_by_text("三岭联村").count() == 0

    # The county office returns it with an opinion.
    _switch_user(page, log_in, county_office)
    page.get_by_role("link", name="待审核的联村方案").click()
    item = page.locator(".review-item", has_text="三岭联村")
    assert "80.0%" in item.inner_text()
    item.get_by_role("link", name="退回").click()
    page.get_by_label("意见").fill("工作组成员未明确，请补充后重新报送。")
    page.get_by_role("button", name="退回").click()
    expect(page.locator(".alert-success")).to_be_visible()

    # The cadre sees the opinion at the top of the page and resubmits.
    _switch_user(page, log_in, cadre_a)
    page.get_by_role("link", name="退回修改的联村方案").click()
    page.get_by_role("link", name="三岭联村").click()
    assert "工作组成员未明确" in page.locator(".return-opinion").inner_text()
    page.screenshot(path=os.path.join(artifacts_dir, "clusters_returned.png"), full_page=True)
    page.get_by_role("link", name="报县审核").click()
    page.get_by_role("button", name="报县审核").click()
    expect(page.locator(".alert-success")).to_be_visible()

    # The county approves; the dashboard's figures change.
    _switch_user(page, log_in, county_office)
    page.goto(f"{live_server.url}{cluster.get_absolute_url()}")
    page.get_by_role("link", name="批准").click()
    page.get_by_role("button", name="批准").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert (
        page.locator(".cluster-timeline li.timeline-step").count() == 6
    )  # proposed, consulting, submitted, returned, submitted, established
    assert page.locator(".cluster-timeline li.timeline-handed-out").count() == 3  # 0 → 10 in each village
    page.locator("a.dropdown-toggle", has_text=CLUSTERS_MENU).click()
    page.get_by_role("link", name="联村覆盖").click()
    assert page.locator("#fig-established").inner_text() == "1"
    assert page.locator("#fig-covered").inner_text() == "3"
    assert page.locator("#fig-share").inner_text() == "75.0%"
    page.screenshot(path=os.path.join(artifacts_dir, "clusters_coverage.png"), full_page=True)


def test_two_people_edit_the_same_documents_the_second_is_refused_and_keeps_their_text(
    browser, live_server, cadre_a, township_a
):
    from tests.clusters import factories as cf

    colleague = factories.UserFactory(role="township_cadre", county=cadre_a.county, township=township_a)
    cluster = cf.consulting_cluster(cadre_a, name="双人联村")
    url = f"{live_server.url}/clusters/{cluster.pk}/documents/"
    pages = []
    for user in (cadre_a, colleague):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
        context.set_default_timeout(15000)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill("Test2026pass")
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/workbench/")
        page.goto(url)  # both open the form before either saves
        pages.append(page)
    first, second = pages
    try:
        first.get_by_label("工作规划").fill("甲：一年打基础")
        first.get_by_role("button", name="保存").click()
        expect(first.locator(".alert-success")).to_be_visible()

        second.get_by_label("工作规划").fill("乙：两年见成效")
        second.get_by_role("button", name="保存").click()
        assert "保存了此记录" in second.locator("form .alert-danger").inner_text()
        assert second.get_by_label("工作规划").input_value() == "乙：两年见成效"  # what they typed is kept
        assert "甲：一年打基础" in second.locator(".card.border-warning").inner_text()  # beside what was saved
        cluster.refresh_from_db()
        assert cluster.work_plan == "甲：一年打基础"

        # Merged and saved again, the second person's save goes through.
        second.get_by_label("工作规划").fill("甲：一年打基础；乙：两年见成效")
        second.get_by_role("button", name="保存").click()
        expect(second.locator(".alert-success")).to_be_visible()
        cluster.refresh_from_db()
        assert cluster.work_plan == "甲：一年打基础；乙：两年见成效"
    finally:
        for page in pages:
            page.context.close()


def test_text_typed_into_any_form_is_offered_back_and_saved_against_the_version_it_was_typed_on(
    page, log_in, live_server, cadre_a, township_a
):
    from clusters import services
    from tests.clusters import factories as cf

    cluster = cf.consulting_cluster(cadre_a, name="留稿联村")
    url = f"{live_server.url}/clusters/{cluster.pk}/documents/"
    log_in(cadre_a)
    page.goto(url)
    page.get_by_label("工作规划").fill("三年规划：先修水渠")
    page.wait_for_timeout(800)
    page.goto(f"{live_server.url}/workbench/")  # left without saving

    # Meanwhile a colleague saves the documents: the kept text was typed on the version before.
    services.update_cluster_documents(cluster=cluster, by=cadre_a, work_plan="同事保存的规划")
    page.goto(url)
    banner = page.locator("#autosave-restore")
    expect(banner).to_be_visible()
    assert page.get_by_label("工作规划").input_value() == "同事保存的规划"
    banner.get_by_role("button", name="恢复保留的内容").click()
    assert page.get_by_label("工作规划").input_value() == "三年规划：先修水渠"
    page.get_by_role("button", name="保存").click()
    assert "保存了此记录" in page.locator("form .alert-danger").inner_text()  # not a silent overwrite
    cluster.refresh_from_db()
    assert cluster.work_plan == "同事保存的规划"

    page.get_by_role("button", name="保存").click()  # seen both, saves again on the current version
    expect(page.locator(".alert-success")).to_be_visible()
    cluster.refresh_from_db()
    assert cluster.work_plan == "三年规划：先修水渠"
    page.goto(url)
    expect(page.locator("#autosave-restore")).to_be_hidden()
    assert page.evaluate("Object.keys(window.localStorage).filter(k => k.includes('draft'))") == []
