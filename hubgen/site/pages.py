"""The pages hubgen generates, as engine-free specs (URL, title, template, Markdown, data).

The MkDocs plugin turns each spec into a ``File.generated``; a plain-files engine can write the
same specs to disk. Articles are not generated: they are the hub's own Markdown files.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from hubgen.core import urls
from hubgen.core.models import Article, Partner, Topic
from hubgen.core.text import plain_text, truncate
from hubgen.site.catalog import Catalog
from hubgen.site.pagedata import (
    AllArticlesData,
    ArticleListData,
    DirectoryData,
    HomeData,
    PageData,
    PageKind,
    Pagination,
    PartnerPageData,
    PartnersData,
    ShareKitData,
    TopicPageData,
    TopicsIndexData,
)

DESCRIPTION_LENGTH = 160
NOINDEX_KINDS = frozenset({PageKind.SHARE, PageKind.THANKS, PageKind.REFERRAL_GUIDE})
"""Pages kept out of search engines and the sitemap: share kits and the referral guide are for
partners only."""


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
    kind: PageKind
    markdown: str = ""
    description: str = ""
    data: PageData = None
    searchable: bool = False
    """List pages stay out of the search index; profiles and about pages are worth finding."""

    @property
    def src_uri(self) -> str:
        return urls.src_uri(self.url)


def generate_pages(catalog: Catalog) -> list[PageSpec]:
    """Every generated page of the hub, in a stable order."""
    settings = catalog.settings
    pages: list[PageSpec] = [_home(catalog)]
    years = list(catalog.years)
    pages += _paginate(
        catalog,
        urls.ARTICLES,
        "Articles",
        PageKind.ARTICLES,
        catalog.articles,
        f"Every article from the {settings.name} network, newest first.",
        lambda heading, chunk, pagination: AllArticlesData(heading, chunk, pagination, years),
    )
    for year, articles in catalog.years.items():
        pages += _paginate(
            catalog,
            urls.year(year),
            f"Articles from {year}",
            PageKind.ARCHIVE,
            articles,
            f"Articles published by the {settings.name} network in {year}.",
            ArticleListData,
        )
    pages.append(_topics_index(catalog))
    for topic, articles in catalog.topics.values():
        pages += _topic_pages(catalog, topic, articles, PageKind.TOPIC)
    for topic, articles in catalog.categories.values():
        pages += _topic_pages(catalog, topic, articles, PageKind.CATEGORY)
    pages.append(_directory(catalog, None))
    for slug in catalog.professions:
        pages.append(_directory(catalog, None, slug))
    for slug in catalog.services:
        pages.append(_directory(catalog, slug))
    for partner in catalog.partners:
        pages += _partner_pages(catalog, partner)
        pages.append(
            PageSpec(
                urls.share_kit(partner.slug),
                f"Share kit: {partner.name}",
                "hubgen/share.html",
                PageKind.SHARE,
                description=f"Tracked links, ready-made posts and a QR code for {partner.name}.",
                data=ShareKitData(partner),
            )
        )
    pages += _network_pages(catalog)
    return pages


def _network_pages(catalog: Catalog) -> list[PageSpec]:
    """The contact page, where its form lands, and the organiser's about page."""
    settings = catalog.settings
    pages = [
        PageSpec(
            urls.CONTACT,
            "Tell us what is going on",
            "hubgen/contact.html",
            PageKind.CONTACT,
            description=f"Tell {settings.name} what you need and the right partner will be in touch.",
            data=PartnersData(catalog.partners),
        ),
        PageSpec(
            urls.THANKS,
            "Thank you",
            "hubgen/thanks.html",
            PageKind.THANKS,
            description=f"Thank you for contacting {settings.name}: your message is on its way "
            "to the partner who can help.",
        ),
    ]
    pages.append(
        PageSpec(
            urls.REFERRAL_GUIDE,
            "Referral guide",
            "hubgen/referral-guide.html",
            PageKind.REFERRAL_GUIDE,
            description=f"For the partners of {settings.name}: whom each firm helps, how to "
            "spot them and what makes the firm different, so you know whom to send to whom.",
            data=PartnersData(catalog.partners),
        )
    )
    if settings.about:
        pages.append(
            PageSpec(
                urls.ABOUT,
                f"About {settings.name}",
                "hubgen/about.html",
                PageKind.ABOUT,
                markdown=settings.about,
                searchable=True,
                description=truncate(plain_text(settings.about), DESCRIPTION_LENGTH),
                data=PartnersData(catalog.partners),
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
        PageKind.HOME,
        description=settings.tagline or f"Articles from the {settings.name} network.",
        data=HomeData(
            articles=catalog.articles[: settings.home_articles],
            more=len(catalog.articles) > settings.home_articles,
            partners=catalog.partners,
            topics=[entry[0] for entry in topics[:12]],
            statement=network_statement(len(catalog.partners), catalog.place),
        ),
    )


def network_statement(count: int, place: str) -> str:
    """Who the network is, in one sentence a visitor understands at a glance."""
    where = f" in {place}" if place else ""
    if count < 2:
        return f"Independent firms{where} who know each other and refer clients to one another"
    return f"{count} independent firms{where} who know each other and refer clients to one another"


def _chunks(items: Sequence[Article], size: int) -> Iterator[Sequence[Article]]:
    count = max(1, math.ceil(len(items) / size))
    for number in range(count):
        yield items[number * size : (number + 1) * size]


ListData = Callable[[str, Sequence[Article], Pagination], ArticleListData]
"""Makes one list page's data from its heading, its articles and its place in the list."""


def _paginate(
    catalog: Catalog,
    base: str,
    title: str,
    kind: PageKind,
    articles: Sequence[Article],
    description: str,
    data: ListData,
    *,
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
                data=data(title, chunk, pagination),
            )
        )
    return pages


