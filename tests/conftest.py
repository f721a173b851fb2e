"""Shared fixtures: throwaway copies of the small fixture hub, and built sites parsed with BeautifulSoup."""

from __future__ import annotations

import gzip
import io
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from hubgen.core.models import Hub, HubSettings
from hubgen.core.problems import Problems
from hubgen.load.loader import load_hub

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


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


@pytest.fixture
def minihub(tmp_path: Path) -> HubDir:
    root = tmp_path / "hub"
    # A build straight from the fixture folder leaves a render cache there; start without it.
    shutil.copytree(FIXTURES / "minihub", root, ignore=shutil.ignore_patterns(".hubgen-cache"))
    return HubDir(root)


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


@pytest.fixture
def build_site(tmp_path: Path) -> Callable[[Path], Site]:
    """Build the hub whose mkdocs.yml is given, with the CLI, into a temporary folder."""
    from hubgen.cli import main

    def build(config_file: Path) -> Site:
        site_dir = tmp_path / f"site-{config_file.parent.name}"
        code = main(["build", "-q", "-f", str(config_file), "-d", str(site_dir)])
        assert code == 0
        return Site(site_dir)

    return build


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


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    from hubgen.cli import main

    out = tmp_path_factory.mktemp("mini-site")
    assert main(["build", "-q", "-f", str(FIXTURES / "minihub/mkdocs.yml"), "-d", str(out)]) == 0
    return Site(out)


@pytest.fixture(scope="session")
def mini_url(mini_site: Site) -> Iterator[str]:
    with static_server(mini_site.root) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (bash .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    out = tmp_path_factory.mktemp("demo-site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        # Material prints an end-of-life banner (containing "WARNING") when run as `mkdocs`;
        # it only stayed quiet when an earlier test had imported Material in this process.
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return Site(out)


@pytest.fixture(scope="session")
def demo_url(demo_site: Site) -> Iterator[str]:
    with static_server(demo_site.root) as url:
        yield url
