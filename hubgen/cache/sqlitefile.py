"""One SQLite file of the cache folder, opened the one way the cache's stores need.

A store keeps many small entries (article bodies, search documents) as rows of one file rather
than a file each: a cold build of 3,000 articles made thousands of files for them, each a new
inode. What every store of the cache needs from SQLite is here: writes that are atomic without
waiting for the disk, a table of the store's own format (a file of another is emptied, not
misread), and a damaged file replaced by an empty one (it is a cache: what it held is made again).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path

BUSY_SECONDS = 60.0
"""How long a write waits for another connection's (another process's, another thread's)."""


def connect(path: Path, table: str, version: int) -> sqlite3.Connection:
    """A connection to the store in ``path`` (made if missing, emptied if of another
    ``version``, replaced if damaged) whose table ``table`` is a ``CREATE TABLE`` statement."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _open(path, table, version)
    except sqlite3.Error:
        remove(path)
        return _open(path, table, version)


def remove(path: Path) -> None:
    """Delete the store in ``path`` with its write-ahead log."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()


def _open(path: Path, table: str, version: int) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    try:
        # Each write is atomic (a build stopped halfway leaves whole rows) and none waits for
        # the disk: a crash of the machine may at worst take back the last ones.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        # Entries are read about once a build: SQLite's own cache (2 MB by default, for each
        # connection) would only add to the build's peak memory.
        db.execute("PRAGMA cache_size=-256")
        db.execute("BEGIN IMMEDIATE")  # two processes opening a new file: one makes the table
        if db.execute("PRAGMA user_version").fetchone()[0] != version:
            name = table.split("(", 1)[0].split()[-1]
            db.execute(f"DROP TABLE IF EXISTS {name}")
            db.execute(f"PRAGMA user_version={version}")
        db.execute(table.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", 1))
        db.execute("COMMIT")
    except sqlite3.Error:
        db.close()
        raise
    return db


def write_all(db: sqlite3.Connection, statement: str, rows: Iterable[tuple[str, ...]]) -> None:
    """``statement`` for each of ``rows`` in one transaction."""
    db.execute("BEGIN")
    try:
        db.executemany(statement, rows)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
