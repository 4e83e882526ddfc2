"""Reads shared by pages and the workbench: rhythm, calendar, issue lists. All start from visible_to(user)."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from lianchun import clock
from lianchun.compiled import ScopedRead
from lianchun.memo import once_per_page
from villages.models import Township, Village

from .dates import DISPATCH_INTERVAL_DAYS, month_bounds
from .models import Attendance, Decision, Invitee, Meeting, MeetingIssue, MeetingKind
from .tallies import counted_meetings


def _aware(day: datetime.date, end: bool = False) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
    return timezone.make_aware(moment)


# The columns the meeting list shows (meetings/meeting_list.html), the convener named by its place.
LISTED_COLUMNS = (
    "topic",
    "starts_at",
    "kind",
    "area",
    "organisation",
    "place",
    "minutes_recorded_at",
    "county__name",
    "township__name",
    "village__name",
)


def meetings_for(user: Any) -> QuerySet[Meeting]:
    """The meetings a list shows: the live ones the tallies count (`tallies.counted_meetings`), as the user sees them."""
    return (
        counted_meetings()
        .visible_to(user)
        .select_related("township", "village", "county")
        # What a row shows: not the minutes' text, nor the convener's other columns.
        .only(*LISTED_COLUMNS)
        # Counted per listed meeting through the issues' meeting index (a subquery per row shown),
        # not by grouping every meeting's issues before the page is cut.
        .annotate(
            issue_count=_issues_of_meeting(Q(voided_at__isnull=True)),
            open_issue_count=_issues_of_meeting(Q(voided_at__isnull=True, outcome="")),
        )
    )


def _issues_of_meeting(condition: Q) -> Coalesce:
    issues = (
        MeetingIssue.objects.filter(condition, meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(issues, output_field=IntegerField()), 0)


def issues_for(user: Any) -> QuerySet[MeetingIssue]:
    """The live issues of live meetings. A voided meeting is asked for among the few voided ones (an index of
    its own), so counting a province's issues still to follow reads those rows, not every meeting."""
    voided_meeting = Meeting.objects.filter(pk=OuterRef("meeting_id"), voided_at__isnull=False)
    return (
        MeetingIssue.objects.visible_to(user)
        .filter(~Exists(voided_meeting), voided_at__isnull=True)
        .select_related("meeting", "township", "village")
    )


# On every 工作台 of a township cadre and a county role: compiled once per role (lianchun.compiled).
_ISSUE_COUNTS = ScopedRead(lambda user, today: issues_for(user).counts(today), "aggregate", takes_day=True)


@once_per_page
def issue_counts(user: Any) -> dict[str, int]:
    """The user's issues open, overdue and awaiting publication (the 工作台's item and the county glance read it)."""
    return _ISSUE_COUNTS(user, clock.today())


def decisions_for(user: Any) -> QuerySet[Decision]:
    return Decision.objects.visible_to(user).filter(voided_at__isnull=True).select_related("village__township")


def village_cadres_of(villages: QuerySet[Village]) -> QuerySet:
    """The village cadres who may lead a village's matter: cluster officers from those villages (seed 002)."""
    from clusters.models import ClusterOfficer

    return (
        ClusterOfficer.objects.filter(voided_at__isnull=True, home_village__in=villages)
        .select_related("home_village")
        .order_by("home_village__code", "name", "pk")
    )


# ---------------------------------------------------------------- rhythm


@dataclass
class DispatchRhythm:
    last: Meeting | None
    next: Meeting | None
    days_since: int | None

    @property
    def is_due(self) -> bool:
        """Seed 000 两周一调度: due when none was held, or the last one is fourteen days or more ago."""
        return self.days_since is None or self.days_since >= DISPATCH_INTERVAL_DAYS


def dispatch_rhythm(user: Any) -> DispatchRhythm:
    now = clock.now()
    dispatches = Meeting.objects.visible_to(user).filter(kind=MeetingKind.DISPATCH, voided_at__isnull=True)
    last = dispatches.filter(starts_at__lte=now).order_by("-starts_at").first()
    upcoming = dispatches.filter(starts_at__gt=now).order_by("starts_at").first()
    days = (clock.today() - last.date).days if last else None
    return DispatchRhythm(last=last, next=upcoming, days_since=days)


def recent_months(count: int = 3) -> list[tuple[int, int]]:
    today = clock.today()
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


@dataclass
class RhythmRow:
    label: str
    counts: list[int] = field(default_factory=list)
    last: datetime.date | None = None

    @property
    def held_this_month(self) -> bool:
        return bool(self.counts and self.counts[-1])


