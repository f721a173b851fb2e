"""The reports' reads: aggregated in SQL, without personal data (hubgen/leads/reportfacts.py).

Three queries whatever the size of the hub: the leads of a period (ids, times, partners only),
each recipient's first report and latest state (window functions, one row per lead and partner),
and arrivals summed per month (GROUP BY). The same SQL runs on SQLite (3.25+) and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, time, timedelta

from hubgen.leads.models import OutcomeStatus
from hubgen.leads.reportfacts import ArrivalTotal, Facts, LeadFact, Reply
from hubgen.leads.store_base import SqlBase

STATUSES = {status.value: status for status in OutcomeStatus}


class ReportRows(SqlBase):
    def report_facts(
        self,
        until: datetime,
        *,
        replies_until: datetime | None = None,
        pages_month: str | None = None,
    ) -> Facts:
        """Every non-spam lead created before ``until``, what its recipients reported on it
        before ``replies_until`` (default: everything so far), arrivals of the days that began
        before ``until`` per month, partner and channel, and per landing page for
        ``pages_month`` (``YYYY-MM``)."""
        end = self._ts(until)
        cutoff, params = (
            (" AND o.at < ?", [end, self._ts(replies_until)]) if replies_until else ("", [end])
        )
        with self._transaction() as tx:
            lead_rows = self._run(
                tx,
                "SELECT id, created_at, credited_partner, recipients, authors, self_referral"
                " FROM hubgen_leads WHERE status <> 'spam' AND created_at < ?"
                " ORDER BY created_at, id",
                [end],
            ).fetchall()
            reply_rows = self._run(
                tx,
                "SELECT lead_id, partner, first_at, status, won_at FROM ("
                " SELECT o.lead_id, o.partner, o.status,"
                "  MIN(o.at) OVER (PARTITION BY o.lead_id, o.partner) AS first_at,"
                "  MIN(CASE WHEN o.status = 'won' THEN o.at END)"
                "   OVER (PARTITION BY o.lead_id, o.partner) AS won_at,"
                "  ROW_NUMBER() OVER (PARTITION BY o.lead_id, o.partner"
                "   ORDER BY o.at DESC, o.id DESC) AS n"
                " FROM hubgen_outcomes o JOIN hubgen_leads l ON l.id = o.lead_id"
                f" WHERE l.status <> 'spam' AND l.created_at < ?{cutoff}"
                ") latest WHERE n = 1",
                params,
            ).fetchall()
            spam = self._run(
                tx,
                "SELECT COUNT(*) FROM hubgen_leads WHERE status = 'spam' AND created_at < ?",
                [end],
            ).fetchone()[0]
            last_day = _day_after(until)
            arrival_rows = self._run(
                tx,
                "SELECT substr(day, 1, 7), partner, channel, SUM(count)"
                " FROM hubgen_arrivals WHERE day < ? GROUP BY 1, 2, 3",
                [last_day],
            ).fetchall()
            page_rows = []
            if pages_month:  # landing pages only for the month a partner report covers
                page_rows = self._run(
                    tx,
                    "SELECT partner, landing, SUM(count) FROM hubgen_arrivals"
                    " WHERE day >= ? AND day < ? GROUP BY 1, 2",
                    [f"{pages_month}-01", min(f"{pages_month}-32", last_day)],
                ).fetchall()
        # Partner lists repeat across leads (a few combinations each): decode each text once.
        lists: dict[str, tuple[str, ...]] = {}

        def slugs(value: object) -> tuple[str, ...]:
            key = str(value)
            found = lists.get(key)
            if found is None:
                found = lists[key] = tuple(json.loads(key))
            return found

        return Facts(
            leads=[self._lead_fact(row, slugs) for row in lead_rows],
            replies=[
                Reply(
                    lead,
                    partner,
                    self._when(first),
                    STATUSES[status],
                    self._from_ts(won) if won is not None else None,
                )
                for lead, partner, first, status, won in reply_rows
            ],
            arrivals=[
                ArrivalTotal(str(month), str(partner), str(channel), "", int(count))
                for month, partner, channel, count in arrival_rows
            ],
            pages=[
                ArrivalTotal(pages_month or "", str(partner), "", str(landing), int(count))
                for partner, landing, count in page_rows
            ],
            spam=int(spam),
        )

    def _lead_fact(
        self, row: tuple[object, ...], slugs: Callable[[object], tuple[str, ...]]
    ) -> LeadFact:
        lead_id, created, credited, recipients, authors, self_referral = row
        return LeadFact(
            id=str(lead_id),
            created_at=self._when(created),
            credited_partner=str(credited) if credited else None,
            recipients=slugs(recipients),
            authors=slugs(authors),
            self_referral=bool(self_referral),
        )

    def _when(self, value: object) -> datetime:
        when = self._from_ts(value)
        assert when is not None
        return when


def _day_after(until: datetime) -> str:
    """Arrival days are the hub's local days (ISO text; ``until`` is in the hub's time zone): a
    day counts when it started before ``until``."""
    day = until.date()
    return (day if until.time() == time() else day + timedelta(days=1)).isoformat()
