#!/usr/bin/env python
"""The one translation catalogue, locale/zh_Hans/LC_MESSAGES/django.po, without GNU gettext at run time.

    python scripts/i18n.py update     # every app and templates/ → locale/zh_Hans/LC_MESSAGES/django.po
    python scripts/i18n.py missing    # list untranslated or fuzzy entries, exit 1 if any
    python scripts/i18n.py compile    # django.po → django.mo (pure Python, polib)

There is one catalogue for the whole project: one English msgid (with its
context) has one Chinese text everywhere. Where a word needs two Chinese words,
the source gives it a context (pgettext). `update` needs GNU xgettext (Django's
makemessages); it keeps existing translations and drops entries no source uses.
The .mo is committed, so a machine without gettext runs the product in Chinese.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def sources() -> list[str]:
    """Every app folder of the project (it has an apps.py) and the shared templates."""
    apps = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))
    return [*apps, "templates"]


def extract() -> polib.POFile:
    """What the code and templates ask for now, extracted by Django's makemessages (untranslated)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        # Copies, not links: makemessages writes a folder's strings into any locale/ it finds inside it.
        ignore = shutil.ignore_patterns("locale", "migrations", "__pycache__")
        for source in sources():
            shutil.copytree(ROOT / source, tmp_path / source, ignore=ignore)
        (tmp_path / "locale").mkdir()
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="lianchun.settings", PYTHONPATH=str(ROOT))
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "makemessages",
                "-l",
                "zh_Hans",
                "--no-location",
                "--no-obsolete",
            ],
            cwd=tmp_path,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))


def update() -> None:
    fresh = extract()
    target = CATALOGUE
    old = polib.pofile(str(target)) if target.exists() else None
    if old is not None:
        known = {(e.msgctxt, e.msgid): e for e in old}
        for entry in fresh:
            previous = known.get((entry.msgctxt, entry.msgid))
            if previous is not None:
                entry.msgstr = previous.msgstr
                entry.msgstr_plural = previous.msgstr_plural
                if "fuzzy" in previous.flags and "fuzzy" not in entry.flags:
                    entry.flags.append("fuzzy")
            elif "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    fresh.metadata.update(
        {
            "Project-Id-Version": "lianchun",
            "Language": "zh_Hans",
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh.save(str(target))
    print(f"{target.relative_to(ROOT)}: {len(fresh)} entries, {len(fresh.untranslated_entries())} untranslated")


def missing() -> int:
    po = polib.pofile(str(CATALOGUE))
    entries = po.untranslated_entries() + po.fuzzy_entries()
    for entry in entries:
        context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
        print(f"{CATALOGUE.relative_to(ROOT)}: {context}{entry.msgid!r}")
    return len(entries)


def compile_all() -> None:
    po = polib.pofile(str(CATALOGUE))
    po.save_as_mofile(str(CATALOGUE.with_suffix(".mo")))
    print(f"compiled {CATALOGUE.relative_to(ROOT)}")


def main(argv: list[str]) -> int:
    if argv == ["update"]:
        update()
        return 0
    if argv == ["missing"]:
        return 1 if missing() else 0
    if argv == ["compile"]:
        compile_all()
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    if shutil.which("xgettext") is None and sys.argv[1:2] == ["update"]:
        sys.exit("xgettext (GNU gettext) is needed to extract messages: apt-get install gettext")
    sys.exit(main(sys.argv[1:]))
