"""A query asked on every page, turned into SQL once per process instead of once per request.

Django builds a query's SQL anew each time it runs it; for a small query that is most of its cost (about a
millisecond, against a twentieth of that to send the SQL and read the answer). A query every page asks,
like the unread count in the menu bar, is written once as a QuerySet, so its rule stays where it lives,
compiled on first use for each database, and then run with the request's values.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.base import ModelState
from django.db.models.query import get_related_populators


class CompiledQuery:
    """`build(*placeholders)` returns the QuerySet; `rows(*values)` runs its SQL with `values` in their place,
    `objects(*values)` gives its model instances.

    Every value must reach the SQL as a parameter, in the order `build` takes them: compiling checks that the
    parameters are exactly the placeholders it passed, so a query whose SQL holds a value of its own is refused.
    Values are passed as the database takes them (`connection.ops.adapt_datetimefield_value` for a moment).
    """

    def __init__(self, build: Callable[..., QuerySet], placeholders: Sequence[Any]) -> None:
        self.build = build
        self.placeholders = tuple(placeholders)
        self._sql: dict[str, str] = {}
        self._builders: dict[str, _InstanceBuilder] = {}

    def sql(self, using: str = "default") -> str:
        if using not in self._sql:
            queryset = self.build(*self.placeholders)
            sql, params = queryset.query.get_compiler(using).as_sql()
            # Dates reach the SQL adapted to the database (SQLite: text), so those are matched by place only.
            if len(params) != len(self.placeholders) or any(
                isinstance(expected, str | int) and param != expected
                for param, expected in zip(params, self.placeholders, strict=True)
            ):
                raise ValueError(f"compiled query takes {params!r}, expected exactly {self.placeholders!r}")
            self._sql[using] = sql
        return self._sql[using]

    def rows(self, *values: Any, using: str = "default") -> list[tuple]:
        with connections[using].cursor() as cursor:
            cursor.execute(self.sql(using), values)
            return cursor.fetchall()

    def objects(self, *values: Any, using: str = "default") -> list[Any]:
        """The QuerySet's model instances for `values`, with what it selects related, built as Django builds them
        (the database's converters, `Model.from_db`, Django's related populators), from SQL compiled once."""
        built = self._builders.get(using)
        if built is None:
            built = self._builders[using] = _InstanceBuilder(self.build(*self.placeholders), using, self.sql(using))
        return built.instances(self.rows(*values, using=using))


class _InstanceBuilder:
    """What Django's ModelIterable works out from a compiled query before it reads the first row, kept."""

    def __init__(self, queryset: QuerySet, using: str, sql: str) -> None:
        compiler = queryset.query.get_compiler(using)
        compiled_sql, _params = compiler.as_sql()  # fills compiler.select and klass_info
        if compiled_sql != sql:
            raise ValueError("the QuerySet compiles to different SQL each time")
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        self.using, self.model = using, klass_info["model"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.names = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, using)
        self.compiler = compiler
        self.converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])

    def instances(self, rows: list[tuple]) -> list[Any]:
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        result = []
        for row in rows:
            instance = self.model.from_db(self.using, self.names, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, instance)
            result.append(instance)
        return result


# Stand-ins for a scoped read's first runs: numbers no record has, and a day no record holds. Each is given in two
# versions, one for each run, so that the runs show which parameter each became.
_USER_STAND_INS = {
    "pk": (-7_001, -7_002),
    "username": ("stand-in-7001", "stand-in-7002"),
    "township_id": (-7_101, -7_102),
    "county_id": (-7_201, -7_202),
    "city_id": (-7_301, -7_302),
    "province_id": (-7_401, -7_402),
}
_DAY_STAND_INS = (datetime.date(1901, 2, 3), datetime.date(1902, 4, 5))
_CLOCK_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}")
SHAPES = ("count", "aggregate", "rows")
# Every scoped read of the product, so that a test can hold each one's compiled answers to its ORM answers.
SCOPED_READS: list[ScopedRead] = []


