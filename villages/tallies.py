"""What every kept tally needs of a village's save: the townships it changes.

A tally per township (`lianchun.models.TownshipTally`) is recounted when one of its villages is saved; a village
moved to another township changes its old township as well. The old township is read here, once, before the
save, for every tally that listens to villages (`clusters.tallies`, `rectification.tallies`).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_save
from django.dispatch import receiver

from .models import Village


@receiver(pre_save, sender=Village, dispatch_uid="tally_village_before")
def _village_saving(sender: Any, instance: Village, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.pk is not None:
        instance._tally_townships = set(Village.objects.filter(pk=instance.pk).values_list("township_id", flat=True))


def townships_of(village: Village) -> set[int]:
    """The township a saved village is in, and the one it was in before when it moved."""
    return {village.township_id, *getattr(village, "_tally_townships", ())}
