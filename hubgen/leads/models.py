"""What the receiver stores: leads, and the outbox of deliveries owed to partners."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from hubgen.leads.routing import Route
from hubgen.leads.submission import Submission

STATUSES = ("new", "delivered", "spam")
KINDS = ("lead", "referral", "thanks")
"""``lead``: the enquiry itself, to a recipient. ``referral``: a notice to the credited referrer
that someone they sent asked for help (without the visitor's details). ``thanks``: a notice to
the credited referrer that their referral became a client (sent once, on the first ``won``)."""
CHANNELS = ("email", "webhook")

AUTO_KEY_SECONDS = 300
"""Posts without an idempotency key (no-JS forms) that repeat the same content within this many
seconds (up to twice this, across a bucket boundary) are one lead."""


@dataclass(frozen=True)
class Lead:
    id: str
    created_at: datetime
    status: str
    form_id: str
    page: str
    email: str
    fields: dict[str, str]
    first_ref: str = ""
    last_ref: str = ""
    first_partner: str | None = None
    last_partner: str | None = None
    credited_partner: str | None = None
    authors: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    utm: dict[str, str] = field(default_factory=dict)
    landing_page: str = ""
    consent_version: str = ""
    self_referral: bool = False
    delivery_attempts: int = 0
    delivered_at: datetime | None = None


@dataclass(frozen=True)
class NewDelivery:
    id: str
    """Stable across retries, so a receiver can de-duplicate: ``<lead>.<kind>.<partner>.<channel>``."""
    partner: str
    kind: str
    channel: str


@dataclass(frozen=True)
class NewLead:
    lead: Lead
    idempotency_key: str
    previous_key: str | None
    """The content-derived key of the previous time bucket, also matched (no-JS posts only)."""
    deliveries: tuple[NewDelivery, ...]


@dataclass(frozen=True)
class Saved:
    id: str
    created: bool
    """False when the post repeated an earlier one (same idempotency key): nothing was added."""


@dataclass(frozen=True)
class Delivery:
    """An outbox row claimed by a worker (leased until it reports back)."""

    id: str
    lead_id: str
    partner: str
    kind: str
    channel: str
    attempts: int


class OutcomeStatus(StrEnum):
    """What a recipient did with a lead, as they report it."""

    ACCEPTED = "accepted"
    CONTACTED = "contacted"
    WON = "won"
    NOT_A_FIT = "not_a_fit"

    @property
    def label(self) -> str:
        return {"accepted": "Accepted", "contacted": "Contacted", "won": "Won",
                "not_a_fit": "Not a fit"}[self.value]  # fmt: skip


class OutcomeSource(StrEnum):
    """How an outcome arrived: a signed link, ``hubgen leads outcome``, or the JSON endpoint."""

    LINK = "link"
    CLI = "cli"
    API = "api"


@dataclass(frozen=True)
class Outcome:
    """One append-only outcome event; the latest one of a lead is its state."""

    lead_id: str
    partner: str
    status: OutcomeStatus
    at: datetime
    source: OutcomeSource
    value: Decimal | None = None
    """What the client is worth to the partner (``won`` only), in the hub's usual currency."""


@dataclass(frozen=True)
class Recorded:
    recorded: bool
    """False when the partner's latest outcome already said the same (a double click)."""
    thanked: bool
    """True when this was the lead's first ``won`` and a thanks was queued for the referrer."""


def delivery_id(lead_id: str, kind: str, partner: str, channel: str) -> str:
    return f"{lead_id}.{kind}.{partner}.{channel}"


def idempotency_keys(submission: Submission, now: datetime) -> tuple[str, str | None]:
    """The key a post is stored under, and the previous bucket's key for key-less posts.

    Client keys and derived keys live in separate namespaces so neither can shadow the other.
    """
    if submission.idempotency_key:
        return f"c:{submission.idempotency_key}", None
    bucket = int(now.timestamp() // AUTO_KEY_SECONDS)
    fingerprint = submission.fingerprint()[:40]
    return f"a:{fingerprint}:{bucket}", f"a:{fingerprint}:{bucket - 1}"


def new_lead(
    submission: Submission,
    route: Route,
    now: datetime,
    channels: Callable[[str], tuple[str, ...]],
    *,
    referral_notices: Callable[[str], bool],
) -> NewLead:
    """The row and outbox entries for one accepted post.

    ``channels(slug)`` says how a partner takes deliveries (as configured now); a referral notice
    goes to the credited referrer unless they receive the lead anyway or turned notices off.
    """
    lead_id = uuid.uuid4().hex
    lead = Lead(
        id=lead_id,
        created_at=now,
        status="spam" if submission.spam else "new",
        form_id=submission.form_id,
        page=submission.page,
        email=submission.email,
        fields=dict(submission.fields),
        first_ref=submission.first_ref,
        last_ref=submission.last_ref,
        first_partner=route.first_partner,
        last_partner=route.last_partner,
        credited_partner=route.credited,
        authors=route.authors,
        recipients=route.recipients,
        utm=dict(submission.utm),
        landing_page=submission.landing_page,
        consent_version=submission.consent_version,
        self_referral=route.self_referral,
    )
    deliveries: list[NewDelivery] = []
    if not submission.spam:
        for slug in route.recipients:
            for channel in channels(slug):
                deliveries.append(
                    NewDelivery(delivery_id(lead_id, "lead", slug, channel), slug, "lead", channel)
                )
        referrer = route.credited
        if referrer and referrer not in route.recipients and referral_notices(referrer):
            for channel in channels(referrer):
                deliveries.append(
                    NewDelivery(
                        delivery_id(lead_id, "referral", referrer, channel),
                        referrer,
                        "referral",
                        channel,
                    )
                )
    key, previous = idempotency_keys(submission, now)
    return NewLead(lead, key, previous, tuple(deliveries))
