"""The build warns when a site comes near its host's documented limits (hubgen.site.hostlimits)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hubkit import HubDir, Site, mini_build, pinned_build_time

from hubgen.site.hostlimits import (
    GB,
    LIMITS,
    MIB,
    Host,
    HostLimits,
    PartSize,
    SitePart,
    SiteSize,
    host_problems,
    measure,
    measure_beside,
    site_part,
)

SMALL = SiteSize(50_000_000, 2_000, "search/search_index.json", 6 * MIB, "articles", 900)


def test_a_small_site_fits_every_host() -> None:
    assert [h for h in Host if host_problems(SMALL, h)] == []


def test_github_pages_counts_the_whole_sites_bytes() -> None:
    assert host_problems(SiteSize(799_000_000, 10), Host.GITHUB_PAGES) == []
    (near,) = host_problems(SiteSize(850_000_000, 10), Host.GITHUB_PAGES)
    assert near.startswith("the site (850 MB) is at 85% of GitHub Pages' limit of 1.00 GB")
    assert "docs.github.com" in near
    (over,) = host_problems(SiteSize(GB + 1, 10), Host.GITHUB_PAGES)
    assert "is over GitHub Pages' limit" in over
    # Files and their sizes are not GitHub Pages' limits.
    assert host_problems(SiteSize(1, 90_000, "big.json", 900 * MIB), Host.GITHUB_PAGES) == []


def test_a_site_wide_warning_names_what_makes_the_site_big() -> None:
    parts = (
        PartSize(SitePart.PAGES, 500_000_000, 9_000),
        PartSize(SitePart.SOCIAL_CARDS, 200_000_000, 3_100),
        PartSize(SitePart.FEEDS, 150_000_000, 1_000),
        PartSize(SitePart.SEARCH_INDEX, 20_000_000, 4_000),
    )
    size = SiteSize(870_000_000, 17_100, "feed.xml", MIB, "articles", 3_000, parts)
    (bytes_,) = host_problems(size, Host.GITHUB_PAGES)
    assert ": pages 500 MB, social cards 200 MB, feeds 150 MB; see" in bytes_
    (files,) = host_problems(size, Host.CLOUDFLARE_PAGES)
    assert ": pages 9,000 files, search index 4,000 files, social cards 3,100 files; see" in files


@pytest.mark.parametrize(
    ("path", "part"),
    [
        ("index.html", SitePart.PAGES),
        ("articles/cash/index.html", SitePart.PAGES),
        ("articles/cash/card.png", SitePart.SOCIAL_CARDS),
        ("card.png", SitePart.SOCIAL_CARDS),
        ("feed.xml", SitePart.FEEDS),
        ("topics/tax/feed.atom", SitePart.FEEDS),
        ("partners/acme/syndication.json", SitePart.FEEDS),
        ("pagefind/index/en_1a2b.pf_index", SitePart.SEARCH_INDEX),
        ("pagefind/pagefind.js", SitePart.SEARCH_INDEX),
        ("assets/stylesheets/main.css", SitePart.THEME),
        ("assets/hubgen/partners.json", SitePart.THEME),
        ("partners/acme/logo.svg", SitePart.IMAGES),
        ("content/images/cover.webp", SitePart.IMAGES),
        ("hub.json", SitePart.OTHER),
        ("sitemap.xml", SitePart.OTHER),
        ("images/LOGO.PNG", SitePart.IMAGES),
        ("partners/acme/feed.XML", SitePart.FEEDS),
        (".nojekyll", SitePart.OTHER),
        ("assets/.png", SitePart.THEME),
        ("feed", SitePart.OTHER),
        ("archive.tar.gz", SitePart.OTHER),
    ],
)
def test_each_file_belongs_to_one_part_of_the_site(path: str, part: SitePart) -> None:
    assert site_part(path) is part


def test_cloudflare_pages_counts_files_and_each_files_size() -> None:
    size = SiteSize(10, 19_000, "search/search_index.json", 26 * MIB, "articles", 10_000)
    files, big = host_problems(size, Host.CLOUDFLARE_PAGES)
    assert files.startswith(
        "the site (19,000 files) is at 95% of Cloudflare Pages' limit of 20,000"
    )
    assert big.startswith("search/search_index.json (26.0 MiB) is over Cloudflare Pages' limit")
    assert "25.0 MiB per file" in big


def test_netlify_counts_files_per_folder() -> None:
    (problem,) = host_problems(SiteSize(10, 60_000, "", 0, "articles", 54_001), Host.NETLIFY)
    assert problem.startswith("articles/ (54,001 files) is over Netlify's limit of 54,000 files")
    assert host_problems(SiteSize(10, 60_000, "", 0, "articles", 43_000), Host.NETLIFY) == []


def test_other_hosts_are_not_checked() -> None:
    huge = SiteSize(5 * GB, 10**6, "x", GB, ".", 10**6)
    assert host_problems(huge, Host.OTHER) == []


def test_measure_reads_a_real_built_site() -> None:
    site = mini_build().site.root
    files = [Path(d, f) for d, _, names in os.walk(site) for f in names]
    size = measure(site)
    assert size.files == len(files)
    assert size.bytes == sum(f.stat().st_size for f in files)
    largest = max(files, key=lambda f: f.stat().st_size)
    assert size.largest_file_bytes == largest.stat().st_size
    assert (site / size.largest_file).stat().st_size == size.largest_file_bytes
    per_folder = {d: len(names) for d, _, names in os.walk(site)}
    assert size.fullest_directory_files == max(per_folder.values())
    fullest = site / size.fullest_directory
    assert len([p for p in fullest.iterdir() if p.is_file()]) == size.fullest_directory_files
    assert sum(p.files for p in size.parts) == size.files
    assert sum(p.bytes for p in size.parts) == size.bytes
    assert [p.bytes for p in size.parts] == sorted((p.bytes for p in size.parts), reverse=True)


def test_the_search_index_counts_towards_the_site(demo_site: Site) -> None:
    """Pagefind's fragments are many small files: a host counting files counts them."""
    index = [f for f in (demo_site.root / "pagefind").rglob("*") if f.is_file()]
    parts = {p.part: p for p in measure(demo_site.root).parts}
    assert index and parts[SitePart.SEARCH_INDEX].files == len(index)
    cards = list(demo_site.root.rglob("card.png"))
    assert cards and parts[SitePart.SOCIAL_CARDS].files == len(cards)


