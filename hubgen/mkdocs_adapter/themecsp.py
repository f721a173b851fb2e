"""The Content-Security-Policy's hashes of Material's inline scripts, by page depth.

The policy itself is engine-free (:mod:`hubgen.site.csp`); this module knows which of Material's
partials write inline ``<script>`` and ``<style>`` elements and renders them with the build's
config (never a page) to hash them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import Environment, TemplateError, TemplateNotFound

from hubgen.core.models import HubSettings
from hubgen.site.csp import Extra, Policy, build_policy, inline_hashes, source_of

log = logging.getLogger("mkdocs.plugins.hubgen")

DEPTH_PARTIALS = ("partials/javascripts/base.html", "partials/javascripts/outdated.html")
"""Material's partials whose inline script spells ``base_url``: hashed for each page depth."""

FIXED_PARTIALS = (
    "partials/javascripts/content.html",
    "partials/integrations/analytics.html",
    "partials/icons.html",
    "partials/javascripts/palette.html",
    "partials/javascripts/announce.html",
    "partials/javascripts/consent.html",
)
"""Material's other partials that write an inline ``<script>`` or ``<style>``, the same on
every page of a build."""


def _included(name: str, config: Mapping[str, Any]) -> bool:
    """Whether Material's templates include the partial ``name`` with this config (the partials
    that decide for themselves render nothing when their feature is off)."""
    theme, extra = config["theme"], config["extra"]
    features = theme.get("features") or []
    return {
        # hubgen's header.html: when the palette is a list (toggles), not one mapping or none.
        "partials/javascripts/palette.html": bool(theme.get("palette"))
        and not isinstance(theme.get("palette"), Mapping),
        "partials/javascripts/announce.html": "announce.dismiss" in features,
        "partials/javascripts/outdated.html": bool(extra.get("version")),
        "partials/javascripts/consent.html": bool(extra.get("consent")),
    }.get(name, True)


ANALYTICS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    # Google's documented sources for Google Analytics 4 with a Content-Security-Policy.
    "google": {
        "script-src": ("https://www.googletagmanager.com",),
        "connect-src": (
            "https://*.google-analytics.com",
            "https://*.analytics.google.com",
            "https://*.googletagmanager.com",
        ),
    },
}

GOOGLE_FONTS = {
    "style-src-elem": ("https://fonts.googleapis.com",),
    "font-src": ("https://fonts.gstatic.com",),
}
"""Material's ``theme.font`` loads its fonts from Google unless ``font: false``."""


class ThemePolicy:
    """The policy of each page of one build, by the page's ``base_url`` (Material's head script
    spells the page's path to the site root, so its hash differs with the page's depth).

    Called from the template as ``hubgen_csp(base_url)``; the text depends only on the build's
    config and ``base_url``, so pages kept by the page cache carry the policy a fresh render
    would give them.
    """

    def __init__(
        self,
        env: Environment,
        config: Mapping[str, Any],
        settings: HubSettings,
        *,
        preview: bool,
        wasm: bool = False,
    ) -> None:
        self.env = env
        self.config = config
        self.settings = settings
        self.preview = preview
        self.wasm = wasm
        """The site search's WebAssembly may be compiled (see ``build_policy``)."""
        self._fixed: Extra | None = None
        self._by_base: dict[str, Policy] = {}
        self._texts: dict[str, str] = {}

    def __call__(self, base_url: str) -> str:
        if (text := self._texts.get(base_url)) is None:
            text = self._texts[base_url] = self.policy((base_url,)).text()
        return text

    def policy(self, base_urls: Iterable[str]) -> Policy:
        """The policy allowing the theme scripts of pages at every one of ``base_urls``."""
        bases = tuple(dict.fromkeys(base_urls))
        if len(bases) == 1 and bases[0] in self._by_base:
            return self._by_base[bases[0]]
        fixed = self._fixed_sources()
        scripts: list[str] = []
        for base in bases:
            scripts += self._base_scripts(base)
        extra = Extra((*fixed.by_directive, ("script-src", tuple(scripts))))
        result = build_policy(self.settings, extra, preview=self.preview, wasm=self.wasm)
        if len(bases) == 1:
            self._by_base[bases[0]] = result
        return result

    def _render(self, name: str, base_url: str) -> str:
        features = self.config["theme"].get("features") or []
        context = {"config": self.config, "base_url": base_url, "features": features}
        try:
            return self.env.get_template(name).render(context)
        except TemplateNotFound:
            return ""  # a Material version without this partial: nothing of it to allow
        except TemplateError as error:
            # A custom override that needs a page: its inline scripts will be blocked, so say so.
            log.warning(
                f"hubgen: Content-Security-Policy: cannot hash the scripts of {name}: {error}"
            )
            return ""

    def _base_scripts(self, base_url: str) -> list[str]:
        return [
            source
            for name in DEPTH_PARTIALS
            if _included(name, self.config)
            for source in inline_hashes(self._render(name, base_url))[0]
        ]

    def _fixed_sources(self) -> Extra:
        """What every page of the build allows, whatever its depth."""
        if self._fixed is not None:
            return self._fixed
        config = self.config
        html = [self._render(name, "") for name in FIXED_PARTIALS if _included(name, config)]
        html.append(self._fonts_block())
        scripts: list[str] = []
        styles: list[str] = []
        for text in html:
            found_scripts, found_styles = inline_hashes(text)
            scripts += found_scripts
            styles += found_styles
        extra: dict[str, list[str]] = {"script-src": scripts, "style-src-elem": styles}
        for script in config.get("extra_javascript") or []:
            if (source := source_of(str(script))) is not None:
                extra["script-src"].append(source)
        for sheet in config.get("extra_css") or []:
            if (source := source_of(str(sheet))) is not None:
                extra["style-src-elem"].append(source)
        provider = (config["extra"].get("analytics") or {}).get("provider")
        for directive, sources in ANALYTICS.get(str(provider), {}).items():
            extra.setdefault(directive, []).extend(sources)
        if config["theme"].get("font") is not False:
            for directive, sources in GOOGLE_FONTS.items():
                extra.setdefault(directive, []).extend(sources)
        self._fixed = Extra(tuple((name, tuple(s)) for name, s in extra.items()))
        return self._fixed

    def _fonts_block(self) -> str:
        """Material's ``fonts`` block (a ``<style>`` naming the fonts when they are loaded)."""
        for name in ("main.html", "base.html"):
            try:
                template = self.env.get_template(name)
            except TemplateError:
                continue
            if "fonts" in template.blocks:
                context = template.new_context({"config": self.config, "base_url": ""})
                try:
                    return "".join(template.blocks["fonts"](context))
                except TemplateError as error:
                    log.warning(
                        f"hubgen: Content-Security-Policy: cannot hash the fonts block: {error}"
                    )
                    return ""
        return ""


def page_base_url(url: str) -> str:
    """``base_url`` as MkDocs gives it to the page at site-relative ``url``."""
    from mkdocs.utils import get_relative_url

    return get_relative_url(".", url)
