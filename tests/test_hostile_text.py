"""Hostile text in every field a contributor controls: the built site shows it, never runs it.

A hub whose partner profiles and articles are full of markup, script, event handlers, template
syntax and ``javascript:`` is built; then every file of the site is parsed as what it is (HTML,
XML feeds, JSON, the search index) to prove that nothing executable survived and that the text
is escaped exactly once (the visitor reads the partner's words, not ``&lt;``). A browser test
(test_browser_hostile.py) loads the same hub in Chromium.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup, Tag
from hostilehub import (
    ARTICLE,
    ARTICLE_TOPICS,
    CREDENTIAL,
    CTA,
    IDEAL,
    MARKER,
    PARTNER_TEXT,
    PERSON,
    PERSON_BIO,
    SERVICES,
    TEMPLATE_RESULT,
    TESTIMONIAL,
    hostile,
    write_hostile_hub,
)

from hubgen.cli import main


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "hub"
    write_hostile_hub(root)
    out = root.parent / "site"
    assert main(["build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(out)]) == 0
    return out


def files(site: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file() and p.suffix in suffixes)


# -- what "nothing executable" means for a piece of HTML -----------------------------------------

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data")
EXECUTABLE_SCRIPT_TYPES = ("", "text/javascript", "module", "application/javascript")


def active_parts(html: str) -> Iterator[str]:
    """Everything in ``html`` that a browser would run, described for an assertion message."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        assert isinstance(element, Tag)
        if element.name == "script":
            kind = str(element.get("type", "")).lower()
            text = element.string or ""
            if kind in EXECUTABLE_SCRIPT_TYPES and MARKER in text:
                yield f"<script>{text[:80]}</script>"
            elif kind == "application/ld+json":
                if "</" in text:
                    yield "a JSON-LD block that closes its own <script>"
                json.loads(text)
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") and MARKER in value:
                yield f"<{element.name} {name}={value!r}>"
            if name.lower() in URL_ATTRIBUTES and value.strip().lower().startswith("javascript:"):
                yield f"<{element.name} {name}={value!r}>"
        if element.name in ("iframe", "object", "embed", "base"):
            yield f"<{element.name}> element"


def test_no_built_html_page_has_anything_executable(hostile_site: Path) -> None:
    pages = files(hostile_site, ".html")
    assert len(pages) > 20
    found = {
        str(p.relative_to(hostile_site)): list(active_parts(p.read_text("utf-8"))) for p in pages
    }
    assert {page: parts for page, parts in found.items() if parts} == {}


def test_no_template_syntax_is_ever_evaluated(hostile_site: Path) -> None:
    evaluated = [
        str(p.relative_to(hostile_site))
        for p in hostile_site.rglob("*")
        if p.is_file() and TEMPLATE_RESULT in p.read_text("utf-8", errors="replace")
    ]
    assert evaluated == []


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")


def test_article_text_is_escaped_exactly_once(hostile_site: Path) -> None:
    soup = page(hostile_site, "articles/hostile")
    title = soup.title
    assert title is not None
    assert title.get_text() == f"{ARTICLE['title']} - Mini Hub"
    h1 = soup.find("h1")
    assert h1 is not None and h1.get_text() == ARTICLE["title"]
    header_title = soup.select_one(".md-header__topic:last-child .md-ellipsis")
    assert header_title is not None and header_title.get_text().strip() == ARTICLE["title"]
    for selector, expected in (
        ('meta[name="description"]', ARTICLE["summary"]),
        ('meta[property="og:title"]', ARTICLE["title"]),
        ('meta[property="og:description"]', ARTICLE["summary"]),
    ):
        meta = soup.select_one(selector)
        assert meta is not None and meta["content"] == expected, selector
    text = soup.get_text()
    for value in (ARTICLE["category"], CTA["heading"], CTA["text"], PARTNER_TEXT["name"]):
        assert value in text
    assert soup.find("img", alt=ARTICLE["cover_alt"]) is not None
    # Never escaped twice: an entity shown as text would mean a second escape somewhere.
    assert "&lt;" not in text and "&#34;" not in text and "&quot;" not in text


