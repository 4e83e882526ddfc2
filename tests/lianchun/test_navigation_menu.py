"""The menu is rendered once per role and page kind, and still marks the page open and shows each role its own entries."""

from __future__ import annotations

import re

from django.urls import reverse


def _menu(response) -> str:
    html = response.content.decode()
    return html[html.index('<ul class="navbar-nav me-auto">') : html.index('<ul class="navbar-nav">')]


def _active_links(menu: str) -> set[str]:
    return set(re.findall(r'class="(?:nav-link|dropdown-item)[^"]* active"[^>]*href="([^"]+)"', menu))


def test_the_menu_marks_the_open_page_whichever_page_was_rendered_before(login, cadre_a, county_office):
    client = login(cadre_a)
    reports_menu = _menu(client.get(reverse("reports:report-list")))
    meetings_menu = _menu(client.get(reverse("meetings:issue-list")))
    assert reverse("reports:report-list") in _active_links(reports_menu)
    assert reverse("meetings:issue-list") in _active_links(meetings_menu)
    assert reverse("reports:report-list") not in _active_links(meetings_menu)
    # The same page again comes from the kept markup, identical.
    assert _menu(client.get(reverse("reports:report-list"))) == reports_menu

    # Another role on the same page gets its own entries, not the cadre's kept menu.
    county_menu = _menu(login(county_office).get(reverse("meetings:issue-list")))
    assert reverse("reports:inbox") in county_menu
    assert reverse("reports:inbox") not in meetings_menu
    assert reverse("meetings:issue-list") in _active_links(county_menu)
