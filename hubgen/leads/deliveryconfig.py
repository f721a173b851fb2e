"""How each partner takes deliveries: the operator's TOML file of e-mail overrides and webhooks.

hub.json's public e-mail address is the default destination; the file can redirect it (a leads
inbox), turn e-mail off, add a signed webhook, and turn referral notices off. Webhook secrets
live here or in an environment variable named here, never in the hub's repository.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hubgen.leads.registry import Registry
from hubgen.leads.settings import SettingsError

MIN_SECRET = 16


@dataclass(frozen=True)
class PartnerDelivery:
    email: str | None = None
    webhook: str | None = None
    webhook_secret: str = ""
    referral_notices: bool = True


@dataclass(frozen=True)
class DeliveryConfig:
    partners: dict[str, PartnerDelivery] = field(default_factory=dict)
    referral_notices: bool = True
    """Tell the credited referrer that their referral asked for help (no visitor details)."""
    warnings: tuple[str, ...] = ()

    def for_partner(self, slug: str) -> PartnerDelivery:
        return self.partners.get(slug, PartnerDelivery())


@dataclass(frozen=True)
class Destinations:
    """Where a partner's deliveries go right now: hub.json defaults with the file's overrides."""

    config: DeliveryConfig
    registry: Registry
    email_enabled: bool

    def email(self, slug: str) -> str | None:
        if not self.email_enabled:
            return None
        own = self.config.partners.get(slug)
        if own is not None and own.email is not None:
            return own.email or None  # "" turns e-mail off for this partner
        partner = self.registry.partners.get(slug)
        return partner.email if partner else None

    def webhook(self, slug: str) -> tuple[str, str] | None:
        own = self.config.for_partner(slug)
        return (own.webhook, own.webhook_secret) if own.webhook else None

    def channels(self, slug: str) -> tuple[str, ...]:
        found = []
        if self.email(slug):
            found.append("email")
        if self.webhook(slug):
            found.append("webhook")
        return tuple(found)

    def referral_notices(self, slug: str) -> bool:
        return self.config.referral_notices and self.config.for_partner(slug).referral_notices


def load_delivery_config(
    path: Path | None, registry: Registry, environ: Mapping[str, str] | None = None
) -> DeliveryConfig:
    if path is None:
        return DeliveryConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsError(f"cannot read the delivery file {path}: {error}") from None
    return parse_delivery_config(data, registry, str(path), environ)


def parse_delivery_config(
    data: Mapping[str, Any],
    registry: Registry,
    source: str = "delivery file",
    environ: Mapping[str, str] | None = None,
) -> DeliveryConfig:
    env = os.environ if environ is None else environ
    unknown_top = set(data) - {"referral_notices", "partners"}
    if unknown_top:
        raise SettingsError(
            f"{source}: unknown setting(s) {', '.join(sorted(unknown_top))} "
            "(expected referral_notices and [partners.<slug>] tables)"
        )
    notices = data.get("referral_notices", True)
    if not isinstance(notices, bool):
        raise SettingsError(f"{source}: referral_notices must be true or false")
    partners: dict[str, PartnerDelivery] = {}
    warnings: list[str] = []
    for slug, entry in dict(data.get("partners", {})).items():
        where = f"{source}: partners.{slug}"
        if not isinstance(entry, dict):
            raise SettingsError(f"{where} must be a table")
        if slug not in registry.partners:
            # A partner who left the hub keeps their entry harmlessly until someone tidies it.
            warnings.append(f"{where}: no active partner '{slug}' in hub.json; ignored")
        partners[slug] = _partner_delivery(entry, where, env)
    return DeliveryConfig(partners=partners, referral_notices=notices, warnings=tuple(warnings))


def _partner_delivery(
    entry: Mapping[str, Any], where: str, env: Mapping[str, str]
) -> PartnerDelivery:
    """One ``[partners.<slug>]`` table; ``where`` names it in messages."""
    unknown = set(entry) - {"email", "webhook", "webhook_secret", "webhook_secret_env",
                            "referral_notices"}  # fmt: skip
    if unknown:
        raise SettingsError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
    email = entry.get("email")
    bad_email = email is not None and (
        not isinstance(email, str)
        or any(c in email for c in "\r\n,;<>")
        or (email != "" and "@" not in email)
    )
    if bad_email:
        raise SettingsError(f'{where}.email must be one e-mail address, or "" for none')
    webhook = entry.get("webhook")
    secret = str(entry.get("webhook_secret", ""))
    if entry.get("webhook_secret_env"):
        secret = env.get(str(entry["webhook_secret_env"]), "")
    if webhook is not None:
        _check_webhook(str(webhook), secret, where)
    referral = entry.get("referral_notices", True)
    if not isinstance(referral, bool):
        raise SettingsError(f"{where}.referral_notices must be true or false")
    return PartnerDelivery(
        email=email, webhook=str(webhook) if webhook else None, webhook_secret=secret,
        referral_notices=referral,
    )  # fmt: skip


def _check_webhook(webhook: str, secret: str, where: str) -> None:
    parts = urlsplit(webhook)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise SettingsError(f"{where}.webhook must be an http(s) URL")
    if len(secret) < MIN_SECRET:
        raise SettingsError(
            f"{where}: a webhook needs webhook_secret (or webhook_secret_env) of "
            f"{MIN_SECRET} characters at least, so the partner can verify signatures"
        )
