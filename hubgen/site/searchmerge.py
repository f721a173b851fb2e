"""One Pagefind index made of the indexes of its parts (:mod:`hubgen.site.searchparts`).

A big hub's index is built part by part, so Pagefind's memory is bounded by a part, then the
parts are merged here into the index Pagefind would have written for all their pages at once:
the same words, pages, locations and filters, chunked by Pagefind's own rule. A visitor's
query therefore costs what it costs with one index (a handful of chunks), whatever the number
of parts, and ranks pages with the whole hub's statistics.

Each part's words are prepared once, as CBOR bytes per word (:func:`_prepared`), and kept
beside its bundle: merging after an edit decodes only the part indexed again, and assembles
the chunks from bytes. The merge holds the prepared parts (about the index's size, 11 MB at
3,000 articles, against the 250 KB per page Pagefind holds).

The format is Pagefind 1.5's (``pagefind/src/index`` in its source): every index file is
gzip of ``pagefind_dcd`` followed by CBOR.

- ``pagefind.<hash>.pf_meta``: ``[version, pages, chunks, filters, sorts, meta_fields]`` with
  pages ``[hash, word_count]`` (a page's number is its position here), chunks
  ``[from, to, hash]`` and filters ``[name, hash]``;
- ``index/<hash>.pf_index``: ``[words]``, a word ``[word, pages, variants]``, a page
  ``[page number, locations, meta locations]`` with page numbers delta-encoded in each list, a
  variant ``[form, pages]``; meta locations name their field by its position in meta_fields;
- ``filter/<hash>.pf_filter``: ``[name, [[value, [page numbers]], ...]]``;
- ``fragment/<page hash>.pf_fragment``: one page's text and metadata (copied as it is).

A format this does not know (another Pagefind version, a sort) is refused with
:class:`MergeError`, never guessed at.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from itertools import pairwise
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO, cast

import cbor2
from zlib_ng import zlib_ng

from hubgen.core.atomicfile import replacing_bytes
from hubgen.core.files import link_or_copy, moved_aside

PREFIX = b"pagefind_dcd"
FORMAT_VERSIONS = ("1.5.",)
"""Pagefind versions whose index format this module writes."""
CHUNK_SIZE = 20_000
"""Pagefind's index chunk size (locations per chunk, its ``default_index_chunk_size``)."""
ENTRY = "pagefind-entry.json"
_GZIP = 16 + 15
"""zlib's ``wbits`` for a gzip stream with a 32 KB window."""
_ZLIB_ERROR = cast("type[Exception]", zlib_ng.error)  # its stub types the class as an instance

Page = list[Any]
"""``[page number, locations, meta locations]``."""


class MergeError(Exception):
    """The parts are not Pagefind indexes this module can merge."""


@dataclass(frozen=True)
class _Part:
    folder: Path
    meta: list[Any]
    meta_hash: str
    """Names this part's index (Pagefind's hash of its metadata)."""
    offset: int
    fields: tuple[int, ...]
    """This part's meta field numbers in the merged list, by this part's numbers."""


def _read(path: Path) -> Any:
    try:
        data = zlib_ng.decompress(path.read_bytes(), wbits=_GZIP)
    except _ZLIB_ERROR as error:
        raise MergeError(f"{path} is not a whole gzip file: {error}") from None
    if not data.startswith(PREFIX):
        raise MergeError(f"{path} is not a Pagefind index file")
    return cbor2.loads(data[len(PREFIX) :])


