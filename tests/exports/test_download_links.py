"""Each summary page offers the workbook or PDF that summarises it."""

from __future__ import annotations

import pytest
from django.urls import reverse

PAGES = [
    ("clusters:coverage", ["exports:county-summary-pdf"]),
    ("clusters:cluster-list", ["exports:workbook|roster", "exports:workbook|consent"]),
    ("reports:completeness", ["exports:workbook|completeness"]),
    ("rectification:overview", ["exports:workbook|rectification", "exports:workbook|ledgers"]),
    ("meetings:issue-list", ["exports:workbook|meeting-issues"]),
]


def _url(name: str) -> str:
    if "|" in name:
        name, topic = name.split("|")
        return reverse(name, kwargs={"topic": topic})
    return reverse(name)


@pytest.mark.parametrize(("page", "downloads"), PAGES)
def test_summary_pages_link_their_downloads(login, county_office, township_a, page, downloads):
    html = login(county_office).get(reverse(page)).content.decode()
    for download in downloads:
        url = _url(download)
        assert f'href="{url}' in html, f"{page} does not link {url}"
        assert login(county_office).get(url).status_code == 200
