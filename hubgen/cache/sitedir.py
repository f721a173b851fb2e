"""The previous site: set aside before MkDocs cleans, its unchanged pages put back, the rest
deleted by another process while the new site is built.

MkDocs deletes everything in ``site_dir`` (except hidden entries) before it writes a page. On a
hub of thousands of pages that takes seconds of file-system calls, and a rebuild then writes most
of the same pages again. Instead, the old entries are moved into one hidden folder (a rename
each); once the page cache has decided which pages it keeps, every old page that *is* the kept
file (the same inode: the site and the cache share it) goes back in place with its folder, and
anything else left is deleted: folders with nothing kept in them by another process, stray files
in kept folders here. The build waits for the deleting process before it finishes, so the site it
leaves behind holds exactly what a clean build writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock: leftovers go by age alone
    fcntl = None  # type: ignore[assignment]

TRASH_PREFIX = ".hubgen-old-"
"""Hidden, so MkDocs' cleaning, its copying and deploy tools that skip dot files leave it alone."""

_DELETE = (
    "import shutil, sys\nfor path in sys.argv[1:]:\n    shutil.rmtree(path, ignore_errors=True)"
)


class OldSite:
    """The previous build's entries, set aside in a hidden folder of the site."""

    def __init__(self, site_dir: Path, trash: Path, leftovers: list[Path]) -> None:
        self.site_dir = site_dir
        self.trash = trash
        self.folders = [*leftovers, trash]
        self._process: subprocess.Popen[bytes] | None = None
        self._started = False
        self._moved = 0

    def salvage(self, expected: Mapping[str, int]) -> set[str]:
        """Put back the old files that are what this build writes; the paths put back.

        ``expected``: site-relative path → inode of the file this build would place there.
        Call it after MkDocs cleaned the site and before anything is written.
        """
        needed = {parent for path in expected for parent in _parents(path)}
        in_place: set[str] = set()
        folders: list[str] = []
        site = str(self.site_dir)
        for entry in os.scandir(self.trash):
            if entry.is_dir(follow_symlinks=False):
                if entry.name in needed:
                    os.rename(entry.path, os.path.join(site, entry.name))
                    folders.append(entry.name)
            elif expected.get(entry.name) == entry.inode():
                os.rename(entry.path, os.path.join(site, entry.name))
                in_place.add(entry.name)
        # Paths as strings: thousands of folders (one a page) are walked on every rebuild.
        while folders:
            folder = folders.pop()
            with os.scandir(f"{site}/{folder}") as entries:
                for entry in entries:
                    path = f"{folder}/{entry.name}"
                    if entry.is_dir(follow_symlinks=False):
                        if path in needed:
                            folders.append(path)
                        else:  # nothing kept inside: deleted with the rest
                            self._moved += 1
                            os.rename(entry.path, self.trash / str(self._moved))
                    elif expected.get(path) == entry.inode():
                        in_place.add(path)
                    else:
                        os.unlink(entry.path)
        return in_place

    def start_deleting(self) -> None:
        if not self._started:
            self._started = True
            self._process = _deleter(self.folders)

    def wait(self) -> None:
        """Return once the old entries are gone (deleting them here if the helper failed)."""
        self.start_deleting()
        if self._process is not None:
            self._process.wait()
        for folder in self.folders:
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)


def _parents(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def set_aside(site_dir: Path) -> OldSite | None:
    """Move ``site_dir``'s visible entries into a hidden folder; None if there are none."""
    try:
        names = os.listdir(site_dir)
    except OSError:
        return None
    # Left by a build that was killed before its old site was deleted.
    leftovers = [site_dir / n for n in names if n.startswith(TRASH_PREFIX)]
    visible = [n for n in names if not n.startswith(".")]
    if not visible and not leftovers:
        return None
    trash = site_dir / f"{TRASH_PREFIX}{os.getpid()}-{time.monotonic_ns()}"
    try:
        trash.mkdir()
        for name in visible:
            os.rename(site_dir / name, trash / name)
    except OSError:
        pass  # whatever is left, MkDocs deletes as usual
    return OldSite(site_dir, trash, leftovers)


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


# -- the folder a build writes before it is swapped in -----------------------------------------


class Staging:
    """A fresh hidden folder beside the site for one build, locked for as long as it lives.

    The lock is an ``flock`` on a file named like the folder plus ``.lock``: the kernel drops
    it when the process ends however it ends, so a later build can tell a folder left by a
    killed build (lock free) from one a build is still writing (lock held).
    """

    def __init__(self, target: Path) -> None:
        prefix = f".{target.name}{STAGING_MARK}"
        while True:
            fd, lock_name = tempfile.mkstemp(prefix=prefix, suffix=LOCK_SUFFIX, dir=target.parent)
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # new and ours: cannot be held
            path = Path(lock_name[: -len(LOCK_SUFFIX)])
            try:
                path.mkdir()
            except FileExistsError:  # pragma: no cover - a folder left without its lock file
                os.close(fd)
                os.unlink(lock_name)
                continue
            break
        self.path = path
        self._lock_fd: int | None = fd
        self._lock = Path(lock_name)

    def release(self) -> None:
        """Unlock and forget the lock file (the folder is renamed or deleted by the caller)."""
        if self._lock_fd is not None:
            self._lock.unlink(missing_ok=True)
            os.close(self._lock_fd)
            self._lock_fd = None


STAGING_MARK = ".building-"
LOCK_SUFFIX = ".lock"
UNLOCKED_GRACE_SECONDS = 3600
"""A staging folder without a lock file (left by an older hubgen) is stale after an hour."""


def stale_staging(target: Path) -> list[Path]:
    """Staging folders of ``target`` (and their lock files) that no running build owns.

    Each is claimed by taking its lock, and renamed away while it is held, so two builds
    clearing at once never both take one, and a live build's folder is never among them.
    """
    prefix = f".{target.name}{STAGING_MARK}"
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    stale: list[Path] = []
    for name in names:
        if not name.startswith(prefix) or name.endswith(LOCK_SUFFIX):
            continue
        folder = target.parent / name
        lock = folder.with_name(name + LOCK_SUFFIX)
        claimed = _claim(folder, lock)
        if claimed is not None:
            stale.append(claimed)
    for name in names:  # lock files whose folder is gone (killed between the two steps)
        if name.startswith(prefix) and name.endswith(LOCK_SUFFIX):
            lock = target.parent / name
            orphan = not lock.with_name(name[: -len(LOCK_SUFFIX)]).exists()
            # A minute's grace: a starting build creates its lock just before its folder.
            if orphan and _age(lock) > 60 and _free(lock):
                lock.unlink(missing_ok=True)
    return stale


def _claim(folder: Path, lock: Path) -> Path | None:
    """``folder`` renamed to a name no build uses, if no live build owns it; else None."""
    if fcntl is None:  # pragma: no cover - Windows
        return _rename_away(folder) if _age(folder) > UNLOCKED_GRACE_SECONDS else None
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return _rename_away(folder) if _age(folder) > UNLOCKED_GRACE_SECONDS else None
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # a running build holds it
        claimed = _rename_away(folder)
        if claimed is not None:
            lock.unlink(missing_ok=True)
        return claimed
    finally:
        os.close(fd)


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _rename_away(folder: Path) -> Path | None:
    away = folder.with_name(f"{TRASH_PREFIX}staging-{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.rename(folder, away)
    except OSError:
        return None
    return away


def _free(lock: Path) -> bool:
    if fcntl is None:  # pragma: no cover - Windows
        return _age(lock) > UNLOCKED_GRACE_SECONDS
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
