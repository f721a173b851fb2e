"""The render cache: a rebuild converts only changed articles, and never serves stale HTML.

Since the page cache keeps whole pages, a rebuild renders only the pages whose inputs changed;
these tests count the Markdown conversions of the pages that are rendered again (misses), and
check that the ones that reuse a kept body (hits) still show what changed around it.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hubkit import HubDir, Site, build_in_place

from hubgen.cache import rendercache
from hubgen.cache.rendercache import RenderCache, Rendered


def build_hub(hub: HubDir, out: Path) -> tuple[int, int]:
    """Build with MkDocs' own API; return the render cache's (hits, misses)."""
    return build_in_place(hub.root, out).cache.render_cache_counts


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


PUBLISHED = 4  # articles the fixture hub publishes


def test_warm_build_reuses_every_article_and_writes_the_same_site(
    minihub: HubDir, tmp_path: Path
) -> None:
    assert build_hub(minihub, tmp_path / "cold") == (0, PUBLISHED)
    assert build_hub(minihub, tmp_path / "warm") == (0, 0)  # every article page was kept
    cold, warm = tree(tmp_path / "cold"), tree(tmp_path / "warm")
    changed = [
        name for name in cold if cold[name] != warm.get(name) and not name.startswith("sitemap")
    ]
    assert changed == [] and sorted(cold) == sorted(warm)


def test_an_edited_article_is_rendered_again(minihub: HubDir, tmp_path: Path) -> None:
    build_hub(minihub, tmp_path / "a")
    minihub.edit("content/articles/2025-07-01-cash.md", "Plan ahead.", "Plan ahead, **twice**.")
    assert build_hub(minihub, tmp_path / "b")[1] == 1
    body = Site(tmp_path / "b").page("articles/cash/").select_one(".hg-body")
    assert body is not None and "<strong>twice</strong>" in str(body)


def test_a_partner_rename_shows_up_without_rendering_articles_again(
    minihub: HubDir, tmp_path: Path
) -> None:
    build_hub(minihub, tmp_path / "a")
    minihub.edit("partners/acme.yml", "name: Acme Accounting", "name: Acme & Co Accountants")
    hits, misses = build_hub(minihub, tmp_path / "b")
    assert hits > 0 and misses == 0  # pages with acme's byline, around unchanged bodies
    byline = (
        Site(tmp_path / "b").page("articles/cash/").select_one(".hg-article__header .hg-byline")
    )
    assert byline is not None and byline.get_text(" ", strip=True) == "Acme & Co Accountants"


def test_a_markdown_configuration_change_renders_everything_again(
    minihub: HubDir, tmp_path: Path
) -> None:
    build_hub(minihub, tmp_path / "a")
    minihub.write(
        "mkdocs.yml",
        minihub.read("mkdocs.yml") + "markdown_extensions:\n  - toc:\n      permalink: true\n",
    )
    assert build_hub(minihub, tmp_path / "b") == (0, PUBLISHED)
    assert Site(tmp_path / "b").page("articles/tax-basics/").select_one(".hg-body a.headerlink")


def test_a_moved_link_target_renders_the_linking_article_again(
    minihub: HubDir, tmp_path: Path
) -> None:
    build_hub(minihub, tmp_path / "a")
    # tax-basics links to hiring-right; give hiring-right a new URL.
    minihub.edit(
        "content/articles/2025-03-01-hiring-right.md",
        "category: People",
        "category: People\nslug: hiring",
    )
    # Converted again: hiring-right itself (new URL) and tax-basics (its link moved).
    assert build_hub(minihub, tmp_path / "b")[1] == 2
    link = (
        Site(tmp_path / "b").page("articles/tax-basics/").select_one('.hg-body a[href*="hiring"]')
    )
    assert link is not None and link["href"] == "../hiring/"


def test_the_table_of_contents_survives_the_cache(minihub: HubDir, tmp_path: Path) -> None:
    build_hub(minihub, tmp_path / "a")
    build_hub(minihub, tmp_path / "b")
    toc = Site(tmp_path / "b").page("articles/tax-basics/").select(".md-nav--secondary a")
    assert [a.get_text(strip=True) for a in toc] == ["Start here"]


def test_bodies_of_kept_pages_stay_in_the_cache(minihub: HubDir, tmp_path: Path) -> None:
    build_hub(minihub, tmp_path / "a")
    assert build_hub(minihub, tmp_path / "b") == (0, 0)  # kept: no body was asked for
    minihub.edit("partners/acme.yml", "name: Acme Accounting", "name: Acme & Co Accountants")
    hits, misses = build_hub(minihub, tmp_path / "c")
    assert hits > 0 and misses == 0


def entry(text: str) -> Rendered:
    return Rendered(
        f"<p>{text}</p>", [{"level": 2, "id": "a", "name": text, "children": []}], ["a"]
    )


@pytest.mark.before_threads  # forks, as body workers are forked: never a threaded process
def test_entries_written_by_forked_workers_are_read_by_the_build(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path / "bodies.sqlite", "salt")
    cache.put("k0", entry("parent's"))
    cache.close()  # as before forking: no connection is carried across
    children = []
    for number in range(1, 4):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - a child, as a body worker
            code = 1
            try:
                for item in range(20):
                    cache.put(f"k{number}-{item}", entry(f"{number}/{item} ✓"))
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
    assert all(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0 for pid in children)
    assert cache.get("k3-19") == entry("3/19 ✓")
    assert cache.holds("k1-0") and cache.holds("k0") and not cache.holds("k9")
    cache.prune({"k0", "k2-5"})
    assert [cache.holds(k) for k in ("k0", "k2-5", "k1-0")] == [True, True, False]
    assert (cache.hits, cache.misses) == (1, 0)
    cache.close()


def test_a_damaged_or_older_file_is_started_afresh(tmp_path: Path) -> None:
    path = tmp_path / "bodies.sqlite"
    path.write_bytes(b"not a database, " * 512)
    cache = RenderCache(path, "salt")
    assert cache.get("k") is None and cache.misses == 1
    cache.put("k", entry("new"))
    assert cache.read("k") == entry("new")
    cache.close()
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA user_version={rendercache.FORMAT + 1}")
    again = RenderCache(path, "salt")
    assert again.read("k") is None  # another format: emptied, not misread
    again.close()


def test_the_file_per_entry_folder_of_earlier_builds_is_deleted(
    minihub: HubDir, tmp_path: Path
) -> None:
    old = minihub.root / ".hubgen-cache" / "articles" / "ab"
    old.mkdir(parents=True)
    (old / "abcd.json").write_text("{}", "utf-8")
    build_hub(minihub, tmp_path / "site")
    assert not old.parent.exists()
    assert (minihub.root / ".hubgen-cache" / "bodies.sqlite").is_file()
