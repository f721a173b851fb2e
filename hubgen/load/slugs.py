"""The names contributors' files give things on the site: slugs and feed ids (their URLs: core/urls.py).

The loader derives them when it builds the models; the ownership gate derives them again from
the base commit's files to tell whether a change moves a published article.
"""

from __future__ import annotations

import re

RESERVED_SLUGS = frozenset({"page", "index", "feed", "feeds", "assets"})
"""URL segments hubgen uses for its own pages below /partners/ and /articles/."""

_DATE_PREFIX_RE = re.compile(r"^\d{4}-\d{2}-\d{2}-")


def slug_from_name(stem: str) -> str:
    """``2025-03-14-cash-flow`` → ``cash-flow``: a date prefix keeps files sorted, not URLs."""
    return _DATE_PREFIX_RE.sub("", stem)


def default_feed_id(site_url: str, url: str) -> str:
    """The article's canonical URL: stable as long as the slug and site URL are."""
    return (site_url.rstrip("/") + "/" + url) if site_url else url
