"""Which part of the search index each page goes to.

Pagefind's indexer holds every page it is given in memory until it writes the bundle (about a
quarter of a megabyte per article, with no option to bound it), and it re-indexes everything
it is given when one page changes. So a big hub's index is built in parts of about
``pages_per_part`` pages, each an index of its own: a build's memory then depends on the
part size, not on the hub's size, and an edited article re-indexes only its own part.

A part is a run of pages in the order the build writes them, so it can be indexed as soon as
its last page is written, on another core while the later pages render. Where a run ends
depends on the pages' own paths, as backup tools cut files into chunks by their content: a part
ends after a page whose path hashes to a cut, once it holds half the part size, and at twice
the part size in any case. An edit leaves every part as it was; an added or removed page
changes its own part (now and then the next one too), never the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

PAGES_PER_PART = 60
"""The default part size (the ``search_pages_per_part`` option). An edited article waits for
its part to be indexed again (125 of the benchmark's articles: 0.25 s), so a smaller part is a
shorter wait. Since one Pagefind process indexes every part (2026-12-04) a part costs no process
of its own, and a cold build takes as long with parts of 60 as of 125."""


def cut(pages: Iterable[str], pages_per_part: int) -> list[list[str]]:
    """``pages`` (paths in the site, in build order) cut into parts of about ``pages_per_part``.

    Each part holds at least half of ``pages_per_part`` (but the last) and at most twice; past
    the half, a part ends after a page with a chance of one in the other half, so parts average
    ``pages_per_part``.
    """
    size = max(1, pages_per_part)
    least, most = max(1, size // 2), 2 * size
    chance = max(1, size - least)
    parts: list[list[str]] = []
    part: list[str] = []
    for page in pages:
        part.append(page)
        if len(part) >= most or (len(part) >= least and _ends_a_part(page, chance)):
            parts.append(part)
            part = []
    if part or not parts:
        parts.append(part)
    return parts


def _ends_a_part(page: str, chance: int) -> bool:
    digest = hashlib.sha256(page.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % chance == 0
