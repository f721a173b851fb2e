"""Article bodies rendered in worker processes before MkDocs' page loop (hubgen.cache.prerender):
the same site byte for byte, the same warnings, the same errors, and the number of processes
set by ``--jobs`` or ``HUBGEN_JOBS``."""

from __future__ import annotations

import logging
import os
import shutil
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hubkit import HubDir, pinned_build_time
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from hubgen.cache import prerender
from hubgen.mkdocs_adapter.plugin import HubgenPlugin

pytestmark = pytest.mark.before_threads

REPO = Path(__file__).resolve().parent.parent
PUBLISHED = 4  # articles the fixture hub publishes


def copy_demo(target: Path) -> Path:
    """The demo hub (the repository root) without its cache or built site."""
    target.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", target)
    for folder in ("content", "partners"):
        shutil.copytree(REPO / folder, target / folder)
    return target


@dataclass(frozen=True)
class Built:
    articles: int
    prerendered: int
    """Bodies worker processes rendered."""
    counts: tuple[int, int]
    """The render cache's (hits, misses)."""


class WorkersFirst(prerender.Stream):
    """A stream whose workers render every body before the page loop starts (as on a machine
    where the loop is slow), so a test knows which side rendered what."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for pid in self._workers:
            os.waitpid(pid, 0)
        self._workers = []


@pytest.fixture
def workers_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prerender, "Stream", WorkersFirst)


def build_with(hub: Path, site: Path, jobs: int) -> Built:
    """A cold build with MkDocs' own API, ``jobs`` processes for article bodies."""
    assert threading.active_count() == 1, "a thread runs: workers would not start (before_threads)"
    config = load_config(str(hub / "mkdocs.yml"), site_dir=str(site))
    plugin = config.plugins["hubgen"]
    assert isinstance(plugin, HubgenPlugin)
    plugin.jobs = jobs
    config.plugins.on_startup(command="build", dirty=False)
    with pinned_build_time():
        build(config)
    # Read now: MkDocs may hand the same plugin instance to the next config it loads.
    assert plugin.catalog is not None
    cache = plugin.cache
    return Built(len(plugin.catalog.articles), cache.prerendered, cache.render_cache_counts)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> set[str]:
    return {name for name in a.keys() | b.keys() if a.get(name) != b.get(name)}


def test_two_processes_build_the_demo_byte_for_byte_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = build_with(copy_demo(tmp_path / "one"), tmp_path / "site-1", jobs=1)
    again = build_with(copy_demo(tmp_path / "again"), tmp_path / "site-1b", jobs=1)
    # However the page loop and the workers share the bodies: each body by whichever side
    # gets to it first (this machine decides), or every one by the workers.
    two = build_with(copy_demo(tmp_path / "two"), tmp_path / "site-2", jobs=2)
    with monkeypatch.context() as patched:
        patched.setattr(prerender, "Stream", WorkersFirst)
        first_by_workers = build_with(copy_demo(tmp_path / "w"), tmp_path / "site-w", jobs=2)
    articles = two.articles
    assert articles > 10
    assert one.prerendered == again.prerendered == 0
    assert first_by_workers.prerendered == articles  # every body came from a worker
    # Bodies rendered by workers count as rendered, not as reused.
    assert one.counts == two.counts == first_by_workers.counts == (0, articles)
    first, second = tree(tmp_path / "site-1"), tree(tmp_path / "site-2")
    # Whatever two identical one-process builds already write differently (a search bundle
    # whose files are named by hashes that change from build to build) says nothing about the
    # workers; everything else must be equal.
    repeat = tree(tmp_path / "site-1b")
    unstable = differing(first, repeat)
    renamed = {n.rsplit("/", 1)[0] for n in unstable if n not in first or n not in repeat}

    def comparable(name: str) -> bool:
        return name not in unstable and name.rsplit("/", 1)[0] not in renamed

    assert all(comparable(n) for n in first if n.startswith("articles/") or "feed" in n)
    # Social cards, drawn by the workers too when there are two processes.
    assert sum(n.endswith("/card.png") and comparable(n) for n in first) > articles
    assert sum(map(comparable, first)) > len(first) * 0.9
    assert {n for n in differing(first, second) if comparable(n)} == set()
    by_workers = tree(tmp_path / "site-w")
    assert {n for n in differing(first, by_workers) if comparable(n)} == set()
    # A warm rebuild of the two-process build reuses what the workers stored.
    warm = build_with(tmp_path / "two", tmp_path / "site-3", jobs=2)
    assert warm.prerendered == 0 and warm.counts[1] == 0


