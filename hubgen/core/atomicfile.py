"""Files replaced whole: a build interrupted while writing never leaves half a file behind.

The new content is written beside the file under a name of this process's and thread's own
(no other writer can be using it) and renamed over it. The file gets the mode any new file
gets (``0o666`` less the umask), as the pages MkDocs writes do: social cards are linked from
the cache into the site, where a web server running as another user must be able to read
them (``tempfile.mkstemp`` made them readable by their owner alone).
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")


@contextmanager
def replacing_bytes(path: Path) -> Iterator[BinaryIO]:
    """A binary stream whose content becomes ``path`` once the block ends without error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(path)
    try:
        with open(temporary, "wb") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def replacing(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content becomes ``path`` once the block ends without error."""
    with replacing_bytes(path) as raw, io.TextIOWrapper(raw, encoding="utf-8") as stream:
        yield stream
