"""Assessment indicators as pure functions over the records they name, with the period's edges.

No database here: the selectors load plain facts and call these functions, and the tests count
the same records directly and compare. Every figure is computed, never typed (DOMAIN.md
"Assessment and inspection"; seed 003: the 例会 is assessed by "是否按时参加例会 … 例会中反映问题的解决").

Period edges, decided once:
- A period runs from `starts_on` 00:00 to the end of `ends_on` (24:00), county time.
- A weekly report belongs to the period in which its ISO week ends (its Sunday). Whether it was on
  time is the weekly report's own rule (`reports.completeness.report_status`): due the Monday 12:00
  after the week, so the report of a period's last week may arrive, on time, in the next period.
- A meeting issue belongs to the period in which it was raised, even on its last day; its month
  (`meetings.dates.one_month_after`) may run into the next period. An open issue whose month has
  not yet passed is pending: neither solved nor failed, and left out of the rate until it is.
- Attendance: 例会 held in the period; approved leave (seed 003: 特殊情况应报请…批准) is left out of
  the denominator, absence counts against.
- A ledger matter counts in the period in which it was collected, solved when solved by the
  period's end.
- A rectification measure is past its deadline at the period's end when its deadline came before
  the period ended and it was not completed by then (`RectificationItem.is_overdue_on`).
- A 四议两公开 decision counts in the period in which its result was made public (the last step).
- Consent forms count in the period of the batch that brought them back.
- Inspection scores: the average of the visits made in the period.
- A self-government project (a 四议两公开 matter with a lead cadre, seed 002: 书记领办自治项目) counts
  for its lead in the period in which its party branch proposal, the first step, was held, unless a
  later step did not pass.
Rates are tenths of a percent, truncated, never rounded up (`lianchun.rates`, as every rate that reports against a rule).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from operator import attrgetter
from typing import Any, ClassVar

from django.utils import timezone

from lianchun.rates import format_rate, rate_tenths  # noqa: F401 (the indicators' rates, as callers name them)
from reports import completeness
from reports.weeks import Week

WEEKLY_ON_TIME = "weekly_on_time"
ATTENDANCE = "attendance"
ISSUES_IN_MONTH = "issues_in_month"
LEDGER_SOLVED = "ledger_solved"
OVERDUE_MEASURES = "overdue_measures"
DECISIONS_COMPLETED = "decisions_completed"
CONSENT_FORMS = "consent_forms"
PROJECTS_LED = "projects_led"
INSPECTION_SCORE = "inspection_score"
ENTERED = "entered"

RATE = "rate"
COUNT = "count"
AVERAGE = "average"

UNITS = {
    WEEKLY_ON_TIME: "%",
    ATTENDANCE: "%",
    ISSUES_IN_MONTH: "%",
    LEDGER_SOLVED: "%",
}
LOWER_IS_BETTER = frozenset({OVERDUE_MEASURES})

# Line states: why a record is (or is not) counted in its cell.
COUNTED = "counted"
NOT_COUNTED = "not_counted"
EXCLUDED = "excluded"


SATISFACTION_THRESHOLD = 80  # seed 002: 群众满意度低于80%


def below_satisfaction(satisfied: int, surveyed: int, percent: int = SATISFACTION_THRESHOLD) -> bool:
    """satisfied ÷ surveyed below `percent`, in integers: exactly 80% is not below."""
    return surveyed > 0 and satisfied * 100 < percent * surveyed


@dataclass(frozen=True)
class Period:
    starts_on: datetime.date
    ends_on: datetime.date

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise ValueError("a period cannot end before it starts")

    def contains(self, day: datetime.date | None) -> bool:
        return day is not None and self.starts_on <= day <= self.ends_on

    def dated(self, records: Iterable[Any], on: str) -> Iterator[Any]:
        """The records whose date (the attribute named `on`) falls in the period: those an indicator counts."""
        day = attrgetter(on)
        return (record for record in records if self.contains(day(record)))

    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.starts_on, datetime.time.min))

    @property
    def ends_at(self) -> datetime.datetime:
        """The end of the last day: the next day's 00:00, county time."""
        return timezone.make_aware(
            datetime.datetime.combine(self.ends_on + datetime.timedelta(days=1), datetime.time.min)
        )

    def weeks(self) -> list[Week]:
        """The ISO weeks that end (on Sunday) inside the period."""
        weeks = []
        week = Week.of(self.starts_on)
        if week.sunday < self.starts_on:  # pragma: no cover - a week always ends on or after its days
            week = week.next()
        while week.sunday <= self.ends_on:
            if week.sunday >= self.starts_on:
                weeks.append(week)
            week = week.next()
        return weeks


@dataclass(frozen=True)
class Line:
    """One record beneath a cell: what it is, where it lives, and how it counted."""

    model: str
    pk: int | None
    label: str
    status: str
    state: str
    url: str = ""

    def as_json(self) -> dict:
        return {
            "model": self.model,
            "pk": self.pk,
            "label": self.label,
            "status": self.status,
            "state": self.state,
            "url": self.url,
        }


