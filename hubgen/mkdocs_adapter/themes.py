"""Where the co-branded Material overrides live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

import material
from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader

_PACKAGE = Path(__file__).resolve().parent.parent
"""The ``hubgen`` package folder."""


def theme_dir() -> Path:
    """``hubgen/themes/hubgen`` in a wheel; ``themes/hubgen`` at the top of a source checkout."""
    for candidate in (_PACKAGE / "themes" / "hubgen", _PACKAGE.parent / "themes" / "hubgen"):
        if (candidate / "main.html").is_file():
            return candidate
    raise FileNotFoundError("hubgen's theme overrides are missing; reinstall hubgen")


MATERIAL_TEMPLATES = Path(material.__file__).resolve().parent / "templates"


def with_material_prefix(loader: BaseLoader | None) -> BaseLoader:
    """``loader``, and Material's own templates under ``material/`` too, for an override that
    wraps the partial it replaces (``themes/hubgen/partials/nav.html``)."""
    prefixed = PrefixLoader({"material": FileSystemLoader(MATERIAL_TEMPLATES)})
    return ChoiceLoader([loader, prefixed] if loader is not None else [prefixed])
