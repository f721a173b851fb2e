"""The store's tables, and how a database of any earlier version is brought up to this one.

A new database runs :data:`SCHEMA` and then every migration; an older one runs the migrations it
has not had. Column types come from the dialect (``{ts}``, ``{bool}``).
"""

from __future__ import annotations

from typing import Any

from hubgen.leads.store_base import SqlBase, StoreError

SCHEMA_VERSION = 2

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS hubgen_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS hubgen_leads (
        id TEXT PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        created_at {ts} NOT NULL,
        updated_at {ts} NOT NULL,
        status TEXT NOT NULL,
        form_id TEXT NOT NULL,
        page TEXT NOT NULL,
        email TEXT NOT NULL,
        fields TEXT NOT NULL,
        first_ref TEXT NOT NULL,
        last_ref TEXT NOT NULL,
        first_partner TEXT,
        last_partner TEXT,
        credited_partner TEXT,
        authors TEXT NOT NULL,
        recipients TEXT NOT NULL,
        utm TEXT NOT NULL,
        landing_page TEXT NOT NULL,
        consent_version TEXT NOT NULL,
        self_referral {bool} NOT NULL,
        delivery_attempts INTEGER NOT NULL DEFAULT 0,
        delivered_at {ts}
    )""",
    "CREATE INDEX IF NOT EXISTS hubgen_leads_created ON hubgen_leads (created_at)",
    "CREATE INDEX IF NOT EXISTS hubgen_leads_email ON hubgen_leads (email)",
    """CREATE TABLE IF NOT EXISTS hubgen_outbox (
        id TEXT PRIMARY KEY,
        lead_id TEXT NOT NULL REFERENCES hubgen_leads (id) ON DELETE CASCADE,
        partner TEXT NOT NULL,
        kind TEXT NOT NULL,
        channel TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at {ts} NOT NULL,
        lease_owner TEXT,
        lease_until {ts},
        last_error TEXT,
        created_at {ts} NOT NULL,
        delivered_at {ts}
    )""",
    "CREATE INDEX IF NOT EXISTS hubgen_outbox_due ON hubgen_outbox (status, next_attempt_at)",
    "CREATE INDEX IF NOT EXISTS hubgen_outbox_lead ON hubgen_outbox (lead_id)",
)

OUTCOMES_SCHEMA = (
    # Append-only: what a recipient did with a lead; the latest row is the lead's state.
    """CREATE TABLE IF NOT EXISTS hubgen_outcomes (
        id TEXT PRIMARY KEY,
        lead_id TEXT NOT NULL REFERENCES hubgen_leads (id) ON DELETE CASCADE,
        partner TEXT NOT NULL,
        status TEXT NOT NULL,
        value TEXT,
        source TEXT NOT NULL,
        at {ts} NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS hubgen_outcomes_lead ON hubgen_outcomes (lead_id, at)",
)

ARRIVALS_SCHEMA: tuple[str, ...] = (
    # Aggregated counters only (hubgen/leads/arrivals.py): nothing here identifies a visitor.
    # The day is ISO text on both databases, so the same comparisons work everywhere.
    """CREATE TABLE IF NOT EXISTS hubgen_arrivals (
        day TEXT NOT NULL,
        partner TEXT NOT NULL,
        landing TEXT NOT NULL,
        channel TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, partner, landing, channel)
    )""",
)
"""The arrivals counter's tables (hubgen/leads/arrivals.py), new in version 2."""

MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: OUTCOMES_SCHEMA + ARRIVALS_SCHEMA,
}
"""Version N → the statements that take a version N-1 database to N. Each is idempotent
(``IF NOT EXISTS``), so an upgrade that stopped half-way is simply run again; a new database
runs SCHEMA and then every migration."""


def create_schema(store: SqlBase, tx: Any) -> None:
    """Create a new database, or upgrade an older one in place, in the caller's transaction."""
    for statement in SCHEMA:
        _ddl(store, tx, statement)
    row = store._run(tx, "SELECT value FROM hubgen_meta WHERE key = 'schema'").fetchone()
    found = 1 if row is None else int(row[0])
    if found > SCHEMA_VERSION:
        raise StoreError(
            f"the database has schema version {found}, newer than this hubgen's "
            f"{SCHEMA_VERSION}: upgrade hubgen"
        )
    for version in range(found + 1, SCHEMA_VERSION + 1):
        for statement in MIGRATIONS[version]:
            _ddl(store, tx, statement)
    if row is None:
        store._run(
            tx,
            "INSERT INTO hubgen_meta (key, value) VALUES ('schema', ?)",
            [str(SCHEMA_VERSION)],
        )
    elif found < SCHEMA_VERSION:
        store._run(
            tx,
            "UPDATE hubgen_meta SET value = ? WHERE key = 'schema'",
            [str(SCHEMA_VERSION)],
        )


def _ddl(store: SqlBase, tx: Any, statement: str) -> None:
    store._run(tx, statement.format(ts=store.dialect.timestamp, bool=store.dialect.boolean))
