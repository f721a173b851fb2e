"""The page cache: a rebuild copies unchanged pages and feeds, and its site is the cold build's.

Every test compares a warm build with a cold build of the same hub, file by file: whatever the
cache skips must come out exactly as rendering it would have.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hubkit import REPO, HubDir, Site
from mkdocs.commands.build import build
from mkdocs.config import load_config

from hubgen.cache.pagecache import PageCache
from hubgen.core.models import Article
from hubgen.mkdocs_adapter.plugin import HubgenPlugin
from hubgen.site.pages import PageSpec
from hubgen.site.views import View, Views

CACHE = ".hubgen-cache"


class Built:
    """What one build did with the page cache (the plugin instance lives on between builds)."""

    def __init__(self, plugin: HubgenPlugin) -> None:
        self.on = plugin.cache.keeps_pages
        self.kept = plugin.cache.kept
        self.rendered = plugin.cache.rendered


def build_hub(hub: HubDir, out: Path, command: str = "build") -> Built:
    config = load_config(str(hub.root / "mkdocs.yml"), site_dir=str(out))
    config.plugins.on_startup(command=command, dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
    plugin = config.plugins["hubgen"]
    assert isinstance(plugin, HubgenPlugin)
    return Built(plugin)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def assert_same_as_cold(hub: HubDir, warm: Path, tmp_path: Path, command: str = "build") -> None:
    """Build ``hub`` again with no cache at all and compare every file with ``warm``."""
    aside = tmp_path / "cache-aside"
    shutil.rmtree(aside, ignore_errors=True)
    os.rename(hub.root / CACHE, aside)
    cold = tmp_path / f"cold-{len(list(tmp_path.iterdir()))}"
    try:
        build_hub(hub, cold, command)
    finally:
        shutil.rmtree(hub.root / CACHE, ignore_errors=True)
        os.rename(aside, hub.root / CACHE)
    want, got = tree(cold), tree(warm)
    assert sorted(got) == sorted(want)
    assert [name for name in want if want[name] != got[name]] == []


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    # The sitemap dates generated pages by the build date: both builds of a test share one.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01


def test_a_rebuild_keeps_every_page_outside_the_nav(minihub: HubDir, tmp_path: Path) -> None:
    first = build_hub(minihub, tmp_path / "a")
    assert first.kept == set() and len(first.rendered) > 10
    second = build_hub(minihub, tmp_path / "b")
    assert second.kept == first.rendered
    assert second.rendered == set()
    assert "articles/2025-07-01-cash.md" in second.kept
    assert_same_as_cold(minihub, tmp_path / "b", tmp_path)


def test_a_page_is_signed_with_the_view_it_is_rendered_from(
    minihub: HubDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page's view is computed once per build, whether the cache signs it first or not."""
    computed: list[str] = []
    article_view, page_view = Views.article, Views.page

    def counted_article(views: Views, article: Article) -> View:
        computed.append(article.src_uri)
        return article_view(views, article)

    def counted_page(views: Views, spec: PageSpec) -> View:
        computed.append(spec.src_uri)
        return page_view(views, spec)

    monkeypatch.setattr(Views, "article", counted_article)
    monkeypatch.setattr(Views, "page", counted_page)
    cold = build_hub(minihub, tmp_path / "a")
    assert len(cold.rendered) > 10 and cold.rendered <= set(computed)
    assert sorted(computed) == sorted(set(computed))
    computed.clear()
    warm = build_hub(minihub, tmp_path / "b")
    assert warm.kept == cold.rendered
    assert not warm.kept & set(computed)  # kept pages need no view at all
    assert sorted(computed) == sorted(set(computed))


def test_kept_pages_stay_in_search_sitemap_and_feeds(minihub: HubDir, tmp_path: Path) -> None:
    build_hub(minihub, tmp_path / "a")
    build_hub(minihub, tmp_path / "b")
    site = tmp_path / "b"
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    assert any(d["location"].startswith("articles/cash/") for d in docs)
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://mini.example/articles/cash/</loc>" in sitemap
    assert "<lastmod>2025-07-01</lastmod>" in sitemap
    assert "share/" not in sitemap  # noindex pages stay out, kept or not
    # The site feed carries whole articles (partner feeds carry summaries by default).
    feed = (site / "feed.xml").read_text("utf-8")
    assert "Plan ahead" in feed  # full content of a kept article


def test_an_edited_article_is_rendered_again_and_shows(minihub: HubDir, tmp_path: Path) -> None:
    build_hub(minihub, tmp_path / "a")
    minihub.edit("content/articles/2025-07-01-cash.md", "Plan ahead.", "Plan ahead, **twice**.")
    plugin = build_hub(minihub, tmp_path / "b")
    assert "articles/2025-07-01-cash.md" in plugin.rendered
    assert "partners/brightside/index.md" in plugin.kept  # not an author: untouched
    body = Site(tmp_path / "b").page("articles/cash/").select_one(".hg-body")
    assert body is not None and "<strong>twice</strong>" in str(body)
    feed = (tmp_path / "b" / "feed.xml").read_text("utf-8")
    assert "&lt;strong&gt;twice&lt;/strong&gt;" in feed
    assert_same_as_cold(minihub, tmp_path / "b", tmp_path)


