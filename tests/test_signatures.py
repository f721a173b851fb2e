"""Signatures: what a page is made of, hashed; equal only when the content is equal."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hubkit import REPO, HubDir

from hubgen.cache.signatures import Signer, Unsignable
from hubgen.site.catalog import Catalog
from hubgen.site.pages import generate_pages
from hubgen.site.views import Views


def catalog_of(hub: HubDir) -> Catalog:
    loaded, problems = hub.load()
    assert not problems.errors
    return Catalog(loaded, datetime(2026, 1, 1, tzinfo=UTC))


def test_equal_data_signs_alike_and_any_change_shows(minihub: HubDir) -> None:
    signer = Signer(catalog_of(minihub), {})
    assert signer.signature("a", 1, [2, 3], {"k": (None, True)}) == signer.signature(
        "a", 1, [2, 3], {"k": (None, True)}
    )
    variants = [
        ("a", 1), ("a", "1"), ("a", 1.0), ("a", True), ("a", [1]), ("a", (1,)), ("a1",),
        ("a", None), ("a", {"1": 1}), ("a", {1: "1"}), ("a\x1f", 1),
    ]  # fmt: skip
    assert len({signer.signature(*v) for v in variants}) == len(variants)


def test_strings_cannot_be_forged_by_concatenation(minihub: HubDir) -> None:
    signer = Signer(catalog_of(minihub), {})
    assert signer.signature("ab", "c") != signer.signature("a", "bc")
    assert signer.signature(["a", "b"]) != signer.signature(["a\x1fs1:b"])


def test_an_article_stands_for_its_authors_status_and_body(minihub: HubDir) -> None:
    catalog = catalog_of(minihub)
    article = next(a for a in catalog.articles if a.slug == "cash")
    base = Signer(catalog, {article.src_uri: "body-1"}).signature(article)
    assert Signer(catalog, {article.src_uri: "body-1"}).signature(article) == base
    # Another rendered body (a moved link target), same Markdown.
    assert Signer(catalog, {article.src_uri: "body-2"}).signature(article) != base
    # A renamed author: the article's bylines on every list change.
    renamed = dataclasses.replace(catalog.hub.partners["acme"], name="Acme & Co")
    hub = dataclasses.replace(catalog.hub, partners={**catalog.hub.partners, "acme": renamed})
    moved = Catalog(hub, catalog.now)
    assert Signer(moved, {article.src_uri: "body-1"}).signature(article) != base
    # Published today, scheduled in the past: the status shows in preview builds.
    early = Catalog(catalog.hub, datetime(2020, 1, 1, tzinfo=UTC))
    assert Signer(early, {article.src_uri: "body-1"}).signature(article) != base


def test_every_view_of_the_fixture_hub_can_be_signed(minihub: HubDir) -> None:
    catalog = catalog_of(minihub)
    views = Views(catalog)
    signer = Signer(catalog, {})
    signatures = {signer.signature(views.article(a)) for a in catalog.articles}
    signatures |= {signer.signature(spec, views.page(spec)) for spec in generate_pages(catalog)}
    assert len(signatures) == len(catalog.articles) + len(generate_pages(catalog))


def test_values_it_cannot_see_into_are_refused(minihub: HubDir) -> None:
    signer = Signer(catalog_of(minihub), {})
    with pytest.raises(Unsignable, match=r"Expected data .* but received: builtins.object"):
        signer.signature({"thing": object()})


# Templates reach the catalog only through these helpers; the signature of an article covers
# what they read (its partners, its status). A template using anything else would show data
# the page cache does not know it depends on.
CATALOG_HELPERS = {"hub": {"settings", "bylines", "lead_partner"}}
CATALOG_HELPERS["hub_views"] = {"site_feeds", "status_label", "card"}


def test_templates_use_only_the_catalog_helpers_signatures_cover() -> None:
    used: dict[str, set[str]] = {"hub": set(), "hub_views": set()}
    templates = sorted((REPO / "themes").rglob("*.html")) + sorted((REPO / "themes").rglob("*.xml"))
    # Static templates (404.html, sitemap.xml) are rendered on every build, never kept by the
    # page cache, so they may read the whole catalog.
    static = {"404.html", "sitemap.xml"}
    for path in templates:
        if path.parent == REPO / "themes" / "hubgen" and path.name in static:
            continue
        text = Path(path).read_text("utf-8")
        for name, attribute in re.findall(r"\b(hub|hub_views)\.(\w+)", text):
            used[name].add(attribute)
        assert not re.search(r"\b(hub|hub_views)\s*\[", text), path
    assert (
        used["hub"] <= CATALOG_HELPERS["hub"] and used["hub_views"] <= CATALOG_HELPERS["hub_views"]
    )
