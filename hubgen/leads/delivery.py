"""Turning an outbox row into an e-mail or a signed webhook call, and sending it.

Building messages is pure (tested without a network); sending uses the standard library only.
A delivery id is stable across retries: it is the webhook's ``X-Hubgen-Delivery`` header and
the e-mail's ``Message-ID``, so a receiver that sees it twice knows it is the same delivery.

Webhook signature: ``X-Hubgen-Signature: sha256=<hex>``, the HMAC-SHA256 (key: the partner's
secret) of ``<X-Hubgen-Timestamp>.<raw body>``. Receivers recompute it, compare in constant time
and refuse timestamps older than a few minutes (replays): the recipe partners copy is in
docs/pages/how-to/webhooks.md, and the delivery tests check real posts with that very code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

from hubgen import __version__
from hubgen.leads.deliveryconfig import Destinations
from hubgen.leads.models import Delivery, Lead, OutcomeStatus
from hubgen.leads.outcomes import OutcomeLinks, links_for
from hubgen.leads.registry import Registry
from hubgen.leads.settings import SmtpSettings
from hubgen.leads.tokens import LinkSigner

USER_AGENT = f"hubgen-leads/{__version__}"
_FIELD_ORDER = ("name", "email", "phone", "company", "service", "message", "consent")
_FIELD_NAMES = {"name": "Name", "email": "E-mail", "phone": "Phone", "company": "Business",
                "service": "Service", "message": "Message", "consent": "Consent"}  # fmt: skip


class DeliveryError(Exception):
    """This attempt failed; the worker retries later."""


def header_safe(value: str, what: str) -> str:
    """Refuse CR/LF outright: in a header they would start a new header (injection)."""
    if "\r" in value or "\n" in value:
        raise DeliveryError(f"{what} contains a line break; refusing to put it in an e-mail header")
    return value


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def _names(registry: Registry, slugs: tuple[str, ...]) -> str:
    names = [registry.partners[s].name if s in registry.partners else s for s in slugs]
    return ", ".join(names)


def _referral_summary(lead: Lead, registry: Registry) -> dict[str, Any]:
    return {
        "model": registry.model,
        "first": {"code": lead.first_ref or None, "partner": lead.first_partner},
        "last": {"code": lead.last_ref or None, "partner": lead.last_partner},
        "credited": lead.credited_partner,
        "self_referral": lead.self_referral,
    }


def webhook_payload(
    delivery: Delivery,
    lead: Lead,
    registry: Registry,
    *,
    links: OutcomeLinks | None = None,
    won_by: str | None = None,
) -> dict[str, Any]:
    """The JSON a partner's webhook receives. Referral notices and thanks carry no visitor
    details; a lead carries its signed outcome links when they are set up."""
    payload: dict[str, Any] = {
        "type": delivery.kind,
        "delivery_id": delivery.id,
        "hub": {"name": registry.site_name, "url": registry.site_url},
        "lead": {
            "id": lead.id,
            "created_at": lead.created_at.isoformat(),
            "form": lead.form_id,
            "page": lead.page,
            "page_url": registry.absolute(lead.page),
            "recipients": list(lead.recipients),
            "referral": _referral_summary(lead, registry),
        },
    }
    if delivery.kind == "lead":
        payload["lead"].update(
            fields={k: lead.fields[k] for k in _FIELD_ORDER if lead.fields.get(k)},
            authors=list(lead.authors),
            utm=lead.utm,
            landing_page=lead.landing_page or None,
            consent_version=lead.consent_version or None,
        )
        if links is not None:
            payload["outcome_links"] = dict(links.urls)
            payload["outcome_links_expire_at"] = links.expires.isoformat()
    if delivery.kind == "thanks":
        payload["outcome"] = {"status": OutcomeStatus.WON.value, "partner": won_by}
    return payload


def email_message(
    delivery: Delivery,
    lead: Lead,
    registry: Registry,
    sender: str,
    to: str,
    now: datetime,
    *,
    links: OutcomeLinks | None = None,
    won_by: str | None = None,
) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["From"] = header_safe(sender, "the sender address")
    message["To"] = header_safe(to, f"{delivery.partner}'s e-mail address")
    message["Date"] = format_datetime(now)
    host = urlsplit(registry.site_url).hostname or "hubgen.invalid"
    # Stable across retries, so mail clients and the partner see one message, not two.
    message["Message-ID"] = f"<{hashlib.sha256(delivery.id.encode()).hexdigest()[:32]}@{host}>"
    message["X-Hubgen-Delivery"] = delivery.id
    message["Auto-Submitted"] = "auto-generated"
    page_url = registry.absolute(lead.page)
    hub = registry.site_name or host
    if delivery.kind == "lead":
        name = header_safe(lead.fields.get("name", ""), "the visitor's name")
        email = header_safe(lead.fields.get("email", ""), "the visitor's e-mail address")
        if email:
            try:
                message["Reply-To"] = Address(display_name=name, addr_spec=email)
            except (ValueError, IndexError) as error:
                raise DeliveryError(
                    f"the visitor's address cannot be a Reply-To: {error}"
                ) from None
        message["Subject"] = header_safe(
            f"New enquiry from {name or 'a visitor'} via {hub}"[:200], "the subject"
        )
        message.set_content(_lead_text(lead, registry, page_url, hub, links))
    elif delivery.kind == "thanks":
        message["Subject"] = header_safe(f"Your referral became a client ({hub})", "the subject")
        message.set_content(_thanks_text(lead, registry, hub, won_by))
    else:
        message["Subject"] = header_safe(
            f"Your referral just asked for help ({hub})", "the subject"
        )
        message.set_content(_referral_text(lead, registry, page_url, hub))
    return message


def _lead_text(
    lead: Lead, registry: Registry, page_url: str, hub: str, links: OutcomeLinks | None
) -> str:
    lines = [f"A visitor asked for help through {hub}.", ""]
    for key in _FIELD_ORDER:
        value = lead.fields.get(key)
        if not value:
            continue
        if key == "message":
            lines += ["", "Message:", value, ""]
        else:
            lines.append(f"{_FIELD_NAMES[key]}: {value}")
    lines += ["", f"Page: {page_url}"]
    if len(lead.recipients) > 1:
        lines.append(f"Also sent to: {_names(registry, lead.recipients)}")
    if lead.credited_partner:
        lines.append(f"Referred by: {_names(registry, (lead.credited_partner,))}")
    if lead.consent_version:
        lines.append(f"Consent wording version: {lead.consent_version}")
    lines += [f"Lead id: {lead.id}", "", "Reply to this e-mail to answer the visitor."]
    if links is not None:
        lines += ["", "Tell the network what happened (one click each, no login):"]
        lines += [f"{OutcomeStatus(s).label}: {url}" for s, url in links.urls.items()]
        lines.append(f"(These links work until {links.expires:%Y-%m-%d}.)")
    return "\n".join(lines) + "\n"


def _thanks_text(lead: Lead, registry: Registry, hub: str, won_by: str | None) -> str:
    # Who became a client, and of what, stays between them and the firm: only the firm's name.
    firm = _names(registry, (won_by,)) if won_by else "a firm in the network"
    return (
        f"Your referral became a client of {firm}.\n\n"
        f"Someone you referred to {hub} has become a client; thank you for the referral.\n\n"
        f"Lead id: {lead.id}\n"
    )


def _referral_text(lead: Lead, registry: Registry, page_url: str, hub: str) -> str:
    return (
        f"Someone you referred to {hub} has just asked for help.\n\n"
        f"They wrote to: {_names(registry, lead.recipients)}\n"
        f"From the page: {page_url}\n\n"
        "Their details and message went only to the firm they chose, as they agreed; "
        "thank you for the referral.\n\n"
        f"Lead id: {lead.id}\n"
    )


def send_email(smtp: SmtpSettings, message: EmailMessage) -> None:
    try:
        if smtp.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.username:
                client.login(smtp.username, smtp.password)
            client.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"SMTP {smtp.host}:{smtp.port}: {error}") from None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is not a delivery: urllib would turn the POST into a body-less GET."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post_webhook(
    url: str, secret: str, delivery_id: str, body: bytes, now: datetime, timeout: float
) -> None:
    timestamp = str(int(now.timestamp()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Hubgen-Delivery": delivery_id,
            "X-Hubgen-Timestamp": timestamp,
            "X-Hubgen-Signature": sign(secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryError(f"webhook {url}: {getattr(error, 'reason', error)}") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"webhook {url} answered HTTP {status}")


class Sender:
    """Sends one delivery through its channel, to where the partner takes it now."""

    def __init__(
        self,
        registry: Registry,
        destinations: Destinations,
        smtp: SmtpSettings | None,
        webhook_timeout: float = 15.0,
        links: LinkSigner | None = None,
    ) -> None:
        self.registry = registry
        self.destinations = destinations
        self.smtp = smtp
        self.webhook_timeout = webhook_timeout
        self.links = links
        """Signs the outcome links in lead deliveries; None: deliveries carry no links."""

    def send(
        self, delivery: Delivery, lead: Lead, now: datetime, *, won_by: str | None = None
    ) -> None:
        """``won_by``: for a thanks, the partner who first marked the lead won."""
        links = None
        if self.links is not None and delivery.kind == "lead":
            links = links_for(self.links, lead.id, delivery.partner, now)
        if delivery.channel == "email":
            to = self.destinations.email(delivery.partner)
            if self.smtp is None or not to:
                raise DeliveryError(f"no SMTP server or e-mail address for {delivery.partner}")
            message = email_message(
                delivery, lead, self.registry, self.smtp.sender, to, now,
                links=links, won_by=won_by,
            )  # fmt: skip
            send_email(self.smtp, message)
        elif delivery.channel == "webhook":
            target = self.destinations.webhook(delivery.partner)
            if target is None:
                raise DeliveryError(f"no webhook configured for {delivery.partner}")
            payload = webhook_payload(delivery, lead, self.registry, links=links, won_by=won_by)
            body = json.dumps(payload, ensure_ascii=False).encode()
            post_webhook(target[0], target[1], delivery.id, body, now, self.webhook_timeout)
        else:
            raise DeliveryError(f"unknown channel {delivery.channel!r}")
