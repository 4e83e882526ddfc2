#!/usr/bin/env python
"""Translation catalogues without GNU gettext at run time.

    python scripts/i18n.py update project     # lianchun, accounts, villages and shared templates → locale/
    python scripts/i18n.py update clusters    # clusters/ and templates/clusters/ → clusters/locale/
    python scripts/i18n.py missing            # list untranslated or fuzzy entries, exit 1 if any
    python scripts/i18n.py compile            # every django.po → django.mo (pure Python, polib)

`update` needs GNU xgettext (Django's makemessages); it keeps existing
translations. The .mo files are committed, so a machine without gettext runs
the product in Chinese.
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
PROJECT_SOURCES = [
    "lianchun",
    "accounts",
    "villages",
    "templates/base.html",
    "templates/includes",
    "templates/accounts",
    "templates/lianchun",
    "templates/villages",
    "templates/admin",
]


def catalogues() -> list[Path]:
    found = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))
    found += sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po"))
    return [path for path in found if ".venv" not in path.parts]


def sources_for(name: str) -> tuple[list[str], Path]:
    if name == "project":
        return PROJECT_SOURCES, ROOT / "locale"
    return [name, f"templates/{name}"], ROOT / name / "locale"


def update(name: str) -> None:
    sources, locale_dir = sources_for(name)
    target = locale_dir / "zh_Hans" / "LC_MESSAGES" / "django.po"
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        # Copies, not links: makemessages writes a folder's strings into any locale/ it finds
        # inside it, so an app's own locale/ must not come along.
        ignore = shutil.ignore_patterns("locale", "migrations", "__pycache__")
        for source in sources:
            path = ROOT / source
            target_path = tmp_path / source.replace("/", "__")
            if path.is_dir():
                shutil.copytree(path, target_path, ignore=ignore)
            elif path.exists():
                shutil.copy(path, target_path)
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
        fresh = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
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
    count = 0
    for path in catalogues():
        po = polib.pofile(str(path))
        for entry in po.untranslated_entries() + po.fuzzy_entries():
            print(f"{path.relative_to(ROOT)}: {entry.msgid!r}")
            count += 1
    return count


def compile_all() -> None:
    for path in catalogues():
        po = polib.pofile(str(path))
        po.save_as_mofile(str(path.with_suffix(".mo")))
        print(f"compiled {path.relative_to(ROOT)}")


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "update":
        for name in argv[1:]:
            update(name)
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
