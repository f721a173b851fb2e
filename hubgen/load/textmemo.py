"""Pure functions of a text, each computed once per text: within a load and across loads.

A build asks the same question of an article's body more than once (its links are read to check
them, again by the hub checks and again for the body's cache key), and ``mkdocs serve`` loads
the whole hub again on every rebuild, in the same process, when usually one file changed. At
3,000 articles parsing front matter and scanning bodies took 0.7 s of each rebuild.

A memo holds what the current and the previous load asked for; anything neither asked for is
dropped when the next load starts (:func:`next_load`), so an edited file's old text does not
stay in memory for the whole session. Results must not be changed by their callers: the next
caller with the same text receives the very same object.

Memos that only pay off across loads (``across_loads=True``: parsed YAML, which would keep
20 MB of documents alive through a 3,000-article build) remember nothing until the process
says it loads the hub again and again (:func:`remember_across_loads`, by ``mkdocs serve``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

R = TypeVar("R")


class TextMemo(Generic[R]):
    """``compute(text)``, remembered by text."""

    def __init__(self, compute: Callable[[str], R], *, across_loads: bool = False) -> None:
        self.compute = compute
        self.across_loads = across_loads
        self._current: dict[str, R] = {}
        self._previous: dict[str, R] = {}
        _MEMOS.append(self)

    def __call__(self, text: str) -> R:
        if self.across_loads and not _ACROSS_LOADS:
            return self.compute(text)
        if text in self._current:
            return self._current[text]
        result = self._previous.pop(text) if text in self._previous else self.compute(text)
        self._current[text] = result
        return result

    def next_load(self) -> None:
        """Keep what the load now ending asked for; drop what it did not."""
        self._previous = self._current
        self._current = {}


_MEMOS: list[TextMemo[Any]] = []
_ACROSS_LOADS = False


def remember_across_loads(remember: bool = True) -> None:
    """This process loads the hub again and again (``mkdocs serve``): every memo remembers."""
    global _ACROSS_LOADS
    _ACROSS_LOADS = remember


def remembers_across_loads() -> bool:
    return _ACROSS_LOADS


def next_load() -> None:
    """A new load of the hub starts: forget texts the last two loads did not ask about."""
    for memo in _MEMOS:
        memo.next_load()
