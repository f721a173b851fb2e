"""The site search: a static, chunked Pagefind index fed by the build as it writes each page.

Material's search ships one JSON file of every page's text, which a visitor downloads whole
before the first result. Pagefind splits the index into chunks and fragments, so a query loads
a few hundred kilobytes at 10,000 articles, and only once the visitor focuses the search box
(``themes/hubgen/assets/hubgen/search.js``).

How it is fed: each page, once written (``on_post_page``), gives a record
(:mod:`hubgen.site.searchrecords`), staged as a small HTML document under the cache folder
(``<cache_dir>/search-build/records/<page path>``), with a manifest of each document's digest.
Pages the page cache keeps are not rendered, and keep the document staged when they were: a
kept page's inputs are unchanged, and so is its record.

At the end of the build the pages are dealt into parts of at most ``search_pages_per_part``
(:mod:`hubgen.site.searchparts`): Pagefind holds every page it indexes in memory (about a
quarter of a megabyte each), so each part is indexed by a run of Pagefind's binary of its own,
over the part's staged folder (its Python API, fed page by page, answers one request
per 0.1 s). A hub of several parts gets them merged into the one index Pagefind would have written for
all the pages (:mod:`hubgen.site.searchmerge`), so visitors download what one index costs. Each
part's bundle and the merged one are kept between builds: a rebuild with nothing changed links
them into ``site/pagefind/`` again, and an edited article re-indexes its own part and merges
again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from hubgen.cache.reuse import KeptPage
from hubgen.core import urls
from hubgen.core.files import link_or_copy
from hubgen.core.models import Article
from hubgen.site.catalog import Catalog
from hubgen.site.pagedata import PageKind, PartnerPageData
from hubgen.site.pages import NOINDEX_KINDS, PageSpec
from hubgen.site.searchmerge import MergeError, merge, prepare
from hubgen.site.searchparts import PAGES_PER_PART, deal
from hubgen.site.searchrecords import (
    SearchRecord,
    article_record,
    is_indexed,
    page_record,
    partner_record,
    record_document,
)

log = logging.getLogger("mkdocs.plugins.hubgen")

MANIFEST = "manifest.json"
FORMAT = 2
MATERIAL_SEARCH = ("material/search", "search")


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
        self._stored: dict[str, str] = {}
        """The previous build's pages: page path → its document's digest ("": not indexed)."""
        self._part_keys: list[str] = []
        """The previous build's parts: the key of each part's bundle, in part order."""
        self._seen: dict[str, str | None] = {}
        """This build's pages: page path → digest of its document, None when not indexed."""
        self.indexed_parts = 0
        """How many parts this build re-indexed (0: every part's bundle was linked again)."""
        self._keys: list[str] = []
        """This build's parts' keys."""
        self._filled: list[int] = []
        """This build's parts that have pages."""
        self._missing = 0
        self._indexing: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def records(self) -> Path:
        assert self._folder is not None
        return self._folder / "records"

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
        self._seen = {}
        self._stored, self._part_keys = self._load()
        if not self._stored:  # no manifest to tell which staged documents are current
            for stale in ("records", "bundles", "bundle"):  # "bundle": before the index had parts
                shutil.rmtree(self._folder / stale, ignore_errors=True)

    def _load(self) -> tuple[dict[str, str], list[str]]:
        try:
            data = json.loads((self.records.parent / MANIFEST).read_text("utf-8"))
            if data.get("format") != FORMAT:
                return {}, []
            pages = {str(k): str(v) for k, v in data["pages"].items()}
            return pages, [str(key) for key in data["parts"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}, []

    def written(self, page: Page, record: SearchRecord | None) -> None:
        """After a page is written: stage its document (when it changed) or note it is left out."""
        if not self.enabled:
            return
        dest = page.file.dest_uri
        if record is None:
            self._seen[dest] = None
            return
        document = record_document(record, self._language)
        digest = _digest(document)
        path = self.records / dest
        if self._stored.get(dest) != digest or not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(document, "utf-8")
        self._seen[dest] = digest

    def start(self, files: Iterable[File]) -> None:
        """After every page: keep kept pages' documents, drop the rest, and start re-indexing
        the parts whose pages changed. Pagefind runs in processes of its own, from a thread
        that waits for them, while the build writes its feeds; :meth:`finish` completes."""
        if not self.enabled:
            return
        self._missing = 0
        for file in files:
            kept = isinstance(file, KeptPage)
            # Pages not rendered this build: kept by the page cache, or skipped by `--dirty`.
            if (kept or file.is_documentation_page()) and file.dest_uri not in self._seen:
                stored = self._stored.get(file.dest_uri)
                self._missing += kept and stored is None
                self._seen[file.dest_uri] = stored or None
        pages = {dest: digest for dest, digest in self._seen.items() if digest is not None}
        for dest, digest in self._stored.items():
            if digest and dest not in pages:
                (self.records / dest).unlink(missing_ok=True)
        parts = deal(pages, self._pages_per_part)
        self._keys = [self._part_key(index, part) for index, part in enumerate(parts)]
        self._filled = [index for index, part in enumerate(parts) if part]
        todo: list[tuple[int, dict[str, str]]] = []
        for index, (part, key) in enumerate(zip(parts, self._keys, strict=True)):
            kept_key = self._part_keys[index] if index < len(self._part_keys) else ""
            if not part:  # Pagefind refuses a folder without pages
                self._drop(index)
            elif key != kept_key or not (self.bundle(index) / "pagefind-entry.json").is_file():
                todo.append((index, part))
        for stale in range(len(parts), len(self._part_keys)):
            self._drop(stale)
        self.indexed_parts = len(todo)
        self._failure = None
        merging = len(self._filled) > 1
        self._indexing = threading.Thread(
            target=self._index_parts, args=(todo, merging), daemon=True
        )
        self._indexing.start()

    def _index_parts(self, todo: list[tuple[int, dict[str, str]]], merging: bool) -> None:
        # The merge decodes each part's words first (half a second of Python per 250 pages): each
        # part's are prepared as soon as it is indexed, while Pagefind's process indexes the next.
        preparing = ThreadPoolExecutor(1)
        try:
            for index, part in todo:
                self._run_pagefind(index, part)
                if merging:
                    preparing.submit(_prepare_ahead, self.bundle(index))
        except BaseException as error:  # raised again by finish(), in the build's thread
            self._failure = error
        finally:
            preparing.shutdown(wait=True, cancel_futures=True)

    def _wait(self) -> None:
        if self._indexing is not None:
            self._indexing.join()
            self._indexing = None

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
            again = bool(self.indexed_parts) or self._keys != self._part_keys
            filled = self._filled
            whole = self.bundle(filled[0]) if len(filled) == 1 else self._merged(filled, again)
            _link_tree(whole, site_dir / urls.SEARCH_BUNDLE)
        # Pages left out are remembered too ("" digest): a kept share kit is not "missing".
        self._stored = {dest: digest or "" for dest, digest in self._seen.items()}
        self._part_keys = self._keys
        self._save()
        if self._missing:
            log.warning(
                f"hubgen: search: {self._missing} pages kept from the last build have no search "
                f"record, so they are not in the index; delete the cache folder to rebuild it"
            )

    def _drop(self, part: int) -> None:
        """Forget part ``part``'s bundle and the merge's words prepared from it."""
        shutil.rmtree(self.bundle(part), ignore_errors=True)
        self.bundle(part).with_name(f"{part}.runs").unlink(missing_ok=True)

    def _part_key(self, index: int, pages: dict[str, str]) -> str:
        return _digest(
            json.dumps([pagefind_version(), self._language, index, sorted(pages.items())])
        )

    def _merged(self, parts: list[int], again: bool) -> Path:
        """The bundles of ``parts`` merged into one index, made ``again`` when a part changed."""
        assert self._folder is not None
        merged = self._folder / "bundles" / "merged"
        if again or not (merged / "pagefind-entry.json").is_file():
            shutil.rmtree(merged, ignore_errors=True)
            merged.mkdir(parents=True)
            try:
                merge([self.bundle(index) for index in parts], merged)
            except (OSError, ValueError, MergeError) as error:
                raise PluginError(
                    f"hubgen: search: the {len(parts)} parts of the index could not be merged: "
                    f"{error} (hubgen supports Pagefind 1.5; set 'search_pages_per_part' above "
                    "the number of pages to index them in one part, or delete the cache folder "
                    "if it was damaged)"
                ) from None
        return merged

    def _run_pagefind(self, index: int, pages: dict[str, str]) -> None:
        bundle = self.bundle(index)
        shutil.rmtree(bundle, ignore_errors=True)
        # The part's documents, as hard links in a folder of their own: Pagefind reads a folder.
        source = self.records.parent / "part-input"
        shutil.rmtree(source, ignore_errors=True)
        for dest in pages:
            link_or_copy(self.records / dest, source / dest)
        source.mkdir(parents=True, exist_ok=True)
        try:
            indexed = _run_index(source, bundle, self._language)
        except (OSError, ValueError, KeyError, IndexerFailed) as error:
            shutil.rmtree(bundle, ignore_errors=True)  # never taken for a whole bundle later
            raise PluginError(
                f"hubgen: search: Pagefind could not index {len(pages)} pages: {error} (is the "
                "'pagefind[bin]' package installed? Set 'search: false' under the hubgen "
                "plugin to build without search)"
            ) from None
        finally:
            shutil.rmtree(source, ignore_errors=True)
        # Pagefind's ready-made interfaces: hubgen's box uses its JavaScript API only.
        for unused in (*bundle.glob("pagefind-*ui.*"), bundle / "pagefind-highlight.js"):
            unused.unlink(missing_ok=True)
        log.debug(f"hubgen: search: Pagefind indexed {indexed} pages into part {index}")

    def _save(self) -> None:
        if self._temporary:
            return
        data = {"format": FORMAT, "parts": self._part_keys, "pages": self._stored}
        manifest = self.records.parent / MANIFEST
        manifest.parent.mkdir(parents=True, exist_ok=True)
        temporary = manifest.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
        os.replace(temporary, manifest)

    def close(self) -> None:
        """Delete the temporary folder of a build without the cache (once a Pagefind run the
        build started has ended)."""
        self._wait()
        if self._temporary and self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
        self._folder, self._temporary, self.enabled = None, False, False


class IndexerFailed(Exception):
    """Pagefind's indexer is missing or reported an error."""


def _run_index(records: Path, bundle: Path, language: str) -> int:
    """Pagefind's indexer over the folder ``records``, writing ``bundle``; the pages indexed.

    The binary is run directly rather than through Pagefind's Python API, whose service answers
    by polling every 0.1 s (a few tenths of a second per part), from the folder above
    ``records`` so that no ``pagefind.yml`` of the hub's changes what is indexed."""
    # Imported here: only builds with search need the binary's location.
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise IndexerFailed("the Pagefind binary was not found")
    command = [str(binary), "--site", str(records), "--output-path", str(bundle)]
    done = subprocess.run(
        [*command, "--force-language", language, "--silent"],
        cwd=records.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise IndexerFailed(f"exit status {done.returncode}: {' / '.join(said)}")
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    return sum(int(found["page_count"]) for found in entry.get("languages", {}).values())


def _prepare_ahead(bundle: Path) -> None:
    try:
        prepare(bundle)
    except Exception as error:  # the merge prepares the part again and names what is wrong
        log.debug(f"hubgen: search: the words of {bundle} were not prepared ahead: {error}")


def _link_tree(source: Path, target: Path) -> None:
    """``target`` as a copy of ``source`` made of hard links (a `--dirty` build's old one goes)."""
    shutil.rmtree(target, ignore_errors=True)
    for folder, _dirs, names in os.walk(source):
        relative = Path(folder).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in names:
            link_or_copy(Path(folder) / name, target / relative / name)
