"""What goes into the site search index: records from the catalog, and the documents Pagefind reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bs4 import BeautifulSoup
from hostilehub import ARTICLE, MARKER, PARTNER_TEXT, write_hostile_hub
from hubkit import HubDir

from hubgen.site.catalog import Catalog
from hubgen.site.searchrecords import (
    Facet,
    RecordKind,
    article_record,
    inert_html,
    is_indexed,
    partner_record,
    record_document,
)

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def catalog(hub: HubDir) -> Catalog:
    loaded, problems = hub.load()
    assert not problems.errors
    return Catalog(loaded, NOW)


def facets(record: object) -> dict[str, tuple[str, ...]]:
    return {str(name): values for name, values in record.filters}  # type: ignore[attr-defined]


def test_an_article_is_found_under_its_firms_topics_and_category(minihub: HubDir) -> None:
    hub = catalog(minihub)
    article = next(a for a in hub.articles if a.slug == "cash")
    record = article_record(hub, article, "<p>Plan ahead.</p>")
    assert record.kind is RecordKind.ARTICLE
    assert record.url == "articles/cash/"
    assert record.title == "Cash flow in summer"
    assert facets(record) == {
        "partner": ("Acme Accounting",),
        "topic": ("Cash flow", "Tax"),
        "category": ("Finance",),
    }
    assert [a.name for a in record.authors] == ["Acme Accounting"]
    assert record.authors[0].logo == "partners/acme/logo.svg"


def test_a_retired_firm_is_credited_without_its_logo(minihub: HubDir) -> None:
    hub = catalog(minihub)
    retired = next(
        a
        for a in hub.articles
        if any(hub.hub.partners[s].status == "retired" for s in a.partner_slugs)
    )
    record = article_record(hub, retired, "")
    by_name = {a.name: a.logo for a in record.authors}
    for slug in retired.partner_slugs:
        partner = hub.hub.partners[slug]
        assert by_name[partner.name] == (partner.logo.url if partner.is_active else "")


def test_a_partner_page_ranks_for_its_services_and_profession(minihub: HubDir) -> None:
    minihub.edit(
        "partners/acme.yml",
        "name: Acme Accounting\n",
        "name: Acme Accounting\nprofession: Chartered accountants\n",
    )
    hub = catalog(minihub)
    acme = hub.hub.partners["acme"]
    record = partner_record(hub, acme, "<p>Bio</p>")
    assert record.kind is RecordKind.PARTNER
    assert record.emphasis[0] == "Chartered accountants"
    assert set(acme.services) <= set(record.emphasis)
    assert facets(record)["profession"] == ("Chartered accountants",)
    assert facets(record)["partner"] == ("Acme Accounting",)
    weighted = BeautifulSoup(record_document(record, "en"), "html.parser").select(
        "[data-pagefind-weight]"
    )
    assert len(weighted) == 1
    assert int(weighted[0]["data-pagefind-weight"]) > 1  # above body text (weight 1)
    assert all(s in weighted[0].get_text() for s in acme.services)


def test_hostile_text_is_text_in_the_document(tmp_path: Path) -> None:
    root = tmp_path / "hub"
    write_hostile_hub(root)
    hub = catalog(HubDir(root))
    article = next(a for a in hub.articles if a.title == ARTICLE["title"])
    record = article_record(hub, article, "<p>Body</p>")
    document = record_document(record, "en")
    soup = BeautifulSoup(document, "html.parser")
    # Markup typed into a title, a firm's name, a topic is characters, not elements.
    assert soup.find("script") is None and soup.find("img") is None and soup.find("svg") is None
    assert MARKER not in "".join(str(tag.attrs) for tag in soup.find_all(True))
    meta = {s["data-pagefind-meta"]: s.get_text() for s in soup.select("[data-pagefind-meta]")}
    assert meta["title"] == ARTICLE["title"]
    assert PARTNER_TEXT["name"] in [a["name"] for a in json.loads(meta["authors"])]
    filters = [
        (s["data-pagefind-filter"], s.get_text()) for s in soup.select("[data-pagefind-filter]")
    ]
    assert ("partner", PARTNER_TEXT["name"]) in filters
    assert soup.h1 is not None and soup.h1.get_text() == ARTICLE["title"]


def test_body_html_cannot_give_pagefind_instructions() -> None:
    body = (
        '<h2 id="x">Heading<a class="headerlink" href="#x" title="Permanent link">¶</a></h2>'
        '<p data-pagefind-meta="title">Forged</p><span DATA-PAGEFIND-FILTER="partner">Other</span>'
    )
    cleaned = inert_html(body)
    assert "pagefind" not in cleaned.lower()
    assert "¶" not in cleaned
    assert "Forged" in cleaned and "Other" in cleaned  # still words of the page


def test_meta_and_filters_stay_out_of_the_indexed_text(minihub: HubDir) -> None:
    hub = catalog(minihub)
    record = article_record(hub, hub.articles[0], "<p>Body</p>")
    soup = BeautifulSoup(record_document(record, "en"), "html.parser")
    body = soup.select_one("[data-pagefind-body]")
    assert body is not None
    for tagged in soup.select("[data-pagefind-meta], [data-pagefind-filter]"):
        # Read as metadata and filters, not indexed as words (Pagefind's data-pagefind-ignore).
        assert tagged.find_parent(attrs={"data-pagefind-ignore": True}) is not None
    assert soup.html is not None and soup.html["lang"] == "en"


def indexed_text(document: str) -> str:
    """The words Pagefind indexes: the body's, less what it is told to ignore."""
    soup = BeautifulSoup(document, "html.parser")
    for ignored in soup.select("[data-pagefind-ignore]"):
        ignored.decompose()
    body = soup.select_one("[data-pagefind-body]")
    assert body is not None
    return body.get_text(" ")


def test_a_summary_taken_from_the_body_is_indexed_once(minihub: HubDir) -> None:
    hub = catalog(minihub)
    # Without a summary of its author's, the excerpt is the start of the body.
    article = next(a for a in hub.articles if a.slug == "leases" and not a.summary)
    body = f"<p>{article.excerpt} and more words.</p>"
    document = record_document(article_record(hub, article, body), "en")
    assert indexed_text(document).count(article.excerpt) == 1
    meta = BeautifulSoup(document, "html.parser").select_one('[data-pagefind-meta="summary"]')
    assert meta is not None and meta.get_text() == article.excerpt  # still shown in results


def test_an_authors_own_summary_is_indexed_beside_the_body(minihub: HubDir) -> None:
    hub = catalog(minihub)
    article = next(a for a in hub.articles if a.slug == "cash")
    assert article.summary == "Summer is slow."
    document = record_document(article_record(hub, article, "<p>Plan ahead.</p>"), "en")
    text = indexed_text(document)
    assert "Summer is slow." in text and "Plan ahead." in text


def test_only_published_pages_that_ask_for_search_are_indexed() -> None:
    assert is_indexed({})
    assert not is_indexed({}, published=False)  # a draft or scheduled article under serve
    assert not is_indexed({"search": {"exclude": True}})  # Material's spelling
    assert not is_indexed({"hubgen_noindex": True})  # share kits, thank-you pages
    assert is_indexed({"search": {"exclude": False}})


def test_facet_names_are_the_filters_the_search_box_offers() -> None:
    script = (Path(__file__).parent.parent / "themes/hubgen/assets/hubgen/search.js").read_text()
    for facet in Facet:
        assert f'["{facet}", ' in script
