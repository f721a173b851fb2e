"""`hubgen serve` over loopback: the preview server shows drafts and scheduled articles, marked."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

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
def server(minihub: HubDir) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hubgen", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=minihub.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(base)
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"hubgen serve did not start:\n{output}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_previews_drafts_with_a_marker(server: str) -> None:
    home = BeautifulSoup(fetch(server), "html.parser")
    assert home.select_one(".hg-hero__name").get_text() == "Mini Hub"
    draft = BeautifulSoup(fetch(server + "articles/draft-idea/"), "html.parser")
    assert draft.select_one(".hg-status--banner").get_text() == "Draft: not published by a build"
    scheduled = BeautifulSoup(fetch(server + "articles/future/"), "html.parser")
    assert "Scheduled" in scheduled.select_one(".hg-status--banner").get_text()
    listed = BeautifulSoup(fetch(server + "articles/"), "html.parser")
    assert listed.select(".hg-card--unpublished .hg-status")
