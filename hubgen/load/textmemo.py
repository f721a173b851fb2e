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

Between builds, each a process of its own, the memos given a :class:`Kept` keep their results
in a file of the cache folder (:func:`kept_between_builds`), by a digest of the text: parsing
the front matter and counting the words of 3,000 articles took 0.45 s of every rebuild, more
than a tenth of a rebuild after one edit. Kept data is plain data (tuples, lists, dicts,
strings, numbers) written by :mod:`marshal`, which reads 3.5 MB of it in a tenth of the time
JSON takes, and runs nothing (no pickle): a damaged or foreign file is computed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from hubgen.core.atomicfile import replacing_bytes

R = TypeVar("R")


@dataclass(frozen=True)
class Kept(Generic[R]):
    """How a memo's results are kept between builds: under ``name``, as plain data (tuples,
    lists, dicts, strings, numbers, None) that ``decode(encode(result))`` gives back equal."""

    name: str
    encode: Callable[[R], Any]
    decode: Callable[[Any], R]


def kept_plain(name: str, kind: type[R]) -> Kept[R]:
    """Kept as it is: a number or a string (``kind``), checked when read back."""

    def decode(data: Any) -> R:
        if type(data) is not kind:
            raise TypeError(f"expected {kind.__name__}")
        return data

    return Kept(name, lambda result: result, decode)


class TextMemo(Generic[R]):
    """``compute(text)``, remembered by text."""

    def __init__(
        self,
        compute: Callable[[str], R],
        *,
        across_loads: bool = False,
        kept: Kept[R] | None = None,
    ) -> None:
        self.compute = compute
        self.across_loads = across_loads
        self.kept = kept
        self._current: dict[str, R] = {}
        self._previous: dict[str, R] = {}
        _MEMOS.append(self)

    def __call__(self, text: str) -> R:
        if self.across_loads and not _ACROSS_LOADS:
            return self._computed(text)
        if text in self._current:
            return self._current[text]
        result = self._previous.pop(text) if text in self._previous else self._computed(text)
        self._current[text] = result
        return result

    def _computed(self, text: str) -> R:
        if self.kept is None or _STORE is None:
            return self.compute(text)
        return _STORE.result(self.kept, text, self.compute)

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


class _Store:
    """The kept results found at the start of a load, and those the load asked for."""

    def __init__(self, found: dict[str, dict[str, Any]]) -> None:
        self.found = found
        self.used: dict[str, dict[str, Any]] = {}
        self._digests: dict[str, str] = {}
        """By text: several memos ask about the same body."""

    def result(self, kept: Kept[R], text: str, compute: Callable[[str], R]) -> R:
        digest = self._digests.get(text)
        if digest is None:
            digest = self._digests[text] = hashlib.blake2b(
                text.encode("utf-8", "surrogatepass"), digest_size=16
            ).hexdigest()
        used = self.used.setdefault(kept.name, {})
        data = used.get(digest, _MISSING)
        if data is _MISSING:
            data = self.found.get(kept.name, {}).get(digest, _MISSING)
        if data is not _MISSING:
            with contextlib.suppress(TypeError, ValueError, KeyError, IndexError, AttributeError):
                result = kept.decode(data)
                used[digest] = data
                return result
        result = compute(text)
        used[digest] = kept.encode(result)
        return result


_MISSING = object()
_STORE: _Store | None = None
_FORMAT = 1


@contextlib.contextmanager
def kept_between_builds(path: Path | None, salt: str) -> Iterator[None]:
    """Within the block, memos with a :class:`Kept` take their results from ``path`` (written
    by the last build with the same ``salt``: hubgen's code, the YAML parser's version) and
    keep there what this load asked for, and nothing else. ``path`` None: the cache is off,
    nothing is kept."""
    global _STORE
    if path is None:
        yield
        return
    found: dict[str, dict[str, Any]] = {}
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError, KeyError, AttributeError):
        data = marshal.loads(path.read_bytes())
        if data.get("format") == _FORMAT and data.get("salt") == salt:
            found = dict(data["memos"])
    store = _STORE = _Store(found)
    try:
        yield
    finally:
        _STORE = None
    if store.used != found:
        data = {"format": _FORMAT, "salt": salt, "memos": store.used}
        # A read-only cache: computed again next time.
        with contextlib.suppress(OSError), replacing_bytes(path) as stream:
            stream.write(marshal.dumps(data))
