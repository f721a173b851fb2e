"""Material's interface texts ("Skip to content", "Search"…), each looked up once per build.

Material's ``base.html`` and its partials import ``partials/language.html`` *with context* on
every page, and each ``t(key)`` evaluates the language template's whole table of texts to
return one of them; at 3,000 articles that was 3 % of the page loop. hubgen's theme overrides
the partial with one whose ``t(key)`` calls :class:`ThemeTexts`, which asks Material's own
macros (the theme language's, then English, then the key itself, as Material's partial does)
once per key: the same text, found once.
"""

from __future__ import annotations

from jinja2 import Environment

GLOBAL = "hubgen_theme_text"
"""The name ``themes/hubgen/partials/language.html`` calls it by."""


class ThemeTexts:
    """``t(key)`` of Material's ``partials/language.html`` for one language, remembered."""

    def __init__(self, env: Environment, language: str) -> None:
        self._env = env
        self._language = language or "en"
        self._found: dict[str, object] = {}

    def __call__(self, key: str) -> object:
        found = self._found.get(key)
        if found is None:
            # Looked up at the first page, as Material's import is: a missing language fails
            # the build there, as it always did.
            own = self._env.get_template(f"partials/languages/{self._language}.html").module
            english = self._env.get_template("partials/languages/en.html").module
            found = self._found[key] = own.t(key) or english.t(key) or key  # type: ignore[attr-defined]
        return found