class ScopedRead:
    """A read every 工作台 of a role makes (a count, a few counts at once), compiled once per process and role and
    then run with the user's place and the day as parameters.

    `read(user)`, or `read(user, day)` with `takes_day`, is written with the selectors and `visible_to` like any
    read; it must send exactly one SQL statement and answer in the `shape` named: "count" (a number), "aggregate"
    (a dict of named figures, as `QuerySet.aggregate` gives) or "rows" (tuples, as `values_list` gives). A read
    that takes the day from the clock itself is refused: its SQL would keep that day.

    The first call for a role runs `read` twice with stand-ins: a copy of the user whose id, name and places are
    values no record has, and a day no record holds. The SQL of the two runs must be the same; a parameter that
    was a stand-in both times takes the user's value or the day from then on, and one that was the same both times
    is a constant of the query (a status). Any other parameter (a day worked out from the stand-in, a month before
    it) means the read cannot be compiled, and that is refused when it is first used, as is a read sending two
    statements. The city and province roles, whose records depend on a chosen county, always read through `read`.
    """

    def __init__(self, read: Callable[..., Any], shape: str, *, takes_day: bool = False) -> None:
        if shape not in SHAPES:
            raise ValueError(f"shape is one of {SHAPES}")
        self.read, self.shape, self.takes_day = read, shape, takes_day
        self._compiled: dict[tuple, tuple[str, list[tuple[str, Any]]]] = {}
        SCOPED_READS.append(self)

    def __call__(self, user: Any, *day: datetime.date, using: str = "default") -> Any:
        if len(day) != int(self.takes_day):
            raise TypeError("a scoped read takes the user, and the day when it says so")
        if not _compilable(user):
            return self.read(user, *day)
        # The role, and which places the user has: the stand-in keeps the same ones empty (`_stand_in`).
        key = (using, user.role, tuple(getattr(user, name) is None for name in _USER_STAND_INS))
        if key not in self._compiled:
            self._compiled[key] = self._compile(user, using)
        sql, slots = self._compiled[key]
        connection = connections[using]
        return self._answer(connection, sql, [_value(slot, user, day, connection) for slot in slots])

    def _answer(self, connection, sql: str, params: list[Any]) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if self.shape == "rows":
                return cursor.fetchall()
            row = cursor.fetchone()
            if self.shape == "count":
                return row[0]
            return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}

    def _compile(self, user: Any, using: str) -> tuple[str, list[tuple[str, Any]]]:
        connection = connections[using]
        runs = []
        for run in (0, 1):
            stand_in = _stand_in(user, run)
            day = (_DAY_STAND_INS[run],) if self.takes_day else ()
            statements: list[tuple[str, tuple]] = []

            def capture(execute, sql, params, many, context, statements=statements):
                statements.append((sql, tuple(params or ())))
                return execute(sql, params, many, context)

            with connection.execute_wrapper(capture):
                answer = self.read(stand_in, *day)
            if len(statements) != 1:
                raise ValueError(f"a scoped read sends one SQL statement, not {len(statements)}")
            runs.append((*statements[0], answer, stand_in, day))
        (sql, first, *_), (sql_again, second, answer, stand_in, day) = runs
        if sql != sql_again or len(first) != len(second):
            raise ValueError("the read's SQL changes with the user's place or the day")
        days = tuple(connection.ops.adapt_datefield_value(stand_in_day) for stand_in_day in _DAY_STAND_INS)
        slots = [_slot(index, pair, days) for index, pair in enumerate(zip(first, second, strict=True))]
        # The compiled SQL answers the second run as the read did (nothing, or zeros), in the same shape.
        if self._answer(connection, sql, [_value(slot, stand_in, day, connection) for slot in slots]) != (
            list(answer) if self.shape == "rows" else answer
        ):
            raise ValueError(f"the read does not answer in the shape {self.shape!r}")
        return sql, slots


def _compilable(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_township_cadre or user.is_county_role)
        and not getattr(user, "is_region_role", False)
    )


def _stand_in(user: Any, run: int) -> Any:
    """A copy of `user` in a place no record is in; the records it was loaded with are not carried over. A place
    the user has none of (a county office's township) stays empty, so a read that asks whether there is one
    takes the same turn for the stand-in as for the user."""
    stand_in = copy.copy(user)
    stand_in._state = ModelState()
    stand_in._state.adding, stand_in._state.db = False, user._state.db
    for name, versions in _USER_STAND_INS.items():
        if getattr(user, name) is not None:
            setattr(stand_in, name, versions[run])
    return stand_in


def _slot(index: int, pair: tuple[Any, Any], days: tuple[Any, Any]) -> tuple[str, Any]:
    """What parameter `index` is: ("user", attribute), ("day", None) or ("constant", value)."""
    for name, versions in _USER_STAND_INS.items():
        if pair == versions:
            return ("user", name)
    if pair == days:
        return ("day", None)
    one, other = pair
    if one == other and not isinstance(one, datetime.date) and not (isinstance(one, str) and _CLOCK_TEXT.match(one)):
        return ("constant", one)
    raise ValueError(f"parameter {index} of the read ({one!r}, then {other!r}) is neither a stand-in nor a constant")


def _value(slot: tuple[str, Any], user: Any, day: tuple, connection) -> Any:
    kind, what = slot
    if kind == "user":
        return getattr(user, what)
    if kind == "day":
        return connection.ops.adapt_datefield_value(day[0])
    return what
