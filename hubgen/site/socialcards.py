"""Social cards: the 1200×630 PNG that LinkedIn, Facebook, X and messaging apps show for a link.

A card is laid out here (:func:`card_layout`: rectangles, lines of text, logo boxes) and painted
with Pillow: text through FreeType with the bundled Lato font (SIL OFL, ``fonts/``), shaped and
kerned by HarfBuzz (raqm) where Pillow has it, and no system fonts, so a card looks the same on
every machine. Every partner-written string is only ever drawn as text: no markup is made from
it. Logos are rasterised once per build (:class:`LogoCache`: SVGs as filtered for publishing,
by resvg; PNG, JPEG and GIF by Pillow, size-checked) and pasted.

A card is a 256-colour palette PNG, which keeps it small (13 KB or so). Most of it is what other
cards show too: the band, the label, the logos and names, the footer. That *chrome* is drawn once
per build for all the cards sharing it (:func:`_chrome`, straight into palette indices: the
boxes' colours exact, each text in 16 shades of its colour over its ground, each logo quantized
once), and its rows above and below the title's band compressed once (:mod:`hubgen.site.cardpng`).
A card then only draws its title's lines and compresses their rows: about 3 ms of CPU (5 ms
on average at 3,000/100 with the chromes drawn), where painting and quantizing the whole card
took 15. A card whose parts would overlap (a hostile title
reaching into the label), whose colours do not fit or that is too large is painted whole and
quantized (:func:`paint`, :func:`encode_png`).

A card is drawn from :class:`Card` and its logos' bytes alone (:func:`card_inputs` is its cache
key, :func:`drawing_inputs` what else it depends on; see :mod:`hubgen.cache.cards`).
"""

from __future__ import annotations

import hashlib
import io
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import resvg_py
from PIL import Image as PILImage
from PIL import ImageColor, ImageDraw, ImageFont, features

from hubgen.core import urls
from hubgen.core.models import Article, Image, Partner
from hubgen.load.contributed import may_publish, published_svg
from hubgen.load.images import SVG, image_type
from hubgen.site import cardpng
from hubgen.site.catalog import Catalog
from hubgen.site.colors import accent

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FOOTER = 64
FONTS = Path(__file__).parent / "fonts"
FONT_FILES = (FONTS / "Lato-Regular.ttf", FONTS / "Lato-Bold.ttf")
FAMILY = "Lato"
INK = "#1e2129"
MUTED = "#4b5563"
CARD_FORMAT = 3
"""Bumped when the drawing or the PNG encoding changes, so cached cards are made again."""
MAX_TITLE_LINES = 3
LABEL_SPACING = 0.5
"""The label's letter-spacing, in pixels."""
LOGO_HEIGHT = 80
LOGO_WIDTH = 480
"""The widest a card shows a logo (one or two partners)."""
MAX_NAMED_LOGOS = 4
"""More partners than this (the home page's) show as logos only: their names would not fit."""
MAX_LOGOS = 8
"""A card shows at most this many logos (the first, in the card's order): a network of 50
would leave each a sliver. The colour band along the top still holds every partner's."""

MAX_LOGO_PIXELS = 4096 * 4096
"""A raster logo larger than this is not decoded (its name stands in): a partner's 100 KB PNG
can claim 50,000 × 50,000 pixels, gigabytes once decoded."""

# Control characters draw as nothing or as a box; the title's other whitespace breaks lines.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_DRAWN_KINDS = frozenset({"SVG", "PNG", "JPEG", "GIF"})
"""What a card draws as a logo (WebP and AVIF logos show as the partner's name)."""


@dataclass(frozen=True)
class LogoSource:
    """A logo as a card may draw it: the filtered SVG or the raster file's bytes."""

    kind: str
    """``SVG``, ``PNG``, ``JPEG`` or ``GIF``."""
    data: bytes
    digest: str
    """What the card's cache key says about the logo, instead of its bytes."""


@dataclass(frozen=True)
class CardPartner:
    name: str
    color: str
    """The brand colour shaded to read on the card's white background (WCAG AA)."""
    brand: str
    logo: LogoSource | None
    """None when the logo cannot be drawn (remote, WebP, AVIF): the name stands in for it."""


@dataclass(frozen=True)
class Card:
    """What one card shows; ``path`` is where its PNG is published in the site."""

    path: str
    title: str
    label: str
    """A short word above the title: ``Article``, ``Partner``, the hub's tagline for home."""
    hub_name: str
    partners: tuple[CardPartner, ...]
    host: str = ""
    """The site's address without its scheme (``mainstreet.example``), in the footer."""


@dataclass(frozen=True)
class SocialImage:
    """A page's ``og:image``: the card's site-relative URL and its text alternative."""

    url: str
    alt: str


def card_alt(title: str, partners: Sequence[Partner], hub_name: str) -> str:
    """What the picture says, for ``og:image:alt``."""
    names = ", ".join(p.name for p in partners)
    by = f" by {names}" if names and len(partners) <= MAX_NAMED_LOGOS else ""
    return f"{title}{by}: {hub_name}"


def _authors(catalog: Catalog, article: Article) -> list[Partner]:
    return [p for p in (catalog.hub.partners[s] for s in article.partner_slugs) if p.is_active]


