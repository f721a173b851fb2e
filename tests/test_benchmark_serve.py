"""The benchmark's `mkdocs serve` rebuild: timed from the server's own lines, and stopped the
way that lets MkDocs delete the temporary site it served."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from hubkit import HubDir

from benchmarks.run import serve_rebuild


@pytest.mark.parametrize("in_background", [False, True])
def test_serve_rebuild_is_timed_and_leaves_no_copy_of_the_site(
    minihub: HubDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_background: bool
) -> None:
    """Also when the benchmark runs in the background (`&`), which ignores SIGINT."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))  # where `mkdocs serve` makes its site
    article = sorted((minihub.root / "content" / "articles").rglob("*.md"))[1]
    before = article.read_text("utf-8")
    before_handler = signal.signal(
        signal.SIGINT, signal.SIG_IGN if in_background else signal.default_int_handler
    )
    try:
        seconds = serve_rebuild(minihub.root, tmp_path, timeout=120, repeat=1)
    finally:
        signal.signal(signal.SIGINT, before_handler)
    assert seconds > 0
    assert article.read_text("utf-8") == before  # the edit undone
    assert "Reloading browsers" in (tmp_path / "hubgen-serve.log").read_text("utf-8")
    assert not [p.name for p in temporary.iterdir() if p.name.startswith("mkdocs_")]
