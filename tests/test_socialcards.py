"""Social cards: every page's og:image is a 1200×630 PNG in the site, small, co-branded, drawn
from escaped text, and kept between builds like pages."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

from hubgen.cli import main
from hubgen.site.socialcards import (
    MAX_BYTES,
    MAX_LOGOS,
    Card,
    CardPartner,
    LogoSource,
    card_svg,
    render_png,
    wrap,
)
from tests.hostilehub import PAYLOADS, write_hostile_hub
from tests.hubkit import Site, copy_hub, mini_build, pinned_build_time

MINI = "https://mini.example/"
SVG_NS = "{http://www.w3.org/2000/svg}"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's signature and IHDR chunk (as a platform's fetcher reads it)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    length, chunk = struct.unpack(">I4s", data[8:16])
    assert chunk == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def assert_cards(site: Site, base: str) -> set[str]:
    """Every HTML page's og:image is an absolute URL to a 1200×630 PNG ≤ 60 KB in the site."""
    images: set[str] = set()
    pages = html_pages(site.root)
    assert len(pages) > 10
    for path in pages:
        soup = site.page(path.relative_to(site.root).as_posix())
        if soup.select_one('meta[http-equiv="refresh"]'):
            continue  # a short link's redirect page
        where = path.relative_to(site.root).as_posix()
        image = soup.select_one('meta[property="og:image"]')
        assert image is not None, where
        url = image["content"]
        assert url.startswith(base) and url.endswith(".png"), (where, url)
        data = (site.root / url.removeprefix(base)).read_bytes()
        assert png_size(data) == (1200, 630), where
        assert len(data) <= MAX_BYTES, (where, len(data))
        meta = {
            m.get("property") or m.get("name"): m["content"] for m in soup.select("meta[content]")
        }
        assert meta["og:image:width"] == "1200" and meta["og:image:height"] == "630", where
        assert meta["og:image:type"] == "image/png", where
        assert meta["og:image:alt"].strip(), where
        assert meta["twitter:card"] == "summary_large_image", where
        assert meta["twitter:image"] == url, where
        images.add(url)
    return images


def test_every_page_shares_a_png_card_of_1200_by_630() -> None:
    site = mini_build().site
    images = assert_cards(site, MINI)
    # One card per article and per partner, plus the home page's (which other pages share).
    assert MINI + "articles/tax-basics/card.png" in images
    assert MINI + "partners/acme/card.png" in images
    assert MINI + "card.png" in images
    soup = site.page("articles/tax-basics/")
    alt = soup.select_one('meta[property="og:image:alt"]')["content"]
    assert alt.startswith("Tax basics for small firms by ") and "Mini Hub" in alt
    partner = site.page("partners/acme/")
    assert partner.select_one('meta[property="og:image"]')["content"] == (
        MINI + "partners/acme/card.png"
    )
    directory = site.page("partners/")
    assert directory.select_one('meta[property="og:image"]')["content"] == MINI + "card.png"


def test_drafts_and_inactive_partners_get_no_card() -> None:
    site = mini_build().site
    cards = {p.relative_to(site.root).as_posix() for p in site.root.rglob("card.png")}
    articles = {c.split("/")[1] for c in cards if c.startswith("articles/")}
    built = {p.parent.name for p in (site.root / "articles").glob("*/index.html")}
    assert articles <= built  # no card announces an article the site does not publish
    partners = {c.split("/")[1] for c in cards if c.startswith("partners/")}
    assert partners == {p.parent.name for p in (site.root / "partners").glob("*/index.html")}


# -- the card's SVG: partner text is text ------------------------------------------------------


def hostile_card() -> Card:
    logo = LogoSource("SVG", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "d" * 64)
    return Card(
        "articles/x/card.png",
        "Title " + " ".join(PAYLOADS) + ' <text y="9">injected</text>&amp;',
        'Label "><rect/>',
        "Hub </text><image href='https://evil.example/x.png'/>",
        (
            CardPartner("Acme <script>x()</script>", '#fff"/><script/>', "#123456", logo),
            CardPartner("Beta & Co <tspan>", "#0f766e", "#0f766e", None),
        ),
        host="evil.example<br>",
    )


