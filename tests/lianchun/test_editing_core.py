"""The shared edit layer: text cleaned once, stale saves refused, refusals put on the right field."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from lianchun.audit import save_audited
from lianchun.editing import EditConflict, add_errors, attempt, check_version, clean_text, version_token


def test_control_characters_from_office_software_are_removed():
    assert clean_text("第一行\r\n第二行\x0b\x0c\x00\t完") == "第一行\n第二行\t完"


def test_invisible_characters_that_reorder_or_break_a_name_are_removed():
    """A right-to-left override shows "李家庄村\u202e单清" as 李家庄村清单 reversed in a list or an export; a NEL
    (U+0085) from an old encoding breaks a line where none shows."""
    assert clean_text("李家庄村\u202e单清") == "李家庄村单清"
    assert clean_text("\u2066马园\u2069\x85联村\u202a") == "马园联村"
    assert clean_text("正常的文字，包括全角标点：“”《》。") == "正常的文字，包括全角标点：“”《》。"


def test_a_village_name_pasted_with_a_direction_override_is_saved_without_it(login, village_a, cadre_a):
    client = login(cadre_a)
    url = f"/villages/{village_a.pk}/edit/"
    data = {
        "name": "李家庄村\u202e",
        "households": 400,
        "population": 1000,
        "party_members": 30,
        "collective_income": "0",
        "reason": "核实\x85名称",
        "record_version": version_token(village_a),
    }
    assert client.post(url, data).status_code == 302
    village_a.refresh_from_db()
    assert village_a.name == "李家庄村"


def test_a_save_after_someone_elses_is_refused_with_who_and_when(village_a, cadre_a):
    opened = version_token(village_a)
    village_a.households = 401
    save_audited(village_a, by=cadre_a)
    with pytest.raises(EditConflict) as conflict:
        check_version(village_a, opened)
    assert conflict.value.code == "edited_elsewhere"
    assert "张干部" in conflict.value.messages[0]
    check_version(village_a, version_token(village_a))


class _Form(forms.Form):
    name = forms.CharField()


def test_refusals_land_on_the_named_field_or_the_form():
    form = _Form({"name": "x"})
    assert form.is_valid()
    add_errors(form, ValidationError("bad name", params={"field": "name"}))
    add_errors(form, ValidationError({"missing_field": "about a field the form lacks"}))
    assert form.errors["name"] == ["bad name"]
    assert form.non_field_errors() == ["about a field the form lacks"]


def test_attempt_cleans_text_and_reports_success(db):
    form = _Form({"name": "村\x0b名"})
    outcome = attempt(form, lambda data: data["name"])
    assert outcome.ok and outcome.value == "村名"
