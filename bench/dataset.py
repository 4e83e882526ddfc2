"""The province-sized data set of issue 14, written with PostgreSQL COPY.

100 counties in 10 cities of one province, 1,200 townships, 20,000 villages,
5,650 clusters, ~1.31 million weekly reports over five years, 105,000
meetings, 500,000 ledger entries, one township cadre per township.

Rows are written against each model's `db_table` and field `column` names, with
an explicit column list: a column another change adds is left to its default
when it is nullable, filled with its model default when it has one, and an
empty string when it is text; anything else stops the build naming the column.
History tables are not filled (no page measured here reads them).
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils import timezone

CITIES = 10
COUNTIES_PER_CITY = 10
TOWNSHIPS_PER_COUNTY = 12
VILLAGES = 20_000
CLUSTERS = 5_650
YEARS = 5
MEETINGS = 105_000
LEDGER_ENTRIES = 500_000
MEMBERS_PER_CLUSTER = 3

PROGRESS = "走访农户，召开联村例会，推进联村产业项目和基础设施建设。"
PROBLEMS = "部分农户对联村议事程序不熟悉，需加强宣传。"
PLAN = "继续入户走访，筹备下周联席会议。"


def split(total: int, parts: int) -> list[int]:
    """`total` spread over `parts` as evenly as integers allow (the first ones one larger)."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


@dataclass
class Table:
    """COPY rows into one model's table by column name; unnamed columns get their default."""

    model: type[models.Model]
    names: list[str]
    rows: int = 0
    fixed: dict[str, Any] = field(default_factory=dict)

    def columns(self) -> tuple[list[str], list[Any]]:
        """The field names to write: the given ones plus every NOT NULL column they do not cover."""
        fields = {f.name: f for f in self.model._meta.concrete_fields}
        given = set(self.names)
        extra_names, extra_values = [], []
        now = timezone.now()
        for name, model_field in fields.items():
            if name in given or model_field.null or model_field.primary_key:
                continue
            if model_field.has_default():
                value = model_field.get_default()
            elif isinstance(model_field, models.DateTimeField):
                value = now
            elif isinstance(model_field, models.DateField):
                value = now.date()
            elif isinstance(model_field, (models.CharField, models.TextField)):
                value = ""
            else:
                raise RuntimeError(f"{self.model._meta.db_table}.{model_field.column} is NOT NULL without a default")
            extra_names.append(name)
            extra_values.append(value)
        return extra_names, extra_values

    def copy(self, rows: Iterable[tuple]) -> int:
        extra_names, extra_values = self.columns()
        fields = {f.name: f for f in self.model._meta.concrete_fields}
        columns = [fields[name].column for name in [*self.names, *extra_names]]
        table = connection.ops.quote_name(self.model._meta.db_table)
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        extra = tuple(extra_values)
        count = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3's cursor, for COPY
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + extra)
                    count += 1
        self.rows += count
        return count


def reset_sequences(tables: Iterable[type[models.Model]]) -> None:
    with connection.cursor() as cursor:
        for model in tables:
            table = model._meta.db_table
            pk = model._meta.pk.column
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT MAX({pk}) FROM {table}), 1))",
                [table, pk],
            )


@dataclass
class Built:
    province_id: int
    city_ids: list[int]
    county_ids: list[int]
    township_ids: list[int]
    cadre_ids: dict[int, int]  # township id → its cadre's user id
    counts: dict[str, int]
    seconds: float


