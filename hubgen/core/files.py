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