def test_excerpt_from_hostile_body_is_plain_text(hostile_site: Path) -> None:
    # The body is Markdown, so its raw HTML is markup: the excerpt keeps only its text.
    soup = page(hostile_site, "articles/second")
    description = soup.select_one('meta[name="description"]')
    assert description is not None
    assert '"quoted" & more' in description["content"]
    assert "<" not in description["content"]


@pytest.mark.parametrize(
    "url",
    ["partners/acme", "partners/acme/share", "partners", "about", "contact", "", "referral-guide"],
)
def test_partner_text_is_escaped_exactly_once_on_pages(hostile_site: Path, url: str) -> None:
    soup = page(hostile_site, url)
    text = soup.get_text()
    assert PARTNER_TEXT["name"] in text
    assert "&lt;" not in text and "&#34;" not in text


def test_partner_profile_shows_every_field_as_text(hostile_site: Path) -> None:
    soup = page(hostile_site, "partners/acme")
    title = soup.title
    assert title is not None and title.get_text().startswith(PARTNER_TEXT["name"])
    text = soup.get_text()
    # The disclaimer is for articles and "how to spot them" for partners: not on the profile.
    shown = {k: v for k, v in PARTNER_TEXT.items() if k != "disclaimer"}
    for value in (
        *shown.values(),
        *SERVICES,
        IDEAL["who_we_help"],
        PERSON["name"],
        PERSON["role"],
        PERSON_BIO,
        CREDENTIAL["name"],
        CREDENTIAL["regulator"],
        *TESTIMONIAL.values(),
    ):
        assert value in text, value
    assert IDEAL["how_to_spot_them"] not in text
    # The regulator's address is an attribute: escaped once, so the link goes where it says.
    (link,) = soup.select(".hg-credentials a")
    assert link["href"] == CREDENTIAL["url"]
    # The bio is Markdown: sanitized rather than escaped, its words stay and its markup goes.
    assert "Bio text" in text


def test_service_topic_and_category_pages(hostile_site: Path) -> None:
    pages = [
        p
        for folder in ("services", "topics", "categories")
        for p in (hostile_site / folder).rglob("index.html")
    ]
    texts = " ".join(p.read_text("utf-8") for p in pages)
    soup_text = BeautifulSoup(texts, "html.parser").get_text()
    for value in (*SERVICES, *ARTICLE_TOPICS, ARTICLE["category"]):
        assert value in soup_text, value


# -- feeds -----------------------------------------------------------------------------------------


def test_feeds_are_well_formed_and_carry_no_markup_from_plain_text(hostile_site: Path) -> None:
    feeds = [p for p in files(hostile_site, ".xml") if p.name != "sitemap.xml"]
    assert feeds
    for path in feeds:
        tree = ElementTree.parse(path)  # well-formed XML, whatever the partner typed
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        # RSS <description> and Atom html content are HTML: parse them as a reader would.
        for element in tree.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            html_valued = tag in ("description", "encoded") or element.get("type") == "html"
            if html_valued and element.text:
                assert list(active_parts(element.text)) == [], (path, tag)


def test_rss_description_of_a_plain_summary_is_escaped(hostile_site: Path) -> None:
    rss = ElementTree.parse(hostile_site / "feed.xml")
    descriptions = {
        (item.findtext("title") or ""): item.findtext("description") or ""
        for item in rss.iter("item")
    }
    html = descriptions[ARTICLE["title"]]
    # The HTML is the summary as text: a reader shows the partner's characters, not markup.
    assert BeautifulSoup(html, "html.parser").get_text() == ARTICLE["summary"]
    assert BeautifulSoup(html, "html.parser").find(True) is None


def test_json_outputs_parse_and_html_fields_are_inert(hostile_site: Path) -> None:
    for path in files(hostile_site, ".json"):
        data = json.loads(path.read_text("utf-8"))
        if "items" in data and "version" in data:  # JSON Feed: content_html is HTML
            for item in data["items"]:
                assert list(active_parts(item.get("content_html", ""))) == [], path


