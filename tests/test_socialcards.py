"""Social cards: every page's og:image is a 1200×630 PNG in the site, small, co-branded, drawn
from escaped text, and kept between builds like pages."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from hostilehub import PAYLOADS, write_hostile_hub
from hubkit import HubDir, Site, build_in_place, copy_hub, mini_build, pinned_build_time
from PIL import Image as PILImage
from PIL import ImageChops, ImageColor

from hubgen.cache.cards import KeptCard
from hubgen.cli import main
from hubgen.mkdocs_adapter.plugin import HubgenPlugin
from hubgen.site import socialcards
from hubgen.site.socialcards import (
    HEIGHT,
    INK,
    LOGO_HEIGHT,
    MARGIN,
    MAX_BYTES,
    MAX_LOGOS,
    MAX_TITLE_LINES,
    WIDTH,
    Card,
    CardPartner,
    LogoCache,
    LogoSource,
    card_layout,
    encode_png,
    paint,
    render_card,
    wrap,
)

MINI = "https://mini.example/"


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
        # X falls back to og:title, og:description and og:image; they are not written twice.
        assert not {"twitter:title", "twitter:description", "twitter:image"} & meta.keys(), where
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


# -- the card: partner text is text, drawn ----------------------------------------------------


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


def pixels(png: bytes) -> PILImage.Image:
    assert png_size(png) == (1200, 630)
    return PILImage.open(io.BytesIO(png)).convert("RGB")


def test_markup_in_a_title_or_name_is_drawn_as_its_characters() -> None:
    card = hostile_card()
    layout = card_layout(card, LogoCache())
    title = " ".join(t.text for t in layout.texts if t.size >= 42)
    assert title == " ".join(card.title.split())  # every character shown, as text
    shown = [t.text for t in layout.texts]
    assert "Acme <script>x()</script>" in shown and "Beta & Co <tspan>" in shown
    assert 'Label "><rect/>' in shown and "evil.example<br>" in shown
    assert any(t.startswith("Hub </text>") for t in shown)
    assert len(layout.logos) == 1  # Acme's logo; Beta has none, its name stands in
    # A colour Pillow cannot read is drawn in ink (card colours come from accent() anyway).
    assert [t.fill for t in layout.texts].count('#fff"/><script/>') == 1
    assert pixels(render_card(card, LogoCache())).size == (1200, 630)


def band_colors(image: PILImage.Image, count: int) -> list[tuple[int, int, int]]:
    """The colour in the middle of each of ``count`` equal parts of the band along the top."""
    return [image.getpixel((int((i + 0.5) * WIDTH / count), 8)) for i in range(count)]


def dark_pixels(image: PILImage.Image, box: tuple[int, int, int, int]) -> int:
    return sum(
        image.crop(box).convert("L").point(lambda v: 255 if v < 128 else 0).histogram()[255:]
    )


TITLE_AREA = (MARGIN, 130, WIDTH - MARGIN, 130 + 3 * 71)


def test_a_card_shows_each_partners_colour_in_the_band_and_its_title() -> None:
    brands = ("#b45309", "#1e40af", "#0f766e")
    firms = tuple(CardPartner(f"Firm {n}", b, b, None) for n, b in enumerate(brands))
    card = Card("card.png", "Payroll for small firms", "Article", "Hub", firms, "hub.example")
    image = pixels(render_card(card, LogoCache()))
    assert band_colors(image, 3) == [ImageColor.getrgb(b) for b in brands]  # exactly, not near
    assert image.getpixel((600, 300)) == (255, 255, 255)
    assert image.getpixel((10, HEIGHT - 10)) == ImageColor.getrgb(INK)  # the footer
    # The title's letters are drawn where the title goes, and only when there is a title.
    assert dark_pixels(image, TITLE_AREA) > 2000
    untitled = pixels(render_card(replace(card, title=""), LogoCache()))
    assert dark_pixels(untitled, TITLE_AREA) == 0
    # Each firm's name (no logo) is drawn in its colour.
    for firm in firms:
        rgb = ImageColor.getrgb(firm.color)
        count = {color: n for n, color in image.getcolors(WIDTH * HEIGHT) or []}
        assert count.get(rgb, 0) > 16 * WIDTH / 3 + 50  # more than its part of the band


def raster(color: str, size: tuple[int, int], kind: str = "PNG") -> LogoSource:
    out = io.BytesIO()
    PILImage.new("RGB", size, color).save(out, kind)
    data = out.getvalue()
    return LogoSource(kind, data, hashlib.sha256(data).hexdigest())


def huge_png(width: int, height: int) -> bytes:
    """A valid tiny PNG file that says it is ``width`` × ``height``: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    data = zlib.compress(b"\0" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def test_raster_logos_are_pasted_and_undrawable_ones_leave_the_name() -> None:
    green = raster("#00ff00", (300, 100))
    jpeg = raster("#0000ff", (200, 200), "JPEG")
    bomb = huge_png(60_000, 60_000)
    broken = b"\x89PNG\r\n\x1a\n" + b"not really"
    firms = (
        CardPartner("Green", "#0f766e", "#0f766e", green),
        CardPartner("Blue", "#1e40af", "#1e40af", jpeg),
        CardPartner("Bomb", "#b45309", "#b45309", LogoSource("PNG", bomb, "b" * 64)),
        CardPartner("Broken", "#9f1239", "#9f1239", LogoSource("PNG", broken, "c" * 64)),
    )
    card = Card("card.png", "Title", "Article", "Hub", firms)
    logos = LogoCache()
    layout = card_layout(card, logos)
    assert [box.logo.digest for box in layout.logos] == [green.digest, jpeg.digest]
    names = {t.text: t for t in layout.texts if t.size == 24 and t.bold}
    assert set(names) == {"Green", "Blue", "Bomb", "Broken"}
    # A logo's name goes under it; a name standing in for a logo goes where the logo would.
    logo_top = layout.logos[0].y
    assert names["Green"].y > logo_top + LOGO_HEIGHT and names["Bomb"].y < logo_top + LOGO_HEIGHT
    image = pixels(render_card(card, logos))
    box = layout.logos[0]  # 300 × 100 in a 234 × 80 box: 234 × 78, its aspect kept
    x, middle = int(box.x), int(box.y + box.height / 2)
    assert box.width < 240 and box.height == LOGO_HEIGHT
    assert image.getpixel((x + 3, middle)) == (0, 255, 0)
    assert image.getpixel((x + int(box.width) - 3, middle)) == (0, 255, 0)
    assert image.getpixel((x + int(box.width) + 5, middle)) == (255, 255, 255)
    assert image.getpixel((x + 3, middle + 37)) == (0, 255, 0)
    assert image.getpixel((x + 3, middle + 41)) == (255, 255, 255)
    blue = layout.logos[1]
    r, g, b = image.getpixel((int(blue.x) + 40, int(blue.y + blue.height / 2)))
    assert b > 200 and r < 40 and g < 40  # a JPEG: near, not exact


@pytest.mark.parametrize(
    ("title", "cut"),
    [
        ("x" * 10_000, True),  # one word wider than any line: cut into pieces, three shown
        ("word " * 2_000, True),
        ("\u202e" + "reversed " * 1_200, True),  # a right-to-left override
        ("".join(chr(c) for c in range(0, 0x20)) * 300, False),  # control characters only
        ("Φορολογία 小企业税务 🚀💼 العربية " * 300, True),  # not in the font: Lato's box
    ],
)
def test_hostile_titles_end_in_three_lines_at_most(title: str, cut: bool) -> None:
    card = Card("card.png", title, "Label" * 2_000, "Hub" * 3_000, (), "h" * 5_000)
    layout = card_layout(card, LogoCache())
    lines = [t for t in layout.texts if t.size >= 42]
    assert len(lines) <= MAX_TITLE_LINES
    assert lines[-1].text.endswith("…") if cut else lines == [], lines
    assert not any(ord(c) < 0x20 or c == "\x7f" for t in layout.texts for c in t.text)
    assert pixels(render_card(card, LogoCache())).size == (1200, 630)


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
    replaced = site / "articles/leases/card.png"
    kept_bytes = replaced.read_bytes()
    replaced.unlink()
    replaced.write_bytes(b"not the card")  # another file in its place: not taken for it
    build()
    assert blobs(hub) == first  # nothing drawn again, nothing dropped
    assert replaced.read_bytes() == kept_bytes
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
    colors = [f"#{n * 5:02x}{255 - n * 5:02x}80" for n in range(50)]
    firms = tuple(
        CardPartner(f"Firm number {n} and Partners LLP", "#0f766e", color, logo)
        for n, color in enumerate(colors)
    )
    card = Card("card.png", "Main Street Collective", "A network", "Hub", firms, "hub.example")
    layout = card_layout(card, LogoCache())
    assert len(layout.logos) == MAX_LOGOS
    assert all(box.width > 40 for box in layout.logos)
    assert not any(t.size == 24 and t.bold for t in layout.texts)  # logos only: no room for 8 names
    image = pixels(render_card(card, LogoCache()))
    assert band_colors(image, 50) == [ImageColor.getrgb(c) for c in colors]  # every firm's
    assert len(wrap("Incomprehensibilities", 24, -10.0, 2)) <= 2  # no room at all: still ends


def painted_whole(card: Card, logos: LogoCache) -> bytes:
    """The card painted in full colour and quantized, as every card was before chromes."""
    layout = card_layout(card, logos)
    fills = [box.fill for box in layout.boxes] + [text.fill for text in layout.texts]
    return encode_png(paint(layout, logos), fills)


def test_cards_drawn_on_a_shared_chrome_look_like_cards_painted_whole() -> None:
    firms = (
        CardPartner("Acme Accounting", "#b45309", "#b45309", raster("#0f766e", (160, 120))),
        CardPartner("Beta Law", "#1e40af", "#1e40af", None),
    )
    logos = LogoCache()
    titles = ("Payroll for small firms", "VAT, payroll and pensions: " * 8, "Ångström ÉÇ gjpqy", "")
    for number, title in enumerate(titles):
        card = Card(f"{number}/card.png", title, "Article", "Hub", firms, "hub.example")
        composed = pixels(render_card(card, logos))
        whole = pixels(painted_whole(card, logos))
        difference = ImageChops.difference(composed, whole).convert("L").histogram()
        # Antialiasing in 16 shades rather than quantized: edges differ a little, nothing more.
        assert sum(difference[48:]) < 50, title
        assert sum(difference[1:]) < 0.04 * WIDTH * HEIGHT, title
    # One chrome drawn for the four cards, and it was used (not the whole-card fallback).
    assert len(logos.chromes) == 1 and None not in logos.chromes.values()


def test_a_card_whose_colours_do_not_fit_a_chrome_is_painted_whole() -> None:
    colors = [f"#{n:02x}{255 - n:02x}80" for n in range(250)]
    firms = tuple(CardPartner(f"Firm {n}", "#0f766e", c, None) for n, c in enumerate(colors))
    card = Card("card.png", "Many colours", "A network", "Hub", firms, "hub.example")
    logos = LogoCache()
    png = render_card(card, logos)
    assert list(logos.chromes.values()) == [None]
    assert png == painted_whole(card, LogoCache())


TITLE_WORDS = (
    "How to prepare your small business for the new VAT threshold Waves AVATAR To Yes Type",
    "year-end P&L HMRC's (UK) Q4: gjpqy 2026/27 50% £5,000 € “quoted” ‘single’ «guillemets» … —",
    "naïve café Zürich Ångström ÉÇ ŁÓDŹ Œuvre ß ÿ Ħ ŧ office affine Fjord",
    "financial first profit offline staff waffle fluff fíl flï",  # ligatures, and not
)


def test_title_lines_put_together_from_glyphs_are_the_pixels_pillow_draws() -> None:
    """Titles are composed from glyphs (ligatures whole) drawn once, kerned by HarfBuzz pair by
    pair; lines in another script, and every other text, are drawn a line at a time."""
    rng = random.Random(3)
    words = " ".join(TITLE_WORDS).split(" ")
    lines = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(150)]
    lines += ["office files", "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया", "Ⅻ ☃ 🙂", *PAYLOADS[:5]]
    for size in (60, 54, 48, 42):
        for line in lines:
            composed = socialcards._title_mask(line, size, True, "ls", 0.0, 0.0, 0.0)
            drawn = socialcards._text_mask.__wrapped__(line, size, True, "ls", 0.0, 0.0, 0.0)
            assert composed[1:] == drawn[1:] and composed[0].size == drawn[0].size, line
            assert composed[0].tobytes() == drawn[0].tobytes(), (size, line)