@dataclass
class Measure:
    kind: str
    numerator: int = 0
    denominator: int = 0
    lines: list[Line] = field(default_factory=list)

    @property
    def value(self) -> Decimal | None:
        if self.kind == COUNT:
            return Decimal(self.numerator)
        tenths = (self.numerator * 10 // self.denominator) if self.kind == AVERAGE and self.denominator else None
        if self.kind == RATE:
            tenths = rate_tenths(self.numerator, self.denominator)
        if tenths is None:
            return None
        return (Decimal(tenths) / 10).quantize(Decimal("0.1"))

    def count(self, fact: Fact, status: str, counted: bool = True, amount: int = 1) -> None:
        """One record beneath the cell: counted, adding `amount` to the numerator, or shown as not
        counted. A rate or an average counts every record in its denominator; a count has none."""
        if self.kind != COUNT:
            self.denominator += 1
        if counted:
            self.numerator += amount
        self.lines.append(fact.line(status, COUNTED if counted else NOT_COUNTED))

    def exclude(self, fact: Fact, status: str) -> None:
        """A record shown beneath the cell but left out of it altogether."""
        self.lines.append(fact.line(status, EXCLUDED))


# ---------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class Fact:
    """A record an indicator counts, as the selectors load it: its id, and its label and page for
    the line beneath the cell (keywords, after the facts each kind adds). `model` names its kind."""

    model: ClassVar[str]
    pk: int
    label: str = field(default="", kw_only=True)
    url: str = field(default="", kw_only=True)

    def line(self, status: str, state: str) -> Line:
        return Line(self.model, self.pk, self.label, status, state, self.url)


@dataclass(frozen=True)
class ReportRow:
    """A weekly report as the indicator needs it: the completeness fact and the report's id."""

    fact: completeness.ReportFact
    pk: int
    url: str = ""


@dataclass(frozen=True)
class AttendanceFact(Fact):
    model = "meetings.attendance"

    held_on: datetime.date
    status: str  # Attendance.Status: present / late / leave / absent, or UNMARKED for an `UnmarkedFact`


UNMARKED = "unmarked"


@dataclass(frozen=True)
class UnmarkedFact(AttendanceFact):
    """A person on a held meeting's roll with no attendance row: not shown to have attended, so counted as
    not on time, never left out (else leaving the absent unmarked would raise the rate)."""

    model = "meetings.invitee"
    status: str = UNMARKED


@dataclass(frozen=True)
class IssueFact(Fact):
    model = "meetings.meetingissue"

    raised_on: datetime.date
    due_on: datetime.date
    outcome_on: datetime.date | None


@dataclass(frozen=True)
class EntryFact(Fact):
    model = "rectification.ledgerentry"

    collected_on: datetime.date
    solved_on: datetime.date | None


@dataclass(frozen=True)
class MeasureFact(Fact):
    model = "rectification.rectificationitem"

    deadline: datetime.date
    completed_on: datetime.date | None


@dataclass(frozen=True)
class DecisionFact(Fact):
    model = "meetings.decision"

    completed_on: datetime.date | None


@dataclass(frozen=True)
class ProjectFact(Fact):
    model = "meetings.decision"

    proposed_on: datetime.date
    failed: bool


@dataclass(frozen=True)
class BatchFact(Fact):
    model = "clusters.consentbatch"

    on: datetime.date
    returned: int


@dataclass(frozen=True)
class VisitFact(Fact):
    model = "assessments.inspectionvisit"

    visited_on: datetime.date
    score: int


# ---------------------------------------------------------------------------- the indicators


def weekly_on_time(
    period: Period,
    clusters: Iterable[completeness.ClusterSpan],
    reports: Mapping[tuple[int, Week], ReportRow],
    now: datetime.datetime,
) -> Measure:
    """Reports first submitted by their deadline ÷ reports owed, over the weeks ending in the period."""
    measure = Measure(RATE)
    weeks = period.weeks()
    for cluster in clusters:
        for week in weeks:
            row = reports.get((cluster.id, week))
            status = completeness.report_status(cluster, week, row.fact if row else None, now)
            if status == completeness.NOT_EXPECTED:
                continue
            measure.denominator += 1
            on_time = status == completeness.ON_TIME
            measure.numerator += on_time
            measure.lines.append(
                Line(
                    "reports.weeklyreport",
                    row.pk if row else None,
                    f"{cluster.name} · {week.short_label}",
                    status,
                    COUNTED if on_time else NOT_COUNTED,
                    row.url if row else "",
                )
            )
    return measure


def attendance(period: Period, rows: Iterable[AttendanceFact], today: datetime.date) -> Measure:
    """Village cadres present on time ÷ (present + late + absent + unmarked) at 例会 held in the period
    (seed 003: 按时参会); approved leave left out, a late arrival and a person on the roll never marked
    counted against."""
    measure = Measure(RATE)
    for row in period.dated(rows, "held_on"):
        if row.held_on > today:
            continue
        if row.status == "leave":
            measure.exclude(row, row.status)
            continue
        # "late" alone is a weekly report's state in the drill-down; an attendance says it arrived late.
        state = ARRIVED_LATE if row.status == "late" else row.status
        measure.count(row, state, counted=row.status == "present")
    return measure


ARRIVED_LATE = "arrived_late"
SOLVED_IN_TIME = "solved_in_time"
SOLVED_LATE = "solved_late"
OPEN_OVERDUE = "open_overdue"
PENDING = "pending"


def issue_state(issue: IssueFact, today: datetime.date) -> str:
    if issue.outcome_on is not None:
        return SOLVED_IN_TIME if issue.outcome_on <= issue.due_on else SOLVED_LATE
    return OPEN_OVERDUE if today > issue.due_on else PENDING


def issues_in_month(period: Period, issues: Iterable[IssueFact], today: datetime.date) -> Measure:
    """Issues raised in the period that got an outcome within their month ÷ those judged so far."""
    measure = Measure(RATE)
    for issue in period.dated(issues, "raised_on"):
        state = issue_state(issue, today)
        if state == PENDING:
            measure.exclude(issue, state)
            continue
        measure.count(issue, state, counted=state == SOLVED_IN_TIME)
    return measure


def ledger_solved(period: Period, entries: Iterable[EntryFact]) -> Measure:
    """Matters collected in the period and solved by its end ÷ matters collected in the period."""
    measure = Measure(RATE)
    for entry in period.dated(entries, "collected_on"):
        solved = entry.solved_on is not None and entry.solved_on <= period.ends_on
        measure.count(entry, "solved" if solved else "unsolved", counted=solved)
    return measure


def is_overdue_at_end(period: Period, item: MeasureFact) -> bool:
    """Past its deadline when the period ended (deadline before the day after), and not completed by then."""
    day_after = period.ends_on + datetime.timedelta(days=1)
    done_by_end = item.completed_on is not None and item.completed_on <= period.ends_on
    return item.deadline < day_after and not done_by_end


def overdue_measures(period: Period, items: Iterable[MeasureFact]) -> Measure:
    measure = Measure(COUNT)
    for item in items:
        if is_overdue_at_end(period, item):
            measure.count(item, "overdue")
    return measure


def decisions_completed(period: Period, decisions: Iterable[DecisionFact]) -> Measure:
    measure = Measure(COUNT)
    for decision in period.dated(decisions, "completed_on"):
        measure.count(decision, "completed")
    return measure


def projects_led(period: Period, projects: Iterable[ProjectFact]) -> Measure:
    """Self-government projects proposed in the period under their lead cadre; one that failed a step is shown, not counted."""
    measure = Measure(COUNT)
    for project in period.dated(projects, "proposed_on"):
        measure.count(project, "failed" if project.failed else "led", counted=not project.failed)
    return measure


def consent_forms(period: Period, batches: Iterable[BatchFact]) -> Measure:
    measure = Measure(COUNT)
    for batch in period.dated(batches, "on"):
        measure.count(batch, "forms", amount=batch.returned)
    return measure


def inspection_score(period: Period, visits: Iterable[VisitFact]) -> Measure:
    measure = Measure(AVERAGE)
    for visit in period.dated(visits, "visited_on"):
        measure.count(visit, "score", amount=visit.score)
    return measure


# ---------------------------------------------------------------------------- scoring


TENTH = Decimal("0.1")
GREEN = "green"
AMBER = "amber"
RED = "red"
NO_BAND = "none"


@dataclass(frozen=True)
class Scoring:
    weight: int
    target: Decimal
    green_from: Decimal
    amber_from: Decimal
    higher_is_better: bool = True


def _reaches(value: Decimal, threshold: Decimal, higher_is_better: bool) -> bool:
    return value >= threshold if higher_is_better else value <= threshold


def band(value: Decimal | None, scoring: Scoring) -> str:
    if value is None:
        return NO_BAND
    if _reaches(value, scoring.green_from, scoring.higher_is_better):
        return GREEN
    if _reaches(value, scoring.amber_from, scoring.higher_is_better):
        return AMBER
    return RED


def points(value: Decimal | None, scoring: Scoring) -> Decimal:
    """The indicator's weight times attainment, truncated to a tenth; no value earns nothing.

    More is better: attainment is value ÷ target, at most 1. Less is better: full points up to the
    target, then (target + 1) ÷ (value + 1), so each extra overdue measure costs less than the last.
    """
    if value is None:
        return Decimal(0)
    weight = Decimal(scoring.weight)
    if scoring.higher_is_better:
        if scoring.target <= 0 or value >= scoring.target:
            earned = weight
        else:
            earned = weight * max(value, Decimal(0)) / scoring.target
    elif value <= scoring.target:
        earned = weight
    else:
        earned = weight * (scoring.target + 1) / (value + 1)
    return earned.quantize(TENTH, rounding=ROUND_DOWN)


def competition_ranks(totals: Mapping[int, Decimal]) -> dict[int, int]:
    """Rank by total, highest first; equal totals share a rank and the next rank is skipped (1, 2, 2, 4)."""
    ordered = sorted(totals.items(), key=lambda pair: -pair[1])
    ranks: dict[int, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, total) in enumerate(ordered, start=1):
        if total != previous:
            rank = position
            previous = total
        ranks[key] = rank
    return ranks
