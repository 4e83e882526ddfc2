"""The scorecard: every subject's value, band, points and rank for each indicator of a period.

An open period is computed live from the records (a fixed number of queries, whatever the number of
subjects); a closed one is read from its frozen snapshot. The facts are loaded here and handed to the
pure rules in `assessments.rules`, the same rules the tests check against direct counts.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from clusters.models import Cluster, ClusterMembership, ClusterOfficer, ConsentBatch, Form
from lianchun import clock
from meetings.models import (
    Attendance,
    DecisionRecord,
    DecisionStage,
    DecisionStep,
    Invitee,
    MeetingIssue,
    MeetingKind,
)
from rectification import selectors as rectification_selectors
from rectification.models import STAGE_STATUSES, RectificationItem
from reports import completeness
from reports.models import WeeklyReport
from reports.weeks import Week
from villages.models import Township

from . import rules
from .models import (
    AssessmentPeriod,
    CellScore,
    InspectionVisit,
    Metric,
    SchemeIndicator,
    ScoreEntry,
    SubjectKind,
    SubjectScore,
)


@dataclass(frozen=True)
class Subject:
    pk: int
    name: str
    township_id: int
    cluster_ids: frozenset[int]
    village_ids: frozenset[int]
    is_township: bool = False
    # A village cadre: the cluster officer posts the person holds (one person, however many posts).
    officer_ids: frozenset[int] = frozenset()
    person: str = ""

    @property
    def is_cadre(self) -> bool:
        return bool(self.officer_ids)


@dataclass
class Cell:
    indicator: SchemeIndicator
    value: Decimal | None
    band: str
    points: Decimal
    numerator: int | None = None
    denominator: int | None = None
    lines: list[dict] = field(default_factory=list)
    note: str = ""
    change: Decimal | None = None

    @property
    def is_computed(self) -> bool:
        return self.indicator.is_computed


@dataclass
class Row:
    subject_id: int
    name: str
    cells: list[Cell]
    total: Decimal
    rank: int = 0
    previous_rank: int | None = None
    total_change: Decimal | None = None

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous period (positive: moved up)."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    @property
    def rank_moved_by(self) -> int:
        return abs(self.rank_change or 0)

    def cell(self, indicator_id: int) -> Cell | None:
        return next((cell for cell in self.cells if cell.indicator.pk == indicator_id), None)


@dataclass
class Scorecard:
    period: AssessmentPeriod
    indicators: list[SchemeIndicator]
    rows: list[Row]
    frozen: bool
    computed_at: datetime.datetime
    previous: AssessmentPeriod | None = None

    def row(self, subject_id: int) -> Row | None:
        return next((row for row in self.rows if row.subject_id == subject_id), None)


# ---------------------------------------------------------------------------- subjects


def _established_clusters(county_id: int, period: rules.Period, *, joint_only: bool = False):
    clusters = (
        Cluster.objects.filter(township__county_id=county_id, established_on__isnull=False)
        .filter(established_on__lte=period.ends_on)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=period.starts_on))
        .select_related("township")
        .order_by("township__code", "name")
    )
    if joint_only:
        clusters = clusters.filter(form=Form.URBAN_RURAL)
    return list(clusters)


def _members(cluster_ids: list[int], period: rules.Period) -> dict[int, set[int]]:
    members: dict[int, set[int]] = defaultdict(set)
    rows = (
        ClusterMembership.objects.filter(cluster_id__in=cluster_ids, joined_on__lte=period.ends_on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=period.starts_on))
        .values_list("cluster_id", "village_id")
    )
    for cluster_id, village_id in rows:
        members[cluster_id].add(village_id)
    return members


def subjects_for(period: AssessmentPeriod) -> tuple[list[Subject], list[Cluster]]:
    """The subjects assessed in `period`, and every cluster that owed reports in it."""
    span = period.span
    county_id = period.scheme.county_id
    clusters = _established_clusters(county_id, span)
    kind = period.scheme.subject_kind
    if kind == SubjectKind.TOWNSHIP:
        by_township: dict[int, set[int]] = defaultdict(set)
        for cluster in clusters:
            by_township[cluster.township_id].add(cluster.pk)
        villages: dict[int, set[int]] = defaultdict(set)
        for township_id, village_id in Township.objects.filter(county_id=county_id).values_list("pk", "villages__pk"):
            if village_id is not None:
                villages[township_id].add(village_id)
        subjects = [
            Subject(t.pk, t.name, t.pk, frozenset(by_township[t.pk]), frozenset(villages[t.pk]), is_township=True)
            for t in Township.objects.filter(county_id=county_id).order_by("code")
        ]
        return subjects, clusters
    if kind == SubjectKind.VILLAGE_CADRE:
        return village_cadres(clusters), clusters
    if kind == SubjectKind.JOINT:
        clusters_assessed = [cluster for cluster in clusters if cluster.form == Form.URBAN_RURAL]
    else:
        clusters_assessed = clusters
    members = _members([cluster.pk for cluster in clusters_assessed], span)
    subjects = [
        Subject(c.pk, c.name, c.township_id, frozenset({c.pk}), frozenset(members[c.pk])) for c in clusters_assessed
    ]
    return subjects, clusters


def village_cadres(clusters: list[Cluster]) -> list[Subject]:
    """The village cadres of the assessed clusters: their officers from a village, one subject per person.

    Village records hold no names; the cadres are the cluster officers who come from a village (as the
    例会 roll names them, `meetings.selectors.roll_candidates`). A person holding several posts (the
    village secretary who is also on the cluster's branch) is one subject, under the first post's id.
    """
    officers = (
        ClusterOfficer.objects.filter(
            voided_at__isnull=True,
            cluster__in=[cluster.pk for cluster in clusters],
            home_village__isnull=False,
            home_village__voided_at__isnull=True,
        )
        .select_related("home_village", "cluster")
        .order_by("home_village__code", "name", "pk")
    )
    people: dict[tuple[str, int], list[ClusterOfficer]] = defaultdict(list)
    for officer in officers:
        people[(officer.name, officer.home_village_id)].append(officer)
    subjects = []
    for (name, village_id), posts in people.items():
        first = posts[0]
        titles = "、".join(dict.fromkeys(officer.post for officer in posts))
        subjects.append(
            Subject(
                first.pk,
                f"{name}（{first.home_village.name}·{titles}）"[:100],
                first.cluster.township_id,
                frozenset(officer.cluster_id for officer in posts),
                frozenset({village_id}),
                officer_ids=frozenset(officer.pk for officer in posts),
                person=name,
            )
        )
    return subjects


# ---------------------------------------------------------------------------- facts


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _dated_in(span: rules.Period, field: str) -> Q:
    """Records dated in the period, its first day to its last (rules: "Period edges")."""
    return Q(**{f"{field}__gte": span.starts_on, f"{field}__lte": span.ends_on})


def _held_in(span: rules.Period, field: str) -> Q:
    """Records timed in the period: from its first day's 00:00 to the end of its last day, county time."""
    return Q(**{f"{field}__gte": span.starts_at, f"{field}__lt": span.ends_at})


@dataclass
class Facts:
    """Every record the period's indicators read, loaded once, grouped for the subjects."""

    clusters: dict[int, completeness.ClusterSpan]
    reports: dict[tuple[int, Week], rules.ReportRow]
    attendance: list[tuple[int, int | None, rules.AttendanceFact]]  # (township, cluster, fact)
    issues: list[tuple[int | None, int | None, int | None, rules.IssueFact]]  # (township, cluster, village, fact)
    entries: list[tuple[int, rules.EntryFact]]  # (village, fact)
    measures: list[tuple[int, rules.MeasureFact]]
    decisions: list[tuple[int, rules.DecisionFact]]
    batches: list[tuple[int, int, rules.BatchFact]]  # (township, cluster, fact)
    visits: list[tuple[int, rules.VisitFact]]  # (cluster, fact)
    # Who each attendance row is, for village cadre subjects: (officer on the roll, name, township).
    attendees: dict[tuple[str, int], tuple[int | None, str, int]] = field(default_factory=dict)
    projects: list[tuple[int, int, rules.ProjectFact]] = field(default_factory=list)  # (lead, village, fact)


def load_facts(period: AssessmentPeriod, clusters: list[Cluster], metrics: set[str]) -> Facts:
    span = period.span
    county_id = period.scheme.county_id
    facts = Facts({c.pk: completeness.span_of(c) for c in clusters}, {}, [], [], [], [], [], [], [])
    if rules.WEEKLY_ON_TIME in metrics and span.weeks():
        weeks = span.weeks()
        first, last = weeks[0], weeks[-1]
        after_first = Q(iso_year__gt=first.year) | Q(iso_year=first.year, iso_week__gte=first.number)
        before_last = Q(iso_year__lt=last.year) | Q(iso_year=last.year, iso_week__lte=last.number)
        for row in (
            WeeklyReport.objects.filter(cluster_id__in=list(facts.clusters))
            .filter(after_first & before_last)
            .values("pk", "cluster_id", "iso_year", "iso_week", "first_submitted_at")
        ):
            week = Week(row["iso_year"], row["iso_week"])
            facts.reports[(row["cluster_id"], week)] = rules.ReportRow(
                completeness.ReportFact(row["cluster_id"], week, row["first_submitted_at"]),
                row["pk"],
                reverse("reports:report-detail", args=[row["pk"]]),
            )
    if rules.ATTENDANCE in metrics:
        for row in _attendance_held(county_id, span).values("status", *PERSON_FIELDS):
            facts.attendance.append(_person_fact(row, rules.AttendanceFact, status=row["status"]))
        for row in _unmarked(county_id, span).values(*PERSON_FIELDS):
            facts.attendance.append(_person_fact(row, rules.UnmarkedFact))
    if rules.ATTENDANCE in metrics and period.scheme.subject_kind == SubjectKind.VILLAGE_CADRE:
        facts.attendees = _attendees(county_id, span)
    if rules.PROJECTS_LED in metrics:
        facts.projects = _projects(county_id, span)
    if rules.ISSUES_IN_MONTH in metrics:
        for row in MeetingIssue.objects.filter(
            _held_in(span, "meeting__starts_at"),
            voided_at__isnull=True,
            meeting__voided_at__isnull=True,
            meeting__county_id=county_id,
        ).values(
            "pk",
            "township_id",
            "village_id",
            "meeting__cluster_id",
            "meeting__starts_at",
            "deadline",
            "outcome",
            "outcome_on",
            "description",
        ):
            fact = rules.IssueFact(
                row["pk"],
                _local_date(row["meeting__starts_at"]),
                row["deadline"],
                row["outcome_on"] if row["outcome"] else None,
                label=row["description"][:40],
                url=reverse("meetings:issue-detail", args=[row["pk"]]),
            )
            facts.issues.append((row["township_id"], row["meeting__cluster_id"], row["village_id"], fact))
    if rules.LEDGER_SOLVED in metrics:
        # The entries the ledger figures count, so the indicator and the 三本台账 pages agree.
        for row in (
            rectification_selectors.counted_entries()
            .filter(_dated_in(span, "collected_on"), village__township__county_id=county_id)
            .values("pk", "village_id", "village__name", "collected_on", "solved_on", "summary")
        ):
            fact = rules.EntryFact(
                row["pk"],
                row["collected_on"],
                row["solved_on"],
                label=f"{row['village__name']} · {row['summary'][:30]}",
                url=reverse("rectification:ledger-village", args=[row["village_id"]]),
            )
            facts.entries.append((row["village_id"], fact))
    if rules.OVERDUE_MEASURES in metrics:
        for row in RectificationItem.objects.filter(
            voided_at__isnull=True,
            plan__voided_at__isnull=True,
            plan__status__in=STAGE_STATUSES,
            plan__village__township__county_id=county_id,
            deadline__lte=span.ends_on,
        ).values("pk", "plan__village_id", "plan__village__name", "deadline", "completed_on", "problem"):
            fact = rules.MeasureFact(
                row["pk"],
                row["deadline"],
                row["completed_on"],
                label=f"{row['plan__village__name']} · {row['problem'][:30]}",
                url=reverse("rectification:item-progress", args=[row["pk"]]),
            )
            facts.measures.append((row["plan__village_id"], fact))
    if rules.DECISIONS_COMPLETED in metrics:
        for row in _steps_held(county_id, span, DecisionStep.RESULT_PUBLIC, passed=True).values(
            "decision_id", "decision__village_id", "decision__village__name", "decision__title", "held_on"
        ):
            fact = rules.DecisionFact(
                row["decision_id"],
                row["held_on"],
                label=f"{row['decision__village__name']} · {row['decision__title']}",
                url=reverse("meetings:decision-detail", args=[row["decision_id"]]),
            )
            facts.decisions.append((row["decision__village_id"], fact))
    if rules.CONSENT_FORMS in metrics:
        for row in ConsentBatch.objects.filter(
            _dated_in(span, "batch_date"),
            voided_at__isnull=True,
            survey__cluster__township__county_id=county_id,
        ).values(
            "pk",
            "survey_id",
            "survey__cluster_id",
            "survey__cluster__township_id",
            "survey__village__name",
            "batch_date",
            "returned",
        ):
            fact = rules.BatchFact(
                row["pk"],
                row["batch_date"],
                row["returned"],
                label=f"{row['survey__village__name']} · {row['batch_date']:%Y-%m-%d} · {row['returned']}",
                url=reverse("clusters:survey-detail", args=[row["survey_id"]]),
            )
            facts.batches.append((row["survey__cluster__township_id"], row["survey__cluster_id"], fact))
    if rules.INSPECTION_SCORE in metrics:
        for row in InspectionVisit.objects.filter(_dated_in(span, "visited_on"), round__county_id=county_id).values(
            "pk", "cluster_id", "cluster__name", "round__title", "visited_on", "score"
        ):
            fact = rules.VisitFact(
                row["pk"],
                row["visited_on"],
                row["score"],
                label=f"{row['cluster__name']} · {row['round__title']}",
                url=reverse("assessments:visit-detail", args=[row["pk"]]),
            )
            facts.visits.append((row["cluster_id"], fact))
    return facts


def _steps_held(county_id: int, span: rules.Period, step: str, **conditions: Any):
    """The 四议两公开 steps of one kind held in the period, in the county's live decisions."""
    return DecisionRecord.objects.filter(
        _dated_in(span, "held_on"),
        step=step,
        decision__voided_at__isnull=True,
        decision__village__township__county_id=county_id,
        **conditions,
    )


PERSON_FIELDS = (
    "pk",
    "name",
    "meeting_id",
    "meeting__kind",
    "meeting__township_id",
    "meeting__cluster_id",
    "meeting__starts_at",
    "meeting__topic",
)


def _person_fact(row: dict[str, Any], kind: type[rules.AttendanceFact], **status: str):
    """(township, cluster, fact) for one person of a meeting: a township's own 例会 is counted for it."""
    held_on = _local_date(row["meeting__starts_at"])
    fact = kind(
        row["pk"],
        held_on,
        **status,
        label=f"{row['name']} · {held_on:%Y-%m-%d} {row['meeting__topic']}",
        url=reverse("meetings:meeting-detail", args=[row["meeting_id"]]),
    )
    township = row["meeting__township_id"] if row["meeting__kind"] == MeetingKind.TOWNSHIP else None
    return township, row["meeting__cluster_id"], fact


def _attendance_held(county_id: int, span: rules.Period):
    """The attendance rows of the county's live township and cluster meetings held in the period (a county
    meeting is not a township's 例会)."""
    return Attendance.objects.filter(
        _held_in(span, "meeting__starts_at"),
        meeting__county_id=county_id,
        meeting__voided_at__isnull=True,
        meeting__township_id__isnull=False,
    )


def _unmarked(county_id: int, span: rules.Period):
    """The people on the roll of the same meetings who have no attendance row."""
    marked = Attendance.objects.filter(meeting=OuterRef("meeting"), name=OuterRef("name"))
    return Invitee.objects.filter(
        _held_in(span, "meeting__starts_at"),
        meeting__county_id=county_id,
        meeting__voided_at__isnull=True,
        meeting__township_id__isnull=False,
    ).exclude(Exists(marked))


def _attendees(county_id: int, span: rules.Period) -> dict[tuple[str, int], tuple[int | None, str, int]]:
    """Each attendance row (and unmarked person on a roll) of the period's township meetings, by its fact's
    (model, pk), with the cluster officer it was on the roll as."""
    on_roll = Invitee.objects.filter(meeting=OuterRef("meeting"), name=OuterRef("name")).values("officer_id")[:1]
    rows = (
        _attendance_held(county_id, span)
        .annotate(officer_id=Subquery(on_roll))
        .values_list("pk", "officer_id", "name", "meeting__township_id")
    )
    people = {(rules.AttendanceFact.model, pk): (officer, name, town) for pk, officer, name, town in rows}
    unmarked = _unmarked(county_id, span).values_list("pk", "officer_id", "name", "meeting__township_id")
    people.update({(rules.UnmarkedFact.model, pk): (officer, name, town) for pk, officer, name, town in unmarked})
    return people


def _projects(county_id: int, span: rules.Period) -> list[tuple[int, int, rules.ProjectFact]]:
    """Matters with a lead cadre whose party branch proposal was held in the period (seed 002: 书记领办)."""
    projects = []
    for row in _steps_held(county_id, span, DecisionStep.PROPOSAL, decision__lead__isnull=False).values(
        "decision_id",
        "decision__lead_id",
        "decision__lead__name",
        "decision__village_id",
        "decision__village__name",
        "decision__title",
        "decision__stage",
        "held_on",
    ):
        fact = rules.ProjectFact(
            row["decision_id"],
            row["held_on"],
            row["decision__stage"] == DecisionStage.FAILED,
            label=f"{row['decision__village__name']} · {row['decision__title']} · {row['decision__lead__name']}",
            url=reverse("meetings:decision-detail", args=[row["decision_id"]]),
        )
        projects.append((row["decision__lead_id"], row["decision__village_id"], fact))
    return projects


def _is_the_cadre(subject: Subject, attendee: tuple[int | None, str, int] | None) -> bool:
    """The row is the cadre's: on the roll as one of their posts, or listed by hand under their name in their township."""
    if attendee is None:
        return False
    officer_id, name, township_id = attendee
    if officer_id is not None:
        return officer_id in subject.officer_ids
    return name == subject.person and township_id == subject.township_id


def measure_for(
    metric: str, subject: Subject, facts: Facts, span: rules.Period, now: datetime.datetime
) -> rules.Measure:
    """One computed indicator of one subject, from the loaded facts.

    A township answers for its own 例会 and the issues filed under it; a cluster for the meetings
    and issues of its own organisation and of its member villages.
    """
    today = timezone.localtime(now).date()
    clusters, villages = subject.cluster_ids, subject.village_ids
    if metric == rules.WEEKLY_ON_TIME:
        spans = [facts.clusters[pk] for pk in sorted(clusters) if pk in facts.clusters]
        return rules.weekly_on_time(span, spans, facts.reports, now)
    if metric == rules.ATTENDANCE:
        if subject.is_cadre:
            rows = [
                fact
                for _township, _cluster, fact in facts.attendance
                if _is_the_cadre(subject, facts.attendees.get((fact.model, fact.pk)))
            ]
        elif subject.is_township:
            rows = [fact for township, _cluster, fact in facts.attendance if township == subject.pk]
        else:
            rows = [fact for _township, cluster, fact in facts.attendance if cluster in clusters]
        return rules.attendance(span, rows, today)
    if metric == rules.ISSUES_IN_MONTH:
        if subject.is_township:
            issues = [fact for township, _c, _v, fact in facts.issues if township == subject.pk]
        else:
            issues = [fact for _t, cluster, village, fact in facts.issues if cluster in clusters or village in villages]
        return rules.issues_in_month(span, issues, today)
    if metric == rules.LEDGER_SOLVED:
        return rules.ledger_solved(span, [fact for village, fact in facts.entries if village in villages])
    if metric == rules.OVERDUE_MEASURES:
        return rules.overdue_measures(span, [fact for village, fact in facts.measures if village in villages])
    if metric == rules.DECISIONS_COMPLETED:
        return rules.decisions_completed(span, [fact for village, fact in facts.decisions if village in villages])
    if metric == rules.CONSENT_FORMS:
        if subject.is_township:
            batches = [fact for township, _cluster, fact in facts.batches if township == subject.pk]
        else:
            batches = [fact for _township, cluster, fact in facts.batches if cluster in clusters]
        return rules.consent_forms(span, batches)
    if metric == rules.PROJECTS_LED:
        if subject.is_cadre:
            projects = [fact for lead, _village, fact in facts.projects if lead in subject.officer_ids]
        else:
            projects = [fact for _lead, village, fact in facts.projects if village in villages]
        return rules.projects_led(span, projects)
    if metric == rules.INSPECTION_SCORE:
        return rules.inspection_score(span, [fact for cluster, fact in facts.visits if cluster in clusters])
    raise ValueError(f"not a computed measure: {metric}")


# ---------------------------------------------------------------------------- the scorecard


def indicators_of(period: AssessmentPeriod) -> list[SchemeIndicator]:
    return list(period.scheme.indicators.order_by("order", "pk"))


def scores_version(period: AssessmentPeriod) -> str:
    """What the period's entered scores looked like: the newest change to any of them. The score table carries
    it, so a table saved over someone else's later save is refused, not left to overwrite it."""
    newest = ScoreEntry.history.filter(period_id=period.pk).aggregate(newest=Max("history_id"))["newest"]
    return str(newest or 0)


def compute(period: AssessmentPeriod, *, now: datetime.datetime | None = None) -> Scorecard:
    """The live scorecard of `period`, computed from the records as they are now."""
    now = now or clock.now()
    indicators = indicators_of(period)
    subjects, clusters = subjects_for(period)
    metrics = {indicator.metric for indicator in indicators}
    facts = load_facts(period, clusters, metrics)
    entries = {
        (entry.indicator_id, entry.subject_id): entry
        for entry in ScoreEntry.objects.filter(period=period).only("indicator_id", "subject_id", "value", "note")
    }
    span = period.span
    rows = []
    for subject in subjects:
        cells = []
        for indicator in indicators:
            scoring = indicator.rule()
            if indicator.is_computed:
                measure = measure_for(indicator.metric, subject, facts, span, now)
                value = measure.value
                cell = Cell(
                    indicator,
                    value,
                    rules.band(value, scoring),
                    rules.points(value, scoring),
                    measure.numerator,
                    measure.denominator if measure.kind != rules.COUNT else None,
                    [line.as_json() for line in measure.lines],
                )
            else:
                entry = entries.get((indicator.pk, subject.pk))
                value = entry.value if entry else None
                cell = Cell(
                    indicator,
                    value,
                    rules.band(value, scoring),
                    rules.points(value, scoring),
                    note=entry.note if entry else "",
                )
            cells.append(cell)
        rows.append(Row(subject.pk, subject.name, cells, sum((cell.points for cell in cells), Decimal(0))))
    _rank(rows)
    return Scorecard(period, indicators, rows, frozen=False, computed_at=now)


def _rank(rows: list[Row]) -> None:
    ranks = rules.competition_ranks({row.subject_id: row.total for row in rows})
    for row in rows:
        row.rank = ranks[row.subject_id]
    rows.sort(key=lambda row: (row.rank, row.name))


def frozen(period: AssessmentPeriod) -> Scorecard:
    """The scorecard as it was frozen when `period` closed."""
    indicators = indicators_of(period)
    by_pk = {indicator.pk: indicator for indicator in indicators}
    rows = []
    scores = SubjectScore.objects.filter(period=period).prefetch_related("cells").order_by("rank", "subject_name")
    for score in scores:
        cells_by_indicator = {cell.indicator_id: cell for cell in score.cells.all()}
        cells = []
        for indicator in indicators:
            stored = cells_by_indicator.get(indicator.pk)
            if stored is None:
                continue
            cells.append(
                Cell(
                    by_pk[indicator.pk],
                    stored.value,
                    stored.band,
                    stored.points,
                    stored.numerator,
                    stored.denominator,
                    stored.records,
                )
            )
        rows.append(Row(score.subject_id, score.subject_name, cells, score.total, score.rank))
    return Scorecard(period, indicators, rows, frozen=True, computed_at=period.closed_at or clock.now())


def previous_period(period: AssessmentPeriod) -> AssessmentPeriod | None:
    return (
        AssessmentPeriod.objects.filter(scheme_id=period.scheme_id, ends_on__lt=period.starts_on)
        .order_by("-ends_on")
        .first()
    )


def scorecard(period: AssessmentPeriod, *, with_previous: bool = True) -> Scorecard:
    """Frozen when the period is closed, live while it is open; with the change against the previous period."""
    card = frozen(period) if period.is_frozen else compute(period)
    if with_previous:
        previous = previous_period(period)
        if previous is not None:
            card.previous = previous
            before = scorecard(previous, with_previous=False)
            for row in card.rows:
                old = before.row(row.subject_id)
                if old is None:
                    continue
                row.previous_rank = old.rank
                row.total_change = row.total - old.total
                for cell in row.cells:
                    old_cell = old.cell(cell.indicator.pk)
                    if old_cell is not None and cell.value is not None and old_cell.value is not None:
                        cell.change = cell.value - old_cell.value
    return card


@dataclass
class Difference:
    subject: str
    indicator: str
    frozen_value: Decimal | None
    current_value: Decimal | None


@dataclass
class Recomputation:
    differences: list[Difference]
    rank_changes: list[tuple[str, int, int]]  # (subject, frozen rank, rank now)

    @property
    def is_unchanged(self) -> bool:
        return not self.differences and not self.rank_changes


def recompute(period: AssessmentPeriod) -> Recomputation:
    """What would change if the frozen period were computed again from today's records (nothing is saved)."""
    before = frozen(period)
    now = compute(period)
    differences = []
    rank_changes = []
    for row in now.rows:
        old = before.row(row.subject_id)
        if old is None:
            differences.append(Difference(row.name, "", None, row.total))
            continue
        for cell in row.cells:
            old_cell = old.cell(cell.indicator.pk)
            old_value = old_cell.value if old_cell else None
            if old_value != cell.value:
                differences.append(Difference(row.name, cell.indicator.label, old_value, cell.value))
        if old.rank != row.rank:
            rank_changes.append((row.name, old.rank, row.rank))
    return Recomputation(differences, rank_changes)


def cell_lines(period: AssessmentPeriod, subject_id: int, indicator: SchemeIndicator) -> tuple[Row | None, Cell | None]:
    """The row and cell a drill-down opens: frozen lines for a closed period, live ones otherwise."""
    card = frozen(period) if period.is_frozen else compute(period)
    row = card.row(subject_id)
    return row, (row.cell(indicator.pk) if row else None)


def frozen_cells(period: AssessmentPeriod):
    return CellScore.objects.filter(subject_score__period=period)


def visits_for(user: Any):
    return InspectionVisit.objects.visible_to(user).select_related("cluster__township", "round")


assert Metric  # the choices name every measure computed above
