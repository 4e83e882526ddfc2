"""Reads shared by the cluster pages: a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from lianchun import rates
from lianchun.compiled import ScopedRead
from villages.models import Standing, Township, Village

from . import consent
from .models import (
    STATUS_BADGES,
    Cluster,
    ClusterEvent,
    ClusterMembership,
    ClusterOfficer,
    ConsentBatch,
    ConsentOpinion,
    ConsentSurvey,
    Form,
    Kind,
    Status,
)


def surveys_prefetch() -> Prefetch:
    return Prefetch(
        "surveys",
        queryset=ConsentSurvey.objects.filter(is_active=True)
        .select_related("village")
        .prefetch_related(Prefetch("batches", queryset=ConsentBatch.objects.filter(voided_at__isnull=True)))
        .order_by("village__code"),
        to_attr="active_surveys",
    )


@dataclass
class VillageTally:
    survey: ConsentSurvey
    tally: consent.Tally

    @property
    def village(self) -> Village:
        return self.survey.village

    @property
    def short_of_households(self) -> bool:
        return self.survey.handed_out < self.survey.village.households

    @property
    def over_households(self) -> bool:
        return over_households(self.survey)


def over_households(survey: ConsentSurvey) -> bool:
    """More forms handed out than the village has households (seed 000: one form per household)."""
    households = survey.village.households
    return bool(households) and survey.handed_out > households


def tallies_of(cluster: Cluster) -> list[VillageTally]:
    """Per member village tallies from a cluster loaded with `surveys_prefetch()`."""
    return [VillageTally(s, s.tally(list(s.batches.all()))) for s in cluster.active_surveys]


def clusters_with_tallies(queryset) -> list[tuple[Cluster, list[VillageTally]]]:
    clusters = list(
        queryset.select_related("township", "lead_village", "partner_unit").prefetch_related(surveys_prefetch())
    )
    return [(c, tallies_of(c)) for c in clusters]


def member_tallies(cluster: Cluster) -> list[tuple[ConsentSurvey, consent.Tally]]:
    """Each active member village's survey with its tally (two queries)."""
    surveys = list(
        ConsentSurvey.objects.filter(cluster=cluster, is_active=True)
        .select_related("village")
        .prefetch_related("batches")
        .order_by("village__code")
    )
    return [(s, s.tally(list(s.batches.all()))) for s in surveys]


def failing_villages(cluster: Cluster) -> list[tuple[ConsentSurvey, consent.Tally]]:
    return [(s, t) for s, t in member_tallies(cluster) if not t.passes]


def failing_message(failing: list[tuple[ConsentSurvey, consent.Tally]]) -> str:
    parts = []
    for survey, tally in failing:
        if tally.handed_out == 0:
            parts.append(_("%(village)s: no forms handed out") % {"village": survey.village.name})
        else:
            parts.append(
                _("%(village)s: %(rate)s agree, %(needed)s more agreeing forms needed")
                % {"village": survey.village.name, "rate": tally.agree_rate, "needed": tally.forms_needed}
            )
    return "；".join(parts)


def unanswered_opinions(cluster: Cluster) -> list:
    return list(cluster.opinions.filter(answer="").select_related("village").order_by("received_on", "pk"))


def opinions_message(opinions: list, *, most: int = 3) -> str:
    """The first few opinions by day, village and their opening words, for a refusal the cadre can act on."""
    parts = [
        f"{opinion.received_on:%m-%d} {opinion.village.name if opinion.village else opinion.get_source_display()}："
        f"{Truncator(opinion.content).chars(16)}"
        for opinion in opinions[:most]
    ]
    if len(opinions) > most:
        parts.append(_("and %(count)s more") % {"count": len(opinions) - most})
    return "；".join(parts)


@dataclass
class ReviewFacts:
    """What the county reads beside the tallies before approving: who the township sends, and the opinions."""

    work_group: list = field(default_factory=list)
    opinions: int = 0
    unanswered: int = 0


def review_facts(cluster_ids: list[int]) -> dict[int, ReviewFacts]:
    facts = {pk: ReviewFacts() for pk in cluster_ids}
    officers = ClusterOfficer.objects.filter(
        cluster_id__in=cluster_ids, body=ClusterOfficer.Body.WORK_GROUP, voided_at__isnull=True
    ).order_by("cluster_id", "pk")
    for officer in officers:
        facts[officer.cluster_id].work_group.append(officer)
    counts = (
        ConsentOpinion.objects.filter(cluster_id__in=cluster_ids)
        .values("cluster_id")
        .annotate(total=Count("pk"), unanswered=Count("pk", filter=Q(answer="")))
    )
    for row in counts:
        facts[row["cluster_id"]].opinions = row["total"]
        facts[row["cluster_id"]].unanswered = row["unanswered"]
    return facts


