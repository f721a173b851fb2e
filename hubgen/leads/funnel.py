"""Per partner, from a visit to a client, referred and direct apart (pure; the report draws it).

Arrivals through the partner's links; leads the partner received, split into those another
partner referred and direct ones (hubgen/leads/routing.py); and of each, how many the partner
accepted and won. A lead's outcome is per recipient: each partner who received it reports on
it, and that partner's latest report is its state, so a lead first marked won and then
corrected to not a fit counts as neither accepted nor won.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hubgen.leads.models import OutcomeStatus
from hubgen.leads.reportfacts import ArrivalTotal, LeadFact, Reply

ACCEPTED_OR_FURTHER = frozenset(
    {OutcomeStatus.ACCEPTED, OutcomeStatus.CONTACTED, OutcomeStatus.WON}
)
"""States that mean the partner took the lead on (contacting or winning it implies accepting)."""

STAGES = ("received", "accepted", "won")
ROUTES = ("referred", "direct")


@dataclass(frozen=True)
class FunnelRow:
    partner: str
    arrivals: int
    """Visits that arrived with the partner's referral code (a beacon or a short link)."""
    counts: dict[tuple[str, str], int]
    """(stage, route) → leads: stage in :data:`STAGES`, route in :data:`ROUTES`."""

    def count(self, stage: str, route: str | None = None) -> int:
        routes = ROUTES if route is None else (route,)
        return sum(self.counts.get((stage, r), 0) for r in routes)

    @property
    def received(self) -> int:
        return self.count("received")

    @property
    def accepted(self) -> int:
        return self.count("accepted")

    @property
    def won(self) -> int:
        return self.count("won")


def states(replies: Iterable[Reply]) -> dict[tuple[str, str], Reply]:
    """(lead id, partner) → that partner's reply on the lead."""
    return {(r.lead_id, r.partner): r for r in replies}


def funnel(
    leads: Iterable[LeadFact],
    replies: Iterable[Reply],
    arrivals: Iterable[ArrivalTotal],
    partners: Sequence[str] = (),
) -> list[FunnelRow]:
    """One row per partner: ``partners`` in their order, then any other partner that had
    arrivals or leads (one who left the hub), by slug."""
    arrived: Counter[str] = Counter()
    for total in arrivals:
        arrived[total.partner] += total.count
    replied = states(replies)
    counts: dict[str, Counter[tuple[str, str]]] = {}
    for lead in leads:
        referred = lead.referred
        for partner in lead.recipients:
            route = "referred" if partner in referred else "direct"
            reply = replied.get((lead.id, partner))
            row = counts.setdefault(partner, Counter())
            row["received", route] += 1
            if reply and reply.status in ACCEPTED_OR_FURTHER:
                row["accepted", route] += 1
            if reply and reply.status is OutcomeStatus.WON:
                row["won", route] += 1
    others = sorted((set(arrived) | set(counts)) - set(partners))
    return [FunnelRow(p, arrived[p], dict(counts.get(p, Counter()))) for p in [*partners, *others]]
