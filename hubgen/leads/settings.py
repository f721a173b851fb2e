"""Receiver settings: CLI flags over environment variables over defaults.

Secrets (SMTP password, admin token, webhook and outcome-link secrets) come from the environment
or the delivery file, never from flags, so they stay out of process listings and shell history.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DB = "sqlite:///leads.sqlite3"
DEFAULT_HUB = "site/hub.json"
MIN_TOKEN = 16
SECURITIES = ("starttls", "ssl", "none")


class SettingsError(Exception):
    """A setting has a value hubgen cannot use (exit 2)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    sender: str
    """The From address of every delivery, e.g. ``Main Street Collective <leads@hub.example>``."""
    port: int = 587
    username: str = ""
    password: str = ""
    security: str = "starttls"
    """``starttls`` (port 587), ``ssl`` (implicit TLS, port 465) or ``none`` (a local relay)."""
    timeout: float = 30.0


@dataclass(frozen=True)
class Settings:
    db: str = DEFAULT_DB
    hub: str = DEFAULT_HUB
    host: str = "127.0.0.1"
    port: int = 8400
    admin_token: str = ""
    smtp: SmtpSettings | None = None
    delivery_file: Path | None = None
    rate_limit: int = 10
    """Posts per IP address per ``rate_period`` seconds (bursts up to this); 0 turns it off."""
    rate_period: float = 60.0
    arrival_rate_limit: int = 30
    """Counted arrivals per IP address per ``arrival_rate_period`` seconds; 0 turns it off.
    Separate from posts, so a visitor's arrival never uses up their enquiry's allowance."""
    arrival_rate_period: float = 60.0
    body_timeout: float = 10.0
    """Seconds a request body may take to arrive (slow-drip clients get 408)."""
    body_slots: int = 64
    """Request bodies read at once; a post finding none free gets 503 at once."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses or networks of reverse proxies whose X-Forwarded-For is believed."""
    allowed_origins: tuple[str, ...] = ()
    """Origins besides the hub's own that may post (a preview or staging copy of the site)."""
    worker: bool = True
    """Deliver from inside ``leads serve``; turn off when cron runs ``leads deliver --once``."""
    retry_base: float = 60.0
    retry_cap: float = 6 * 3600.0
    lease_seconds: float = 300.0
    poll_seconds: float = 30.0
    webhook_timeout: float = 15.0
    public_url: str = ""
    """The receiver's public base URL as partners reach it, e.g. ``https://leads.hub.example``
    (``HUBGEN_LEADS_PUBLIC_URL``); outcome links in deliveries point here."""
    outcome_secret: str = ""
    """Signs the one-click outcome links in deliveries (``HUBGEN_LEADS_OUTCOME_SECRET``, at least
    16 characters, with ``public_url``); without it deliveries carry no links and the link pages
    answer 404. Changing it invalidates every link already sent."""
    outcome_link_days: int = 60
    """How long an outcome link works after its delivery (``HUBGEN_LEADS_OUTCOME_LINK_DAYS``)."""
    extra: dict[str, str] = field(default_factory=dict)

    def with_overrides(self, **values: object) -> Settings:
        clean = {k: v for k, v in values.items() if v is not None}
        return replace(self, **clean)  # type: ignore[arg-type]

    def validate(self) -> Settings:
        """Raise :class:`SettingsError` for the first setting hubgen cannot use."""
        for check in (_check_admin_token, _check_proxies, _check_limits, _check_outcome_links):
            check(self)
        if self.smtp and self.smtp.security not in SECURITIES:
            raise SettingsError(
                f"Expected one of {', '.join(SECURITIES)} for HUBGEN_LEADS_SMTP_SECURITY "
                f"but received: {self.smtp.security}"
            )
        return self


