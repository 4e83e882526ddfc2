"""The report tallies: each township's weekly reports per week as completeness counts them, kept as they change.

A report is saved one `save()` at a time by the services (the audit trail demands it), so `post_save` sees
every change: a report's save recounts its township's week; a cluster whose dates change (approved,
established, dissolved) recounts every week of its township. The township row is locked first, so two
saves in one township cannot each count without the other's report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from clusters.models import Cluster

from . import completeness
from .models import ReportTally, WeeklyReport
from .weeks import Week

DATES = ("township_id", "established_on", "dissolved_on", "approved_at")


def recount(township_id: int, weeks: Iterable[Week] | None = None) -> None:
    """Count again `township_id`'s tallies of `weeks` (every week when None) from its reports."""
    weeks = None if weeks is None else sorted(set(weeks), key=lambda week: week.key)
    with transaction.atomic():
        ReportTally.lock_townships([township_id])
        reports = WeeklyReport.objects.filter(cluster__township_id=township_id)
        tallies = ReportTally.objects.filter(township_id=township_id)
        if weeks is not None:
            if not weeks:
                return
            in_weeks = Q()
            for week in weeks:
                in_weeks |= Q(iso_year=week.year, iso_week=week.number)
            reports, tallies = reports.filter(in_weeks), tallies.filter(in_weeks)
        counts = _count(reports)
        tallies.delete()
        ReportTally.objects.bulk_create(_tallies(counts))


def recount_all() -> None:
    """Every township's tallies in one pass over the reports (after a bulk load, or to prove the kept ones right)."""
    with transaction.atomic():
        ReportTally.objects.all().delete()
        ReportTally.objects.bulk_create(_tallies(_count(WeeklyReport.objects.all())), batch_size=5000)


def _count(reports) -> dict[tuple[int, int, int], list[int]]:
    """(arrived, on time, drafts) per (township, year, week) of `reports`, counting only weeks their cluster owed."""
    counts: dict[tuple[int, int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = reports.values_list(
        "iso_year",
        "iso_week",
        "first_submitted_at",
        "cluster_id",
        "cluster__township_id",
        "cluster__established_on",
        "cluster__dissolved_on",
        "cluster__approved_at",
    )
    for year, number, submitted_at, cluster_id, township_id, established, dissolved, approved in rows.iterator(5000):
        week = Week(year, number)
        span = completeness.ClusterSpan(cluster_id, township_id, established, dissolved, approved_at=approved)
        if not completeness.is_expected(span, week):
            continue
        figures = counts[(township_id, year, number)]
        if submitted_at is None:
            figures[2] += 1
        else:
            figures[0] += 1
            figures[1] += not week.is_late(submitted_at)
    return counts


def _tallies(counts: dict[tuple[int, int, int], list[int]]) -> Iterable[ReportTally]:
    for (township_id, year, number), (arrived, on_time, draft) in sorted(counts.items()):
        yield ReportTally(
            township_id=township_id, iso_year=year, iso_week=number, arrived=arrived, on_time=on_time, draft=draft
        )


def _report_changed(instance: WeeklyReport) -> None:
    township_id = Cluster.objects.values_list("township_id", flat=True).get(pk=instance.cluster_id)
    recount(township_id, [Week(instance.iso_year, instance.iso_week)])


@receiver(post_save, sender=WeeklyReport, dispatch_uid="report_tally_saved")
def _report_saved(sender: Any, instance: WeeklyReport, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # fixtures: recount_all afterwards
        _report_changed(instance)


@receiver(post_delete, sender=WeeklyReport, dispatch_uid="report_tally_deleted")
def _report_deleted(sender: Any, instance: WeeklyReport, **kwargs: Any) -> None:
    if Cluster.objects.filter(pk=instance.cluster_id).exists():
        _report_changed(instance)


@receiver(pre_save, sender=Cluster, dispatch_uid="report_tally_cluster_before")
def _cluster_saving(sender: Any, instance: Cluster, raw: bool = False, **kwargs: Any) -> None:
    # The dates that decide which weeks the cluster owes, before this save.
    if not raw and instance.pk is not None:
        instance._tally_dates = Cluster.objects.filter(pk=instance.pk).values_list(*DATES).first()


@receiver(post_save, sender=Cluster, dispatch_uid="report_tally_cluster")
def _cluster_saved(sender: Any, instance: Cluster, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    if raw or created:
        return
    before = getattr(instance, "_tally_dates", None)
    if before == tuple(getattr(instance, name) for name in DATES):
        return
    if not instance.weekly_reports.exists():
        return
    for township_id in {instance.township_id, *((before[0],) if before else ())}:
        recount(township_id)
