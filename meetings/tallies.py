"""The meeting tallies: each county's live meetings, recounted as meetings change.

A meeting is saved one `save()` at a time by the services (the audit trail demands it), so `post_save` sees
every meeting scheduled or voided and recounts its county inside the same transaction. The county row is
locked first, so two saves in one county cannot each count without the other's meeting.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from villages.models import County

from .models import Meeting, MeetingTally


def counted_meetings():
    """The meetings a list shows: those not voided."""
    return Meeting.objects.filter(voided_at__isnull=True)


def recount(county_id: int) -> None:
    with transaction.atomic():
        list(County.objects.select_for_update().filter(pk=county_id).values_list("pk"))
        live = counted_meetings().filter(county_id=county_id).count()
        MeetingTally.objects.update_or_create(county_id=county_id, defaults={"live": live})


def recount_all() -> None:
    """Every county's tally in one pass (after a bulk load, or to prove the kept ones right)."""
    counts = dict(counted_meetings().values_list("county_id").annotate(n=Count("pk")).values_list("county_id", "n"))
    with transaction.atomic():
        MeetingTally.objects.all().delete()
        MeetingTally.objects.bulk_create(
            [MeetingTally(county_id=pk, live=counts.get(pk, 0)) for pk in County.objects.values_list("pk", flat=True)],
            batch_size=5000,
        )


def live_meetings_of(user: Any) -> int:
    """How many live meetings the user's counties hold, from the tallies (a city or province office's list)."""
    return MeetingTally.objects.visible_to(user).aggregate(n=Sum("live"))["n"] or 0


@receiver(post_save, sender=Meeting, dispatch_uid="meeting_tally_on_save")
@receiver(post_delete, sender=Meeting, dispatch_uid="meeting_tally_on_delete")
def _meeting_changed(sender: Any, instance: Meeting, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: the restored tallies come with the data
        return
    recount(instance.county_id)
