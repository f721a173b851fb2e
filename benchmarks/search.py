"""What a visitor downloads to search: hubgen's Pagefind index against Material's search_index.json.

    python -m benchmarks.search --articles 1000 --partners 50       # corpus, both builds, bytes
    python -m benchmarks.search --hub-site A --material-site B      # sites built already

For each site: the index on disk, then in Chromium (Playwright, Debian's chromium) the bytes
transferred (encoded body sizes, as a host gzipping text sends them) by the search: for
hubgen from the moment the header box is focused (nothing loads before; that is checked too)
to the first single-word query's results, then a later query, then opening the facets (filter
chunks); for Material everything its search fetches (worker, search_index.json) to the first
query's results, then a later query. Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
FIRST_WORD = "payroll"
LATER_WORD = "redundancy"
TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml")


class GzipHandler(SimpleHTTPRequestHandler):
    """A static host: text gzipped (level 6, as nginx, Apache and Caddy do by default)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if not (
            path.is_file()
            and path.suffix in TEXT
            and "gzip" in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(root: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Measure:
    engine: str
    index_files: int
    index_bytes: int
    """On disk (Pagefind's files are compressed already; Material's JSON raw)."""
    index_gzip: int = 0
    """Material's search_index.json gzipped: what a host sends."""
    before_focus: int = 0
    first_query: int = 0
    first_requests: int = 0
    later_query: int = 0
    later_requests: int = 0
    facets: int | None = None
    seconds: dict[str, float] = field(default_factory=dict)


class Counter:
    """Encoded bytes of every finished response, so far and since a mark."""

    def __init__(self, page: Any, match: str) -> None:
        self.match = match
        self.items: list[tuple[str, int]] = []
        page.on("requestfinished", self._finished)

    def _finished(self, request: Any) -> None:
        if self.match and self.match not in request.url:
            return
        try:
            size = int(request.sizes()["responseBodySize"])
        except Exception:  # a request the browser dropped
            size = 0
        self.items.append((request.url, size))

    def since(self, mark: int) -> tuple[int, int]:
        found = self.items[mark:]
        return sum(size for _, size in found), len(found)


def _disk(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def _settle(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def _article(site: Path) -> str:
    """A site-relative article URL (the page a visitor searches from)."""
    for folder in ("articles", "blog/posts", "blog"):
        for index in sorted((site / folder).glob("*/index.html"))[:1]:
            return index.parent.relative_to(site).as_posix() + "/"
    return ""


def measure_hubgen(browser: Any, site: Path, first: str, later: str) -> Measure:
    files, size = _disk(site / "pagefind")
    result = Measure("hubgen (Pagefind)", files, size)
    with serve(site) as url:
        page = browser.new_page()
        counter = Counter(page, "/pagefind/")
        page.goto(url + _article(site))
        _settle(page)
        result.before_focus = counter.since(0)[0]
        status = "document.querySelector('[data-hg-search-status]').textContent"
        for word, attr in ((first, "first"), (later, "later")):
            mark = len(counter.items)
            started = time.perf_counter()
            page.fill("input.md-search__input", word)
            page.wait_for_function(f"() => /matching/.test({status})", timeout=120_000)
            _settle(page)
            result.seconds[attr] = time.perf_counter() - started
            setattr(result, f"{attr}_query", counter.since(mark)[0])
            setattr(result, f"{attr}_requests", counter.since(mark)[1])
        mark = len(counter.items)
        page.fill("input.md-search__input", first)  # facets of a query with results
        page.wait_for_function(f"() => /\\d+ matching/.test({status})", timeout=120_000)
        _settle(page)
        mark = len(counter.items)
        page.click("button.hg-search__refine")
        page.locator('select[name="partner"]').wait_for(timeout=120_000)
        _settle(page)
        result.facets = counter.since(mark)[0]
        page.close()
    return result


def measure_material(browser: Any, site: Path, first: str, later: str) -> Measure:
    index = site / "search/search_index.json"
    raw = index.read_bytes()
    result = Measure("Material (search_index.json)", 1, len(raw), len(gzip.compress(raw, 6)))
    with serve(site) as url:
        page = browser.new_page()
        counter = Counter(page, "search")  # search_index.json and the search worker
        page.goto(url + _article(site))
        _settle(page)
        result.before_focus = counter.since(0)[0]
        results = "document.querySelector('.md-search-result__meta').textContent"
        mark = 0  # what Material fetched at load is what the first query needs
        for word, attr in ((first, "first"), (later, "later")):
            started = time.perf_counter()
            page.click("input.md-search__input")
            page.fill("input.md-search__input", word)
            page.wait_for_function(f"() => /\\d|No matching/.test({results})", timeout=300_000)
            _settle(page)
            result.seconds[attr] = time.perf_counter() - started
            setattr(result, f"{attr}_query", counter.since(mark)[0])
            setattr(result, f"{attr}_requests", counter.since(mark)[1])
            mark = len(counter.items)
        page.close()
    return result


def kb(value: int | None) -> str:
    return "n/a" if value is None else f"{value / 1000:,.1f} KB"


def report(measures: list[Measure], label: str) -> str:
    lines = [f"search {label}: bytes transferred in Chromium (1 KB = 1,000 bytes)"]
    for m in measures:
        index = f"index {m.index_files:,} files {kb(m.index_bytes)} on disk"
        if m.index_gzip:
            index += f" ({kb(m.index_gzip)} gzipped)"
        lines.append(
            f"  {m.engine:<30} {index}; before focus {kb(m.before_focus)}; first query "
            f"{kb(m.first_query)} ({m.first_requests} requests, {m.seconds.get('first', 0):.1f} s); "
            f"later query {kb(m.later_query)} ({m.later_requests} requests)"
            + (f"; facets {kb(m.facets)}" if m.facets is not None else "")
        )
    return "\n".join(lines)


def measure(
    hub_site: Path, material_site: Path | None, first: str = FIRST_WORD, later: str = LATER_WORD
) -> list[Measure]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            found = [measure_hubgen(browser, hub_site, first, later)]
            if material_site is not None and (material_site / "search/search_index.json").is_file():
                found.append(measure_material(browser, material_site, first, later))
        finally:
            browser.close()
    return found


def build_both(articles: int, partners: int, seed: int, work: Path) -> tuple[Path, Path, str]:
    """Generate the corpus and build both projects (cold); returns the sites and build times."""
    from benchmarks import corpus
    from benchmarks.run import CACHE, PROJECT, build

    root = work / f"corpus-{articles}-{partners}-s{seed}"
    corpus.generate(root, articles, partners, seed)
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    sites = {}
    times = []
    for tool in ("hubgen", "material"):
        site = work / f"search-site-{tool}-{articles}"
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(root / PROJECT["hubgen"] / CACHE, ignore_errors=True)
        seconds, peak = build(root / PROJECT[tool], site, logs / f"search-{tool}-{articles}.log")
        times.append(f"{tool} build {seconds:.1f} s, {peak:.0f} MB")
        sites[tool] = site
    return sites["hubgen"], sites["material"], "; ".join(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.search", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--hub-site", type=Path, help="a hubgen site built with its search")
    parser.add_argument("--material-site", type=Path, help="a Material site with its search plugin")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--partners", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first", default=FIRST_WORD, help=f"first query (default: {FIRST_WORD})")
    parser.add_argument("--later", default=LATER_WORD, help=f"later query (default: {LATER_WORD})")
    parser.add_argument("--work", type=Path, default=Path(__file__).parent / ".work")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)
    label = ""
    if args.hub_site is None:
        args.work.mkdir(parents=True, exist_ok=True)
        args.hub_site, args.material_site, built = build_both(
            args.articles, args.partners, args.seed, args.work.resolve()
        )
        label = f"{args.articles}/{args.partners}"
        print(built, flush=True)
    measures = measure(args.hub_site, args.material_site, args.first, args.later)
    print(report(measures, label or str(args.hub_site)))
    if args.json:
        print(json.dumps([m.__dict__ for m in measures], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
