"""The ledger tallies a county, city or province reads: after every kind of change they equal a direct count."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q
from django.urls import reverse

from rectification import selectors, services, tallies
from rectification.models import LedgerEntry, LedgerKind, LedgerTally
from tests import factories, walk
from tests.rectification.test_ledgers import record
from villages import services as village_services


def direct_counts() -> dict[tuple[int, int], tuple[int, int]]:
    """Live matters per (township, ledger), counted from the entries themselves."""
    rows = (
        LedgerEntry.objects.filter(voided_at__isnull=True, village__voided_at__isnull=True)
        .values("village__township_id", "kind_id")
        .annotate(collected=Count("pk"), solved=Count("pk", filter=Q(status=LedgerEntry.Status.SOLVED)))
    )
    return {(row["village__township_id"], row["kind_id"]): (row["collected"], row["solved"]) for row in rows}


def kept_counts() -> dict[tuple[int, int], tuple[int, int]]:
    return {(t.township_id, t.kind_id): (t.collected, t.solved) for t in LedgerTally.objects.all()}


def test_tallies_follow_every_change_of_an_entry_or_a_village(
    village_a, village_b, cadre_a, cadre_b, county_office, county
):
    livelihood, stability, _hardship = LedgerKind.objects.filter(county=county).order_by("order")
    other_a = factories.VillageFactory(township=village_a.township)
    steps = []

    first = record(village_a, cadre_a, livelihood)
    steps.append(("recorded", {(village_a.township_id, livelihood.pk): (1, 0)}))
    assert kept_counts() == direct_counts() == steps[-1][1]

    record(other_a, cadre_a, stability, solved=True)
    record(village_b, cadre_b, livelihood, solved=True)
    services.update_ledger_entry(
        entry=first, by=cadre_a, status=LedgerEntry.Status.SOLVED, solved_on=first.collected_on
    )
    assert (
        kept_counts()
        == direct_counts()
        == {
            (village_a.township_id, livelihood.pk): (1, 1),
            (village_a.township_id, stability.pk): (1, 1),
            (village_b.township_id, livelihood.pk): (1, 1),
        }
    )

    services.update_ledger_entry(entry=first, by=cadre_a, status=LedgerEntry.Status.IN_PROGRESS)
    assert kept_counts()[(village_a.township_id, livelihood.pk)] == (1, 0)

    services.void_ledger_entry(entry=first, by=cadre_a, reason="重复登记")
    assert kept_counts() == direct_counts()
    assert (village_a.township_id, livelihood.pk) not in kept_counts()

    # A voided village's matters leave its township's figures, as they leave the county's ledger page.
    village_services.void_village(village=other_a, by=county_office, reason="行政区划调整")
    assert kept_counts() == direct_counts() == {(village_b.township_id, livelihood.pk): (1, 1)}

    # A village moved to another township takes its matters along.
    village_b.township = village_a.township
    village_b.save()
    assert kept_counts() == direct_counts() == {(village_a.township_id, livelihood.pk): (1, 1)}


def test_recounting_everything_gives_the_kept_figures(village_a, village_b, cadre_a, cadre_b, county):
    kind = LedgerKind.objects.filter(county=county).order_by("order").first()
    for number in range(5):
        record(village_a, cadre_a, kind, solved=number < 3, summary=f"事项{number}")
    record(village_b, cadre_b, kind)
    kept = kept_counts()
    LedgerTally.objects.all().delete()
    tallies.recount_all()
    assert kept_counts() == kept == direct_counts()


@pytest.mark.django_db
def test_the_county_page_the_city_page_and_the_workbook_read_the_same_totals(
    village_a, village_b, cadre_a, cadre_b, county_office, city_office, county
):
    kind = LedgerKind.objects.filter(county=county).order_by("order").first()
    for number in range(4):
        record(village_a, cadre_a, kind, solved=number % 2 == 0, summary=f"事项{number}")
    record(village_b, cadre_b, kind, solved=True)

    county_page = walk.client_for(county_office).get(reverse("rectification:ledger-overview"))
    grand = county_page.context["grand"]
    assert (grand.collected, grand.solved) == (5, 3)
    city_page = walk.client_for(city_office).get(reverse("villages:region-ledgers"))
    (row,) = [row for row in city_page.context["comparison"].rows if row.county == county]
    assert (row.figures["collected"], row.figures["solved"], row.figures["in_progress"]) == (5, 3, 2)
    total = selectors.ledger_total(county_office, "")
    assert (total.collected, total.solved, total.in_progress) == (5, 3, 2)
