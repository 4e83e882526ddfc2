"""The attendance roll: a cadre taps three people (present, approved leave, absent); each is saved at once, without
reloading the page, and the marks are there after a reload."""

from __future__ import annotations

import os

import pytest

from meetings.models import Attendance
from tests.meetings.factories import township_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_takes_the_roll_with_one_tap_per_person(page, log_in, live_server, cadre_a, clock, artifacts_dir):
    meeting = township_meeting(
        cadre_a,
        roll_from_records=False,
        expected="赵德胜，东村党支部书记\n钱春梅，西村村委会主任\n孙明亮，南村党支部书记\n李玉兰，北村村委会主任",
    )
    log_in(cadre_a)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.get_by_role("link", name="点名").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/roll/")
    page.evaluate("window.notReloaded = true")  # gone if a tap reloads the page

    page.get_by_label("点名请假批准人").fill("镇党委书记")
    for name, button, saved in [
        ("赵德胜", "出席", "已登记 赵德胜：出席。"),
        ("钱春梅", "请假（已批准）", "已登记 钱春梅：请假（已批准）。"),
        ("孙明亮", "缺席", "已登记 孙明亮：缺席。"),
    ]:
        page.get_by_role("group", name=name).get_by_role("button", name=button).click()
        page.locator("#roll-status").get_by_text(saved).wait_for()
    assert page.evaluate("window.notReloaded === true")
    counts = page.locator("#roll-counts")
    assert counts.locator('[data-count="unmarked"]').inner_text() == "1"
    page.screenshot(path=os.path.join(artifacts_dir, "meeting_roll.png"), full_page=True)

    page.reload()
    assert page.evaluate("window.notReloaded === undefined")
    for name, button in [("赵德胜", "出席"), ("钱春梅", "请假（已批准）"), ("孙明亮", "缺席")]:
        pressed = page.get_by_role("group", name=name).get_by_role("button", name=button)
        assert pressed.get_attribute("aria-pressed") == "true", name
    assert "批准人：镇党委书记" in page.locator("tr", has_text="钱春梅").inner_text()
    assert page.get_by_role("group", name="李玉兰").get_by_role("button", pressed=True).count() == 0
    assert sorted(meeting.attendances.values_list("name", "status", "leave_approved_by")) == sorted(
        [
            ("赵德胜", Attendance.Status.PRESENT, ""),
            ("钱春梅", Attendance.Status.LEAVE, "镇党委书记"),
            ("孙明亮", Attendance.Status.ABSENT, ""),
        ]
    )

    # A second tap changes the mark; someone not on the roll is still added by hand.
    page.get_by_role("group", name="孙明亮").get_by_role("button", name="出席").click()
    page.locator("#roll-status").get_by_text("已登记 孙明亮：出席。").wait_for()
    page.get_by_label("姓名").fill("周临时")
    page.get_by_label("单位或职务").fill("镇农业办")
    page.get_by_label("出席情况").select_option(label="出席")
    page.get_by_role("button", name="补登").click()
    assert (
        page.get_by_role("group", name="周临时").get_by_role("button", name="出席").get_attribute("aria-pressed")
        == "true"
    )
    assert meeting.attendances.get(name="孙明亮").status == Attendance.Status.PRESENT
