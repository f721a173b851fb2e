"""Share kits: everything a partner needs to send people to the hub with their credit attached."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import segno

from hubgen.core import urls
from hubgen.core.models import Article, HubSettings, Partner
from hubgen.core.referral import tracked_url, tracking_parameters
from hubgen.site.catalog import Catalog
from hubgen.site.pages import StaticFile

SHARE_KIT_ARTICLES = 20
"""Articles listed per kit, newest first; older ones get their link from the kit's link builder.
Partners share what is new: twenty articles with three ready texts each is already a long page
(it was fifty, 140 KB a kit, 14 MB for 100 partners)."""


@dataclass(frozen=True)
class ShareItem:
    article: Article
    link: str
    email_subject: str
    email_body: str
    social_post: str


@dataclass(frozen=True)
class ShareKit:
    partner: Partner
    home_link: str
    """The partner's tracked link to their own page on the hub (also in the QR code)."""
    short_link: str | None
    items: tuple[ShareItem, ...]
    total_articles: int
    qr_url: str
    parameters: dict[str, str]
    """The query parameters the link builder appends to any hub address."""
    syndication: dict[str, str] | None
    """Absolute URLs of the partner's syndication feed by format, when feeds are on."""


def partner_link(
    catalog: Catalog, partner: Partner, url: str, content: str | None = None,
    medium: str | None = None,
) -> str:
    """``url`` as a link that credits ``partner`` (``medium``: the channel it is shared on)."""
    settings = catalog.settings
    return tracked_url(
        settings.site_url, url, partner.referral_code, settings.referral, settings.slug,
        content=content, medium=medium,
    )  # fmt: skip


def home_link(catalog: Catalog, partner: Partner, *, medium: str | None = None) -> str:
    """The partner's tracked link to their own page on the hub (the share kit's, the QR code's)."""
    return tracked_home_link(catalog.settings, partner, medium=medium)


def tracked_home_link(settings: HubSettings, partner: Partner, *, medium: str | None = None) -> str:
    """:func:`home_link` from the hub's settings alone (known before its articles are)."""
    return tracked_url(
        settings.site_url, urls.partner(partner.slug), partner.referral_code, settings.referral,
        settings.slug, medium=medium,
    )  # fmt: skip


QR_MEDIUM = "qr"
"""The QR code's ``utm_medium``: the receiver counts scans as arrivals through the ``qr``
channel (hubgen/leads/arrivals.py)."""
EMAIL_MEDIUM, SOCIAL_MEDIUM = "email", "social"
"""The ready-made e-mail and social texts' ``utm_medium``: their visits count as those channels."""


def share_kit(catalog: Catalog, partner: Partner) -> ShareKit:
    settings = catalog.settings
    referral = settings.referral

    def link(url: str, content: str | None = None) -> str:
        return partner_link(catalog, partner, url, content)

    items = tuple(
        _item(catalog, partner, article, link(article.url, article.slug))
        for article in catalog.articles[:SHARE_KIT_ARTICLES]
    )
    short = urls.short_link(partner.referral_code) if referral.short_links else None
    return ShareKit(
        partner=partner,
        home_link=home_link(catalog, partner),
        short_link=urls.absolute(settings.site_url, short) if short else None,
        items=items,
        total_articles=len(catalog.articles),
        qr_url=urls.qr_code(partner.slug),
        parameters=tracking_parameters(partner.referral_code, referral, settings.slug),
        syndication=(
            {
                fmt: urls.absolute(settings.site_url, urls.syndication(partner.slug, fmt))
                for fmt in urls.FEED_FORMATS
            }
            if settings.feeds.enabled
            else None
        ),
    )


def _item(catalog: Catalog, partner: Partner, article: Article, link: str) -> ShareItem:
    by = ", ".join(b.partner.name for b in catalog.bylines(article) if b.is_active)
    written = f" by {by}" if by else ""
    own = partner.slug in article.partner_slugs
    # The plain link is for copying anywhere; the ready-made texts name their own channel.
    email_link, social_link = (
        partner_link(catalog, partner, article.url, article.slug, medium)
        for medium in (EMAIL_MEDIUM, SOCIAL_MEDIUM)
    )
    intro = "We wrote this" if own else f"Our friends at {by} wrote this" if by else "This article"
    return ShareItem(
        article=article,
        link=link,
        email_subject=article.title,
        email_body=(
            f"Hello,\n\n{intro} and I thought of you:\n\n{article.title}\n{article.excerpt}\n\n"
            f"{email_link}\n\nBest wishes,\n{partner.name}"
        ),
        social_post=f"{article.title}{written}: {article.excerpt} {social_link}",
    )


def qr_codes(catalog: Catalog, svg: Callable[[str, str], str] | None = None) -> list[StaticFile]:
    """Each partner's QR code for their tracked home link, next to their share kit.

    ``svg`` makes one (default :func:`qr_svg`); a build passes one that remembers them.
    """
    make = svg or qr_svg
    return [
        StaticFile(urls.qr_code(partner.slug), make(*qr_code_text(catalog.settings, partner)))
        for partner in catalog.partners
    ]


def qr_code_text(settings: HubSettings, partner: Partner) -> tuple[str, str]:
    """What the partner's QR code encodes, and its title."""
    link = tracked_home_link(settings, partner, medium=QR_MEDIUM)
    return link, f"QR code: {partner.name} on the hub"


def qr_svg(text: str, title: str) -> str:
    """An SVG QR code (segno) with an accessible title, black on white for any printer."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(
        buffer, kind="svg", scale=8, border=4, title=title, dark="#000", light="#fff",
        svgclass=None, lineclass=None, xmldecl=False, svgns=True,
    )  # fmt: skip
    return buffer.getvalue().decode("utf-8")