def social_image(
    catalog: Catalog, *, article: Article | None = None, partner: Partner | None = None
) -> SocialImage:
    """The card a page shows when shared: its article's, its partner's, else the home page's."""
    name = catalog.settings.name
    if article is not None:
        page, title, partners = article.url, article.title, _authors(catalog, article)
    elif partner is not None and partner.is_active:
        page, title, partners = urls.partner(partner.slug), partner.name, [partner]
    else:
        page, title, partners = urls.HOME, name, list(catalog.partners)
    return SocialImage(urls.social_card(page), card_alt(title, partners, name))


# -- what each page's card shows --------------------------------------------------------------


def article_card(catalog: Catalog, article: Article, logos: LogoCache) -> Card:
    partners = _authors(catalog, article)
    return Card(
        urls.social_card(article.url),
        article.title,
        "Article",
        catalog.settings.name,
        tuple(logos.partner(p) for p in partners),
        _host(catalog),
    )


def partner_card(catalog: Catalog, partner: Partner, logos: LogoCache) -> Card:
    return Card(
        urls.social_card(urls.partner(partner.slug)),
        partner.name,
        partner.tagline or "Partner",
        catalog.settings.name,
        (logos.partner(partner),),
        _host(catalog),
    )


def home_card(catalog: Catalog, logos: LogoCache) -> Card:
    settings = catalog.settings
    return Card(
        urls.social_card(urls.HOME),
        settings.name,
        settings.tagline or "A referral network",
        settings.name,
        tuple(logos.partner(p) for p in catalog.partners),
        _host(catalog),
    )


def _host(catalog: Catalog) -> str:
    return urlsplit(catalog.settings.site_url).netloc if catalog.settings.site_url else ""


def hub_cards(catalog: Catalog, logos: LogoCache) -> list[Card]:
    """Every card the site publishes: the home page's, each article's and each partner's."""
    cards = [home_card(catalog, logos)]
    # catalog.articles: a draft's card would publish its title before the article.
    cards += [article_card(catalog, a, logos) for a in catalog.articles]
    cards += [partner_card(catalog, p, logos) for p in catalog.partners]
    return cards


RGB = tuple[int, int, int]


class LogoCache:
    """Each partner's logo read once per build and rasterised at most once (it is on many
    cards), and scaled and quantized once per size a card shows it at; and the cards' chromes
    (what cards by the same partners share), drawn once."""

    def __init__(self) -> None:
        self._partners: dict[str, CardPartner] = {}
        self._drawn: dict[str, PILImage.Image | None] = {}
        self._fitted: dict[tuple[str, int, int], PILImage.Image] = {}
        self._quantized: dict[tuple[str, int, int, int], tuple[PILImage.Image, list[RGB]]] = {}
        self.chromes: dict[tuple[object, ...], Chrome | None] = {}
        """Cards' chromes by what they are drawn from (:func:`_chrome`)."""

    def raster(self, logo: LogoSource) -> PILImage.Image | None:
        """The logo as RGBA pixels (an SVG drawn at twice the largest height a card shows it
        at); None when it cannot be drawn, and then the partner's name stands in for it."""
        if logo.digest not in self._drawn:
            self._drawn[logo.digest] = _rasterise(logo)
        return self._drawn[logo.digest]

    def fitted(self, logo: LogoSource, width: float, height: float) -> PILImage.Image | None:
        """The logo scaled to fit ``width`` × ``height``, its aspect ratio kept."""
        raster = self.raster(logo)
        if raster is None:
            return None
        scale = min(width / raster.width, height / raster.height)
        size = (max(1, round(raster.width * scale)), max(1, round(raster.height * scale)))
        key = (logo.digest, *size)
        if key not in self._fitted:
            self._fitted[key] = raster.resize(size, PILImage.Resampling.LANCZOS)
        return self._fitted[key]

    def quantized(
        self, logo: LogoSource, width: float, height: float, colors: int
    ) -> tuple[PILImage.Image, list[RGB]] | None:
        """The fitted logo on white in ``colors`` colours (white exact): its pixels' palette
        indices (an ``L`` image) and the palette."""
        fitted = self.fitted(logo, width, height)
        if fitted is None:
            return None
        key = (logo.digest, fitted.width, fitted.height, colors)
        if key not in self._quantized:
            flat = PILImage.new("RGB", fitted.size, "#ffffff")
            flat.paste(fitted, (0, 0), fitted)
            paletted = _quantize(flat, flat, colors, [(255, 255, 255)])
            found = paletted.getpalette() or []
            self._quantized[key] = (
                PILImage.frombytes("L", paletted.size, paletted.tobytes()),
                [(found[i], found[i + 1], found[i + 2]) for i in range(0, len(found) - 2, 3)],
            )
        return self._quantized[key]

    def partner(self, partner: Partner) -> CardPartner:
        if partner.slug not in self._partners:
            self._partners[partner.slug] = CardPartner(
                partner.name,
                accent(partner.color).on_light,
                partner.color,
                logo_source(partner.logo),
            )
        return self._partners[partner.slug]


