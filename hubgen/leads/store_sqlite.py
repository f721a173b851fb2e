"""SQLite store: the default, one file next to the receiver.

WAL lets readers (export, /leads) run beside the writer; ``synchronous=FULL`` makes every commit
survive power loss, not just a crash of the process; the busy timeout lets the CLI and the
receiver share the file without "database is locked" errors.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hubgen.leads.store import Dialect, SqlStore, StoreError

BUSY_TIMEOUT_MS = 10_000


class SqliteStore(SqlStore):
    dialect = Dialect(name="sqlite", timestamp="TEXT", boolean="INTEGER", skip_locked="")

    def __init__(self, path: str) -> None:
        self.path = path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            # One store object is used by one thread at a time (the committer, the worker or the
            # CLI); the lock makes that a guarantee rather than a convention.
            self._conn = sqlite3.connect(
                path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
            self._lock = threading.Lock()
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            with self._transaction() as tx:
                self._create_schema(tx)
        except sqlite3.Error as error:
            raise StoreError(f"cannot open SQLite database {path}: {error}") from None

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._lock:
            # IMMEDIATE takes the write lock up front, so two writers queue on the busy timeout
            # instead of one failing with SQLITE_BUSY when it upgrades a read lock.
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _ts(self, value: datetime | None) -> Any:
        # Fixed-width UTC text sorts in time order, so comparisons in SQL stay correct.
        return value.astimezone(UTC).isoformat(timespec="microseconds") if value else None

    def _from_ts(self, value: Any) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    def close(self) -> None:
        self._conn.close()
