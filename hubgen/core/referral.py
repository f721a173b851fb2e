"""Tracked referral links: the one place that knows how a partner's link is spelled.

The partner travels in ``ref`` (browsers' link-decoration stripping and common blocker lists
leave it alone); UTM parameters only describe the channel for analytics tools, since blocker
lists strip them. Links always point at canonical trailing-slash URLs so no host redirect can
drop the query string.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from hubgen.core import urls


@dataclass(frozen=True)
class ReferralSettings:
    """How tracked links are spelled; every value is configurable in the plugin options."""

    param: str = "ref"
    """Query parameter carrying the partner's referral code."""
    utm: bool = True
    """Add UTM parameters describing the channel."""
    utm_source: str = "{code}"
    """``{code}`` is replaced by the partner's referral code."""
    utm_medium: str = "referral"
    utm_campaign: str = "{hub}"
    """``{hub}`` is replaced by the hub's slug (its site name, slugified)."""
    short_links: bool = True
    """Publish ``/r/<code>/`` and ``/r/<code>/<article>/`` short links."""
    window_days: int = 90
    """How long the visitor's browser remembers who referred them."""
    model: str = "last"
    """``last`` or ``first``: which touch a lead is credited to."""


def tracking_parameters(
    code: str,
    settings: ReferralSettings,
    hub_slug: str,
    *,
    content: str | None = None,
    medium: str | None = None,
) -> dict[str, str]:
    """The query parameters of a tracked link, in a stable order."""
    params = {settings.param: code}
    if settings.utm:
        values = {"code": code, "hub": hub_slug}
        params["utm_source"] = settings.utm_source.format_map(values)
        params["utm_medium"] = medium or settings.utm_medium.format_map(values)
        params["utm_campaign"] = settings.utm_campaign.format_map(values)
        if content:
            params["utm_content"] = content
    return params


def tracked_url(
    site_url: str,
    page_url: str,
    code: str,
    settings: ReferralSettings,
    hub_slug: str,
    *,
    content: str | None = None,
    medium: str | None = None,
) -> str:
    """Absolute URL of ``page_url`` (site-relative, trailing slash) carrying ``code``.

    >>> tracked_url("https://hub.example/", "articles/tax/", "acme", ReferralSettings(), "hub",
    ...             content="tax")
    'https://hub.example/articles/tax/?ref=acme&utm_source=acme&utm_medium=referral&utm_campaign=hub&utm_content=tax'
    """
    if page_url and not page_url.endswith("/") and "." not in page_url.rsplit("/", 1)[-1]:
        page_url += "/"  # canonical form: a redirect to add the slash could drop the query
    params = tracking_parameters(code, settings, hub_slug, content=content, medium=medium)
    return f"{urls.absolute(site_url, page_url)}?{urlencode(params)}"
