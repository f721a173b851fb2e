"""Shared fixtures: throwaway copies of the small fixture hub, and built sites parsed with BeautifulSoup."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from hubgen.loader import load_hub
from hubgen.models import Hub, HubSettings
from hubgen.problems import Problems

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
    shutil.copytree(FIXTURES / "minihub", root)
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
