"""The shared update step: only the editable fields that changed are taken over and saved, with who."""

from __future__ import annotations

from lianchun.audit import history_entries
from lianchun.changes import assign_changes, save_changes


def test_only_editable_fields_that_differ_are_taken_over(village_a):
    households, name = village_a.households, village_a.name
    changed = assign_changes(
        village_a, {"households": households, "population": 1234, "name": "别的名字"}, ["households", "population"]
    )
    assert changed == ["population"]
    assert (village_a.households, village_a.population, village_a.name) == (households, 1234, name)


def test_a_saved_change_is_one_history_row_with_the_actor_and_only_what_moved(village_a, cadre_a):
    before = village_a.history.count()
    changed = save_changes(
        village_a,
        {"households": village_a.households + 1, "population": village_a.population},
        ["households"],
        by=cadre_a,
        reason="核实户数",
    )
    assert changed == ["households"]
    assert village_a.history.count() == before + 1
    newest = history_entries(village_a)[0]
    assert newest.who == cadre_a and newest.reason == "核实户数"
    assert [change.old for change in newest.changes] == [village_a.households - 1]


def test_nothing_changed_writes_no_history_row(village_a, cadre_a):
    before = village_a.history.count()
    assert save_changes(village_a, {"households": village_a.households}, ["households"], by=cadre_a) == []
    assert village_a.history.count() == before
