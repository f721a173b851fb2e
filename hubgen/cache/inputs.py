"""What shapes every page besides the hub's content: versions, mkdocs.yml, theme files.

Part of each page cache key (see :mod:`hubgen.cache.pagecache`): when any of it changes, every page is
rendered again. It reads MkDocs' config duck-typed, so this module never imports MkDocs.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from jinja2 import Environment, TemplateSyntaxError

from hubgen.cache.signatures import Unsignable

IGNORED_KEYS = frozenset({"site_dir", "config_file_path", "dev_addr", "watch", "strict"})
"""Options that change where or how strictly a site is built, never what a page says."""


@functools.cache
def code_digest() -> str:
    """hubgen's own code and templates: an edited checkout must not serve pages of the old one."""
    package = Path(__file__).resolve().parent.parent
    return folder_digest(package, suffixes=(".py", ".html", ".xml", ".js", ".css"))


def module_versions(*names: str) -> dict[str, str]:
    """Versions of imported modules, from their ``__version__``: reading package metadata
    costs 30 ms a package, more than the rest of the salt."""
    found: dict[str, str] = {}
    for name in names:
        module = importlib.import_module(name)
        version = getattr(module, "__version__", None) or getattr(module, "version_str", None)
        found[name] = (
            str(version)
            if version
            else f"file:{folder_digest(Path(module.__file__ or '.').parent)}"
        )
    return found


def config_data(config: Mapping[str, Any], installed: Iterable[Path]) -> dict[str, Any]:
    """mkdocs.yml as it was validated, as plain data; raises :class:`Unsignable` if it cannot.

    ``installed``: folders of installed packages (Material's templates) whose files are
    covered by the package's version, so they are not read on every build.
    """
    packaged = [p.resolve() for p in installed]
    return {
        key: _theme(value, packaged) if key == "theme" else _plain(value)
        for key, value in config.items()
        if key not in IGNORED_KEYS
    }


def _theme(theme: Any, installed: list[Path]) -> dict[str, Any]:
    dirs = [Path(d) for d in theme.dirs]
    return {
        "name": theme.name,
        "dirs": [d.as_posix() for d in dirs],
        "static_templates": sorted(theme.static_templates),
        "vars": {key: _plain(theme[key]) for key in theme},
        # An override edited in custom_dir or hubgen's own templates must re-render pages.
        "files": {
            d.as_posix(): folder_digest(d)
            for d in dirs
            if not any(d.resolve().is_relative_to(p) for p in installed)
        },
    }


TEMPLATE_SUFFIXES = (".html", ".xml", ".j2", ".jinja", ".txt")

_NAMED: dict[tuple[str, int, int], frozenset[str]] = {}
"""Names each template file uses, by (path, size, mtime_ns): `serve` asks on every rebuild."""


def templates_naming(dirs: Iterable[Path], names: frozenset[str]) -> list[str]:
    """Templates under ``dirs`` that use any of ``names``: as a variable or attribute
    (``article.body``) or a string (``article['body']``, ``attr('body')``), by Jinja's lexer,
    so ``<body>`` in the HTML around them does not count."""
    lexer = Environment()
    found: list[str] = []
    for folder in dirs:
        for root, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(TEMPLATE_SUFFIXES):
                    continue
                path = Path(root, name)
                stat = path.stat()
                stamp = (str(path), stat.st_size, stat.st_mtime_ns)
                used = _NAMED.get(stamp)
                if used is None:
                    try:
                        tokens = lexer.lex(path.read_text("utf-8", errors="replace"))
                        used = frozenset(
                            value if kind == "name" else value[1:-1]  # a string, unquoted
                            for _line, kind, value in tokens
                            if kind in ("name", "string")
                        )
                    except TemplateSyntaxError:
                        used = frozenset(names)  # unreadable: assume the worst
                    _NAMED[stamp] = used
                if used & names:
                    found.append(path.as_posix())
    return found


def folder_digest(folder: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """Names and contents of the files under ``folder`` (only those ending in ``suffixes``)."""
    digest = hashlib.sha256()
    for root, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if suffixes is not None and not name.endswith(suffixes):
                continue
            path = Path(root, name)
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(repr(_plain(v)) for v in value)
    if isinstance(value, ModuleType):
        return f"module:{value.__name__}"
    if isinstance(getattr(value, "config", None), Mapping) and hasattr(value, "load_config"):
        kind = type(value)
        return {"plugin": f"{kind.__module__}.{kind.__qualname__}", "config": _plain(value.config)}
    patterns = getattr(value, "patterns", None)
    if patterns is not None and all(hasattr(p, "pattern") for p in patterns):  # pathspec
        return {"patterns": [str(p.pattern) for p in patterns]}
    if callable(value) and hasattr(value, "__qualname__"):  # !!python/name: functions
        return f"callable:{value.__module__}.{value.__qualname__}"
    text = repr(value)
    if " at 0x" in text:
        raise Unsignable(f"Expected plain configuration values but received: {text}")
    return f"{type(value).__qualname__}:{text}"
