"""Per partner, from a visit to a client: arrivals through the partner's links, leads the partner
received, and how many of those it accepted and won (pure; the report draws it).

A lead's outcome is per recipient: each partner who received it reports on it, and that
partner's latest report is its state (hubgen/leads/outcomes.py), so a lead first marked won and
then corrected to not a fit counts as neither accepted nor won.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from hubgen.leads.arrivals import ArrivalCount
from hubgen.leads.models import Lead, Outcome, OutcomeStatus
from hubgen.leads.outcomes import state

ACCEPTED_OR_FURTHER = frozenset(
    {OutcomeStatus.ACCEPTED, OutcomeStatus.CONTACTED, OutcomeStatus.WON}
)
"""States that mean the partner took the lead on (contacting or winning it implies accepting)."""


@dataclass(frozen=True)
class FunnelRow:
    partner: str
    arrivals: int
    """Visits that arrived with the partner's referral code (a beacon or a short link)."""
    received: int
    """Leads (not spam) the partner received."""
    accepted: int
    """Of :attr:`received`, those whose state from this partner is accepted, contacted or won."""
    won: int
    """Of :attr:`received`, those whose state from this partner is won."""


def partner_state(outcomes: Sequence[Outcome], partner: str) -> OutcomeStatus | None:
    """What ``partner`` last reported on a lead (``outcomes`` oldest first, as the store lists
    them), or None if it reported nothing."""
    latest = state([o for o in outcomes if o.partner == partner])
    return latest.status if latest else None


def funnel(
    leads: Iterable[Lead],
    outcomes: Mapping[str, Sequence[Outcome]],
    arrivals: Iterable[ArrivalCount],
    partners: Sequence[str] = (),
) -> list[FunnelRow]:
    """One row per partner: ``partners`` in their order, then any other partner that had
    arrivals or leads (one who left the hub), by slug. ``outcomes`` maps lead ids to events."""
    arrived: Counter[str] = Counter()
    for count in arrivals:
        arrived[count.partner] += count.count
    received: Counter[str] = Counter()
    accepted: Counter[str] = Counter()
    won: Counter[str] = Counter()
    for lead in leads:
        if lead.status == "spam":
            continue
        for partner in lead.recipients:
            status = partner_state(outcomes.get(lead.id, ()), partner)
            received[partner] += 1
            accepted[partner] += status in ACCEPTED_OR_FURTHER
            won[partner] += status is OutcomeStatus.WON
    others = sorted((set(arrived) | set(received)) - set(partners))
    return [
        FunnelRow(p, arrived[p], received[p], accepted[p], won[p]) for p in [*partners, *others]
    ]
