"""Search and social metadata: Open Graph / Twitter tags and schema.org JSON-LD, as plain data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from hubgen.core import urls
from hubgen.core.models import Article, Image, Partner
from hubgen.site.catalog import Catalog
from hubgen.site.pagedata import ArticleListData, PageKind, PartnerPageData
from hubgen.site.pages import PageSpec
from hubgen.site.socialcards import HEIGHT as CARD_HEIGHT
from hubgen.site.socialcards import WIDTH as CARD_WIDTH
from hubgen.site.socialcards import SocialImage


def document_title(site_name: str, title: str, kind: PageKind) -> str:
    """The ``<title>``: the page's own title, then the site's name, which is never said twice
    (the home page is the site; "About Main Street Collective" already names it)."""
    if kind is PageKind.HOME or not title or title.strip() == site_name:
        return site_name
    if site_name.casefold() in title.casefold():
        return title
    return f"{title} - {site_name}"


def _abs(catalog: Catalog, url: str) -> str:
    return urls.absolute(catalog.settings.site_url, url)


def _image_url(catalog: Catalog, image: Image | None) -> str | None:
    if image is None:
        return None
    return image.url if "://" in image.url else _abs(catalog, image.url)


def _organization(catalog: Catalog, partner: Partner) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Organization", "name": partner.name}
    if partner.is_active:
        data["url"] = _abs(catalog, urls.partner(partner.slug))
        data["logo"] = _image_url(catalog, partner.logo)
    return data


def _breadcrumbs(catalog: Catalog, trail: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": _abs(catalog, url)}
            for i, (name, url) in enumerate(trail, start=1)
        ],
    }


def article_jsonld(catalog: Catalog, article: Article) -> list[dict[str, Any]]:
    settings = catalog.settings
    authors: list[dict[str, Any]] = []
    for byline in catalog.bylines(article):
        org = _organization(catalog, byline.partner)
        if byline.person is not None:
            authors.append({"@type": "Person", "name": byline.person.name, "worksFor": org})
        else:
            authors.append(org)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.excerpt,
        "datePublished": article.date.isoformat(),
        "dateModified": (article.updated or article.date).isoformat(),
        "author": authors,
        "publisher": {
            "@type": "Organization",
            "name": settings.name,
            "url": _abs(catalog, urls.HOME),
        },
        "mainEntityOfPage": _abs(catalog, article.url),
        "keywords": [t.name for t in article.topics],
    }
    if article.cover is not None:
        data["image"] = [_image_url(catalog, article.cover)]
    trail = [(settings.name, urls.HOME), ("Articles", urls.ARTICLES), (article.title, article.url)]
    return [data, {"@context": "https://schema.org", **_breadcrumbs(catalog, trail)}]


def page_jsonld(catalog: Catalog, page: PageSpec) -> list[dict[str, Any]]:
    settings = catalog.settings
    if page.kind is PageKind.HOME:
        return [
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": settings.name,
                "url": _abs(catalog, urls.HOME),
                "description": page.description,
            }
        ]
    trail = [(settings.name, urls.HOME)]
    if isinstance(page.data, PartnerPageData):
        partner = page.data.partner
        trail += [("Partners", urls.PARTNERS), (partner.name, urls.partner(partner.slug))]
        org = {
            "@context": "https://schema.org",
            **_organization(catalog, partner),
            "description": partner.tagline,
        }
        same_as = [link.url for link in partner.social] + (
            [partner.website] if partner.website else []
        )
        if same_as:
            org["sameAs"] = same_as
        if partner.email:
            org["email"] = partner.email
        if partner.phone:
            org["telephone"] = partner.phone
        if partner.service_area:
            org["areaServed"] = partner.service_area
        return [org, {"@context": "https://schema.org", **_breadcrumbs(catalog, trail)}]
    heading = page.data.heading if isinstance(page.data, ArticleListData) else page.title
    trail.append((heading, page.url))
    return [{"@context": "https://schema.org", **_breadcrumbs(catalog, trail)}]


# json.dumps with non-default options builds an encoder per call.
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=False)


def jsonld_script(data: list[dict[str, Any]]) -> str:
    """JSON for a ``<script type="application/ld+json">``; ``<`` escaped so it cannot close the tag."""
    text = _JSON.encode(data if len(data) > 1 else data[0])
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def social_tags(
    catalog: Catalog,
    *,
    title: str,
    description: str,
    url: str,
    kind: str,
    image: SocialImage,
    article: Article | None = None,
) -> list[tuple[str, str, str]]:
    """``(attribute, name, content)`` triples for ``<meta>`` tags (Open Graph uses ``property``)."""
    settings = catalog.settings
    tags = [
        ("property", "og:site_name", settings.name),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:type", kind),
        ("property", "og:locale", settings.language.replace("-", "_")),
    ]
    if settings.site_url:
        tags.append(("property", "og:url", _abs(catalog, url)))
    # The page's social card: platforms show PNGs (not SVG), at the size they lay out.
    image_url = _abs(catalog, image.url)
    tags += [
        ("property", "og:image", image_url),
        ("property", "og:image:type", "image/png"),
        ("property", "og:image:width", str(CARD_WIDTH)),
        ("property", "og:image:height", str(CARD_HEIGHT)),
        ("property", "og:image:alt", image.alt),
    ]
    if article is not None:
        tags.append(("property", "article:published_time", article.date.isoformat()))
        if article.updated:
            tags.append(("property", "article:modified_time", article.updated.isoformat()))
        tags += [("property", "article:tag", t.name) for t in article.topics]
    # X reads twitter:title, twitter:description and twitter:image from og:title,
    # og:description and og:image when they are absent (https://developer.x.com/cards/markup):
    # only what has no Open Graph fallback is written twice.
    tags += [
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:image:alt", image.alt),
    ]
    return tags
