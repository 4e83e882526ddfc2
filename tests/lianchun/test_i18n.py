"""One Chinese catalogue for the whole project: complete, without two texts for one msgid, and the .mo agrees."""

from __future__ import annotations

import gettext
import importlib.util
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django import forms
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
PO_PATH = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SKIPPED_FOLDERS = {".venv", "var", "node_modules", ".git"}


def _i18n_script():
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _key(entry: polib.POEntry) -> str:
    return f"[{entry.msgctxt}] {entry.msgid!r}" if entry.msgctxt else repr(entry.msgid)


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def test_the_project_catalogue_is_the_only_one():
    """Django merges every app's locale/ into one at run time: a second catalogue silently overrides the first."""
    assert [Path(path) for path in settings.LOCALE_PATHS] == [ROOT / "locale"]
    found = []
    for pattern in ("*.po", "*.mo"):
        found += [
            path.relative_to(ROOT).as_posix()
            for path in ROOT.rglob(pattern)
            if not SKIPPED_FOLDERS & set(path.relative_to(ROOT).parts)
        ]
    only = ["locale/zh_Hans/LC_MESSAGES/django.mo", "locale/zh_Hans/LC_MESSAGES/django.po"]
    assert sorted(found) == only, f"only the project catalogue may exist (merge the others into it): {found}"


def test_no_msgid_has_two_entries(po):
    counts = Counter((entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete)
    twice = [f"[{ctx}] {msgid!r}" if ctx else repr(msgid) for (ctx, msgid), n in counts.items() if n > 1]
    assert not twice, f"these msgids have more than one entry (give one a pgettext context or drop it): {twice}"


def test_mo_agrees_with_po(po):
    mo_path = PO_PATH.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run scripts/i18n.py compile"
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
    translated_in_po = {(entry.msgctxt, entry.msgid) for entry in po.translated_entries()}
    assert len(mo._catalog) - 1 >= len(translated_in_po), "the .mo lacks entries the .po translates"


def test_every_entry_is_translated(po):
    missing = [_key(entry) for entry in po.untranslated_entries() + po.fuzzy_entries() if not entry.obsolete]
    assert not missing, f"untranslated or fuzzy in {PO_PATH.relative_to(ROOT)}: {missing[:10]}"


def test_every_msgid_in_the_code_and_templates_is_in_the_catalogue(po):
    """Extract with Django's makemessages (as scripts/i18n.py update does) and look each msgid up."""
    assert shutil.which("xgettext"), "GNU gettext is needed to extract messages: apt-get install gettext"
    extracted = _i18n_script().extract()
    known = {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}
    missing = [_key(entry) for entry in extracted if (entry.msgctxt, entry.msgid) not in known]
    assert not missing, f"not in the catalogue (run scripts/i18n.py update and add the Chinese): {missing[:20]}"


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


def test_every_field_a_history_page_names_is_named_in_chinese():
    """A 修改记录 page names each changed field by its verbose name: an unnamed field (Django then shows
    "created by", "object id") or a name missing from the catalogue would put English on an auditor's page."""
    import re

    from django.apps import apps

    from lianchun.views import HISTORY_MODELS

    chinese = re.compile(r"[\u4e00-\u9fff]")
    english = []
    with translation.override("zh-hans"):
        for label in sorted(HISTORY_MODELS):
            model = apps.get_model(label)
            names = [("", model._meta.verbose_name)] + [
                (field.name, field.verbose_name)
                for field in model._meta.get_fields()
                if getattr(field, "concrete", False) and not field.auto_created
            ]
            english += [f"{label}.{name}: {text}" for name, text in names if not chinese.search(str(text))]
    assert not english, "\n".join(english)
