"""Brand colours made accessible: WCAG contrast, and the nearest shade that passes AA."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#1e2129"
"""Material's ``slate`` scheme background (hsla(232, 15%, 14%))."""
AA_NORMAL_TEXT = 4.5


def _rgb(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(color: str) -> float:
    """WCAG 2 relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def accessible_shade(color: str, background: str, minimum: float = AA_NORMAL_TEXT) -> str:
    """``color`` itself if it reads on ``background``, else the closest mix toward black or white that does."""
    if contrast(color, background) >= minimum:
        return color
    target = (0.0, 0.0, 0.0) if luminance(background) > 0.5 else (1.0, 1.0, 1.0)
    start = _rgb(color)
    for step in range(1, 101):
        t = step / 100
        mixed = _hex(tuple(s + (e - s) * t for s, e in zip(start, target, strict=True)))  # type: ignore[arg-type]
        if contrast(mixed, background) >= minimum:
            return mixed
    return _hex(target)


@dataclass(frozen=True)
class Accent:
    """A partner's brand colour as used on a page: raw for decoration, shaded for text and links."""

    brand: str
    on_light: str
    on_dark: str
    text_on_brand: str
    """Black or white, whichever reads better on a solid brand-coloured button."""
    text_on_dark: str
    """The same for the dark scheme's buttons, which are filled with ``on_dark``."""

    @property
    def style(self) -> str:
        """The CSS custom properties, as the rule of :attr:`css_class` declares them."""
        return (
            f"--hubgen-brand: {self.brand}; --hubgen-accent-light: {self.on_light}; "
            f"--hubgen-accent-dark: {self.on_dark}; --hubgen-on-brand: {self.text_on_brand}; "
            f"--hubgen-on-brand-dark: {self.text_on_dark}"
        )

    @property
    def css_class(self) -> str:
        """The class an element takes to wear this accent (``hg-brand-1d4ed8``): a page names it
        in a few bytes where the five properties inline took 170, on every card and byline."""
        return "hg-brand-" + self.brand.removeprefix("#")


_HEX_RE = re.compile(r"^#[0-9a-f]{6}$")


def accent_rules(brands: Iterable[str]) -> str:
    """The stylesheet rules of every accent the site's pages may name, one line per colour.
    Only ``#rrggbb`` colours (what the loader accepts) are written: nothing else reaches CSS."""
    rules = (
        f".{a.css_class} {{ {a.style}; }}"
        for a in map(accent, sorted({b for b in brands if _HEX_RE.match(b)}))
    )
    return "".join(f"{rule}\n" for rule in rules)


@lru_cache(maxsize=1024)
def accent(brand: str) -> Accent:
    on_light = accessible_shade(brand, LIGHT_BACKGROUND)
    on_dark = accessible_shade(brand, DARK_BACKGROUND)
    # Buttons are filled with the scheme's shade (light, or dark in slate): text for each.
    return Accent(brand, on_light, on_dark, _text_on(on_light), _text_on(on_dark))


def _text_on(fill: str) -> str:
    """Black or white, whichever reads better on a button filled with ``fill``."""
    return "#ffffff" if contrast("#ffffff", fill) >= contrast("#000000", fill) else "#000000"
