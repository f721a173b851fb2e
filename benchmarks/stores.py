"""The receiver benchmarks' stores: SQLite in a temporary folder, then, when a server is given, a
throwaway PostgreSQL database created for the run and dropped after it."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

Run = Callable[[str], tuple[float, int]]
"""A benchmark on one store's URL: (items per second, items the store holds)."""


def on_each_store(run: Run, postgres: str, result: Callable[[float, int], str]) -> None:
    """Run on SQLite and on PostgreSQL (if ``postgres`` is set), printing ``result`` for each."""
    tmp = Path(tempfile.mkdtemp(prefix="hubgen-bench-"))
    try:
        url = f"sqlite:///{tmp / 'leads.sqlite3'}"
        print(f"SQLite (WAL, synchronous=FULL): {result(*run(url))}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not postgres:
        print("PostgreSQL: skipped (pass --postgres URL or set HUBGEN_TEST_POSTGRES_URL)")
        return

    import psycopg

    name = f"hubgen_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        settings = [conn.execute(f"SHOW {s}").fetchone() for s in ("synchronous_commit", "fsync")]
    durability = ", ".join(
        f"{key}={row[0] if row else '?'}"
        for key, row in zip(("synchronous_commit", "fsync"), settings, strict=True)
    )
    try:
        url = urlunsplit(urlsplit(postgres)._replace(path=f"/{name}"))
        print(f"PostgreSQL ({durability}): {result(*run(url))}")
    finally:
        with psycopg.connect(postgres, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
