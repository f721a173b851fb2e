"""One process that prepares each indexed part's words for the merge while the pages render.

Preparing a part's words (:func:`hubgen.site.searchmerge.prepare`) is about half a second of
Python per 250 pages, done in a process of its own so that the build's own Python is free for
the pages. It is one process for the whole build, given a part's bundle per line: a new
interpreter for each of the 30 parts of a 3,000-article hub spent 2 s of CPU in starting up
alone. Whatever it could not prepare (it failed, died or never started), the merge prepares
itself and names what is wrong.
"""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import sys
from pathlib import Path

from hubgen.cache.prerender import lower_priority

log = logging.getLogger("mkdocs.plugins.hubgen")

_SCRIPT = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from hubgen.site.searchmerge import prepare_each; prepare_each(sys.stdin, sys.stdout)"
)


class Preparer:
    """The preparing process of one build's indexing thread: one bundle at a time."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._pending = False
        self._broken = False

    def prepare(self, bundle: Path) -> None:
        """Start preparing ``bundle``, once the bundle given before it is prepared."""
        self.wait()
        if self._broken:
            return
        try:
            if self._process is None:
                self._process = _start()
            assert self._process.stdin is not None
            self._process.stdin.write(json.dumps(str(bundle)) + "\n")
            self._process.stdin.flush()
            self._pending = True
        except OSError as error:  # it could not start, or it has died (a broken pipe)
            log.debug(f"hubgen: search: parts' words are not prepared ahead: {error}")
            self._broken = True

    def wait(self) -> None:
        """Until the bundle given last is prepared, or the process has stopped."""
        if not self._pending or self._process is None:
            return
        self._pending = False
        assert self._process.stdout is not None
        if not self._process.stdout.readline():
            self._broken = True

    def close(self) -> None:
        """Wait for the last bundle, then for the process to end."""
        self.wait()
        if self._process is not None:
            with contextlib.suppress(OSError):
                assert self._process.stdin is not None
                self._process.stdin.close()
            self._process.wait()
            with contextlib.suppress(OSError):
                assert self._process.stdout is not None
                self._process.stdout.close()
            self._process = None


def _start() -> subprocess.Popen[str]:
    package_parent = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-c", _SCRIPT, str(package_parent)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )
    lower_priority(process.pid)
    return process
