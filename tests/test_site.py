"""Structural tests of a built hub: parse the HTML and check what visitors and integrations see."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from hubkit import FIXTURES, MINIHUB, REPO, HubDir, Site, build_hub, copy_hub


@pytest.fixture(scope="module")
def site(mini_site: Site) -> Site:
    """The fixture hub's build shared by the session (read only)."""
    return mini_site


def card_titles(soup, selector: str = ".hg-card--article .hg-card__title a") -> list[str]:  # type: ignore[no-untyped-def]
    return [a.get_text(strip=True) for a in soup.select(selector)]


def test_article_page_has_bylines_author_boxes_and_accent(site: Site) -> None:
    page = site.page("articles/hiring-right/")
    assert page.select_one("h1").get_text() == "Hiring right & paying right"
    bylines = page.select(".hg-article__header .hg-byline")
    assert [b.get_text(" ", strip=True) for b in bylines] == ["Brightside Law", "Acme Accounting"]
    assert [b.select_one("a")["href"] for b in bylines] == [
        "../../partners/brightside/",
        "../../partners/acme/",
    ]
    boxes = page.select(".hg-author-box h3")
    assert [b.get_text(strip=True) for b in boxes] == ["Brightside Law", "Acme Accounting"]
    # The lead author's brand colour, shaded to pass WCAG AA on white (#ffeb3b alone does not).
    assert "hg-brand-ffeb3b" in page.select_one(".hg-article")["class"]
    css = (site.root / "assets/hubgen/hubgen.css").read_text("utf-8")
    style = next(line for line in css.splitlines() if line.startswith(".hg-brand-ffeb3b "))
    assert "--hubgen-brand: #ffeb3b" in style
    assert "--hubgen-accent-light: #ffeb3b" not in style
    assert "min read" in page.select_one(".hg-meta").get_text()
    assert [a.get_text() for a in page.select(".hg-article__header .hg-chips a")] == [
        "Hiring",
        "Tax",
    ]
    # Acme's compliance footer appears on its articles.
    assert "Not tax advice." in page.select_one(".hg-disclaimer").get_text()


def test_person_byline_names_person_and_firm(site: Site) -> None:
    page = site.page("articles/tax-basics/")
    (byline,) = page.select(".hg-article__header .hg-byline")
    assert byline.get_text(" ", strip=True) == "Jane Doe, Acme Accounting"
    assert page.select_one(".hg-cover img")["alt"] == "A green rectangle"
    assert site.exists("articles/images/cover.svg")


def test_need_help_lists_other_experts_on_the_topics(site: Site) -> None:
    # Brightside names Tax as an expert topic; Acme wrote this Tax article, so Brightside is suggested.
    page = site.page("articles/cash/")
    experts = page.select(".hg-experts .hg-card__title a")
    assert [a.get_text() for a in experts] == ["Brightside Law"]
    related = card_titles(page.select_one(".hg-related"))
    assert related[0] in {"Tax basics for small firms", "Hiring right & paying right"}
    assert "Cash flow in summer" not in related


def test_previous_and_next(site: Site) -> None:
    page = site.page("articles/hiring-right/")
    assert page.select_one(".hg-prevnext a[rel=prev]")["href"] == "../tax-basics/"
    assert page.select_one(".hg-prevnext a[rel=next]")["href"] == "../cash/"


def test_retired_partner_keeps_articles_with_a_neutral_byline(site: Site) -> None:
    page = site.page("articles/leases/")
    (byline,) = page.select(".hg-article__header .hg-byline")
    assert byline.get_text(strip=True) == "Oldco Property"
    assert byline.select("a") == [] and byline.select("img") == []
    assert page.select(".hg-author-box") == [] and page.select(".hg-cta") == []
    assert not site.exists("partners/oldco/")
    assert not site.exists("partners/oldco/logo.svg")


def test_drafts_future_and_held_articles_are_not_published(site: Site) -> None:
    for slug in ("draft-idea", "future", "phishing"):
        assert not site.exists(f"articles/{slug}/")
    assert not site.exists("partners/newco/")  # pending partner: not published
    listed = card_titles(site.page("articles/")) + card_titles(site.page("articles/page/2/"))
    assert listed == [
        "Cash flow in summer",
        "Hiring right & paying right",
        "Tax basics for small firms",
        "Reading a lease",
    ]