class _Writer:
    """Index files named like Pagefind's: ``<language>_<hash>``, longer when two collide.

    Compressing is most of writing a merged index, and zlib lets other threads run while it
    works: files are compressed and written by a few threads while the merge goes on, and
    :meth:`close` waits for them (raising the first error)."""

    def __init__(self, folder: Path, language: str, previous: Path | None = None) -> None:
        self.folder = folder
        self.language = language
        self.taken: set[str] = set()
        self.digests: dict[str, str] = {}
        """Each file written, by its path in the index, with the SHA-256 of its content."""
        self._previous = previous
        self._previous_digests = _digests(previous) if previous is not None else {}
        self._pool = ThreadPoolExecutor(max(1, min(4, os.cpu_count() or 1)))
        self._writes: list[Future[None]] = []

    def write(self, kind: str, suffix: str, value: Any) -> str:
        return self.write_raw(kind, suffix, cbor2.dumps(value))

    def write_raw(self, kind: str, suffix: str, raw: bytes) -> str:
        digest = hashlib.sha256(raw).hexdigest()
        length = 7
        while (name := f"{self.language}_{digest[:length]}") in self.taken:
            length += 1
        self.taken.add(name)
        relative = f"{kind}/{name}{suffix}"
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        self.digests[relative] = digest
        if self._previous is not None and self._previous_digests.get(relative) == digest:
            # The previous merge wrote these very bytes: an edit changes a few chunks, not all.
            with suppress(OSError):
                link_or_copy(self._previous / relative, target)
                return name
        self._writes.append(self._pool.submit(_store, target, raw))
        return name

    def close(self) -> None:
        try:
            for write in self._writes:
                write.result()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._writes = []


def _store(target: Path, raw: bytes) -> None:
    target.write_bytes(_gzipped(PREFIX + raw))


def _gzipped(raw: bytes) -> bytes:
    """``raw`` as a gzip file (no name, no time: the same bytes every time), by zlib-ng: 3-4
    times faster than the standard zlib at the same level, and the merge is what a cold build
    waits for last."""
    return zlib_ng.compress(raw, 6, wbits=_GZIP)


def _digests_file(folder: Path) -> Path:
    """Beside the index, not in it: an index folder is published whole."""
    return folder.with_name(f"{folder.name}.digests")


