"""Leads and their outbox: saving posts, leasing deliveries to the worker, reading and erasing.

A lead and its outbox rows are written in one transaction, so a lead the receiver acknowledged
always has its deliveries queued.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from hubgen.leads.models import Delivery, Lead, NewLead, Saved
from hubgen.leads.store_base import SqlBase, to_json

LEAD_COLUMNS = (
    "id", "created_at", "status", "form_id", "page", "email", "fields", "first_ref", "last_ref",
    "first_partner", "last_partner", "credited_partner", "authors", "recipients", "utm",
    "landing_page", "consent_version", "self_referral", "delivery_attempts", "delivered_at",
)  # fmt: skip


class LeadRows(SqlBase):
    """``hubgen_leads`` and ``hubgen_outbox``."""

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
            to_json(lead.fields), lead.first_ref, lead.last_ref, lead.first_partner,
            lead.last_partner, lead.credited_partner, to_json(list(lead.authors)),
            to_json(list(lead.recipients)), to_json(lead.utm), lead.landing_page,
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
