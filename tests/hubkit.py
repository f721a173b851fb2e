"""Helpers the site tests import explicitly: fixture paths, writable hub copies, built sites,
a static HTTP server and Chromium's flags, and the fixture hub built once per test session.

conftest.py only turns these into pytest fixtures; test modules import what they use from here
(``from hubkit import HubDir, Site``) rather than from conftest, which pytest loads by itself.
"""

from __future__ import annotations

import atexit
import gzip
import io
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup

from hubgen.core.models import Hub, HubSettings
from hubgen.core.problems import Problems
from hubgen.load.loader import load_hub

if TYPE_CHECKING:
    from hubgen.mkdocs_adapter.plugin import HubgenPlugin

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
MINIHUB = FIXTURES / "minihub"

# "Now" for the shared build of the fixture hub (2030-01-01 UTC): every dated article of the
# fixture is published except 2099-01-01-future, which stays scheduled, whatever day tests run.
MINI_BUILD_EPOCH = "1893456000"


def written_as(path: Path) -> tuple[int, int]:
    """Which write of ``path`` is there (the same for a link to it): its inode alone is not
    enough, as a file written after another was deleted may get the inode it had."""
    found = path.stat()
    return found.st_ino, found.st_mtime_ns


def copy_hub(source: Path, target: Path) -> Path:
    """A copy of a hub folder without the page cache a build straight from it may have left."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".hubgen-cache"))
    return target


def demo_copy(root: Path, **hubgen_options: object) -> Path:
    """A copy of the demo hub at ``root``, with options added under its hubgen plugin
    (``search_pages_per_part=4``)."""
    root.mkdir(parents=True)
    for folder in ("content", "partners"):
        shutil.copytree(REPO / folder, root / folder)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    lines = "".join(f"\n      {key}: {value}" for key, value in hubgen_options.items())
    assert config.count("\n  - hubgen:") == 1
    (root / "mkdocs.yml").write_text(
        config.replace("\n  - hubgen:", "\n  - hubgen:" + lines), "utf-8"
    )
    return root


class HubDir:
    """A writable copy of a fixture hub with helpers to edit files and load it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    def edit(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert old in text, f"{old!r} not in {relative}"
        self.write(relative, text.replace(old, new, 1))

    def settings(self) -> HubSettings:
        return HubSettings(
            name="Mini Hub",
            root=self.root,
            docs_dir=self.root / "content",
            partners_dir=self.root / "partners",
            site_url="https://mini.example/",
            timezone=ZoneInfo("Europe/London"),
            page_size=2,
        )

    def load(self) -> tuple[Hub, Problems]:
        return load_hub(self.settings())

    def problems_text(self) -> list[str]:
        return [p.as_text() for p in self.load()[1]]


class Site:
    """A built site: parse pages by URL."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, url: str) -> Path:
        url = url.lstrip("/")
        return self.root / (url + "index.html" if url == "" or url.endswith("/") else url)

    def exists(self, url: str) -> bool:
        return self.path(url).is_file()

    def page(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(url).read_text(encoding="utf-8"), "html.parser")


# -- the fixture hub, built once per session ----------------------------------------------------


@dataclass(frozen=True)
class MiniBuild:
    """The fixture hub built with the real CLI: the copy that was built (its page cache is warm
    now) and the built site. Tests only read both; a test that builds again copies ``hub``."""

    hub: Path
    site: Site


@contextmanager
def pinned_build_time(epoch: str = MINI_BUILD_EPOCH) -> Iterator[None]:
    """Pin the build's "now" (``SOURCE_DATE_EPOCH``) for the block, then restore the environment."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def build_in_place(hub: Path, site: Path) -> HubgenPlugin:
    """``mkdocs build`` of the hub folder ``hub`` through MkDocs' own API, into ``site`` as it
    stands (a rebuild salvages what the last one left there; ``hubgen build`` swaps in a new
    folder instead); the hubgen plugin it built with, to read before the next build (MkDocs may
    hand the same instance to the next configuration it loads)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from hubgen.mkdocs_adapter.plugin import HubgenPlugin

    config = load_config(str(hub / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    plugin = config.plugins["hubgen"]
    assert isinstance(plugin, HubgenPlugin)
    return plugin


def build_hub(hub: Path, site: Path) -> Site:
    """``hubgen build -q`` of the hub folder ``hub`` into ``site``, with "now" pinned."""
    from hubgen.cli import main

    with pinned_build_time():
        assert main(["build", "-q", "-f", str(hub / "mkdocs.yml"), "-d", str(site)]) == 0
    return Site(site)


_mini_build: list[MiniBuild] = []


def mini_build() -> MiniBuild:
    """tests/fixtures/minihub built once per test session, into a temporary folder.

    A plain function rather than only a fixture because some modules need the build when they
    are collected (leadkit's registries). The fixture is copied first: the build writes its page
    cache next to mkdocs.yml, and nothing may ever write into tests/fixtures/.
    """
    if not _mini_build:
        top = Path(tempfile.mkdtemp(prefix="hubgen-minihub-"))
        atexit.register(shutil.rmtree, top, ignore_errors=True)
        hub = copy_hub(MINIHUB, top / "minihub")
        _mini_build.append(MiniBuild(hub, build_hub(hub, top / "site")))
    return _mini_build[0]


# -- real HTTP server and browser ---------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    # Closed network here: without these flags Chromium keeps trying to reach Google's hosts.
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


class QuietHandler(SimpleHTTPRequestHandler):
    """A static host like the ones hubs deploy to: gzip for text, long cache for assets."""

    COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".atom", ".txt")

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        url_path = self.path.split("?", 1)[0]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not url_path.endswith("/"):
                return super().send_head()  # the standard redirect to the slash URL
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and path.suffix in self.COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        if "/assets/" in self.path:
            self.send_header("Cache-Control", "public, max-age=31536000")
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def static_server(root: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port) for the duration of the block."""
    handler = partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
