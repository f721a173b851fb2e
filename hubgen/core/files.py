"""Files copied into a built site: hard links where the file system allows them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` with ``source``'s content: a hard link where possible, else a copy."""
    try:
        os.link(source, target)
        return
    except FileNotFoundError:  # no folder yet (MkDocs has just emptied the site)
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a `--dirty` build, or a site written over
        target.unlink()
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(source, target)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def moved_aside(folder: Path) -> Path | None:
    """Rename ``folder`` to ``<name>.previous`` beside it (replacing an older one), for its
    contents to be reused or deleted later; None when there is no ``folder``."""
    aside = folder.with_name(f"{folder.name}.previous")
    shutil.rmtree(aside, ignore_errors=True)
    try:
        folder.rename(aside)
    except FileNotFoundError:
        return None
    return aside