def test_a_rebuild_leaves_the_kept_cards_in_place(minihub: HubDir, tmp_path: Path) -> None:
    def build() -> HubgenPlugin:
        with pinned_build_time():
            return build_in_place(minihub.root, tmp_path / "site")

    build()
    files = build()._files
    cards = [f for f in files or () if isinstance(f, KeptCard)]
    assert cards and all(card.in_place for card in cards)  # none linked into the site again
    for card in cards:
        assert Path(card.abs_dest_path).read_bytes() == Path(str(card.abs_src_path)).read_bytes()


def test_title_lines_wrap_as_measuring_each_line_whole_would() -> None:
    """Lines are measured glyph pair by glyph pair where that is clear of the width, and whole
    otherwise: every line fits, and the next word would not have, by HarfBuzz's measure."""
    rng = random.Random(11)
    words = [*" ".join(TITLE_WORDS).split(" "), "€", "‘single’", "AVATAR", "Ŧŧ"]
    width = 1200 - 2 * 72
    for size in (60, 54, 48, 42):
        for _ in range(300):
            title = " ".join(rng.choice(words) for _ in range(rng.randint(1, 30)))
            lines = socialcards.wrap(title, size, width, 99)
            assert " ".join(lines) == title
            for number, line in enumerate(lines):
                assert socialcards.text_width(line, size) <= width, (size, line)
                if number + 1 < len(lines):
                    longer = f"{line} {lines[number + 1].split(' ')[0]}"
                    assert socialcards.text_width(longer, size) > width, (size, longer)


