"""What enters every cache key, in one place: three salts, each containing the one before, and
the salt of the texts kept between loads (:func:`text_salt`).

1. **Code**: hubgen's own code and templates (hashed: a checkout changes without a new version)
   and the versions of the packages that render a page (:data:`RENDERING_MODULES`).
2. **Bodies** (the render cache): the code salt, the Markdown configuration, the content policy
   and the URL style. An article body's key adds its Markdown, its URL and its links' targets.
3. **Pages and feeds** (the page cache): the body salt, ``mkdocs.yml`` as validated (theme
   features included), the files of the theme overrides, the hand-written pages (their titles are
   in every page's nav), the hub's settings and whether drafts are previewed. A page's key adds
   its URL, meta and view (see :mod:`hubgen.cache.signatures`), and an article page its body's
   key: the page is rendered again whenever its body would be. Pages that list an article sign
   what they show of it, not its body, unless a theme template reads the body
   (:func:`templates_reading_bodies`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import material
import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from hubgen.cache.inputs import code_digest, config_data, module_versions, templates_naming
from hubgen.cache.rendercache import fingerprint
from hubgen.cache.signatures import BODY_FIELDS, Signer
from hubgen.core.models import HubSettings

RENDERING_MODULES = (
    "mkdocs", "material", "markdown", "pymdownx", "jinja2", "nh3", "feedgen.version", "segno",
    "pygments",
)  # fmt: skip
"""Packages whose version is part of every key: a new release may render otherwise."""


def code_salt() -> str:
    return fingerprint(code_digest(), module_versions(*RENDERING_MODULES))


def text_salt() -> str:
    """What is read from each text when the hub loads (its front matter parsed, its words
    counted: :func:`hubgen.load.textmemo.kept_between_builds`) depends on hubgen's code and the
    YAML parser alone."""
    return fingerprint(code_digest(), module_versions("yaml"))


def body_salt(config: MkDocsConfig, settings: HubSettings) -> str:
    extensions = [
        e if isinstance(e, str) else type(e).__qualname__ for e in config.markdown_extensions
    ]
    return fingerprint(
        code_salt(), extensions, config.mdx_configs, repr(settings.content_policy),
        config.use_directory_urls,
    )  # fmt: skip


def page_salt(
    signer: Signer,
    body: str,
    config: MkDocsConfig,
    hand_written: Iterable[File],
    settings: HubSettings,
    *,
    preview: bool,
) -> str:
    """Raises :class:`hubgen.cache.signatures.Unsignable` when ``mkdocs.yml`` holds a value it
    cannot see into (then no page is cached)."""
    pages = sorted((f.src_uri, fingerprint(f.content_string)) for f in hand_written)
    return signer.signature(body, config_data(config, _installed()), pages, settings, preview)


def _installed() -> list[Path]:
    """Material's and MkDocs' own templates: covered by their versions, not read every build."""
    return [Path(material.__file__).parent, Path(mkdocs.__file__).parent]


def templates_reading_bodies(config: MkDocsConfig) -> list[str]:
    """Theme templates (overrides and hubgen's own; Material's and MkDocs' never see hubgen's
    articles) that read an article's :data:`hubgen.cache.signatures.BODY_FIELDS`."""
    installed = [p.resolve() for p in _installed()]
    overrides = [
        Path(d) for d in config.theme.dirs
        if not any(Path(d).resolve().is_relative_to(p) for p in installed)
    ]  # fmt: skip
    return templates_naming(overrides, BODY_FIELDS)
