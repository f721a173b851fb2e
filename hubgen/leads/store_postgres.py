"""PostgreSQL store (psycopg 3), for a receiver that shares a managed database or runs twice.

Deliveries are claimed with ``FOR UPDATE SKIP LOCKED`` so several workers never lease the same
row; the schema is created under an advisory lock so two receivers starting together agree.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hubgen.leads.store import Dialect, SqlStore, StoreError

_SCHEMA_LOCK = 0x6875_6267  # "hubg": any constant shared by every hubgen receiver


class PostgresStore(SqlStore):
    dialect = Dialect(
        name="postgresql",
        timestamp="TIMESTAMPTZ",
        boolean="BOOLEAN",
        skip_locked=" FOR UPDATE SKIP LOCKED",
    )

    def __init__(self, url: str) -> None:
        if importlib.util.find_spec("psycopg") is None:
            raise StoreError("PostgreSQL needs psycopg: pip install 'hubgen[postgres]'")
        self._url = url
        self._conn = self._connect()
        with self._transaction() as tx:
            tx.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            self._create_schema(tx)

    def _connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(self._url, autocommit=True, connect_timeout=10)
        except psycopg.Error as error:
            raise StoreError(f"cannot connect to PostgreSQL: {error}".strip()) from None

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        # A server restart or a dropped connection fails the transaction in flight (its post is
        # not acknowledged, so the client retries); the next one reconnects instead of failing
        # until the receiver is restarted.
        if self._conn.closed or self._conn.broken:
            self._conn = self._connect()
        with self._conn.transaction(), self._conn.cursor() as cursor:
            yield cursor

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def close(self) -> None:
        self._conn.close()
