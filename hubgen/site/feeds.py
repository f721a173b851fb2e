"""Feeds (RSS 2.0, Atom, JSON Feed 1.1) for the site, each partner, topic and category, and each
partner's syndication feed: every article, linked with that partner's referral code.

Engine-free: it works from the :class:`~hubgen.site.catalog.Catalog` and the HTML the site engine
rendered for each article (``article.url`` → HTML), so Markdown is never rendered twice, and an
article the engine did not render (excluded from the build) is never announced.

feedgen writes RSS and Atom; JSON Feed is small enough to write with :func:`json.dumps`. Output is
deterministic: entries are appended in an explicit order and every date comes from the content
(feedgen would otherwise prepend entries and stamp ``now()``).
"""

from __future__ import annotations

import html as htmllib
import json
import mimetypes
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator

from hubgen import __version__

from hubgen.core import urls
from hubgen.site.catalog import Catalog
from hubgen.core.models import Article, Image, Partner, Topic
from hubgen.core.referral import tracked_url

MEDIA_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""``updated`` of a feed with nothing in it on a hub with no articles: fixed, never ``now``."""

# Characters XML 1.0 cannot carry even escaped (C0 controls other than tab/LF/CR, surrogates,
# U+FFFE/U+FFFF); lxml refuses them, so a stray one in a title would fail the whole build.
_NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _html_text(text: str) -> str:
    """Plain ``text`` as HTML text (quotes need no escaping outside attributes)."""
    return htmllib.escape(text, quote=False)


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot represent."""
    return _NOT_XML_RE.sub("", text)


# -- where feeds live ------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedLink:
    """One format of one feed, for ``<link rel="alternate">`` and visible "RSS" links."""

    url: str
    """Site-relative URL of the feed file."""
    format: str
    """``rss``, ``atom`` or ``json``."""
    title: str
    """The feed's title, with the format: ``Acme Accounting – Mini Hub (RSS)``."""

    @property
    def type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def label(self) -> str:
        return LABELS[self.format]


def feed_urls(page: str, name: str = "feed") -> dict[str, str]:
    """``{"rss": ..., "atom": ..., "json": ...}`` for the feed of the page at ``page``."""
    return {fmt: urls.feed(page, fmt, name) for fmt in urls.FEED_FORMATS}


def feed_links(page: str, title: str, name: str = "feed") -> tuple[FeedLink, ...]:
    return tuple(
        FeedLink(url, fmt, f"{title} ({LABELS[fmt]})") for fmt, url in feed_urls(page, name).items()
    )


def site_title(catalog: Catalog) -> str:
    return catalog.settings.name


def partner_title(catalog: Catalog, partner: Partner) -> str:
    return f"{partner.name} – {catalog.settings.name}"


def topic_title(catalog: Catalog, topic: Topic) -> str:
    return f"{topic.name} – {catalog.settings.name}"


def syndication_title(catalog: Catalog, partner: Partner) -> str:
    return f"{catalog.settings.name}, shared by {partner.name}"


# -- what each feed lists ----------------------------------------------------------------------


@dataclass(frozen=True)
class FeedSpec:
    """One feed, written in every format: its title, the page it mirrors and its articles."""

    kind: str
    """``site``, ``partner``, ``topic``, ``category`` or ``syndication``."""
    title: str
    description: str
    page: str
    """Site-relative URL of the HTML page the feed mirrors (its ``<link>``)."""
    name: str
    """File name without extension: ``feed`` or ``syndication``."""
    articles: tuple[Article, ...]
    """Newest first, already cut to the configured number of items."""
    partner: Partner | None = None
    """For syndication feeds: the partner whose referral code every link carries."""

    def url(self, fmt: str) -> str:
        return urls.feed(self.page, fmt, self.name)


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=lambda a: (a.date, a.url), reverse=True))


def public_articles(catalog: Catalog, rendered: Mapping[str, str]) -> tuple[Article, ...]:
    """What feeds may announce: public articles the engine rendered (never a previewed draft)."""
    return tuple(a for a in catalog.articles if catalog.status(a) is None and a.url in rendered)