def _rasterise(logo: LogoSource) -> PILImage.Image | None:
    if logo.kind == "SVG":
        try:
            png = resvg_py.svg_to_bytes(
                svg_string=logo.data.decode("utf-8"),
                skip_system_fonts=True,
                font_files=[str(path) for path in FONT_FILES],
                font_family=FAMILY,
                # Fitted into twice the largest box: a 100:1 viewBox stays 960 × 10 pixels.
                width=2 * LOGO_WIDTH,
                height=2 * LOGO_HEIGHT,
            )
        except (ValueError, UnicodeDecodeError):  # resvg: no root element, no size
            return None
        data, kind = bytes(png), "PNG"
    else:
        data, kind = logo.data, logo.kind
    try:
        with PILImage.open(io.BytesIO(data), formats=[kind]) as image:
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_LOGO_PIXELS:
                return None
            image.seek(0)  # a GIF's first frame
            rgba = image.convert("RGBA")
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
        return None  # not an image Pillow can read after all
    # A large raster scaled down once, to twice the largest box a card shows it in.
    rgba.thumbnail((2 * LOGO_WIDTH, 2 * LOGO_HEIGHT), PILImage.Resampling.LANCZOS)
    return rgba


def logo_source(image: Image) -> LogoSource | None:
    """A local logo as a card may draw it: SVGs only as filtered for publishing (svgsafe)."""
    if image.source is None:
        return None  # a remote logo: a build does not fetch anything
    kind = image_type(image.source)
    if kind is None or kind.name not in _DRAWN_KINDS:
        return None
    data: bytes | None = None
    if kind == SVG:
        data = published_svg(image.source)
    elif may_publish(image.source):  # its content is the type its name says
        try:
            data = image.source.read_bytes()
        except OSError:
            data = None
    if data is None:
        return None
    return LogoSource(kind.name, data, hashlib.sha256(data).hexdigest())


# -- layout -------------------------------------------------------------------------------------


def _layout_engine() -> ImageFont.Layout:
    """HarfBuzz shaping (kerning, ligatures, bidi) where Pillow has raqm and FriBiDi; else
    FreeType's basic layout, which does not read Lato's kerning (GPOS)."""
    return ImageFont.Layout.RAQM if features.check_feature("raqm") else ImageFont.Layout.BASIC


LAYOUT = _layout_engine()


@lru_cache(maxsize=16)
def _font(size: int, *, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILES[1 if bold else 0]), size, layout_engine=LAYOUT)


def text_width(text: str, size: int, *, bold: bool = True) -> float:
    return float(_font(size, bold=bold).getlength(text))


def wrap(text: str, size: int, width: float, max_lines: int) -> list[str]:
    """``text`` in lines no wider than ``width`` at ``size``; the last line ends in … if cut."""
    lines: list[str] = []
    words = text.split()
    current = ""
    run: _Run | None = None  # ``current`` measured pair by pair, when it can be
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        joined = _joined(run, word, size) if current else _word_run(word, size)
        if _fits(candidate, joined, size, width):
            current, run = candidate, joined
            continue
        if current:
            lines.append(current)
        current = word
        # A word wider than the line, cut into pieces; no more than the lines shown.
        while current and len(lines) < max_lines and text_width(current, size) > width:
            cut = _fit(current, size, width)
            lines.append(current[:cut])
            current = current[cut:]
        run = _word_run(current, size) if current else None
        if len(lines) >= max_lines:
            rest = " ".join([current, *words[index + 1 :]])
            return _ellipsis(lines[:max_lines], rest, size, width)
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        return _ellipsis(lines[:max_lines], " ".join(lines[max_lines:]), size, width)
    return lines


@dataclass(frozen=True)
class _Run:
    """Bold glyphs measured pair by pair, as :func:`_title_mask` places them: the advances of
    all but the last, kerning included (64ths of a pixel), and the first and last glyphs."""

    inner: int
    first: str
    last: str

    def width(self, size: int) -> float:
        return (self.inner + _advance(self.last, size, True)) / 64


@lru_cache(maxsize=65536)
def _word_run(word: str, size: int) -> _Run | None:
    """A word's :class:`_Run` (words recur from title to title); None for a script shaped a
    line at a time (:data:`_GLYPH_BY_GLYPH`)."""
    if not _GLYPH_BY_GLYPH.fullmatch(word):
        return None
    glyphs = _glyph_texts(word)
    inner = sum(_kerned_advance(a, b, size, True) for a, b in itertools.pairwise(glyphs))
    return _Run(inner, glyphs[0], glyphs[-1])


def _joined(run: _Run | None, word: str, size: int) -> _Run | None:
    """``run``, a space and ``word`` as one run."""
    after = _word_run(word, size)
    if run is None or after is None:
        return None
    space = _kerned_advance(run.last, " ", size, True) + _kerned_advance(
        " ", after.first, size, True
    )
    return _Run(run.inner + space + after.inner, run.first, after.last)


SURE_MARGIN = 4.0
"""Pixels a line measured pair by pair must be clear of the width by to be trusted without
HarfBuzz shaping it whole: pairs are a line's exact width unless the font kerns across more
than two glyphs (around a space and a quotation mark, Lato's were 2 px out at most)."""


def _fits(text: str, run: _Run | None, size: int, width: float) -> bool:
    """Whether ``text`` (bold, at ``size``) is no wider than ``width``: from its pairs when
    that is clear (shaping each candidate line whole was a sixth of drawing a card), else
    measured whole."""
    if run is not None:
        measured = run.width(size)
        if abs(measured - width) > SURE_MARGIN:
            return measured <= width
    return text_width(text, size) <= width