def _check_admin_token(settings: Settings) -> None:
    if settings.admin_token and len(settings.admin_token) < MIN_TOKEN:
        raise SettingsError(
            f"HUBGEN_LEADS_ADMIN_TOKEN is too short: {MIN_TOKEN} characters at least "
            "(make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )


def _check_proxies(settings: Settings) -> None:
    for proxy in settings.trusted_proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SettingsError(
                f"Expected an IP address or network for --trusted-proxy but received: {proxy}"
            ) from None


def _check_limits(settings: Settings) -> None:
    """Rate limits and request-body limits."""
    if settings.rate_limit < 0 or settings.rate_period <= 0:
        raise SettingsError("the rate limit must be N/SECONDS with N >= 0 and SECONDS > 0")
    if settings.arrival_rate_limit < 0 or settings.arrival_rate_period <= 0:
        raise SettingsError("the arrival rate limit must be N/SECONDS with N >= 0 and SECONDS > 0")
    if settings.body_timeout <= 0 or settings.body_slots < 1:
        raise SettingsError(
            "HUBGEN_LEADS_BODY_TIMEOUT must be > 0 seconds and HUBGEN_LEADS_BODY_SLOTS >= 1"
        )


def _check_outcome_links(settings: Settings) -> None:
    """The outcome-link secret, the public URL the links point at, and how long they work."""
    if settings.outcome_secret and len(settings.outcome_secret) < MIN_TOKEN:
        raise SettingsError(
            f"HUBGEN_LEADS_OUTCOME_SECRET is too short: {MIN_TOKEN} characters at least "
            "(make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    if settings.public_url:
        parts = urlsplit(settings.public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
            raise SettingsError(
                "Expected an http(s) base URL like https://leads.hub.example for "
                f"HUBGEN_LEADS_PUBLIC_URL but received: {settings.public_url}"
            )
    if settings.outcome_secret and not settings.public_url:
        raise SettingsError(
            "HUBGEN_LEADS_OUTCOME_SECRET needs HUBGEN_LEADS_PUBLIC_URL: the receiver's "
            "address as partners reach it, which outcome links point at"
        )
    if settings.outcome_link_days < 1:
        raise SettingsError(
            "HUBGEN_LEADS_OUTCOME_LINK_DAYS must be 1 or more days, "
            f"got {settings.outcome_link_days}"
        )


def parse_rate(text: str) -> tuple[int, float]:
    """``10/60`` → 10 posts per 60 seconds; ``0`` turns the limit off."""
    try:
        if text.strip() == "0":
            return 0, 60.0
        count, _, period = text.partition("/")
        return int(count), float(period or 60)
    except ValueError:
        raise SettingsError(
            f"Expected a rate like 10/60 (posts/seconds) but received: {text}"
        ) from None


def _split(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


def from_env(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ

    def get(name: str, default: str = "") -> str:
        return env.get(f"HUBGEN_LEADS_{name}", default).strip()

    smtp = None
    if get("SMTP_HOST"):
        security = get("SMTP_SECURITY", "starttls")
        try:
            port = int(get("SMTP_PORT") or (465 if security == "ssl" else 587))
        except ValueError:
            raise SettingsError(
                f"HUBGEN_LEADS_SMTP_PORT is not a number: {get('SMTP_PORT')}"
            ) from None
        sender = get("SMTP_FROM")
        if not sender:
            raise SettingsError("HUBGEN_LEADS_SMTP_FROM is required with HUBGEN_LEADS_SMTP_HOST")
        smtp = SmtpSettings(
            host=get("SMTP_HOST"),
            port=port,
            username=get("SMTP_USER"),
            password=env.get("HUBGEN_LEADS_SMTP_PASSWORD", ""),
            security=security,
            sender=sender,
        )
    rate, period = parse_rate(get("RATE_LIMIT", "10/60"))
    arrivals, arrivals_period = parse_rate(get("ARRIVAL_RATE_LIMIT", "30/60"))
    try:
        body_timeout = float(get("BODY_TIMEOUT") or 10)
        body_slots = int(get("BODY_SLOTS") or 64)
    except ValueError:
        raise SettingsError(
            "HUBGEN_LEADS_BODY_TIMEOUT and HUBGEN_LEADS_BODY_SLOTS must be numbers"
        ) from None
    delivery = get("DELIVERY")
    try:
        link_days = int(get("OUTCOME_LINK_DAYS") or 60)
    except ValueError:
        raise SettingsError(
            f"HUBGEN_LEADS_OUTCOME_LINK_DAYS is not a whole number of days: "
            f"{get('OUTCOME_LINK_DAYS')}"
        ) from None
    return Settings(
        db=get("DB", DEFAULT_DB),
        hub=get("HUB", DEFAULT_HUB),
        admin_token=env.get("HUBGEN_LEADS_ADMIN_TOKEN", "").strip(),
        smtp=smtp,
        delivery_file=Path(delivery) if delivery else None,
        rate_limit=rate,
        rate_period=period,
        arrival_rate_limit=arrivals,
        arrival_rate_period=arrivals_period,
        body_timeout=body_timeout,
        body_slots=body_slots,
        trusted_proxies=_split(get("TRUSTED_PROXY")),
        allowed_origins=_split(get("ALLOW_ORIGIN")),
        public_url=get("PUBLIC_URL").rstrip("/"),
        outcome_secret=env.get("HUBGEN_LEADS_OUTCOME_SECRET", "").strip(),
        outcome_link_days=link_days,
    )
