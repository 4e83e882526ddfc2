"""Declared sheets: each column takes its value from the record, and a workbook can include another's sheets."""

from __future__ import annotations

import types

from exports import registry
from exports.sheets import TOWNSHIP, SheetsExporter, rows_of
from exports.xlsx import INT, TEXT, Column


def _record(**fields):
    return types.SimpleNamespace(**fields)


def test_a_dotted_path_is_followed_and_a_method_at_its_end_is_called():
    village = _record(name="石桥村", get_standing_display=lambda: "一般")
    columns = [
        TOWNSHIP.of("village.township.name"),
        Column("村", TEXT, 10, "village.name"),
        Column("档次", TEXT, 10, "village.get_standing_display"),
        Column("户数", INT, 8, lambda record: record.households * 2),
    ]
    village.township = _record(name="清河镇")

    rows = list(rows_of(columns, [_record(village=village, households=21)]))

    assert rows == [["清河镇", "石桥村", "一般", 42]]


def test_an_empty_step_of_the_path_gives_an_empty_cell():
    rows = list(rows_of([Column("所在村", TEXT, 10, "home_village.name")], [_record(home_village=None)]))

    assert rows == [[None]]


def test_a_workbook_that_includes_another_asks_for_its_choices():
    """The county workbook offers the week range because it includes the weekly reports' sheets."""
    county = SheetsExporter("county-test", "全县", [lambda writer, user: None, "weekly"], order=0)

    assert set(county.form_fields) == set(registry.get("weekly").form_fields) == {"first", "last"}
    assert set(registry.get("county").form_fields) == {"first", "last"}