def _rows_by_month(pairs: list[tuple[str, datetime.date]], labels: list[str], months: list[tuple[int, int]]):
    rows = {label: RhythmRow(label=label, counts=[0] * len(months)) for label in labels}
    index = {month: i for i, month in enumerate(months)}
    for label, day in pairs:
        row = rows.setdefault(label, RhythmRow(label=label, counts=[0] * len(months)))
        position = index.get((day.year, day.month))
        if position is not None:
            row.counts[position] += 1
        if row.last is None or day > row.last:
            row.last = day
    return list(rows.values())


def exchange_rhythm(user: Any, months: list[tuple[int, int]]) -> list[RhythmRow]:
    """Seed 000 一月一交流: exchange meetings held per area, month by month."""
    start = _aware(month_bounds(*months[0])[0])
    pairs = [
        (area, timezone.localtime(starts_at).date())
        for area, starts_at in Meeting.objects.visible_to(user)
        .filter(kind=MeetingKind.EXCHANGE, voided_at__isnull=True, starts_at__gte=start, starts_at__lte=clock.now())
        .values_list("area", "starts_at")
    ]
    return sorted(_rows_by_month(pairs, [], months), key=lambda row: row.label)


def township_rhythm(user: Any, months: list[tuple[int, int]]) -> list[RhythmRow]:
    """Each visible township's 例会, month by month (seed 003: 定期召开)."""
    townships = list(Township.objects.visible_to(user).order_by("code"))
    start = _aware(month_bounds(*months[0])[0])
    names = {t.pk: t.name for t in townships}
    pairs = [
        (names[township_id], timezone.localtime(starts_at).date())
        for township_id, starts_at in Meeting.objects.visible_to(user)
        .filter(kind=MeetingKind.TOWNSHIP, voided_at__isnull=True, starts_at__gte=start, starts_at__lte=clock.now())
        .values_list("township_id", "starts_at")
        if township_id in names
    ]
    return _rows_by_month(pairs, [t.name for t in townships], months)


# ---------------------------------------------------------------- calendar


@dataclass
class CalendarDay:
    day: datetime.date
    in_month: bool
    is_today: bool
    meetings: list[Meeting]


