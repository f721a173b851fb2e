"""Which feeds a hub has, where each lives and what it lists.

The site feed, one per partner, topic and category, and each partner's syndication feed (every
article, linked with that partner's referral code). Pages link to them (:class:`FeedLink`);
:mod:`hubgen.site.feeds` writes them in every format.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hubgen.core import urls
from hubgen.core.models import Article, FeedKind, Partner, Topic
from hubgen.site.catalog import Catalog

MEDIA_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


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

    kind: FeedKind
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
    full_content: bool = True
    """Items carry the article's whole HTML (``feeds.full_content`` lists this kind)."""

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
    # Sorted once: each feed takes its own articles in this order (sorting all 3,000 again for
    # each of 100 syndication feeds was about 0.3 s of every build).
    newest = newest_first(public_articles(catalog, rendered))
    place = {article.url: number for number, article in enumerate(newest)}

    def pick(articles: Iterable[Article], count: int = limit) -> tuple[Article, ...]:
        if articles is catalog.articles:
            return newest[:count]
        shown = sorted((a for a in articles if a.url in place), key=lambda a: place[a.url])
        return tuple(shown[:count])

    specs = [
        FeedSpec(
            FeedKind.SITE,
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
                FeedKind.PARTNER,
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
                    FeedKind(topic.kind),
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
                FeedKind.SYNDICATION,
                syndication_title(catalog, partner),
                f"Articles from the {hub} network, with links that credit {partner.name}.",
                urls.partner(partner.slug),
                "syndication",
                pick(catalog.articles, settings.feeds.syndication_max_items),
                partner=partner,
            )
        )
    full = settings.feeds.full_content
    return [dataclasses.replace(spec, full_content=spec.kind in full) for spec in specs]
