"""Whether a built site fits the static host it is deployed to, before the deploy finds out.

A hub grows by an article at a time until one day the host refuses the deploy. The build measures
what it wrote (:func:`measure`) and :func:`host_problems`, a pure function of those figures and the
host's documented limits, says what is over a limit or within :data:`WARN_AT` of one.

The limits, as the hosts document them (checked 2026-12-02):

- GitHub Pages: "Published GitHub Pages sites may be no larger than 1 GB."
  https://docs.github.com/en/pages/getting-started-with-github-pages/github-pages-limits
- Cloudflare Pages: 20,000 files per site on the Free plan (100,000 on paid plans since
  2026-01-23), 25 MiB per file. https://developers.cloudflare.com/pages/platform/limits/
- Netlify: no limit on files per deploy, but deploys fail when any directory holds more than
  54,000 files. https://docs.netlify.com/site-deploys/overview/#files-per-directory-limit
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from hubgen.core import urls

GB = 1000**3
MIB = 1024**2

WARN_AT = 0.8
"""Warn from 80 % of a limit: a few months of articles before the deploy fails, not after."""


class Host(StrEnum):
    """Where the site is deployed (plugin option ``host``)."""

    GITHUB_PAGES = "github-pages"
    CLOUDFLARE_PAGES = "cloudflare-pages"
    NETLIFY = "netlify"
    OTHER = "other"
    """Any other host: no limits are checked."""


@dataclass(frozen=True)
class HostLimits:
    """A host's documented limits; None where it documents none."""

    name: str
    site_bytes: int | None = None
    files: int | None = None
    file_bytes: int | None = None
    files_per_directory: int | None = None
    url: str = ""
    """Where the host documents them, for the warning's hint."""


LIMITS = {
    Host.GITHUB_PAGES: HostLimits(
        "GitHub Pages",
        site_bytes=1 * GB,
        url="https://docs.github.com/en/pages/getting-started-with-github-pages/github-pages-limits",
    ),
    Host.CLOUDFLARE_PAGES: HostLimits(
        "Cloudflare Pages",
        files=20_000,
        file_bytes=25 * MIB,
        url="https://developers.cloudflare.com/pages/platform/limits/",
    ),
    Host.NETLIFY: HostLimits(
        "Netlify",
        files_per_directory=54_000,
        url="https://docs.netlify.com/site-deploys/overview/#files-per-directory-limit",
    ),
    Host.OTHER: HostLimits("another host"),
}


class SitePart(StrEnum):
    """What a built file is, so a warning can say what makes a site big (and the docs what to
    trim: ``feeds.full_content``, ``search: false``…)."""

    PAGES = "pages"
    FEEDS = "feeds"
    SOCIAL_CARDS = "social cards"
    SEARCH_INDEX = "search index"
    IMAGES = "images"
    THEME = "theme assets"
    OTHER = "other files"


_FEED_NAMES = {"feed", "syndication"}
_FEED_SUFFIXES = {".xml", ".atom", ".json"}
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico"}
_SOCIAL_CARD_NAME = PurePosixPath(urls.social_card("")).name


def site_part(relative: str) -> SitePart:
    """Which part of the site a file is, from its site-relative path alone."""
    top, _, _ = relative.partition("/")
    name = relative.rpartition("/")[2]
    stem, dot, extension = name.rpartition(".")
    # As PurePosixPath has them: "feed.xml" is feed + .xml, ".nojekyll" has no suffix.
    stem, suffix = (stem, f".{extension}".lower()) if dot and stem else (name, "")
    if top == urls.SEARCH_BUNDLE:
        return SitePart.SEARCH_INDEX
    if name == _SOCIAL_CARD_NAME:
        return SitePart.SOCIAL_CARDS
    if stem in _FEED_NAMES and suffix in _FEED_SUFFIXES:
        return SitePart.FEEDS
    if suffix == ".html":
        return SitePart.PAGES
    if top == "assets":  # Material's and hubgen's CSS, JS, icons and favicon
        return SitePart.THEME
    if suffix in _IMAGE_SUFFIXES:
        return SitePart.IMAGES
    return SitePart.OTHER


@dataclass(frozen=True)
class PartSize:
    part: SitePart
    bytes: int
    files: int


@dataclass(frozen=True)
class SiteSize:
    """What a built site weighs, as a host counts it."""

    bytes: int
    files: int
    largest_file: str = ""
    """Site-relative path of the largest file."""
    largest_file_bytes: int = 0
    fullest_directory: str = ""
    """Site-relative path of the directory holding the most files (``.`` for the root)."""
    fullest_directory_files: int = 0
    parts: tuple[PartSize, ...] = ()
    """What the bytes and files are, largest first."""


