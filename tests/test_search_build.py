"""The site search's build: a Pagefind bundle in the site, fed by the pages written, kept when
nothing changed, and holding only published, indexable pages."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from hubkit import REPO, HubDir, Site, build_hub, written_as
from mkdocs.config import load_config

import hubgen.authoring
from hubgen.cli import main

TEMPLATES = Path(hubgen.authoring.__file__).parent / "scaffold_templates"

CACHE_STORE = ".hubgen-cache/search-build/documents.sqlite"


def demo_copy(root: Path) -> HubDir:
    root.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "partners", root / "partners")
    return HubDir(root)


def build(hub: HubDir, site: Path) -> Site:
    """``hubgen build`` at today's date (the demo's later articles are scheduled, not published)."""
    assert main(["build", "-q", "-f", str(hub.root / "mkdocs.yml"), "-d", str(site)]) == 0
    return Site(site)


def documents(hub: HubDir) -> dict[str, str]:
    """The documents given to Pagefind and kept in the cache's store, by page path."""
    with closing(sqlite3.connect(hub.root / CACHE_STORE)) as db:
        return dict(db.execute("SELECT dest, document FROM documents WHERE digest != ''"))


def staged(hub: HubDir) -> set[str]:
    """The pages given to Pagefind, by their folder (``articles/cash-flow-forecast``)."""
    paths = documents(hub)
    return {str(Path(path).parent) for path in paths if Path(path).name == "index.html"}


def entry(site: Site) -> dict[str, object]:
    data: dict[str, object] = json.loads((site.root / "pagefind/pagefind-entry.json").read_text())
    return data


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[HubDir, Site]:
    hub = demo_copy(tmp_path_factory.mktemp("search-demo") / "hub")
    return hub, build(hub, hub.root.parent / "site")


def test_the_demo_ships_a_pagefind_bundle_and_no_material_index(demo: tuple[HubDir, Site]) -> None:
    hub, site = demo
    assert (site.root / "pagefind/pagefind.js").is_file()
    assert list((site.root / "pagefind").glob("wasm.*.pagefind"))
    assert not (site.root / "search/search_index.json").exists()
    # Only the JavaScript API is used: Pagefind's ready-made interfaces are not shipped.
    assert not list((site.root / "pagefind").glob("pagefind-*ui*"))
    languages = entry(site)["languages"]
    assert isinstance(languages, dict) and list(languages) == ["en"]
    assert languages["en"]["page_count"] == len(staged(hub))


def test_only_published_indexable_pages_are_indexed(demo: tuple[HubDir, Site]) -> None:
    hub, site = demo
    pages = staged(hub)
    loaded, _ = hub.load()
    published = {
        p.parent.relative_to(site.root).as_posix()
        for p in (site.root / "articles").glob("*/index.html")
    }
    articles = {f"articles/{a.slug}" for a in loaded.articles}
    assert pages & articles == published & articles  # every published article, nothing unpublished
    assert articles - published, "the demo has scheduled articles, which must stay out"
    active = {f"partners/{s}" for s, p in loaded.partners.items() if p.is_active}
    assert active <= pages
    assert {"about", "privacy", "write-for-the-network"} <= pages
    others = pages - articles - active - {"about", "privacy", "write-for-the-network"}
    assert others == set()
    for left_out in (
        "partners/ledgerline/share",
        "referral-guide",
        "thanks",
        "contact",
        "topics",
        "admin",
        "articles",
        "",
    ):
        assert left_out not in pages


def test_header_search_box_and_policy(demo: tuple[HubDir, Site]) -> None:
    _, site = demo
    page = site.page("articles/cash-flow-forecast/")
    box = page.select_one("[data-hg-search]")
    assert box is not None
    assert box["data-pagefind"] == "../../pagefind/pagefind.js"
    assert box.find("input", class_="md-search__input") is not None
    # Material's search component is not there to start (it would fetch search_index.json).
    assert page.select('[data-md-component="search"]') == []
    assert page.select_one('script[src$="assets/hubgen/search.js"]') is not None
    csp = page.select_one('meta[http-equiv="Content-Security-Policy"]')
    assert csp is not None and "'wasm-unsafe-eval'" in str(csp["content"])
    assert "'unsafe-eval'" not in str(csp["content"])


