"""Reads behind every export: scoped like the pages they summarise, and a fixed number of queries.

Every function starts from `Model.objects.visible_to(user)`: a township cadre
exports its own township, the county roles their county. Totals and rates are
computed from the records beneath them (batches, memberships), never typed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum
from django.utils.translation import gettext

from accounts.models import Role
from clusters import consent
from clusters import selectors as cluster_selectors
from clusters.models import (
    Cluster,
    ClusterEvent,
    ClusterMembership,
    ClusterOfficer,
    ConsentBatch,
    ConsentSurvey,
    Status,
)
from lianchun import clock, rates
from meetings import selectors as meeting_selectors
from rectification import selectors as rectification_selectors
from rectification.models import PlanStatus
from reports import selectors as report_selectors
from villages.models import County, Standing, StandingChange, Township, Village

OFFICE_ROLES = frozenset({Role.COUNTY_OFFICE, Role.CITY_OFFICE, Role.PROVINCE_OFFICE})
ORG_DEPARTMENT_ROLES = frozenset({Role.ORG_DEPARTMENT, Role.CITY_ORG_DEPARTMENT, Role.PROVINCE_ORG_DEPARTMENT})


def unit_name(user: Any) -> str:
    """The reporting unit printed on a workbook or PDF (填报单位): the office of the user's place."""
    if user.is_township_cadre:
        return f"{user.township.county.name}{user.township.name}"
    place = user.place_name
    if user.role in OFFICE_ROLES:
        return f"{place}联村自治办公室"
    if user.role in ORG_DEPARTMENT_ROLES:
        return f"{place}委组织部"
    return place


def scope_title(user: Any) -> str:
    """The place a report covers: the township for a cadre, else the county, city or province of the role."""
    if user.is_township_cadre:
        return f"{user.township.county.name}{user.township.name}"
    return user.place_name


def rate(part: int, whole: int) -> str:
    return consent.format_rate(part, whole)


def workbooks_purpose(user: Any) -> str:
    """What the downloads page says the workbooks are for: reporting to the tier above the user's own."""
    if user.is_township_cadre:
        purpose = gettext("For reporting to the county")
    elif user.is_county_role:
        purpose = gettext("For reporting to the city")
    elif user.is_city_role:
        purpose = gettext("For reporting to the province")
    else:
        purpose = gettext("For the province's own records")
    return gettext("%(purpose)s: a title row, the reporting unit and date, and real numbers and dates.") % {
        "purpose": purpose
    }


def summaries_purpose(user: Any) -> str:
    """What the downloads page says the printed summaries hold: a city's or a province's by county."""
    if user.is_region_role:
        return gettext(
            "A4, for on-site meetings and for filing: the summary of %(place)s by county and township and the "
            "week's compilation of weekly reports."
        ) % {"place": scope_title(user)}
    return gettext(
        "A4, for on-site meetings and for filing: the county summary and the week's compilation of weekly reports."
    )


@dataclass
class TownshipFigures:
    """One township's figures; with no township, the sum of a county's townships (its `county` given) or of all."""

    township: Township | None
    county: County | None = None
    villages: int = 0
    lagging: int = 0
    clusters: int = 0
    clustered_villages: int = 0
    handed_out: int = 0
    returned: int = 0
    agree: int = 0

    @property
    def share(self) -> str:
        return rates.describe(self.clustered_villages, self.villages)

    @property
    def share_tenths(self) -> int:
        return rates.rate_tenths(self.clustered_villages, self.villages, rounding=rates.HALF_UP) or 0

    @property
    def agree_rate(self) -> str:
        return rate(self.agree, self.handed_out)


@dataclass
class ClusterLine:
    cluster: Cluster
    villages: list[Village]

    @property
    def village_names(self) -> str:
        return "、".join(v.name for v in self.villages)


@dataclass
class CountySummary:
    unit: str
    place: str
    as_of: datetime.date
    townships: list[TownshipFigures]
    clusters: list[ClusterLine]
    status_counts: list[tuple[str, int]]
    lagging_transformed: int
    lagging_now: int
    # A city's or a province's summary: its townships grouped under their counties, each county subtotalled.
    by_county: bool = False
    totals: TownshipFigures = field(init=False)

    def __post_init__(self) -> None:
        self.totals = summed(self.townships)

    @property
    def table_rows(self) -> list[TownshipFigures]:
        """The rows of the table by township above its total: for a city or a province, each county's
        townships followed by the county's subtotal."""
        if not self.by_county:
            return list(self.townships)
        rows: list[TownshipFigures] = []
        for county, townships in groupby(self.townships, key=lambda row: row.county):
            group = list(townships)
            rows.extend(group)
            rows.append(summed(group, county=county))
        return rows

    @property
    def chart_rows(self) -> list[tuple[TownshipFigures, float | None]]:
        """Each row of the table with its bar length (share of its villages in clusters, in percent of the
        widest township); a county's subtotal has no bar."""
        widest = max((row.share_tenths for row in self.townships), default=0) or 1
        return [(row, row.share_tenths * 100 / widest if row.township is not None else None) for row in self.table_rows]


