"""Typed pages: each kind of page carries its own data, signed by content; templates link by urls."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime

from hubkit import REPO, HubDir

from hubgen.cache.signatures import Signer
from hubgen.core import urls
from hubgen.site.catalog import Catalog
from hubgen.site.pagedata import (
    AllArticlesData,
    ArticleListData,
    DirectoryData,
    HomeData,
    PageKind,
    PartnerPageData,
    PartnersData,
    ShareKitData,
    TopicPageData,
    TopicsIndexData,
)
from hubgen.site.pages import PageSpec, generate_pages
from hubgen.site.views import Views

NOW = datetime(2026, 1, 1, tzinfo=UTC)

DATA_OF_KIND: dict[PageKind, type | None] = {
    PageKind.HOME: HomeData,
    PageKind.ARTICLES: AllArticlesData,
    PageKind.ARCHIVE: ArticleListData,
    PageKind.TOPICS: TopicsIndexData,
    PageKind.TOPIC: TopicPageData,
    PageKind.CATEGORY: TopicPageData,
    PageKind.DIRECTORY: DirectoryData,
    PageKind.SERVICE: DirectoryData,
    PageKind.PARTNER: PartnerPageData,
    PageKind.SHARE: ShareKitData,
    PageKind.CONTACT: PartnersData,
    PageKind.ABOUT: PartnersData,
    PageKind.REFERRAL_GUIDE: PartnersData,
    PageKind.THANKS: None,
}


def catalog_of(hub: HubDir) -> Catalog:
    loaded, problems = hub.load()
    assert not problems.errors
    return Catalog(loaded, NOW)


def test_every_generated_page_carries_the_data_of_its_kind(minihub: HubDir) -> None:
    specs = generate_pages(catalog_of(minihub))
    # Every kind but the about page, which the fixture hub does not have.
    assert {spec.kind for spec in specs} == set(DATA_OF_KIND) - {PageKind.ABOUT}
    for spec in specs:
        expected = DATA_OF_KIND[spec.kind]
        if expected is None:
            assert spec.data is None, spec.url
        else:
            assert type(spec.data) is expected, spec.url


def test_views_compute_what_each_kind_shows(minihub: HubDir) -> None:
    catalog = catalog_of(minihub)
    views = Views(catalog)
    pages = {spec.url: views.page(spec) for spec in generate_pages(catalog)}
    partner = pages[urls.partner("acme")]
    assert partner.kind == "partner" and partner.form is not None and partner.accent is not None
    assert partner.form.hidden["page"] == urls.partner("acme")
    kit = pages[urls.share_kit("acme")]
    assert kit.noindex and kit.kit is not None and kit.kit.qr_url == urls.qr_code("acme")
    assert [card.partner.name for card in pages[urls.PARTNERS].cards] == [
        p.name for p in catalog.partners
    ]
    assert pages[urls.CONTACT].form is not None and pages[urls.THANKS].form is None
    assert not pages[urls.ARTICLES].cards and pages[urls.ARTICLES].kit is None


def test_equal_page_data_signs_alike_and_a_changed_field_shows(minihub: HubDir) -> None:
    # Two loads of one hub make equal (not identical) objects: their pages sign alike.
    first, second = catalog_of(minihub), catalog_of(minihub)
    signed = []
    for catalog in (first, second):
        signer, views = Signer(catalog, {}), Views(catalog)
        signed.append([signer.signature(s, views.page(s)) for s in generate_pages(catalog)])
    assert signed[0] == signed[1]
    spec = next(s for s in generate_pages(first) if s.kind is PageKind.ARCHIVE)
    assert isinstance(spec.data, ArticleListData)
    renamed: PageSpec = dataclasses.replace(
        spec, data=dataclasses.replace(spec.data, heading=spec.data.heading + "!")
    )
    signer = Signer(first, {})
    assert signer.signature(spec) != signer.signature(renamed)


PAGE_PATHS = re.compile(
    r"""['"](articles|partners|topics|categories|archive|services|about|contact|thanks|r)/"""
)


def test_templates_link_to_pages_through_the_url_scheme() -> None:
    for path in sorted((REPO / "themes").rglob("*.html")):
        text = path.read_text("utf-8")
        assert not PAGE_PATHS.search(text), f"{path}: link with hubgen_urls, not a spelled path"
        for name in re.findall(r"\bhubgen_urls\.(\w+)", text):
            assert hasattr(urls, name), f"{path}: hubgen_urls.{name} does not exist"