def month_calendar(user: Any, year: int, month: int) -> list[list[CalendarDay]]:
    """A Monday-first month grid with each day's visible meetings."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    by_day: dict[datetime.date, list[Meeting]] = defaultdict(list)
    for meeting in (
        Meeting.objects.visible_to(user)
        .filter(voided_at__isnull=True, starts_at__gte=_aware(first), starts_at__lte=_aware(last, end=True))
        .select_related("township", "village")
        .order_by("starts_at")
    ):
        by_day[meeting.date].append(meeting)
    today = clock.today()
    return [
        [CalendarDay(day=d, in_month=d.month == month, is_today=d == today, meetings=by_day.get(d, [])) for d in week]
        for week in weeks
    ]


# ---------------------------------------------------------------- the roll


@dataclass
class Candidate:
    """Someone a meeting expects, as the records name them (before they are put on its roll)."""

    name: str
    unit: str
    source: str
    user: Any = None
    officer: Any = None
    village: Any = None

    @property
    def where(self) -> str:
        """What tells two people of the same name apart: their village, or their township or unit."""
        if self.village is not None:
            return self.village.name
        if self.user is not None and self.user.township_id:
            return self.user.township.name
        return self.unit


def _township_cadres(meeting: Meeting) -> list[Candidate]:
    from accounts.models import Role, User

    users = (
        User.objects.filter(role=Role.TOWNSHIP_CADRE, is_active=True, township__in=meeting.invited_townships.all())
        .select_related("township")
        .order_by("township__code", "pk")
    )
    return [
        Candidate(name=str(user)[:50], unit=user.township.name, source=Invitee.Source.TOWNSHIP_CADRE, user=user)
        for user in users
    ]


def _village_cadres(meeting: Meeting) -> list[Candidate]:
    """The cluster officers of the meeting's villages, one line per person however many posts they hold.

    A joint meeting of a cluster expects that cluster's officers (its work group included); a village
    deliberation meeting the officers from that village; a township's other meetings every officer who
    comes from one of its villages.
    """
    from clusters.models import ClusterOfficer
    from clusters.models import Status as ClusterStatus

    officers = (
        ClusterOfficer.objects.filter(voided_at__isnull=True, cluster__township_id=meeting.township_id)
        .exclude(cluster__status=ClusterStatus.DISSOLVED)
        .select_related("cluster", "home_village")
    )
    if meeting.cluster_id:
        officers = officers.filter(cluster_id=meeting.cluster_id)
    elif meeting.village_id:
        officers = officers.filter(home_village_id=meeting.village_id)
    else:
        officers = officers.filter(home_village__isnull=False, home_village__voided_at__isnull=True)
    people: dict[tuple[str, int | None], Candidate] = {}
    posts: dict[tuple[str, int | None], list[str]] = defaultdict(list)
    bodies = list(ClusterOfficer.Body.values)
    for officer in sorted(
        officers,
        key=lambda o: (o.home_village.code if o.home_village_id else "~", o.cluster_id, bodies.index(o.body), o.pk),
    ):
        key = (officer.name, officer.home_village_id)
        post = f"{officer.get_body_display()}{officer.post}"
        if post not in posts[key]:
            posts[key].append(post)
        place = officer.home_village.name if officer.home_village_id else (officer.unit or officer.cluster.name)
        people.setdefault(
            key,
            Candidate(
                name=officer.name,
                unit=place,
                source=Invitee.Source.VILLAGE_CADRE,
                officer=officer,
                village=officer.home_village,
            ),
        )
    for key, person in people.items():
        person.unit = f"{person.unit} · {'、'.join(posts[key])}"[:100]
    return list(people.values())


def roll_candidates(meeting: Meeting) -> list[Candidate]:
    """Whom the records say a meeting expects.

    A county meeting: the township cadres (their accounts) of the townships it calls. A township's
    meeting: the village cadres of its villages, as the cluster officers name them (village records
    themselves hold no names). Anyone else is listed by hand when the meeting is called.
    """
    if meeting.township_id is None:
        return _township_cadres(meeting)
    return _village_cadres(meeting)


@dataclass
class RollLine:
    """One person on the attendance screen: on the roll or added at the meeting, and how they are marked."""

    number: int
    name: str
    unit: str
    on_roll: bool
    source: str = ""
    attendance: Attendance | None = None

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""


@dataclass
class Roll:
    lines: list[RollLine]
    expected: int
    present: int
    late: int
    leave: int
    absent: int

    @property
    def unmarked(self) -> int:
        return sum(1 for line in self.lines if line.on_roll and line.attendance is None)

    @property
    def added(self) -> list[RollLine]:
        return [line for line in self.lines if not line.on_roll]

    @property
    def listed(self) -> list[RollLine]:
        return [line for line in self.lines if line.on_roll]


def roll_of(meeting: Meeting) -> Roll:
    """The roll with each person's attendance (matched by name), then those recorded who were not on it."""
    marks = {attendance.name: attendance for attendance in meeting.attendances.all()}
    lines = []
    for invitee in meeting.roll.all():
        lines.append(
            RollLine(
                number=len(lines) + 1,
                name=invitee.name,
                unit=invitee.unit,
                on_roll=True,
                source=invitee.get_source_display(),
                attendance=marks.pop(invitee.name, None),
            )
        )
    for attendance in marks.values():
        lines.append(
            RollLine(
                number=len(lines) + 1, name=attendance.name, unit=attendance.unit, on_roll=False, attendance=attendance
            )
        )
    statuses = [line.status for line in lines]
    return Roll(
        lines=lines,
        expected=sum(1 for line in lines if line.on_roll),
        present=statuses.count(Attendance.Status.PRESENT),
        late=statuses.count(Attendance.Status.LATE),
        leave=statuses.count(Attendance.Status.LEAVE),
        absent=statuses.count(Attendance.Status.ABSENT),
    )


def last_leave_approver(meeting: Meeting) -> str:
    """Who approved leave last at this meeting, or else at its convener's earlier meetings (seed 003: 乡党委主要负责人)."""
    leave = Attendance.objects.filter(status=Attendance.Status.LEAVE).exclude(leave_approved_by="")
    row = leave.filter(meeting=meeting).order_by("-pk").first()
    if row is None:
        row = (
            leave.filter(meeting__county_id=meeting.county_id, meeting__township_id=meeting.township_id)
            .order_by("-pk")
            .first()
        )
    return row.leave_approved_by if row else ""


def notice_addressees(meeting: Meeting) -> list[str]:
    """Whom a meeting's written notice is addressed to (主送): those it calls, never its own convener.

    A county meeting: the townships it calls. A township's meeting: the villages whose cadres it
    expects (from its roll), its village's people for a deliberation meeting, its cluster or
    organisation for a joint meeting; failing those, every village and community.
    """
    names = [t.name for t in meeting.invited_townships.order_by("code") if t.pk != meeting.township_id]
    if meeting.township_id is not None:
        if meeting.kind == MeetingKind.VILLAGE:
            village = meeting.village.name if meeting.village_id else ""
            names.append(gettext("%(village)s villager groups and villager representatives") % {"village": village})
        elif not meeting.organisation:
            for village in Village.objects.filter(
                pk__in=meeting.roll.filter(village__isnull=False).values("village")
            ).order_by("code"):
                names.append(village.name)
    if meeting.organisation and meeting.organisation not in names:
        names.append(meeting.organisation)
    return names or [gettext("all villages and communities")]