def test_what_workers_log_is_logged_by_the_build(
    minihub: HubDir, tmp_path: Path, caplog: pytest.LogCaptureFixture, workers_first: None
) -> None:
    # An absolute link: MkDocs' own link check reports it while rendering, now in a worker.
    minihub.edit(
        "content/articles/2025-07-01-cash.md", "Plan ahead.", "Plan ahead, see [x](/missing/)."
    )
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        built = build_with(minihub.root, tmp_path / "site", jobs=2)
    assert built.prerendered == PUBLISHED
    found = [r for r in caplog.records if "/missing/" in r.getMessage()]
    assert len(found) == 1, [r.getMessage() for r in caplog.records]
    assert "articles/2025-07-01-cash.md" in found[0].getMessage()


EXTENSION = """
import markdown

class Boom(markdown.preprocessors.Preprocessor):
    def run(self, lines):
        for number, line in enumerate(lines, start=1):
            if "BOOM" in line:
                raise ValueError(f"boom on line {number}")
        return lines

class BoomExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Boom(md), "boom", 100)

def makeExtension(**kwargs):
    return BoomExtension(**kwargs)
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_body_that_fails_to_render_fails_the_build_naming_the_page(
    minihub: HubDir,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    jobs: int,
) -> None:
    (tmp_path / "boomext.py").write_text(textwrap.dedent(EXTENSION))
    monkeypatch.syspath_prepend(str(tmp_path))
    minihub.write("mkdocs.yml", minihub.read("mkdocs.yml") + "markdown_extensions:\n  - boomext\n")
    minihub.edit("content/articles/2025-07-01-cash.md", "Plan ahead.", "Plan ahead.\n\nBOOM")
    with pytest.raises((Abort, ValueError)), caplog.at_level(logging.ERROR, logger="mkdocs"):
        build_with(minihub.root, tmp_path / "site", jobs=jobs)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    # With workers the page loop meets the body when it builds the page, not when it reads it.
    stage = "reading" if jobs == 1 else "building"
    assert errors == [f"Error {stage} page 'articles/2025-07-01-cash.md': boom on line 3"], errors


def test_stream_workers_go_from_the_end_and_stop_where_the_parent_is(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    seen = logging.getLogger("mkdocs.plugins.hubgen.test")
    go_on = tmp_path / "go-on"

    def make(index: int) -> str:
        if index != 8:  # item 8 logs nothing
            seen.warning(f"made {index}")
        if index == 7:
            raise RuntimeError("left to the parent")
        if index == 5:  # the worker waits here until the parent has reached item 4
            while not go_on.exists():
                time.sleep(0.01)
        return f"item {index}"

    def keep(index: int, made: str) -> None:
        (tmp_path / f"{index}.made").write_text(made)

    stream = prerender.Stream(10, make, keep, jobs=1)
    assert threading.active_count() == 1  # no thread: the build may still fork
    stream.reached(4)
    go_on.touch()
    for _ in range(6000):  # until the worker has made item 5 (a minute at most)
        if (tmp_path / "5.made").exists():
            break
        time.sleep(0.01)
    # A log is written only for an item that logged something.
    assert sorted(p.name for p in stream._folder.iterdir()) == ["5.json", "6.json", "9.json"]
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        stream.replay(8)
        stream.replay(9)
        stream.finish()
    # From the end back, item 7 failing, up to the first item the parent reached.
    assert sorted(p.name for p in tmp_path.glob("*.made")) == [f"{i}.made" for i in (5, 6, 8, 9)]
    assert (tmp_path / "9.made").read_text() == "item 9"
    assert [r.getMessage() for r in caplog.records] == ["made 9"]  # only what was replayed


def test_stream_workers_stop_when_the_build_fails() -> None:
    stream = prerender.Stream(2, lambda index: time.sleep(60), lambda i, made: None, jobs=2)
    pids = list(stream._workers)
    stream.stop()
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped, not left running or as a zombie


def test_background_workers_report_in_item_order_while_the_parent_goes_on(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    seen = logging.getLogger("mkdocs.plugins.hubgen.test")

    def work(index: int) -> None:
        (tmp_path / f"{index}.done").write_text("made in a worker")
        seen.warning(f"item {index}")
        if index == 3:
            raise RuntimeError("no")

    workers = prerender.Background(7, work, jobs=2)
    assert threading.active_count() == 1  # no pool thread: the build may still fork
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        outcomes = workers.wait()
    assert [o.index for o in outcomes] == list(range(7))
    assert [o.ok for o in outcomes] == [True, True, True, False, True, True, True]
    assert [r.getMessage() for r in caplog.records] == [f"item {i}" for i in range(7) if i != 3]
    assert sorted(p.name for p in tmp_path.glob("*.done")) == [f"{i}.done" for i in range(7)]


def test_a_background_worker_that_dies_leaves_its_items_to_the_parent() -> None:
    def work(index: int) -> None:
        if index % 2:  # the second worker's items (1, 3, 5): it dies on its first
            os._exit(3)

    outcomes = prerender.Background(6, work, jobs=2).wait()
    assert [o.index for o in outcomes] == [0, 2, 4]  # the parent does 1, 3 and 5 itself


def test_background_workers_stop_when_the_build_fails() -> None:
    workers = prerender.Background(2, lambda index: time.sleep(60), jobs=2)
    pids = [pid for pid, _ in workers._workers]
    workers.stop()
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped, not left running or as a zombie


def test_card_workers_yield_the_core_to_body_workers_and_both_to_the_page_loop(
    tmp_path: Path,
) -> None:
    # Cards are needed only when the build ends; the loop may be waiting for a body.
    def niceness(name: str) -> None:
        (tmp_path / name).write_text(str(os.getpriority(os.PRIO_PROCESS, 0)))

    prerender.Background(1, lambda index: niceness("card"), jobs=1).wait()
    stream = prerender.Stream(1, lambda index: niceness("body"), lambda i, made: None, jobs=1)
    for _ in range(6000):  # until the worker has made its item (a minute at most)
        if (tmp_path / "body").exists():
            break
        time.sleep(0.01)
    stream.finish()
    parent = os.getpriority(os.PRIO_PROCESS, 0)
    card, body = (int((tmp_path / name).read_text()) for name in ("card", "body"))
    assert body == min(19, parent + prerender.WORKER_NICENESS)
    assert card == min(19, parent + prerender.BACKGROUND_NICENESS)
    assert card > body or card == 19


def test_jobs_come_from_the_option_then_the_environment_then_the_cpus(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(prerender.JOBS_ENV, raising=False)
    assert prerender.resolve_jobs() == prerender.default_jobs() >= 1
    monkeypatch.setenv(prerender.JOBS_ENV, "3")
    assert prerender.resolve_jobs() == 3
    assert prerender.resolve_jobs(1) == 1
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv(prerender.JOBS_ENV, bad)
        with pytest.raises(prerender.JobsError, match="HUBGEN_JOBS: expected a positive"):
            prerender.resolve_jobs()
    with pytest.raises(prerender.JobsError, match="--jobs"):
        prerender.resolve_jobs(0)


def test_bad_jobs_are_usage_errors(
    minihub: HubDir, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hubgen.cli import main

    config = str(minihub.root / "mkdocs.yml")
    assert main(["build", "-q", "--jobs", "0", "-f", config]) == 2
    assert "--jobs: expected a positive whole number" in capsys.readouterr().err
    monkeypatch.setenv(prerender.JOBS_ENV, "many")
    assert main(["build", "-q", "-f", config]) == 2
    assert "HUBGEN_JOBS: expected a positive whole number" in capsys.readouterr().err
    assert not (minihub.root / "site").exists()
