"""Lead outcomes: what a receiving partner did with a lead, and what follows from it (pure).

Outcomes arrive three ways (a signed link, ``hubgen leads outcome``, the CRM endpoint) and go
through the same checks here: a known status, a sensible value (``won`` only), and a partner
who actually received the lead. The store appends them; the first ``won`` of a lead queues a
thanks to the credited referrer (no client details), unless the referrer turned notices off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from hubgen.leads.deliveryconfig import Destinations
from hubgen.leads.models import (
    Lead,
    NewDelivery,
    Outcome,
    OutcomeSource,
    OutcomeStatus,
    delivery_id,
)
from hubgen.leads.settings import Settings
from hubgen.leads.tokens import LinkSigner

MAX_VALUE = Decimal(10) ** 12
STATUS_NAMES = tuple(status.value for status in OutcomeStatus)


class OutcomeError(Exception):
    """An outcome that cannot be recorded; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def parse_status(text: str) -> OutcomeStatus:
    """``won``, ``not_a_fit`` (``not-a-fit`` and any case also do)."""
    cleaned = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return OutcomeStatus(cleaned)
    except ValueError:
        raise OutcomeError(
            400, f"Expected one of {', '.join(STATUS_NAMES)} for status but received: {text[:60]}"
        ) from None


def parse_value(text: str | int | float | None, status: OutcomeStatus) -> Decimal | None:
    """The optional value of a ``won`` lead: a plain amount like 1200 or 1200.50."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if isinstance(text, bool):
        raise OutcomeError(400, "Expected a number for value, like 1200 or 1200.50")
    if status is not OutcomeStatus.WON:
        raise OutcomeError(400, f"Only a won lead has a value (this one is {status.value})")
    raw = str(text).strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise OutcomeError(
            400,
            f"Expected a number for value, like 1200 or 1200.50, but received: {raw[:40]} "
            "(no currency signs or thousands separators)",
        ) from None
    if not value.is_finite() or value < 0 or value >= MAX_VALUE:
        raise OutcomeError(
            400, f"Expected a value from 0 to {MAX_VALUE - 1} but received: {raw[:40]}"
        )
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise OutcomeError(400, f"Expected at most 2 decimal places in value: {raw[:40]}")
    # 1200, 1200.0 and 1200.00 are one value; store it one way.
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def check_partner(lead: Lead, partner: str) -> None:
    """Only a partner who received the lead reports on it."""
    if partner not in lead.recipients:
        raise OutcomeError(
            403,
            f"{partner[:60]} did not receive lead {lead.id}; only its recipients "
            f"({', '.join(lead.recipients) or 'none'}) can report an outcome",
        )


def new_outcome(
    lead: Lead,
    partner: str,
    status: str,
    value: str | int | float | None,
    source: OutcomeSource,
    now: datetime,
) -> Outcome:
    """A checked outcome event, or :class:`OutcomeError`."""
    check_partner(lead, partner)
    parsed = parse_status(status)
    return Outcome(lead.id, partner, parsed, now, source, parse_value(value, parsed))


def thanks_deliveries(lead: Lead, destinations: Destinations) -> tuple[NewDelivery, ...]:
    """What to queue if this lead's first ``won`` is recorded now: a thanks to the credited
    referrer, unless they received the lead themselves or turned notices off."""
    referrer = lead.credited_partner
    if not referrer or referrer in lead.recipients or not destinations.referral_notices(referrer):
        return ()
    return tuple(
        NewDelivery(delivery_id(lead.id, "thanks", referrer, channel), referrer, "thanks", channel)
        for channel in destinations.channels(referrer)
    )


def state(outcomes: list[Outcome]) -> Outcome | None:
    """The lead's state: its latest outcome (the store lists them oldest first)."""
    return outcomes[-1] if outcomes else None


def winner(outcomes: list[Outcome]) -> str | None:
    """The partner who first marked the lead won (the thanks names them)."""
    return next((o.partner for o in outcomes if o.status is OutcomeStatus.WON), None)


def outcome_record(outcome: Outcome) -> dict[str, Any]:
    """JSON for the CRM endpoint; the value is a string so no amount loses a cent to floats."""
    return {
        "lead_id": outcome.lead_id,
        "partner": outcome.partner,
        "status": outcome.status.value,
        "value": None if outcome.value is None else format(outcome.value, "f"),
        "at": outcome.at.isoformat(),
        "source": outcome.source.value,
    }


@dataclass(frozen=True)
class OutcomeLinks:
    urls: dict[str, str]
    """Status → link, in the order of :class:`OutcomeStatus`."""
    expires: datetime


def link_signer(settings: Settings) -> LinkSigner | None:
    """The signer for deliveries' outcome links, or None when links are not set up."""
    if not settings.outcome_secret or not settings.public_url:
        return None
    return LinkSigner(
        settings.outcome_secret,
        settings.public_url.rstrip("/"),
        timedelta(days=settings.outcome_link_days),
    )


def links_for(signer: LinkSigner, lead_id: str, partner: str, now: datetime) -> OutcomeLinks:
    urls, expires = signer.links(lead_id, partner, STATUS_NAMES, now)
    return OutcomeLinks(urls, expires)
