"""Error pages as a cadre meets them, the typed report kept across a failed save, and no CSP violation.

Screenshots of each error page go to the test artifacts folder, or with UPDATE_SCREENSHOTS=1 to
docs/screenshots/ (error-400.png … error-csrf.png), which the README's reader sees.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from playwright.sync_api import expect

from reports.models import WeeklyReport
from tests.reports.factories import established_cluster, set_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shoot(page, name: str) -> None:
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folder = DOCS_SCREENSHOTS
    else:
        folder = Path(os.environ.get("TEST_ARTIFACTS") or Path(tempfile.gettempdir()) / "lianchun-test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture
def csp_violations(page):
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    return seen


def test_the_typed_report_survives_an_expired_form_and_is_removed_once_saved(
    page, log_in, live_server, clock, township_a, cadre_a, csp_violations
):
    cluster = established_cluster(township_a, name="李家联村", established_on=datetime.date(2026, 3, 2))
    set_now(clock, datetime.datetime(2026, 11, 20, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    log_in(cadre_a)
    url = f"{live_server.url}/reports/clusters/{cluster.pk}/2026-W47/"
    page.goto(url)
    page.get_by_label("存在问题").fill("水渠淤堵，需要清理。")
    page.wait_for_timeout(600)
    page.context.clear_cookies(name="csrftoken")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("heading", name="表单打开时间过长")).to_be_visible()
    expect(page.get_by_text("您填写的内容没有丢失")).to_be_visible()
    expect(page.get_by_role("link", name="回到工作台")).to_be_visible()
    shoot(page, "error-csrf")
    assert not WeeklyReport.objects.exists()

    page.goto(url)
    banner = page.locator("#autosave-restore")
    expect(banner, "the local copy must survive a save the server refused").to_be_visible()
    banner.get_by_role("button", name="恢复保留的内容").click()
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()
    assert WeeklyReport.objects.get().problems == "水渠淤堵，需要清理。"
    kept = page.evaluate("Object.keys(window.localStorage).filter(k => k.includes('draft'))")
    assert kept == [], "the server confirmed the save: the local copy goes"
    assert not csp_violations, csp_violations


def test_404_and_403_pages_keep_the_navigation(
    page, log_in, live_server, cadre_a, village_b, village_a, csp_violations
):
    log_in(cadre_a)
    page.goto(f"{live_server.url}/villages/{village_b.pk}/")
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    expect(page.locator("nav.navbar")).to_be_visible()
    shoot(page, "error-404")
    page.goto(f"{live_server.url}/villages/{village_a.pk}/standing/")
    expect(page.get_by_role("heading", name="您的角色无权进行此操作")).to_be_visible()
    shoot(page, "error-403")
    page.get_by_role("link", name="回到工作台").click()
    page.wait_for_url(f"{live_server.url}/workbench/")
    assert not csp_violations, csp_violations


@pytest.mark.urls("tests.lianchun.boom_urls")
def test_500_and_400_pages_look_right(page, live_server, cadre_a):
    client = Client(raise_request_exception=False)
    client.force_login(cadre_a)
    server_error = client.get("/boom/")
    bad_request = Client(HTTP_HOST="evil.example.com").get("/accounts/login/")
    page.goto(f"{live_server.url}/healthz")
    for name, response in (("error-500", server_error), ("error-400", bad_request)):
        page.set_content(response.content.decode())
        page.wait_for_load_state("networkidle")
        expect(page.locator(".error-page")).to_be_visible()
        shoot(page, name)
    assert server_error["X-Request-ID"] in server_error.content.decode()
