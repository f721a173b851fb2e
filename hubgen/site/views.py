"""Template context for each page: everything a template shows, computed in Python, engine-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hubgen.site import seo

from hubgen.core import urls
from hubgen.site.catalog import Catalog
from hubgen.site.colors import Accent, accent
from hubgen.site.feeds import FeedLink, feed_links, partner_title, site_title, topic_page, topic_title
from hubgen.site.forms import article_form, contact_form, partner_form
from hubgen.core.models import Article, Image, Partner
from hubgen.site.pages import NOINDEX_KINDS, PageSpec
from hubgen.site.sharekit import share_kit
from hubgen.core.text import first_paragraph, truncate

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
class View:
    kind: str
    title: str
    """The page's title as plain text (templates escape it; ``page.title`` is already HTML)."""
    jsonld: str
    social: list[tuple[str, str, str]]
    accent: Accent | None = None
    data: dict[str, Any] = field(default_factory=dict)
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
        image = article.cover or (lead.logo if lead.is_active else self.hub_logo)
        return View(
            kind="article",
            title=article.title,
            alternates=self.site_feeds,
            jsonld=seo.jsonld_script(seo.article_jsonld(catalog, article)),
            social=seo.social_tags(
                catalog,
                title=article.title,
                description=article.excerpt,
                url=article.url,
                kind="article",
                image=image,
                article=article,
            ),
            accent=accent(lead.color) if lead.is_active else None,
            data={
                "article": article,
                "bylines": catalog.bylines(article),
                "authors": [self.card(p) for p in authors],
                "related": catalog.related(article),
                "experts": [self.card(p) for p in catalog.experts(article)],
                "older": older,
                "newer": newer,
                "disclaimers": disclaimers,
                "status": self.status_label(article),
                "form": article_form(catalog, article, catalog.settings.forms),
            },
        )

    def page(self, spec: PageSpec) -> View:
        catalog = self.catalog
        partner: Partner | None = spec.data.get("partner")
        image = partner.logo if partner is not None else self.hub_logo
        data: dict[str, Any] = dict(spec.data)
        if "partners" in data:
            data["cards"] = [self.card(p) for p in data["partners"]]
        if "experts" in data:
            data["expert_cards"] = [self.card(p) for p in data["experts"]]
        if partner is not None:
            data["card"] = self.card(partner)
        if spec.kind == "partner" and partner is not None:
            data["form"] = partner_form(partner, spec.url, catalog.settings.forms)
        if spec.kind == "share" and partner is not None:
            data["kit"] = share_kit(catalog, partner)
        if spec.kind == "contact":
            data["form"] = contact_form(catalog, spec.url, catalog.settings.forms)
        return View(
            kind=spec.kind,
            title=spec.title,
            feeds=self.page_feeds(spec),
            alternates=self.page_feeds(spec) + self.site_feeds,
            jsonld=seo.jsonld_script(seo.page_jsonld(catalog, spec)),
            social=seo.social_tags(
                catalog,
                title=spec.title,
                description=spec.description,
                url=spec.url,
                kind="profile" if partner else "website",
                image=image,
            ),
            accent=self.card(partner).accent if partner is not None else None,
            data=data,
            noindex=spec.kind in NOINDEX_KINDS,
        )

    # -- feeds -------------------------------------------------------------------------------

    def _site_feeds(self) -> tuple[FeedLink, ...]:
        if not self.catalog.settings.feeds.enabled:
            return ()
        return feed_links(urls.HOME, site_title(self.catalog))

    def page_feeds(self, spec: PageSpec) -> tuple[FeedLink, ...]:
        """The feeds of a partner's, topic's or category's pages (every page of the list)."""
        if not self.catalog.settings.feeds.enabled:
            return ()
        partner: Partner | None = spec.data.get("partner")
        if spec.kind == "partner" and partner is not None:
            return feed_links(urls.partner(partner.slug), partner_title(self.catalog, partner))
        topic = spec.data.get("topic")
        if spec.kind in ("topic", "category") and topic is not None:
            return feed_links(topic_page(topic), topic_title(self.catalog, topic))
        return ()
