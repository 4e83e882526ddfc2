"""The ledger tallies: each township's live matters per ledger, recounted whenever one of them changes.

Every write of a ledger entry or a village saves a model instance (the services write one `save()` at a
time: the audit trail demands it), so a `post_save` receiver here sees every change, whichever service or
page made it, and recounts that township's rows inside the same transaction. The township row is locked
first, so two cadres saving entries of one township at once cannot each count without the other's entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from villages.models import Township, Village
from villages.tallies import townships_of

from .models import LedgerEntry, LedgerTally
from .selectors import counted_entries


def recount(township_ids: Iterable[int]) -> None:
    """Count again the tallies of `township_ids` from their entries (a few hundred rows each)."""
    township_ids = sorted(set(township_ids))
    if not township_ids:
        return
    with transaction.atomic():
        LedgerTally.lock_townships(township_ids)
        rows = (
            counted_entries()
            .filter(village__township_id__in=township_ids)
            .order_by()
            .values("village__township_id", "kind_id")
            .annotate(collected=Count("pk"), solved=Count("pk", filter=Q(status=LedgerEntry.Status.SOLVED)))
        )
        LedgerTally.objects.filter(township_id__in=township_ids).delete()
        LedgerTally.objects.bulk_create(
            LedgerTally(
                township_id=row["village__township_id"],
                kind_id=row["kind_id"],
                collected=row["collected"],
                solved=row["solved"],
            )
            for row in rows
        )


def recount_all(batch: int = 200) -> None:
    """Every township's tallies (after a bulk load, or to prove the kept ones right)."""
    ids = list(Township.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        recount(ids[start : start + batch])


@receiver(post_save, sender=LedgerEntry, dispatch_uid="ledger_tally_entry")
def _entry_saved(sender: Any, instance: LedgerEntry, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # fixtures: recount_all afterwards
        return
    recount([Village.objects.values_list("township_id", flat=True).get(pk=instance.village_id)])


@receiver(post_save, sender=Village, dispatch_uid="ledger_tally_village")
def _village_saved(sender: Any, instance: Village, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    # A new village has no entries yet; a voided (or moved) one changes what its township counts.
    if raw or created:
        return
    recount(townships_of(instance))
