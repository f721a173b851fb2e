"""Pagefind's indexer as one service process, given each page's document as text.

Pagefind's command line indexes a folder of files: a build had to write each page's document,
link it into a folder per part under the page's own path (a folder per page), run a process per
part, and delete it all again; at 3,000 articles about 8,000 files and folders made and deleted,
most of the search's cost in the page loop's thread. ``pagefind --service`` takes the documents
over its standard input instead, the protocol Pagefind's own Python and Node APIs speak: each
message is base64 of a JSON request, ended by a comma, answered in kind, and one process serves
every part of a build, one index after another.

Pagefind's Python API speaks it through asyncio and checks for answers every 0.1 s; this client
writes the requests from a thread of its own while the caller reads the answers as they come.
Pagefind 1.5 reads its input ahead of its answers, but nothing in the protocol promises it: with
both sides writing at once, neither can wait on a full pipe whatever the size of a page or of its
answer.
"""

from __future__ import annotations

import base64
import contextlib
import fnmatch
import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from hubgen.cache.prerender import lower_priority
from hubgen.core.files import link_or_copy

Request = dict[str, Any]


class IndexerFailed(Exception):
    """Pagefind's indexer is missing, stopped, or reported an error."""


class PagefindService:
    """One ``pagefind --service`` process, started by the first :meth:`index`."""

    def __init__(self, binary: Path | None, cwd: Path) -> None:
        self._binary = binary
        self._cwd = cwd
        self._process: subprocess.Popen[bytes] | None = None
        self._errors: Any = None  # the process's standard error, a temporary file
        self._unread = b""
        self._next_id = 0

    def index(self, documents: Sequence[tuple[str, str]], bundle: Path, language: str) -> int:
        """Index ``documents`` (a page's URL and its HTML) into a new bundle folder ``bundle``;
        the number of pages indexed."""
        config = {"force_language": language}
        (created,) = self._exchange([{"type": "NewIndex", "config": config}])
        index = int(created["index_id"])
        added = self._exchange(
            [
                {"type": "AddFile", "index_id": index, "url": url, "file_contents": html}
                for url, html in documents
            ]
        )
        (got,) = self._exchange([{"type": "GetFiles", "index_id": index}])
        self._exchange([{"type": "DeleteIndex", "index_id": index}])
        _write_bundle(got["files"], bundle)
        return len(added)

    def close(self) -> None:
        """End the process (it exits when its input closes) and wait for it."""
        process, self._process = self._process, None
        if process is not None:
            _end(process)
        if self._errors is not None:
            self._errors.close()
            self._errors = None

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is not None:
            return self._process
        if self._binary is None:
            raise IndexerFailed("the Pagefind binary was not found")
        # A file, not a pipe: nothing reads it until the process stops.
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._unread = b""
        # From a folder of hubgen's: a pagefind.yml of the hub's must not change what is indexed.
        self._process = subprocess.Popen(
            [str(self._binary), "--service"],
            cwd=self._cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
        )
        lower_priority(self._process.pid)
        return self._process

    def _exchange(self, requests: Sequence[Request]) -> list[dict[str, Any]]:
        """Send ``requests``; their answers' payloads, in the order sent. An error answer, or
        the process stopping, raises :class:`IndexerFailed` (and ends the process)."""
        process = self._start()
        first = self._next_id + 1
        self._next_id += len(requests)
        writer = threading.Thread(target=_write, args=(process, requests, first), daemon=True)
        writer.start()
        answers: dict[int, dict[str, Any]] = {}
        try:
            while len(answers) < len(requests):
                self._receive(answers)
        except BaseException:
            if self._process is not None:  # still running: it ends, and the writer with it
                self._process.kill()
                self.close()
            raise
        finally:
            writer.join()
        return [answers[first + offset] for offset in range(len(requests))]

    def _receive(self, answers: dict[int, dict[str, Any]]) -> None:
        """Read one answer into ``answers`` by its message's number; an error raises."""
        process = self._process
        assert process is not None and process.stdout is not None
        if b"," not in self._unread:
            # Read until a chunk holds the comma, looking in each new chunk only: a part's
            # files come as one message of a megabyte and more, in chunks of 64 KB at most.
            chunks = [self._unread]
            while True:
                chunk = os.read(process.stdout.fileno(), 1 << 16)
                if not chunk:
                    raise self._stopped()
                chunks.append(chunk)
                if b"," in chunk:
                    break
            self._unread = b"".join(chunks)
        message, _, self._unread = self._unread.partition(b",")
        try:
            answer = json.loads(base64.b64decode(message))
            payload = answer["payload"]
        except (ValueError, KeyError, TypeError):
            raise IndexerFailed(
                f"Pagefind answered something unexpected: {message[:80]!r}"
            ) from None
        if payload.get("type") == "Error":
            raise IndexerFailed(str(payload.get("message") or "Pagefind reported an error"))
        answers[int(answer["message_id"])] = payload

    def _stopped(self) -> IndexerFailed:
        """The error for a process that stopped answering, with what it said last."""
        process = self._process
        assert process is not None
        self._process = None
        status = _end(process)
        said = ""
        if self._errors is not None:
            self._errors.seek(0)
            said = self._errors.read().decode("utf-8", "replace").strip()
        last = " / ".join(said.splitlines()[-3:])
        return IndexerFailed(f"exit status {status}" + (f": {last}" if last else ""))