def _event_day(cluster: Cluster, status: str, *, latest: bool) -> datetime.date | None:
    events = ClusterEvent.objects.filter(cluster_id=cluster.pk, to_status=status)
    at = events.order_by("-at" if latest else "at").values_list("at", flat=True).first()
    return timezone.localtime(at).date() if at else None


def consultation_began(cluster: Cluster) -> datetime.date | None:
    """The day the cluster first went into consultation (the consent forms went out): as the township recorded
    it, else the day it took the step, else the day it was proposed."""
    return cluster.consultation_began_on or _event_day(cluster, Status.CONSULTING, latest=False) or cluster.proposed_on


def submitted_on(cluster: Cluster) -> datetime.date | None:
    """The day of the latest submission to the county."""
    return _event_day(cluster, Status.SUBMITTED, latest=True)


@dataclass
class HandedOutChange:
    """One change of a village's forms handed out, read from the survey's history."""

    cluster_id: int
    village: Any
    old: int
    new: int
    at: datetime.datetime
    by: Any
    reason: str

    @property
    def lowered(self) -> bool:
        return self.new < self.old


def handed_out_changes(cluster_ids: list[int]) -> dict[int, list[HandedOutChange]]:
    """Every change of the forms handed out in these clusters' villages, oldest first (two queries)."""
    rows = list(
        ConsentSurvey.history.filter(cluster_id__in=cluster_ids)
        .order_by("id", "history_id")
        .values("id", "cluster_id", "village_id", "handed_out", "history_date", "history_user", "history_change_reason")
    )
    villages = Village.objects.in_bulk({row["village_id"] for row in rows})
    users = get_user_model().objects.in_bulk({row["history_user"] for row in rows if row["history_user"]})
    changes: dict[int, list[HandedOutChange]] = {pk: [] for pk in cluster_ids}
    previous: dict[int, int] = {}
    for row in rows:
        old = previous.get(row["id"])
        previous[row["id"]] = row["handed_out"]
        if old is None or old == row["handed_out"]:
            continue
        changes[row["cluster_id"]].append(
            HandedOutChange(
                cluster_id=row["cluster_id"],
                village=villages.get(row["village_id"]),
                old=old,
                new=row["handed_out"],
                at=row["history_date"],
                by=users.get(row["history_user"]),
                reason=row["history_change_reason"] or "",
            )
        )
    return changes


@dataclass
class TimelineEntry:
    at: datetime.datetime
    event: ClusterEvent | None = None
    change: HandedOutChange | None = None


def timeline(cluster: Cluster) -> list[TimelineEntry]:
    """The cluster's steps and every change of forms handed out, in time order."""
    entries = [TimelineEntry(at=e.at, event=e) for e in cluster.events.select_related("by")]
    entries += [TimelineEntry(at=c.at, change=c) for c in handed_out_changes([cluster.pk])[cluster.pk]]
    return sorted(entries, key=lambda entry: entry.at)


def cluster_list(user: Any):
    return (
        Cluster.objects.visible_to(user)
        .select_related("township", "lead_village", "partner_unit")
        # A count per row rather than a GROUP BY of every cluster in scope: the database sorts and cuts the
        # page first, then counts the members of its 30 rows only (a province holds 5,650 clusters).
        .annotate(member_count=active_member_count())
        .order_by("township__code", "name")
    )


def active_member_count() -> Coalesce:
    """A listed cluster's active members, counted per row shown (the page is cut before the count)."""
    members = (
        ClusterMembership.objects.filter(cluster=OuterRef("pk"), is_active=True)
        .order_by()
        .values("cluster")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(members, output_field=IntegerField()), 0)


@dataclass
class TownshipCoverage:
    township: Township
    villages: int = 0
    covered: int = 0
    established: int = 0
    by_form: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def share(self) -> str:
        return rates.describe(self.covered, self.villages)

    @property
    def share_tenths(self) -> int:
        return rates.rate_tenths(self.covered, self.villages, rounding=rates.HALF_UP) or 0


@dataclass
class Coverage:
    rows: list[TownshipCoverage]
    totals: TownshipCoverage
    by_kind: list[tuple[str, int]]
    by_form: list[tuple[str, int]]
    by_status: list[tuple[str, str, int, str]]
    # Read when a page shows them (the coverage page), not by the 工作台's glance or the exports.
    lagging: QuerySet[ClusterMembership]
    chart: dict[str, Any]


