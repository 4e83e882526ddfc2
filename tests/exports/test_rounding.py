"""Descriptive rates read as a clerk's Excel ROUND shows them, on the page and in the workbook alike;
the consent rate, which decides the 80% rule, stays truncated and says so."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clusters.models import Status
from tests.exports.factories import consulting_cluster, give_consent, make_village, rare_villages

TRUNCATED = "同意率（截尾，不四舍五入）"


def _workbook(client, topic):
    response = client.get(reverse("exports:workbook", args=[topic]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _cells(html: str, marker: str) -> list[str]:
    """The text of the cells of the table row carrying `marker`."""
    row = re.search(rf"<tr[^>]*{re.escape(marker)}[^>]*>(.*?)</tr>", html, re.S)
    assert row, marker
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_two_of_three_solved_reads_66_7_on_the_page_and_in_the_workbook(login, cadre_a):
    from tests.rectification.factories import livelihood
    from tests.rectification.test_ledgers import record

    kind = livelihood(cadre_a.county)
    village = make_village(cadre_a.township)
    for solved in (True, True, False):
        record(village, cadre_a, kind, solved=solved)
    client = login(cadre_a)
    html = client.get(reverse("rectification:ledger-overview")).content.decode()
    assert _cells(html, 'data-ledger="total"')[-1] == "66.7%"  # Excel's ROUND(66.66…, 1), not 66.6

    sheet = _workbook(client, "ledgers")["三本台账"]
    totals = [row for row in sheet.iter_rows(min_row=4) if row[0].value == "合计"][0]
    assert totals[-1].value == pytest.approx(0.667)
    assert totals[-1].number_format == "0.0%"


def test_a_consent_of_79_96_percent_reads_79_9_is_labelled_truncated_and_is_refused(login, cadre_a):
    villages = rare_villages(cadre_a.township, ["东圩村", "西畈村"], households=3000)
    cluster = consulting_cluster(cadre_a, villages, name="坳口联村")
    # 1999 of 2500 agree: 79.96%. The returned rate is the same fraction and, only describing, rounds to 80.0%.
    give_consent(cadre_a, cluster, {villages[0]: (2500, 1999, 0, 0), villages[1]: (100, 90, 10, 0)})
    client = login(cadre_a)

    html = client.get(cluster.get_absolute_url()).content.decode()
    assert TRUNCATED in html
    cells = _cells(html, 'data-village="东圩村"')
    assert "80.0%" in cells  # returned rate, rounded half up
    assert "79.9%" in cells  # agree rate, truncated: never 80.0% for 79.96%
    assert cells.index("80.0%") < cells.index("79.9%")

    response = client.post(reverse("clusters:cluster-submit", args=[cluster.pk]), {"opinion": ""})
    assert response.status_code == 200 and "79.9%" in response.content.decode()
    cluster.refresh_from_db()
    assert cluster.status == Status.CONSULTING  # refused: 79.96% is below 80%

    sheet = _workbook(client, "consent")["群众同意率"]
    header = [c.value for c in next(sheet.iter_rows(min_row=3, max_row=3))]
    assert TRUNCATED in header
    row = next(r for r in sheet.iter_rows(min_row=4) if r[4].value == "东圩村")
    assert row[header.index(TRUNCATED)].value == pytest.approx(0.799)
    assert row[header.index("收回率")].value == pytest.approx(0.8)
    assert any("截尾" in str(r[0].value or "") for r in sheet.iter_rows(min_row=4))  # the sheet's note says so