def _fit(word: str, size: int, width: float) -> int:
    """How many of ``word``'s characters fit in ``width``: at least one, so breaking ends.
    A binary search: a 10,000-character word costs 14 measurements, not 10,000."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(word[:middle], size) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _ellipsis(lines: list[str], rest: str, size: int, width: float) -> list[str]:
    if not rest:
        return lines
    last = lines[-1]
    while last and text_width(last + "…", size) > width:
        last = last[:-1].rstrip()
    return [*lines[:-1], last + "…"]


def _clean(value: str) -> str:
    """Partner-written text as a card draws it: control characters gone."""
    return _NOT_TEXT.sub("", value)


def _one_line(text: str, size: int, width: float) -> str:
    lines = wrap(_clean(text), size, width, 1)
    return lines[0] if lines else ""


def _title_lines(title: str) -> tuple[list[str], int]:
    """The title in the largest size (60 → 42 px) that fits it in three lines."""
    width = WIDTH - 2 * MARGIN
    for size in (60, 54, 48, 42):
        lines = wrap(title, size, width, MAX_TITLE_LINES)
        if not lines or not lines[-1].endswith("…"):
            return lines, size
    return lines, size


@dataclass(frozen=True)
class Box:
    """A rectangle of one colour; ``x1`` and ``y1`` are outside it."""

    x0: int
    y0: int
    x1: int
    y1: int
    fill: str


@dataclass(frozen=True)
class Text:
    """A line of text; ``x, y`` is where its baseline starts (``anchor="rs"``: where it ends)."""

    x: float
    y: float
    text: str
    size: int
    fill: str
    bold: bool = True
    anchor: str = "ls"
    spacing: float = 0.0
    """Added after each character, as CSS letter-spacing (``anchor="ls"`` only)."""


@dataclass(frozen=True)
class LogoBox:
    """Where a logo goes: fitted into the box, at its left, centred vertically."""

    x: float
    y: float
    width: float
    height: float
    logo: LogoSource


@dataclass(frozen=True)
class Layout:
    boxes: tuple[Box, ...]
    texts: tuple[Text, ...]
    logos: tuple[LogoBox, ...]


def card_layout(card: Card, logos: LogoCache) -> Layout:
    """Where everything on the card goes. ``logos`` says which logos can be drawn (a name
    stands in for one that cannot)."""
    boxes = [Box(0, 0, WIDTH, HEIGHT, "#ffffff"), *_band(card.partners)]
    texts: list[Text] = []
    # Measured without its letter-spacing, as cards always were: a long label may reach into
    # the right margin by half a pixel a character, never off the card.
    label = _one_line(card.label, 26, WIDTH - 2 * MARGIN)
    texts.append(Text(MARGIN, 104, label, 26, MUTED, spacing=LABEL_SPACING))
    texts += title_texts(card.title)
    logo_boxes, names = _logos(card.partners, logos)
    texts += names
    boxes.append(Box(0, HEIGHT - FOOTER, WIDTH, HEIGHT, INK))
    hub_name = _one_line(card.hub_name, 28, (WIDTH - 2 * MARGIN) * 0.6)
    texts.append(Text(MARGIN, HEIGHT - 23, hub_name, 28, "#ffffff"))
    if card.host:
        host = _one_line(card.host, 24, (WIDTH - 2 * MARGIN) * 0.38)
        texts.append(Text(WIDTH - MARGIN, HEIGHT - 24, host, 24, "#d1d5db", False, "rs"))
    return Layout(tuple(boxes), tuple(t for t in texts if t.text), tuple(logo_boxes))


def title_texts(title: str) -> list[Text]:
    """The title's lines, under the label."""
    lines, size = _title_lines(_clean(title))
    line_height = round(size * 1.18)
    return [
        Text(MARGIN, 130 + size + number * line_height, line, size, INK)
        for number, line in enumerate(lines)
    ]


def _band(partners: Sequence[CardPartner]) -> list[Box]:
    """A band of the partners' brand colours along the top edge, 16 px high."""
    colors = [p.brand for p in partners] or [INK]
    width = WIDTH / len(colors)
    return [
        Box(round(i * width), 0, round((i + 1) * width), 16, color)
        for i, color in enumerate(colors)
    ]


def _logos(partners: Sequence[CardPartner], logos: LogoCache) -> tuple[list[LogoBox], list[Text]]:
    """The logos in a row above the footer, each partner's name under it in their colour."""
    partners = partners[:MAX_LOGOS]
    if not partners:
        return [], []
    named = len(partners) <= MAX_NAMED_LOGOS
    gap = 40
    count = len(partners)
    box = min(
        LOGO_WIDTH if count <= 2 else LOGO_WIDTH / 2,
        (WIDTH - 2 * MARGIN - gap * (count - 1)) / count,
    )
    logo_height = LOGO_HEIGHT if named else min(float(LOGO_HEIGHT), box * 0.8)
    name_size = 24
    names = [wrap(_clean(p.name), name_size, box, 2) for p in partners]
    names_height = 12 + max(len(lines) for lines in names) * 29 if named else 0
    top = HEIGHT - FOOTER - 32 - logo_height - names_height
    boxes: list[LogoBox] = []
    texts: list[Text] = []
    for index, partner in enumerate(partners):
        x = MARGIN + index * (box + gap)
        drawn = partner.logo is not None and logos.raster(partner.logo) is not None
        if partner.logo is not None and drawn:
            boxes.append(LogoBox(x, top, box, logo_height, partner.logo))
        if not named and drawn:
            continue
        y = top + logo_height + 12 if drawn else top + logo_height / 2
        for number, line in enumerate(names[index]):
            texts.append(Text(x, y + 24 + number * 29, line, name_size, partner.color))
    return boxes, texts


