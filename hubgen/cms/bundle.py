"""Decap CMS's JavaScript, pinned and verified, served from the hub itself (never a CDN).

The package is not shipped with hubgen (6 MB of JavaScript in every install, most of which
never publish an editor): the first build that publishes ``/admin/`` downloads the pinned
tarball from the npm registry into the user's cache, checks it against the SHA-512 npm
publishes for that version (``dist.integrity``), and copies the browser bundle out of it. A
tarball that does not match is refused and deleted; nothing unverified ever reaches the site.
Offline machines can put the tarball (``npm pack decap-cms@VERSION``) in the cache by hand.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

DECAP_VERSION = "3.16.3"
TARBALL_URL = f"https://registry.npmjs.org/decap-cms/-/decap-cms-{DECAP_VERSION}.tgz"
TARBALL_INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
"""npm's ``dist.integrity`` of the tarball (``npm view decap-cms@3.16.3 dist.integrity``)."""
SCRIPT = "decap-cms.js"
SCRIPT_INTEGRITY = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p"
"""Subresource Integrity of the main script, checked again by the browser on /admin/."""

_BUNDLE_FILE_RE = re.compile(r"^package/dist/((?:[0-9]+\.)?decap-cms\.js)$")
"""The main script and the chunks it loads on demand (``123.decap-cms.js``), not source maps."""
MAX_TARBALL_BYTES = 64 * 1024 * 1024
DOWNLOAD_TIMEOUT = 120


class BundleError(Exception):
    """The CMS's JavaScript could not be had, or was not what was pinned."""


@dataclass(frozen=True)
class Bundle:
    """The browser files of the pinned Decap CMS, by file name."""

    files: dict[str, bytes]

    def write(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in sorted(self.files.items()):
            path = folder / name
            path.write_bytes(data)
            written.append(path)
        return written


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/hubgen`` (``~/.cache/hubgen``): shared by every hub on the machine."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hubgen"


def tarball_path(folder: Path | None = None) -> Path:
    return (folder or cache_dir()) / f"decap-cms-{DECAP_VERSION}.tgz"


def integrity_of(data: bytes, algorithm: str = "sha512") -> str:
    digest = hashlib.new(algorithm, data).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode('ascii')}"


def load_bundle(folder: Path | None = None) -> Bundle:
    """The verified bundle, downloading the tarball into the cache the first time."""
    path = tarball_path(folder)
    if not path.is_file():
        _download(path)
    data = path.read_bytes()
    if integrity_of(data) != TARBALL_INTEGRITY:
        path.unlink(missing_ok=True)
        raise BundleError(
            f"{path}: the cached decap-cms {DECAP_VERSION} tarball does not match its pinned "
            "SHA-512; it was deleted (build again to download it afresh)"
        )
    return _bundle(data)


def _download(path: Path) -> None:
    try:
        with urllib.request.urlopen(TARBALL_URL, timeout=DOWNLOAD_TIMEOUT) as response:
            data = response.read(MAX_TARBALL_BYTES + 1)
    except OSError as error:
        raise BundleError(
            f"could not download decap-cms {DECAP_VERSION} from the npm registry ({error}); "
            f"on a machine without access, put `npm pack decap-cms@{DECAP_VERSION}`'s file "
            f"at {path}"
        ) from None
    if len(data) > MAX_TARBALL_BYTES or integrity_of(data) != TARBALL_INTEGRITY:
        raise BundleError(
            f"{TARBALL_URL} is not the pinned decap-cms {DECAP_VERSION} (its SHA-512 differs)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(path)


def _bundle(data: bytes) -> Bundle:
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            match = _BUNDLE_FILE_RE.match(member.name)
            if match is None or not member.isfile():
                continue
            extracted = archive.extractfile(member)
            if extracted is not None:
                files[match.group(1)] = extracted.read()
    script = files.get(SCRIPT)
    if script is None or integrity_of(script, "sha384") != SCRIPT_INTEGRITY:
        raise BundleError(f"decap-cms {DECAP_VERSION}: {SCRIPT} is missing or not as pinned")
    return Bundle(files)
