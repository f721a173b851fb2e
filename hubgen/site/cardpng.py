"""A palette PNG put together from bands of rows compressed apart, and the palette it indexes.

A social card is mostly what other cards show too (the colour band, the logos, the names, the
footer): only the band of rows holding the title is new. Those rows are compressed for each card;
the rows above and below them once for every card sharing them. Deflate blocks that each end on
a full flush start afresh, so the bands' compressed bytes are joined as they are into one zlib
stream; its checksum is the bands' checksums combined (:func:`adler32_combine`).

Every row here is an ``L`` image one pixel wider than the card: its first column holds the PNG
filter byte of the row (0, none: filters do not pay on a flat palette image), so ``tobytes()`` is
the PNG's raw scanlines as they are.

Rows are compressed by zlib-ng (imported here as ``zlib``), the standard zlib's faster
successor, which writes the same format: at 3,000 articles 1.7 → 0.9 s of CPU for the cards,
and 27.0 → 24.5 MB of them.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image as PILImage
from zlib_ng import zlib_ng as zlib

LEVEL = 6
"""zlib's default level, for rows many cards share (compressed once)."""
_BASE = 65521
"""Adler-32's modulus."""
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZLIB_HEADER = b"\x78\x9c"
"""Deflate, a 32 KB window, the default level."""


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings joined, from theirs (zlib's ``adler32_combine``)."""
    remainder = second_length % _BASE
    low = first & 0xFFFF
    high = (remainder * low) % _BASE
    low = (low + (second & 0xFFFF) + _BASE - 1) % _BASE
    high = (high + (first >> 16) + (second >> 16) + _BASE - remainder) % _BASE
    return low | (high << 16)


@dataclass(frozen=True)
class Rows:
    """Raw scanlines compressed as deflate blocks that any other rows may follow."""

    deflated: bytes
    adler: int
    length: int
    """Bytes of the raw scanlines."""


def deflate_rows(rows: PILImage.Image, *, level: int = LEVEL, last: bool = False) -> Rows:
    """``rows`` (an ``L`` image of filter bytes and palette indices) compressed; ``last`` for
    the rows at the bottom of the image, whose final block ends the stream."""
    return deflate_raw(rows.tobytes(), level=level, last=last)


def deflate_raw(raw: bytes, *, level: int = LEVEL, last: bool = False) -> Rows:
    """Raw scanlines (each a filter byte, then palette indices) compressed, as
    :func:`deflate_rows`."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    ending = zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH
    deflated = compressor.compress(raw) + compressor.flush(ending)
    return Rows(deflated, zlib.adler32(raw), len(raw))


_SHARED: dict[tuple[bytes, int, bool], Rows] = {}
MAX_SHARED = 256
"""Compressed rows kept by content (a few KB each)."""


def deflate_shared(rows: PILImage.Image, *, level: int = LEVEL, last: bool = False) -> Rows:
    """:func:`deflate_rows` for rows many images hold alike (a card's top: its colour band and
    label, the same on most cards of a hub: 26 different tops among 1,094 chromes at
    3,000/100), compressed once per content; hashing them is a third of compressing them."""
    raw = rows.tobytes()
    key = (hashlib.blake2b(raw, digest_size=16).digest(), level, last)
    found = _SHARED.get(key)
    if found is None:
        if len(_SHARED) >= MAX_SHARED:
            del _SHARED[next(iter(_SHARED))]
        found = _SHARED[key] = deflate_raw(raw, level=level, last=last)
    return found


@lru_cache(maxsize=256)
def blank_rows(width: int, count: int) -> Rows:
    """``count`` rows of index 0 (and filter byte 0) of an image ``width`` pixels wide."""
    return deflate_rows(PILImage.new("L", (width + 1, count)))


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def palette_png(
    width: int, height: int, palette: list[tuple[int, int, int]], bands: list[Rows]
) -> bytes:
    """An 8-bit palette PNG whose scanlines are ``bands``, top to bottom; the last one's
    final block ends the zlib stream (:func:`deflate_rows` with ``last``)."""
    adler = 1
    for band in bands:
        adler = adler32_combine(adler, band.adler, band.length)
    data = _ZLIB_HEADER + b"".join(band.deflated for band in bands) + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    colors = bytes(channel for rgb in palette for channel in rgb)
    return b"".join(
        (
            _SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", colors),
            _chunk(b"IDAT", data),
            _chunk(b"IEND", b""),
        )
    )


class Palette:
    """The colours of one card, each given an index once; at most 256."""

    def __init__(self) -> None:
        self.colors: list[tuple[int, int, int]] = []
        self._index: dict[tuple[int, int, int], int] = {}

    def index(self, color: tuple[int, int, int]) -> int:
        """``color``'s index; raises :class:`Full` past 256 colours."""
        found = self._index.get(color)
        if found is None:
            if len(self.colors) == 256:
                raise Full
            found = self._index[color] = len(self.colors)
            self.colors.append(color)
        return found

    def ramp(
        self, ink: tuple[int, int, int], ground: tuple[int, int, int], levels: int
    ) -> list[int]:
        """A lookup table from a text mask's coverage (0-255) to the index of ``ink`` drawn at
        that coverage over ``ground``, in ``levels`` steps: none is ``ground`` and all is
        ``ink``, exactly."""
        steps = [self.index(_blend(ink, ground, level / (levels - 1))) for level in range(levels)]
        return [steps[level] for level in _levels(levels)]


@lru_cache(maxsize=8)
def _levels(levels: int) -> tuple[int, ...]:
    """Each coverage's step (0-255 to 0 to ``levels - 1``), the same for every ramp."""
    return tuple(round(value * (levels - 1) / 255) for value in range(256))


class Full(Exception):
    """More colours than a palette PNG holds."""


def _blend(
    ink: tuple[int, int, int], ground: tuple[int, int, int], coverage: float
) -> tuple[int, int, int]:
    r, g, b = (round(i * coverage + o * (1 - coverage)) for i, o in zip(ink, ground, strict=True))
    return r, g, b
