"""``hub.json``: the published registry of partners, articles and topics (documented in docs/pages/reference/hub-json.md, schema in hub.schema.json).

The lead receiver trusts only this file (partner slugs, referral codes), and integrations read it,
so its shape is a contract: add fields, never rename or remove them.
"""

from __future__ import annotations

import json
from typing import Any

from hubgen import __version__

from hubgen.core import urls
from hubgen.site.catalog import Catalog
from hubgen.site.feedspecs import feed_urls
from hubgen.site.forms import forms_manifest
from hubgen.site.shortlinks import short_link_target

MANIFEST_VERSION = 1


def build_manifest(catalog: Catalog) -> dict[str, Any]:
    settings = catalog.settings
    manifest: dict[str, Any] = {
        "version": MANIFEST_VERSION,
        "generator": f"hubgen {__version__}",
        "site": {
            "name": settings.name,
            "url": settings.site_url,
            "tagline": settings.tagline,
            "language": settings.language,
            "timezone": settings.timezone.key,
        },
        "partners": [
            {
                "slug": p.slug,
                "name": p.name,
                "url": urls.partner(p.slug),
                "referral_code": p.referral_code,
                "logo": p.logo.url,
                "email": p.email or None,
                "website": p.website or None,
                "services": list(p.services),
                "topics": list(p.topics),
                "share_kit": urls.share_kit(p.slug),
                "short_link": urls.short_link(p.referral_code)
                if settings.referral.short_links
                else None,
                # What the receiver's GET /r/<code> redirects to (it counts, then sends on).
                "short_link_target": short_link_target(settings, p),
            }
            for p in catalog.partners
        ],
        "articles": [
            {
                "slug": a.slug,
                "id": a.id,
                "title": a.title,
                "url": a.url,
                "authors": list(a.partner_slugs),
                "topics": [t.slug for t in a.topics],
                "category": a.category.slug if a.category else None,
                "date": a.date.isoformat(),
                "updated": a.updated.isoformat() if a.updated else None,
            }
            for a in catalog.articles
        ],
        "forms": forms_manifest(catalog, settings.forms),
        "referral": {
            "param": settings.referral.param,
            "model": settings.referral.model,
            "window_days": settings.referral.window_days,
        },
        "topics": [
            {"slug": t.slug, "name": t.name, "url": urls.topic(t.slug), "articles": len(items)}
            for t, items in catalog.topics.values()
        ],
        "categories": [
            {"slug": t.slug, "name": t.name, "url": urls.category(t.slug), "articles": len(items)}
            for t, items in catalog.categories.values()
        ],
    }
    _add_feeds(manifest, catalog)
    return manifest


def _add_feeds(manifest: dict[str, Any], catalog: Catalog) -> None:
    """Feed URLs for the site, each partner (plus their syndication feed), topic and category."""
    if not catalog.settings.feeds.enabled:
        return
    manifest["feeds"] = feed_urls(urls.HOME)
    for entry in manifest["partners"]:
        entry["feeds"] = {
            **feed_urls(entry["url"]),
            "syndication": feed_urls(entry["url"], "syndication"),
        }
    for key in ("topics", "categories"):
        for entry in manifest[key]:
            entry["feeds"] = feed_urls(entry["url"])


def partner_registry_json(catalog: Catalog) -> str:
    """What the attribution script looks a ``ref`` code up in: small, so it loads fast."""
    registry = [
        {"code": p.referral_code, "slug": p.slug, "name": p.name, "logo": p.logo.url,
         "url": urls.partner(p.slug)}
        for p in catalog.partners
    ]  # fmt: skip
    return json.dumps(registry, ensure_ascii=False, separators=(",", ":")) + "\n"


def manifest_json(catalog: Catalog) -> str:
    """``hub.json``'s text: each partner, article, topic and category on a line of its own, and
    each member of the other sections (site, forms, referral, feeds).

    One line per entry reads well and diffs as one line per change between deploys; and each
    line is written by ``json``'s C encoder, which an indented dump never uses (3,000 articles
    indented took ~30 ms of pure-Python encoding on every build, kept or not).
    """
    members = [_member(key, value) for key, value in build_manifest(catalog).items()]
    return "{\n" + ",\n".join(members) + "\n}\n"


def _member(key: str, value: object) -> str:
    if isinstance(value, list) and value:
        rows = [f"    {_one_line(item)}" for item in value]
        return f"  {_one_line(key)}: [\n" + ",\n".join(rows) + "\n  ]"
    if isinstance(value, dict) and value:
        rows = [f"    {_one_line(k)}: {_one_line(v)}" for k, v in value.items()]
        return f"  {_one_line(key)}: {{\n" + ",\n".join(rows) + "\n  }"
    return f"  {_one_line(key)}: {_one_line(value)}"


def _one_line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
