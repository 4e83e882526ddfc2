"""The backup drill's comparison names every table that differs (scripts/compare_databases.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "compare_databases.py"
spec = importlib.util.spec_from_file_location("compare_databases", SCRIPT)
compare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare)


def test_equal_fingerprints_have_no_difference():
    tables = {"villages_village": (750, "abc"), "accounts_user": (7, "def")}
    assert compare.differences(tables, dict(tables)) == []


def test_a_changed_count_a_changed_row_and_a_missing_table_are_each_named():
    original = {"a": (2, "x"), "b": (3, "y"), "c": (1, "z")}
    restored = {"a": (1, "x"), "b": (3, "w")}
    lines = compare.differences(original, restored)
    assert lines[0].startswith("a: 2 rows") and "1 rows" in lines[0]
    assert lines[1].startswith("b: 3 rows")
    assert lines[2] == "c: missing from the restored database"
