"""三本台账: entries, the county's lists, and totals counted from the entries."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianchun import clock
from rectification import selectors, services
from rectification.models import HandlingMethod, LedgerEntry, LedgerKind
from tests import factories
from tests.rectification import factories as rf
from tests.rectification.test_review import codes


def record(village, cadre, kind, *, solved=False, days_ago=10, handling=None, summary="村道破损"):
    today = clock.today()
    return services.create_ledger_entry(
        village=village,
        by=cadre,
        kind=kind,
        source=LedgerEntry.Source.HOUSE_VISIT,
        collected_on=today - datetime.timedelta(days=days_ago),
        summary=summary,
        owner="李书记",
        handling=handling,
        status=LedgerEntry.Status.SOLVED if solved else LedgerEntry.Status.IN_PROGRESS,
        solved_on=today if solved else None,
    )


def test_a_county_starts_with_the_three_ledgers_and_a_list_of_handling_methods(county):
    services.ensure_county_lists(county)
    services.ensure_county_lists(county)
    assert list(LedgerKind.objects.filter(county=county).values_list("name", flat=True)) == [
        "民生台账",
        "稳定台账",
        "困难群众台账",
    ]
    assert "一事一议" in HandlingMethod.objects.filter(county=county).values_list("name", flat=True)


def test_a_new_county_has_its_lists_from_creation_and_the_ledger_page_writes_nothing(db, login):
    county = factories.CountyFactory()
    assert LedgerKind.objects.filter(county=county).count() == 3
    assert HandlingMethod.objects.filter(county=county).count() == len(services.STANDARD_HANDLING)
    # Its first history row, like any record the product creates.
    assert LedgerKind.history.filter(county=county, history_type="+").count() == 3
    office = factories.UserFactory(role="county_office", county=county)
    client = login(office)
    client.get("/rectification/ledgers/")  # warm: the first request loads what every page loads once
    before = (LedgerKind.history.count(), HandlingMethod.history.count())
    assert client.get("/rectification/ledgers/").status_code == 200
    assert client.get("/rectification/overview/").status_code == 200
    assert (LedgerKind.history.count(), HandlingMethod.history.count()) == before


def test_seed_003_totals_read_39_34_5(village_a, cadre_a, county):
    kind = rf.livelihood(county)
    for number in range(39):
        record(village_a, cadre_a, kind, solved=number < 34, summary=f"民生事项{number}")
    livelihood = selectors.totals_by(selectors.live_entries(cadre_a), "kind_id", {kind.pk: kind.name})[0]
    assert (livelihood.collected, livelihood.solved, livelihood.in_progress) == (39, 34, 5)
    assert livelihood.solved_rate == "87.2%"  # 87.17…, rounded half up as Excel shows it


def test_totals_per_ledger_village_township_and_county(village_a, village_b, cadre_a, cadre_b, county_office, county):
    services.ensure_county_lists(county)
    livelihood, stability, hardship = LedgerKind.objects.filter(county=county).order_by("order")
    other_a = factories.VillageFactory(township=village_a.township)
    record(village_a, cadre_a, livelihood, solved=True)
    record(village_a, cadre_a, livelihood)
    record(other_a, cadre_a, stability, solved=True)
    record(village_b, cadre_b, hardship, solved=True)
    voided = record(village_b, cadre_b, hardship)
    services.void_ledger_entry(entry=voided, by=cadre_b, reason="重复登记")

    county_entries = selectors.live_entries(county_office)
    assert selectors.grand_total(county_entries, "").collected == 4
    assert selectors.grand_total(county_entries, "").solved == 3
    kinds = selectors.kinds_for(county_office)
    per_township = selectors.ledger_matrix(
        county_entries, "village__township_id", {village_a.township_id: "A", village_b.township_id: "B"}, kinds
    )
    a_row, b_row = per_township
    assert (a_row["total"].collected, a_row["total"].solved) == (3, 2)
    assert [cell.collected for cell in a_row["cells"]] == [2, 1, 0]
    assert (b_row["total"].collected, b_row["total"].solved) == (1, 1)
    per_village = selectors.ledger_matrix(
        county_entries.filter(village__township=village_a.township),
        "village_id",
        {village_a.pk: "a", other_a.pk: "o"},
        kinds,
    )
    assert [(row["total"].collected, row["total"].in_progress) for row in per_village] == [(2, 1), (1, 0)]
    # The township cadre's own totals stop at the township.
    assert selectors.grand_total(selectors.live_entries(cadre_a), "").collected == 3


def test_only_the_own_township_keeps_a_village_ledger(village_a, cadre_b, county_office, org_department, county):
    kind = rf.livelihood(county)
    for user in (cadre_b, county_office, org_department):
        with pytest.raises(PermissionDenied):
            record(village_a, user, kind)
    assert not LedgerEntry.objects.exists()


def test_a_solved_matter_needs_its_date_not_before_collection(village_a, cadre_a, county):
    kind = rf.livelihood(county)
    with pytest.raises(ValidationError) as error:
        services.create_ledger_entry(
            village=village_a,
            by=cadre_a,
            kind=kind,
            source="phone",
            collected_on=clock.today(),
            summary="x",
            owner="y",
            handling=None,
            status=LedgerEntry.Status.SOLVED,
            solved_on=None,
        )
    assert codes(error.value) == {"solved_date_required"}
    with pytest.raises(ValidationError) as error:
        services.create_ledger_entry(
            village=village_a,
            by=cadre_a,
            kind=kind,
            source="phone",
            collected_on=clock.today(),
            summary="x",
            owner="y",
            handling=None,
            status=LedgerEntry.Status.SOLVED,
            solved_on=clock.today() - datetime.timedelta(days=1),
        )
    assert codes(error.value) == {"solved_before_collected"}


def test_marking_solved_then_back_in_progress_clears_the_date(village_a, cadre_a, county):
    entry = record(village_a, cadre_a, rf.livelihood(county))
    services.update_ledger_entry(entry=entry, by=cadre_a, status=LedgerEntry.Status.SOLVED, solved_on=clock.today())
    entry.refresh_from_db()
    assert entry.solved_on == clock.today()
    services.update_ledger_entry(entry=entry, by=cadre_a, status=LedgerEntry.Status.IN_PROGRESS)
    entry.refresh_from_db()
    assert entry.solved_on is None
    assert entry.history.count() == 3


def test_the_county_office_adds_ledger_kinds_and_handling_methods(county, county_office, org_department, cadre_a):
    services.ensure_county_lists(county)
    kind = services.add_ledger_kind(county=county, by=county_office, name="计生台账")
    assert kind.order > LedgerKind.objects.get(county=county, standard="hardship").order
    with pytest.raises(ValidationError) as error:
        services.add_ledger_kind(county=county, by=county_office, name="计生台账")
    assert codes(error.value) == {"duplicate_name"}
    for user in (org_department, cadre_a):
        with pytest.raises(PermissionDenied):
            services.add_ledger_kind(county=county, by=user, name="其他台账")
    method = services.add_handling_method(county=county, by=county_office, name="小额意外保险")
    services.set_handling_method_in_use(method=method, by=county_office, is_active=False)
    method.refresh_from_db()
    assert not method.is_active


def test_a_method_out_of_use_cannot_be_chosen_for_new_entries(village_a, cadre_a, county_office, county):
    kind = rf.livelihood(county)
    method = HandlingMethod.objects.get(county=county, name="低保")
    entry = record(village_a, cadre_a, kind, handling=method)
    services.set_handling_method_in_use(method=method, by=county_office, is_active=False)
    with pytest.raises(ValidationError) as error:
        record(village_a, cadre_a, kind, handling=method)
    assert codes(error.value) == {"wrong_handling"}
    # An entry that already used it keeps it when edited.
    services.update_ledger_entry(entry=entry, by=cadre_a, summary="低保申请已受理")


def test_entries_cannot_use_another_countys_lists(village_a, cadre_a, county):
    other = factories.CountyFactory(code="379902000000")
    services.ensure_county_lists(other)
    foreign = LedgerKind.objects.get(county=other, standard="livelihood")
    with pytest.raises(ValidationError) as error:
        record(village_a, cadre_a, foreign)
    assert codes(error.value) == {"wrong_county"}


def test_a_day_solved_typed_beside_in_progress_is_refused_on_its_field_not_dropped(village_a, cadre_a, county):
    with pytest.raises(ValidationError) as error:
        services.create_ledger_entry(
            village=village_a,
            by=cadre_a,
            kind=rf.livelihood(county),
            source=LedgerEntry.Source.HOUSE_VISIT,
            collected_on=clock.today() - datetime.timedelta(days=3),
            summary="村道破损",
            owner="李书记",
            handling=None,
            status=LedgerEntry.Status.IN_PROGRESS,
            solved_on=clock.today(),
        )
    assert "solved_on" in error.value.message_dict
    assert not LedgerEntry.objects.exists()
