"""Social cards: the 1200×630 PNG that LinkedIn, Facebook, X and messaging apps show for a link.

A card is drawn as an SVG made here (every partner-written string escaped as XML text, logos
embedded as ``<image>`` data URLs so no logo markup joins the card's own tree), rasterised by
resvg with the bundled Lato font (SIL OFL, ``fonts/``) and no system fonts, so a card looks the
same on every machine, then reduced to a 256-colour palette to stay small.

A card is drawn from :class:`Card` alone (:func:`card_inputs` is its cache key, see
:mod:`hubgen.cache.cards`).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import resvg_py
from PIL import Image as PILImage
from PIL import ImageFont

from hubgen.core import urls
from hubgen.core.models import Article, Image, Partner
from hubgen.load.contributed import may_publish, published_svg
from hubgen.load.images import SVG, image_type
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
CARD_FORMAT = 1
"""Bumped when the drawing or the PNG encoding changes, so cached cards are made again."""
MAX_TITLE_LINES = 3
LOGO_HEIGHT = 80
MAX_NAMED_LOGOS = 4
"""More partners than this (the home page's) show as logos only: their names would not fit."""
MAX_LOGOS = 8
"""A card shows at most this many logos (the first, in the card's order): a network of 50
would leave each a sliver. The colour band along the top still holds every partner's."""

# XML 1.0 forbids most control characters even escaped: a title carrying one would stop resvg.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_MIME = {"SVG": "image/svg+xml", "PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
"""What resvg can draw inside a card (WebP and AVIF logos show as the partner's name)."""


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


class LogoCache:
    """Each partner's logo read once per build and drawn at most once (it is on many cards)."""

    def __init__(self) -> None:
        self._partners: dict[str, CardPartner] = {}
        self._drawn: dict[str, str] = {}

    def data_url(self, logo: LogoSource) -> str:
        """The logo as a PNG data URL, drawn once at twice the largest size a card shows it."""
        if logo.digest not in self._drawn:
            if logo.kind == "SVG":
                png = resvg_py.svg_to_bytes(
                    svg_string=logo.data.decode("utf-8"),
                    skip_system_fonts=True,
                    font_files=[str(path) for path in FONT_FILES],
                    font_family=FAMILY,
                    height=2 * LOGO_HEIGHT,
                )
                data, mime = bytes(png), "image/png"
            else:
                data, mime = logo.data, _MIME[logo.kind]
            encoded = base64.b64encode(data).decode("ascii")
            self._drawn[logo.digest] = f"data:{mime};base64,{encoded}"
        return self._drawn[logo.digest]

    def partner(self, partner: Partner) -> CardPartner:
        if partner.slug not in self._partners:
            self._partners[partner.slug] = CardPartner(
                partner.name,
                accent(partner.color).on_light,
                partner.color,
                logo_source(partner.logo),
            )
        return self._partners[partner.slug]


def logo_source(image: Image) -> LogoSource | None:
    """A local logo as a card may draw it: SVGs only as filtered for publishing (svgsafe)."""
    if image.source is None:
        return None  # a remote logo: a build does not fetch anything
    kind = image_type(image.source)
    if kind is None or kind.name not in _MIME:
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


# -- drawing ----------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _font(size: int, *, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILES[1 if bold else 0]), size)


def text_width(text: str, size: int, *, bold: bool = True) -> float:
    return float(_font(size, bold=bold).getlength(text))


def wrap(text: str, size: int, width: float, max_lines: int) -> list[str]:
    """``text`` in lines no wider than ``width`` at ``size``; the last line ends in … if cut."""
    lines: list[str] = []
    words = text.split()
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while current and text_width(current, size) > width:  # a word wider than the line
            cut = _fit(current, size, width)
            lines.append(current[:cut])
            current = current[cut:]
        if len(lines) >= max_lines:
            rest = " ".join([current, *words[index + 1 :]])
            return _ellipsis(lines[:max_lines], rest, size, width)
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        return _ellipsis(lines[:max_lines], " ".join(lines[max_lines:]), size, width)
    return lines


def _fit(word: str, size: int, width: float) -> int:
    """How many of ``word``'s characters fit in ``width``: at least one, so breaking ends."""
    cut = len(word)
    while cut > 1 and text_width(word[:cut], size) > width:
        cut -= 1
    return max(cut, 1)


def _ellipsis(lines: list[str], rest: str, size: int, width: float) -> list[str]:
    if not rest:
        return lines
    last = lines[-1]
    while last and text_width(last + "…", size) > width:
        last = last[:-1].rstrip()
    return [*lines[:-1], last + "…"]


def _text(value: str) -> str:
    """Partner-written text as SVG character data: escaped once, XML-invalid characters gone."""
    return escape(_NOT_XML.sub("", value), quote=True)


def _title_lines(title: str) -> tuple[list[str], int]:
    """The title in the largest size (60 → 42 px) that fits it in three lines."""
    width = WIDTH - 2 * MARGIN
    for size in (60, 54, 48, 42):
        lines = wrap(title, size, width, MAX_TITLE_LINES)
        if not lines[-1].endswith("…"):
            return lines, size
    return lines, size


LogoHref = Callable[[LogoSource], str]
"""What a card's ``<image href>`` is for a logo (its data URL)."""


def card_svg(card: Card, href: LogoHref) -> str:
    """The card as an SVG document, for resvg to draw."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FAMILY}">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    parts += _stripe(card.partners)
    label = wrap(card.label, 26, WIDTH - 2 * MARGIN, 1)[0] if card.label.strip() else ""
    parts.append(
        f'<text x="{MARGIN}" y="104" font-size="26" font-weight="700" fill="{MUTED}" '
        f'letter-spacing="0.5">{_text(label)}</text>'
    )
    lines, size = _title_lines(card.title)
    line_height = round(size * 1.18)
    for number, line in enumerate(lines):
        y = 130 + size + number * line_height
        parts.append(
            f'<text x="{MARGIN}" y="{y}" font-size="{size}" font-weight="700" '
            f'fill="{INK}">{_text(line)}</text>'
        )
    parts += _logos(card.partners, href)
    hub_name = wrap(card.hub_name, 28, (WIDTH - 2 * MARGIN) * 0.6, 1)[0]
    parts += [
        f'<rect y="{HEIGHT - FOOTER}" width="{WIDTH}" height="{FOOTER}" fill="{INK}"/>',
        f'<text x="{MARGIN}" y="{HEIGHT - 23}" font-size="28" font-weight="700" '
        f'fill="#ffffff">{_text(hub_name)}</text>',
    ]
    if card.host:
        host = wrap(card.host, 24, (WIDTH - 2 * MARGIN) * 0.38, 1)[0]
        parts.append(
            f'<text x="{WIDTH - MARGIN}" y="{HEIGHT - 24}" font-size="24" text-anchor="end" '
            f'fill="#d1d5db">{_text(host)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _stripe(partners: Sequence[CardPartner]) -> list[str]:
    """A band of the partners' brand colours along the top edge."""
    colors = [p.brand for p in partners] or [INK]
    width = WIDTH / len(colors)
    return [
        f'<rect x="{i * width:.1f}" width="{width + 1:.1f}" height="16" fill="{_text(color)}"/>'
        for i, color in enumerate(colors)
    ]


def _logos(partners: Sequence[CardPartner], href: LogoHref) -> list[str]:
    """The logos in a row above the footer, each partner's name under it in their colour."""
    partners = partners[:MAX_LOGOS]
    if not partners:
        return []
    named = len(partners) <= MAX_NAMED_LOGOS
    gap = 40
    count = len(partners)
    box = min(480.0 if count <= 2 else 240.0, (WIDTH - 2 * MARGIN - gap * (count - 1)) / count)
    logo_height = LOGO_HEIGHT if named else min(float(LOGO_HEIGHT), box * 0.8)
    name_size = 24
    names = [wrap(p.name, name_size, box, 2) for p in partners]
    names_height = 12 + max(len(lines) for lines in names) * 29 if named else 0
    top = HEIGHT - FOOTER - 32 - logo_height - names_height
    parts: list[str] = []
    for index, partner in enumerate(partners):
        x = MARGIN + index * (box + gap)
        if partner.logo is not None:
            parts.append(
                f'<image x="{x:.1f}" y="{top:.1f}" width="{box:.1f}" height="{logo_height:.1f}" '
                f'preserveAspectRatio="xMinYMid meet" href="{_text(href(partner.logo))}"/>'
            )
        if not named and partner.logo is not None:
            continue
        y = top + logo_height + 12 if partner.logo is not None else top + logo_height / 2
        for number, line in enumerate(names[index]):
            parts.append(
                f'<text x="{x:.1f}" y="{y + 24 + number * 29:.1f}" font-size="{name_size}" '
                f'font-weight="700" fill="{_text(partner.color)}">{_text(line)}</text>'
            )
    return parts


MAX_BYTES = 60_000
"""Platforms fetch cards on every share; 60 KB keeps that cheap on a phone connection."""


def render_png(svg: str) -> bytes:
    """The card as a PNG: resvg's own, or fewer colours when that is over :data:`MAX_BYTES`."""
    drawn = bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            skip_system_fonts=True,
            font_files=[str(path) for path in FONT_FILES],
            font_family=FAMILY,
            sans_serif_family=FAMILY,
        )
    )
    if len(drawn) <= MAX_BYTES:
        return drawn
    with PILImage.open(io.BytesIO(drawn)) as image:
        rgb = image.convert("RGB")
    for colors in (256, 64, 16):
        out = io.BytesIO()
        rgb.quantize(colors, method=PILImage.Quantize.FASTOCTREE).save(out, "PNG", optimize=True)
        if out.tell() <= MAX_BYTES:
            break
    return out.getvalue()


def render_card(card: Card, logos: LogoCache) -> bytes:
    return render_png(card_svg(card, logos.data_url))


def card_inputs(card: Card) -> tuple[object, ...]:
    """Everything :func:`card_svg` draws from, logos by digest: the card's cache key, computed
    in microseconds (a warm build signs every card; laying one out takes milliseconds)."""
    partners = tuple(
        (p.name, p.color, p.brand, p.logo.digest if p.logo else None) for p in card.partners
    )
    return (CARD_FORMAT, card.title, card.label, card.hub_name, card.host, partners)
