"""A township cadre on a 390×844 phone: the weekly report (list → fill → submit) and the meeting
(list → meeting → issues → roll). On every page nothing is wider than the screen and list titles are
shown in full. And on an office PC: focus is seen on the red buttons and the navigation bar, whose
inactive links are readable (≥ 4.5:1)."""

from __future__ import annotations

import datetime
import os
from zoneinfo import ZoneInfo

import pytest

from meetings import services as meeting_services
from reports.weeks import Week
from tests.meetings.factories import township_meeting
from tests.reports.factories import established_cluster, set_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE = {"width": 390, "height": 844}
LONG_TOPIC = "关于推进联村党总支规范化建设和三本台账集中整理工作的专题例会"
LONG_ISSUE = "东村至西村通组道路雨后积水严重，群众出行不便，请镇交通办牵头勘察并提出维修方案"

# What overflows the screen: the page itself, any table, any element sticking out on the right.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const found = [];
  const page = document.scrollingElement.scrollWidth;
  if (page > width) { found.push("page " + page + " > " + width); }
  for (const table of document.querySelectorAll("table")) {
    const box = table.getBoundingClientRect();
    if (box.width > width + 0.5 || box.right > width + 0.5) { found.push("table#" + table.id + " " + Math.round(box.width)); }
  }
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && getComputedStyle(el).visibility !== "hidden"
        && !el.closest(".visually-hidden, [hidden], .collapse:not(.show), .dropdown-menu:not(.show)")) {
      found.push(el.tagName.toLowerCase() + "." + String(el.className).split(" ").join(".") + " right " + Math.round(box.right));
    }
  }
  return found.slice(0, 8);
}"""

# A list's title cells: each wide (the card's width, not a squeezed column) and not cut off.
TITLES = """(selector) => Array.from(document.querySelectorAll(selector)).map(cell => ({
  text: cell.innerText.trim(),
  width: cell.getBoundingClientRect().width,
  cut: cell.scrollWidth > cell.clientWidth + 1,
}))"""


def check_fits(phone, name, artifacts_dir):
    phone.wait_for_load_state("load")
    assert phone.evaluate("() => window.innerWidth") == PHONE["width"]
    overflowing = phone.evaluate(OVERFLOW)
    phone.screenshot(path=os.path.join(artifacts_dir, f"phone_{name}.png"), full_page=True)
    assert overflowing == [], f"{name}: {overflowing}"


def check_titles(phone, selector, expected):
    titles = phone.evaluate(TITLES, selector)
    assert titles, selector
    shown = {t["text"] for t in titles}
    for text in expected:
        assert any(text in t for t in shown), (text, shown)
    for title in titles:
        assert title["width"] > 300 and not title["cut"], title


@pytest.fixture
def phone(browser, live_server, cadre_a):
    """A 390×844 touch phone; call it to log the cadre in (after the test has set the clock)."""
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    page = context.new_page()

    def log_in():
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(cadre_a.username)
        page.get_by_label("密码").fill("Test2026pass")
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/workbench/")
        return page

    yield log_in
    context.close()


def test_weekly_report_journey_fits_a_phone(phone, live_server, clock, township_a, artifacts_dir):
    established = datetime.date(2026, 3, 2)
    established_cluster(township_a, name="李家庄王家村杨圩畈联村", established_on=established)
    established_cluster(township_a, name="王庄联村", established_on=established)
    set_now(clock, datetime.datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI))  # Friday of week 47
    phone = phone()
    check_fits(phone, "workbench", artifacts_dir)

    phone.goto(f"{live_server.url}/reports/")
    check_fits(phone, "reports", artifacts_dir)
    check_titles(phone, "table.table-cards tbody td:first-child", ["李家庄王家村杨圩畈联村", "王庄联村"])
    phone.locator("tr", has_text="李家庄王家村杨圩畈联村").get_by_role("link", name="填写").click()
    phone.get_by_label("本周工作进展").wait_for()
    check_fits(phone, "report_form", artifacts_dir)
    phone.get_by_label("本周工作进展").fill("召开联村党总支会议一次。")
    phone.get_by_label("走访农户数").fill("25")
    submit = phone.get_by_role("button", name="提交县联村办")
    assert submit.bounding_box()["height"] >= 40  # thumb-sized
    submit.click()
    assert phone.locator("#report-state").inner_text() == "已提交"
    check_fits(phone, "report_submitted", artifacts_dir)
    phone.goto(f"{live_server.url}/reports/?week={Week(2026, 47).key}")
    check_fits(phone, "reports_after", artifacts_dir)


def test_meeting_journey_fits_a_phone(phone, live_server, cadre_a, village_a, clock, artifacts_dir):
    meeting = township_meeting(
        cadre_a,
        topic=LONG_TOPIC,
        roll_from_records=False,
        expected="赵德胜，东村党支部书记\n钱春梅，西村村委会主任\n孙明亮，南村党支部书记",
    )
    meeting_services.raise_issue(
        meeting=meeting, by=cadre_a, description=LONG_ISSUE, raised_by="赵德胜", owner="王副镇长", village=village_a
    )
    phone = phone()
    phone.goto(f"{live_server.url}/meetings/")
    check_fits(phone, "meetings", artifacts_dir)
    check_titles(phone, "table.table-cards tbody td:first-child", [LONG_TOPIC])
    phone.get_by_role("link", name=LONG_TOPIC).first.click()
    phone.wait_for_url(f"**/meetings/{meeting.pk}/")
    check_fits(phone, "meeting", artifacts_dir)

    phone.goto(f"{live_server.url}/meetings/issues/")
    check_fits(phone, "issues", artifacts_dir)
    check_titles(phone, "#open-issues .card-title-cell", [LONG_ISSUE])

    phone.goto(f"{live_server.url}/meetings/{meeting.pk}/roll/")
    check_fits(phone, "roll", artifacts_dir)
    present = phone.get_by_role("group", name="赵德胜").get_by_role("button", name="出席")
    assert present.bounding_box()["height"] >= 40  # one tap, thumb-sized
    present.click()
    phone.locator("#roll-status").get_by_text("已登记 赵德胜：出席。").wait_for()
    check_fits(phone, "roll_marked", artifacts_dir)


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: tuple[float, ...], two: tuple[float, ...]) -> float:
    light, dark = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


RGB = """(el, prop) => {
  const probe = document.createElement("canvas").getContext("2d");
  probe.fillStyle = getComputedStyle(el)[prop];
  probe.fillRect(0, 0, 1, 1);
  return Array.from(probe.getImageData(0, 0, 1, 1).data);
}"""
NAV_BACKGROUND = """el => { let node = el; while (node) { const c = getComputedStyle(node).backgroundColor;
  if (c && c !== "rgba(0, 0, 0, 0)" && c !== "transparent") { return c; } node = node.parentElement; } return ""; }"""


def test_focus_is_seen_on_red_buttons_and_the_navigation_bar(page, log_in, live_server, cadre_a):
    log_in(cadre_a)
    navbar = page.locator("nav.navbar").first
    background = tuple(navbar.evaluate(RGB, "backgroundColor"))
    inactive = page.locator("nav.navbar .nav-link:not(.active)")
    assert inactive.count() >= 3
    for index in range(inactive.count()):
        link = inactive.nth(index)
        if link.is_visible():
            ratio = contrast(tuple(link.evaluate(RGB, "color")), background)
            assert ratio >= 4.5, (link.inner_text(), round(ratio, 2))

    # Focus reached with the keyboard on a navigation link: a white ring that stands out on the red.
    page.keyboard.press("Tab")
    for _ in range(6):
        if page.evaluate("() => document.activeElement.matches('.navbar .nav-link')"):
            break
        page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.evaluate("el => el.matches('.navbar .nav-link')")
    assert float(focused.evaluate("el => parseFloat(getComputedStyle(el).outlineWidth)")) >= 2
    assert focused.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    assert contrast(tuple(focused.evaluate(RGB, "outlineColor")), background) >= 3

    # A red button focused from the keyboard: a dark ring on the white page, and a white ring between it and
    # the button's red (one of the two stands out whatever lies around the button).
    page.goto(f"{live_server.url}/meetings/new/")
    button = page.locator("button.btn-brand[type=submit]").first
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert button.evaluate("el => el === document.activeElement && el.matches(':focus-visible')")
    assert float(button.evaluate("el => parseFloat(getComputedStyle(el).outlineWidth)")) >= 2
    assert contrast(tuple(button.evaluate(RGB, "outlineColor")), (255, 255, 255)) >= 3
    page.wait_for_function(  # Bootstrap eases the box-shadow in over .15s
        "el => getComputedStyle(el).boxShadow.startsWith('rgb(255, 255, 255) 0px 0px 0px 2px')",
        arg=button.element_handle(),
    )
    assert contrast((255, 255, 255), tuple(button.evaluate(RGB, "backgroundColor"))) >= 3
