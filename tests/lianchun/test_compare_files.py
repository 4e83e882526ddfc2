"""The backup drill's file comparison (scripts/compare_files.py): a restored attachments directory must hold
the same files, byte for byte; a missing, extra or changed file is named."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "compare_files.py"
spec = importlib.util.spec_from_file_location("compare_files", SCRIPT)
compare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare)


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_a_faithful_copy_is_identical_and_counted(tmp_path, capsys):
    files = {"2026/11/sign-in.jpg": b"\xff\xd8jpeg", "2026/11/consent.pdf": b"%PDF-1.7", "thumbs/a.jpg": b"t"}
    original, restored = _tree(tmp_path / "a", files), _tree(tmp_path / "b", files)
    assert compare.main(["compare_files.py", str(original), str(restored)]) == 0
    assert capsys.readouterr().out.strip() == "identical: 3 files, 15 bytes, every checksum equal"


def test_a_missing_an_extra_and_a_changed_file_are_each_named(tmp_path, capsys):
    original = _tree(tmp_path / "a", {"one.jpg": b"1", "two.pdf": b"2", "three.png": b"3"})
    restored = _tree(tmp_path / "b", {"one.jpg": b"1", "two.pdf": b"2x", "four.png": b"4"})
    assert compare.main(["compare_files.py", str(original), str(restored)]) == 1
    out = capsys.readouterr().out
    assert "three.png: missing from the restored files" in out
    assert "four.png: only in the restored files" in out
    assert "two.pdf: 1 bytes" in out and "2 bytes" in out
    assert "one.jpg" not in out
