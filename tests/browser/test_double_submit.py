"""A post goes once: a cadre on a slow line who presses 保存 twice records one issue, not two."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from meetings.models import MeetingIssue
from tests.meetings.factories import township_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_double_click_on_save_records_the_issue_once(page, log_in, live_server, cadre_a, village_a):
    meeting = township_meeting(cadre_a)
    log_in(cadre_a)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/issues/new/")
    page.locator("textarea[name=description]").fill("村道破损需维修")
    page.locator("input[name=raised_by]").fill("李书记")
    page.locator("input[name=owner]").fill("王副镇长")

    def slow_line(route):
        # The server gets the post at once; its answer takes a second to come back down the line.
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch(max_redirects=0)
        time.sleep(1)
        route.fulfill(response=response)

    page.route("**/issues/new/", slow_line)
    # Pressed, and pressed again a moment later while the first is on its way.
    page.evaluate(
        """() => {
            const save = [...document.querySelectorAll("main button[type=submit]")].find(b => b.textContent.includes("登记问题"));
            save.click();
            setTimeout(() => save.click(), 300);
        }"""
    )
    page.wait_for_timeout(2500)  # both presses' answers have come back by now
    assert MeetingIssue.objects.filter(meeting=meeting).count() == 1
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/meetings/{meeting.pk}/#issues"
    expect(page.locator(".alert-success")).to_be_visible()
