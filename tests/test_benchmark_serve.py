"""The benchmark's `mkdocs serve` rebuild: timed from the server's own lines, and stopped the
way that lets MkDocs delete the temporary site it served."""

from __future__ import annotations

from pathlib import Path

import pytest
from hubkit import HubDir

from benchmarks.run import serve_rebuild


def test_serve_rebuild_is_timed_and_leaves_no_copy_of_the_site(
    minihub: HubDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))  # where `mkdocs serve` makes its site
    article = sorted((minihub.root / "content" / "articles").rglob("*.md"))[1]
    before = article.read_text("utf-8")
    seconds = serve_rebuild(minihub.root, tmp_path, timeout=120, repeat=1)
    assert seconds > 0
    assert article.read_text("utf-8") == before  # the edit undone
    assert "Reloading browsers" in (tmp_path / "hubgen-serve.log").read_text("utf-8")
    assert not [p.name for p in temporary.iterdir() if p.name.startswith("mkdocs_")]