def test_titles_wrap_as_they_would_with_every_line_shaped_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Words wider than a line (cut into pieces) among them: the same lines as measuring every
    candidate line whole."""
    rng = random.Random(13)
    long_words = ["Supercalifragilisticexpialidocious" * 2, "W" * 60, "ffi" * 40]
    words = [*" ".join(TITLE_WORDS).split(" "), *long_words]
    titles = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(200)]
    width = 1200 - 2 * 72
    cases = [(title, size, lines) for title in titles for size in (60, 42) for lines in (2, 3)]
    fast = [socialcards.wrap(title, size, width, lines) for title, size, lines in cases]
    monkeypatch.setattr(
        socialcards,
        "_fits",
        lambda text, _run, size, width: socialcards.text_width(text, size) <= width,
    )
    whole = [socialcards.wrap(title, size, width, lines) for title, size, lines in cases]
    assert fast == whole
    assert any(line.endswith("…") for lines in fast for line in lines)


def test_a_line_measured_by_glyph_pairs_is_within_the_margin_of_its_width() -> None:
    rng = random.Random(12)
    words = " ".join(TITLE_WORDS).split(" ")
    for size in (60, 42, 28, 26):
        for _ in range(300):
            line = [rng.choice(words) for _ in range(rng.randint(1, 8))]
            run = socialcards._word_run(line[0], size)
            for word in line[1:]:
                run = socialcards._joined(run, word, size)
            if run is None:  # a word in another script: measured whole
                continue
            drift = abs(run.width(size) - socialcards.text_width(" ".join(line), size))
            assert drift < socialcards.SURE_MARGIN / 2, (size, line)


def test_cards_sharing_a_chrome_draw_it_once_whatever_the_hub_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = copy_hub(mini_build().hub, tmp_path / "hub")
    monkeypatch.setenv("HUBGEN_JOBS", "1")  # drawn in this process, where they are counted
    monkeypatch.setattr(socialcards, "MAX_CHROMES", 1)  # a build keeps one chrome at a time
    drawn: list[tuple[object, ...]] = []
    draw_chrome = socialcards._draw_chrome

    def counted(card: Card, logos: LogoCache) -> object:
        drawn.append(socialcards.chrome_key(card))
        return draw_chrome(card, logos)

    monkeypatch.setattr(socialcards, "_draw_chrome", counted)
    with pinned_build_time():
        assert main(["build", "-q", "-f", str(hub / "mkdocs.yml"), "-d", str(tmp_path / "s")]) == 0
    assert len(set(drawn)) >= 3  # the mini hub's cards are on several chromes
    assert len(drawn) == len(set(drawn))  # each drawn once, cards sharing it one after another