# -- painting -----------------------------------------------------------------------------------


MAX_BYTES = 60_000
"""Platforms fetch cards on every share; 60 KB keeps that cheap on a phone connection."""
COMPRESS_LEVEL = 6
"""zlib's default: level 9 saves a tenth of the bytes for four times the time."""


def _rgb(color: str) -> RGB:
    """A colour as Pillow draws it; one it cannot read (card colours come from accent() and
    are valid) is drawn in ink rather than stopping the build."""
    try:
        return ImageColor.getrgb(color)[:3]
    except ValueError:
        return ImageColor.getrgb(INK)[:3]


def paint(layout: Layout, logos: LogoCache) -> PILImage.Image:
    """The card's pixels (RGB)."""
    image = PILImage.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    for box in layout.boxes:
        draw.rectangle((box.x0, box.y0, box.x1 - 1, box.y1 - 1), fill=_rgb(box.fill))
    for place in layout.logos:
        fitted = logos.fitted(place.logo, place.width, place.height)
        if fitted is not None:
            top = place.y + (place.height - fitted.height) / 2
            image.paste(fitted, (round(place.x), round(top)), fitted)
    for text in layout.texts:
        x, y = math.floor(text.x), math.floor(text.y)
        mask, left, top = _text_mask(
            text.text, text.size, text.bold, text.anchor, text.spacing, text.x - x, text.y - y
        )
        x, y = x + left, y + top
        image.paste(_rgb(text.fill), (x, y, x + mask.width, y + mask.height), mask)
    return image


def _line_canvas(
    font: ImageFont.FreeTypeFont, size: int, advance: float
) -> tuple[PILImage.Image, int, int]:
    """An empty mask for a line ``advance`` wide, from the font's ascent and descent (measuring
    the glyphs' ink would load each glyph once more) with room for glyphs that reach past them;
    and where the line's baseline starts in it, (x, y). One geometry for a whole line and for a
    glyph, so a line put together from glyphs is the line drawn whole."""
    ascent, descent = font.getmetrics()
    pad = size // 2
    canvas = PILImage.new("L", (math.ceil(advance) + 2 * pad + 1, ascent + descent + 2 * pad))
    return canvas, pad, pad + ascent


@lru_cache(maxsize=512)
def _text_mask(
    text: str, size: int, bold: bool, anchor: str, spacing: float, dx: float, dy: float
) -> tuple[PILImage.Image, int, int]:
    """A line of text as an antialiased mask, and where the mask's corner goes from the
    anchor's whole pixel (``dx``, ``dy``: the anchor's fraction of a pixel, kept). ``anchor``:
    ``ls`` or ``rs`` (the baseline's left or right end).

    Kept for the next card: the label, the partners' names and the footer are on many cards,
    and rasterising glyphs is most of what drawing text costs."""
    font = _font(size, bold=bold)
    advance = font.getlength(text) + spacing * len(text)
    mask, start_x, start_y = _line_canvas(font, size, advance)
    corner_x = math.floor(-advance if anchor.startswith("r") else 0.0) - start_x
    corner_y = -start_y
    draw = ImageDraw.Draw(mask)
    x, y = dx - corner_x, dy - corner_y
    if not spacing:
        draw.text((x, y), text, fill=255, font=font, anchor=anchor)
        return mask, corner_x, corner_y
    # Letter-spaced: each character where the unspaced line puts it (kerning kept), moved by
    # the spacing of the characters before it; like CSS, no ligatures.
    for index, character in enumerate(text):
        before = font.getlength(text[: index + 1]) - font.getlength(character)
        at = x + before + spacing * index
        draw.text((at, y), character, fill=255, font=font, anchor=anchor)
    return mask, corner_x, corner_y


def encode_png(image: PILImage.Image, exact: Sequence[str] = ()) -> bytes:
    """The card as a palette PNG: 256 colours, or fewer when that is over :data:`MAX_BYTES`.

    The palette is the ``exact`` colours (the card's fills: white, ink and the partners'
    colours stay exactly what they are) and the rest chosen from a quarter-size copy, a tenth
    of the cost of choosing them from the whole card; each pixel then takes the nearest colour,
    without dithering (flat areas stay flat and compress). :func:`render_card` draws most cards
    without it (:func:`_composed`); this is for the others."""
    fixed = list(dict.fromkeys(_rgb(color) for color in exact))
    small = image.reduce(4)
    for colors in (256, 64, 16):
        out = io.BytesIO()
        paletted = _quantize(image, small, colors, fixed)
        paletted.save(out, "PNG", compress_level=COMPRESS_LEVEL)
        if out.tell() <= MAX_BYTES:
            break
    return out.getvalue()


