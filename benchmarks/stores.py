"""The receiver benchmarks' stores: SQLite in a temporary folder, then, when a server is given, a
throwaway PostgreSQL database created for the run and dropped after it.

    for opened in each_store(args.postgres):
        with opened as store:
            ...  # store.url, store.work (a scratch folder deleted with the store)
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SKIPPED = "PostgreSQL: skipped (pass --postgres URL or set HUBGEN_TEST_POSTGRES_URL)"


@dataclass(frozen=True)
class Store:
    name: str
    """``SQLite`` or ``PostgreSQL``."""
    durability: str
    """The settings that make a commit durable, as the store reports them."""
    url: str
    work: Path
    """A scratch folder of the run's own, deleted with the store."""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.durability})"


def each_store(postgres: str) -> Iterator[AbstractContextManager[Store]]:
    """SQLite, then PostgreSQL on the server ``postgres`` names (if any): each to be opened with
    ``with``, which creates the store and deletes it afterwards."""
    yield _sqlite()
    if postgres:
        yield _postgres(postgres)


@contextmanager
def _scratch() -> Iterator[Path]:
    work = Path(tempfile.mkdtemp(prefix="hubgen-bench-"))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def _sqlite() -> Iterator[Store]:
    with _scratch() as work:
        yield Store("SQLite", "WAL, synchronous=FULL", f"sqlite:///{work / 'leads.sqlite3'}", work)


@contextmanager
def _postgres(server: str) -> Iterator[Store]:
    import psycopg

    name = f"hubgen_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        settings = [conn.execute(f"SHOW {s}").fetchone() for s in ("synchronous_commit", "fsync")]
    durability = ", ".join(
        f"{key}={row[0] if row else '?'}"
        for key, row in zip(("synchronous_commit", "fsync"), settings, strict=True)
    )
    url = urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    try:
        with _scratch() as work:
            yield Store("PostgreSQL", durability, url, work)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
