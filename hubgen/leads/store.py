"""One store interface over SQLite (default) and PostgreSQL.

Every write is one transaction that is durable when the method returns (SQLite: WAL with
``synchronous=FULL``; PostgreSQL: ``synchronous_commit`` as the server has it, on by default), so
the receiver acknowledges a post only after this returns. The SQL is shared; the two dialects
differ only in placeholders, column types and row locking (:class:`Dialect`).
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from hubgen.leads.arrivals import Arrival, ArrivalCount
from hubgen.leads.models import (
    Delivery,
    Lead,
    NewDelivery,
    NewLead,
    Outcome,
    OutcomeSource,
    OutcomeStatus,
    Recorded,
    Saved,
)

SCHEMA_VERSION = 2


class StoreError(Exception):
    """The database cannot be opened or used."""


class StoreUrlError(StoreError):
    """The database URL is not one hubgen understands (a usage error)."""


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Store(Protocol):
    """What the receiver, the delivery worker and the CLI need from a database."""

    def save(self, batch: Sequence[NewLead]) -> list[Saved]: ...

    def claim(
        self, owner: str, now: datetime, lease_until: datetime, limit: int
    ) -> list[Delivery]: ...

    def mark_delivered(self, delivery: Delivery, now: datetime) -> None: ...

    def mark_failed(
        self, delivery: Delivery, now: datetime, error: str, retry_at: datetime
    ) -> None: ...

    def get(self, lead_id: str) -> Lead | None: ...

    def leads(self, *, partner: str | None = None, include_spam: bool = True) -> list[Lead]: ...

    def outbox(self, lead_id: str | None = None) -> list[dict[str, Any]]: ...

    def record_outcome(self, outcome: Outcome, thanks: Sequence[NewDelivery] = ()) -> Recorded: ...

    def outcomes(self, lead_id: str) -> list[Outcome]: ...

    def purge(self, before: datetime) -> int: ...

    def erase(self, email: str) -> int: ...

    def count_arrivals(self, batch: Sequence[Arrival]) -> None: ...

    def arrivals(self, *, since: date | None = None) -> list[ArrivalCount]: ...

    def purge_arrivals(self, before: date) -> int: ...

    def ping(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Dialect:
    name: str
    timestamp: str
    boolean: str
    skip_locked: str


LEAD_COLUMNS = (
    "id", "created_at", "status", "form_id", "page", "email", "fields", "first_ref", "last_ref",
    "first_partner", "last_partner", "credited_partner", "authors", "recipients", "utm",
    "landing_page", "consent_version", "self_referral", "delivery_attempts", "delivered_at",
)  # fmt: skip

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


class SqlStore:
    """The shared implementation; subclasses provide a connection, a dialect and transactions.

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

    # -- schema ---------------------------------------------------------------------------------

    def _create_schema(self, tx: Any) -> None:
        """Create a new database, or upgrade an older one in place, in the caller's transaction."""
        for statement in SCHEMA:
            self._ddl(tx, statement)
        row = self._run(tx, "SELECT value FROM hubgen_meta WHERE key = 'schema'").fetchone()
        found = 1 if row is None else int(row[0])
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"the database has schema version {found}, newer than this hubgen's "
                f"{SCHEMA_VERSION}: upgrade hubgen"
            )
        for version in range(found + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                self._ddl(tx, statement)
        if row is None:
            self._run(
                tx,
                "INSERT INTO hubgen_meta (key, value) VALUES ('schema', ?)",
                [str(SCHEMA_VERSION)],
            )
        elif found < SCHEMA_VERSION:
            self._run(
                tx,
                "UPDATE hubgen_meta SET value = ? WHERE key = 'schema'",
                [str(SCHEMA_VERSION)],
            )

    def _ddl(self, tx: Any, statement: str) -> None:
        self._run(tx, statement.format(ts=self.dialect.timestamp, bool=self.dialect.boolean))

    # -- writes ---------------------------------------------------------------------------------

    def save(self, batch: Sequence[NewLead]) -> list[Saved]:
        """Insert a batch of leads and their outbox rows in ONE durable transaction.

        Batching is what makes durable commits cheap: one fsync acknowledges every post that
        arrived while the previous one was being written.
        """
        results: list[Saved] = []
        with self._transaction() as tx:
            for item in batch:
                results.append(self._save_one(tx, item))
        return results

    def _save_one(self, tx: Any, item: NewLead) -> Saved:
        keys = [item.idempotency_key] + ([item.previous_key] if item.previous_key else [])
        marks = ", ".join("?" for _ in keys)
        existing = self._run(
            tx, f"SELECT id FROM hubgen_leads WHERE idempotency_key IN ({marks})", keys
        ).fetchone()
        if existing:
            return Saved(str(existing[0]), created=False)
        lead = item.lead
        values = [
            lead.id, self._ts(lead.created_at), lead.status, lead.form_id, lead.page, lead.email,
            _json(lead.fields), lead.first_ref, lead.last_ref, lead.first_partner,
            lead.last_partner, lead.credited_partner, _json(list(lead.authors)),
            _json(list(lead.recipients)), _json(lead.utm), lead.landing_page,
            lead.consent_version, lead.self_referral, lead.delivery_attempts,
            self._ts(lead.delivered_at),
        ]  # fmt: skip
        columns = ", ".join((*LEAD_COLUMNS, "idempotency_key", "updated_at"))
        marks = ", ".join("?" for _ in range(len(LEAD_COLUMNS) + 2))
        inserted = self._run(
            tx,
            f"INSERT INTO hubgen_leads ({columns}) VALUES ({marks}) "
            "ON CONFLICT (idempotency_key) DO NOTHING",
            [*values, item.idempotency_key, self._ts(lead.created_at)],
        )
        if inserted.rowcount == 0:  # a concurrent writer stored the same post first
            row = self._run(
                tx, "SELECT id FROM hubgen_leads WHERE idempotency_key = ?", [item.idempotency_key]
            ).fetchone()
            return Saved(str(row[0]), created=False)
        for d in item.deliveries:
            self._run(
                tx,
                "INSERT INTO hubgen_outbox (id, lead_id, partner, kind, channel, status, attempts, "
                "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
                [d.id, lead.id, d.partner, d.kind, d.channel, self._ts(lead.created_at),
                 self._ts(lead.created_at)],
            )  # fmt: skip
        return Saved(lead.id, created=True)

    def claim(self, owner: str, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
        """Lease up to ``limit`` due deliveries to ``owner``; expired leases are taken over."""
        with self._transaction() as tx:
            rows = self._run(
                tx,
                "UPDATE hubgen_outbox SET lease_owner = ?, lease_until = ? WHERE id IN ("
                " SELECT id FROM hubgen_outbox WHERE status = 'pending' AND next_attempt_at <= ?"
                " AND (lease_until IS NULL OR lease_until < ?)"
                f" ORDER BY next_attempt_at, id LIMIT ?{self.dialect.skip_locked})"
                " RETURNING id, lead_id, partner, kind, channel, attempts",
                [owner, self._ts(lease_until), self._ts(now), self._ts(now), limit],
            ).fetchall()
        return sorted((Delivery(*row) for row in rows), key=lambda d: d.id)

    def mark_delivered(self, delivery: Delivery, now: datetime) -> None:
        with self._transaction() as tx:
            self._run(
                tx,
                "UPDATE hubgen_outbox SET status = 'delivered', attempts = attempts + 1,"
                " delivered_at = ?, lease_owner = NULL, lease_until = NULL, last_error = NULL"
                " WHERE id = ? AND status = 'pending'",
                [self._ts(now), delivery.id],
            )
            if delivery.kind == "lead":
                self._run(
                    tx,
                    "UPDATE hubgen_leads SET delivery_attempts = delivery_attempts + 1,"
                    " updated_at = ? WHERE id = ?",
                    [self._ts(now), delivery.lead_id],
                )
                self._run(
                    tx,
                    "UPDATE hubgen_leads SET status = 'delivered', delivered_at = ?"
                    " WHERE id = ? AND status = 'new' AND NOT EXISTS (SELECT 1 FROM hubgen_outbox"
                    " WHERE lead_id = ? AND kind = 'lead' AND status = 'pending')",
                    [self._ts(now), delivery.lead_id, delivery.lead_id],
                )

    def mark_failed(
        self, delivery: Delivery, now: datetime, error: str, retry_at: datetime
    ) -> None:
        with self._transaction() as tx:
            self._run(
                tx,
                "UPDATE hubgen_outbox SET attempts = attempts + 1, next_attempt_at = ?,"
                " last_error = ?, lease_owner = NULL, lease_until = NULL"
                " WHERE id = ? AND status = 'pending'",
                [self._ts(retry_at), error[:500], delivery.id],
            )
            if delivery.kind == "lead":
                self._run(
                    tx,
                    "UPDATE hubgen_leads SET delivery_attempts = delivery_attempts + 1,"
                    " updated_at = ? WHERE id = ?",
                    [self._ts(now), delivery.lead_id],
                )

    def record_outcome(self, outcome: Outcome, thanks: Sequence[NewDelivery] = ()) -> Recorded:
        """Append ``outcome`` (its lead must exist); on the lead's first ``won``, queue ``thanks``.

        One transaction, with the lead's row locked on PostgreSQL (SQLite's write lock does the
        same), so two partners marking the same lead won at once thank the referrer once. The
        thanks rows' ids are stable, so even a replayed first ``won`` cannot queue them twice.
        """
        lock = " FOR UPDATE" if self.dialect.name == "postgresql" else ""
        with self._transaction() as tx:
            if not self._run(
                tx, f"SELECT id FROM hubgen_leads WHERE id = ?{lock}", [outcome.lead_id]
            ).fetchone():
                raise KeyError(outcome.lead_id)
            value = _decimal_text(outcome.value)
            latest = self._run(
                tx,
                "SELECT status, value FROM hubgen_outcomes WHERE lead_id = ? AND partner = ?"
                " ORDER BY at DESC, id DESC LIMIT 1",
                [outcome.lead_id, outcome.partner],
            ).fetchone()
            if latest and (latest[0], latest[1]) == (outcome.status.value, value):
                return Recorded(recorded=False, thanked=False)
            won_before = self._run(
                tx,
                "SELECT 1 FROM hubgen_outcomes WHERE lead_id = ? AND status = 'won' LIMIT 1",
                [outcome.lead_id],
            ).fetchone()
            self._run(
                tx,
                "INSERT INTO hubgen_outcomes (id, lead_id, partner, status, value, source, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [uuid.uuid4().hex, outcome.lead_id, outcome.partner, outcome.status.value, value,
                 outcome.source.value, self._ts(outcome.at)],
            )  # fmt: skip
            thanked = False
            if outcome.status is OutcomeStatus.WON and not won_before:
                for d in thanks:
                    inserted = self._run(
                        tx,
                        "INSERT INTO hubgen_outbox (id, lead_id, partner, kind, channel, status,"
                        " attempts, next_attempt_at, created_at)"
                        " VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (id) DO NOTHING",
                        [d.id, outcome.lead_id, d.partner, d.kind, d.channel,
                         self._ts(outcome.at), self._ts(outcome.at)],
                    )  # fmt: skip
                    thanked = thanked or inserted.rowcount > 0
        return Recorded(recorded=True, thanked=thanked)

    def outcomes(self, lead_id: str) -> list[Outcome]:
        """The lead's outcome events, oldest first (the last one is its state)."""
        with self._transaction() as tx:
            rows = self._run(
                tx,
                "SELECT lead_id, partner, status, value, source, at FROM hubgen_outcomes"
                " WHERE lead_id = ? ORDER BY at, id",
                [lead_id],
            ).fetchall()
        found = []
        for lead, partner, status, value, source, at in rows:
            when = self._from_ts(at)
            assert when is not None
            found.append(
                Outcome(lead_id=lead, partner=partner, status=OutcomeStatus(status), at=when,
                        source=OutcomeSource(source),
                        value=Decimal(value) if value is not None else None)
            )  # fmt: skip
        return found

    def purge(self, before: datetime) -> int:
        return self._delete("created_at < ?", [self._ts(before)])

    def erase(self, email: str) -> int:
        return self._delete("email = ?", [email.strip().lower()])

    def _delete(self, where: str, params: list[Any]) -> int:
        with self._transaction() as tx:
            self._run(
                tx,
                f"DELETE FROM hubgen_outbox WHERE lead_id IN (SELECT id FROM hubgen_leads WHERE {where})",
                params,
            )
            self._run(
                tx,
                "DELETE FROM hubgen_outcomes"
                f" WHERE lead_id IN (SELECT id FROM hubgen_leads WHERE {where})",
                params,
            )
            return self._run(tx, f"DELETE FROM hubgen_leads WHERE {where}", params).rowcount

    # -- arrivals (counters) --------------------------------------------------------------------

    def count_arrivals(self, batch: Sequence[Arrival]) -> None:
        """Add a batch of arrivals to their counters in ONE durable transaction."""
        totals = Counter(_arrival_key(arrival) for arrival in batch)
        # Sorted, so two receivers sharing a PostgreSQL database lock rows in the same order;
        # one executemany (psycopg pipelines it) instead of a round trip per counter.
        rows = [(*key, count) for key, count in sorted(totals.items())]
        with self._transaction() as tx:
            tx.executemany(
                self._sql(
                    "INSERT INTO hubgen_arrivals (day, partner, landing, channel, count)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (day, partner, landing, channel)"
                    " DO UPDATE SET count = hubgen_arrivals.count + excluded.count"
                ),
                rows,
            )

    def arrivals(self, *, since: date | None = None) -> list[ArrivalCount]:
        where, params = ("WHERE day >= ?", [since.isoformat()]) if since else ("", [])
        with self._transaction() as tx:
            rows = self._run(
                tx,
                "SELECT day, partner, landing, channel, count FROM hubgen_arrivals"
                f" {where} ORDER BY day, partner, landing, channel",
                params,
            ).fetchall()
        return [
            ArrivalCount(date.fromisoformat(row[0]), row[1], row[2], row[3], int(row[4]))
            for row in rows
        ]

    def purge_arrivals(self, before: date) -> int:
        with self._transaction() as tx:
            deleted: int = self._run(
                tx, "DELETE FROM hubgen_arrivals WHERE day < ?", [before.isoformat()]
            ).rowcount
        return deleted

    # -- reads ----------------------------------------------------------------------------------

    def get(self, lead_id: str) -> Lead | None:
        with self._transaction() as tx:
            row = self._run(
                tx, f"SELECT {', '.join(LEAD_COLUMNS)} FROM hubgen_leads WHERE id = ?", [lead_id]
            ).fetchone()
        return self._lead(row) if row else None

    def leads(self, *, partner: str | None = None, include_spam: bool = True) -> list[Lead]:
        """Every lead, oldest first; ``partner`` keeps those the partner received."""
        where = "" if include_spam else " WHERE status <> 'spam'"
        with self._transaction() as tx:
            rows = self._run(
                tx,
                f"SELECT {', '.join(LEAD_COLUMNS)} FROM hubgen_leads{where} ORDER BY created_at, id",
            ).fetchall()
        found = [self._lead(row) for row in rows]
        return [lead for lead in found if partner is None or partner in lead.recipients]

    def outbox(self, lead_id: str | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE lead_id = ?", [lead_id]) if lead_id else ("", [])
        columns = ("id", "lead_id", "partner", "kind", "channel", "status", "attempts",
                   "next_attempt_at", "last_error", "delivered_at")  # fmt: skip
        with self._transaction() as tx:
            rows = self._run(
                tx, f"SELECT {', '.join(columns)} FROM hubgen_outbox {where} ORDER BY id", params
            ).fetchall()
        result = []
        for row in rows:
            item = dict(zip(columns, row, strict=True))
            for name in ("next_attempt_at", "delivered_at"):
                item[name] = self._from_ts(item[name])
            result.append(item)
        return result

    def ping(self) -> None:
        with self._transaction() as tx:
            self._run(tx, "SELECT 1").fetchone()

    def _lead(self, row: Sequence[Any]) -> Lead:
        data = dict(zip(LEAD_COLUMNS, row, strict=True))
        created = self._from_ts(data["created_at"])
        assert created is not None
        return Lead(
            id=data["id"],
            created_at=created,
            status=data["status"],
            form_id=data["form_id"],
            page=data["page"],
            email=data["email"],
            fields=json.loads(data["fields"]),
            first_ref=data["first_ref"],
            last_ref=data["last_ref"],
            first_partner=data["first_partner"],
            last_partner=data["last_partner"],
            credited_partner=data["credited_partner"],
            authors=tuple(json.loads(data["authors"])),
            recipients=tuple(json.loads(data["recipients"])),
            utm=json.loads(data["utm"]),
            landing_page=data["landing_page"],
            consent_version=data["consent_version"],
            self_referral=bool(data["self_referral"]),
            delivery_attempts=int(data["delivery_attempts"]),
            delivered_at=self._from_ts(data["delivered_at"]),
        )


def _decimal_text(value: Decimal | None) -> str | None:
    # Stored as text: exact on both databases, and "1200" reads back as Decimal("1200").
    return None if value is None else format(value, "f")


def _arrival_key(arrival: Arrival) -> tuple[str, str, str, str]:
    return (arrival.day.isoformat(), arrival.partner, arrival.landing, arrival.channel)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def open_store(url: str) -> Store:
    """``sqlite:///relative.db``, ``sqlite:////absolute.db``, a plain file path, or
    ``postgresql://user:password@host:port/database``."""
    if url.startswith(("postgresql://", "postgres://")):
        from hubgen.leads.store_postgres import PostgresStore

        return PostgresStore(url)
    if url.startswith("sqlite://"):
        path = url[len("sqlite://") :]
        if not path.startswith("/") or path == "/":
            raise StoreUrlError(f"Expected sqlite:///path/to/file.db but received: {url}")
        path = path[1:]
    elif "://" in url:
        raise StoreUrlError(
            f"Expected a database URL starting with sqlite:// or postgresql:// but received: {url}"
        )
    else:
        path = url
    from hubgen.leads.store_sqlite import SqliteStore

    return SqliteStore(path)


def iter_batches(items: Sequence[NewLead], size: int) -> Iterator[Sequence[NewLead]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