def _write_bundle(files: Sequence[dict[str, str]], bundle: Path) -> None:
    """Write the files of Pagefind's ``GetFiles`` answer into ``bundle`` (a new folder).

    Asked to write them itself (``WriteFiles``), Pagefind wrote 76 files a part of 60 pages, of
    which its interfaces (hubgen's box uses its JavaScript API only) and its scripts and
    WebAssembly, the same in every part and nearly half a megabyte: half of its time indexing a
    part was the system's, making those files. The interfaces are left out here, and the scripts
    are kept once beside the bundles (:data:`SCRIPTS`) and linked into each."""
    scripts = bundle.parent / SCRIPTS
    folders: set[Path] = set()
    for file in files:
        name = str(file["path"])
        if _interface(name):
            continue
        content = base64.b64decode(file["content"])
        target = bundle / name
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        if "/" in name or not name.endswith(_SCRIPT_SUFFIXES):
            target.write_bytes(content)
            continue
        kept = scripts / name
        if not _holds(kept, content):
            scripts.mkdir(exist_ok=True)
            # A name of this thread's: two services may write the scripts at once.
            written = kept.with_name(f".{name}.{threading.get_ident()}.new")
            written.write_bytes(content)
            written.replace(kept)  # bundles linked to the file it replaces keep theirs
        link_or_copy(kept, target)


SCRIPTS = "scripts"
"""Beside the bundles: Pagefind's scripts and WebAssembly, which each bundle links."""

_SCRIPT_SUFFIXES = (".js", ".pagefind")


def _interface(name: str) -> bool:
    """Pagefind's ready-made search interfaces (``pagefind-ui.js``, ``pagefind-highlight.js``…)."""
    top = "/" not in name
    return top and (fnmatch.fnmatch(name, "pagefind-*ui.*") or name == "pagefind-highlight.js")


def _holds(path: Path, content: bytes) -> bool:
    try:
        return path.read_bytes() == content
    except OSError:
        return False


def _write(process: subprocess.Popen[bytes], requests: Sequence[Request], first: int) -> None:
    """Write ``requests`` to ``process``, numbered from ``first``; a process that stopped
    reading is left to the reader to report."""
    stream: IO[bytes] | None = process.stdin
    assert stream is not None
    with contextlib.suppress(OSError, ValueError):  # ValueError: the stream was closed
        for number, request in enumerate(requests, start=first):
            message = json.dumps({"message_id": number, "payload": request})
            stream.write(base64.b64encode(message.encode("utf-8")) + b",")
        stream.flush()


def _end(process: subprocess.Popen[bytes]) -> int:
    """Close ``process``'s input, wait for it to exit (killed after 10 s); its exit status."""
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        return process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()