def feed_specs(catalog: Catalog, rendered: Mapping[str, str]) -> list[FeedSpec]:
    """Every feed of the hub, in a stable order; only published articles that were rendered."""
    settings = catalog.settings
    limit, hub = settings.feeds.max_items, settings.name
    published = {a.url for a in public_articles(catalog, rendered)}

    def pick(articles: Iterable[Article], count: int = limit) -> tuple[Article, ...]:
        return newest_first(a for a in articles if a.url in published)[:count]

    specs = [
        FeedSpec(
            "site",
            site_title(catalog),
            settings.tagline or f"Articles from the {hub} network.",
            urls.HOME,
            "feed",
            pick(catalog.articles),
        )
    ]
    for partner in catalog.partners:
        specs.append(
            FeedSpec(
                "partner",
                partner_title(catalog, partner),
                f"Articles by {partner.name} on {hub}: {partner.tagline}",
                urls.partner(partner.slug),
                "feed",
                pick(catalog.by_partner.get(partner.slug, ())),
            )
        )
    for groups in (catalog.topics, catalog.categories):
        for topic, articles in groups.values():
            specs.append(
                FeedSpec(
                    topic.kind,
                    topic_title(catalog, topic),
                    f"Articles about {topic.name} from the {hub} network.",
                    urls.topic_page(topic),
                    "feed",
                    pick(articles),
                )
            )
    for partner in catalog.partners:
        specs.append(
            FeedSpec(
                "syndication",
                syndication_title(catalog, partner),
                f"Articles from the {hub} network, with links that credit {partner.name}.",
                urls.partner(partner.slug),
                "syndication",
                pick(catalog.articles, settings.feeds.syndication_max_items),
                partner=partner,
            )
        )
    return specs


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


class _Links:
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


def _image(catalog: Catalog, image: Image) -> Enclosure:
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


def _atom_id(article_id: str, site_url: str) -> str:
    """Atom ids must be IRIs: a UUID becomes ``urn:uuid:…``; other plain ids a name-based UUID."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", article_id):
        return article_id
    try:
        return uuid.UUID(article_id).urn
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"{site_url}#{article_id}").urn


class _EntryLinks(BaseEntryExtension):  # type: ignore[misc]
    """Writes the ``rel``, ``type`` and ``length`` of Atom entry links.

    feedgen 1.0 loses them (it reads them back from the new, empty element), which would turn
    the cover's ``rel="enclosure"`` into a second ``alternate`` link.
    """

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry: Any) -> Any:
        elements = [e for e in entry if e.tag == "link"]
        for element, link in zip(elements, self.links, strict=False):
            for key, value in link.items():
                element.attrib[key] = value
        return entry


class FeedBuilder:
    """Builds a hub's feeds, resolving each article's HTML against its URL once per feed kind."""

    def __init__(self, catalog: Catalog, rendered: Mapping[str, str]) -> None:
        self.catalog = catalog
        self.rendered = rendered
        self._content: dict[tuple[str, str | None], str] = {}

    def entry(self, article: Article, links: _Links) -> Entry:
        catalog = self.catalog
        settings = catalog.settings
        canonical = urls.absolute(settings.site_url, article.url)
        content = None
        if settings.feeds.full_content:
            key = (article.url, links.partner.slug if links.partner else None)
            if key not in self._content:
                self._content[key] = xml_safe(
                    absolute_html(
                        self.rendered[article.url], canonical, links.in_content(article)
                    ).strip()
                )
            content = self._content[key]
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
            content_html=content,
            published=article.date,
            updated=article.updated or article.date,
            modified=article.updated is not None,
            authors=authors,
            categories=categories,
            image=_image(catalog, article.cover) if article.cover else None,
            permalink=links.partner is None and article.id == canonical,
        )

    def render(self, spec: FeedSpec) -> dict[str, bytes]:
        """The feed's files by site-relative URL: RSS, Atom and JSON Feed."""
        links = _Links(self.catalog, spec.partner)
        entries = [self.entry(a, links) for a in spec.articles]
        return {
            spec.url("rss"): self._xml(spec, entries, links, "rss"),
            spec.url("atom"): self._xml(spec, entries, links, "atom"),
            spec.url("json"): self._json(spec, entries, links),
        }

    def _updated(self, entries: Sequence[Entry]) -> datetime:
        if entries:
            return max(e.updated for e in entries)
        # An empty feed (a partner's first article is on its way) is dated by the whole site.
        dates = [a.updated or a.date for a in public_articles(self.catalog, self.rendered)]
        return max(dates, default=EPOCH)

    def _xml(self, spec: FeedSpec, entries: Sequence[Entry], links: _Links, fmt: str) -> bytes:
        settings = self.catalog.settings
        fg = FeedGenerator()
        fg.load_extension("dc", atom=False, rss=True)  # RSS has no field for several authors
        self_url = urls.absolute(settings.site_url, spec.url(fmt))
        fg.id(self_url)
        fg.title(xml_safe(spec.title))
        # RSS <description> holds HTML (readers render it), Atom's <subtitle>/<summary> plain text:
        # a plain-text description is HTML-escaped for RSS, so "<b>" shows as text in both.
        as_description = _html_text if fmt == "rss" else str
        fg.description(as_description(xml_safe(spec.description)))
        fg.language(settings.language)
        fg.generator("hubgen", version=__version__)
        fg.register_extension("hubgen", BaseExtension, _EntryLinks, atom=True, rss=False)
        fg.link(href=self_url, rel="self", type=MEDIA_TYPES[fmt])
        # RSS's channel <link> is the last link given: the HTML page.
        fg.link(href=links.page(spec.page), rel="alternate", type="text/html")
        fg.updated(self._updated(entries))
        for entry in entries:  # already newest first; append keeps that order
            fe = fg.add_entry(order="append")
            fe.title(entry.title)
            entry_links = [{"href": entry.url, "rel": "alternate", "type": "text/html"}]
            if entry.image is not None:
                image = entry.image
                entry_links.append(
                    {
                        "href": image.url,
                        "rel": "enclosure",
                        "type": image.type,
                        "length": str(image.length),
                    }
                )
            fe.link(entry_links)
            fe.hubgen.links = entry_links
            if fmt == "atom":
                fe.id(_atom_id(entry.id, settings.site_url))
            else:
                fe.guid(entry.id, permalink=entry.permalink)
            fe.published(entry.published)
            fe.updated(entry.updated)
            fe.summary(as_description(entry.summary))
            if entry.content_html is not None:
                fe.content(entry.content_html, type="html")
            for author in entry.authors:
                # Names only: partners' e-mail addresses are not the feed's to publish.
                fe.author({"name": author.name, **({"uri": author.url} if author.url else {})})
                fe.dc.dc_creator(author.name)
            for category in entry.categories:
                fe.category(term=category.term, label=category.label, scheme=category.scheme)
        if fmt == "rss":
            return bytes(fg.rss_str(pretty=True))
        return bytes(fg.atom_str(pretty=True))

    def _json(self, spec: FeedSpec, entries: Sequence[Entry], links: _Links) -> bytes:
        settings = self.catalog.settings
        items = []
        for entry in entries:
            item: dict[str, object] = {"id": entry.id, "url": entry.url, "title": entry.title}
            if entry.content_html is not None:
                item["content_html"] = entry.content_html
            else:
                item["content_text"] = entry.summary
            item["summary"] = entry.summary
            if entry.image is not None:
                item["image"] = entry.image.url
            item["date_published"] = entry.published.isoformat()
            if entry.modified:
                item["date_modified"] = entry.updated.isoformat()
            item["authors"] = [
                {"name": a.name, **({"url": a.url} if a.url else {})} for a in entry.authors
            ]
            item["tags"] = [c.label for c in entry.categories]
            items.append(item)
        data = {
            "version": JSON_FEED_VERSION,
            "title": xml_safe(spec.title),
            "home_page_url": links.page(spec.page),
            "feed_url": urls.absolute(settings.site_url, spec.url("json")),
            "description": xml_safe(spec.description),
            "language": settings.language,
            "items": items,
        }
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def iter_feeds(catalog: Catalog, rendered: Mapping[str, str]) -> Iterator[tuple[str, bytes]]:
    """Every feed file of the hub as (site-relative URL, bytes), one feed at a time.

    A generator, so a build holds one feed in memory rather than all of them (hundreds of feeds
    of full articles came to about 70 MB at 1,000 articles).
    """
    builder = FeedBuilder(catalog, rendered)
    for spec in feed_specs(catalog, rendered):
        yield from builder.render(spec).items()