def _quantize(
    image: PILImage.Image,
    sample: PILImage.Image,
    colors: int,
    fixed: Sequence[RGB],
) -> PILImage.Image:
    """``image`` in ``colors`` colours: ``fixed`` (up to a quarter of them) and the rest chosen
    from ``sample``, each pixel the nearest, undithered."""
    keep = list(fixed[: colors // 4])
    chosen = sample.quantize(colors - len(keep), method=PILImage.Quantize.FASTOCTREE)
    found = chosen.getpalette() or []
    # Pillow maps a pixel to a near colour, not always the nearest: a chosen colour close
    # to an exact one would take its pixels (white drawn as 254, 254, 254).
    near = {
        (r // _CELL + i, g // _CELL + j, b // _CELL + k)
        for r, g, b in keep
        for i in (-1, 0, 1)
        for j in (-1, 0, 1)
        for k in (-1, 0, 1)
    }
    apart = [
        found[i : i + 3]
        for i in range(0, len(found) - 2, 3)
        if (found[i] // _CELL, found[i + 1] // _CELL, found[i + 2] // _CELL) not in near
    ]
    holder = PILImage.new("P", (1, 1))
    holder.putpalette([channel for rgb in (*keep, *apart) for channel in rgb][: 3 * colors])
    return image.quantize(palette=holder, dither=PILImage.Dither.NONE)


_CELL = 8
"""Colours whose channels are all within 8 of an exact colour's may be mapped in its place;
chosen colours in the 8-wide cells around an exact colour's are left out."""


# -- drawing a card on its chrome ----------------------------------------------------------------

WHITE = (255, 255, 255)
TEXT_LEVELS = 16
"""A text's antialiasing on a card: its colour over the ground in 16 shades, ends included."""


@dataclass(frozen=True)
class _Drawn:
    """A rectangle of a card's chrome that is not white: ``fill`` when it is one colour."""

    x0: int
    y0: int
    x1: int
    y1: int
    fill: RGB | None = None

    def meets(self, other: _Drawn) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def holds(self, other: _Drawn) -> bool:
        return (
            self.x0 <= other.x0
            and other.x1 <= self.x1
            and self.y0 <= other.y0
            and other.y1 <= self.y1
        )


@dataclass(frozen=True)
class Chrome:
    """A card without its title, ready for one: its palette (white first, then the title's
    shades of ink), and its rows above and below the blank band the title goes in, compressed.
    Cards by the same partners share it: each card only draws and compresses its title's band."""

    palette: list[RGB]
    title_shades: bytes
    """From a title mask's coverage to a palette index, a table for ``bytes.translate``."""
    top: cardpng.Rows
    bottom: cardpng.Rows
    band: tuple[int, int]
    """The blank rows (first, past the last) a title is drawn in."""
    drawn: tuple[_Drawn, ...]


def _placed_text(text: Text, *, keep: bool = True) -> tuple[PILImage.Image, _Drawn] | None:
    """A line's mask cut to its ink and the card, and where that goes; None if nothing shows.
    ``keep``: the mask kept for the next card (not a title's: it is on one card, and is put
    together from glyphs kept instead, :func:`_title_mask`)."""
    x, y = math.floor(text.x), math.floor(text.y)
    masked = _text_mask if keep else _title_mask
    mask, left, top = masked(
        text.text, text.size, text.bold, text.anchor, text.spacing, text.x - x, text.y - y
    )
    ink = mask.getbbox()
    if ink is None:
        return None
    x, y = x + left, y + top
    x0, y0 = max(0, x + ink[0]), max(0, y + ink[1])
    x1, y1 = min(WIDTH, x + ink[2]), min(HEIGHT, y + ink[3])
    if x0 >= x1 or y0 >= y1:
        return None
    return mask.crop((x0 - x, y0 - y, x1 - x, y1 - y)), _Drawn(x0, y0, x1, y1)


_GLYPH_BY_GLYPH = re.compile("[\u0020-\u007e\u00a0-\u024f\u2010-\u2027\u2030-\u205e\u20a0-\u20bf]*")
"""Latin letters, digits, punctuation and currency signs: text whose glyphs keep their shapes
side by side. Any other script is shaped a line at a time by HarfBuzz (Arabic joins its letters,
Indic scripts reorder them)."""
_LIGATURES = re.compile("f[il]")
"""Lato's ligatures, each drawn as one glyph (of every two printable ASCII characters, only these
draw otherwise than one after the other)."""


def _title_mask(
    text: str, size: int, bold: bool, anchor: str, spacing: float, dx: float, dy: float
) -> tuple[PILImage.Image, int, int]:
    """A title line as :func:`_text_mask` draws it, put together from glyphs drawn once per
    build where it can be: rasterising every title's glyphs was an eighth of a cold build's CPU.

    Each glyph (a ligature is one) goes where HarfBuzz puts it, kerning included (the advance of
    it and the next one, less the next one's, each pair measured once), rounded to the pixel as
    Pillow places glyphs, their overlapping edges added up as Pillow adds them: the very pixels
    Pillow draws for the line (tested). A line whose glyphs do not add up to its width (kerned
    beyond pairs), other scripts, anchors and offsets are drawn a line at a time."""
    whole = _text_mask.__wrapped__
    if spacing or anchor != "ls" or dx or dy or not text or not _GLYPH_BY_GLYPH.fullmatch(text):
        return whole(text, size, bold, anchor, spacing, dx, dy)
    font = _font(size, bold=bold)
    glyphs = _glyph_texts(text)
    places: list[tuple[str, int]] = []
    x = 0  # in 64ths of a pixel, as FreeType measures
    for index, glyph in enumerate(glyphs):
        places.append((glyph, (x + 32) >> 6))
        if index + 1 < len(glyphs):
            x += _kerned_advance(glyph, glyphs[index + 1], size, bold)
    advance = font.getlength(text)
    if x + _advance(glyphs[-1], size, bold) != round(advance * 64):
        return whole(text, size, bold, anchor, spacing, dx, dy)
    mask, start_x, start_y = _line_canvas(font, size, advance)
    # Pillow's core pastes: Image.paste's checks took as long as the pastes (160,000 glyphs
    # at 3,000 articles), and these are new images of one mode, nothing to check.
    core = mask.im
    for glyph, at in places:
        drawn = _glyph(glyph, size, bold)
        # Full coverage through the glyph as a mask: overlapping edges add up as Pillow's
        # own text drawing adds them (a + b - ab/255, rounded).
        core.paste(255, (at, 0, at + drawn.width, drawn.height), drawn.im)
    return mask, -start_x, -start_y


def _glyph_texts(text: str) -> list[str]:
    """``text`` as the glyphs it is drawn with: characters, and ligatures whole."""
    glyphs: list[str] = []
    start = 0
    for found in _LIGATURES.finditer(text):
        glyphs += text[start : found.start()]
        glyphs.append(found.group())
        start = found.end()
    glyphs += text[start:]
    return glyphs


@lru_cache(maxsize=4096)
def _advance(glyph: str, size: int, bold: bool) -> int:
    return round(_font(size, bold=bold).getlength(glyph) * 64)


@lru_cache(maxsize=65536)
def _kerned_advance(first: str, second: str, size: int, bold: bool) -> int:
    """How far glyph ``second`` starts after glyph ``first``, in 64ths of a pixel."""
    return round(_font(size, bold=bold).getlength(first + second) * 64) - _advance(
        second, size, bold
    )


@lru_cache(maxsize=4096)
def _glyph(glyph: str, size: int, bold: bool) -> PILImage.Image:
    """The coverage of ``glyph`` (a character or a ligature), its origin where a line's mask
    from :func:`_text_mask` has its start (:func:`_line_canvas`)."""
    font = _font(size, bold=bold)
    image, start_x, start_y = _line_canvas(font, size, font.getlength(glyph))
    ImageDraw.Draw(image).text((start_x, start_y), glyph, fill=255, font=font, anchor="ls")
    return image


def _ground(place: _Drawn, drawn: Sequence[_Drawn]) -> RGB | None:
    """The one colour under ``place``: white, or a box's that holds it; None when it would
    cross a logo, a text or the edge of a box."""
    under = [d for d in drawn if d.meets(place)]
    if not under:
        return WHITE
    if len(under) == 1 and under[0].fill is not None and under[0].holds(place):
        return under[0].fill
    return None


def _blank_band(drawn: Sequence[_Drawn]) -> tuple[int, int]:
    """The tallest run of rows nothing of the chrome is drawn in."""
    spans = sorted((d.y0, d.y1) for d in drawn)
    best, row = (0, 0), 0
    for y0, y1 in [*spans, (HEIGHT, HEIGHT)]:
        if y0 - row > best[1] - best[0]:
            best = (row, y0)
        row = max(row, y1)
    return best


def chrome_key(card: Card) -> tuple[object, ...]:
    """What the card's chrome (all of it but its title) is drawn from: cards with the same key
    share one."""
    return card_inputs(replace(card, path="", title=""))


def chrome_order(card: Card) -> str:
    """A sort key that puts cards sharing a chrome side by side, for drawing them one after
    another (:data:`MAX_CHROMES`). Text, as keys hold ``None`` beside strings (a firm without a
    logo), which do not compare."""
    return repr(chrome_key(card))


def _chrome(card: Card, logos: LogoCache) -> Chrome | None:
    """The card's chrome, drawn once per build for the cards that share it; None when the card
    is drawn whole (too many colours, or parts that overlap)."""
    key = chrome_key(card)
    if key not in logos.chromes:
        if len(logos.chromes) >= MAX_CHROMES:
            del logos.chromes[next(iter(logos.chromes))]
        logos.chromes[key] = _draw_chrome(card, logos)
    return logos.chromes[key]


MAX_CHROMES = 1024
"""Chromes kept in a build (15 KB or so each). A build draws the cards sharing a chrome one
after another (:func:`chrome_order`, :func:`hubgen.cache.cards.card_files`); drawn in the
site's order instead, a chrome is drawn again past this many."""


def _draw_chrome(card: Card, logos: LogoCache) -> Chrome | None:
    layout = card_layout(replace(card, title=""), logos)
    palette = cardpng.Palette()
    palette.index(WHITE)  # index 0: a blank row is zeros, its filter byte (none) included
    title_shades = palette.ramp(_rgb(INK), WHITE, TEXT_LEVELS)
    # One wider than the card: column 0 holds each row's filter byte (0, none).
    canvas = PILImage.new("L", (WIDTH + 1, HEIGHT))
    drawn: list[_Drawn] = []
    try:
        for box in layout.boxes[1:]:  # [0] is the white ground
            fill = _rgb(box.fill)
            if box.x0 < box.x1 and box.y0 < box.y1:
                canvas.paste(palette.index(fill), (box.x0 + 1, box.y0, box.x1 + 1, box.y1))
                drawn.append(_Drawn(box.x0, box.y0, box.x1, box.y1, fill))
        for text in layout.texts:
            placed = _placed_text(text)
            if placed is None:
                continue
            mask, at = placed
            ground = _ground(at, drawn)
            if ground is None:
                return None
            shades = palette.ramp(_rgb(text.fill), ground, TEXT_LEVELS)
            canvas.paste(_mapped(mask, shades), (at.x0 + 1, at.y0))
            drawn.append(at)
        # The logos last: they share the colours the rest leaves (a flat logo needs few).
        colors = max(8, (256 - len(palette.colors)) // max(1, len(layout.logos)))
        for place in layout.logos:
            quantized = logos.quantized(place.logo, place.width, place.height, colors)
            if quantized is None:
                continue
            indices, found = quantized
            x = round(place.x)
            y = round(place.y + (place.height - indices.height) / 2)
            at = _Drawn(x, y, x + indices.width, y + indices.height)
            if min(x, y) < 0 or at.x1 > WIDTH or at.y1 > HEIGHT or _ground(at, drawn) != WHITE:
                return None
            used = indices.histogram()
            lut = [palette.index(found[i]) if used[i] else 0 for i in range(256)]
            canvas.paste(_mapped(indices, lut), (x + 1, y))
            drawn.append(at)
    except cardpng.Full:
        return None
    first, end = _blank_band(drawn)
    return Chrome(
        palette.colors,
        bytes(title_shades),
        cardpng.deflate_shared(canvas.crop((0, 0, WIDTH + 1, first))),
        cardpng.deflate_rows(canvas.crop((0, end, WIDTH + 1, HEIGHT)), last=True),
        (first, end),
        tuple(drawn),
    )


def _mapped(image: PILImage.Image, table: Sequence[int]) -> PILImage.Image:
    """An ``L`` image's pixels through ``table`` (256 values, each 0–255), as ``Image.point``
    maps them; by ``bytes.translate``, as ``point`` rounds every entry of its table first (0.15 s
    of the card worker at 3,000 articles)."""
    return PILImage.frombytes("L", image.size, image.tobytes().translate(bytes(table)))


def _composed(chrome: Chrome, title: str) -> bytes | None:
    """The card: its title drawn in the chrome's blank band, its rows the only ones compressed
    here; None when the title reaches out of the band or onto the chrome."""
    first, end = chrome.band
    lines = [p for text in title_texts(title) if (p := _placed_text(text, keep=False))]
    if any(
        at.y0 < first or at.y1 > end or any(d.meets(at) for d in chrome.drawn) for _, at in lines
    ):
        return None
    if not lines:
        return cardpng.palette_png(
            WIDTH,
            HEIGHT,
            chrome.palette,
            [chrome.top, cardpng.blank_rows(WIDTH, end - first), chrome.bottom],
        )
    top, bottom = min(at.y0 for _, at in lines), max(at.y1 for _, at in lines)
    ink = PILImage.new("L", (WIDTH + 1, bottom - top))
    for mask, at in lines:  # ink over what is there, as painting the lines one by one would
        ink.paste(255, (at.x0 + 1, at.y0 - top, at.x1 + 1, at.y1 - top), mask)
    bands = [
        chrome.top,
        cardpng.blank_rows(WIDTH, top - first),
        # Coverage to palette index by a byte table (Image.point rounds its table each time).
        cardpng.deflate_raw(ink.tobytes().translate(chrome.title_shades), level=TITLE_LEVEL),
        cardpng.blank_rows(WIDTH, end - bottom),
        chrome.bottom,
    ]
    return cardpng.palette_png(WIDTH, HEIGHT, chrome.palette, bands)


TITLE_LEVEL = 3
"""zlib's level for a title's rows: at 6 (zlib's default) they take three times as long, for a
card 1.5 KB (a tenth) smaller."""


def render_card(card: Card, logos: LogoCache) -> bytes:
    """The card's PNG: its title on its chrome (drawn once for the cards sharing it); the whole
    card painted and quantized when that cannot be, or is over :data:`MAX_BYTES`."""
    chrome = _chrome(card, logos)
    png = _composed(chrome, card.title) if chrome is not None else None
    if png is not None and len(png) <= MAX_BYTES:
        return png
    layout = card_layout(card, logos)
    fills = [box.fill for box in layout.boxes] + [text.fill for text in layout.texts]
    return encode_png(paint(layout, logos), fills)


def card_inputs(card: Card) -> tuple[object, ...]:
    """Everything a card is drawn from, logos by digest: the card's cache key, computed in
    microseconds (a warm build signs every card; drawing one takes milliseconds). What every
    card depends on (fonts, text layout libraries) is :func:`drawing_inputs`."""
    partners = tuple(
        (p.name, p.color, p.brand, p.logo.digest if p.logo else None) for p in card.partners
    )
    return (CARD_FORMAT, card.title, card.label, card.hub_name, card.host, partners)


@lru_cache(maxsize=1)
def drawing_inputs() -> tuple[object, ...]:
    """What every card's pixels depend on besides :func:`card_inputs` and the code: the font
    files' bytes and the text layout (raqm or basic, and the libraries' versions)."""
    fonts = hashlib.sha256(b"".join(path.read_bytes() for path in FONT_FILES)).hexdigest()
    libraries = tuple(
        (name, features.version(name)) for name in ("freetype2", "raqm", "fribidi", "harfbuzz")
    )
    return (fonts, LAYOUT.name, libraries)
