"""Look-alike text: partner names and referral codes that a reader cannot tell apart.

A partner who copies another's name with a Cyrillic "а" or a Greek "Ο", or picks the referral
code ``acrne`` next to ``acme``, can collect leads meant for someone else. This module reduces a
text to a *skeleton* in the spirit of Unicode TS #39 (confusable detection): NFKC, invisible
characters removed, accents removed, then a table of the homoglyphs that matter for Latin-script
names mapped to their Latin look-alike. Two texts with the same skeleton look alike.

The table is deliberately small (Cyrillic and Greek letters that are drawn like Latin ones, plus
the digit and letter-pair tricks that work in plain ASCII). The maintained PyPI packages either
carry an old copy of Unicode's data without a skeleton function (confusable-homoglyphs) or are
unmaintained (confusables, homoglyphs), and the names in a referral network are short Latin-script
firm names: a table we can read and test beats a large dependency here.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters drawn like a Latin letter, mapped to that letter (case kept where the glyph has case).
_HOMOGLYPHS: dict[str, str] = {
    # Cyrillic capitals
    "А": "A", "В": "B", "Е": "E", "Ѕ": "S", "І": "l", "Ј": "J", "К": "K", "М": "M",
    "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y", "Ү": "Y", "Х": "X",
    "Ԛ": "Q", "Ԝ": "W", "Ӏ": "l", "Ь": "b", "З": "3",
    # Cyrillic small letters
    "а": "a", "в": "b", "е": "e", "ё": "e", "ѕ": "s", "і": "i", "ї": "i", "ј": "j",
    "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y",
    "ү": "y", "х": "x", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "һ": "h", "ь": "b",
    # Greek capitals
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "l", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Greek small letters
    "α": "a", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "γ": "y",
    # Latin and symbols that pass for other Latin letters or digits
    "ı": "i", "ȷ": "j", "ɡ": "g", "ǀ": "l", "|": "l", "I": "l", "1": "l", "0": "o",
}  # fmt: skip

# Letter pairs that read as one letter in most fonts ("rn" vs "m"), applied after the table.
_PAIRS = (("rn", "m"), ("vv", "w"))


# Checks compare every pair of partners: n² calls on only 2n distinct texts, so both folds are
# cached (100 partners: 9,900 skeletons computed before, 200 now).
@lru_cache(maxsize=4096)
def skeleton(text: str) -> str:
    """What ``text`` looks like: equal skeletons mean a reader may take one text for the other.

    Case, spacing and punctuation are ignored ("ACME Ltd." and "Acme Ltd" collide), and so are
    accents and invisible characters ("Acmé", "Ac\u200bme").
    """
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    kept = "".join(
        _HOMOGLYPHS.get(char, char)
        for char in decomposed
        if unicodedata.category(char) not in ("Mn", "Me", "Cf")
    )
    folded = "".join(char for char in kept.casefold() if char.isalnum())
    for pair, letter in _PAIRS:
        folded = folded.replace(pair, letter)
    return folded


def look_alike(first: str, second: str) -> bool:
    """True when the two texts differ but a reader could mistake one for the other."""
    if first == second:
        return False
    return _alphanumeric(first) == _alphanumeric(second) or skeleton(first) == skeleton(second)


@lru_cache(maxsize=4096)
def _alphanumeric(text: str) -> str:
    """``"ACME Ltd."`` → ``"acmeltd"``: the text without case, spacing or punctuation."""
    return "".join(c for c in text.casefold() if c.isalnum())


def foreign_letters(text: str) -> list[str]:
    """The characters in ``text`` that imitate Latin ones, named: ``U+0430 CYRILLIC SMALL LETTER A``."""
    found: list[str] = []
    for char in unicodedata.normalize("NFKC", text):
        if not char.isascii() and (char in _HOMOGLYPHS or unicodedata.category(char) == "Cf"):
            label = f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')}"
            if label not in found:
                found.append(label)
    return found
