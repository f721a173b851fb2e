"""What the reports read from the store: slim, personal-data-free facts, aggregated in SQL.

A report never needs a visitor's name, e-mail or message, so the store hands it none
(store_reports.py): per lead only its id, time and who sent and received it; per (lead,
partner) only when the partner first reported and what it reported last; arrivals summed per
month, partner, channel and landing page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from hubgen.leads.models import OutcomeStatus
from hubgen.leads.routing import referred_recipients


@dataclass(frozen=True)
class LeadFact:
    """One lead (never spam) as the reports see it."""

    id: str
    created_at: datetime
    credited_partner: str | None
    recipients: tuple[str, ...]
    authors: tuple[str, ...] = ()
    self_referral: bool = False
    status: str = "new"
    """Always a stored non-spam status; kept so the lead counters read facts and leads alike."""

    @cached_property
    def referred(self) -> tuple[str, ...]:
        """Recipients another partner referred the lead to (never the referrer itself)."""
        return referred_recipients(self.credited_partner, self.recipients)

    @cached_property
    def referrer(self) -> str | None:
        """The partner credited with referring the lead to someone else, if any."""
        return self.credited_partner if self.referred else None


@dataclass(frozen=True)
class Reply:
    """What one recipient did with one lead: its first report, its latest state, its first won."""

    lead_id: str
    partner: str
    first_at: datetime
    status: OutcomeStatus
    won_at: datetime | None = None


@dataclass(frozen=True)
class ArrivalTotal:
    """Arrivals summed over a month for one partner, channel and landing page."""

    month: str
    """``YYYY-MM`` in the hub's time zone (arrival days are the hub's days)."""
    partner: str
    channel: str
    landing: str
    count: int


@dataclass(frozen=True)
class Facts:
    leads: list[LeadFact]
    replies: list[Reply]
    arrivals: list[ArrivalTotal]
    """Per month, partner and channel (``landing`` empty)."""
    pages: list[ArrivalTotal] = field(default_factory=list)
    """Per partner and landing page, for one month (``channel`` empty)."""
    spam: int = 0
    """Posts caught as spam in the same period (counted, never read)."""


def month_bounds(month: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """``YYYY-MM`` → its first instant and the next month's, in the hub's time zone.

    Raises ValueError with a message naming the expected form.
    """
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        raise ValueError(
            f"expected a month as YYYY-MM, e.g. 2026-11, but received: {month}"
        ) from None
    if len(month) != 7:
        raise ValueError(f"expected a month as YYYY-MM, e.g. 2026-11, but received: {month}")
    following = date(year + number // 12, number % 12 + 1, 1)
    return (
        datetime.combine(first, time(), tzinfo=tz),
        datetime.combine(following, time(), tzinfo=tz),
    )


def months_back(moment: datetime, months: int) -> datetime:
    """The same wall-clock moment ``months`` calendar months earlier (day clamped to the month)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + month // 12, month % 12 + 1, 1)
    day = min(moment.day, (following - timedelta(days=1)).day)
    return moment.replace(year=year, month=month, day=day)
