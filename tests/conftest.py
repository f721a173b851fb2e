"""Shared pytest fixtures. The helpers behind them live in tests/hubkit.py, which tests import
explicitly; this file holds fixtures only."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hubkit import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FIXTURES,
    MINIHUB,
    REPO,
    HubDir,
    Site,
    copy_hub,
    mini_build,
    static_server,
)


def fixture_files() -> dict[str, str]:
    """Every file under tests/fixtures/ (hidden ones too) with a hash of its bytes."""
    return {
        path.relative_to(FIXTURES).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(FIXTURES.rglob("*"))
        if path.is_file() or path.is_symlink()
    }


@pytest.fixture(scope="session", autouse=True)
def fixtures_stay_untouched() -> Iterator[None]:
    """No test may write into tests/fixtures/ (a build straight from a fixture folder leaves its
    page cache there, and the next test would start warm): fail the session if one did."""
    before = fixture_files()
    yield
    after = fixture_files()
    changed = sorted(name for name in before.keys() & after.keys() if before[name] != after[name])
    added, removed = sorted(after.keys() - before.keys()), sorted(before.keys() - after.keys())
    assert not (added or removed or changed), (
        f"tests/fixtures/ changed during the session: added {added}, removed {removed}, "
        f"changed {changed}. Build a copy (hubkit.copy_hub) instead. (A `hubgen build -f "
        "tests/fixtures/...` run outside pytest at the same time also does this.)"
    )


@pytest.fixture
def minihub(tmp_path: Path) -> HubDir:
    return HubDir(copy_hub(MINIHUB, tmp_path / "hub"))


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


@pytest.fixture(scope="session")
def mini_site() -> Site:
    """The fixture hub built once per session (hubkit.mini_build); read it, never write to it."""
    return mini_build().site


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Builds on worker processes fork only a process without other threads (a forked child
    # could inherit a lock held mid-operation), and the session's static servers are threads:
    # tests marked before_threads run first, before any server starts.
    items.sort(key=lambda item: item.get_closest_marker("before_threads") is None)
