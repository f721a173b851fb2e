"""`hubgen serve` over loopback: the preview server shows drafts and scheduled articles, marked."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hubkit import HubDir


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


@pytest.fixture
def hub(minihub: HubDir) -> HubDir:
    return minihub


def start(hub: HubDir, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """``hubgen serve`` in ``hub``, once it answers: the process and the site's address."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hubgen", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=hub.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(base)
            return process, base
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"hubgen serve did not start:\n{output}")
            time.sleep(0.2)


@pytest.fixture
def server(hub: HubDir) -> Iterator[str]:
    process, base = start(hub)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_server_stopped_by_sigterm_leaves_no_copy_of_the_site(
    hub: HubDir, tmp_path: Path
) -> None:
    """MkDocs deletes the temporary site it serves only when interrupted; a supervisor's or a
    container's SIGTERM stops `hubgen serve` the same way."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process, _address = start(hub, env={**os.environ, "TMPDIR": str(temporary)})
    assert [p.name for p in temporary.iterdir() if p.name.startswith("mkdocs_")]  # serving it
    process.terminate()
    assert process.wait(timeout=20) == 0
    assert not [p.name for p in temporary.iterdir() if p.name.startswith("mkdocs_")]


def test_serve_previews_drafts_with_a_marker(server: str) -> None:
    home = BeautifulSoup(fetch(server), "html.parser")
    assert home.select_one(".hg-hero__name").get_text() == "Mini Hub"
    draft = BeautifulSoup(fetch(server + "articles/draft-idea/"), "html.parser")
    assert draft.select_one(".hg-status--banner").get_text() == "Draft: not published by a build"
    scheduled = BeautifulSoup(fetch(server + "articles/future/"), "html.parser")
    assert "Scheduled" in scheduled.select_one(".hg-status--banner").get_text()
    listed = BeautifulSoup(fetch(server + "articles/"), "html.parser")
    assert listed.select(".hg-card--unpublished .hg-status")


def test_an_edit_saved_while_serving_is_rebuilt_into_the_page(server: str, hub: HubDir) -> None:
    # The watcher's polls wait while a build runs (hubgen.mkdocs_adapter.servewatch): saved
    # twice in a row, the second edit may land during the first rebuild and must still show.
    leases = "content/articles/2024-05-05-leases.md"
    hub.edit(leases, "title: Reading a lease", "title: Leases, first edit")
    time.sleep(1)
    hub.edit(leases, "title: Leases, first edit", "title: Leases, second edit")
    deadline = time.monotonic() + 90
    while True:
        page = BeautifulSoup(fetch(server + "articles/leases/"), "html.parser")
        if page.select_one("h1").get_text(strip=True) == "Leases, second edit":
            break
        assert time.monotonic() < deadline, "the second edit never reached the page"
        time.sleep(0.5)
