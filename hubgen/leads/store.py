"""One store interface over SQLite (default) and PostgreSQL.

Every write is one transaction that is durable when the method returns (SQLite: WAL with
``synchronous=FULL``; PostgreSQL: ``synchronous_commit`` as the server has it, on by default), so
the receiver acknowledges a post only after this returns. The SQL is shared; the two dialects
differ only in placeholders, column types and row locking (:class:`Dialect`).

The implementation is split by concern and put together by :class:`SqlStore`: store_base.py
(the shared SQL machinery), store_schema.py (tables and migrations), store_leads.py (leads and
their outbox), store_outcomes.py and store_arrivals.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol

from hubgen.leads.arrivals import Arrival, ArrivalCount
from hubgen.leads.models import Delivery, Lead, NewDelivery, NewLead, Outcome, Recorded, Saved
from hubgen.leads.reportfacts import Facts
from hubgen.leads.store_arrivals import ArrivalCounters
from hubgen.leads.store_base import Dialect as Dialect
from hubgen.leads.store_base import StoreError as StoreError
from hubgen.leads.store_base import StoreUrlError as StoreUrlError
from hubgen.leads.store_leads import LeadRows
from hubgen.leads.store_outcomes import OutcomeRows
from hubgen.leads.store_reports import ReportRows
from hubgen.leads.store_schema import SCHEMA as SCHEMA
from hubgen.leads.store_schema import create_schema


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

    def report_facts(
        self,
        until: datetime,
        *,
        replies_until: datetime | None = None,
        pages_month: str | None = None,
    ) -> Facts: ...

    def ping(self) -> None: ...

    def close(self) -> None: ...


class SqlStore(LeadRows, OutcomeRows, ArrivalCounters, ReportRows):
    """The shared implementation; subclasses provide a connection, a dialect and transactions."""

    def _create_schema(self, tx: Any) -> None:
        """Create a new database, or upgrade an older one in place, in the caller's transaction."""
        create_schema(self, tx)


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
