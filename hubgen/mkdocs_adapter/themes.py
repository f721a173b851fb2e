"""Where the co-branded Material overrides live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
"""The ``hubgen`` package folder."""


def theme_dir() -> Path:
    """``hubgen/themes/hubgen`` in a wheel; ``themes/hubgen`` at the top of a source checkout."""
    for candidate in (_PACKAGE / "themes" / "hubgen", _PACKAGE.parent / "themes" / "hubgen"):
        if (candidate / "main.html").is_file():
            return candidate
    raise FileNotFoundError("hubgen's theme overrides are missing; reinstall hubgen")