def test_markup_in_a_title_or_name_creates_no_element_in_the_card() -> None:
    card = hostile_card()
    svg = card_svg(card, lambda logo: "data:image/png;base64,AAAA")
    root = ET.fromstring(svg)
    tags = [element.tag.removeprefix(SVG_NS) for element in root.iter()]
    assert set(tags) == {"svg", "rect", "text", "image"}
    assert tags.count("image") == 1  # Acme's logo; Beta has none, and nothing else is an image
    images = [e for e in root.iter() if e.tag == SVG_NS + "image"]
    assert images[0].get("href") == "data:image/png;base64,AAAA"
    texts = [e for e in root.iter() if e.tag == SVG_NS + "text"]
    title = " ".join(e.text or "" for e in texts if int(e.get("font-size", "0")) >= 42)
    assert title == " ".join(card.title.split())  # every character shown, as text
    shown = " ".join(e.text or "" for e in texts)
    assert "Acme <script>x()</script>" in shown and "Beta & Co <tspan>" in shown
    assert 'Label "><rect/>' in shown
    # A hostile colour stays one attribute's value (card colours come from accent() anyway).
    assert [e.get("fill") for e in texts].count('#fff"/><script/>') == 1
    png = render_png(card_svg(card, lambda logo: "data:image/png;base64,AAAA"))
    assert png_size(png) == (1200, 630)


def test_hostile_hub_builds_cards_from_its_hostile_text(tmp_path: Path) -> None:
    root = tmp_path / "hub"
    write_hostile_hub(root)
    out = tmp_path / "site"
    assert main(["build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(out)]) == 0
    cards = list(out.rglob("card.png"))
    assert len(cards) >= 3
    for card in cards:
        assert png_size(card.read_bytes()) == (1200, 630)


# -- cached like pages ---------------------------------------------------------------------------


def blobs(hub: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in hub.rglob(".hubgen-cache/**/blobs/*/*.png")}


def test_a_warm_build_draws_no_card_and_an_edit_redraws_one(tmp_path: Path) -> None:
    hub = copy_hub(mini_build().hub, tmp_path / "hub")
    site = tmp_path / "site"

    def build() -> None:
        with pinned_build_time():
            assert main(["build", "-q", "-f", str(hub / "mkdocs.yml"), "-d", str(site)]) == 0

    build()
    first = blobs(hub)
    assert len(first) == len(list(site.rglob("card.png")))
    build()
    assert blobs(hub) == first  # nothing drawn again, nothing dropped
    article = next((hub / "content/articles").glob("*tax-basics*.md"))
    text = article.read_text("utf-8")
    article.write_text(text.replace("Tax basics for small firms", "Tax basics, revised"), "utf-8")
    build()
    after = blobs(hub)
    assert len(set(after) - set(first)) == 1  # only the edited article's card is new
    assert len(set(first) - set(after)) == 1  # and its old card is pruned
    (new,) = set(after) - set(first)
    kept = next(hub.rglob(f".hubgen-cache/**/{new}"))
    assert (site / "articles/tax-basics/card.png").read_bytes() == kept.read_bytes()


def test_cards_without_the_cache(tmp_path: Path) -> None:
    hub = copy_hub(mini_build().hub, tmp_path / "hub")
    config = hub / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("  - hubgen:\n", "  - hubgen:\n      cache: false\n"), "utf-8")
    site = tmp_path / "site"
    with pinned_build_time():
        assert main(["build", "-q", "-f", str(config), "-d", str(site)]) == 0
    assert png_size((site / "articles/tax-basics/card.png").read_bytes()) == (1200, 630)


def test_a_card_for_a_large_network_shows_a_row_of_logos_and_ends() -> None:
    # 50 firms once made each logo's box negative: breaking names to fit it never ended.
    logo = LogoSource("SVG", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "d" * 64)
    firms = tuple(
        CardPartner(f"Firm number {n} and Partners LLP", "#0f766e", "#0f766e", logo)
        for n in range(50)
    )
    card = Card("card.png", "Main Street Collective", "A network", "Hub", firms, "hub.example")
    root = ET.fromstring(card_svg(card, lambda logo: "data:image/png;base64,AAAA"))
    images = [e for e in root.iter() if e.tag == SVG_NS + "image"]
    assert len(images) == MAX_LOGOS
    assert all(float(e.get("width", "0")) > 40 for e in images)
    stripe = [e for e in root.iter() if e.tag == SVG_NS + "rect" and e.get("height") == "16"]
    assert len(stripe) == 50  # every firm's colour along the top
    assert len(wrap("Incomprehensibilities", 24, -10.0, 2)) <= 2  # no room at all: still ends
