"""Arrival counters: visits from a partner's link, counted per day (hubgen/leads/arrivals.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from hubgen.leads.arrivals import Arrival, ArrivalCount
from hubgen.leads.store_base import SqlBase


class ArrivalCounters(SqlBase):
    """``hubgen_arrivals``: aggregated counters only, nothing that identifies a visitor."""

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


def _arrival_key(arrival: Arrival) -> tuple[str, str, str, str]:
    return (arrival.day.isoformat(), arrival.partner, arrival.landing, arrival.channel)
