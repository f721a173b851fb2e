"""Signatures: what a page is made of, hashed; equal only when the content is equal."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hubkit import REPO, HubDir

from hubgen.cache.inputs import templates_naming
from hubgen.cache.signatures import BODY_FIELDS, Signer, Unsignable
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


def test_an_article_stands_for_its_authors_and_status(minihub: HubDir) -> None:
    catalog = catalog_of(minihub)
    article = next(a for a in catalog.articles if a.slug == "cash")
    base = Signer(catalog, {article.src_uri: "body-1"}).signature(article)
    assert Signer(catalog, {article.src_uri: "body-1"}).signature(article) == base
    # A renamed author: the article's bylines on every list change.
    renamed = dataclasses.replace(catalog.hub.partners["acme"], name="Acme & Co")
    hub = dataclasses.replace(catalog.hub, partners={**catalog.hub.partners, "acme": renamed})
    moved = Catalog(hub, catalog.now)
    assert Signer(moved, {article.src_uri: "body-1"}).signature(article) != base
    # Published today, scheduled in the past: the status shows in preview builds.
    early = Catalog(catalog.hub, datetime(2020, 1, 1, tzinfo=UTC))
    assert Signer(early, {article.src_uri: "body-1"}).signature(article) != base


def test_a_body_is_signed_apart_from_what_lists_show_of_its_article(minihub: HubDir) -> None:
    catalog = catalog_of(minihub)
    article = next(a for a in catalog.articles if a.slug == "cash")
    signer = Signer(catalog, {article.src_uri: "body-1"})
    edited = dataclasses.replace(article, body=article.body + " More.", words=article.words + 1)
    assert edited.reading_minutes == article.reading_minutes
    # Pages listing the article show neither its body nor its exact length.
    assert signer.signature(edited) == signer.signature(article)
    # Its own page does: another rendered body (a moved link target), the same Markdown, too.
    body = signer.body_token(article)
    assert signer.body_token(edited) != body
    assert Signer(catalog, {article.src_uri: "body-2"}).body_token(article) != body
    assert Signer(catalog, {}).body_token(edited) != Signer(catalog, {}).body_token(article)
    # A longer read shows on every list.
    longer = dataclasses.replace(article, words=article.words + 2000)
    assert signer.signature(longer) != signer.signature(article)
    # A template reading bodies makes every article token carry its body again.
    listed = Signer(catalog, {article.src_uri: "body-1"}, bodies_listed=True)
    assert listed.signature(edited) != Signer(
        catalog, {article.src_uri: "body-1"}, bodies_listed=True
    ).signature(article)


def test_templates_reading_bodies_are_found_by_what_they_name(tmp_path: Path) -> None:
    (tmp_path / "partials").mkdir()
    (tmp_path / "main.html").write_text("<body>{% block content %}{% endblock %}</body>\n")
    (tmp_path / "partials" / "card.html").write_text("<p>{{ article.words }} words</p>\n")
    (tmp_path / "partials" / "item.html").write_text("{{ article['body'][:80] }}\n")
    (tmp_path / "partials" / "attr.html").write_text("{{ article | attr('body_line') }}\n")
    (tmp_path / "style.css").write_text("body { words: 1 }\n")
    found = templates_naming([tmp_path], BODY_FIELDS)
    assert found == [
        (tmp_path / "partials" / name).as_posix()
        for name in ("attr.html", "card.html", "item.html")
    ]
    # hubgen's own templates show a listed article's reading time, never its body.
    assert templates_naming([REPO / "themes"], BODY_FIELDS) == []


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
