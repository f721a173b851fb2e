"""Pagefind's service process, given documents as text: the index its command line writes for
the same pages, whatever their size, and its errors reported; with the real Pagefind binary."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest
from pagefindkit import index

from hubgen.mkdocs_adapter.pagefindservice import (
    SCRIPTS,
    IndexerFailed,
    PagefindService,
    _interface,
)
from hubgen.mkdocs_adapter.searchindex import _page_url, _pagefind_binary
from hubgen.site.searchrecords import page_record, record_document

WORDS = [
    "cash",
    "flow",
    "forecast",
    "payroll",
    "invoice",
    "margin",
    "lease",
    "tenancy",
    "dispute",
    "pension",
]


def documents(count: int, words: int = 60) -> dict[str, str]:
    """Page path → document, as the build makes them (:func:`record_document`)."""
    made = {}
    for number in range(count):
        text = " ".join(WORDS[(number * 7 + i) % len(WORDS)] for i in range(words))
        dest = f"articles/page-{number}/index.html" if number else "index.html"
        record = page_record(
            "/" + dest.removesuffix("index.html"),
            f"Page {number} <about> {WORDS[number % len(WORDS)]}",
            f"<p>{text} &amp; more</p><h2 id='n'>Part {number}</h2><p>{text}</p>",
            f"Summary {number}",
        )
        made[dest] = record_document(record, "en")
    return made


def served(pages: dict[str, str]) -> list[tuple[str, str]]:
    """What the build gives the service: each page's URL and document."""
    return [(_page_url(dest), html) for dest, html in pages.items()]


def by_service(pages: dict[str, str], bundle: Path) -> int:
    service = PagefindService(_pagefind_binary(), cwd=bundle.parent)
    try:
        return service.index(served(pages), bundle, "en")
    finally:
        service.close()


def by_command_line(pages: dict[str, str], site: Path, bundle: Path) -> None:
    for dest, html in pages.items():
        (site / dest).parent.mkdir(parents=True, exist_ok=True)
        (site / dest).write_text(html, "utf-8")
    binary = _pagefind_binary()
    assert binary is not None
    command = [str(binary), "--site", str(site), "--output-path", str(bundle)]
    subprocess.run([*command, "--force-language", "en", "--silent"], check=True)


def test_the_service_writes_the_index_the_command_line_writes(tmp_path: Path) -> None:
    pages = documents(40)
    assert by_service(pages, tmp_path / "service") == 40
    by_command_line(pages, tmp_path / "site", tmp_path / "cli")
    served, read = index(tmp_path / "service"), index(tmp_path / "cli")
    assert served == read  # words, locations, pages, filters and chunks, pages named by URL
    assert "/articles/page-3/" in served["pages"] and "/" in served["pages"]
    fragments = sorted(p.name for p in (tmp_path / "service" / "fragment").iterdir())
    assert fragments == sorted(p.name for p in (tmp_path / "cli" / "fragment").iterdir())
    for name in fragments:  # each page's text and metadata, byte for byte
        served_bytes = (tmp_path / "service" / "fragment" / name).read_bytes()
        assert served_bytes == (tmp_path / "cli" / "fragment" / name).read_bytes()


def test_bundles_link_one_copy_of_the_scripts_and_leave_out_the_interfaces(
    tmp_path: Path,
) -> None:
    pages = documents(10)
    for name in ("one", "two"):
        assert by_service(pages, tmp_path / name) == 10
    by_command_line(pages, tmp_path / "site", tmp_path / "cli")
    written = {p.name: p for p in (tmp_path / "cli").iterdir() if p.is_file()}
    interfaces = {name for name in written if _interface(name)}
    scripts = {name for name in written if name.endswith((".js", ".pagefind"))} - interfaces
    assert "pagefind-ui.js" in interfaces and "pagefind-highlight.js" in interfaces
    assert {"pagefind.js", "pagefind-worker.js", "wasm.en.pagefind"} <= scripts
    for name in ("one", "two"):
        kept = {p.name for p in (tmp_path / name).iterdir() if p.is_file()}
        # The entry and the metadata too (whose name hashes the pages, numbered otherwise).
        unlike = {n for n in (kept ^ set(written)) - interfaces if not n.endswith(".pf_meta")}
        assert not unlike and len([n for n in kept if n.endswith(".pf_meta")]) == 1, name
    for script in scripts:  # the command line's bytes, one file linked into both bundles
        one, two = (tmp_path / "one" / script), (tmp_path / "two" / script)
        assert one.read_bytes() == written[script].read_bytes()
        assert one.stat().st_ino == two.stat().st_ino == (tmp_path / SCRIPTS / script).stat().st_ino


def test_pages_and_answers_larger_than_a_pipe_go_through_whole(tmp_path: Path) -> None:
    # 48 pages of 20,000 words, and a title of 100 KB, which Pagefind sends back in each page's
    # metadata: each answer spans several reads of the pipe. A stall fails the test after a
    # generous bound instead of hanging the suite.
    long_title = "Title " + "x" * 100_000
    pages = {d: html.replace("Page ", long_title) for d, html in documents(48, 20_000).items()}
    counted: list[int] = []
    worker = threading.Thread(target=lambda: counted.append(by_service(pages, tmp_path / "b")))
    worker.start()
    worker.join(timeout=600)
    assert not worker.is_alive(), "the service stalled"
    assert counted == [48]
    assert len(index(tmp_path / "b")["pages"]) == 48


def test_one_process_serves_part_after_part(tmp_path: Path) -> None:
    pages = documents(12)
    parts = [dict(list(pages.items())[:5]), dict(list(pages.items())[5:])]
    service = PagefindService(_pagefind_binary(), cwd=tmp_path)
    try:
        counts = [service.index(served(p), tmp_path / str(n), "en") for n, p in enumerate(parts)]
        process = service._process
    finally:
        service.close()
    assert counts == [5, 7]
    assert process is not None and process.returncode == 0  # the one process, ended cleanly
    assert set(index(tmp_path / "1")["pages"]) == {f"/articles/page-{n}/" for n in range(5, 12)}


def test_an_error_answer_raises_and_the_next_request_starts_afresh(tmp_path: Path) -> None:
    service = PagefindService(_pagefind_binary(), cwd=tmp_path)
    try:
        with pytest.raises(IndexerFailed, match="does not yet exist"):
            service._exchange(
                [{"type": "AddFile", "index_id": 99, "url": "/", "file_contents": ""}]
            )
        assert service._process is None  # ended, not left running
        assert service.index(served(documents(2)), tmp_path / "after", "en") == 2
    finally:
        service.close()


def test_a_missing_binary_is_reported(tmp_path: Path) -> None:
    service = PagefindService(None, cwd=tmp_path)
    with pytest.raises(IndexerFailed, match="binary was not found"):
        service.index(served(documents(1)), tmp_path / "b", "en")
