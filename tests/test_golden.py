"""Golden-site test: the fixture hub (tests/fixtures/minihub), built once per session into a
temporary folder (hubkit.mini_build), must match the committed tree tests/golden/minihub/ file by
file: the same paths and the same bytes. Any change to what hubgen publishes shows up here as a
diff, so refactoring that must not change behaviour can prove it did not.

After a deliberate change of the output, refresh the tree with

    HUBGEN_GOLDEN_REFRESH=1 .venv/bin/pytest -p no:cacheprovider tests/test_golden.py

then read ``git diff tests/golden/`` (every line of it is a change visitors, feed readers or
integrations will see) and commit it with the change.

What the tree leaves out, and why:

- Material's own assets (``assets/javascripts``, ``assets/stylesheets``, the favicon): MkDocs
  copies them unchanged from the installed theme, so they are hubgen's output only in that they
  must be there. ``test_materials_assets_are_published_unchanged`` checks exactly that against
  the installed Material, whatever its version, instead of storing 2.5 MB of someone else's
  minified bundles.
- In the pages, the two strings that change with every Material release even when its templates
  do not: the fingerprinted bundle names (``bundle.a5f9d56c.min.js``) and the version in
  ``<meta name="generator">``. They are replaced by placeholders (``normalise``). A Material
  release that changes its templates or inline scripts still changes hubgen's pages (and the
  hashes in ``_headers``): that is real output and is meant to show up here.

Nothing else varies between runs: feed and page dates come from the articles, and the build's
"now" is pinned by hubkit (``SOURCE_DATE_EPOCH``, 2030-01-01): it decides what is published and
what stays scheduled (2099-01-01-future), and MkDocs writes it as the sitemap's ``<lastmod>`` of
every page that is not an article, which would otherwise change every day.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from pathlib import Path

import material
import pytest
from hubkit import Site, build_hub, mini_build

GOLDEN = Path(__file__).parent / "golden" / "minihub"
REFRESH = os.environ.get("HUBGEN_GOLDEN_REFRESH") == "1"
MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"

# Material's fingerprinted bundles, wherever a page names them ("../assets/javascripts/...").
FINGERPRINT = re.compile(r"(assets/(?:javascripts|stylesheets)/[\w/]*?\w+)\.[0-9a-f]{8}(\.min\.)")
GENERATOR = re.compile(r'<meta name="generator" content="mkdocs-[^"]*">')
TEXT_SUFFIXES = {".html", ".xml", ".atom", ".json", ".css", ".js", ".svg", ".txt", ""}
DIFF_LINES = 40


def material_assets() -> dict[str, Path]:
    """The files the installed Material ships under assets/, by their path in a built site."""
    root = MATERIAL_TEMPLATES / "assets"
    return {
        f"assets/{p.relative_to(root).as_posix()}": p
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def is_text(path: str) -> bool:
    return Path(path).suffix in TEXT_SUFFIXES


def normalise(text: str) -> str:
    text = FINGERPRINT.sub(r"\1.MATERIAL-FINGERPRINT\2", text)
    return GENERATOR.sub('<meta name="generator" content="mkdocs, mkdocs-material">', text)


def site_files(root: Path) -> dict[str, bytes]:
    """Every file of a built site that hubgen answers for, normalised, by its path."""
    material_paths = material_assets().keys()
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if not path.is_file() or name in material_paths:
            continue
        data = path.read_bytes()
        files[name] = normalise(data.decode("utf-8")).encode("utf-8") if is_text(name) else data
    return files


def golden_files() -> dict[str, bytes]:
    return {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes()
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file()
    }


def write_golden(files: dict[str, bytes]) -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for name, data in files.items():
        target = GOLDEN / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def difference(name: str, expected: bytes, built: bytes) -> str:
    """A readable account of how one file differs: a unified diff for text."""
    if not is_text(name):
        return f"{name}: {len(built)} bytes built, {len(expected)} expected (binary)"
    diff = difflib.unified_diff(
        expected.decode("utf-8").splitlines(),
        built.decode("utf-8").splitlines(),
        f"golden/minihub/{name}",
        f"built/{name}",
        lineterm="",
    )
    lines = list(diff)
    more = f"\n… {len(lines) - DIFF_LINES} more diff lines" if len(lines) > DIFF_LINES else ""
    return "\n".join(lines[:DIFF_LINES]) + more


def assert_matches_golden(site: Site) -> None:
    built, expected = site_files(site.root), golden_files()
    refresh = "if the change is deliberate, refresh: see tests/test_golden.py's docstring"
    missing, extra = sorted(expected.keys() - built.keys()), sorted(built.keys() - expected.keys())
    assert not (missing or extra), f"not built: {missing}; not expected: {extra} ({refresh})"
    changed = [name for name in expected if built[name] != expected[name]]
    assert not changed, (
        f"{len(changed)} file(s) differ from tests/golden/minihub ({refresh}): {changed}\n"
        + difference(changed[0], expected[changed[0]], built[changed[0]])
    )


def test_the_fixture_hub_builds_to_the_golden_tree(mini_site: Site) -> None:
    if REFRESH:
        write_golden(site_files(mini_site.root))
        pytest.skip("tests/golden/minihub rewritten: review `git diff tests/golden/`")
    assert_matches_golden(mini_site)


def test_a_rebuild_with_a_warm_page_cache_builds_the_same_tree(tmp_path: Path) -> None:
    """Again into the same folder, from the same hub with the page cache its first build left."""
    first = mini_build()
    hub = shutil.copytree(first.hub, tmp_path / "hub")
    site = shutil.copytree(first.site.root, tmp_path / "site")
    assert (hub / ".hubgen-cache").is_dir()  # or this would be a second cold build
    assert_matches_golden(build_hub(hub, site))


def test_materials_assets_are_published_unchanged(mini_site: Site) -> None:
    assets = material_assets()
    assert assets, f"no assets under {MATERIAL_TEMPLATES}: has Material moved them?"
    for name, source in assets.items():
        published = mini_site.root / name
        assert published.is_file(), f"{name} from Material is not published"
        assert published.read_bytes() == source.read_bytes(), f"{name} differs from Material's"


def test_normalising_only_touches_materials_names() -> None:
    page = (
        '<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.2">'
        '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
        '"search": "assets/javascripts/workers/search.a7633da7.min.js"'
        '<link href="assets/hubgen/hubgen.css"><a href="articles/deadbeef.min.html">'
    )
    assert normalise(page) == (
        '<meta name="generator" content="mkdocs, mkdocs-material">'
        '<script src="../assets/javascripts/bundle.MATERIAL-FINGERPRINT.min.js"></script>'
        '"search": "assets/javascripts/workers/search.MATERIAL-FINGERPRINT.min.js"'
        '<link href="assets/hubgen/hubgen.css"><a href="articles/deadbeef.min.html">'
    )
