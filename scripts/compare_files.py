#!/usr/bin/env python
"""Compare two directory trees of attachment files: the number of files and each file's SHA-256.

    python scripts/compare_files.py ORIGINAL_DIR RESTORED_DIR [postgresql://…/restored]

With a database URL, every attachment row of that database (attachments_attachment: file and thumbnail)
must also find its file in RESTORED_DIR, the file's SHA-256 equal to the one recorded at upload.
Prints "identical: N files, B bytes, every checksum equal" and exits 0, or prints what differs and exits 1.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_databases import differences  # noqa: E402  (the same report of what differs, by file instead of table)


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def fingerprint(root: Path) -> dict[str, tuple[int, str]]:
    """Each regular file under root by its path relative to root: (size, sha256)."""
    return {
        str(path.relative_to(root)): (path.stat().st_size, digest(path))
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def unmatched_rows(url: str, restored: dict) -> tuple[int, list[str]]:
    """Attachment rows whose file is missing from the restored files or differs from the recorded checksum."""
    import psycopg

    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT id, file, sha256, thumbnail FROM attachments_attachment ORDER BY id")
        rows = cursor.fetchall()
    lines = []
    for pk, name, sha256, thumbnail in rows:
        if name not in restored:
            lines.append(f"attachment {pk}: its file {name} is not among the restored files")
        elif restored[name][1] != sha256:
            lines.append(f"attachment {pk}: {name} does not match the SHA-256 recorded at upload")
        if thumbnail and thumbnail not in restored:
            lines.append(f"attachment {pk}: its thumbnail {thumbnail} is not among the restored files")
    return len(rows), lines


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    original, restored = fingerprint(Path(argv[1])), fingerprint(Path(argv[2]))
    lines = differences(original, restored, unit="bytes", where="files")
    rows = None
    if len(argv) == 4:
        rows, unmatched = unmatched_rows(argv[3], restored)
        lines += unmatched
    if lines:
        print("DIFFERENT:")
        print("\n".join(lines))
        return 1
    size = sum(s for s, _ in original.values())
    summary = f"identical: {len(original)} files, {size} bytes, every checksum equal"
    if rows is not None:
        summary += f"; all {rows} attachment records find their files"
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