def _digests(folder: Path) -> dict[str, str]:
    """The files of the merged index in ``folder`` by their content's SHA-256 ({} if unknown)."""
    try:
        found = json.loads(_digests_file(folder).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _language(entry: dict[str, Any], folder: Path) -> str | None:
    languages = entry.get("languages") or {}
    if len(languages) > 1:
        raise MergeError(f"{folder}: one language per part, found {sorted(languages)}")
    return next(iter(languages), None)


def _load_parts(folders: list[Path]) -> tuple[list[_Part], list[str], str, dict[str, Any]]:
    """The parts with pages, the merged meta field names, the language, the first entry."""
    loaded: list[tuple[Path, list[Any], dict[str, Any], str]] = []
    language = ""
    for folder in folders:
        entry = json.loads((folder / ENTRY).read_text("utf-8"))
        found = _language(entry, folder)
        if found is None:  # a part without pages
            continue
        if language and found != language:
            raise MergeError(f"{folder}: language {found!r}, other parts are {language!r}")
        language = found
        meta_hash = str(entry["languages"][found]["hash"])
        meta = _read(folder / f"pagefind.{meta_hash}.pf_meta")
        if not (
            isinstance(meta, list) and len(meta) == 6 and str(meta[0]).startswith(FORMAT_VERSIONS)
        ):
            raise MergeError(f"{folder}: an index format hubgen does not know ({meta[0]!r})")
        if meta[4]:
            raise MergeError(f"{folder}: sorted indexes (data-pagefind-sort) are not merged")
        loaded.append((folder, meta, entry, meta_hash))
    if not loaded:
        raise MergeError("no part has any page")
    fields = sorted({str(name) for _, meta, _, _ in loaded for name in meta[5]})
    parts: list[_Part] = []
    offset = 0
    for folder, meta, _, meta_hash in loaded:
        numbers = tuple(fields.index(str(name)) for name in meta[5])
        parts.append(_Part(folder, meta, meta_hash, offset, numbers))
        offset += len(meta[1])
    return parts, fields, language, loaded[0][2]


def _remap_meta_locations(locations: list[int], fields: tuple[int, ...]) -> list[int]:
    # A negative value -(n + 1) switches to meta field n; the positions after it are its own.
    return [-(fields[-value - 1] + 1) if value < 0 else value for value in locations]


# -- words, encoded once per part ---------------------------------------------------------------
#
# A merged chunk is assembled from CBOR bytes, not re-encoded value by value: a part's pages for
# a word stay as the part's index wrote them, except the first page's number, which the merge
# rewrites (page numbers are delta-encoded, so only each run's first one depends on where the
# run lands). A part's words are prepared once (decoded, split into those bytes) and kept beside
# its bundle, so merging after an edit prepares only the part that was indexed again.


def _head(kind: int, value: int) -> bytes:
    """A CBOR item head: major type ``kind`` with ``value`` (an unsigned integer, an array's
    length, a string's length), in the shortest form, as minicbor and cbor2 write it."""
    if value < 24:
        return bytes([kind << 5 | value])
    for size, marker in ((1, 24), (2, 25), (4, 26), (8, 27)):
        if value < 1 << (8 * size):
            return bytes([kind << 5 | marker]) + value.to_bytes(size, "big")
    raise MergeError(f"a number too large for the index: {value}")


def _text(value: str) -> bytes:
    data = value.encode("utf-8")
    return _head(3, len(data)) + data


Run = tuple[int, int, int, bytes, bytes, int]
"""One part's pages for one word: (pages, first page's number in the part, last page's number
in the part, the first page's locations and meta locations as CBOR, the other pages as CBOR,
what it adds to a chunk by Pagefind's count). Tuples, so that :mod:`marshal` keeps them."""

Prepared = list[tuple[str, Run | None, list[tuple[str, Run]]]]
"""A part's words in order: the word, its pages (None: only its variants have pages), and its
variants (other diacritics) by form."""

_RUNS_FORMAT = 1


def _run(pages: list[Page]) -> Run | None:
    if not pages:
        return None
    first, locations, meta_locations = pages[0]
    tail = cbor2.dumps(pages[1:])
    counted = sum(map(len, map(itemgetter(1), pages))) + sum(map(len, map(itemgetter(2), pages)))
    return (
        len(pages),
        first,
        sum(map(itemgetter(0), pages)),
        cbor2.dumps(locations) + cbor2.dumps(meta_locations),
        tail[len(_head(4, len(pages) - 1)) :],
        len(pages) + counted,
    )


def _remap_pages(pages: list[Page], fields: tuple[int, ...]) -> list[Page]:
    return [[n, locations, _remap_meta_locations(meta, fields)] for n, locations, meta in pages]


def _prepare(part: _Part) -> Prepared:
    """Decode ``part``'s chunks into runs (its meta field numbers made the merged index's)."""
    remap = part.fields != tuple(range(len(part.fields)))
    prepared: Prepared = []
    for _from, _to, name in part.meta[2]:
        (words,) = _read(part.folder / "index" / f"{name}.pf_index")
        for word, pages, variants in words:
            if remap:
                pages = _remap_pages(pages, part.fields)
                variants = [[form, _remap_pages(found, part.fields)] for form, found in variants]
            forms = [(form, _run(found)) for form, found in variants]
            prepared.append((word, _run(pages), [(f, r) for f, r in forms if r is not None]))
    return prepared


def _prepared(part: _Part) -> Prepared:
    """``part``'s prepared words, from beside its bundle when they were prepared for this index
    and this numbering of meta fields, else prepared now and kept there."""
    kept = part.folder.with_name(part.folder.name + ".runs")
    stamp = (_RUNS_FORMAT, part.meta_hash, part.fields)
    try:
        found_stamp, words = marshal.loads(kept.read_bytes())
        if found_stamp == stamp:
            return cast(Prepared, words)
    except (OSError, ValueError, EOFError, TypeError):
        pass  # not prepared yet, or by another Python: prepared again
    words = _prepare(part)
    # A read-only cache: prepared again next time.
    with suppress(OSError), replacing_bytes(kept) as stream:
        stream.write(marshal.dumps((stamp, words)))
    return words


def prepare(folder: Path) -> None:
    """Prepare the words of the part bundle ``folder`` ahead of a merge, while other parts are
    being indexed. Its meta fields are numbered as if it were merged with parts that have the
    same fields (the usual case); a merge that numbers them otherwise prepares them again."""
    parts, _fields, _language, _entry = _load_parts([folder])
    _prepared(parts[0])


def prepare_each(requests: TextIO, answers: TextIO) -> None:
    """:func:`prepare` each bundle named (a JSON string) on a line of ``requests``, answering a
    line on ``answers`` once it is done, until ``requests`` ends: one process for a build's
    parts (:mod:`hubgen.mkdocs_adapter.searchprepare`). A bundle that fails to prepare is
    answered all the same and left as it is: the merge prepares it again and says what is
    wrong."""
    for line in requests:
        with suppress(Exception):
            prepare(Path(json.loads(line)))
        answers.write("\n")
        answers.flush()


def _pages_bytes(runs: list[tuple[int, Run]]) -> bytes:
    """The CBOR page list of ``runs`` (each with its part's offset), as one delta-encoded list."""
    pieces: list[bytes] = []
    last = count = 0
    for offset, (pages, first, final, head, tail, _size) in runs:
        pieces += (b"\x83", _head(0, offset + first - last), head, tail)
        last = offset + final
        count += pages
    return _head(4, count) + b"".join(pieces)


Word = tuple[str, list[tuple[int, Run]], dict[str, list[tuple[int, Run]]]]
"""A word of the merged index: its runs of pages and its variants' runs, with their offsets."""


def _merged_words(parts: list[_Part]) -> list[Word]:
    """Every word once, in order, its pages from every part (parts are in page-number order).

    Gathered in a dict and sorted once: the hub's words recur in every part (2,700 words,
    34,000 entries in 64 parts at 3,000 articles), and a heap merge of the parts' sorted lists
    compared them one by one in Python, twice as long. Python orders strings by code point, as
    Pagefind orders its words (Rust's byte order of UTF-8 is the same order)."""
    words: dict[str, Word] = {}
    for part in parts:
        offset = part.offset
        for text, run, variants in _prepared(part):
            word = words.get(text)
            if word is None:
                word = words[text] = (text, [], {})
            if run is not None:
                word[1].append((offset, run))
            for form, found in variants:
                word[2].setdefault(form, []).append((offset, found))
    return [words[text] for text in sorted(words)]


def _word_bytes(word: Word) -> bytes:
    text, runs, variants = word
    forms = [b"\x82" + _text(form) + _pages_bytes(found) for form, found in variants.items()]
    return b"\x83" + _text(text) + _pages_bytes(runs) + _head(4, len(forms)) + b"".join(forms)


def _prefixes(a: str, b: str) -> tuple[str, str]:
    common = 0
    for x, y in zip(b, a, strict=False):
        if x != y:
            break
        common += 1
    return a[: common + 1], b[: common + 1]


def _chunk_ranges(bounds: list[list[str]]) -> None:
    """Pagefind's chunk_meta: neighbouring chunks' bounds cut to their shortest distinct
    prefixes (the browser loads the chunks whose range holds a query's word)."""
    for first, second in pairwise(bounds):
        to, following = _prefixes(first[1], second[0])
        if to >= first[0]:
            first[1] = to
        second[0] = following


def _write_chunks(parts: list[_Part], writer: _Writer) -> list[list[str]]:
    chunks: list[list[str]] = []
    words: list[Word] = []
    size = 0

    def flush() -> None:
        raw = b"\x81" + _head(4, len(words)) + b"".join(map(_word_bytes, words))
        name = writer.write_raw("index", ".pf_index", raw)
        chunks.append([words[0][0], words[-1][0], name])

    for word in _merged_words(parts):
        size += sum(run[5] for _, run in word[1])
        words.append(word)
        if size >= CHUNK_SIZE:
            flush()
            words, size = [], 0
    if words:
        flush()
    _chunk_ranges(chunks)
    return chunks


def _write_filters(parts: list[_Part], writer: _Writer) -> list[list[str]]:
    values: dict[str, dict[str, list[int]]] = {}
    for part in parts:
        for _name, file in part.meta[3]:
            name, found = _read(part.folder / "filter" / f"{file}.pf_filter")
            merged = values.setdefault(name, {})
            for value, pages in found:
                merged.setdefault(value, []).extend(part.offset + page for page in pages)
    return [
        [name, writer.write("filter", ".pf_filter", [name, sorted(found.items())])]
        for name, found in sorted(values.items())
    ]


def _pages(parts: list[_Part], target: Path, previous: Path | None) -> list[list[Any]]:
    """Every part's pages in order, their fragments linked in; a fragment name two parts gave
    to different pages (Pagefind's short hashes collide across separate runs) is lengthened.
    The previous merge's fragments are moved over whole and only the changed ones linked: an
    edit changes a few of them, and linking thousands is a tenth of a second."""
    folder = target / "fragment"
    have: dict[str, int] = {}
    if previous is not None and (previous / "fragment").is_dir():
        os.rename(previous / "fragment", folder)
        have = {entry.name: entry.inode() for entry in os.scandir(folder)}
    folder.mkdir(exist_ok=True)
    pages: list[list[Any]] = []
    # Each name's fragment as (folder, file): a Path for each of 3,100 pages was a third of
    # the merge after an edit, and is made only to read or link one.
    seen: dict[str, tuple[Path, str]] = {}
    for index, part in enumerate(parts):
        fragments = part.folder / "fragment"
        inodes = {entry.name: entry.inode() for entry in os.scandir(fragments)}
        for name, word_count in part.meta[1]:
            file = f"{name}.pf_fragment"
            unique, attempt = name, 0
            while unique in seen and _bytes(*seen[unique]) != _bytes(fragments, file):
                attempt += 1
                unique = f"{name}p{index}n{attempt}"
            if unique not in seen:
                seen[unique] = (fragments, file)
                kept = f"{unique}.pf_fragment"
                inode = inodes.get(file)  # None: missing, and linking it says so
                if inode is None or have.pop(kept, None) != inode:
                    link_or_copy(fragments / file, folder / kept)  # replacing another page's
            pages.append([unique, word_count])
    for stale in have:  # fragments of pages no part has any more
        (folder / stale).unlink()
    return pages


def _bytes(folder: Path, name: str) -> bytes:
    return (folder / name).read_bytes()


def merge(folders: list[Path], target: Path) -> int:
    """Write into the folder ``target`` the index of every page of the Pagefind bundles
    ``folders``, with Pagefind's scripts; returns the number of pages.

    What ``target`` held is replaced; an index this function merged there before lends the
    files whose content is the same (linked, not compressed again: an edit changes a few
    chunks, not all of them)."""
    parts, fields, language, entry = _load_parts(folders)
    previous = _set_aside(target)
    try:
        target.mkdir(parents=True)
        return _merge(parts, fields, language, entry, target, previous)
    finally:
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
            _digests_file(previous).unlink(missing_ok=True)


def _set_aside(target: Path) -> Path | None:
    """Move an earlier merge out of ``target`` (with its digests); None when there is none."""
    _digests_file(target.with_name(f"{target.name}.previous")).unlink(missing_ok=True)
    aside = moved_aside(target)
    if aside is not None:
        with suppress(OSError):  # a merge cut short wrote none: nothing of it is reused
            _digests_file(target).rename(_digests_file(aside))
    return aside


def _merge(
    parts: list[_Part],
    fields: list[str],
    language: str,
    entry: dict[str, Any],
    target: Path,
    previous: Path | None,
) -> int:
    writer = _Writer(target, language, previous)
    try:
        pages = _pages(parts, target, previous)
        chunks = _write_chunks(parts, writer)
        filters = _write_filters(parts, writer)
    finally:
        writer.close()
    meta = [parts[0].meta[0], pages, chunks, filters, [], fields]
    raw = cbor2.dumps(meta)
    meta_hash = f"{language}_{hashlib.sha256(raw).hexdigest()[: len(language) + 8]}"
    (target / f"pagefind.{meta_hash}.pf_meta").write_bytes(_gzipped(PREFIX + raw))
    # Pagefind's scripts and WebAssembly (every part has the same).
    for script in parts[0].folder.iterdir():
        if script.is_file() and script.name != ENTRY and script.suffix != ".pf_meta":
            link_or_copy(script, target / script.name)
    # The entry last: a merge cut short leaves no entry, so it is never taken for a whole one.
    entry = dict(entry)
    described = dict(entry["languages"][language])
    described.update(hash=meta_hash, page_count=len(pages))
    entry["languages"] = {language: described}
    (target / ENTRY).write_text(json.dumps(entry, separators=(",", ":"), ensure_ascii=False))
    _digests_file(target).write_text(json.dumps(writer.digests, sort_keys=True), "utf-8")
    return len(pages)
