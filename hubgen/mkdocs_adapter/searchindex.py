"""The site search: a static, chunked Pagefind index fed by the build as it writes each page.

Material's search ships one JSON file of every page's text, which a visitor downloads whole
before the first result. Pagefind splits the index into chunks and fragments, so a query loads
a few hundred kilobytes at 10,000 articles, and only once the visitor focuses the search box
(``themes/hubgen/assets/hubgen/search.js``).

How it is fed: each page, once written (``on_post_page``), gives a record
(:mod:`hubgen.site.searchrecords`), made into a small HTML document and held in memory until its
part is handed to the indexing thread, then kept between builds in the cache folder's store
(``<cache_dir>/search-build/documents.sqlite``, :mod:`hubgen.cache.searchstore`) with its digest.
Pages the page cache keeps are not rendered, and keep the document stored when they were: a
kept page's inputs are unchanged, and so is its record.

Before the page loop the pages are cut into parts of about ``search_pages_per_part``, runs of
pages in the order they are written (:mod:`hubgen.site.searchparts`): Pagefind holds every page
it indexes in memory (about a quarter of a megabyte each), so each part is an index of its own,
made by one Pagefind service process that is given the documents as text
(:mod:`hubgen.mkdocs_adapter.pagefindservice`; no file per page, no process per part). A part
is indexed as soon as its last page is written, by a thread that waits for Pagefind (and then for
the process that prepares the parts' words for the merge), so the parts are indexed on another
core while the later pages render; until 2026-12-04 every part waited for the end of the page
loop, 15 s of a 3,000-article build.

A hub of several parts gets them merged into the one index Pagefind would have written for all
the pages (:mod:`hubgen.site.searchmerge`), so visitors download what one index costs. Each
part's bundle and the merged one are kept between builds: a rebuild with nothing changed links
them into ``site/pagefind/`` again, and an edited article re-indexes its own part and merges
again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import json
import logging
import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from hubgen.cache.reuse import KeptPage
from hubgen.cache.searchstore import SearchStore, StoreDamaged
from hubgen.core import urls
from hubgen.core.files import link_or_copy, moved_aside
from hubgen.core.models import Article
from hubgen.mkdocs_adapter.pagefindservice import IndexerFailed, PagefindService
from hubgen.mkdocs_adapter.searchprepare import Preparer
from hubgen.site.catalog import Catalog
from hubgen.site.pagedata import PageKind, PartnerPageData
from hubgen.site.pages import NOINDEX_KINDS, PageSpec
from hubgen.site.searchmerge import MergeError, merge
from hubgen.site.searchparts import PAGES_PER_PART, cut
from hubgen.site.searchrecords import (
    SearchRecord,
    article_record,
    is_indexed,
    page_record,
    partner_record,
    record_document,
)

log = logging.getLogger("mkdocs.plugins.hubgen")

STORE = "documents.sqlite"
BEFORE_THE_STORE = ("records", "manifest.json", "part-input")
"""What builds before the store kept (a file per document, their digests, Pagefind's input)."""
MATERIAL_SEARCH = ("material/search", "search")

Job = tuple[int, dict[str, str] | None, str]
"""A part for the indexing thread: its number, its pages (path → digest of the document
stored; None: drop its bundle) and its key."""


HELPER_BACKLOG = 2
"""Parts still to index when the page loop ends for which a second Pagefind process is started
beside the first: the one process, at a lower priority than the pages, falls behind a cold build
by a few parts (1.5 s of indexing at 3,000 articles), which then kept one core idle."""


def page_search_record(
    catalog: Catalog, page: Page, article: Article | None, spec: PageSpec | None
) -> SearchRecord | None:
    """The record of a page just written, or None when it stays out of the index."""
    meta = page.meta or {}
    body = page.content or ""
    if article is not None:
        published = catalog.status(article) is None  # drafts show under serve, never in search
        return (
            article_record(catalog, article, body)
            if is_indexed(meta, published=published)
            else None
        )
    if spec is not None:
        if not spec.searchable or spec.kind in NOINDEX_KINDS:
            return None
        if spec.kind is PageKind.PARTNER and isinstance(spec.data, PartnerPageData):
            return partner_record(catalog, spec.data.partner, body)
        return page_record(spec.url, spec.title, body, spec.description)
    if page.file.src_uri.endswith(".md") and is_indexed(meta):
        description = meta.get("description")
        return page_record(page.url, page.title or "", body, str(description or ""))
    return None


def disable_material_search(config: MkDocsConfig) -> bool:
    """Switch Material's search plugin off if the hub lists it (True then): it would still read
    every page and write ``search/search_index.json``, and its header box would be a second one."""
    for name in MATERIAL_SEARCH:
        plugin = config.plugins.get(name)
        if plugin is not None and type(plugin).__module__.startswith("material."):
            enabled = bool(plugin.config.get("enabled", True))
            plugin.config["enabled"] = False
            return enabled
    return False


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@functools.cache  # read from the package's metadata: a few milliseconds, for each part's key
def pagefind_version() -> str:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:  # pragma: no cover - a dependency of hubgen
        return ""


class SearchIndex:
    """One build's search records, the staged folder and the Pagefind bundle's parts."""

    def __init__(self) -> None:
        self.enabled = False
        self._folder: Path | None = None
        self._temporary = False
        self._language = "en"
        self._pages_per_part = PAGES_PER_PART
        self._store: SearchStore | None = None
        self._stored: dict[str, str] = {}
        """The previous build's pages: page path → its document's digest ("": not indexed)."""
        self._pending: dict[str, str] = {}
        """Documents written this build and not stored yet, by page path: the store takes a
        part's when it is handed to the indexing thread."""
        self._seen: dict[str, str | None] = {}
        """This build's pages: page path → digest of its document, None when not indexed."""
        self._keys: list[str] = []
        """This build's parts' keys."""
        self._filled: list[int] = []
        """This build's parts that have pages."""
        self._parts: list[list[str]] = []
        """This build's parts: the paths of their pages (indexed or not), in build order."""
        self._part_of: dict[str, int] = {}
        self._waiting: list[set[str]] = []
        """Each part's pages the page loop has yet to write."""
        self._streamed: dict[int, str] = {}
        """Parts given to the indexing thread during the page loop, with their keys then."""
        self._missing = 0
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        """The indexing threads: one from the plan, and a second for a backlog at the end."""
        self._merging = False
        self._lock = threading.Lock()
        self._failure: BaseException | None = None
        self._completed = False
        """The page loop is over: :meth:`complete` queued the last parts."""
        self._handed = 0
        """Parts handed to the indexing threads this build (counted by the build's thread)."""
        self._taken = 0
        """Parts the indexing threads have started on (counted under ``_lock``)."""

    def bundle(self, part: int) -> Path:
        """Where part ``part``'s Pagefind bundle is kept between builds."""
        assert self._folder is not None
        return self._folder / "bundles" / str(part)

    def open(
        self, folder: Path | None, *, language: str, pages_per_part: int = PAGES_PER_PART
    ) -> None:
        """Start a build; ``folder`` keeps the staged records and bundles between builds (None:
        the cache is off, a temporary folder is used)."""
        self.close()
        self.enabled = True
        self._language = language or "en"
        self._pages_per_part = pages_per_part
        self._temporary = folder is None
        self._folder = Path(tempfile.mkdtemp(prefix="hubgen-search-")) if folder is None else folder
        self._seen, self._pending = {}, {}
        self._parts, self._part_of, self._waiting, self._streamed = [], {}, [], {}
        self._store = SearchStore(self._folder / STORE)
        try:
            self._stored = self._store.digests()
        except StoreDamaged:
            self._stored = {}
        if not self._stored:  # no store to tell which bundles were made from what
            # "bundle": before the index had parts.
            for stale in ("bundles", "bundle", *BEFORE_THE_STORE):
                with contextlib.suppress(OSError):
                    (self._folder / stale).unlink()  # a file, or
                shutil.rmtree(self._folder / stale, ignore_errors=True)  # a folder

    def written(self, page: Page, record: SearchRecord | None) -> None:
        """After a page is written: hold its document (when it changed) for the store, or note
        the page is left out."""
        if not self.enabled:
            return
        dest = page.file.dest_uri
        digest = None
        if record is not None:
            document = record_document(record, self._language)
            digest = _digest(document)
            if self._stored.get(dest) != digest:
                self._pending[dest] = document
        self._seen[dest] = digest
        if (index := self._part_of.get(dest)) is not None and dest in self._waiting[index]:
            self._waiting[index].discard(dest)
            if not self._waiting[index]:
                self._part_written(index)

    def plan(self, files: Iterable[File], renders: Callable[[File], bool]) -> None:
        """Before the page loop: cut the pages into parts in the order they are written, and
        index each part once its last page is written, while the later pages render.

        ``renders``: whether the page loop renders a page (not kept, not a draft left out).
        A page it renders after all only delays its part to :meth:`complete`."""
        if not self.enabled:
            return
        pages = [f for f in files if isinstance(f, KeptPage) or f.is_documentation_page()]
        self._parts = cut(dict.fromkeys(f.dest_uri for f in pages), self._pages_per_part)
        self._part_of = {dest: index for index, part in enumerate(self._parts) for dest in part}
        rendered = {f.dest_uri for f in pages if not isinstance(f, KeptPage) and renders(f)}
        self._waiting = [{dest for dest in part if dest in rendered} for part in self._parts]
        self._streamed = {}
        self._start_indexing(merging=len(self._parts) > 1)
        for index, waiting in enumerate(self._waiting):
            if not waiting:
                self._part_written(index)

    def _part_written(self, index: int) -> None:
        """Every page of part ``index`` is written: index it now if it changed."""
        pages = self._part_pages(index)
        key = self._part_key(index, pages)
        if pages and self._changed(index, key):
            log.debug(f"hubgen: search: part {index} indexed while the pages render")
            self._streamed[index] = key
            self._index(index, pages, key)

    def _part_pages(self, index: int) -> dict[str, str]:
        """The indexed pages of part ``index``: page path → its document's digest (pages not
        written this build keep the document staged before)."""
        pages = {}
        for dest in self._parts[index]:
            digest = self._seen[dest] if dest in self._seen else self._stored.get(dest)
            if digest:
                pages[dest] = digest
        return pages

    def _changed(self, index: int, key: str) -> bool:
        """Whether part ``index``'s kept bundle was indexed from other pages than ``key`` says."""
        return _kept_key(self.bundle(index)) != key

    def complete(self, files: Iterable[File]) -> None:
        """After every page: keep kept pages' documents, drop the rest, and index the parts
        not indexed yet (or indexed before a page of theirs changed). Pagefind runs in
        processes of its own, from a thread that waits for them, while the build writes its
        feeds; :meth:`finish` completes."""
        if not self.enabled:
            return
        self._missing = 0
        files = list(files)
        for file in files:
            kept = isinstance(file, KeptPage)
            # Pages not rendered this build: kept by the page cache, or skipped by `--dirty`.
            if (kept or file.is_documentation_page()) and file.dest_uri not in self._seen:
                stored = self._stored.get(file.dest_uri)
                self._missing += kept and stored is None
                self._seen[file.dest_uri] = stored or None
        if not self._threads:  # no plan (the page loop never started)
            self.plan(files, lambda _file: False)
        parts = [self._part_pages(index) for index in range(len(self._parts))]
        self._keys = [self._part_key(index, part) for index, part in enumerate(parts)]
        self._filled = [index for index, part in enumerate(parts) if part]
        for index, (part, key) in enumerate(zip(parts, self._keys, strict=True)):
            streamed = self._streamed.get(index)
            if not part:  # Pagefind refuses a folder without pages
                self._jobs.put((index, None, ""))
            elif key != streamed if streamed is not None else self._changed(index, key):
                self._index(index, part, key)  # again, if a page changed after it was indexed
        for stale in self._parts_beyond(len(parts)):
            self._jobs.put((stale, None, ""))
        self._completed = True
        with self._lock:
            backlog = self._handed - self._taken
        if backlog >= HELPER_BACKLOG:
            log.debug(f"hubgen: search: {backlog} parts left to index: a second Pagefind helps")
            self._start_thread()
        for _thread in self._threads:
            self._jobs.put(None)

    def _index(self, index: int, pages: dict[str, str], key: str) -> None:
        """Store the documents of part ``index`` written this build, and hand the part to the
        indexing thread, which reads them back (a queue of documents would hold them in memory
        while Pagefind, running at a lower priority, is behind)."""
        assert self._store is not None
        fresh = {
            dest: (digest, document)
            for dest, digest in pages.items()
            if (document := self._pending.pop(dest, None)) is not None
        }
        try:
            self._store.put(fresh)
        except StoreDamaged as error:
            raise _store_failed(error) from None
        self._handed += 1
        self._jobs.put((index, pages, key))

    def _more_to_index(self) -> bool:
        """Whether a part may still be handed over after the one just indexed (an indexing
        thread asks: :meth:`complete` sets ``_completed`` after handing over the last)."""
        with self._lock:
            return not self._completed or self._handed > self._taken

    def _parts_beyond(self, count: int) -> list[int]:
        """Parts kept from a build that had more of them than ``count``."""
        assert self._folder is not None
        try:
            names = [entry.name for entry in os.scandir(self._folder / "bundles")]
        except OSError:
            return []
        return sorted(int(name) for name in names if name.isdigit() and int(name) >= count)

    def _start_indexing(self, *, merging: bool) -> None:
        self._stop_indexing()
        self._failure = None
        self._completed = False
        self._handed = self._taken = 0
        self._merging = merging
        self._jobs = queue.SimpleQueue()
        self._start_thread()

    def _start_thread(self) -> None:
        thread = threading.Thread(target=self._index_parts, args=(self._jobs,), daemon=True)
        self._threads.append(thread)
        thread.start()

    def _index_parts(self, jobs: queue.SimpleQueue[Job | None]) -> None:
        """Index the parts handed over, one after another, until a None: the plan's thread
        through the page loop, and the helper :meth:`complete` starts for a backlog beside it,
        each with its own Pagefind and preparing process."""
        # Each part's words are prepared for the merge as soon as it is indexed (half a second
        # of Python per 250 pages), by the build's preparing process (searchprepare) while
        # Pagefind's indexes the next. The last part indexed after the pages is prepared by the
        # merge itself, which waits for it anyway.
        preparer = Preparer()
        assert self._folder is not None
        binary = None
        with contextlib.suppress(Exception):  # not found: the first part's indexing says so
            binary = _pagefind_binary()  # while the first part's pages render
        service = PagefindService(binary, cwd=self._folder)
        store = SearchStore(self._folder / STORE)  # this thread's own connection, to read
        while (job := jobs.get()) is not None:
            if self._failure is not None:
                continue  # the build fails: what is left is dropped
            index, pages, key = job
            try:
                if pages is None:
                    self._drop(index)
                    continue
                with self._lock:
                    self._taken += 1
                previous = self._run_pagefind(service, store, index, pages, key)
                # Not the last part (drops of empty parts may follow): an edit's one part does
                # not start the preparing process, whose start alone is 0.1 s.
                if self._merging and self._more_to_index():
                    preparer.prepare(self.bundle(index))
                # Deleted once Pagefind wrote the new one, beside the preparing of its words.
                if previous is not None:
                    shutil.rmtree(previous, ignore_errors=True)
            except BaseException as error:  # raised again by finish(), in the build's thread
                self._failure = error
        service.close()
        store.close()
        preparer.close()

    def _stop_indexing(self) -> None:
        """Wait for the indexing threads, dropping the parts they have not started (a build
        that failed, or one that never reached :meth:`complete`)."""
        if not self._threads:
            return
        if any(thread.is_alive() for thread in self._threads) and self._failure is None:
            self._failure = PluginError("hubgen: search: the build stopped")  # parts left: dropped
        if not self._completed:  # complete() puts a None for each thread; before it, one runs
            self._jobs.put(None)
        self._wait()

    def _wait(self) -> None:
        for thread in self._threads:
            thread.join()
        self._threads = []

    def finish(self, site_dir: Path) -> None:
        """Once the parts are indexed: merge them (when there are several) and link the index
        into the site."""
        if not self.enabled:
            return
        self._wait()
        if self._failure is not None:
            raise self._failure
        if not self._filled:
            shutil.rmtree(site_dir / urls.SEARCH_BUNDLE, ignore_errors=True)
            log.info("hubgen: search: no page to index yet; the search box says so until one is")
        else:
            filled = self._filled
            whole = self.bundle(filled[0]) if len(filled) == 1 else self._merged(filled)
            _link_tree(whole, site_dir / urls.SEARCH_BUNDLE)
        self._keep()
        if self._missing:
            log.warning(
                f"hubgen: search: {self._missing} pages kept from the last build have no search "
                f"record, so they are not in the index; delete the cache folder to rebuild it"
            )

    def published(self) -> dict[str, int]:
        """The files of the index the last build linked into the site, as the cache holds them
        (site path → inode): a rebuild leaves those of the previous site in place (3,248 files
        at 3,000 articles, a tenth of a second to link again) and links only what changed."""
        if not self.enabled:
            return {}
        assert self._folder is not None
        whole = self._folder / "bundles" / "merged"
        if not _kept_key(whole):  # an index of one part: its bundle, the first kept
            whole = next(
                (b for b in map(self.bundle, self._parts_beyond(0)) if _kept_key(b)), whole
            )
        return _inodes(whole, urls.SEARCH_BUNDLE)

    def _drop(self, part: int) -> None:
        """Forget part ``part``'s bundle and the merge's words prepared from it."""
        _forget_key(self.bundle(part))
        shutil.rmtree(self.bundle(part), ignore_errors=True)
        self.bundle(part).with_name(f"{part}.runs").unlink(missing_ok=True)

    def _part_key(self, index: int, pages: dict[str, str]) -> str:
        return _digest(
            json.dumps([pagefind_version(), self._language, index, sorted(pages.items())])
        )

    def _merged(self, parts: list[int]) -> Path:
        """The bundles of ``parts`` merged into one index, again when any of them changed."""
        assert self._folder is not None
        merged = self._folder / "bundles" / "merged"
        key = _digest(json.dumps([self._keys[index] for index in parts]))
        if _kept_key(merged) != key:
            _forget_key(merged)
            try:
                merge([self.bundle(index) for index in parts], merged)
            except (OSError, ValueError, MergeError) as error:
                raise PluginError(
                    f"hubgen: search: the {len(parts)} parts of the index could not be merged: "
                    f"{error} (hubgen supports Pagefind 1.5; set 'search_pages_per_part' above "
                    "the number of pages to index them in one part, or delete the cache folder "
                    "if it was damaged)"
                ) from None
            _keep_key(merged, key)
        return merged

    def _run_pagefind(
        self,
        service: PagefindService,
        store: SearchStore,
        index: int,
        pages: dict[str, str],
        key: str,
    ) -> Path | None:
        """Index part ``index`` (its documents read from ``store``) into its bundle; returns the
        folder its previous bundle was moved to (if it had one), for the caller to delete."""
        try:
            found = store.documents(pages)
        except StoreDamaged as error:
            raise _store_failed(error) from None
        if missing := [dest for dest in pages if dest not in found]:
            raise PluginError(
                f"hubgen: search: the documents of {len(missing)} pages kept from the last build "
                f"are missing from the cache (the first: {missing[0]}); delete the cache folder "
                "to index every page again"
            )
        documents = [(_page_url(dest), found[dest]) for dest in pages]
        bundle = self.bundle(index)
        _forget_key(bundle)  # a run cut short leaves no key: the bundle is never taken as whole
        # A rename: deleting its files waits until Pagefind ran.
        previous = moved_aside(bundle)
        try:
            indexed = service.index(documents, bundle, self._language)
        except (OSError, ValueError, KeyError, IndexerFailed) as error:
            shutil.rmtree(bundle, ignore_errors=True)  # never taken for a whole bundle later
            raise PluginError(
                f"hubgen: search: Pagefind could not index {len(pages)} pages: {error} (is the "
                "'pagefind[bin]' package installed? Set 'search: false' under the hubgen "
                "plugin to build without search)"
            ) from None
        _keep_key(bundle, key)
        log.debug(f"hubgen: search: Pagefind indexed {indexed} pages into part {index}")
        return previous

    def _keep(self) -> None:
        """Once the build is done: store the documents not stored yet, forget the pages gone,
        and remember those left out ("" digest: a kept share kit is not "missing")."""
        assert self._store is not None
        fresh = {dest: (self._seen[dest] or "", doc) for dest, doc in self._pending.items()}
        self._pending = {}
        try:
            self._store.put(fresh)
            self._store.keep_only(self._seen)
        except StoreDamaged as error:
            log.warning(f"hubgen: search: the cache's search documents were not kept: {error}")
        self._stored = {dest: digest or "" for dest, digest in self._seen.items()}

    def close(self) -> None:
        """Delete the temporary folder of a build without the cache (once a Pagefind run the
        build started has ended)."""
        self._stop_indexing()
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._temporary and self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
        self._folder, self._temporary, self.enabled = None, False, False


def _store_failed(error: StoreDamaged) -> PluginError:
    return PluginError(
        f"hubgen: search: the cache's search documents could not be read or written ({error}); "
        "delete the cache folder to index every page again"
    )


def _page_url(dest: str) -> str:
    """The URL Pagefind gives the page written to ``dest`` (as its command line does for the
    file at that path): site-absolute, without ``index.html``."""
    return "/" + dest.removesuffix("index.html")


def _pagefind_binary() -> Path | None:
    """Pagefind's executable, looked up once (for each ``PAGEFIND_BINARY_PATH``, which names
    another)."""
    return _binary_found(os.environ.get("PAGEFIND_BINARY_PATH"))


@functools.cache
def _binary_found(named: str | None) -> Path | None:
    """Where Pagefind's Python API looks, in its order, without importing that API (and
    asyncio with it, 20 ms of every build): the named file, the ``pagefind_bin_extended`` or
    ``pagefind_bin`` wheel, then the ``PATH``."""
    if named is not None:
        return Path(named)
    for wheel in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            module = importlib.import_module(wheel)
        except ImportError:
            continue
        return Path(module.get_executable())
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(found) if found else None


def _key_file(bundle: Path) -> Path:
    """Beside the bundle, not in it: a bundle is linked into the site whole."""
    return bundle.with_name(f"{bundle.name}.key")


def _kept_key(bundle: Path) -> str:
    """The key of the pages ``bundle`` was made from ("": none, or not whole)."""
    try:
        key = _key_file(bundle).read_text("utf-8")
    except OSError:
        return ""
    return key if (bundle / "pagefind-entry.json").is_file() else ""


def _keep_key(bundle: Path, key: str) -> None:
    _key_file(bundle).write_text(key, "utf-8")


def _forget_key(bundle: Path) -> None:
    _key_file(bundle).unlink(missing_ok=True)


def _inodes(folder: Path, prefix: str) -> dict[str, int]:
    """Every file under ``folder`` by its path under ``prefix``, with its inode."""
    found: dict[str, int] = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            found.update(_inodes(Path(entry.path), f"{prefix}/{entry.name}"))
        else:
            found[f"{prefix}/{entry.name}"] = entry.inode()
    return found


def _link_tree(source: Path, target: Path) -> None:
    """``target`` made a copy of ``source`` of hard links: a file already linked there (left in
    place from the last build) stays, any other is linked, and what ``source`` lacks goes."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        target.unlink()
    target.mkdir(parents=True, exist_ok=True)
    there = {entry.name: entry for entry in os.scandir(target)}
    for entry in os.scandir(source):
        found = there.pop(entry.name, None)
        if entry.is_dir(follow_symlinks=False):
            if found is not None and not found.is_dir(follow_symlinks=False):
                os.unlink(found.path)
            _link_tree(Path(entry.path), target / entry.name)
        elif found is None or found.is_dir(follow_symlinks=False) or found.inode() != entry.inode():
            if found is not None and found.is_dir(follow_symlinks=False):
                shutil.rmtree(found.path)
            link_or_copy(Path(entry.path), target / entry.name)  # replacing another file
    for stale in there.values():
        if stale.is_dir(follow_symlinks=False):
            shutil.rmtree(stale.path)
        else:
            os.unlink(stale.path)
