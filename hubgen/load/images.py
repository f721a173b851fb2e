"""The image types contributors may add, and whether a file's content is the type its name says.

Partners add files to two places: the articles folder (cover and body images) and their own
``partners/<slug>/`` folder (logo, team photos). Everything there that MkDocs would copy to the
site is served from the hub's origin, so only images may come from contributors: an HTML page, a
script or a stylesheet published there could phish readers or run with the hub's cookies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class ImageType:
    name: str
    """What the contributor guide calls it."""
    suffixes: tuple[str, ...]
    """Lowercase file name endings, the usual one first."""


SVG = ImageType("SVG", (".svg",))
IMAGE_TYPES = (
    SVG,
    ImageType("PNG", (".png",)),
    ImageType("JPEG", (".jpg", ".jpeg")),
    ImageType("GIF", (".gif",)),
    ImageType("WebP", (".webp",)),
    ImageType("AVIF", (".avif",)),
)
IMAGE_SUFFIXES = frozenset(s for kind in IMAGE_TYPES for s in kind.suffixes)
"""The one allow-list of contributed images (compare with ``suffix.lower()``)."""

ALLOWED_IMAGES = ", ".join(s for kind in IMAGE_TYPES for s in kind.suffixes)
"""``.svg, .png, .jpg, …`` for messages."""

MAX_IMAGE_BYTES = 5_000_000
"""5 MB: a hero photo straight from a phone fits; a 40 MB camera RAW export does not."""

RESIZE_HINT = "resize it to at most 2000 pixels wide or save it as a compressed JPEG or WebP"

MARKDOWN_SUFFIXES = frozenset({".markdown", ".mdown", ".mkdn", ".mkd"})
"""Other endings MkDocs renders as pages; hubgen reads articles from ``.md`` files only."""

SNIFF_BYTES = 32
"""How much of a file :func:`sniff` needs."""

_BY_SUFFIX = {s: kind for kind in IMAGE_TYPES for s in kind.suffixes}


def image_type(path: str | PurePath) -> ImageType | None:
    """The allowed image type a file name ends in (any case), or None."""
    return _BY_SUFFIX.get(PurePath(path).suffix.lower())


def is_image_name(path: str | PurePath) -> bool:
    return image_type(path) is not None


def sniff(head: bytes) -> str | None:
    """The raster image type the first bytes of a file hold (``"PNG"``…), or None.

    SVG is text and is recognised by parsing it (:mod:`hubgen.load.svgsafe`), not by its first bytes.
    """
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp" and _has_avif_brand(head):
        return "AVIF"
    return None


def _has_avif_brand(head: bytes) -> bool:
    """AVIF is an ISO media file whose ``ftyp`` box names the ``avif`` or ``avis`` brand."""
    size = min(int.from_bytes(head[:4], "big"), len(head))
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, size - 3, 4)]
    return b"avif" in brands or b"avis" in brands


def content_mismatch(kind: ImageType, head: bytes) -> str | None:
    """Why a raster image's first bytes are not of ``kind`` (None when they are)."""
    found = sniff(head)
    if found == kind.name:
        return None
    if found is not None:
        return f"its content is a {found} image, not {kind.name}"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return f"its content is text (HTML or XML), not a {kind.name} image"
    return f"its content is not a {kind.name} image"


def rename_hint(head: bytes, name: str) -> str:
    """A hint for a file whose content is another image type than its name says."""
    found = sniff(head)
    real = next((kind for kind in IMAGE_TYPES if kind.name == found), None)
    if real is not None:
        return f"rename it to {PurePath(name).stem}{real.suffixes[0]}"
    return f"export the image again as {ALLOWED_IMAGES}, or remove {name}"
