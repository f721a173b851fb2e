"""The search documents kept between builds: one SQLite file, not a file per page.

A rebuild indexes again only the search parts whose pages changed, and such a part needs the
documents of its unchanged pages too, which no page loop wrote this time. They were kept as one
file per page; at 3,000 articles that was 3,100 files made on a cold build, each a new inode and,
on a file system that avoids reusing recently freed ones, a slow one. Here they are rows of one
file, written a part at a time.

A row: the page's path in the site, the digest of its document ("" for a page left out of the
index, remembered so that a kept page is not taken for a missing one) and the document.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import closing
from pathlib import Path

from hubgen.cache import sqlitefile

FORMAT = 1
"""Bumped when the table changes: a store of another format is emptied, not misread."""

TABLE = (
    "CREATE TABLE documents (dest TEXT PRIMARY KEY, digest TEXT NOT NULL, document TEXT NOT NULL)"
)


class StoreDamaged(Exception):
    """The store cannot be read: the caller starts afresh (delete it, index every part)."""


class SearchStore:
    """Documents by page path, in ``path`` (created when missing).

    One connection, used by one thread at a time: the build's thread opens and closes the
    store and writes each part's documents before handing the part over; the indexing thread
    reads them from a store of its own on the same file."""

    def __init__(self, path: Path) -> None:
        self._db = sqlitefile.connect(path, TABLE, FORMAT)

    def digests(self) -> dict[str, str]:
        """Every page's digest, by path ("" for pages left out of the index)."""
        try:
            with closing(self._db.execute("SELECT dest, digest FROM documents")) as rows:
                return dict(rows)
        except sqlite3.Error as error:
            raise StoreDamaged(str(error)) from None

    def documents(self, dests: Iterable[str]) -> dict[str, str]:
        """The documents kept for ``dests`` (a path without one is left out)."""
        found: dict[str, str] = {}
        query = "SELECT dest, document FROM documents WHERE dest = ? AND digest != ''"
        try:
            for dest in dests:
                row = self._db.execute(query, (dest,)).fetchone()
                if row is not None:
                    found[row[0]] = row[1]
        except sqlite3.Error as error:
            raise StoreDamaged(str(error)) from None
        return found

    def put(self, documents: Mapping[str, tuple[str, str]]) -> None:
        """Keep ``documents``: page path → (digest, document)."""
        rows = ((dest, digest, document) for dest, (digest, document) in documents.items())
        self._write("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", rows)

    def keep_only(self, digests: Mapping[str, str | None]) -> None:
        """Forget every page not in ``digests``; note those without one as left out."""
        try:
            kept = self.digests()
        except StoreDamaged:
            kept = {}
        gone = [(dest,) for dest in kept if dest not in digests]
        self._write("DELETE FROM documents WHERE dest = ?", gone)
        # Only those not noted yet: a rebuild at 3,000 articles left 2,200 pages out again.
        left_out = [
            (dest, "", "")
            for dest, digest in digests.items()
            if not digest and kept.get(dest) != ""
        ]
        self._write("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", left_out)

    def _write(self, statement: str, rows: Iterable[tuple[str, ...]]) -> None:
        try:
            sqlitefile.write_all(self._db, statement, rows)
        except sqlite3.Error as error:
            raise StoreDamaged(str(error)) from None

    def close(self) -> None:
        self._db.close()