SUMMED_FIGURES = ("villages", "lagging", "clusters", "clustered_villages", "handed_out", "returned", "agree")


def summed(rows: Iterable[TownshipFigures], *, county: County | None = None) -> TownshipFigures:
    """The sum of `rows`: a county's subtotal when `county` is given, else the total."""
    total = TownshipFigures(township=None, county=county)
    for row in rows:
        for name in SUMMED_FIGURES:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def active_clusters(user: Any):
    return Cluster.objects.visible_to(user).exclude(status=Status.DISSOLVED)


def county_summary(user: Any) -> CountySummary:
    """The headline figures, the table by township and the list of clusters (seed 000's figures); a city's
    or a province's table groups the townships by county."""
    townships = list(
        Township.objects.visible_to(user)
        .select_related("county")
        .annotate(
            lagging_count=Count(
                "villages", filter=Q(villages__voided_at__isnull=True, villages__standing=Standing.LAGGING)
            ),
        )
        .order_by("county__code", "code")
    )
    # Villages, established clusters and the villages in them come from the one selector the coverage page uses.
    covered = {row.township.pk: row for row in cluster_selectors.coverage(user).rows}
    rows = {
        t.pk: TownshipFigures(
            township=t,
            county=t.county,
            villages=covered[t.pk].villages,
            lagging=t.lagging_count,
            clusters=covered[t.pk].established,
            clustered_villages=covered[t.pk].covered,
        )
        for t in townships
    }

    members = Prefetch(
        "memberships",
        queryset=ClusterMembership.objects.filter(is_active=True).select_related("village").order_by("village__code"),
        to_attr="active_members",
    )
    clusters = list(
        active_clusters(user)
        .select_related("township__county")
        .prefetch_related(members)
        .order_by("township__code", "name")
    )
    status_counter: dict[str, int] = defaultdict(int)
    lines = []
    for cluster in clusters:
        status_counter[cluster.status] += 1
        lines.append(ClusterLine(cluster=cluster, villages=[m.village for m in cluster.active_members]))

    surveys = (
        ConsentSurvey.objects.visible_to(user)
        .filter(is_active=True, cluster__in=[c.pk for c in clusters])
        .values("cluster__township_id")
        .annotate(handed_out=Sum("handed_out"))
    )
    for item in surveys:
        rows[item["cluster__township_id"]].handed_out = item["handed_out"] or 0
    batches = (
        ConsentBatch.objects.visible_to(user)
        .filter(voided_at__isnull=True, survey__is_active=True, survey__cluster__in=[c.pk for c in clusters])
        .values("survey__cluster__township_id")
        .annotate(returned=Sum("returned"), agree=Sum("agree"))
    )
    for item in batches:
        row = rows[item["survey__cluster__township_id"]]
        row.returned = item["returned"] or 0
        row.agree = item["agree"] or 0

    transformed = (
        StandingChange.objects.visible_to(user)
        .filter(from_standing=Standing.LAGGING, village__voided_at__isnull=True)
        .exclude(to_standing=Standing.LAGGING)
        .values("village")
        .distinct()
        .count()
    )
    status_counts = [(str(Status(s).label), status_counter.get(s, 0)) for s in Status.values if s != Status.DISSOLVED]
    summary = CountySummary(
        unit=unit_name(user),
        place=scope_title(user),
        as_of=clock.today(),
        townships=list(rows.values()),
        clusters=lines,
        status_counts=status_counts,
        lagging_transformed=transformed,
        lagging_now=sum(r.lagging for r in rows.values()),
        by_county=user.is_region_role,
    )
    return summary


@dataclass
class VillageConsent:
    survey: ConsentSurvey
    tally: consent.Tally

    @property
    def standing(self) -> str:
        return consent_standing(self.tally)


def consent_rows(user: Any, *, cluster: Cluster | None = None) -> list[VillageConsent]:
    """Each member village's consent tally, computed from its batches (two queries)."""
    surveys = (
        ConsentSurvey.objects.visible_to(user)
        .filter(is_active=True)
        .exclude(cluster__status=Status.DISSOLVED)
        .select_related("village", "cluster__township")
        .prefetch_related(Prefetch("batches", queryset=ConsentBatch.objects.filter(voided_at__isnull=True)))
        .order_by("cluster__township__code", "cluster__name", "village__code")
    )
    if cluster is not None:
        surveys = surveys.filter(cluster=cluster)
    return [VillageConsent(s, s.tally(list(s.batches.all()))) for s in surveys]


