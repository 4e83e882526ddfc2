"""A village's 软弱涣散 mark follows its rectification plan: no form or roster may lift it while the plan runs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianchun.audit import void_record
from tests import walk
from tests.rectification.test_review import codes
from tests.villages.test_roster_import import problems_of, row, workbook_bytes
from villages import importing
from villages.forms import VillageFactsForm
from villages.models import Village
from villages.services import update_village_facts

FOLLOWS = "有整顿方案的村，其软弱涣散标记随方案变化：方案销号时取消，重新整顿时恢复。"


def test_the_facts_form_cannot_lift_the_mark_of_a_village_under_rectification(approved, cadre_a):
    village = approved.village
    with pytest.raises(ValidationError) as error:
        update_village_facts(village=village, by=cadre_a, is_weak=False, households=400)
    assert codes(error.value) == {"weak_mark_follows_plan"}
    assert error.value.message_dict == {"is_weak": [FOLLOWS]}
    village.refresh_from_db()
    assert village.is_weak and village.households != 400


def test_the_facts_page_shows_the_mark_fixed_and_saves_the_other_facts(approved, cadre_a, client):
    village = approved.village
    client.force_login(cadre_a)
    url = reverse("villages:village-edit", args=[village.pk])
    page = client.get(url).content.decode()
    box = page[page.rindex("<input", 0, page.index('name="is_weak"')) : page.index('name="is_weak"') + 200]
    assert FOLLOWS in page and "disabled" in box
    data = {name: values[0] for name, values in walk.form_data(page).items()}
    # A request that unticks the box anyway changes the other facts only.
    data.pop("is_weak", None)
    assert client.post(url, {**data, "households": "401", "reason": "户数更新"}).status_code == 302
    village.refresh_from_db()
    assert village.households == 401 and village.is_weak


def test_a_village_without_a_live_plan_is_marked_and_unmarked_on_its_facts(weak_a, draft, cadre_a, county_office):
    void_record(draft, by=county_office, reason="重复录入")
    assert update_village_facts(village=weak_a, by=cadre_a, is_weak=False) == ["is_weak"]
    assert not Village.objects.get(pk=weak_a.pk).is_weak
    assert not VillageFactsForm(instance=weak_a).fields["is_weak"].disabled


def test_a_roster_row_that_lifts_the_mark_is_refused_at_its_cell(approved, county_office):
    village = approved.village
    township = village.township
    line = row(
        code=village.code,
        name=village.name,
        township=township.code,
        township_name=township.name,
        households=village.households,
        population=village.population,
        members=village.party_members,
        income=int(village.collective_income),
        standing="后进",
        weak="否",
    )
    plan = importing.plan_import(workbook_bytes([line]), user=county_office)
    assert problems_of(plan) == [(4, "J（软弱涣散（是/否））", FOLLOWS)]
    assert not importing.apply_import(workbook_bytes([line]), user=county_office, file_name="名册.xlsx").is_valid
    village.refresh_from_db()
    assert village.is_weak
