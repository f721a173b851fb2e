"""Signed, expiring one-click outcome links: no login, one token per lead and partner (pure).

A token is ``<payload>.<signature>``, both base64url without padding. The payload is the lead
id, the partner's slug and the expiry (Unix seconds), joined by newlines; the signature is the
HMAC-SHA256 of a fixed label and the payload, keyed with the receiver's outcome-link secret.
The label keeps these signatures from ever being valid for another use of the same secret. The
signature is checked (in constant time) before anything in the payload is believed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import urlencode

MAX_TOKEN = 600
"""Longer tokens are refused unread: a lead id, a slug and a number fit in far less."""
_LABEL = b"hubgen-outcome-link-v1\n"


class TokenProblem(StrEnum):
    MALFORMED = "malformed"
    FORGED = "forged"
    EXPIRED = "expired"


class TokenError(Exception):
    def __init__(self, problem: TokenProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class LinkClaim:
    """What a valid token vouches for: this partner may report on this lead until ``expires``."""

    lead_id: str
    partner: str
    expires: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, payload: bytes) -> bytes:
    return hmac.new(secret.encode(), _LABEL + payload, hashlib.sha256).digest()


def make_token(secret: str, lead_id: str, partner: str, expires: datetime) -> str:
    if "\n" in lead_id or "\n" in partner:
        raise ValueError("a lead id or partner slug cannot contain a line break")
    payload = f"{lead_id}\n{partner}\n{int(expires.timestamp())}".encode()
    return f"{_b64(payload)}.{_b64(_signature(secret, payload))}"


def read_token(secret: str, token: str, now: datetime) -> LinkClaim:
    """The claim of a genuine, unexpired token; :class:`TokenError` says why not."""
    if not token or len(token) > MAX_TOKEN or token.count(".") != 1:
        raise TokenError(TokenProblem.MALFORMED)
    encoded, _, signature = token.partition(".")
    try:
        payload, given = _unb64(encoded), _unb64(signature)
    except (binascii.Error, ValueError):
        raise TokenError(TokenProblem.MALFORMED) from None
    if not hmac.compare_digest(_signature(secret, payload), given):
        raise TokenError(TokenProblem.FORGED)
    try:
        lead_id, partner, stamp = payload.decode().split("\n")
        expires = datetime.fromtimestamp(int(stamp), UTC)
    except (UnicodeDecodeError, ValueError, OverflowError, OSError):
        raise TokenError(TokenProblem.MALFORMED) from None
    if now >= expires:
        raise TokenError(TokenProblem.EXPIRED)
    return LinkClaim(lead_id, partner, expires)


@dataclass(frozen=True)
class LinkSigner:
    """Makes the links that go into deliveries: ``<public_url>/leads/outcome?token=…&status=…``."""

    secret: str
    public_url: str
    """The receiver's public base URL, without a trailing slash."""
    lifetime: timedelta

    def token(self, lead_id: str, partner: str, now: datetime) -> tuple[str, datetime]:
        expires = now + self.lifetime
        return make_token(self.secret, lead_id, partner, expires), expires

    def links(
        self, lead_id: str, partner: str, statuses: tuple[str, ...], now: datetime
    ) -> tuple[dict[str, str], datetime]:
        """One link per status (the status only pre-selects a button; the token is the same)."""
        token, expires = self.token(lead_id, partner, now)
        base = f"{self.public_url}/leads/outcome?"
        urls = {status: base + urlencode({"token": token, "status": status}) for status in statuses}
        return urls, expires