def test_a_kept_article_needs_its_body_in_the_render_cache(minihub: HubDir, tmp_path: Path) -> None:
    """The feeds take a kept article's body from the render cache: without it, it is rendered."""
    build_hub(minihub, tmp_path / "a")
    (minihub.root / CACHE / "bodies.sqlite").unlink()
    plugin = build_hub(minihub, tmp_path / "b")
    assert "articles/2025-07-01-cash.md" in plugin.rendered
    assert "partners/acme/index.md" in plugin.kept
    assert "Plan ahead" in (tmp_path / "b" / "feed.xml").read_text("utf-8")
    assert not (minihub.root / CACHE / "build" / "bodies").exists()  # no second copy
    assert_same_as_cold(minihub, tmp_path / "b", tmp_path)


def test_a_body_edit_renders_its_own_page_and_no_page_listing_it(
    minihub: HubDir, tmp_path: Path
) -> None:
    build_hub(minihub, tmp_path / "a")
    # Neither its summary nor its reading time changes: the lists naming it stay as they are.
    minihub.edit("content/articles/2025-07-01-cash.md", "Plan ahead.", "Plan ahead, early.")
    plugin = build_hub(minihub, tmp_path / "b")
    assert plugin.rendered == {"articles/2025-07-01-cash.md"}
    assert {"partners/acme/index.md", "topics/cash-flow/index.md"} <= plugin.kept
    assert "Plan ahead, early." in (tmp_path / "b" / "feed.xml").read_text("utf-8")
    assert_same_as_cold(minihub, tmp_path / "b", tmp_path)


