"""What the site search knows about each page: pure functions over the catalog and page HTML.

A :class:`SearchRecord` is one indexed page: its title, the firms who wrote it, the facets it
is found under and its body HTML. :func:`record_document` turns it into the small HTML document
the static index (Pagefind) reads: every field a contributor controls is escaped here, once,
into text; Pagefind reads text content only, and the search script shows titles and names as
text (never as HTML), so markup in a title stays visible characters.

Which pages are indexed is an allow-list: published articles, partner profiles and the hub's
own pages that ask for it (see :func:`is_indexed`), never share kits, thank-you pages, list
pages, drafts or anything outside the page loop (``/admin/``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from html import escape

from hubgen.core import urls
from hubgen.core.models import Article, Partner
from hubgen.site.catalog import Catalog


class Facet(StrEnum):
    """The filters a visitor narrows results by (Pagefind filter names)."""

    PARTNER = "partner"
    PROFESSION = "profession"
    TOPIC = "topic"
    CATEGORY = "category"


class RecordKind(StrEnum):
    """What a result is, shown beside its title."""

    ARTICLE = "Article"
    PARTNER = "Partner"
    PAGE = "Page"


EMPHASIS_WEIGHT = 5
"""Pagefind weight (body text is 1, a page's ``<h1>`` 7) of what a partner page should be found
by: its services and profession, so "payroll" finds the firms offering payroll first."""

_PAGEFIND_ATTR_RE = re.compile(r"data-pagefind-", re.I)
_HEADERLINK_RE = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>')
"""The ``¶`` permalink Python-Markdown's toc adds to every heading: not words of the page."""


@dataclass(frozen=True)
class Author:
    """A firm credited on a result: its name and logo (site-relative or remote URL)."""

    name: str
    logo: str = ""


@dataclass(frozen=True)
class SearchRecord:
    url: str
    """Site-relative, as :mod:`hubgen.core.urls` spells it (``articles/cash-flow/``)."""
    title: str
    """Plain text (contributor-controlled: escaped when written, shown as text)."""
    kind: RecordKind
    body_html: str
    """The page's main content as rendered (articles and profiles: already sanitized)."""
    summary: str = ""
    """Plain text shown under the result, and indexed as words of the page unless it is
    :attr:`summary_in_body`."""
    summary_in_body: bool = False
    """The summary is the start of the body (an article without its author's own summary): its
    words are indexed once, with the body, not twice."""
    authors: tuple[Author, ...] = ()
    emphasis: tuple[str, ...] = ()
    """Plain text ranked above the body (a partner's services and profession)."""
    filters: tuple[tuple[Facet, tuple[str, ...]], ...] = ()
    date: str = ""
    """ISO date (articles), for sorting by date."""


def is_indexed(meta: Mapping[str, object], *, published: bool = True) -> bool:
    """Whether a rendered page goes into the index, by its meta: not when it is kept out of
    search engines (``hubgen_noindex``), out of search (``search: {exclude: true}``, as Material
    spells it), or not published (a draft or scheduled article under ``serve``)."""
    search = meta.get("search")
    excluded = isinstance(search, Mapping) and bool(search.get("exclude"))
    return published and not excluded and not meta.get("hubgen_noindex")


def _filters(**facets: Sequence[str]) -> tuple[tuple[Facet, tuple[str, ...]], ...]:
    found = []
    for name, values in facets.items():
        kept = tuple(dict.fromkeys(v for v in values if v.strip()))
        if kept:
            found.append((Facet(name), kept))
    return tuple(found)


def profession(partner: Partner) -> str:
    """The partner's profession ("Accountants"); empty when the profile names none."""
    return partner.profession.strip()


def article_record(catalog: Catalog, article: Article, body_html: str) -> SearchRecord:
    """An article: its firms (logos for active ones), topics and category as facets."""
    partners = [catalog.hub.partners[slug] for slug in article.partner_slugs]
    authors = tuple(Author(p.name, p.logo.url if p.is_active else "") for p in partners)
    return SearchRecord(
        url=article.url,
        title=article.title,
        kind=RecordKind.ARTICLE,
        body_html=body_html,
        summary=article.excerpt,
        summary_in_body=not article.summary,
        authors=authors,
        filters=_filters(
            partner=[p.name for p in partners],
            profession=[profession(p) for p in partners],
            topic=[t.name for t in article.topics],
            category=[article.category.name] if article.category else [],
        ),
        date=article.date.date().isoformat(),
    )


def partner_record(catalog: Catalog, partner: Partner, body_html: str) -> SearchRecord:
    """A partner's profile: found first by its services and profession."""
    expert = [t.name for t in catalog.expert_topics(partner)]
    return SearchRecord(
        url=urls.partner(partner.slug),
        title=partner.name,
        kind=RecordKind.PARTNER,
        body_html=body_html,
        summary=partner.tagline,
        authors=(Author(partner.name, partner.logo.url),),
        emphasis=tuple(x for x in (profession(partner), partner.tagline, *partner.services) if x),
        filters=_filters(partner=[partner.name], profession=[profession(partner)], topic=expert),
    )


def page_record(url: str, title: str, body_html: str, summary: str = "") -> SearchRecord:
    """A page of the hub's own (about, a guide, a privacy policy)."""
    return SearchRecord(url, title, RecordKind.PAGE, body_html, summary)


def inert_html(html: str) -> str:
    """Body HTML without heading permalinks and with no Pagefind instructions of its own: a ``data-pagefind-meta`` or
    ``-filter`` typed into an article must not set another page's title or facet."""
    return _PAGEFIND_ATTR_RE.sub("data-x-", _HEADERLINK_RE.sub("", html))


def _text(value: str) -> str:
    return escape(value, quote=False)


def record_document(record: SearchRecord, language: str) -> str:
    """The HTML document Pagefind indexes for ``record`` (every contributor string escaped)."""
    authors = [{"name": a.name, "logo": a.logo} for a in record.authors]
    meta = {
        "title": record.title,
        "kind": str(record.kind),
        "summary": record.summary,
        # One JSON string: Pagefind meta values are strings, and names may hold any character.
        "authors": json.dumps(authors, ensure_ascii=False) if authors else "",
        "date": record.date,
    }
    parts = [
        f'<!DOCTYPE html><html lang="{_text(language)}"><head><meta charset="utf-8"></head>',
        "<body><main data-pagefind-body>",
        f"<h1>{_text(record.title)}</h1>",
    ]
    # Out of the indexed text (data-pagefind-ignore), still read as metadata and filters.
    parts.append("<div data-pagefind-ignore>")
    parts += [
        f'<span data-pagefind-meta="{key}">{_text(value)}</span>'
        for key, value in meta.items()
        if value
    ]
    parts += [
        f'<span data-pagefind-filter="{facet}">{_text(value)}</span>'
        for facet, values in record.filters
        for value in values
    ]
    parts.append("</div>")
    if record.emphasis:
        emphasis = " · ".join(_text(e) for e in record.emphasis)
        parts.append(f'<p data-pagefind-weight="{EMPHASIS_WEIGHT}">{emphasis}</p>')
    if record.summary and not record.summary_in_body and record.summary not in record.emphasis:
        parts.append(f"<p>{_text(record.summary)}</p>")
    parts += [inert_html(record.body_html), "</main></body></html>\n"]
    return "".join(parts)
