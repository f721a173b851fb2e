"""Which part of the search index each page goes to.

Pagefind's indexer holds every page it is given in memory until it writes the bundle (about a
quarter of a megabyte per article, with no option to bound it), and it re-indexes everything
it is given when one page changes. So a big hub's index is built in parts of at most
``pages_per_part`` pages, each by its own indexer run: a build's memory then depends on the
part size, not on the hub's size, and an edited article re-indexes only its own part. The
visitor's browser merges the parts (Pagefind's ``mergeIndex``), sharing one WebAssembly
module; each part adds its entry file, its metadata and one index chunk to a query.

A page's part depends only on its path and the number of parts, so an edit, an addition or a
removal leaves every other part's pages where they were, until the hub grows past a multiple
of ``pages_per_part`` and every page is dealt again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

PAGES_PER_PART = 250
"""The default part size (the ``search_pages_per_part`` option)."""


def part_count(pages: int, pages_per_part: int) -> int:
    """How many parts ``pages`` pages make: at least one, each about ``pages_per_part``."""
    return max(1, -(-pages // max(1, pages_per_part)))


def part_of(page: str, parts: int) -> int:
    """The part (0 to ``parts - 1``) of the page at ``page`` (its path in the site)."""
    digest = hashlib.sha256(page.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % parts


def deal(pages: Mapping[str, str], pages_per_part: int) -> list[dict[str, str]]:
    """``pages`` (path → anything) split into parts, each a dict of the same kind."""
    parts: list[dict[str, str]] = [{} for _ in range(part_count(len(pages), pages_per_part))]
    for page, value in pages.items():
        parts[part_of(page, len(parts))][page] = value
    return parts
