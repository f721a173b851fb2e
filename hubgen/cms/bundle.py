"""Decap CMS's JavaScript, pinned and verified, served from the hub itself (never a CDN).

The package is not shipped with hubgen (6 MB of JavaScript in every install, most of which
never publish an editor): the first build that publishes ``/admin/`` downloads the pinned
tarball from the npm registry into the user's cache, checks it against the SHA-512 npm
publishes for that version (``dist.integrity``), and copies the browser bundle out of it. A
tarball that does not match is refused and deleted; nothing unverified ever reaches the site.
Offline machines can put the tarball (``npm pack decap-cms@VERSION``) in the cache by hand.

The same goes for eemeli/yaml's browser build (``yaml``, served under ``/admin/yaml/``): the
formats in ``hubgen-formats.js`` use it to rewrite only the values an editor changed, keeping
a file's comments and layout (Decap's own YAML writer drops them).
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

YAML_VERSION = "2.9.1"
YAML_TARBALL_URL = f"https://registry.npmjs.org/yaml/-/yaml-{YAML_VERSION}.tgz"
YAML_TARBALL_INTEGRITY = (
    "sha512-3NxN8+78OdzbT7C/WjGsyfPAtJaN3FNDsWxv7Y7mcDsT/"
    "oOmgW8BpyQQFFBnvZE3j9Y2Sdz1ULFLezL7Eb2yFw=="
)
"""npm's ``dist.integrity`` of the tarball (``npm view yaml@2.9.1 dist.integrity``)."""
YAML_DIR = "yaml"
_YAML_FILE_RE = re.compile(r"^package/browser/dist/((?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_.-]+\.js)$")
"""The ES modules of the browser build, under their own relative paths (they import each other)."""
MAX_TARBALL_BYTES = 64 * 1024 * 1024
DOWNLOAD_TIMEOUT = 120


class BundleError(Exception):
    """The CMS's JavaScript could not be had, or was not what was pinned."""


@dataclass(frozen=True)
class Package:
    """One pinned npm tarball and the files the browser gets from it."""

    name: str
    version: str
    url: str
    integrity: str
    members: re.Pattern[str]
    prefix: str = ""
    """The folder under /admin/ its files are served from."""

    @property
    def file_name(self) -> str:
        return f"{self.name}-{self.version}.tgz"


DECAP = Package("decap-cms", DECAP_VERSION, TARBALL_URL, TARBALL_INTEGRITY, _BUNDLE_FILE_RE)
YAML = Package(
    "yaml", YAML_VERSION, YAML_TARBALL_URL, YAML_TARBALL_INTEGRITY, _YAML_FILE_RE, YAML_DIR + "/"
)
PACKAGES = (DECAP, YAML)


@dataclass(frozen=True)
class Bundle:
    """The browser files of the pinned Decap CMS, by file name."""

    files: dict[str, bytes]

    def write(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in sorted(self.files.items()):
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
        return written


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/hubgen`` (``~/.cache/hubgen``): shared by every hub on the machine."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hubgen"


def tarball_path(folder: Path | None = None, package: Package = DECAP) -> Path:
    return (folder or cache_dir()) / package.file_name


def integrity_of(data: bytes, algorithm: str = "sha512") -> str:
    digest = hashlib.new(algorithm, data).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode('ascii')}"


def load_bundle(folder: Path | None = None) -> Bundle:
    """The verified bundle (Decap and yaml), downloading the tarballs into the cache the first
    time."""
    files: dict[str, bytes] = {}
    for package in PACKAGES:
        files |= _package_files(package, _tarball(package, folder))
    script = files.get(SCRIPT)
    if script is None or integrity_of(script, "sha384") != SCRIPT_INTEGRITY:
        raise BundleError(f"decap-cms {DECAP_VERSION}: {SCRIPT} is missing or not as pinned")
    if f"{YAML_DIR}/index.js" not in files:
        raise BundleError(f"yaml {YAML_VERSION}: its browser build is missing")
    return Bundle(files)


def _tarball(package: Package, folder: Path | None) -> bytes:
    path = tarball_path(folder, package)
    if not path.is_file():
        _download(package, path)
    data = path.read_bytes()
    if integrity_of(data) != package.integrity:
        path.unlink(missing_ok=True)
        raise BundleError(
            f"{path}: the cached {package.name} {package.version} tarball does not match its "
            "pinned SHA-512; it was deleted (build again to download it afresh)"
        )
    return data


def _download(package: Package, path: Path) -> None:
    label = f"{package.name} {package.version}"
    try:
        with urllib.request.urlopen(package.url, timeout=DOWNLOAD_TIMEOUT) as response:
            data = response.read(MAX_TARBALL_BYTES + 1)
    except OSError as error:
        raise BundleError(
            f"could not download {label} from the npm registry ({error}); on a machine "
            f"without access, put `npm pack {package.name}@{package.version}`'s file at {path}"
        ) from None
    if len(data) > MAX_TARBALL_BYTES or integrity_of(data) != package.integrity:
        raise BundleError(f"{package.url} is not the pinned {label} (its SHA-512 differs)")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(path)


def _package_files(package: Package, data: bytes) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            match = package.members.match(member.name)
            # The pattern admits no "..": a member cannot be written outside its folder.
            if match is None or not member.isfile() or ".." in match.group(1):
                continue
            extracted = archive.extractfile(member)
            if extracted is not None:
                files[package.prefix + match.group(1)] = extracted.read()
    return files
