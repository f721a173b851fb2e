"""Template context for each page: everything a template shows, computed in Python, engine-free."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from hubgen.core import urls
from hubgen.core.models import Article, Image, Partner
from hubgen.core.text import first_paragraph, truncate
from hubgen.site import seo
from hubgen.site.catalog import Byline, Catalog
from hubgen.site.colors import Accent, accent
from hubgen.site.feedspecs import FeedLink, feed_links, partner_title, site_title, topic_title
from hubgen.site.forms import LeadForm, article_form, contact_form, partner_form
from hubgen.site.pagedata import (
    DirectoryData,
    HomeData,
    PageData,
    PageKind,
    PartnerPageData,
    PartnersData,
    ShareKitData,
    TopicPageData,
)
from hubgen.site.pages import NOINDEX_KINDS, PageSpec
from hubgen.site.sharekit import ShareKit, share_kit
from hubgen.site.socialcards import social_image

STATUS_LABELS = {
    "draft": "Draft: not published by a build",
    "scheduled": "Scheduled: publishes on its date",
    "held": "Held: not every author is admitted yet",
}


NETWORK_LABELS = {
    "linkedin": "LinkedIn", "x": "X", "facebook": "Facebook", "instagram": "Instagram",
    "youtube": "YouTube", "mastodon": "Mastodon", "github": "GitHub", "bluesky": "Bluesky",
}  # fmt: skip


def format_date(value: date) -> str:
    """``14 March 2025``: unambiguous in every English locale."""
    return f"{value.day} {value:%B %Y}"


def network_label(network: str) -> str:
    return NETWORK_LABELS.get(network, network.title())


@dataclass(frozen=True)
class PartnerCard:
    """A partner as shown in cards, author boxes and strips."""

    partner: Partner
    accent: Accent
    summary: str
    url: str


@dataclass(frozen=True)
class ArticleData:
    """What an article's page shows around its body (articles have no spec: they are Markdown)."""

    article: Article
    bylines: Sequence[Byline]
    authors: Sequence[PartnerCard]
    """The active authors, for the author boxes."""
    related: Sequence[Article]
    experts: Sequence[PartnerCard]
    """Other partners who are go-to experts on the article's topics."""
    older: Article | None
    newer: Article | None
    disclaimers: Sequence[Partner]
    status: str | None
    """Why the article is not published (previews only), as a label."""


@dataclass(frozen=True)
class View:
    kind: PageKind
    title: str
    """The page's title as plain text (templates escape it; ``page.title`` is already HTML)."""
    document_title: str
    """The ``<title>``: the title and the site's name, which is never repeated."""
    jsonld: str
    social: list[tuple[str, str, str]]
    accent: Accent | None = None
    """The brand colour of the partner the page is about or led by, if any."""
    data: ArticleData | PageData = None
    """What the page shows: its spec's data, or an article's."""
    cards: Sequence[PartnerCard] = ()
    """The page's partners as cards (home, directory, contact, about)."""
    expert_cards: Sequence[PartnerCard] = ()
    """A topic's go-to experts as cards."""
    form: LeadForm | None = None
    kit: ShareKit | None = None
    """A share kit's links and posts."""
    noindex: bool = False
    feeds: tuple[FeedLink, ...] = ()
    """This page's own feeds (a partner's, a topic's), shown as visible links."""
    alternates: tuple[FeedLink, ...] = ()
    """Feeds announced in ``<head>`` for autodiscovery: the page's own, then the site's."""


