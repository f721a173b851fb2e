"""A content-addressed cache of rendered articles, so a rebuild converts only what changed.

An entry is the article's final HTML (rendered and sanitized), its table of contents and its
anchor ids. Its key hashes everything the HTML can depend on: the Markdown body, the article's
own URL and the URLs of the files its links point to (relative links are rewritten to them), the
Markdown configuration, the content policy and the versions of hubgen, MkDocs and Material.
Partner profiles, templates and other articles do not enter: they shape the page around the
body, which is rendered afresh on every build.

The entries are rows of one SQLite file (``bodies.sqlite``), written by the build and by the
workers converting bodies beside the page loop, each from its own connection: a file per entry
was 3,000 files and 256 folders made by a cold build of 3,000 articles.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hubgen.cache import sqlitefile

FORMAT = 1
"""Bumped when an entry's layout changes: a file of another format is emptied, not misread."""

TABLE = "CREATE TABLE bodies (key TEXT PRIMARY KEY, data TEXT NOT NULL)"


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[dict[str, Any]]
    """Python-Markdown ``toc_tokens``: ``{"level", "id", "name", "children"}``."""
    anchors: list[str]


def fingerprint(*parts: object) -> str:
    """A stable hash of JSON-able parts (``repr`` for anything else)."""
    text = json.dumps(parts, sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RenderCache:
    """Entries in the SQLite file ``path``; each process (the build, a forked worker) opens a
    connection of its own when it first needs one: a connection is never carried across a
    fork (:meth:`close` before forking)."""

    def __init__(self, path: Path, salt: str) -> None:
        self.path = path
        self.salt = salt
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def key(self, body: str, url: str, link_targets: list[tuple[str, str]]) -> str:
        # Length-prefixed parts hashed directly: JSON-encoding every body cost 0.2 s a build
        # at 3,000 articles, and each build needs every article's key.
        parts = [self.salt, url, *(p for target in sorted(link_targets) for p in target), body]
        digest = hashlib.sha256()
        for part in parts:
            data = part.encode("utf-8", "surrogatepass")
            digest.update(b"%d:" % len(data))
            digest.update(data)
        return digest.hexdigest()

    def holds(self, key: str) -> bool:
        """Whether an entry is stored under ``key`` (without reading it)."""
        try:
            row = self._connection().execute("SELECT 1 FROM bodies WHERE key = ?", (key,))
            return row.fetchone() is not None
        except sqlite3.Error:
            return False

    def get(self, key: str) -> Rendered | None:
        entry = self.read(key)
        if entry is None:
            self.misses += 1
            return None  # absent or damaged: render again
        self.hits += 1
        return entry

    def read(self, key: str) -> Rendered | None:
        """The entry under ``key`` without counting it a hit or a miss (a kept page's body, for
        the feeds)."""
        try:
            row = self._connection().execute("SELECT data FROM bodies WHERE key = ?", (key,))
            found = row.fetchone()
            if found is None:
                return None
            data = json.loads(found[0])
            return Rendered(data["html"], data["toc"], data["anchors"])
        except (sqlite3.Error, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, entry: Rendered) -> None:
        data = {"html": entry.html, "toc": entry.toc, "anchors": entry.anchors}
        text = json.dumps(data, ensure_ascii=False)
        self._connection().execute("INSERT OR REPLACE INTO bodies VALUES (?, ?)", (key, text))

    def prune(self, used: set[str]) -> None:
        """Drop entries this build did not use, so the cache does not grow without bound."""
        if not self.path.is_file():
            return
        db = self._connection()
        try:
            stored = [row[0] for row in db.execute("SELECT key FROM bodies")]
            unused = [(key,) for key in stored if key not in used]
            sqlitefile.write_all(db, "DELETE FROM bodies WHERE key = ?", unused)
        except sqlite3.Error:
            self.close()
            sqlitefile.remove(self.path)  # damaged: made again by the next build

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._db = None  # a forked worker leaves its parent's connection alone
        self._db = sqlitefile.connect(self.path, TABLE, FORMAT)
        self._pid = os.getpid()
        return self._db


def forget_folder(folder: Path) -> None:
    """Delete the file-per-entry folder earlier builds kept (``articles/``), if there is one."""
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
