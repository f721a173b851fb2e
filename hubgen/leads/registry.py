"""The hub's ``hub.json`` as the receiver's registry: the only source of partners, codes and forms.

Form posts are never trusted for routing; every partner slug, referral code, form id, field name
and limit the receiver uses comes from here.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class RegistryError(Exception):
    """hub.json is missing, unreadable or not shaped as a hub's manifest."""


@dataclass(frozen=True)
class Partner:
    slug: str
    name: str
    url: str
    """Site-relative page URL, ``partners/<slug>/``."""
    referral_code: str
    email: str | None = None
    website: str | None = None
    short_link_target: str = ""
    """Where the partner's short link leads, site-relative with its query (hub.json)."""

    @property
    def domains(self) -> frozenset[str]:
        """The partner's own e-mail and web domains: a lead from one of them is a self-referral."""
        found: set[str] = set()
        if self.email and "@" in self.email:
            found.add(self.email.rsplit("@", 1)[1].lower())
        if self.website:
            host = (urlsplit(self.website).hostname or "").lower()
            if host:
                found.add(host.removeprefix("www."))
        return frozenset(found)


@dataclass(frozen=True)
class FormSpec:
    id: str
    visible: tuple[str, ...]
    hidden: tuple[str, ...]
    max_length: dict[str, int]
    required: frozenset[str]

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset(self.visible) | frozenset(self.hidden)


@dataclass(frozen=True)
class Registry:
    site_name: str
    site_url: str
    """Absolute base URL with a trailing slash, e.g. ``https://hub.example/``."""
    timezone: str
    partners: dict[str, Partner]
    articles: dict[str, tuple[str, ...]]
    """Article URL (site-relative) → author slugs, as listed (retired authors included)."""
    forms: dict[str, FormSpec]
    services: dict[str, tuple[str, ...]]
    honeypot: str = "website"
    thank_you: str = "thanks/"
    endpoint: str = ""
    model: str = "last"
    window_days: int = 90
    codes: dict[str, str] = field(default_factory=dict)
    """Lower-cased referral code → partner slug."""

    @property
    def origin(self) -> str:
        """``scheme://host[:port]`` of the site: what browsers send in ``Origin``."""
        return origin_of(self.site_url)

    @property
    def site_path(self) -> str:
        """The site's path below its origin (``/`` or ``/hub/`` for a project site)."""
        return urlsplit(self.site_url).path or "/"

    def partner_for_code(self, code: str) -> Partner | None:
        slug = self.codes.get(code.strip().lower())
        return self.partners.get(slug) if slug else None

    def absolute(self, url: str) -> str:
        return self.site_url + url.lstrip("/")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        return ""
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def load_registry(source: str) -> Registry:
    """Read hub.json from a file, a built site folder or an http(s) URL."""
    if source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(source, timeout=10) as response:
                text = response.read().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise RegistryError(f"could not fetch {source}: {error}") from None
    else:
        path = Path(source)
        if path.is_dir():
            path = path / "hub.json"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise RegistryError(
                f"could not read {path}: {error} (build the hub first, or pass --hub)"
            ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RegistryError(f"{source} is not JSON: {error}") from None
    return parse_registry(data, source)


def parse_registry(data: Any, source: str = "hub.json") -> Registry:
    try:
        return _parse(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise RegistryError(
            f"{source} is not a hub manifest hubgen understands ({type(error).__name__}: {error})"
        ) from None


def _parse(data: dict[str, Any]) -> Registry:
    site = data["site"]
    site_url = str(site["url"] or "")
    if not origin_of(site_url):
        raise ValueError(f"site.url must be an absolute http(s) URL, got {site_url!r}")
    if not site_url.endswith("/"):
        site_url += "/"
    partners = {
        str(p["slug"]): Partner(
            slug=str(p["slug"]),
            name=str(p["name"]),
            url=str(p["url"]),
            referral_code=str(p["referral_code"]),
            email=p.get("email") or None,
            website=p.get("website") or None,
            short_link_target=str(p.get("short_link_target") or ""),
        )
        for p in data["partners"]
    }
    forms_data = data["forms"]
    forms = {
        form_id: FormSpec(
            id=form_id,
            visible=tuple(spec["visible"]),
            hidden=tuple(spec["hidden"]),
            max_length={str(k): int(v) for k, v in spec["max_length"].items()},
            required=frozenset(forms_data["required"].get(form_id, ())),
        )
        for form_id, spec in forms_data["fields"].items()
    }
    referral = data.get("referral") or {}
    model = str(referral.get("model", "last"))
    if model not in ("last", "first"):
        raise ValueError(f"referral.model must be 'last' or 'first', got {model!r}")
    return Registry(
        site_name=str(site.get("name", "")),
        site_url=site_url,
        timezone=str(site.get("timezone") or "UTC"),
        partners=partners,
        articles={str(a["url"]): tuple(a["authors"]) for a in data["articles"]},
        forms=forms,
        services={str(k): tuple(v) for k, v in forms_data.get("services", {}).items()},
        honeypot=str(forms_data.get("honeypot", "website")),
        thank_you=str(forms_data.get("thank_you", "thanks/")),
        endpoint=str(forms_data.get("endpoint", "")),
        model=model,
        window_days=int(referral.get("window_days", 90)),
        codes={p.referral_code.lower(): p.slug for p in partners.values()},
    )
