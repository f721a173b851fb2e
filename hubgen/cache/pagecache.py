"""Whole pages and feeds kept between builds, so a rebuild renders only what changed.

An entry is stored under its signature (see :mod:`hubgen.cache.signatures`): the page's final HTML,
the search-index entries and the sitemap data it gave. An article's body, which the feeds reuse,
is the render cache's entry (:mod:`hubgen.cache.rendercache`), not a second copy.
Output files are hard-linked between the site and the cache where the file system allows, so
keeping a page costs a link, not a copy; a file changed in place (a minifier run over the
site, say) no longer matches the size and modification time recorded for it, and is rendered
again rather than trusted.

Layout of one folder (each build mode has its own, since ``serve`` pages differ)::

    index.json                 {"hub": key, "pages": {src_uri: entry}, "feeds": {key: {fmt: stamp}}}
    pages/<k[:2]>/<k>.html     a page's HTML as written to the site
    feeds/<k[:2]>/<k>.<fmt>    one feed file
    blobs/<k[:2]>/<k>.txt      anything else slow to make (QR codes), by what it is made from
    blobs/<k[:2]>/<k>.png      social cards, by what they are drawn from
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from hubgen.core.atomicfile import replacing, replacing_bytes
from hubgen.core.files import link_or_copy

INDEX = "index.json"
FORMAT = 4
"""Bumped when the layout changes: an index of another format is ignored, not misread."""


@dataclass(frozen=True)
class PageEntry:
    key: str
    search: list[dict[str, Any]] = field(default_factory=list)
    """The search-index entries the page gave, in order."""
    sitemap: tuple[str, str | None] | None = None
    """``(loc, lastmod)``, lastmod None for "the build date"; None when left out of the sitemap."""
    stamp: tuple[int, int] = (0, 0)
    """(size, mtime_ns) of the kept HTML file when it was stored."""
    body_token: str = ""
    """An article page's :meth:`hubgen.cache.signatures.Signer.body_token` in its key: when
    nothing but bodies changed, the page is current if its own body's token is the same."""


def blob_file(folder: Path, key: str) -> Path:
    """Where the cache folder ``folder`` keeps the text blob ``key`` (before it is opened, too)."""
    return _blob_bucket(folder, key) / f"{key}.txt"


def _blob_bucket(folder: Path, key: str) -> Path:
    """The folder of the cache folder ``folder`` that holds blob ``key``, whatever its kind."""
    return folder / "blobs" / key[:2]


