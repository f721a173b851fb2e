"""The organiser's figures beyond plain counts (pure): reciprocity with traffic lights, response
times, and leads nobody has answered.

The traffic-light rule, in the manner of the monthly scorecards business-referral groups keep,
over a rolling six months (:data:`RECIPROCITY_MONTHS`):

- **green, gives:** referred at least one lead to others, and at least half as many as it
  received from them;
- **amber, gives less than it gets:** referred some, but fewer than half as many as it received;
- **red, only takes:** received referrals and referred none;
- **grey, silent:** neither referred nor received any.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from statistics import median

from hubgen.leads.reportfacts import LeadFact, Reply

RECIPROCITY_MONTHS = 6
UNANSWERED_AFTER = timedelta(days=3)
"""A lead a recipient has not reported on this long after it arrived is named as unanswered."""


class Light(StrEnum):
    GIVES = "gives"
    GIVES_LESS = "gives-less"
    ONLY_TAKES = "only-takes"
    SILENT = "silent"

    @property
    def colour(self) -> str:
        return {"gives": "green", "gives-less": "amber", "only-takes": "red",
                "silent": "grey"}[self.value]  # fmt: skip

    @property
    def label(self) -> str:
        return {"gives": "Gives", "gives-less": "Gives less than it gets",
                "only-takes": "Only takes", "silent": "Silent"}[self.value]  # fmt: skip


RULE = (
    "Green (gives): referred at least one lead to other partners, and at least half as many as it "
    "received from them. Amber (gives less than it gets): referred some, but fewer than half as "
    "many as it received. Red (only takes): received referrals and referred none. "
    "Grey (silent): neither referred nor received any."
)


def light(sent: int, received: int) -> Light:
    """The traffic light for ``sent`` referrals given and ``received`` referrals taken."""
    if sent == 0:
        return Light.ONLY_TAKES if received else Light.SILENT
    return Light.GIVES if 2 * sent >= received else Light.GIVES_LESS


@dataclass(frozen=True)
class Balance:
    partner: str
    sent: int
    """Leads the partner referred to other partners."""
    received: int
    """Leads the partner received through other partners' referrals."""

    @property
    def light(self) -> Light:
        return light(self.sent, self.received)


def balances(
    leads: Iterable[LeadFact], partners: Sequence[str], since: datetime, until: datetime
) -> list[Balance]:
    """Referrals sent and received per partner for leads created in ``[since, until)``."""
    sent: Counter[str] = Counter()
    received: Counter[str] = Counter()
    for lead in leads:
        if since <= lead.created_at < until and lead.referrer:
            sent[lead.referrer] += 1
            received.update(lead.referred)
    return [Balance(p, sent[p], received[p]) for p in _with_others(partners, sent, received)]


@dataclass(frozen=True)
class Response:
    partner: str
    received: int
    """Leads the partner received in the period."""
    answered: int
    """Of those, leads the partner has reported on (any outcome)."""
    median_hours: float | None
    """Median time from a lead to the partner's first report on it, in hours."""


def responses(
    leads: Iterable[LeadFact],
    replies: Iterable[Reply],
    partners: Sequence[str],
    since: datetime,
    until: datetime,
) -> list[Response]:
    """Per partner, for leads created in ``[since, until)``: how many it answered, and how fast."""
    first = {(r.lead_id, r.partner): r.first_at for r in replies}
    received: Counter[str] = Counter()
    waits: defaultdict[str, list[float]] = defaultdict(list)
    for lead in leads:
        if not since <= lead.created_at < until:
            continue
        for partner in lead.recipients:
            received[partner] += 1
            at = first.get((lead.id, partner))
            if at is not None:
                waits[partner].append(max(0.0, (at - lead.created_at).total_seconds() / 3600))
    return [
        Response(p, received[p], len(waits[p]), median(waits[p]) if waits[p] else None)
        for p in _with_others(partners, received)
    ]


@dataclass(frozen=True)
class Unanswered:
    lead_id: str
    partner: str
    created_at: datetime
    age_days: int


def unanswered(
    leads: Iterable[LeadFact], replies: Iterable[Reply], as_of: datetime
) -> list[Unanswered]:
    """Every (lead, recipient) older than :data:`UNANSWERED_AFTER` at ``as_of`` without any
    report from that recipient, oldest first."""
    answered = {(r.lead_id, r.partner) for r in replies}
    cutoff = as_of - UNANSWERED_AFTER
    found = [
        Unanswered(lead.id, partner, lead.created_at, (as_of - lead.created_at).days)
        for lead in leads
        if lead.created_at <= cutoff
        for partner in lead.recipients
        if (lead.id, partner) not in answered
    ]
    return sorted(found, key=lambda u: (u.created_at, u.lead_id, u.partner))


def hours_text(hours: float | None) -> str:
    """A wait as people say it: ``45 min``, ``5 h``, ``2.5 days``; ``–`` for none."""
    if hours is None:
        return "–"
    if hours < 1:
        return f"{round(hours * 60)} min"
    if hours < 48:
        return f"{hours:.1f} h".replace(".0 h", " h")
    return f"{hours / 24:.1f} days".replace(".0 days", " days")


def _with_others(partners: Sequence[str], *seen: Counter[str]) -> list[str]:
    """``partners`` in their order, then partners seen only in the data (who left), by slug."""
    extra: set[str] = set()
    for counter in seen:
        extra.update(counter)
    return [*partners, *sorted(extra - set(partners))]