def _topics_index(catalog: Catalog) -> PageSpec:
    return PageSpec(
        urls.TOPICS,
        "Topics",
        "hubgen/topics.html",
        PageKind.TOPICS,
        description=f"Browse the {catalog.settings.name} articles by topic, category and year.",
        data=TopicsIndexData(
            topics=list(catalog.topics.values()),
            categories=list(catalog.categories.values()),
            years=catalog.years,
        ),
    )


def _topic_pages(
    catalog: Catalog, topic: Topic, articles: Sequence[Article], kind: PageKind
) -> list[PageSpec]:
    is_topic = kind is PageKind.TOPIC
    experts = catalog.experts_on(topic.slug) if is_topic else ()
    noun = "Topic" if is_topic else "Category"
    return _paginate(
        catalog,
        urls.topic(topic.slug) if is_topic else urls.category(topic.slug),
        topic.name,
        kind,
        articles,
        f"{noun}: {topic.name}. Articles and experts from the {catalog.settings.name} network.",
        # The topic's experts head its first page; later pages are the archive's older articles.
        lambda heading, chunk, pagination: TopicPageData(
            heading, chunk, pagination, topic, experts if pagination.number == 1 else (), noun
        ),
    )


def _directory(
    catalog: Catalog, service_slug: str | None, profession_slug: str | None = None
) -> PageSpec:
    """The directory: every firm, or (static, so filtering works without JavaScript) one
    service's or one profession's."""
    settings = catalog.settings
    service = catalog.services[service_slug] if service_slug else None
    profession = catalog.professions[profession_slug] if profession_slug else None
    if service is not None:
        url, title = urls.service(service.slug), f"Partners offering {service.name}"
        description = f"{settings.name} partners who offer {service.name}."
    elif profession is not None:
        url, title = urls.profession(profession.slug), f"Partners: {profession.name}"
        description = f"{settings.name} partners: {profession.name}."
    else:
        url, title = urls.PARTNERS, "Partners"
        description = f"The firms of the {settings.name} network and what each of them does."
    return PageSpec(
        url,
        title,
        "hubgen/directory.html",
        PageKind.DIRECTORY if service is None and profession is None else PageKind.SERVICE,
        description=description,
        data=DirectoryData(
            partners=catalog.partners,
            services=list(catalog.services.values()),
            active_service=service,
            service_slugs={p.slug: catalog.service_slugs(p) for p in catalog.partners},
            professions=list(catalog.professions.values()),
            active_profession=profession,
        ),
    )


def partner_markdown(partner: Partner) -> str:
    """The searchable body of a partner's page: their own words, in sections, for visitors
    ("how to spot them" is for the other partners: the referral guide shows it).

    Only ``bio`` is Markdown; the other fields are plain text (shown as such on share kits and
    cards), so their ``<`` and ``&`` are escaped here and read the same on the profile.
    """
    parts = [partner.bio.strip(), "## Who we help", _text(partner.ideal_client.who_we_help)]
    if partner.what_makes_us_different:
        parts += ["## What makes us different", _text(partner.what_makes_us_different)]
    parts += ["## Services", "\n".join(f"- {_text(s)}" for s in partner.services)]
    return "\n\n".join(parts) + "\n"


def _text(plain: str) -> str:
    return html.escape(plain.strip(), quote=False)


def _partner_pages(catalog: Catalog, partner: Partner) -> list[PageSpec]:
    articles = catalog.by_partner.get(partner.slug, ())
    expert_topics = catalog.expert_topics(partner)
    coauthors = catalog.coauthors(partner)
    pages = _paginate(
        catalog,
        urls.partner(partner.slug),
        partner.name,
        PageKind.PARTNER,
        articles,
        truncate(
            f"{partner.name}: {partner.tagline}. {partner.ideal_client.who_we_help}",
            DESCRIPTION_LENGTH,
        ),
        lambda heading, chunk, pagination: PartnerPageData(
            heading, chunk, pagination, partner, expert_topics, coauthors, bool(articles)
        ),
        template="hubgen/partner.html",
    )
    # Page 1 is the profile (searchable); later pages only continue the article list.
    pages[0] = replace(pages[0], markdown=partner_markdown(partner), searchable=True)
    return pages
