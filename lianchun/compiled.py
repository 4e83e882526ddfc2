"""A query asked on every page, turned into SQL once per process instead of once per request.

Django builds a query's SQL anew each time it runs it; for a small query that is most of its cost (about a
millisecond, against a twentieth of that to send the SQL and read the answer). A query every page asks,
like the unread count in the menu bar, is written once as a QuerySet, so its rule stays where it lives,
compiled on first use for each database, and then run with the request's values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet
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
