"""A county gets its standard ledgers and handling methods when it is created, not on a page's first visit."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from villages.models import County

from .services import ensure_county_lists


@receiver(post_save, sender=County, dispatch_uid="rectification.county_lists")
def give_new_county_its_lists(sender, instance: County, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        ensure_county_lists(instance)
