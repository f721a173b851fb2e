"""Cache files are replaced whole, and get the mode new files get (cards are published)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hubkit import mini_build

from hubgen.core.atomicfile import replacing, replacing_bytes


def new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def test_a_replaced_file_gets_the_mode_of_any_new_file(tmp_path: Path) -> None:
    text, data = tmp_path / "deep/text.json", tmp_path / "deep/card.png"
    with replacing(text) as stream:
        stream.write("Café ✓\n")
    with replacing_bytes(data) as raw:
        raw.write(b"\x89PNG")
    assert text.read_text("utf-8") == "Café ✓\n" and data.read_bytes() == b"\x89PNG"
    assert {stat.S_IMODE(p.stat().st_mode) for p in (text, data)} == {new_file_mode()}
    assert sorted(p.name for p in text.parent.iterdir()) == ["card.png", "text.json"]


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    path = tmp_path / "entry.json"
    path.write_text("old", "utf-8")
    with pytest.raises(RuntimeError), replacing(path) as stream:
        stream.write("half of the new")
        raise RuntimeError("interrupted")
    assert path.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json"]


def test_every_published_file_has_the_mode_of_a_new_file() -> None:
    # Cards are linked from the cache into the site: a web server running as another user
    # must read them as it reads the pages (they were owner-only before 2026-12-04).
    root = mini_build().site.root
    modes = {
        path.relative_to(root).as_posix(): stat.S_IMODE(path.stat().st_mode)
        for path in root.rglob("*")
        if path.is_file()
    }
    assert "articles/tax-basics/card.png" in modes
    assert {path: oct(mode) for path, mode in modes.items() if mode != new_file_mode()} == {}