def measure(site_dir: Path) -> SiteSize:
    """Walk ``site_dir`` once: total bytes, file count, the largest file, the fullest directory."""
    tally = _Tally()
    tally.walk(site_dir)
    return tally.size()


def measure_beside(site_dir: Path, last: str) -> Callable[[], SiteSize]:
    """Start measuring ``site_dir`` but its top folder ``last``, which the build is still
    writing, in a thread; the function returned waits for it, adds ``last`` and returns the
    whole site's size, as :func:`measure` would. A walk is mostly system calls, which run while
    the build's own thread goes on (merging the search index: a tenth of a second at 3,000
    articles, the walk's time)."""
    tally = _Tally()
    failures: list[OSError] = []

    def walk() -> None:
        try:
            tally.walk(site_dir, "", last)
        except OSError as error:  # raised again in the caller's thread
            failures.append(error)

    walking = threading.Thread(target=walk, daemon=True)
    walking.start()

    def size() -> SiteSize:
        walking.join()
        if failures:
            raise failures[0]
        if (site_dir / last).is_dir():
            tally.walk(site_dir / last, f"{last}/")
        return tally.size()

    return size


class _Tally:
    """What a walk of a site found so far."""

    def __init__(self) -> None:
        self.total = self.count = 0
        self.largest, self.largest_bytes = "", -1
        self.fullest, self.fullest_files = ".", 0
        self.parts: dict[SitePart, list[int]] = {}

    def walk(self, top: Path, top_prefix: str = "", skip: str = "") -> None:
        """Add the files under ``top`` (site-relative paths start with ``top_prefix``), but its
        entry named ``skip``."""
        stack = [(str(top), top_prefix)]  # each folder with its site-relative prefix
        while stack:  # scandir: one stat per entry, cheap at tens of thousands of files
            folder, prefix = stack.pop()
            here = 0
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if not (skip and folder == str(top) and entry.name == skip):
                            stack.append((entry.path, f"{prefix}{entry.name}/"))
                    elif entry.is_file():
                        relative = f"{prefix}{entry.name}"
                        size = entry.stat().st_size
                        self.total += size
                        self.count += 1
                        here += 1
                        if size > self.largest_bytes:
                            self.largest, self.largest_bytes = relative, size
                        part = self.parts.setdefault(site_part(relative), [0, 0])
                        part[0] += size
                        part[1] += 1
            if here > self.fullest_files:
                self.fullest, self.fullest_files = prefix.rstrip("/") or ".", here

    def size(self) -> SiteSize:
        return SiteSize(
            self.total,
            self.count,
            self.largest,
            max(self.largest_bytes, 0),
            self.fullest,
            self.fullest_files,
            tuple(
                sorted(
                    (PartSize(p, b, n) for p, (b, n) in self.parts.items()), key=lambda p: -p.bytes
                )
            ),
        )


def _mb(value: int) -> str:
    return f"{value / GB:.2f} GB" if value >= GB else f"{value / 1000**2:,.0f} MB"


def _mib(value: int) -> str:
    return f"{value / MIB:,.1f} MiB"


def _files(value: int) -> str:
    return f"{value:,} files"


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _part_bytes(part: PartSize) -> int:
    return part.bytes


def _part_files(part: PartSize) -> int:
    return part.files


def host_problems(size: SiteSize, host: Host, warn_at: float = WARN_AT) -> list[str]:
    """What in ``size`` is over ``host``'s limits, or within ``warn_at`` of one; [] if nothing.
    A limit on the whole site also names the three parts that count most towards it."""
    limits = LIMITS[host]
    checks = (
        ("the site", size.bytes, limits.site_bytes, _mb, "per site", _part_bytes),
        ("the site", size.files, limits.files, _files, "per site", _part_files),
        (size.largest_file, size.largest_file_bytes, limits.file_bytes, _mib, "per file", None),
        (f"{size.fullest_directory}/", size.fullest_directory_files, limits.files_per_directory,
         _files, "per folder", None),
    )  # fmt: skip
    problems = []
    for what, value, limit, show, per, counted in checks:
        if limit is None or value < limit * warn_at:
            continue
        state = "is over" if value > limit else f"is at {value / limit:.0%} of"
        makeup = _makeup(size.parts, counted, show) if counted else ""
        problems.append(
            f"{what} ({show(value)}) {state} {_possessive(limits.name)} limit of {show(limit)} {per}"
            f"{makeup}; see {limits.url}"
        )
    return problems


def _makeup(
    parts: Sequence[PartSize], counted: Callable[[PartSize], int], show: Callable[[int], str]
) -> str:
    """``: pages 412 MB, feeds 120 MB, social cards 45 MB``: the parts that count most."""
    largest = sorted(parts, key=counted, reverse=True)[:3]
    return ": " + ", ".join(f"{p.part} {show(counted(p))}" for p in largest) if largest else ""