def test_partner_pages_list_their_articles_paginated(site: Site) -> None:
    acme = site.page("partners/acme/")
    assert acme.select_one("h1").get_text() == "Acme Accounting"
    assert card_titles(acme) == ["Cash flow in summer", "Hiring right & paying right"]
    assert card_titles(site.page("partners/acme/page/2/")) == ["Tax basics for small firms"]
    assert [h.get_text() for h in acme.select(".hg-team h3")] == ["Jane Doe"]
    assert acme.select_one("#contact a[href^=mailto]")["href"] == "mailto:hello@acme.example"
    body = acme.select_one(".hg-body").get_text(" ")
    assert "Who we help" in body and "They mention a tax bill" not in body  # for partners
    assert card_titles(site.page("partners/brightside/")) == ["Hiring right & paying right"]


def test_directory_and_service_filters(site: Site) -> None:
    directory = site.page("partners/")
    names = [a.get_text() for a in directory.select(".hg-card--partner .hg-card__title a")]
    assert names == ["Acme Accounting", "Brightside Law"]
    filters = [a.get_text(" ", strip=True) for a in directory.select("[data-hg-filter] a")]
    # No professions in this hub: the services are its only filter, without counts of 1.
    assert filters == ["All services", "Bookkeeping", "Employment law", "Payroll"]
    bookkeeping = site.page("services/bookkeeping/")
    visible = [c["data-partner"] for c in bookkeeping.select(".hg-card--partner:not([hidden])")]
    assert visible == ["acme"]
    payroll = site.page("services/payroll/")
    assert [c["data-partner"] for c in payroll.select(".hg-card--partner:not([hidden])")] == [
        "acme",
        "brightside",
    ]


def test_topic_category_and_archive_pages(site: Site) -> None:
    assert card_titles(site.page("topics/tax/")) == [
        "Cash flow in summer",
        "Hiring right & paying right",
    ]
    assert card_titles(site.page("topics/tax/page/2/")) == ["Tax basics for small firms"]
    experts = site.page("topics/tax/").select(".hg-experts .hg-card__title a")
    assert [a.get_text() for a in experts] == ["Acme Accounting", "Brightside Law"]
    assert site.page("topics/tax/page/2/").select(".hg-experts") == []  # page 1 names them
    assert card_titles(site.page("categories/finance/")) == [
        "Cash flow in summer",
        "Tax basics for small firms",
    ]
    assert card_titles(site.page("archive/2024/")) == ["Reading a lease"]
    topics = [a.get_text() for a in site.page("topics/").select("#hg-tags + ul a")]
    assert topics == ["Cash flow", "Hiring", "Property", "Tax"]


def test_home_shows_latest_articles_partners_and_topics(site: Site) -> None:
    home = site.page("")
    assert card_titles(home)[0] == "Cash flow in summer"
    assert [a["title"] for a in home.select(".hg-strip a")] == ["Acme Accounting", "Brightside Law"]
    assert home.select_one(".hg-hero .hg-lede").get_text() == "A tiny hub for tests"


def test_navigation_stays_small(site: Site) -> None:
    nav = site.page("articles/cash/").select(".md-nav--primary > ul > li > a")
    assert [a.get_text(strip=True) for a in nav] == [
        "Home",
        "Articles",
        "Partners",
        "Topics",
        "About",
        "Contact",
    ]


def test_seo_metadata(site: Site) -> None:
    page = site.page("articles/tax-basics/")
    assert (
        page.select_one("link[rel=canonical]")["href"]
        == "https://mini.example/articles/tax-basics/"
    )
    assert page.select_one('meta[property="og:title"]')["content"] == "Tax basics for small firms"
    assert page.select_one('meta[property="og:image"]')["content"] == (
        "https://mini.example/articles/tax-basics/card.png"
    )
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    article, crumbs = data
    assert article["@type"] == "Article"
    assert article["author"] == [
        {
            "@type": "Person",
            "name": "Jane Doe",
            "worksFor": {
                "@type": "Organization",
                "name": "Acme Accounting",
                "url": "https://mini.example/partners/acme/",
                "logo": "https://mini.example/partners/acme/logo.svg",
            },
        }
    ]
    assert crumbs["@type"] == "BreadcrumbList"
    co = json.loads(
        site.page("articles/hiring-right/").select_one('script[type="application/ld+json"]').string
    )
    assert [a["name"] for a in co[0]["author"]] == ["Brightside Law", "Acme Accounting"]
    sitemap = (site.root / "sitemap.xml").read_text()
    assert "https://mini.example/partners/acme/" in sitemap


