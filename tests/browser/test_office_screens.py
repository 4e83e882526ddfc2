"""On an office PC's screen (1366×768, and the older 1024×768) every role's menu bar fits: the page does not
scroll sideways and the account menu, with 退出登录 in it, is on the screen. The county office has the most
menu entries and the longest account line (name · county · role). Below 1200 px the menu folds behind one
button, as Bootstrap's navbar does on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = [{"width": 1366, "height": 768}, {"width": 1024, "height": 768}]
PERSONAS = ["cadre_a", "county_office", "org_department", "leader", "city_office", "province_office", "auditor"]


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: f"{screen['width']}")
def test_every_roles_menu_bar_fits_an_office_screen(screen, browser, live_server, request):
    users = {name: request.getfixturevalue(name) for name in PERSONAS}
    too_wide = []
    for name, user in users.items():
        context = browser.new_context(locale="zh-CN", viewport=screen)
        context.set_default_timeout(15000)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill("Test2026pass")
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/workbench/")
        page_width = page.evaluate("() => document.scrollingElement.scrollWidth")
        if page_width > screen["width"]:
            too_wide.append(f"{name}: the page is {page_width} px wide")
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():  # a narrow screen folds the menu behind one button
            toggler.click()
            expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))
        account_menu = page.locator("#account-menu")
        account_menu.click()
        expect(account_menu).to_have_attribute("aria-expanded", "true")
        log_out = page.get_by_role("button", name="退出登录")
        expect(log_out).to_be_visible()
        box = log_out.bounding_box()
        if not log_out.is_visible() or box is None or box["x"] + box["width"] > screen["width"]:
            too_wide.append(f"{name}: 退出登录 is off the screen ({box})")
        context.close()
    assert not too_wide, too_wide