def _established_members(user: Any) -> QuerySet[ClusterMembership]:
    return ClusterMembership.objects.visible_to(user).filter(is_active=True, cluster__status=Status.ESTABLISHED)


# The coverage figures, grouped by township in SQL: on the 工作台's glance and the coverage page of every township
# cadre and county role, so each is compiled once per role (lianchun.compiled).
_VILLAGES = ScopedRead(
    lambda user: list(
        Village.objects.visible_to(user)
        .filter(voided_at__isnull=True)
        .values_list("township_id")
        .annotate(n=Count("pk"))
    ),
    "rows",
)
_ESTABLISHED = ScopedRead(
    lambda user: list(
        Cluster.objects.visible_to(user)
        .filter(status=Status.ESTABLISHED)
        .values_list("township_id", "form", "kind")
        .annotate(n=Count("pk"))
    ),
    "rows",
)
_BY_STATUS = ScopedRead(
    lambda user: list(Cluster.objects.visible_to(user).values_list("township_id", "status").annotate(n=Count("pk"))),
    "rows",
)
_COVERED = ScopedRead(
    lambda user: list(
        _established_members(user).values_list("cluster__township_id").annotate(n=Count("village_id", distinct=True))
    ),
    "rows",
)


def coverage(user: Any) -> Coverage:
    """Clusters established, villages in them and their share, per township and in total (seed 000)."""
    townships = list(Township.objects.visible_to(user).order_by("code"))
    rows = {t.pk: TownshipCoverage(township=t) for t in townships}
    for township_id, count in _VILLAGES(user):
        if township_id in rows:
            rows[township_id].villages = count
    kind_totals: dict[str, int] = {}
    form_totals: dict[str, int] = {}
    for township_id, form, kind, count in _ESTABLISHED(user):
        target = rows.get(township_id)
        if target is None:
            continue
        target.established += count
        target.by_form[form] = target.by_form.get(form, 0) + count
        kind_totals[kind] = kind_totals.get(kind, 0) + count
        form_totals[form] = form_totals.get(form, 0) + count
    status_totals: dict[str, int] = {}
    for township_id, status, count in _BY_STATUS(user):
        target = rows.get(township_id)
        if target is not None:
            target.by_status[status] = count
        status_totals[status] = status_totals.get(status, 0) + count
    for township_id, count in _COVERED(user):
        target = rows.get(township_id)
        if target is not None:
            target.covered = count
    lagging = (
        _established_members(user)
        .filter(village__standing=Standing.LAGGING)
        .select_related("village__township", "cluster")
        .order_by("village__code")
    )
    row_list = [rows[t.pk] for t in townships]
    totals = TownshipCoverage(township=None)
    totals.villages = sum(r.villages for r in row_list)
    totals.covered = sum(r.covered for r in row_list)
    totals.established = sum(r.established for r in row_list)
    totals.by_form = form_totals
    totals.by_status = status_totals
    return Coverage(
        rows=row_list,
        totals=totals,
        by_kind=[(label, kind_totals.get(value, 0)) for value, label in Kind.choices],
        by_form=[(label, form_totals.get(value, 0)) for value, label in Form.choices],
        by_status=[
            (value, label, status_totals.get(value, 0), STATUS_BADGES.get(value, "text-bg-secondary"))
            for value, label in Status.choices
        ],
        lagging=lagging,
        chart=coverage_chart(row_list),
    )


def coverage_chart(rows: list[TownshipCoverage]) -> dict[str, Any]:
    """Geometry of a horizontal bar chart (share of villages in established clusters), drawn as SVG."""
    label_width, bar_width, row_height, top = 130, 420, 26, 24
    bars = []
    for index, row in enumerate(rows):
        share = row.share_tenths  # 0..1000
        bars.append(
            {
                "label": row.township.name,
                "y": top + index * row_height,
                "text_y": top + index * row_height + 13,
                "width": bar_width * share // 1000,
                "value": f"{row.share}（{row.covered}/{row.villages}）",
                "value_x": label_width + bar_width * share // 1000 + 6,
            }
        )
    ticks = [{"x": label_width + bar_width * p // 100, "label": f"{p}%"} for p in (0, 25, 50, 75, 100)]
    return {
        "bars": bars,
        "ticks": ticks,
        "label_width": label_width,
        "bar_width": bar_width,
        "width": label_width + bar_width + 140,
        "height": top + max(len(rows), 1) * row_height + 10,
        "axis_bottom": top + max(len(rows), 1) * row_height,
    }
