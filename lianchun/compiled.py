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


class CompiledQuery:
    """`build(*placeholders)` returns the QuerySet; `rows(*values)` runs its SQL with `values` in their place.

    Every value must reach the SQL as a parameter, in the order `build` takes them: compiling checks that the
    parameters are exactly the placeholders it passed, so a query whose SQL holds a value of its own is refused.
    Values are passed as the database takes them (`connection.ops.adapt_datetimefield_value` for a moment).
    """

    def __init__(self, build: Callable[..., QuerySet], placeholders: Sequence[Any]) -> None:
        self.build = build
        self.placeholders = tuple(placeholders)
        self._sql: dict[str, str] = {}

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