def render_feeds(catalog: Catalog, rendered: Mapping[str, str]) -> dict[str, bytes]:
    """Every feed file of the hub by site-relative URL, in a stable order."""
    return dict(iter_feeds(catalog, rendered))


class FeedStore(Protocol):
    """Where a build keeps feeds it wrote, to copy rather than render them when nothing changed."""

    def restore(self, spec: FeedSpec, targets: Mapping[str, Path]) -> bool:
        """Put the kept files of ``spec`` at ``targets`` (format → path); False if none is kept."""

    def keep(self, spec: FeedSpec, targets: Mapping[str, Path]) -> None:
        """Keep the files just written to ``targets`` for the next build."""


def write_feeds(
    catalog: Catalog, rendered: Mapping[str, str], site_dir: Path, store: FeedStore | None = None
) -> list[Path]:
    """Write every feed under ``site_dir``; returns the files written.

    With a ``store``, a feed whose content cannot have changed is restored from it; only the
    others are rendered (and read the HTML of their articles from ``rendered``).
    """
    builder = FeedBuilder(catalog, rendered)
    written: list[Path] = []
    for spec in feed_specs(catalog, rendered):
        targets = {fmt: site_dir / spec.url(fmt) for fmt in urls.FEED_FORMATS}
        if store is None or not store.restore(spec, targets):
            files = builder.render(spec)
            for fmt, path in targets.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(files[spec.url(fmt)])
            if store is not None:
                store.keep(spec, targets)
        written += targets.values()
    return written