def test_a_template_reading_bodies_in_lists_renders_them_again(
    minihub: HubDir, tmp_path: Path
) -> None:
    macros = (REPO / "themes/hubgen/partials/hubgen/macros.html").read_text("utf-8")
    shown = "{{ article.reading_minutes }} min read"
    assert shown in macros
    minihub.write(
        "overrides/partials/hubgen/macros.html", macros.replace(shown, "{{ article.words }} words")
    )
    minihub.edit("mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    build_hub(minihub, tmp_path / "a")
    minihub.edit("content/articles/2025-07-01-cash.md", "Plan ahead.", "Plan ahead, early.")
    plugin = build_hub(minihub, tmp_path / "b")
    assert {"articles/2025-07-01-cash.md", "partners/acme/index.md"} <= plugin.rendered
    assert_same_as_cold(minihub, tmp_path / "b", tmp_path)


def test_a_new_title_reaches_every_page_that_lists_the_article(
    minihub: HubDir, tmp_path: Path
) -> None:
    build_hub(minihub, tmp_path / "a")
    minihub.edit("content/articles/2025-07-01-cash.md", "in summer", "in a slow summer")
    plugin = build_hub(minihub, tmp_path / "b")
    assert {"articles/2025-07-01-cash.md", "partners/acme/index.md"} <= plugin.rendered
    assert_same_as_cold(minihub, tmp_path / "b", tmp_path)


def test_a_partner_rename_reaches_their_bylines_everywhere(minihub: HubDir, tmp_path: Path) -> None:
    build_hub(minihub, tmp_path / "a")
    minihub.edit("partners/acme.yml", "name: Acme Accounting", "name: Acme & Co Accountants")
    plugin = build_hub(minihub, tmp_path / "b")
    assert "articles/2025-07-01-cash.md" in plugin.rendered
    byline = (
        Site(tmp_path / "b").page("articles/cash/").select_one(".hg-article__header .hg-byline")
    )
    assert byline is not None and byline.get_text(" ", strip=True) == "Acme & Co Accountants"
    assert_same_as_cold(minihub, tmp_path / "b", tmp_path)


def test_a_configuration_change_renders_every_page_again(minihub: HubDir, tmp_path: Path) -> None:
    build_hub(minihub, tmp_path / "a")
    minihub.edit("mkdocs.yml", "site_name: Mini Hub", "site_name: Mini Hub Network")
    plugin = build_hub(minihub, tmp_path / "b")
    assert plugin.kept == set()
    assert_same_as_cold(minihub, tmp_path / "b", tmp_path)


def test_an_edited_template_override_renders_every_page_again(
    minihub: HubDir, tmp_path: Path
) -> None:
    minihub.write("overrides/partials/copyright.html", "<p>Made by the network</p>\n")
    minihub.edit("mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    build_hub(minihub, tmp_path / "a")
    minihub.write("overrides/partials/copyright.html", "<p>Made together</p>\n")
    plugin = build_hub(minihub, tmp_path / "b")
    assert plugin.kept == set()
    assert "Made together" in (tmp_path / "b" / "articles" / "cash" / "index.html").read_text()
    assert_same_as_cold(minihub, tmp_path / "b", tmp_path)


def test_a_scheduled_article_appears_when_its_day_comes(
    minihub: HubDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_hub(minihub, tmp_path / "a")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4102531200")  # 2100-01-01: 2099-01-01-future is due
    plugin = build_hub(minihub, tmp_path / "b")
    assert "articles/2099-01-01-future.md" in plugin.rendered
    assert "articles/index.md" not in plugin.kept
    assert_same_as_cold(minihub, tmp_path / "b", tmp_path)


def test_a_page_changed_in_the_site_is_rendered_again(minihub: HubDir, tmp_path: Path) -> None:
    build_hub(minihub, tmp_path / "a")
    # The site's file and the kept one may be one file (a hard link): edit it in place.
    page = tmp_path / "a" / "articles" / "cash" / "index.html"
    with page.open("r+b") as stream:
        stream.seek(0, os.SEEK_END)
        stream.write(b"<!-- minified -->")
    plugin = build_hub(minihub, tmp_path / "b")
    assert "articles/2025-07-01-cash.md" in plugin.rendered
    assert b"minified" not in (tmp_path / "b" / "articles" / "cash" / "index.html").read_bytes()
    assert_same_as_cold(minihub, tmp_path / "b", tmp_path)


def test_rebuilds_into_the_same_folder_leave_exactly_a_clean_build(
    minihub: HubDir, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build_hub(minihub, site)
    (site / "stray.txt").write_text("not from any build", "utf-8")
    assert build_hub(minihub, site).kept
    assert_same_as_cold(minihub, site, tmp_path)
    minihub.edit("content/articles/2025-07-01-cash.md", "Plan ahead.", "Plan ahead, **twice**.")
    (minihub.root / "content/articles/2024-05-05-leases.md").unlink()  # a page that goes
    build_hub(minihub, site)
    assert not (site / "articles" / "leases").exists()
    assert_same_as_cold(minihub, site, tmp_path)


def test_a_damaged_index_means_a_full_render_not_a_failure(minihub: HubDir, tmp_path: Path) -> None:
    build_hub(minihub, tmp_path / "a")
    index = minihub.root / CACHE / "build" / "index.json"
    index.write_text("{not json", "utf-8")
    assert PageCache(index.parent).page("articles/2025-07-01-cash.md", "any") is None
    # A new process reads the damaged index (a running one keeps the index it wrote).
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "b")]
    subprocess.run(command, cwd=minihub.root, env=env, check=True, capture_output=True)
    assert json.loads(index.read_text("utf-8"))["pages"]  # written afresh
    assert_same_as_cold(minihub, tmp_path / "b", tmp_path)


def test_serve_keeps_its_own_pages(minihub: HubDir, tmp_path: Path) -> None:
    build_hub(minihub, tmp_path / "a")
    first = build_hub(minihub, tmp_path / "s1", command="serve")
    assert first.kept == set()  # drafts and the local address: nothing of `build` fits
    assert "articles/2025-06-01-draft-idea.md" not in first.kept
    second = build_hub(minihub, tmp_path / "s2", command="serve")
    assert second.kept and second.rendered == set()
    assert_same_as_cold(minihub, tmp_path / "s2", tmp_path, command="serve")
    third = build_hub(minihub, tmp_path / "b")
    assert third.kept  # serving did not throw away what `build` kept


def test_another_plugin_turns_the_page_cache_off(
    minihub: HubDir, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A hook is a plugin hubgen cannot see into: it may change every page, every build.
    minihub.write(
        "hooks.py",
        "def on_page_content(html, page, config, files):\n"
        "    return html + '<p class=\"stamp\">hooked</p>'\n",
    )
    minihub.write("mkdocs.yml", minihub.read("mkdocs.yml") + "hooks:\n  - hooks.py\n")
    build_hub(minihub, tmp_path / "a")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.hubgen"):
        plugin = build_hub(minihub, tmp_path / "b")
    assert not plugin.on
    assert "page cache is off" in caplog.text and "hooks" in caplog.text
    assert "hooked" in (tmp_path / "b" / "articles" / "cash" / "index.html").read_text()


def test_kept_binary_blobs_are_found_by_listing_and_outlive_the_prune(tmp_path: Path) -> None:
    cache = PageCache(tmp_path / "cache")
    keys = ["ab" + "1" * 30, "ab" + "2" * 30, "cd" + "3" * 30, "ef" + "4" * 30]
    for key in keys[:3]:
        cache.keep_binary_blob(key, ".png", key.encode())
    cache.save()
    cache.binary_blob_path(keys[1], ".png").unlink()  # gone from the cache since
    cache.binary_blob_path(keys[3], ".png").mkdir(parents=True)  # not a file: not a blob
    cache = PageCache(tmp_path / "cache")
    kept = cache.kept_binary_blobs(keys, ".png")
    assert kept.keys() == {keys[0], keys[2]}
    for key, entry in kept.items():
        path = cache.binary_blob_path(key, ".png")
        assert entry.path == str(path) and entry.inode() == path.stat().st_ino
    assert Path(kept[keys[2]].path).read_bytes() == keys[2].encode()
    assert cache.kept_binary_blobs(keys, ".txt") == {}  # another kind of blob
    cache.save()  # what was found is used, so kept; nothing else is (the folder is no file)
    assert cache.kept_binary_blobs(keys, ".png").keys() == {keys[0], keys[2]}
