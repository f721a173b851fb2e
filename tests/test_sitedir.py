"""The old site is emptied by another process while the new one is built."""

from __future__ import annotations

import os
import time
from pathlib import Path

from hubkit import HubDir, build_in_place

from hubgen.cache.sitedir import TRASH_PREFIX, set_aside


def test_visible_entries_go_and_hidden_ones_stay(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "articles" / "a").mkdir(parents=True)
    (site / "articles" / "a" / "index.html").write_text("old", "utf-8")
    (site / "feed.xml").write_text("old", "utf-8")
    (site / ".git").mkdir()  # a gh-pages worktree: MkDocs never deletes hidden entries
    (site / ".git" / "HEAD").write_text("ref", "utf-8")
    old = set_aside(site)
    assert old is not None
    assert sorted(os.listdir(site))[0] == ".git" and not (site / "feed.xml").exists()
    old.wait()
    assert os.listdir(site) == [".git"] and (site / ".git" / "HEAD").read_text() == "ref"


def test_leftovers_of_a_killed_build_are_deleted_too(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / f"{TRASH_PREFIX}123-456" / "articles").mkdir(parents=True)
    old = set_aside(site)
    assert old is not None
    old.wait()
    assert os.listdir(site) == []


def test_nothing_to_clear(tmp_path: Path) -> None:
    assert set_aside(tmp_path / "missing") is None
    (tmp_path / "empty").mkdir()
    assert set_aside(tmp_path / "empty") is None


def test_salvage_puts_back_the_very_files_it_expects(tmp_path: Path) -> None:
    site, kept = tmp_path / "site", tmp_path / "kept.html"
    kept.write_text("kept page", "utf-8")
    (site / "articles" / "a").mkdir(parents=True)
    os.link(kept, site / "articles" / "a" / "index.html")  # what the cache holds
    (site / "articles" / "b").mkdir()
    (site / "articles" / "b" / "index.html").write_text("same words, another file", "utf-8")
    (site / "articles" / "a" / "feed.xml").write_text("rendered again", "utf-8")
    (site / "assets").mkdir()
    (site / "assets" / "x.css").write_text("", "utf-8")
    old = set_aside(site)
    assert old is not None
    expected = {
        "articles/a/index.html": kept.stat().st_ino,
        "articles/b/index.html": kept.stat().st_ino,
    }
    assert old.salvage(expected) == {"articles/a/index.html"}
    old.wait()
    left = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    # b's folder stays for the kept copy the build links in; its old, other file is gone.
    assert left == ["articles", "articles/a", "articles/a/index.html", "articles/b"]


def test_a_build_leaves_no_stale_file_and_no_trash(minihub: HubDir, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "old-page").mkdir(parents=True)
    (site / "old-page" / "index.html").write_text("gone after the build", "utf-8")
    (site / ".nojekyll").write_text("", "utf-8")
    build_in_place(minihub.root, site)
    names = os.listdir(site)
    assert "old-page" not in names and ".nojekyll" in names
    assert not [n for n in names if n.startswith(TRASH_PREFIX)]
    assert (site / "articles" / "cash" / "index.html").is_file()


def test_hubgen_build_replaces_the_site_and_the_old_one_goes(
    minihub: HubDir, tmp_path: Path
) -> None:
    from hubgen.cli import main

    site = tmp_path / "site"
    (site / "old-page").mkdir(parents=True)
    (tmp_path / ".site.old-1").mkdir()  # left by a build that was killed
    assert main(["build", "-q", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(site)]) == 0
    assert (
        not (site / "old-page").exists() and (site / "articles" / "cash" / "index.html").is_file()
    )
    deadline = time.monotonic() + 30
    while [p for p in tmp_path.iterdir() if p.name.startswith(".site.old-")]:
        assert time.monotonic() < deadline, "the old sites were never deleted"
        time.sleep(0.05)
