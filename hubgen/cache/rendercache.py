"""A content-addressed cache of rendered articles, so a rebuild converts only what changed.

An entry is the article's final HTML (rendered and sanitized), its table of contents and its
anchor ids. Its key hashes everything the HTML can depend on: the Markdown body, the article's
own URL and the URLs of the files its links point to (relative links are rewritten to them), the
Markdown configuration, the content policy and the versions of hubgen, MkDocs and Material.
Partner profiles, templates and other articles do not enter: they shape the page around the
body, which is rendered afresh on every build.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hubgen.cache.atomicfile import replacing


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[dict[str, Any]]
    """Python-Markdown ``toc_tokens``: ``{"level", "id", "name", "children"}``."""
    anchors: list[str]


def fingerprint(*parts: object) -> str:
    """A stable hash of JSON-able parts (``repr`` for anything else)."""
    text = json.dumps(parts, sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RenderCache:
    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt
        self.hits = 0
        self.misses = 0

    def key(self, body: str, url: str, link_targets: list[tuple[str, str]]) -> str:
        # Length-prefixed parts hashed directly: JSON-encoding every body cost 0.2 s a build
        # at 3,000 articles, and each build needs every article's key.
        parts = [self.salt, url, *(p for target in sorted(link_targets) for p in target), body]
        digest = hashlib.sha256()
        for part in parts:
            data = part.encode("utf-8", "surrogatepass")
            digest.update(b"%d:" % len(data))
            digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def holds(self, key: str) -> bool:
        """Whether an entry is stored under ``key`` (without reading it)."""
        return self._path(key).is_file()

    def get(self, key: str) -> Rendered | None:
        entry = self.read(key)
        if entry is None:
            self.misses += 1
            return None  # absent or damaged: render again
        self.hits += 1
        return entry

    def read(self, key: str) -> Rendered | None:
        """The entry under ``key`` without counting it a hit or a miss (a kept page's body, for
        the feeds)."""
        try:
            data = json.loads(self._path(key).read_text("utf-8"))
            return Rendered(data["html"], data["toc"], data["anchors"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, entry: Rendered) -> None:
        data = {"html": entry.html, "toc": entry.toc, "anchors": entry.anchors}
        with replacing(self._path(key)) as stream:
            json.dump(data, stream, ensure_ascii=False)

    def prune(self, used: set[str]) -> None:
        """Drop entries this build did not use, so the cache does not grow without bound."""
        if not self.folder.is_dir():
            return
        for bucket in os.scandir(self.folder):  # scandir: pathlib's glob is 10x slower here
            if bucket.is_dir():
                for entry in os.scandir(bucket.path):
                    unused = entry.name.endswith(".json") and entry.name[:-5] not in used
                    if unused or entry.name.endswith(".tmp"):  # .tmp: a killed build's
                        os.unlink(entry.path)
