"""Every village service leaves a 修改记录 that opens and says what changed, by whom and why."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse

from villages import services


def _text(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_a_village_through_every_service_opens_its_history(client, village_a, cadre_a, county_office, county):
    services.update_village_facts(village=village_a, by=cadre_a, reason="年度核实", households=410, is_weak=True)
    services.change_village_standing(
        village=village_a,
        to_standing="lagging",
        effective_date=datetime.date(2026, 6, 1),
        reason="班子软弱",
        by=county_office,
    )
    services.void_village(village=village_a, by=county_office, reason="并入邻村")
    township = services.create_township(county=county, code="379901130000", name="新设镇", by=county_office)

    client.force_login(county_office)
    text = _text(client.get(reverse("record-history", args=["villages.village", village_a.pk])))
    assert "户数 : 400 → 410" in text and "年度核实" in text and "张干部" in text
    assert "一般 → 后进" in text and "班子软弱" in text
    assert "并入邻村" in text and "作废人 : — → 王主任" in text
    text = _text(client.get(reverse("record-history", args=["villages.township", township.pk])))
    assert "新设镇" in text and "王主任" in text