class Views:
    """Builds views from one catalog, caching per-partner cards (they repeat on many pages)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._cards: dict[str, PartnerCard] = {}
        logo = catalog.settings.logo
        self.hub_logo = Image(logo) if logo else None
        """The hub's own logo: the social image of pages that have no better one."""
        self.site_feeds = self._site_feeds()
        """The site feed in every format; empty when feeds are turned off."""

    def card(self, partner: Partner) -> PartnerCard:
        if partner.slug not in self._cards:
            self._cards[partner.slug] = PartnerCard(
                partner,
                accent(partner.color),
                truncate(first_paragraph(partner.bio), 220),
                urls.partner(partner.slug),
            )
        return self._cards[partner.slug]

    def status_label(self, article: Article) -> str | None:
        status = self.catalog.status(article)
        return STATUS_LABELS[status] if status else None

    def article(self, article: Article) -> View:
        catalog = self.catalog
        lead = catalog.lead_partner(article)
        older, newer = catalog.neighbours(article)
        authors = catalog.active_authors(article)
        disclaimers = [
            p
            for p in (catalog.hub.partners[s] for s in article.partner_slugs)
            if p.disclaimer and p.is_active
        ]
        return View(
            kind=PageKind.ARTICLE,
            title=article.title,
            document_title=seo.document_title(
                catalog.settings.name, article.title, PageKind.ARTICLE
            ),
            alternates=self.site_feeds,
            jsonld=seo.jsonld_script(seo.article_jsonld(catalog, article)),
            social=seo.social_tags(
                catalog,
                title=article.title,
                description=article.excerpt,
                url=article.url,
                kind="article",
                image=social_image(catalog, article=article),
                article=article,
            ),
            accent=accent(lead.color) if lead.is_active else None,
            data=ArticleData(
                article=article,
                bylines=catalog.bylines(article),
                authors=[self.card(p) for p in authors],
                related=catalog.related(article),
                experts=[self.card(p) for p in catalog.experts(article)],
                older=older,
                newer=newer,
                disclaimers=disclaimers,
                status=self.status_label(article),
            ),
            form=article_form(catalog, article, catalog.settings.forms),
        )

    def page(self, spec: PageSpec) -> View:
        catalog = self.catalog
        data = spec.data
        partner = data.partner if isinstance(data, PartnerPageData | ShareKitData) else None
        feeds = self.page_feeds(spec)
        return View(
            kind=spec.kind,
            title=spec.title,
            document_title=seo.document_title(catalog.settings.name, spec.title, spec.kind),
            feeds=feeds,
            alternates=feeds + self.site_feeds,
            jsonld=seo.jsonld_script(seo.page_jsonld(catalog, spec)),
            social=seo.social_tags(
                catalog,
                title=spec.title,
                description=spec.description,
                url=spec.url,
                kind="profile" if partner else "website",
                image=social_image(catalog, partner=partner),
            ),
            accent=self.card(partner).accent if partner is not None else None,
            data=data,
            cards=[self.card(p) for p in _partners_shown(data)],
            expert_cards=(
                [self.card(p) for p in data.experts] if isinstance(data, TopicPageData) else ()
            ),
            form=self._form(spec),
            kit=share_kit(catalog, data.partner) if isinstance(data, ShareKitData) else None,
            noindex=spec.kind in NOINDEX_KINDS,
        )

    def _form(self, spec: PageSpec) -> LeadForm | None:
        """A partner's profile asks for their clients; the contact page, for anyone's."""
        settings = self.catalog.settings.forms
        if isinstance(spec.data, PartnerPageData):
            return partner_form(spec.data.partner, spec.url, settings)
        if spec.kind is PageKind.CONTACT:
            return contact_form(self.catalog, spec.url, settings)
        return None

    # -- feeds -------------------------------------------------------------------------------

    def _site_feeds(self) -> tuple[FeedLink, ...]:
        if not self.catalog.settings.feeds.enabled:
            return ()
        return feed_links(urls.HOME, site_title(self.catalog))

    def page_feeds(self, spec: PageSpec) -> tuple[FeedLink, ...]:
        """The feeds of a partner's, topic's or category's pages (every page of the list)."""
        if not self.catalog.settings.feeds.enabled:
            return ()
        data = spec.data
        if isinstance(data, PartnerPageData):
            return feed_links(
                urls.partner(data.partner.slug), partner_title(self.catalog, data.partner)
            )
        if isinstance(data, TopicPageData):
            return feed_links(urls.topic_page(data.topic), topic_title(self.catalog, data.topic))
        return ()


def _partners_shown(data: PageData) -> Sequence[Partner]:
    """The partners a page lists (as cards): every active partner, on the pages that show them."""
    if isinstance(data, HomeData | DirectoryData | PartnersData):
        return data.partners
    return ()
