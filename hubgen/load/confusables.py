"""Look-alike and disguised text: partner names and referral codes a reader cannot tell apart.

A partner who copies another's name with a Cyrillic "а", an Armenian "օ" or a New Tai Lue "᧐",
or picks the referral code ``acrne`` next to ``acme``, can collect leads meant for someone else.
Two checks from Unicode TS #39 (Unicode Security Mechanisms) catch them, both computed by ICU,
Unicode's own implementation, with the confusables data of its Unicode version:

- :func:`skeleton`: two texts with the same skeleton look alike. The TS #39 skeleton is taken
  after NFKC and without accents or invisible characters, and again after case folding (its
  prototypes are partly capitals: "0" becomes "O"), then spacing and punctuation are dropped;
- :func:`mixed_scripts`: a name mixing scripts beyond TS #39's *highly restrictive* level (Latin
  with a New Tai Lue digit, say) is suspicious on its own, whether or not a victim exists yet.

ICU comes from the ``pyicu-wheels`` package: a binary wheel with ICU inside, no system library.
Loading it costs a process about 17 MB, so builds and checks ask a short-lived child process
(``python -m hubgen.load.confusables``, see :mod:`hubgen.load.lookalikes`) rather than import it.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from dataclasses import asdict
from functools import lru_cache

import icu  # type: ignore[import-untyped]

from hubgen.load.invisibles import describe
from hubgen.load.lookalikes import TextTraits

_SKELETONS = icu.SpoofChecker()
_RESTRICTION = icu.SpoofChecker()
_RESTRICTION.setChecks(icu.USpoofChecks.RESTRICTION_LEVEL | icu.USpoofChecks.MIXED_NUMBERS)
_RESTRICTION.setRestrictionLevel(icu.URestrictionLevel.HIGHLY_RESTRICTIVE)

UNICODE_VERSION: str = icu.UNICODE_VERSION
"""The Unicode version whose confusables data the checks use."""


# Checks compare every pair of partners: n² calls on only 2n distinct texts, so skeletons are
# cached (100 partners: 9,900 skeletons computed before, 200 now).
@lru_cache(maxsize=4096)
def skeleton(text: str) -> str:
    """What ``text`` looks like: equal skeletons mean a reader may take one text for the other.

    Case, spacing and punctuation are ignored ("ACME Ltd." and "Acme Ltd" collide), and so are
    accents and invisible characters ("Acmé", "Ac\u200bme").
    """
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    plain = "".join(c for c in decomposed if unicodedata.category(c) not in ("Mn", "Me", "Cf"))
    once = _SKELETONS.getSkeleton(0, plain)
    twice: str = _SKELETONS.getSkeleton(0, once.casefold())
    return "".join(char for char in twice.casefold() if char.isalnum())


def look_alike(first: str, second: str) -> bool:
    """True when the two texts differ but a reader could mistake one for the other."""
    if first == second:
        return False
    return skeleton(first) == skeleton(second)


@lru_cache(maxsize=4096)
def mixed_scripts(text: str) -> bool:
    """True when ``text`` mixes scripts (or digit systems) beyond TS #39's highly restrictive
    level: one script, or Latin with Han and Japanese kana, Han with Hangul or with Bopomofo."""
    return bool(_RESTRICTION.check(text))


def foreign_letters(text: str) -> list[str]:
    """The characters in ``text`` that are not plain ASCII but look like it, and invisible ones,
    named: ``U+0430 CYRILLIC SMALL LETTER A``."""
    found: list[str] = []
    for char in unicodedata.normalize("NFKC", text):
        if char.isascii():
            continue
        base = unicodedata.normalize("NFD", char)[0]  # "é" is an accented Latin letter
        imitates = not base.isascii() and skeleton(char) != "" and skeleton(char).isascii()
        if imitates or unicodedata.category(char) == "Cf":
            label = describe(char)
            if label not in found:
                found.append(label)
    return found


def odd_characters(text: str) -> list[str]:
    """The characters of ``text`` outside its main script: what makes it :func:`mixed_scripts`."""
    counts: dict[int, int] = {}
    for char in text:
        code = icu.Script.getScript(char).getScriptCode()
        if code not in (icu.UScriptCode.COMMON, icu.UScriptCode.INHERITED):
            counts[code] = counts.get(code, 0) + 1
    if not counts:
        return []
    main = max(counts, key=lambda code: counts[code])
    skipped = (icu.UScriptCode.COMMON, icu.UScriptCode.INHERITED, main)
    odd = [describe(c) for c in text if icu.Script.getScript(c).getScriptCode() not in skipped]
    return list(dict.fromkeys(odd))


def traits(text: str) -> TextTraits:
    """Everything the look-alike checks need to know about ``text``, in one record."""
    mixed = mixed_scripts(text)
    return TextTraits(
        skeleton=skeleton(text),
        mixed_scripts=mixed,
        foreign_letters=tuple(foreign_letters(text)),
        odd_characters=tuple(odd_characters(text)) if mixed else (),
    )


def main() -> None:
    """The child process of :class:`hubgen.load.lookalikes.TraitsRequest`: a JSON list of texts on
    stdin, a JSON list of their traits on stdout."""
    texts = json.load(sys.stdin)
    json.dump([asdict(traits(str(text))) for text in texts], sys.stdout)


if __name__ == "__main__":
    main()
