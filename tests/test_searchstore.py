"""The search documents kept between builds: one SQLite file, read back as written, pages gone
forgotten, and a damaged or older store started afresh rather than misread."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from hubgen.cache.searchstore import FORMAT, SearchStore


def test_documents_are_read_back_by_another_connection(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "documents.sqlite"
    writer = SearchStore(path)
    writer.put({"a/index.html": ("d1", "<p>alpha</p>"), "b/index.html": ("d2", "<p>ß ✓</p>")})
    reader = SearchStore(path)  # the indexing thread's own connection
    try:
        assert reader.documents(["b/index.html", "a/index.html", "gone/index.html"]) == {
            "a/index.html": "<p>alpha</p>",
            "b/index.html": "<p>ß ✓</p>",
        }
        writer.put({"a/index.html": ("d3", "<p>again</p>")})
        assert reader.documents(["a/index.html"]) == {"a/index.html": "<p>again</p>"}
        assert writer.digests() == {"a/index.html": "d3", "b/index.html": "d2"}
    finally:
        reader.close()
        writer.close()


def test_keep_only_forgets_pages_gone_and_remembers_pages_left_out(tmp_path: Path) -> None:
    store = SearchStore(tmp_path / "documents.sqlite")
    store.put({"a/index.html": ("d1", "A"), "b/index.html": ("d2", "B")})
    store.keep_only({"a/index.html": "d1", "share/index.html": None})
    assert store.digests() == {"a/index.html": "d1", "share/index.html": ""}
    # A page left out has no document to index.
    assert store.documents(["share/index.html", "b/index.html"]) == {}
    store.close()
    again = SearchStore(tmp_path / "documents.sqlite")  # kept between builds
    assert again.digests() == {"a/index.html": "d1", "share/index.html": ""}
    again.keep_only({"a/index.html": None, "share/index.html": None})  # a page now left out
    assert again.digests() == {"a/index.html": "", "share/index.html": ""}
    assert again.documents(["a/index.html"]) == {}
    again.close()


def test_a_damaged_store_is_started_afresh(tmp_path: Path) -> None:
    path = tmp_path / "documents.sqlite"
    path.write_bytes(b"not a database, " * 512)
    store = SearchStore(path)
    assert store.digests() == {}
    store.put({"a/index.html": ("d1", "A")})
    assert store.documents(["a/index.html"]) == {"a/index.html": "A"}
    store.close()


def test_a_store_of_another_format_is_emptied_not_misread(tmp_path: Path) -> None:
    path = tmp_path / "documents.sqlite"
    store = SearchStore(path)
    store.put({"a/index.html": ("d1", "A")})
    store.close()
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA user_version={FORMAT + 1}")
    reopened = SearchStore(path)
    assert reopened.digests() == {}
    reopened.close()
