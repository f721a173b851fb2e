"""Search parts indexed during the page loop, as each part's last page is written; with the real
Pagefind binary."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from hubkit import build_in_place, demo_copy
from mkdocs.structure.files import File

from hubgen.mkdocs_adapter import searchindex
from hubgen.mkdocs_adapter.searchindex import SearchIndex
from hubgen.site.searchrecords import page_record

STREAMED = "indexed while the pages render"


def pages(*names: str) -> list[File]:
    return [File(f"{name}.md", "docs", "site", use_directory_urls=True) for name in names]


def written(index: SearchIndex, file: File, text: str) -> None:
    page = SimpleNamespace(file=file)
    index.written(page, page_record(file.url, text, f"<p>{text}</p>"))  # type: ignore[arg-type]


def indexed_urls(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    return int(entry["languages"]["en"]["page_count"])


def test_a_part_is_indexed_once_its_last_page_is_written(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index = SearchIndex()
    index.open(tmp_path / "cache", language="en", pages_per_part=1)  # a part per page
    files = pages("a", "b", "c")
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.hubgen"):
        index.plan(files, lambda _file: True)
        written(index, files[0], "alpha")
        written(index, files[1], "beta")
        streamed = caplog.text.count(STREAMED)
        written(index, files[2], "gamma")
        index.complete(files)
        index.finish(tmp_path / "site")
    index.close()
    assert streamed == 2  # before the loop ended; the last part was written at its very end
    assert caplog.text.count(STREAMED) == 3
    assert indexed_urls(tmp_path / "site" / "pagefind") == 3


def test_a_page_written_after_its_part_was_indexed_is_indexed_again(tmp_path: Path) -> None:
    index = SearchIndex()
    index.open(tmp_path / "cache", language="en", pages_per_part=1)
    files = pages("a", "b")
    index.plan(files, lambda file: file is files[0])  # "b" is not expected in the page loop
    written(index, files[0], "alpha")
    written(index, files[1], "beta")  # it is rendered after all: its part must be indexed
    index.complete(files)
    index.finish(tmp_path / "site")
    index.close()
    assert indexed_urls(tmp_path / "site" / "pagefind") == 2


def test_a_failed_build_stops_the_indexing_thread(tmp_path: Path) -> None:
    threads = threading.active_count()
    index = SearchIndex()
    index.open(tmp_path / "cache", language="en", pages_per_part=1)
    files = pages("a", "b")
    index.plan(files, lambda _file: True)
    assert threading.active_count() == threads + 1
    written(index, files[0], "alpha")
    index.close()  # what on_build_error does, before the loop ended
    assert not index.enabled
    assert threading.active_count() == threads  # nothing left running, nothing waited for


def test_the_demo_indexes_most_parts_during_the_page_loop(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    hub = demo_copy(tmp_path / "hub", search_pages_per_part=4)
    with caplog.at_level(logging.DEBUG, logger="mkdocs"):
        build_in_place(hub, tmp_path / "site")
    parts = [p for p in (hub / ".hubgen-cache/search-build/bundles").iterdir() if p.name.isdigit()]
    assert caplog.text.count(STREAMED) >= len(parts) // 2 > 2


def test_a_backlog_of_parts_is_shared_by_a_second_pagefind_with_the_same_index(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"page-{n}" for n in range(6)]

    def build(cache: Path, site: Path) -> None:
        index = SearchIndex()
        index.open(cache, language="en", pages_per_part=1)
        files = pages(*names)
        index.plan(files, lambda _file: False)  # no part streamed: all six left at the end
        for file, name in zip(files, names, strict=True):
            written(index, file, f"{name} words for {name}")
        index.complete(files)
        index.finish(site)
        index.close()

    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.hubgen"):
        build(tmp_path / "two", tmp_path / "site-two")
    assert "parts left to index: a second Pagefind helps" in caplog.text
    monkeypatch.setattr(searchindex, "HELPER_BACKLOG", len(names) + 1)  # one Pagefind
    build(tmp_path / "one", tmp_path / "site-one")

    def tree(site: Path) -> dict[str, bytes]:
        root = site / "pagefind"
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert indexed_urls(tmp_path / "site-two" / "pagefind") == len(names)
    assert tree(tmp_path / "site-two") == tree(tmp_path / "site-one")
