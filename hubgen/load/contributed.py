"""The files partners add beside their Markdown and YAML: images only, each what its name says.

Two folders are the contributors': the articles folder (cover and body images, which MkDocs copies
to the site) and each ``partners/<slug>/`` folder (logos and team photos, which hubgen publishes).
Anything else there is an error naming the file, because a page, script or stylesheet published
on the hub's origin would run with the hub's name. Raster images must hold the type their name
says (a ``.png`` that is really HTML is refused); SVGs are published filtered
(:mod:`hubgen.load.svgsafe`), and ``hubgen check`` warns about what filtering removes.

Markdown (``.md``) files are articles and profiles' business and are left to the loader.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from hubgen.core.models import HubSettings
from hubgen.core.problems import Problems, Severity
from hubgen.load.images import (
    ALLOWED_IMAGES,
    MARKDOWN_SUFFIXES,
    MAX_IMAGE_BYTES,
    SNIFF_BYTES,
    content_mismatch,
    image_type,
    rename_hint,
)
from hubgen.load.svgsafe import SafeSvg, SvgRefused, sanitize_svg


def contributor_folders(settings: HubSettings) -> list[Path]:
    """The articles folder and every ``partners/<slug>/`` folder that exists."""
    folders: list[Path] = []
    articles = settings.docs_dir / settings.articles_dir
    if articles.is_dir() and not articles.is_symlink():
        folders.append(articles)
    if settings.partners_dir.is_dir():
        for entry in sorted(os.scandir(settings.partners_dir), key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                folders.append(Path(entry.path))
    return folders


def contributed_files(settings: HubSettings) -> Iterator[Path]:
    """Every file in the contributors' folders that is not Markdown, hidden or a link.

    Hidden files stay out of the site (MkDocs skips them); links are reported by
    :func:`hubgen.load.checks.check_symlinks` and never followed.
    """
    for folder in contributor_folders(settings):
        for top, dirs, names in os.walk(folder):  # never follows links
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                path = Path(top, name)
                if name.startswith(".") or path.suffix.lower() == ".md" or path.is_symlink():
                    continue
                yield path


def check_contributed_files(settings: HubSettings, problems: Problems) -> None:
    """Errors for files that are no allowed image, warnings for what SVG filtering removes.

    An image over the size limit is reported where an article or profile uses it; one that
    nothing uses is not published (see :func:`published_svg`), so only its type is checked here.
    """
    for path in contributed_files(settings):
        rel = settings.relative(path)
        kind = image_type(path)
        if kind is None:
            problems.add(rel, 1, 1, "", *_not_an_image(path, settings))
            continue
        if kind.name != "SVG":
            with open(path, "rb") as file:
                head = file.read(SNIFF_BYTES)
            if (mismatch := content_mismatch(kind, head)) is not None:
                problems.add(rel, 1, 1, "", mismatch, rename_hint(head, path.name))
            continue
        if path.stat().st_size > MAX_IMAGE_BYTES:
            continue
        try:
            safe = sanitize_svg(path.read_bytes())
        except SvgRefused as refused:
            problems.add(rel, refused.line, 1, "", refused.message, refused.hint)
            continue
        if safe.removed or safe.changed:
            problems.add(rel, 1, 1, "", *_filtered(rel, safe), Severity.WARNING)


def _not_an_image(path: Path, settings: HubSettings) -> tuple[str, str]:
    folder = settings.relative(path.parent)
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return (
            f"only images and .md files may be added to {folder}/",
            f"articles end in .md: rename it to {path.stem}.md",
        )
    return (
        f"only images may be added to {folder}/: {ALLOWED_IMAGES}",
        f"remove {path.name}; pages, scripts and other files are for the hub's organisers to add",
    )


def _filtered(rel: str, safe: SafeSvg) -> tuple[str, str]:
    if safe.removed and safe.changed:
        what = (
            f"removed {_listed(safe.removed)} from {rel} and made the links in "
            f"{_listed(safe.changed)} local when publishing it"
        )
    elif safe.removed:
        what = f"removed {_listed(safe.removed)} from {rel} when publishing it"
    else:
        what = f"made the links in {_listed(safe.changed)} local when publishing {rel}"
    return (
        what,
        "SVGs are published without scripts, event handlers, links to other sites, external "
        "resources or editor data; remove these from the file to publish it as it is",
    )


def _listed(items: tuple[str, ...], limit: int = 8) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# -- what the site gets ------------------------------------------------------------------------


def published_svg(path: Path) -> bytes | None:
    """The filtered SVG to publish for ``path``; None when it cannot be published at all.

    Over the size limit it is not even read: a build fails when an article or profile uses such
    an image, so none does.
    """
    try:
        if path.is_symlink() or path.stat().st_size > MAX_IMAGE_BYTES:
            return None
        return sanitize_svg(path.read_bytes()).data
    except (OSError, SvgRefused):
        return None


def may_publish(path: Path) -> bool:
    """A raster image of an allowed type whose content is that type (SVGs: :func:`published_svg`)."""
    kind = image_type(path)
    if kind is None or kind.name == "SVG" or path.is_symlink():
        return False
    try:
        with open(path, "rb") as file:
            return content_mismatch(kind, file.read(SNIFF_BYTES)) is None
    except OSError:
        return False