def consent_standing(tally: consent.Tally) -> str:
    """Where a village stands against the consent rule, in the words the survey page uses."""
    if tally.passes:
        return gettext("Passes")
    if tally.handed_out == 0:
        return gettext("No forms handed out yet")
    text = gettext("%(needed)s more needed") % {"needed": tally.forms_needed}
    if not tally.can_still_pass:
        text += "；" + gettext("Can no longer reach the threshold with the forms still out")
    return text


def roster_rows(user: Any) -> Iterator[ClusterMembership]:
    return (
        ClusterMembership.objects.visible_to(user)
        .filter(is_active=True)
        .exclude(cluster__status=Status.DISSOLVED)
        .select_related("village", "cluster__township", "cluster__lead_village")
        .order_by("cluster__township__code", "cluster__name", "village__code")
        .iterator(chunk_size=2000)
    )


def officer_rows(user: Any) -> Iterator[ClusterOfficer]:
    return (
        ClusterOfficer.objects.visible_to(user)
        .filter(voided_at__isnull=True)
        .exclude(cluster__status=Status.DISSOLVED)
        .select_related("cluster__township", "home_village")
        .order_by("cluster__township__code", "cluster__name", "body", "pk")
        .iterator(chunk_size=2000)
    )


@dataclass
class ClusterProfile:
    cluster: Cluster
    unit: str
    as_of: datetime.date
    members: list[ClusterMembership]
    officers_by_body: list[tuple[str, list[ClusterOfficer]]]
    consent: list[VillageConsent]
    events: list[ClusterEvent]

    @property
    def threshold(self) -> int:
        return consent.threshold()

    @property
    def consent_total(self) -> consent.Tally:
        total = consent.Tally(handed_out=sum(row.tally.handed_out for row in self.consent))
        for row in self.consent:
            total = total.plus(row.tally.returned, row.tally.agree, row.tally.disagree, row.tally.invalid)
        return total


def cluster_profile(user: Any, cluster: Cluster) -> ClusterProfile:
    """One cluster's members, officers, consent per village and timeline; `cluster` is already scoped."""
    members = list(cluster.memberships.filter(is_active=True).select_related("village").order_by("village__code"))
    officers = list(
        cluster.officers.filter(voided_at__isnull=True).select_related("home_village").order_by("body", "pk")
    )
    grouped: dict[str, list[ClusterOfficer]] = defaultdict(list)
    for officer in officers:
        grouped[officer.body].append(officer)
    officers_by_body = [
        (str(label), grouped[value]) for value, label in ClusterOfficer.Body.choices if grouped.get(value)
    ]
    return ClusterProfile(
        cluster=cluster,
        unit=unit_name(user),
        as_of=clock.today(),
        members=members,
        officers_by_body=officers_by_body,
        consent=consent_rows(user, cluster=cluster),
        events=list(cluster.events.select_related("by").order_by("at", "pk")),
    )


def headline_figures(user: Any) -> list[str]:
    """Headline lines for the county summary from weekly reports, rectification and the ledgers."""
    lines = []
    week = report_selectors.default_weeks()[1]  # the last completed week, as on the completeness page
    grid = report_selectors.completeness_for(user, week, week).grid
    lines.append(
        gettext("Weekly reports for %(week)s: %(arrived)s of %(expected)s arrived (%(rate)s), %(on_time)s on time.")
        % {
            "week": week.short_label,
            "arrived": grid.total.arrived,
            "expected": grid.total.expected,
            "rate": grid.total.reporting_rate,
            "on_time": grid.total.on_time,
        }
    )
    counts = rectification_selectors.status_counts(user)
    stages = "；".join(f"{label} {counts[value]}" for value, label in PlanStatus.choices)
    lines.append(gettext("Villages under rectification by stage: %(stages)s.") % {"stages": stages})
    total = rectification_selectors.ledger_total(user, "")
    lines.append(
        gettext("The three ledgers: %(collected)s matters collected, %(solved)s solved, %(open)s in progress.")
        % {"collected": total.collected, "solved": total.solved, "open": total.in_progress}
    )
    lines.append(
        gettext("Meeting issues still open: %(open)s, of which past their month: %(overdue)s.")
        % {
            "open": meeting_selectors.issues_for(user).open().count(),
            "overdue": meeting_selectors.issues_for(user).overdue(today=clock.today()).count(),
        }
    )
    return lines


def stamp() -> str:
    """The date in download file names: 20261201."""
    return clock.today().strftime("%Y%m%d")
