"""The palette PNG joined from bands compressed apart (hubgen.site.cardpng): a valid zlib
stream, its checksum combined right, its pixels the bands' indices."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from PIL import Image as PILImage

from hubgen.site import cardpng


@pytest.mark.parametrize("seed", range(5))
def test_adler32_combine_is_the_checksum_of_the_joined_bytes(seed: int) -> None:
    rng = random.Random(seed)
    first = rng.randbytes(rng.randrange(0, 200_000))
    second = rng.randbytes(rng.randrange(0, 200_000))
    combined = cardpng.adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second))
    assert combined == zlib.adler32(first + second)


def idat(png: bytes) -> bytes:
    """The concatenated IDAT data of ``png``, every chunk's CRC checked."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, data = 8, b""
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        if kind == b"IDAT":
            data += body
        at += 12 + length
    return data


def band(width: int, rows: list[list[int]]) -> PILImage.Image:
    """An ``L`` image of rows, each led by its filter byte (0)."""
    image = PILImage.new("L", (width + 1, len(rows)))
    image.putdata([value for row in rows for value in (0, *row)])
    return image


def test_bands_compressed_apart_join_into_one_png() -> None:
    width = 7
    top = [[1, 2, 3, 0, 0, 0, 1]] * 3
    middle = [[0, 1, 1, 1, 1, 1, 0], [2, 2, 2, 2, 2, 2, 2]]
    bottom = [[3] * width] * 2
    palette = [(255, 255, 255), (30, 33, 41), (180, 83, 9), (15, 118, 110)]
    png = cardpng.palette_png(
        width,
        10,
        palette,
        [
            cardpng.deflate_rows(band(width, top)),
            cardpng.blank_rows(width, 0),  # an empty band joins too
            cardpng.deflate_rows(band(width, middle), level=1),
            cardpng.blank_rows(width, 3),
            cardpng.deflate_rows(band(width, bottom), last=True),
        ],
    )
    # zlib checks the stream's end and its Adler-32; Pillow the chunks and the pixels.
    raw = zlib.decompress(idat(png))
    expected_rows = [*top, *middle, *[[0] * width] * 3, *bottom]
    assert raw == bytes(v for row in expected_rows for v in (0, *row))
    image = PILImage.open(io.BytesIO(png))
    image.load()
    assert image.mode == "P" and image.size == (width, 10)
    rgb = image.convert("RGB")
    assert [rgb.getpixel((x, 9)) for x in range(width)] == [palette[3]] * width
    assert rgb.getpixel((1, 0)) == palette[2] and rgb.getpixel((0, 4)) == palette[2]
    assert rgb.getpixel((0, 5)) == palette[0]


def test_a_palette_holds_256_colours_and_ramps_end_exactly() -> None:
    palette = cardpng.Palette()
    white, ink = (255, 255, 255), (30, 33, 41)
    shades = palette.ramp(ink, white, 16)
    assert palette.colors[shades[0]] == white and palette.colors[shades[255]] == ink
    assert len(set(shades)) == 16 and palette.index(white) == shades[0]  # each colour once
    for n in range(256 - len(palette.colors)):
        palette.index((n, 0, 1))
    with pytest.raises(cardpng.Full):
        palette.index((1, 2, 3))


def test_rows_alike_are_compressed_once_and_join_as_any_rows() -> None:
    width = 5
    rows = [[1, 2, 3, 4, 0]] * 4
    shared = cardpng.deflate_shared(band(width, rows))
    assert cardpng.deflate_shared(band(width, rows)) is shared  # the same content: kept
    assert shared == cardpng.deflate_rows(band(width, rows))  # as compressing it gives
    other = cardpng.deflate_shared(band(width, [[4, 3, 2, 1, 0]] * 4))
    assert other is not shared and other.adler != shared.adler
    assert cardpng.deflate_shared(band(width, rows), last=True) is not shared  # it ends the stream
    png = cardpng.palette_png(
        width,
        8,
        [(255, 255, 255)] * 5,
        [shared, cardpng.deflate_shared(band(width, rows), last=True)],
    )
    assert zlib.decompress(idat(png)) == bytes(v for row in rows * 2 for v in (0, *row))
