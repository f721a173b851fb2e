"""Read a hub as it is at a base git ref, without checking anything out.

Checks of a change (``hubgen check --base REF``) compare the working tree with the branch the change
goes into. Everything about the base is read from git's object store with plumbing commands
(``git cat-file``, ``git ls-tree``): no checkout, no hooks, no filters or textconv drivers, so a
file in the change under review cannot influence how the base is read.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml


class GitError(Exception):
    """Git cannot answer: not a repository, an unknown ref, git missing (a usage error)."""


class GitRepo:
    """The repository that holds a hub, addressed by repository-relative POSIX paths."""

    def __init__(self, directory: Path) -> None:
        self.top = Path(self._run(["rev-parse", "--show-toplevel"], cwd=directory).strip())

    def _run(self, args: list[str], *, cwd: Path | None = None, data: bytes | None = None) -> str:
        return self._run_bytes(args, cwd=cwd, data=data).decode("utf-8", "surrogateescape")

    def _run_bytes(
        self, args: list[str], *, cwd: Path | None = None, data: bytes | None = None
    ) -> bytes:
        try:
            result = subprocess.run(
                ["git", *args],
                cwd=cwd or self.top,
                input=data,
                capture_output=True,
                check=False,
                env=_git_env(),
            )
        except FileNotFoundError:
            raise GitError("git is not installed") from None
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(message[-1] if message else f"git {args[0]} failed")
        return result.stdout

    def resolve(self, ref: str) -> str:
        """The commit ``ref`` names, as a full SHA."""
        if not ref or ref.startswith("-"):
            raise GitError(f"'{ref}' is not a git ref")
        try:
            return self._run(
                ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"]
            ).strip()
        except GitError:
            raise GitError(
                f"'{ref}' is not a commit in {self.top} (fetch it first, e.g. git fetch origin main)"
            ) from None

    def relative(self, path: Path) -> str:
        """``path`` relative to the repository's top, as git prints it ("" for the top)."""
        rel = path.resolve().relative_to(self.top.resolve()).as_posix()
        return "" if rel == "." else rel

    def files(self, commit: str, folder: str = "") -> list[str]:
        """Every file at ``commit`` under ``folder`` (repository-relative), sorted."""
        args = ["ls-tree", "-r", "-z", "--name-only", "--full-tree", commit]
        if folder:
            args += ["--", folder]
        return sorted(p for p in self._run(args).split("\0") if p)

    def read(self, commit: str, paths: list[str]) -> dict[str, bytes]:
        """The contents of ``paths`` at ``commit``; paths that do not exist there are left out."""
        paths = [p for p in paths if "\n" not in p]  # the batch protocol is line-based
        if not paths:
            return {}
        request = "".join(f"{commit}:{path}\n" for path in paths).encode()
        out = self._run_bytes(["cat-file", "--batch"], data=request)
        found: dict[str, bytes] = {}
        offset = 0
        for path in paths:
            end = out.index(b"\n", offset)
            header = out[offset:end].split()
            offset = end + 1
            if header[-1] == b"missing" or len(header) != 3:
                continue
            size = int(header[2])
            if header[1] == b"blob":
                found[path] = out[offset : offset + size]
            offset += size + 1
        return found

    def changed_files(self, commit: str) -> list[str]:
        """Files a change touches since it branched from ``commit`` (``git diff REF...HEAD``).

        Renames are listed as a deletion plus an addition, so moving another partner's file away
        counts as touching it.
        """
        out = self._run(
            [
                "diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--no-textconv",
                f"{commit}...HEAD", "--",
            ]
        )  # fmt: skip
        return sorted(p for p in out.split("\0") if p)


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C", GIT_OPTIONAL_LOCKS="0")
    return env


@dataclass(frozen=True)
class BaseLayout:
    """Where a hub's files are at the base ref (repository-relative), from mkdocs.yml there."""

    config: str
    hub: str
    """Folder of mkdocs.yml, "" at the top of the repository."""
    partners: str
    docs: str
    articles: str
    site_url: str


class LenientLoader(yaml.SafeLoader):
    """Safe YAML that reads MkDocs' custom tags (``!ENV``, ``!!python/name:``) as nothing."""


LenientLoader.add_constructor(None, lambda loader, node: None)


def read_layout(repo: GitRepo, commit: str, config: str, ref_label: str) -> BaseLayout:
    """The hub's layout at ``commit``, from its mkdocs.yml (``config``, repository-relative)."""
    data = repo.read(commit, [config]).get(config)
    if data is None:
        raise GitError(f"{config} does not exist on {ref_label}")
    try:
        loaded: Any = yaml.load(data.decode("utf-8-sig"), Loader=LenientLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise GitError(f"{config} on {ref_label} is not valid YAML: {error}") from None
    settings = loaded if isinstance(loaded, dict) else {}
    options = _plugin_options(settings.get("plugins"))
    hub = posixpath.dirname(config)

    def join(*parts: str) -> str:
        joined = posixpath.normpath(posixpath.join(hub, *parts))
        return "" if joined == "." else joined

    docs = join(_text(settings.get("docs_dir"), "docs"))
    return BaseLayout(
        config=config,
        hub=hub,
        partners=join(_text(options.get("partners_dir"), "partners")),
        docs=docs,
        articles=posixpath.normpath(
            posixpath.join(docs, _text(options.get("articles_dir"), "articles").strip("/"))
        ),
        site_url=_text(settings.get("site_url"), ""),
    )


def _plugin_options(plugins: Any) -> dict[str, Any]:
    """The ``hubgen`` plugin's options, whether plugins are written as a list or a mapping."""
    entries: list[Any] = list(plugins.items()) if isinstance(plugins, dict) else plugins or []
    for entry in entries:
        if isinstance(entry, tuple):
            name, options = entry
        elif isinstance(entry, dict) and len(entry) == 1:
            name, options = next(iter(entry.items()))
        else:
            name, options = entry, None
        if name == "hubgen":
            return options if isinstance(options, dict) else {}
    return {}


def _text(value: Any, default: str) -> str:
    return value if isinstance(value, str) and value else default


def is_below(path: str, folder: str) -> bool:
    """True if the repository-relative ``path`` lies inside ``folder`` ("" is the whole repo)."""
    return not folder or PurePosixPath(path).is_relative_to(folder)