def _stat(path: str | Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _stamp(path: Path) -> tuple[int, int] | None:
    stat = _stat(path)
    return (stat.st_size, stat.st_mtime_ns) if stat is not None else None


class PageCache:
    """One build mode's cache folder: look pages and feeds up, keep new ones, drop stale ones."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pages_folder = str(folder / "pages")
        self._pages: dict[str, PageEntry] = {}
        self._feeds: dict[str, dict[str, tuple[int, int]]] = {}
        self._used_pages: dict[str, PageEntry] = {}
        self._used_feeds: dict[str, dict[str, tuple[int, int]]] = {}
        self._used_blobs: set[str] = set()
        self._changed = False
        self.hub: str | None = None
        """The signature of everything the previous build's pages were made from."""
        self.inodes: dict[str, int] = {}
        """Inode of each kept page's file looked up this build, by src_uri."""
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads((self.folder / INDEX).read_text("utf-8"))
            if data.get("format") != FORMAT:
                return
            self.hub = data["hub"]
            for uri, item in data["pages"].items():
                sitemap = item["sitemap"]
                self._pages[uri] = PageEntry(
                    item["key"],
                    item["search"],
                    (sitemap[0], sitemap[1]) if sitemap else None,
                    (item["stamp"][0], item["stamp"][1]),
                    item["body_token"],
                )
            self._feeds = {
                key: {fmt: (s[0], s[1]) for fmt, s in files.items()}
                for key, files in data["feeds"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            self._pages, self._feeds, self.hub = {}, {}, None  # absent or damaged: start empty

    # -- paths -----------------------------------------------------------------------------

    def page_path(self, key: str) -> str:
        # A string: looked up for each of thousands of kept pages, twice (three Path joins
        # each took ~15 ms a rebuild at 5,000 pages).
        return f"{self._pages_folder}{os.sep}{key[:2]}{os.sep}{key}.html"

    def feed_path(self, key: str, fmt: str) -> Path:
        return self.folder / "feeds" / key[:2] / f"{key}.{fmt}"

    # -- pages -----------------------------------------------------------------------------

    def page(self, src_uri: str, key: str) -> PageEntry | None:
        """The kept page for ``src_uri`` if it was stored under ``key`` and is intact."""
        entry = self._pages.get(src_uri)
        stat = _stat(self.page_path(key)) if entry is not None and entry.key == key else None
        if entry is None or stat is None or (stat.st_size, stat.st_mtime_ns) != entry.stamp:
            return None
        self.inodes[src_uri] = stat.st_ino
        self._used_pages[src_uri] = entry
        return entry

    def stored(self, src_uri: str) -> PageEntry | None:
        """The page as the previous build kept it (its file not checked yet: :meth:`page`)."""
        return self._pages.get(src_uri)

    def keep_page(self, src_uri: str, entry: PageEntry, written: Path) -> None:
        """Keep the page MkDocs wrote to ``written`` (the site's file) under ``entry.key``."""
        kept = Path(self.page_path(entry.key))
        link_or_copy(written, kept)
        stamp = _stamp(kept)
        if stamp is None:  # pragma: no cover - just written
            return
        self._used_pages[src_uri] = PageEntry(
            entry.key, entry.search, entry.sitemap, stamp, entry.body_token
        )
        self._changed = True

    # -- feeds -----------------------------------------------------------------------------

    def feed(self, key: str) -> dict[str, Path] | None:
        """The kept files of the feed stored under ``key``, by format, if all are intact."""
        files = self._feeds.get(key)
        if files is None:
            return None
        paths = {fmt: self.feed_path(key, fmt) for fmt in files}
        if any(_stamp(paths[fmt]) != stamp for fmt, stamp in files.items()):
            return None
        self._used_feeds[key] = files
        return paths

    def keep_feed(self, key: str, written: Mapping[str, Path]) -> None:
        """Keep the feed files just written to the site (``written``: format → path)."""
        stamps: dict[str, tuple[int, int]] = {}
        for fmt, path in written.items():
            kept = self.feed_path(key, fmt)
            link_or_copy(path, kept)
            stamp = _stamp(kept)
            if stamp is None:  # pragma: no cover - just written
                return
            stamps[fmt] = stamp
        self._used_feeds[key] = stamps
        self._changed = True

    # -- blobs -----------------------------------------------------------------------------

    def blob_path(self, key: str) -> Path:
        return blob_file(self.folder, key)

    def blob(self, key: str) -> str | None:
        try:
            text = self.blob_path(key).read_text("utf-8")
        except (OSError, ValueError):
            return None
        self._used_blobs.add(key)
        return text

    def keep_blob(self, key: str, text: str) -> None:
        with replacing(self.blob_path(key)) as stream:
            stream.write(text)
        self._used_blobs.add(key)

    def binary_blob_path(self, key: str, suffix: str) -> Path:
        """Where a binary blob (a social card's PNG) is kept, whether it is yet or not."""
        return _blob_bucket(self.folder, key) / f"{key}{suffix}"

    def binary_blob(self, key: str, suffix: str) -> Path | None:
        """A kept binary blob's file (a social card's PNG), marked used; None when not kept."""
        path = self.binary_blob_path(key, suffix)
        if not path.is_file():
            return None
        self._used_blobs.add(key)
        return path

    def kept_binary_blobs(self, keys: Iterable[str], suffix: str) -> dict[str, os.DirEntry[str]]:
        """Which of ``keys`` are kept binary blobs, each by its file's directory entry (its path
        and inode), marked used: a listing of each of their folders instead of file-system
        calls for each (3,000 cards: ~30 ms)."""
        listed: dict[str, dict[str, os.DirEntry[str]]] = {}
        kept = {}
        for key in keys:
            if (bucket := key[:2]) not in listed:
                listed[bucket] = _files_by_name(_blob_bucket(self.folder, key))
            if (entry := listed[bucket].get(f"{key}{suffix}")) is not None:
                kept[key] = entry
        self._used_blobs.update(kept)
        return kept

    def keep_binary_blob(self, key: str, suffix: str, data: bytes) -> Path:
        path = self.binary_blob_path(key, suffix)
        with replacing_bytes(path) as stream:
            stream.write(data)
        self._used_blobs.add(key)
        return path

    # -- end of build ----------------------------------------------------------------------

    def save(self, hub: str | None = None) -> None:
        """Write the index of what this build used and delete every file it did not use.

        ``hub``: the signature of what this build's pages were made from.
        """
        if (
            self._used_pages.keys() != self._pages.keys()
            or self._used_feeds != self._feeds
            or hub != self.hub
        ):
            self._changed = True
        self.hub = hub
        if self._changed:
            with replacing(self.folder / INDEX) as stream:
                self._write_index(stream, hub)
        self._prune()
        self._pages, self._feeds = dict(self._used_pages), dict(self._used_feeds)
        self._used_pages, self._used_feeds, self._changed = {}, {}, False
        self.inodes = {}
        self._used_blobs = set()

    def _write_index(self, stream: TextIO, hub: str | None) -> None:
        """The index as JSON, written a page at a time: it holds every page's search entries
        when Material's search is on (25 MB at 3,000 articles), and a string of it all plus its
        encoding were the peak of a build's memory. Each page's entry is encoded by the JSON
        module's C encoder (``json.dump`` streams through its Python one, ten times slower)."""
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        stream.write(f'{{"format":{FORMAT},"hub":{encode(hub)},"pages":{{')
        for number, (uri, e) in enumerate(self._used_pages.items()):
            entry = {
                "key": e.key,
                "search": e.search,
                "sitemap": list(e.sitemap) if e.sitemap else None,
                "stamp": list(e.stamp),
                "body_token": e.body_token,
            }
            stream.write(f"{',' if number else ''}{encode(uri)}:{encode(entry)}")
        feeds = {
            key: {fmt: list(s) for fmt, s in files.items()}
            for key, files in self._used_feeds.items()
        }
        stream.write(f'}},"feeds":{encode(feeds)}}}')

    def _prune(self) -> None:
        pages = {e.key for e in self._used_pages.values()}
        folders = (("pages", pages), ("feeds", self._used_feeds), ("blobs", self._used_blobs))
        shutil.rmtree(self.folder / "bodies", ignore_errors=True)  # kept there before format 4
        for folder, keep in folders:
            for entry in _files(self.folder / folder):
                if entry.name.split(".", 1)[0] not in keep:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)


def _files_by_name(folder: Path) -> dict[str, os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return {entry.name: entry for entry in entries if entry.is_file()}
    except OSError:  # not made yet
        return {}


def _files(folder: Path) -> Iterator[os.DirEntry[str]]:
    """The files in ``folder``'s buckets, as directory entries: a rebuild walks ~10,000 of them
    at 3,000 articles, and a Path object for each was half the walk."""
    if not folder.is_dir():
        return
    for bucket in os.scandir(folder):
        if bucket.is_dir():
            with os.scandir(bucket.path) as items:
                yield from (item for item in items if item.is_file())
