"""The pages hubgen generates, as engine-free specs (URL, title, template, Markdown, data).

The MkDocs plugin turns each spec into a ``File.generated``; a plain-files engine can write the
same specs to disk. Articles are not generated: they are the hub's own Markdown files.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hubgen.core import urls
from hubgen.site.catalog import Catalog
from hubgen.core.models import Article, Partner, Topic
from hubgen.core.text import plain_text, truncate

DESCRIPTION_LENGTH = 160
PAGE_WINDOW = 2
NOINDEX_KINDS = frozenset({"share", "thanks"})
"""Pages kept out of search engines and the sitemap: share kits are for partners only."""


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    base: str

    @property
    def previous_url(self) -> str | None:
        return urls.paginated(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return urls.paginated(self.base, self.number + 1) if self.number < self.count else None

    @property
    def pages(self) -> list[tuple[int, str] | None]:
        """First, last and two either side of the current page; None marks a gap.

        A window keeps list pages small: linking every page from every page grows with the
        square of the page count (306 links per page at 3,000 articles).
        """
        shown = {1, self.count, *range(self.number - PAGE_WINDOW, self.number + PAGE_WINDOW + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.count)
        window: list[tuple[int, str] | None] = []
        for previous, number in zip([0, *numbers], numbers, strict=False):
            if number - previous > 1:
                window.append(None)
            window.append((number, urls.paginated(self.base, number)))
        return window


@dataclass(frozen=True)
class StaticFile:
    """A file written as is (not a themed page): short-link redirects, QR codes."""

    path: str
    """Site-relative file path, e.g. ``r/acme/index.html``."""
    content: str


@dataclass(frozen=True)
class PageSpec:
    url: str
    title: str
    template: str
    kind: str
    """home, articles, archive, topics, topic, category, directory, service, partner, about."""
    markdown: str = ""
    description: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    searchable: bool = False
    """List pages stay out of the search index; profiles and about pages are worth finding."""

    @property
    def src_uri(self) -> str:
        return urls.src_uri(self.url)


def generate_pages(catalog: Catalog) -> list[PageSpec]:
    """Every generated page of the hub, in a stable order."""
    settings = catalog.settings
    pages: list[PageSpec] = [_home(catalog)]
    pages += _paginate(
        catalog,
        urls.ARTICLES,
        "Articles",
        "articles",
        catalog.articles,
        f"Every article from the {settings.name} network, newest first.",
        extra={"years": list(catalog.years)},
    )
    for year, articles in catalog.years.items():
        pages += _paginate(
            catalog,
            urls.year(year),
            f"Articles from {year}",
            "archive",
            articles,
            f"Articles published by the {settings.name} network in {year}.",
            extra={"year": year},
        )
    pages.append(_topics_index(catalog))
    for topic, articles in catalog.topics.values():
        pages += _topic_pages(catalog, topic, articles, urls.topic(topic.slug), "topic")
    for topic, articles in catalog.categories.values():
        pages += _topic_pages(catalog, topic, articles, urls.category(topic.slug), "category")
    pages.append(_directory(catalog, None))
    for slug in catalog.services:
        pages.append(_directory(catalog, slug))
    for partner in catalog.partners:
        pages += _partner_pages(catalog, partner)
        pages.append(
            PageSpec(
                urls.share_kit(partner.slug),
                f"Share kit: {partner.name}",
                "hubgen/share.html",
                "share",
                description=f"Tracked links, ready-made posts and a QR code for {partner.name}.",
                data={"partner": partner},
            )
        )
    pages.append(
        PageSpec(
            urls.CONTACT,
            "Find the right professional",
            "hubgen/contact.html",
            "contact",
            description=f"Tell {settings.name} what you need and the right partner will be in touch.",
            data={"partners": catalog.partners},
        )
    )
    pages.append(
        PageSpec(
            urls.THANKS,
            "Thank you",
            "hubgen/thanks.html",
            "thanks",
            description=f"Thank you for contacting {settings.name}: your message is on its way "
            "to the partner who can help.",
            data={},
        )
    )
    if settings.about:
        pages.append(
            PageSpec(
                urls.ABOUT,
                f"About {settings.name}",
                "hubgen/about.html",
                "about",
                markdown=settings.about,
                searchable=True,
                description=truncate(plain_text(settings.about), DESCRIPTION_LENGTH),
                data={"partners": catalog.partners},
            )
        )
    return pages


def _home(catalog: Catalog) -> PageSpec:
    settings = catalog.settings
    topics = sorted(catalog.topics.values(), key=lambda entry: (-len(entry[1]), entry[0].name))
    return PageSpec(
        urls.HOME,
        settings.name,
        "hubgen/home.html",
        "home",
        description=settings.tagline or f"Articles from the {settings.name} network.",
        data={
            "articles": catalog.articles[: settings.home_articles],
            "more": len(catalog.articles) > settings.home_articles,
            "partners": catalog.partners,
            "topics": [entry[0] for entry in topics[:12]],
        },
    )


def _chunks(items: Sequence[Article], size: int) -> Iterator[Sequence[Article]]:
    count = max(1, math.ceil(len(items) / size))
    for number in range(count):
        yield items[number * size : (number + 1) * size]


def _paginate(
    catalog: Catalog,
    base: str,
    title: str,
    kind: str,
    articles: Sequence[Article],
    description: str,
    *,
    extra: Mapping[str, Any] | None = None,
    template: str = "hubgen/list.html",
) -> list[PageSpec]:
    size = catalog.settings.page_size
    count = max(1, math.ceil(len(articles) / size))
    pages = []
    for number, chunk in enumerate(_chunks(articles, size), start=1):
        pagination = Pagination(number, count, base)
        suffix = f" (page {number} of {count})" if number > 1 else ""
        pages.append(
            PageSpec(
                urls.paginated(base, number),
                title + suffix,
                template,
                kind,
                description=description,
                data={
                    "heading": title,
                    "articles": chunk,
                    "pagination": pagination,
                    **(extra or {}),
                },
            )
        )
    return pages


def _topics_index(catalog: Catalog) -> PageSpec:
    return PageSpec(
        urls.TOPICS,
        "Topics",
        "hubgen/topics.html",
        "topics",
        description=f"Browse the {catalog.settings.name} articles by topic, category and year.",
        data={
            "topics": list(catalog.topics.values()),
            "categories": list(catalog.categories.values()),
            "years": catalog.years,
        },
    )


def _topic_pages(
    catalog: Catalog, topic: Topic, articles: Sequence[Article], base: str, kind: str
) -> list[PageSpec]:
    experts = catalog.experts_on(topic.slug) if kind == "topic" else ()
    noun = "Topic" if kind == "topic" else "Category"
    return _paginate(
        catalog,
        base,
        topic.name,
        kind,
        articles,
        f"{noun}: {topic.name}. Articles and experts from the {catalog.settings.name} network.",
        extra={"topic": topic, "experts": experts, "noun": noun},
    )


def _directory(catalog: Catalog, service_slug: str | None) -> PageSpec:
    settings = catalog.settings
    service = catalog.services[service_slug] if service_slug else None
    title = f"Partners offering {service.name}" if service else "Partners"
    return PageSpec(
        urls.service(service.slug) if service else urls.PARTNERS,
        title,
        "hubgen/directory.html",
        "service" if service else "directory",
        description=(
            f"{settings.name} partners who offer {service.name}."
            if service
            else f"The firms of the {settings.name} network and what each of them does."
        ),
        data={
            "partners": catalog.partners,
            "services": list(catalog.services.values()),
            "active_service": service,
            "service_slugs": {p.slug: catalog.service_slugs(p) for p in catalog.partners},
        },
    )


def partner_markdown(partner: Partner) -> str:
    """The searchable body of a partner's page: their own words, in sections.

    Only ``bio`` is Markdown; the other fields are plain text (shown as such on share kits and
    cards), so their ``<`` and ``&`` are escaped here and read the same on the profile.
    """
    ideal = partner.ideal_client
    parts = [
        partner.bio.strip(),
        "## Who we help",
        _text(ideal.who_we_help),
        "### How to spot them",
        _text(ideal.how_to_spot_them),
    ]
    if partner.what_makes_us_different:
        parts += ["## What makes us different", _text(partner.what_makes_us_different)]
    parts += ["## Services", "\n".join(f"- {_text(s)}" for s in partner.services)]
    return "\n\n".join(parts) + "\n"


def _text(plain: str) -> str:
    return html.escape(plain.strip(), quote=False)


def _partner_pages(catalog: Catalog, partner: Partner) -> list[PageSpec]:
    articles = catalog.by_partner.get(partner.slug, ())
    pages = _paginate(
        catalog,
        urls.partner(partner.slug),
        partner.name,
        "partner",
        articles,
        truncate(
            f"{partner.name}: {partner.tagline}. {partner.ideal_client.who_we_help}",
            DESCRIPTION_LENGTH,
        ),
        extra={"partner": partner, "expert_topics": catalog.expert_topics(partner)},
        template="hubgen/partner.html",
    )
    # Page 1 is the profile (searchable); later pages only continue the article list.
    first = pages[0]
    pages[0] = PageSpec(
        first.url,
        first.title,
        first.template,
        first.kind,
        partner_markdown(partner),
        first.description,
        first.data,
        searchable=True,
    )
    return pages