def test_hub_json_holds_hostile_text_verbatim_one_entry_a_line(hostile_site: Path) -> None:
    text = (hostile_site / "hub.json").read_text("utf-8")
    manifest = json.loads(text)
    assert PARTNER_TEXT["name"] in [p["name"] for p in manifest["partners"]]
    assert ARTICLE["title"] in [a["title"] for a in manifest["articles"]]
    lines = text.splitlines()
    for section in ("partners", "articles", "topics", "categories"):
        start = lines.index(f'  "{section}": [')
        rows = lines[start + 1 : start + 1 + len(manifest[section])]
        assert [json.loads(row.strip().rstrip(",")) for row in rows] == manifest[section]
        assert lines[start + 1 + len(manifest[section])].strip() in ("],", "]")


def test_search_index_titles_are_html_escaped_once(hostile_site: Path) -> None:
    # Material's search shows each title and text as HTML: they must be inert and read right.
    index = json.loads((hostile_site / "search/search_index.json").read_text("utf-8"))
    titles = []
    for doc in index["docs"]:
        for field in ("title", "text"):
            assert list(active_parts(doc[field])) == [], (doc["location"], field)
        titles.append(BeautifulSoup(doc["title"], "html.parser").get_text())
    assert ARTICLE["title"] in titles
    assert PARTNER_TEXT["name"] in titles


# -- the organiser's leads report ------------------------------------------------------------------


def test_leads_report_shows_hostile_partner_names_as_text(tmp_path: Path) -> None:
    from collections import Counter
    from datetime import date

    from hubgen.leads.report import Summary, render_html, write_report

    names = {"acme": PARTNER_TEXT["name"], "brightside": hostile("Brightside", 1)}
    summary = Summary(
        partners=["acme", "brightside"],
        names=names,
        received=Counter({"acme": 2, "brightside": 1}),
        received_referred=Counter({"acme": 1}),
        received_direct=Counter({"acme": 1, "brightside": 1}),
        referred=Counter({"brightside": 1}),
        authored=Counter({"acme": 1}),
        matrix=Counter({("brightside", "acme"): 1}),
        referrers=["brightside"],
        recipients=["acme"],
        timeline=[(date(2025, 5, 1), 3)],
        period="day",
        total=3,
        spam=0,
        direct=2,
        self_referrals=0,
    )
    html = render_html(summary, hostile("Report", 1))
    assert list(active_parts(html)) == []
    soup = BeautifulSoup(html, "html.parser")
    row = soup.select_one('#per-partner tr[data-partner="acme"] th')
    assert row is not None and row.get_text() == names["acme"]
    assert soup.title is not None and soup.title.get_text().startswith(hostile("Report", 1))
    # The charts keep text as text: the names must be XML text, not markup.
    write_report(summary, tmp_path)
    for chart in tmp_path.glob("*.svg"):
        svg = ElementTree.parse(chart)
        tags = {element.tag.rsplit("}", 1)[-1] for element in svg.iter()}
        assert not tags & {"script", "img", "foreignObject"}, chart.name
    assert names["acme"] in "".join(ElementTree.parse(tmp_path / "matrix.svg").getroot().itertext())


def test_generated_svgs_hold_partner_text_as_text(hostile_site: Path) -> None:
    # The share kit's QR code names the partner in its <title>: XML text, never markup.
    qr = ElementTree.parse(hostile_site / "partners/acme/share/qr.svg")
    tags = {element.tag.rsplit("}", 1)[-1] for element in qr.iter()}
    assert not tags & {"script", "foreignObject", "image", "a"}
    title = next(e for e in qr.iter() if e.tag.rsplit("}", 1)[-1] == "title")
    assert PARTNER_TEXT["name"] in (title.text or "")


def test_professions_are_text_in_the_directory_and_the_contact_form(hostile_site: Path) -> None:
    profession = PARTNER_TEXT["profession"]
    directory = page(hostile_site, "partners")
    assert [a.get_text() for a in directory.select(".hg-filter__main a")] == [
        "All firms",
        profession,
    ]
    assert directory.select_one(".hg-card__profession").get_text() == profession
    groups = page(hostile_site, "contact").select("select#hg-form-service optgroup")
    assert [g["label"] for g in groups] == [profession, "Other"]
    home = page(hostile_site, "")
    assert profession in home.select_one(".hg-strip").get_text()
