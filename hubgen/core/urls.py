"""The hub's URL scheme: the one place that knows where every generated page lives.

All URLs are site-relative, without a leading slash and with a trailing slash, so they can be
joined to any base URL (including a sub-path deployment) and never trigger a host redirect.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hubgen.core.models import Topic

HOME = ""
ARTICLES = "articles/"
PARTNERS = "partners/"
TOPICS = "topics/"
CATEGORIES = "categories/"
ARCHIVE = "archive/"
SERVICES = "services/"
PROFESSIONS = "professions/"
ABOUT = "about/"
CONTACT = "contact/"
THANKS = "thanks/"
REFERRAL_GUIDE = "referral-guide/"
"""Whom each partner wants referred (for partners: noindex, not in the sitemap or search)."""
MANIFEST = "hub.json"


def partner(slug: str) -> str:
    return f"{PARTNERS}{slug}/"


def topic(slug: str) -> str:
    return f"{TOPICS}{slug}/"


def category(slug: str) -> str:
    return f"{CATEGORIES}{slug}/"


def topic_page(term: Topic) -> str:
    """The page of a tag or a category, whichever ``term`` is."""
    return category(term.slug) if term.kind == "category" else topic(term.slug)


def year(value: int) -> str:
    return f"{ARCHIVE}{value}/"


def service(slug: str) -> str:
    return f"{SERVICES}{slug}/"


def profession(slug: str) -> str:
    return f"{PROFESSIONS}{slug}/"


def short_link(code: str) -> str:
    return f"r/{code}/"


def share_kit(slug: str) -> str:
    return f"{partner(slug)}share/"


def qr_code(slug: str) -> str:
    """A partner's QR code (their tracked link), next to their share kit."""
    return f"{share_kit(slug)}qr.svg"


def social_card(page: str) -> str:
    """A page's social card (``og:image``), next to it: ``articles/x/`` → ``articles/x/card.png``."""
    return f"{page}card.png"


SEARCH_BUNDLE = "pagefind"
"""Pagefind's index in the built site (what ``search.js`` imports ``pagefind.js`` from)."""
PARTNER_REGISTRY = "assets/hubgen/partners.json"
"""The published partners as the attribution script needs them (code, name, logo, page)."""
THEME_STYLESHEET = "assets/hubgen/hubgen.css"
"""The theme's stylesheet, which every page links; the build appends the partners' accent
classes to it."""
REFERRAL_SCRIPT = "assets/hubgen/referral.js"
"""The attribution script (a theme asset): every page loads it, short links too."""


def paginated(base: str, number: int) -> str:
    """Page 1 of a list lives at its base URL; page N at ``<base>page/N/``."""
    return base if number == 1 else f"{base}page/{number}/"


def article(src_uri: str, slug: str) -> str:
    """An article's page: ``articles/2025-x.md`` with slug ``x`` → ``articles/x/``."""
    return posixpath.join(posixpath.dirname(src_uri), slug) + "/"


def partner_file(slug: str, name: str) -> str:
    """A file of a partner's folder as published: ``partners/<slug>/<name>``."""
    return f"{PARTNERS}{slug}/{name}"


def src_uri(url: str) -> str:
    """The virtual Markdown source a generated page pretends to have: ``x/`` → ``x/index.md``."""
    return f"{url}index.md"


def html_file(url: str) -> str:
    """The file a page is written to: ``x/`` → ``x/index.html``."""
    return f"{url}index.html"


def absolute(site_url: str, url: str) -> str:
    """Join a site-relative URL to the configured base URL (or return it unchanged without one)."""
    if not site_url:
        return "/" + url
    return site_url.rstrip("/") + "/" + url


# -- feeds -------------------------------------------------------------------------------------
# A feed lives next to the HTML page it mirrors: ``<page>feed.xml`` (RSS 2.0), ``<page>feed.atom``
# (Atom) and ``<page>feed.json`` (JSON Feed 1.1); a partner's syndication feed (every article,
# linked with their referral code) sits beside their page as ``syndication.xml`` etc.

FEED_FORMATS = ("rss", "atom", "json")
FEED_EXTENSIONS = {"rss": "xml", "atom": "atom", "json": "json"}


def feed(page: str, fmt: str, name: str = "feed") -> str:
    """``feed("topics/tax/", "atom")`` → ``topics/tax/feed.atom``; the site feed has page ``""``."""
    return f"{page}{name}.{FEED_EXTENSIONS[fmt]}"


def syndication(partner_slug: str, fmt: str) -> str:
    return feed(partner(partner_slug), fmt, "syndication")