def test_a_site_measured_beside_its_last_folder_is_measured_as_whole(demo_site: Site) -> None:
    """The build measures the site while it merges the search index, then the index."""
    whole = measure(demo_site.root)
    assert measure_beside(demo_site.root, "pagefind")() == whole
    assert measure_beside(demo_site.root, "not-there")() == whole
    (search,) = [p for p in whole.parts if p.part is SitePart.SEARCH_INDEX]
    assert search.files > 0  # the folder left to the end is counted once, not left out


def test_a_site_that_is_not_there_is_an_error_not_an_empty_site(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        measure(tmp_path / "gone")
    with pytest.raises(FileNotFoundError):  # raised in the thread, raised again here
        measure_beside(tmp_path / "gone", "pagefind")()


def test_the_build_warns_when_the_site_nears_its_host(
    minihub: HubDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from hubgen.cli import main

    built = mini_build().site.root
    per_folder = max(len(names) for _, _, names in os.walk(built))
    # Netlify's real limit (54,000) scaled down to what the fixture's fullest folder holds.
    tiny = HostLimits("Netlify", files_per_directory=per_folder, url="https://docs.example/")
    monkeypatch.setitem(LIMITS, Host.NETLIFY, tiny)
    config = minihub.root / "mkdocs.yml"
    minihub.edit(
        "mkdocs.yml",
        "      about: We are a tiny network.",
        "      about: We are a tiny network.\n      host: netlify",
    )
    with pinned_build_time():
        assert main(["build", "-f", str(config), "-d", str(tmp_path / "site")]) == 0
    err = capsys.readouterr().err
    assert f"({per_folder} files) is at 100% of Netlify's limit" in err, err
    assert "https://docs.example/" in err

    minihub.edit("mkdocs.yml", "      host: netlify", "      host: github-pages")
    with pinned_build_time():
        assert main(["build", "-f", str(config), "-d", str(tmp_path / "site")]) == 0
    assert "limit" not in capsys.readouterr().err


def test_an_unknown_host_is_a_usage_error(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    from hubgen.cli import main

    minihub.edit(
        "mkdocs.yml",
        "      about: We are a tiny network.",
        "      about: We are a tiny network.\n      host: geocities",
    )
    assert main(["build", "-q", "-f", str(minihub.root / "mkdocs.yml")]) == 2
    err = capsys.readouterr().err
    assert "'geocities'" in err and "github-pages" in err, err
