"""One article as a feed entry: its texts XML-safe, its HTML with absolute links, its links
spelt as the feed spells them (canonical, or carrying a partner's referral code).

Engine-free: the article's HTML is what the site engine rendered (``article.url`` → HTML), so
Markdown is never rendered twice.
"""

from __future__ import annotations

import html as htmllib
import mimetypes
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from hubgen.core import urls
from hubgen.core.models import Article, Image, Partner
from hubgen.core.referral import tracked_url
from hubgen.site.catalog import Catalog

# Characters XML 1.0 cannot carry even escaped (C0 controls other than tab/LF/CR, surrogates,
# U+FFFE/U+FFFF); lxml refuses them, so a stray one in a title would fail the whole build.
_NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot represent."""
    return _NOT_XML_RE.sub("", text)


# -- absolute URLs in content --------------------------------------------------------------

_HEADERLINK_RE = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_TAG_RE = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*/?>"
)
_URL_ATTR_RE = re.compile(
    r"(\s)(href|src|poster|srcset)(\s*=\s*)(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))", re.IGNORECASE
)

LinkHook = Callable[[str], str]
"""Called with each absolute ``<a href>`` target; returns the URL to use instead."""


def absolute_html(html: str, base: str, link: LinkHook | None = None) -> str:
    """``html`` with every relative ``href``/``src``/``srcset``/``poster`` resolved against ``base``.

    Feed readers show items away from the site, where relative links break. Heading permalinks
    (``¶``) are dropped: they only make sense on the page. ``link`` may rewrite ``<a href>``
    targets once they are absolute (syndication feeds add the partner's referral code).
    """
    html = _HEADERLINK_RE.sub("", html)

    def attribute(match: re.Match[str], tag: str) -> str:
        space, name, equals = match.group(1), match.group(2), match.group(3)
        raw = next(v for v in match.group(4, 5, 6) if v is not None)
        value = htmllib.unescape(raw)
        if name.lower() == "srcset":
            value = ", ".join(_srcset_item(item, base) for item in value.split(",") if item.strip())
        else:
            value = urljoin(base, value.strip())
            if link is not None and tag == "a" and name.lower() == "href":
                value = link(value)
        return f'{space}{name}{equals}"{htmllib.escape(value, quote=True)}"'

    def tag(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        return _URL_ATTR_RE.sub(lambda m: attribute(m, name), match.group(0))

    return _TAG_RE.sub(tag, html)


def _srcset_item(item: str, base: str) -> str:
    url, _, descriptor = item.strip().partition(" ")
    return f"{urljoin(base, url)} {descriptor.strip()}".strip()


# -- entries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Author:
    name: str
    url: str | None


@dataclass(frozen=True)
class Category:
    term: str
    label: str
    scheme: str


@dataclass(frozen=True)
class Enclosure:
    url: str
    type: str
    length: int
    """Bytes; 0 when unknown (a remote image), as RSS readers expect."""


@dataclass(frozen=True)
class Entry:
    """One article as any feed format needs it, every text already XML-safe."""

    id: str
    url: str
    title: str
    summary: str
    content_html: str | None
    published: datetime
    updated: datetime
    modified: bool
    """``updated`` was set by the author (JSON Feed only states ``date_modified`` then)."""
    authors: tuple[Author, ...]
    categories: tuple[Category, ...]
    image: Enclosure | None
    permalink: bool
    """The id is the article's canonical URL (RSS ``isPermaLink="true"``)."""


class FeedLinks:
    """How one feed spells links: canonical URLs, or a partner's tracked links (syndication)."""

    def __init__(self, catalog: Catalog, partner: Partner | None) -> None:
        self.settings = catalog.settings
        self.partner = partner
        self.base = urls.absolute(self.settings.site_url, urls.HOME)

    def page(self, url: str, content: str | None = None) -> str:
        if self.partner is None:
            return urls.absolute(self.settings.site_url, url)
        return tracked_url(
            self.settings.site_url,
            url,
            self.partner.referral_code or self.partner.slug,
            self.settings.referral,
            self.settings.slug,
            content=content,
            medium="feed",  # visits from a syndication feed count as the feed channel
        )

    def in_content(self, article: Article) -> LinkHook | None:
        """Links inside an article to the hub's own pages carry the partner's code too."""
        if self.partner is None:
            return None

        def hook(url: str) -> str:
            if not url.startswith(self.base) or url.startswith("//"):
                return url
            parts = urlsplit(url)
            path = url[len(self.base) :].split("#", 1)[0]
            if parts.query or not (path == "" or path.endswith("/")):
                return url  # a file (image, PDF) or a link that already has a query
            fragment = f"#{parts.fragment}" if parts.fragment else ""
            return self.page(path, article.slug) + fragment

        return hook


def _enclosure(catalog: Catalog, image: Image) -> Enclosure:
    """A cover image as an enclosure: absolute URL, media type, and size when it is local."""
    url = urls.absolute(catalog.settings.site_url, image.url) if image.is_local else image.url
    media_type = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
    length = 0
    if image.source is not None:
        try:
            length = image.source.stat().st_size
        except OSError:  # pragma: no cover - the loader checked the file exists
            length = 0
    return Enclosure(url, media_type, length)


_SCHEMES = {"topic": urls.TOPICS, "category": urls.CATEGORIES}
"""Category schemes: where a topic's or a category's slug (the term) is looked up."""


class EntryMaker:
    """Makes the entries of a hub's feeds, resolving each article's HTML against its URL once
    per way of spelling links (canonical, or one partner's)."""

    def __init__(self, catalog: Catalog, rendered: Mapping[str, str]) -> None:
        self.catalog = catalog
        self.rendered = rendered
        self._content: dict[tuple[str, str | None], str] = {}

    def entry(self, article: Article, links: FeedLinks, *, full_content: bool = True) -> Entry:
        """``article`` as an entry of a feed that spells links as ``links`` does; with its whole
        HTML when ``full_content``, else its summary only."""
        catalog = self.catalog
        settings = catalog.settings
        canonical = urls.absolute(settings.site_url, article.url)
        authors = tuple(
            Author(
                xml_safe(b.label),
                links.page(urls.partner(b.partner.slug)) if b.is_active else None,
            )
            for b in catalog.bylines(article)
        )
        topics = article.topics + ((article.category,) if article.category else ())
        categories = tuple(
            Category(
                t.slug,
                xml_safe(t.name),
                urls.absolute(settings.site_url, _SCHEMES[t.kind]),
            )
            for t in topics
        )
        return Entry(
            id=xml_safe(article.id),
            url=links.page(article.url, article.slug),
            title=xml_safe(article.title),
            summary=xml_safe(article.excerpt),
            content_html=self._content_html(article, canonical, links) if full_content else None,
            published=article.date,
            updated=article.updated or article.date,
            modified=article.updated is not None,
            authors=authors,
            categories=categories,
            image=_enclosure(catalog, article.cover) if article.cover else None,
            permalink=links.partner is None and article.id == canonical,
        )

    def _content_html(self, article: Article, canonical: str, links: FeedLinks) -> str:
        """The article's whole HTML, links absolute, resolved once per way of spelling links."""
        key = (article.url, links.partner.slug if links.partner else None)
        if key not in self._content:
            self._content[key] = xml_safe(
                absolute_html(
                    self.rendered[article.url], canonical, links.in_content(article)
                ).strip()
            )
        return self._content[key]