def test_a_rebuild_with_nothing_changed_does_not_run_pagefind(tmp_path: Path) -> None:
    hub = demo_copy(tmp_path / "hub")
    site = build(hub, tmp_path / "site")
    bundle = site.root / "pagefind/pagefind-entry.json"
    first = written_as(bundle)
    site = build(hub, tmp_path / "site")
    assert written_as(bundle) == first  # the same file, linked again from the cache
    assert (site.root / "pagefind/pagefind.js").is_file()
    # One article edited: its document is stored again and Pagefind runs.
    hub.edit(
        "content/articles/2025-01-20-cash-flow-forecast.md",
        "\n## ",
        "\nA zanzibarquokka paragraph.\n\n## ",
    )
    site = build(hub, tmp_path / "site")
    assert written_as(bundle) != first
    assert "zanzibarquokka" in documents(hub)["articles/cash-flow-forecast/index.html"]
    assert entry(site)["languages"]["en"]["page_count"] == len(staged(hub))  # type: ignore[index]


def test_a_hub_listing_materials_search_gets_it_switched_off(
    minihub: HubDir, tmp_path: Path
) -> None:
    minihub.edit("mkdocs.yml", "      search: false\n", "")
    # `mkdocs build --strict`: a hub still listing the plugin keeps building in strict mode.
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        command, cwd=minihub.root, capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode == 0, result.stderr
    site = Site(tmp_path / "site")
    said = result.stdout + result.stderr
    assert "Material's search plugin is switched off" in said
    assert "remove '- search' from plugins in mkdocs.yml" in said
    assert not (site.root / "search/search_index.json").exists()
    assert (site.root / "pagefind/pagefind.js").is_file()
    assert site.page("articles/cash/").select_one("[data-hg-search]") is not None


def test_materials_search_is_off_before_it_reads_its_config(minihub: HubDir) -> None:
    """Switched off ahead of Material's own ``on_config``, which then returns at once instead
    of building its theme's templates to translate its defaults (search language, separator)."""
    minihub.edit("mkdocs.yml", "      search: false\n", "")
    config = load_config(str(minihub.root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    config.plugins.on_config(config)
    material = config.plugins["material/search"]
    assert material.config["enabled"] is False
    assert not material.config["lang"]  # its translated default, never computed
    assert material.config["separator"] is None


def test_search_false_keeps_materials_search(minihub: HubDir, tmp_path: Path) -> None:
    site = build_hub(minihub.root, tmp_path / "site")  # the fixture says `search: false`
    assert (site.root / "search/search_index.json").is_file()
    assert not (site.root / "pagefind").exists()
    page = site.page("articles/cash/")
    assert page.select_one("[data-hg-search]") is None
    assert page.select_one('[data-md-component="search"]') is not None
    csp = page.select_one('meta[http-equiv="Content-Security-Policy"]')
    assert csp is not None and "wasm" not in str(csp["content"])


def test_new_hubs_use_hubgens_search() -> None:
    config = (TEMPLATES / "mkdocs.yml").read_text("utf-8")
    assert "\n  - search\n" not in config
    assert "search.suggest" not in config
    demo = (REPO / "mkdocs.yml").read_text("utf-8")
    assert "\n  - search\n" not in demo


def test_an_indexer_error_fails_the_build_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: disk quota exceeded' >&2\nexit 3\n", "utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))  # where pagefind[bin] is looked up
    hub = demo_copy(tmp_path / "hub")
    assert (
        main(["build", "-q", "-f", str(hub.root / "mkdocs.yml"), "-d", str(tmp_path / "site")]) == 1
    )
    said = capsys.readouterr().err
    assert "Pagefind could not index" in said
    assert "exit status 3: Error: disk quota exceeded" in said
    assert "search: false" in said  # how to build without it
