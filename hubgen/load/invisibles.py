"""Invisible formatting and direction characters, found and named with the standard library."""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Characters that reorder the text around them (U+202E turns "gnp.exe" into "exe.png")."""


def invisible_characters(text: str) -> list[tuple[int, str]]:
    """``(offset, char)`` of each invisible formatting or direction control in ``text``."""
    if text.isascii():
        return []
    return [
        (i, c)
        for i, c in enumerate(text)
        if unicodedata.category(c) == "Cf" and not _joins_emoji(text, i)
    ]


def _joins_emoji(text: str, at: int) -> bool:
    """A zero-width joiner between two symbols draws one emoji (👩‍💻): it hides nothing."""
    return (
        text[at] == "\u200d"
        and 0 < at < len(text) - 1
        and unicodedata.category(text[at - 1]) in ("So", "Mn")
        and unicodedata.category(text[at + 1]) == "So"
    )


def describe(char: str) -> str:
    """``U+0430 CYRILLIC SMALL LETTER A``."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')}"
