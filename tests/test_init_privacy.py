"""`hubgen init` writes a privacy page (what the hub counts, what an enquiry stores, who receives
it, for how long) and links it from the footer of every page of the built site, by a path that
works on a project site; a hostile hub name stays text on both."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from hostilehub import MARKER, hostile
from hubkit import build_hub

from hubgen.cli import main

NAME = hostile("Leeds Firms", 0)  # '"><script>hg_pwned()</script>' after the label


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("init") / "network"
    assert main(["init", str(root), "--name", NAME, "--organiser", "claire-h",
                 "--site-url", "https://firms.example/network/"]) == 0  # fmt: skip
    return root, build_hub(root, root.parent / "site").root


def test_init_writes_the_privacy_page(built: tuple[Path, Path]) -> None:
    root, _ = built
    text = (root / "content" / "privacy.md").read_text(encoding="utf-8")
    for promise in (
        "no cookies",
        "Do Not Track",
        "Global Privacy Control",
        "no IP address",
        "Who receives it",
        "deleted after two years",
        "a form on an article goes to",
    ):
        assert promise in text, promise  # fmt: skip
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert '<a href="/network/privacy/">Privacy</a>' in config["copyright"]
    assert "<script>" not in config["copyright"] and "&lt;script&gt;" in config["copyright"]


def test_every_built_page_links_the_privacy_page_in_its_footer(built: tuple[Path, Path]) -> None:
    _, site = built
    privacy = BeautifulSoup(
        (site / "privacy" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    body = privacy.select_one("article") or privacy
    assert "Global Privacy Control" in body.get_text() and "Do Not Track" in body.get_text()
    # The page's own text holds the name as text. (Material prints mkdocs.yml's site_name in
    # the header as HTML: organiser configuration, outside this page; the CSP blocks it.)
    assert body.select("script") == [] and NAME in body.get_text()
    # Every page visitors read (short links are redirects, admin/ the editor).
    pages = [
        p for p in site.rglob("index.html") if p.relative_to(site).parts[0] not in ("r", "admin")
    ]
    assert len(pages) > 5
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        footer = soup.select_one(".md-copyright")
        assert footer is not None, page
        [link] = [a for a in footer.select("a") if a.get_text() == "Privacy"]
        url = page.relative_to(site).as_posix()
        target = urlsplit(urljoin(f"https://firms.example/network/{url}", str(link["href"]))).path
        assert target == "/network/privacy/", (page, target)
        assert NAME in footer.get_text()  # the name as text, its payload inert
        assert not footer.select("script") and MARKER not in str(footer).replace(f"{MARKER}()", "")
