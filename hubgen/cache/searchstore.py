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

FORMAT = 1
"""Bumped when the table changes: a store of another format is emptied, not misread."""

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS documents "
    "(dest TEXT PRIMARY KEY, digest TEXT NOT NULL, document TEXT NOT NULL)"
)


class StoreDamaged(Exception):
    """The store cannot be read: the caller starts afresh (delete it, index every part)."""


class SearchStore:
    """Documents by page path, in ``path`` (created when missing).

    One connection, used by one thread at a time: the build's thread opens and closes the
    store, the indexing thread writes and reads it in between (the build hands over by waiting
    for that thread)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._connect(path)
        except sqlite3.Error:
            path.unlink(missing_ok=True)  # damaged: a cache, made again
            self._db = self._connect(path)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            # Each write is atomic (a build stopped halfway leaves whole rows), and none waits
            # for the disk: a cache, which a crash of the machine may at worst take back.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            # Rows are written once and read once a build: SQLite's own cache (2 MB by default,
            # for each connection) would only add to the build's peak memory.
            db.execute("PRAGMA cache_size=-256")
            if db.execute("PRAGMA user_version").fetchone()[0] != FORMAT:
                db.execute("DROP TABLE IF EXISTS documents")
                db.execute(f"PRAGMA user_version={FORMAT}")
            db.execute(_SCHEMA)
        except sqlite3.Error:
            db.close()
            raise
        return db

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
        if not documents:
            return
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
        left_out = [(dest, "", "") for dest, digest in digests.items() if not digest]
        self._write("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", left_out)

    def _write(self, statement: str, rows: Iterable[tuple[str, ...]]) -> None:
        try:
            self._db.execute("BEGIN")
            self._db.executemany(statement, rows)
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise StoreDamaged(str(error)) from None

    def close(self) -> None:
        self._db.close()
