"""Emptying the previous site while the new one is built, instead of before.

MkDocs deletes everything in ``site_dir`` (except hidden entries) before it writes a page. On a
hub of thousands of pages that takes seconds of file-system calls and nothing else can happen
meanwhile. Moving the entries into one hidden folder is a rename each; another process deletes
that folder while this one renders, and the build waits for it before it finishes, so the site it
leaves behind is exactly what MkDocs' own cleaning would have left.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

TRASH_PREFIX = ".hubgen-old-"
"""Hidden, so MkDocs' cleaning, its copying and deploy tools that skip dot files leave it alone."""

_DELETE = (
    "import shutil, sys\nfor path in sys.argv[1:]:\n    shutil.rmtree(path, ignore_errors=True)"
)


class Clearing:
    """The old site's entries, being deleted by another process."""

    def __init__(self, folders: list[Path], process: subprocess.Popen[bytes] | None) -> None:
        self.folders = folders
        self.process = process

    def wait(self) -> None:
        """Return once the old entries are gone (deleting them here if the helper failed)."""
        if self.process is not None:
            self.process.wait()
        for folder in self.folders:
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)


def clear_aside(site_dir: Path) -> Clearing | None:
    """Move ``site_dir``'s visible entries aside and start deleting them; None if it is empty."""
    try:
        names = os.listdir(site_dir)
    except OSError:
        return None
    # Left by a build that was killed before its helper finished.
    folders = [site_dir / n for n in names if n.startswith(TRASH_PREFIX)]
    visible = [n for n in names if not n.startswith(".")]
    if visible:
        trash = site_dir / f"{TRASH_PREFIX}{os.getpid()}-{time.monotonic_ns()}"
        try:
            trash.mkdir()
            for name in visible:
                os.rename(site_dir / name, trash / name)
        except OSError:
            pass  # whatever is left, MkDocs deletes as usual
        folders.append(trash)
    if not folders:
        return None
    return Clearing(folders, _deleter(folders))


def delete_in_background(folders: list[Path]) -> None:
    """Delete ``folders`` from a process that outlives this one: nothing waits for the disk."""
    if _deleter(folders, detached=True) is None:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def _deleter(folders: list[Path], *, detached: bool = False) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _DELETE, *map(str, folders)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=detached,  # not stopped by the terminal's Ctrl-C after we exit
        )
    except OSError:
        return None
