"""Browser tests: Playwright's Python package driving Debian's Chromium (never a downloaded browser).

Run them with `make test-browser` (it sets DJANGO_ALLOW_ASYNC_UNSAFE, which Playwright's sync API needs).
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is not installed (make system-deps-test installs it)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768}, accept_downloads=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def log_in(page, live_server):
    """Log in through the real login form, as a person would."""

    def _log_in(user, password="Test2026pass"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/workbench/")
        return page

    return _log_in


@pytest.fixture
def artifacts_dir():
    path = os.environ.get("TEST_ARTIFACTS") or os.path.join(tempfile.gettempdir(), "lianchun-test-artifacts")
    os.makedirs(path, exist_ok=True)
    return path
