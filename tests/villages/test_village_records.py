"""Village facts keep their history; standings change with when, who and why; records are voided, not deleted."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lianchun.editing import version_token
from lianchun.models import UnauditedWriteError
from villages import services
from villages.models import Standing, StandingChange, Village


def test_standing_change_records_from_when_by_whom_and_why(village_a, county_office):
    change = services.change_village_standing(
        village=village_a,
        to_standing="advanced",
        effective_date=datetime.date(2026, 6, 1),
        reason="联村后经济发展",
        by=county_office,
    )
    village_a.refresh_from_db()
    assert village_a.standing == "advanced"
    assert (change.from_standing, change.to_standing, change.recorded_by, change.reason) == (
        "average",
        "advanced",
        county_office,
        "联村后经济发展",
    )
    assert change.effective_date == datetime.date(2026, 6, 1)
    assert village_a.history.first().history_user == county_office


def test_a_standing_change_reads_from_and_to_with_a_dash_for_no_earlier_standing(village_a, county_office):
    change = services.change_village_standing(
        village=village_a,
        to_standing="lagging",
        effective_date=timezone.localdate(),
        reason="班子软弱",
        by=county_office,
    )
    assert str(change) == f"{village_a}: {Standing.AVERAGE.label} → {Standing.LAGGING.label}"
    assert str(StandingChange(village=village_a, to_standing="lagging")) == f"{village_a}: — → {Standing.LAGGING.label}"


def test_standing_change_needs_a_reason(village_a, county_office):
    with pytest.raises(ValidationError) as error:
        services.change_village_standing(
            village=village_a, to_standing="advanced", effective_date=timezone.localdate(), reason=" ", by=county_office
        )
    assert error.value.error_dict["reason"][0].code == "reason_required"
    assert not StandingChange.objects.exists()


def test_a_township_cadre_cannot_change_a_standing(village_a, cadre_a):
    with pytest.raises(PermissionDenied):
        services.change_village_standing(
            village=village_a, to_standing="advanced", effective_date=timezone.localdate(), reason="x", by=cadre_a
        )


def test_facts_change_is_audited_field_by_field(login, village_a, cadre_a):
    services.update_village_facts(village=village_a, by=cadre_a, reason="年度更新", households=420, party_members=33)
    record = village_a.history.first()
    assert record.history_user == cadre_a
    assert record.history_change_reason == "年度更新"
    delta = record.diff_against(record.prev_record)
    assert {(c.field, c.old, c.new) for c in delta.changes} == {("households", 400, 420), ("party_members", 30, 33)}

    page = login(cadre_a).get(f"/history/villages.village/{village_a.pk}/").content.decode()
    assert "户数" in page and "400 → 420" in page and "年度更新" in page and cadre_a.full_name in page


def test_another_townships_cadre_cannot_change_facts(village_a, cadre_b):
    with pytest.raises(PermissionDenied):
        services.update_village_facts(village=village_a, by=cadre_b, households=1)


def test_edit_form_saves_through_the_service(login, village_a, cadre_a):
    client = login(cadre_a)
    data = {
        "name": village_a.name,
        "households": 401,
        "population": 1000,
        "party_members": 30,
        "collective_income": "0",
        "reason": "核实",
        "record_version": version_token(village_a),  # as the form the page showed carries it
    }
    assert client.post(f"/villages/{village_a.pk}/edit/", data).status_code == 302
    village_a.refresh_from_db()
    assert village_a.households == 401
    assert village_a.history.first().history_user == cadre_a


def test_bulk_writes_that_the_audit_trail_would_miss_are_refused(village_a, township_a):
    """django-simple-history records nothing for these, so official records never take them."""
    with pytest.raises(UnauditedWriteError):
        Village.objects.filter(pk=village_a.pk).update(households=1)
    with pytest.raises(UnauditedWriteError):
        Village.objects.bulk_create([Village(township=township_a, code="379901101299", name="批量村")])
    with pytest.raises(UnauditedWriteError):
        Village.objects.bulk_update([village_a], ["households"])
    village_a.refresh_from_db()
    assert village_a.households == 400


def test_voiding_keeps_the_record_with_who_and_why(village_a, county_office):
    services.void_village(village=village_a, by=county_office, reason="行政区划调整，已并入邻村")
    village_a.refresh_from_db()
    assert village_a.is_voided and village_a.voided_by == county_office
    assert Village.objects.filter(pk=village_a.pk).exists()
    with pytest.raises(ValidationError):
        services.update_village_facts(village=village_a, by=county_office, households=1)


def test_village_list_township_filter_offers_only_the_users_townships(login, cadre_a, township_b, village_a, village_b):
    page = login(cadre_a).get("/villages/").content.decode()
    assert village_a.name in page
    assert village_b.name not in page
    assert township_b.name not in page


def test_county_office_sees_every_township_in_the_filter(
    login, county_office, township_a, township_b, village_a, village_b
):
    page = login(county_office).get("/villages/").content.decode()
    assert township_a.name in page and township_b.name in page
    assert village_a.name in page and village_b.name in page


def test_village_list_query_count_does_not_grow_with_rows(
    login, county_office, township_a, django_assert_max_num_queries
):
    from tests.factories import VillageFactory

    client = login(county_office)
    VillageFactory(township=township_a)
    with django_assert_max_num_queries(12) as one:
        client.get("/villages/")
    VillageFactory.create_batch(20, township=township_a)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/villages/")


def test_county_office_adds_a_township_with_a_valid_code(login, county_office, county):
    client = login(county_office)
    response = client.post("/villages/townships/new/", {"code": "３７９９０１１３００００", "name": "新设镇"})
    assert response.status_code == 302
    from villages.models import Township

    township = Township.objects.get(code="379901130000")
    assert township.history.first().history_user == county_office


def test_a_township_code_outside_the_county_is_refused(login, county_office, county):
    response = login(county_office).post("/villages/townships/new/", {"code": "370781130000", "name": "外县镇"})
    assert response.status_code == 200
    assert "前六位 379901" in response.content.decode()


def test_village_list_filters_by_name_township_standing_and_weakness(
    login, county_office, township_a, village_a, village_b
):
    from tests.factories import VillageFactory

    VillageFactory(township=township_a, code="379901101299", name="弱村", standing="lagging", is_weak=True)
    client = login(county_office)

    def names(**query):
        page = client.get("/villages/", query).content.decode()
        return {name for name in ("李家庄村", "王家村", "弱村") if f">{name}</a>" in page}

    assert names() == {"李家庄村", "王家村", "弱村"}
    assert names(q="李家") == {"李家庄村"}
    assert names(township=township_a.pk) == {"李家庄村", "弱村"}
    assert names(standing="lagging") == {"弱村"}
    assert names(weak="on") == {"弱村"}
    assert names(township="999999") == {"李家庄村", "王家村", "弱村"}  # a township out of reach filters nothing
