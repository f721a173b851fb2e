"""PostgreSQL store (psycopg 3), for a receiver that shares a managed database or runs twice.

Deliveries are claimed with ``FOR UPDATE SKIP LOCKED`` so several workers never lease the same
row; the schema is created under an advisory lock so two receivers starting together agree.
"""

from __future__ import annotations

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
        try:
            import psycopg
        except ImportError:
            raise StoreError("PostgreSQL needs psycopg: pip install 'hubgen[postgres]'") from None
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as error:
            raise StoreError(f"cannot connect to PostgreSQL: {error}".strip()) from None
        with self._transaction() as tx:
            tx.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            self._create_schema(tx)

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._conn.transaction(), self._conn.cursor() as cursor:
            yield cursor

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def close(self) -> None:
        self._conn.close()
