"""An article file: how large it may be, and where its front matter ends and its body begins.

The loader, the cross-file checks, the build rules, the importer and the ownership gate all split
articles; this module imports nothing of hubgen's, so any of them can use it.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple

MAX_ARTICLE_BYTES = 512 * 1024
"""512 KiB: ten times a long article. Python-Markdown renders about 100 KiB of dense Markdown a
second, so a body at the limit still builds and checks in well under ten seconds."""
MAX_FRONT_MATTER_BYTES = 64 * 1024

_FRONT_MATTER_END_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


class FrontMatter(NamedTuple):
    """An article split in two (a tuple, so ``front, body, body_line = split`` works)."""

    front: str
    """The YAML between the ``---`` lines."""
    body: str
    """The Markdown after them."""
    body_line: int
    """The file's line where the body starts, so body problems point at the right line."""


class NoFrontMatter(StrEnum):
    """Why a file has no front matter to split off."""

    MISSING = "no front matter"
    NOT_CLOSED = "not closed"


def split_front_matter(text: str) -> FrontMatter | NoFrontMatter:
    """``text`` (with ``\\n`` line ends) split at its front matter, or why it cannot be."""
    if not text.startswith("---\n"):
        return NoFrontMatter.MISSING
    # Searched from offset 4 rather than in text[4:]: the same match, without copying the file.
    match = _FRONT_MATTER_END_RE.search(text, 4)
    if match is None:
        return NoFrontMatter.NOT_CLOSED
    front = text[4 : match.start()]
    body = text[match.end() + text.startswith("\n", match.end()) :]  # one copy, not two
    body_line = text.count("\n", 0, match.end()) + 2
    return FrontMatter(front, body, body_line)