def build(today: datetime.date, *, seed: int = 14) -> Built:
    """Write the whole data set; returns the ids the benchmark needs."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Role, User
    from clusters.models import Cluster, ClusterMembership, Form, Kind, Status
    from meetings.models import IssueStatus, Meeting, MeetingIssue, MeetingKind, Outcome
    from rectification.models import HandlingMethod, LedgerEntry, LedgerKind
    from reports.models import CONTENT_FIELDS, State, WeeklyReport
    from villages.models import City, County, Province, Standing, Township, Village

    rng = random.Random(seed)
    started = time.perf_counter()
    counts: dict[str, int] = {}
    tz = timezone.get_current_timezone()

    def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=tz)

    Table(Province, ["id", "code", "name"]).copy([(1, "370000000000", "基准省")])
    city_ids = list(range(1, CITIES + 1))
    Table(City, ["id", "province", "code", "name"]).copy((c, 1, f"37{c:02d}00000000", f"基准{c}市") for c in city_ids)
    county_rows = []
    for c in city_ids:
        for n in range(1, COUNTIES_PER_CITY + 1):
            county_rows.append((len(county_rows) + 1, c, f"37{c:02d}{n:02d}000000", f"基准{c}市{n}县"))
    Table(County, ["id", "city", "code", "name"]).copy(county_rows)
    county_ids = [row[0] for row in county_rows]
    county_code = {row[0]: row[2] for row in county_rows}

    township_rows = []
    for county_id in county_ids:
        for t in range(1, TOWNSHIPS_PER_COUNTY + 1):
            code = f"{county_code[county_id][:6]}{100 + t:03d}000"
            township_rows.append((len(township_rows) + 1, county_id, code, f"{county_id}县{t}镇"))
    Table(Township, ["id", "county", "code", "name"]).copy(township_rows)
    township_ids = [row[0] for row in township_rows]
    township_county = {row[0]: row[1] for row in township_rows}
    township_code = {row[0]: row[2] for row in township_rows}

    # One cadre per township, plus the persons the benchmark logs in as.
    password = make_password("Bench2026!")
    joined = timezone.now()
    user_rows = []
    cadre_ids = {}
    for township_id in township_ids:
        user_id = len(user_rows) + 1
        cadre_ids[township_id] = user_id
        user_rows.append(
            (
                user_id,
                password,
                f"cadre{township_id}",
                f"乡镇干部{township_id}",
                Role.TOWNSHIP_CADRE,
                township_county[township_id],
                township_id,
                None,
                None,
                True,
                joined,
            )
        )
    extra_users = [
        ("county_office", "县联村办", Role.COUNTY_OFFICE, county_ids[0], None, None),
        ("city_office", "市联村办", Role.CITY_OFFICE, None, city_ids[0], None),
        ("province_office", "省联村办", Role.PROVINCE_OFFICE, None, None, 1),
    ]
    for username, name, role, county_id, city_id, province_id in extra_users:
        user_rows.append(
            (len(user_rows) + 1, password, username, name, role, county_id, None, city_id, province_id, True, joined)
        )
    user_table = Table(
        User,
        [
            "id",
            "password",
            "username",
            "full_name",
            "role",
            "county",
            "township",
            "city",
            "province",
            "is_active",
            "date_joined",
        ],
    )
    user_table.copy(user_rows)
    counts["users"] = len(user_rows)

    # Villages: 16 or 17 per township.
    village_rows = []
    villages_of: dict[int, list[int]] = {}
    for township_id, count in zip(township_ids, split(VILLAGES, len(township_ids)), strict=True):
        ids = villages_of.setdefault(township_id, [])
        for v in range(count):
            village_id = len(village_rows) + 1
            ids.append(village_id)
            roll = rng.random()
            standing = Standing.LAGGING if roll < 0.12 else Standing.ADVANCED if roll > 0.85 else Standing.AVERAGE
            households = rng.randint(180, 1100)
            village_rows.append(
                (
                    village_id,
                    township_id,
                    f"{township_code[township_id][:9]}{201 + v:03d}",
                    f"基准{village_id}村",
                    households,
                    households * 3,
                    rng.randint(15, 90),
                    rng.randint(0, 120) * 5000,
                    standing,
                    standing == Standing.LAGGING and rng.random() < 0.35,
                )
            )
    Table(
        Village,
        [
            "id",
            "township",
            "code",
            "name",
            "households",
            "population",
            "party_members",
            "collective_income",
            "standing",
            "is_weak",
        ],
    ).copy(village_rows)
    counts["villages"] = len(village_rows)

    # Clusters: 4 or 5 per township, three member villages each, established over the first eight months.
    first_monday = today - datetime.timedelta(days=today.weekday()) - datetime.timedelta(weeks=52 * YEARS)
    kinds = [
        Kind.STRONG_WEAK,
        Kind.INDUSTRY,
        Kind.BRAND,
        Kind.VILLAGE_COMMUNITY,
        Kind.VILLAGE_ENTERPRISE,
        Kind.DEPARTMENT_VILLAGE,
    ]
    cluster_rows, member_rows, spans = [], [], []
    for township_id, count in zip(township_ids, split(CLUSTERS, len(township_ids)), strict=True):
        villages = villages_of[township_id]
        for k in range(count):
            cluster_id = len(cluster_rows) + 1
            kind = kinds[cluster_id % len(kinds)]
            form = (
                Form.URBAN_RURAL
                if kind in {Kind.VILLAGE_COMMUNITY, Kind.VILLAGE_ENTERPRISE, Kind.DEPARTMENT_VILLAGE}
                else Form.VILLAGE_CLUSTER
            )
            established = first_monday + datetime.timedelta(weeks=rng.randint(0, 32))
            status = Status.ESTABLISHED if rng.random() < 0.95 else Status.SUBMITTED
            members = villages[k * MEMBERS_PER_CLUSTER : (k + 1) * MEMBERS_PER_CLUSTER]
            cluster_rows.append(
                (
                    cluster_id,
                    township_id,
                    f"{township_id}镇{k + 1}联村",
                    form,
                    kind,
                    status,
                    members[0],
                    established - datetime.timedelta(days=60),
                    established if status == Status.ESTABLISHED else None,
                    cadre_ids[township_id],
                )
            )
            for village_id in members:
                member_rows.append((len(member_rows) + 1, cluster_id, village_id, form, established, True))
            if status == Status.ESTABLISHED:
                spans.append((cluster_id, township_id, established))
    Table(
        Cluster,
        [
            "id",
            "township",
            "name",
            "form",
            "kind",
            "status",
            "lead_village",
            "proposed_on",
            "established_on",
            "created_by",
        ],
    ).copy(cluster_rows)
    Table(ClusterMembership, ["id", "cluster", "village", "form", "joined_on", "is_active"]).copy(member_rows)
    counts["clusters"] = len(cluster_rows)

    # Weekly reports: one per established cluster per ISO week from its establishment to last week.
    last_monday = today - datetime.timedelta(days=today.weekday()) - datetime.timedelta(weeks=1)

    def reports() -> Iterator[tuple]:
        report_id = 0
        for cluster_id, township_id, established in spans:
            cadre = cadre_ids[township_id]
            monday = established - datetime.timedelta(days=established.weekday())
            while monday <= last_monday:
                report_id += 1
                year, week, _ = monday.isocalendar()
                recent = (last_monday - monday).days < 14
                roll = rng.random()
                if recent and roll < 0.3:
                    state, submitted = State.DRAFT, None
                elif recent or roll < 0.01:
                    state, submitted = State.SUBMITTED, at(monday + datetime.timedelta(days=7), 9 + report_id % 8)
                elif roll < 0.015:
                    state, submitted = State.RETURNED, at(monday + datetime.timedelta(days=7), 11)
                else:
                    state, submitted = State.ANSWERED, at(monday + datetime.timedelta(days=7 + (roll > 0.9)), 15)
                saved = submitted or at(monday + datetime.timedelta(days=4))
                yield (
                    report_id,
                    cluster_id,
                    year,
                    week,
                    state,
                    PROGRESS,
                    PROBLEMS,
                    PLAN,
                    "",
                    report_id % 3,
                    20 + report_id % 30,
                    report_id % 5,
                    report_id % 4,
                    cadre,
                    saved,
                    cadre,
                    saved,
                    submitted,
                    submitted,
                    cadre if submitted else None,
                )
                monday += datetime.timedelta(weeks=1)

    counts["weekly reports"] = Table(
        WeeklyReport,
        [
            "id",
            "cluster",
            "iso_year",
            "iso_week",
            "state",
            *CONTENT_FIELDS,
            "created_by",
            "created_at",
            "updated_by",
            "updated_at",
            "first_submitted_at",
            "submitted_at",
            "submitted_by",
        ],
    ).copy(reports())

    # Meetings: a township's own meetings over five years, each with its township invited; one issue in two.
    kinds_of_meeting = list(MeetingKind.values)
    township_kind = MeetingKind.TOWNSHIP if hasattr(MeetingKind, "TOWNSHIP") else kinds_of_meeting[0]
    days = (today - first_monday).days
    meeting_rows, invited_rows, issue_rows = [], [], []
    for meeting_id in range(1, MEETINGS + 1):
        township_id = township_ids[meeting_id % len(township_ids)]
        day = first_monday + datetime.timedelta(days=rng.randint(0, days - 1))
        starts = at(day, 9)
        meeting_rows.append(
            (
                meeting_id,
                township_kind,
                township_county[township_id],
                township_id,
                f"第{meeting_id}次例会",
                starts,
                "镇政府会议室",
                "李记录",
                day - datetime.timedelta(days=6),
                cadre_ids[township_id],
            )
        )
        invited_rows.append((meeting_id, meeting_id, township_id))
        if meeting_id % 2 == 0:
            solved = day + datetime.timedelta(days=20) < today and rng.random() < 0.9
            outcome_on = day + datetime.timedelta(days=20) if solved else None
            # Seed 003: outcomes are published (公示) once recorded; those of the last month still wait.
            published = solved and outcome_on + datetime.timedelta(days=30) < today
            status = IssueStatus.PUBLISHED if published else IssueStatus.RESOLVED if solved else IssueStatus.RAISED
            issue_rows.append(
                (
                    len(issue_rows) + 1,
                    meeting_id,
                    township_county[township_id],
                    township_id,
                    "村民代表",
                    "道路维修",
                    "包村干部",
                    day + datetime.timedelta(days=30),
                    status,
                    Outcome.values[0] if solved else "",
                    outcome_on,
                    outcome_on + datetime.timedelta(days=7) if published else None,
                )
            )
    Table(
        Meeting,
        [
            "id",
            "kind",
            "county",
            "township",
            "topic",
            "starts_at",
            "place",
            "minutes_keeper",
            "notice_sent_on",
            "created_by",
        ],
    ).copy(meeting_rows)
    through = Meeting.invited_townships.through
    Table(through, ["id", "meeting", "township"]).copy(invited_rows)
    Table(
        MeetingIssue,
        [
            "id",
            "meeting",
            "county",
            "township",
            "raised_by",
            "description",
            "owner",
            "deadline",
            "status",
            "outcome",
            "outcome_on",
            "published_on",
        ],
    ).copy(issue_rows)
    counts["meetings"] = len(meeting_rows)
    counts["meeting issues"] = len(issue_rows)

    # Ledgers: three standard kinds and two handling methods per county; 25 entries per village.
    kind_rows, method_rows = [], []
    kinds_of_county: dict[int, list[int]] = {}
    methods_of_county: dict[int, list[int]] = {}
    for county_id in county_ids:
        for order, (standard, name) in enumerate(LedgerKind.Standard.choices, start=1):
            kind_rows.append((len(kind_rows) + 1, county_id, str(name), standard, order))
            kinds_of_county.setdefault(county_id, []).append(len(kind_rows))
        for order, name in enumerate(["一事一议", "挂包帮"], start=1):
            method_rows.append((len(method_rows) + 1, county_id, name, True, order))
            methods_of_county.setdefault(county_id, []).append(len(method_rows))
    Table(LedgerKind, ["id", "county", "name", "standard", "order"]).copy(kind_rows)
    Table(HandlingMethod, ["id", "county", "name", "is_active", "order"]).copy(method_rows)
    village_township = {row[0]: row[1] for row in village_rows}

    def entries() -> Iterator[tuple]:
        per_village = split(LEDGER_ENTRIES, len(village_rows))
        entry_id = 0
        for (village_id, township_id), count in zip(village_township.items(), per_village, strict=True):
            county_id = township_county[township_id]
            for n in range(count):
                entry_id += 1
                day = first_monday + datetime.timedelta(days=(entry_id * 7919) % days)
                solved = n % 7 != 0
                yield (
                    entry_id,
                    village_id,
                    kinds_of_county[county_id][n % 3],
                    "house_visit",
                    day,
                    "修缮村道",
                    "包村干部",
                    methods_of_county[county_id][n % 2],
                    "solved" if solved else "in_progress",
                    day + datetime.timedelta(days=12) if solved else None,
                    cadre_ids[township_id],
                )

    counts["ledger entries"] = Table(
        LedgerEntry,
        [
            "id",
            "village",
            "kind",
            "source",
            "collected_on",
            "summary",
            "owner",
            "handling",
            "status",
            "solved_on",
            "recorded_by",
        ],
    ).copy(entries())
    # COPY passes by the services: the tallies the region pages read are counted once, as a bulk load must.
    from clusters import tallies as coverage_tallies
    from meetings import tallies as meeting_tallies
    from rectification import tallies as ledger_tallies
    from reports import tallies as report_tallies

    coverage_tallies.recount_all()
    ledger_tallies.recount_all()
    report_tallies.recount_all()
    meeting_tallies.recount_all()

    models_written = [
        Province,
        City,
        County,
        Township,
        User,
        Village,
        Cluster,
        ClusterMembership,
        WeeklyReport,
        Meeting,
        through,
        MeetingIssue,
        LedgerKind,
        HandlingMethod,
        LedgerEntry,
    ]
    reset_sequences(models_written)
    with connection.cursor() as cursor:
        # What autovacuum does to a production database soon after a bulk load: statistics for the planner, and
        # the visibility map that lets a count read an index alone (VACUUM cannot run inside a transaction).
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    return Built(
        province_id=1,
        city_ids=city_ids,
        county_ids=county_ids,
        township_ids=township_ids,
        cadre_ids=cadre_ids,
        counts=counts,
        seconds=time.perf_counter() - started,
    )
