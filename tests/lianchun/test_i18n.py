"""The Chinese catalogues are complete, and the committed .mo says what the .po says."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest
from django import forms
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po")) + sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po"))
CATALOGUES = [path for path in CATALOGUES if ".venv" not in path.parts]


def test_there_is_a_project_catalogue():
    assert ROOT / "locale/zh_Hans/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_mo_agrees_with_po(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run scripts/i18n.py compile"
    po = polib.pofile(str(po_path))
    with open(mo_path, "rb") as handle:
        mo = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0], entry.msgid
        elif entry.msgctxt:
            assert mo.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr, (
                f"{entry.msgid!r}: .mo is stale, run scripts/i18n.py compile"
            )
    translated_in_po = {entry.msgid for entry in po.translated_entries()}
    assert len(mo._catalog) - 1 >= len(translated_in_po) - 0, "the .mo lacks entries the .po translates"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_entry_is_translated(po_path):
    po = polib.pofile(str(po_path))
    missing = [entry.msgid for entry in po.untranslated_entries() + po.fuzzy_entries()]
    assert not missing, f"untranslated in {po_path.relative_to(ROOT)}: {missing[:10]}"


def test_ui_speaks_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext("Workbench") == "工作台"


def test_chinese_dates_are_accepted_in_forms():
    """Django 5.2's own zh_Hans input format cannot parse 2016年9月5日; the project's can."""

    class DateForm(forms.Form):
        day = forms.DateField()

    with translation.override("zh-hans"):
        for text in ["2016年9月5日", "2016-09-05", "2016/9/5", "2016.09.05"]:
            form = DateForm({"day": text})
            assert form.is_valid(), text
            assert str(form.cleaned_data["day"]) == "2016-09-05"
