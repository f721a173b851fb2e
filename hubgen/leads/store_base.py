"""The SQL machinery every part of the store shares: errors, the two dialects, running SQL.

SQL is written once with ``?`` placeholders; a backend (store_sqlite.py, store_postgres.py)
provides the connection, transactions and how timestamps travel, and :class:`Dialect` the few
words that differ (column types, row locking).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


class StoreError(Exception):
    """The database cannot be opened or used."""


class StoreUrlError(StoreError):
    """The database URL is not one hubgen understands (a usage error)."""


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


@dataclass(frozen=True)
class Dialect:
    name: str
    timestamp: str
    boolean: str
    skip_locked: str


class SqlBase:
    """Connection hooks for the backends to fill in, and the helpers the store's parts share.

    SQL is written with ``?`` placeholders; :meth:`_sql` adapts it for the driver.
    """

    dialect: Dialect

    def _transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        return sql

    def _ts(self, value: datetime | None) -> Any:
        return value

    def _from_ts(self, value: Any) -> datetime | None:
        return value if isinstance(value, datetime) or value is None else None

    def close(self) -> None:
        raise NotImplementedError

    def _run(self, tx: Any, sql: str, params: Sequence[Any] = ()) -> Cursor:
        cursor: Cursor = tx.execute(self._sql(sql), tuple(params))
        return cursor

    def ping(self) -> None:
        with self._transaction() as tx:
            self._run(tx, "SELECT 1").fetchone()


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