def test_search_indexes_articles_and_partner_pages_only(site: Site) -> None:
    index = json.loads((site.root / "search/search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {"articles/cash/", "partners/acme/", "about/"} <= locations
    assert "articles/" not in locations and "topics/tax/" not in locations


def test_hub_json_agrees_with_the_files(site: Site) -> None:
    manifest = json.loads((site.root / "hub.json").read_text())
    assert manifest["site"]["name"] == "Mini Hub"
    partners = {p["slug"]: p for p in manifest["partners"]}
    profiles = {p.stem for p in (FIXTURES / "minihub/partners").glob("*.yml")}
    assert set(partners) == {"acme", "brightside"} and set(partners) <= profiles
    for slug, entry in partners.items():
        assert site.exists(entry["url"]), slug
        assert site.exists(entry["logo"]), slug
    assert partners["acme"]["referral_code"] == "acme-ref"
    for article in manifest["articles"]:
        assert set(article) == {
            "slug",
            "id",
            "title",
            "url",
            "authors",
            "topics",
            "category",
            "date",
            "updated",
        }
        assert site.exists(article["url"])
        assert set(article["authors"]) <= profiles
    assert {a["slug"] for a in manifest["articles"]} == {
        "cash",
        "hiring-right",
        "tax-basics",
        "leases",
    }
    assert [t["slug"] for t in manifest["topics"]] == ["cash-flow", "hiring", "property", "tax"]
    assert all(site.exists(t["url"]) for t in manifest["topics"])


def test_two_builds_are_identical(site: Site, tmp_path: Path) -> None:
    build_hub(copy_hub(MINIHUB, tmp_path / "hub"), tmp_path / "b")
    for name in ("hub.json", "index.html", "articles/cash/index.html", "partners/acme/index.html"):
        assert (tmp_path / "b" / name).read_bytes() == (site.root / name).read_bytes(), name


def test_lead_forms_fit_the_receivers_limits(site: Site) -> None:
    from hubgen.site.forms import MAX_FIELDS

    manifest = json.loads((site.root / "hub.json").read_text())
    for url, form_id in [
        ("articles/cash/", "article"),
        ("partners/acme/", "partner"),
        ("contact/", "contact"),
    ]:
        form = site.page(url).select_one("form[data-hubgen-form]")
        names = [field["name"] for field in form.select("[name]")]
        assert form["data-hubgen-form"] == form_id and form["method"] == "post"
        assert len(names) == len(set(names)) <= MAX_FIELDS, url
        allowed = manifest["forms"]["fields"][form_id]
        assert set(names) == {
            *allowed["visible"],
            *allowed["hidden"],
            manifest["forms"]["honeypot"],
        }
        for name in manifest["forms"]["required"][form_id]:
            assert form.select_one(f'[name="{name}"]').has_attr("required"), (url, name)
        for field in form.select("input:not([type=hidden]), textarea, select"):
            if field["name"] != "website":
                assert form.select_one(f'label[for="{field["id"]}"]'), (url, field["name"])
    consent = (
        site.page("articles/hiring-right/").select_one('label[for="hg-form-consent"]').get_text()
    )
    assert "Brightside Law and Acme Accounting may contact me" in consent
    assert manifest["forms"]["services"]["Payroll"] == ["acme", "brightside"]


def test_share_kit_lists_tracked_links_feed_and_qr(site: Site) -> None:
    kit = site.page("partners/acme/share/")
    assert kit.select_one('meta[name="robots"]')["content"] == "noindex"
    links = [i["value"] for i in kit.select('.hg-share__item input[id^="hg-link-"]')]
    manifest = json.loads((site.root / "hub.json").read_text())
    assert len(links) == len(manifest["articles"])
    for link, article in zip(links, manifest["articles"], strict=True):
        assert link.startswith(
            f"https://mini.example/{article['url']}?ref=acme-ref&utm_source=acme-ref"
        )
        assert link.endswith(f"&utm_content={article['slug']}")
    assert kit.select_one("#hg-short")["value"] == "https://mini.example/r/acme-ref/"
    assert (
        kit.select_one("#hg-syndication")["value"]
        == "https://mini.example/partners/acme/syndication.xml"
    )
    assert site.exists("partners/acme/syndication.xml")
    qr = (site.root / "partners/acme/share/qr.svg").read_text()
    assert qr.startswith("<svg") and "<title>QR code: Acme Accounting on the hub</title>" in qr
    assert "share" not in " ".join(
        loc for loc in (site.root / "sitemap.xml").read_text().split() if "/partners/" in loc
    )


def test_a_share_kit_lists_the_newest_articles_and_points_to_the_link_builder(
    minihub: HubDir, build_site: Callable[[Path], Site]
) -> None:
    from hubgen.site.sharekit import SHARE_KIT_ARTICLES

    count = SHARE_KIT_ARTICLES + 5
    for number in range(1, count + 1):
        day = date(2025, 8, 1) + timedelta(days=number)
        minihub.write(
            f"content/articles/{day}-note-{number}.md",
            f"---\ntitle: Note {number}\ndate: {day}\nauthors: [acme]\n"
            f"topics: [Tax]\ncategory: Finance\n---\nA short note.\n",
        )
    site = build_site(minihub.root / "mkdocs.yml")
    kit = site.page("partners/acme/share/")
    links = [i["value"] for i in kit.select('.hg-share__item input[id^="hg-link-"]')]
    manifest = json.loads((site.root / "hub.json").read_text())
    newest = [a["slug"] for a in manifest["articles"]][:SHARE_KIT_ARTICLES]
    assert [link.rsplit("utm_content=", 1)[1] for link in links] == newest
    total = len(manifest["articles"])
    assert total > SHARE_KIT_ARTICLES
    note = f"The {SHARE_KIT_ARTICLES} newest of {total} articles; use the link builder"
    assert note in kit.get_text(" ", strip=True)
    assert kit.select_one("form[data-hg-builder] #hg-builder-url") is not None


def test_related_articles_rank_by_shared_topics_then_category_then_recency() -> None:
    """The indexed ranking equals the plain definition: score every other article."""
    from hubgen.core.models import HubSettings
    from hubgen.load.loader import load_hub
    from hubgen.site.catalog import RELATED_COUNT, Catalog

    settings = HubSettings(
        name="Demo", root=REPO, docs_dir=REPO / "content", partners_dir=REPO / "partners"
    )
    hub, _ = load_hub(settings)
    catalog = Catalog(hub, max(a.date for a in hub.articles), preview=True)
    order = {a.url: i for i, a in enumerate(catalog.articles)}

    def score(article, other):  # type: ignore[no-untyped-def]
        same = article.category is not None and other.category == article.category
        return 2 * len(set(article.topics) & set(other.topics)) + int(same)

    for article in catalog.articles:
        plain = sorted(
            (o for o in catalog.articles if o.url != article.url and score(article, o)),
            key=lambda o: (-score(article, o), order[o.url]),
        )[:RELATED_COUNT]
        assert catalog.related(article) == tuple(plain), article.slug


def test_pagination_shows_a_window_of_pages() -> None:
    from hubgen.site.pagedata import Pagination

    def numbers(number: int, count: int) -> list[int | None]:
        return [
            entry[0] if entry else None for entry in Pagination(number, count, "articles/").pages
        ]

    assert numbers(1, 3) == [1, 2, 3]
    assert numbers(1, 30) == [1, 2, 3, None, 30]
    assert numbers(15, 30) == [1, None, 13, 14, 15, 16, 17, None, 30]
    assert numbers(29, 30) == [1, None, 27, 28, 29, 30]
    assert numbers(4, 30) == [1, 2, 3, 4, 5, 6, None, 30]
    assert Pagination(2, 30, "articles/").pages[1] == (2, "articles/page/2/")
