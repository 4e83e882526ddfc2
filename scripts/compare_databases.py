#!/usr/bin/env python
"""Compare two PostgreSQL databases table by table: row count and a checksum of the rows.

    python scripts/compare_databases.py postgresql://…/original postgresql://…/restored

The checksum of a table is the md5 of its rows' text forms, sorted, so it does
not depend on the order a restore wrote them in. Prints "identical" and exits 0,
or prints each table that differs and exits 1.
"""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql

TABLES = """
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
    ORDER BY table_name
"""


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    result: dict[str, tuple[int, str]] = {}
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(TABLES)
        for (table,) in cursor.fetchall():
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') "
                    "FROM (SELECT md5(t::text) AS h FROM {} AS t) AS rows"
                ).format(sql.Identifier(table))
            )
            count, checksum = cursor.fetchone()
            result[table] = (count, checksum)
    return result


def differences(original: dict, restored: dict, *, unit: str = "rows", where: str = "database") -> list[str]:
    """Each name whose (count, checksum) differs; scripts/compare_files.py uses it for files (unit "bytes")."""
    lines = []
    for table in sorted(set(original) | set(restored)):
        if table not in restored:
            lines.append(f"{table}: missing from the restored {where}")
        elif table not in original:
            lines.append(f"{table}: only in the restored {where}")
        elif original[table] != restored[table]:
            (count_a, sum_a), (count_b, sum_b) = original[table], restored[table]
            lines.append(f"{table}: {count_a} {unit} ({sum_a[:12]}) before, {count_b} {unit} ({sum_b[:12]}) after")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    original, restored = fingerprint(argv[1]), fingerprint(argv[2])
    rows = sum(count for count, _ in original.values())
    lines = differences(original, restored)
    if lines:
        print("DIFFERENT:")
        print("\n".join(lines))
        return 1
    print(f"identical: {len(original)} tables, {rows} rows, every count and checksum equal")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
