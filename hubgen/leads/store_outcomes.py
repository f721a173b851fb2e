"""Outcomes: what a recipient did with a lead, appended, with the referrer's thanks queued once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from hubgen.leads.models import NewDelivery, Outcome, OutcomeSource, OutcomeStatus, Recorded
from hubgen.leads.store_base import SqlBase


class OutcomeRows(SqlBase):
    """``hubgen_outcomes`` (append-only; the latest row per partner is that partner's state)."""

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


def _decimal_text(value: Decimal | None) -> str | None:
    # Stored as text: exact on both databases, and "1200" reads back as Decimal("1200").
    return None if value is None else format(value, "f")
