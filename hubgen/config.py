"""The plugin's options under ``plugins: - hubgen: {...}`` in mkdocs.yml, in MkDocs' config style."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig

from hubgen.models import HubSettings


class TimeZone(base.BaseConfigOption[str]):
    """An IANA time zone name such as ``Europe/London``."""

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str):
            raise base.ValidationError(f"Expected a time zone name but received: {type(value)}")
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise base.ValidationError(
                f"Expected an IANA time zone name such as 'Europe/London' but received: {value!r}"
            ) from None
        return value


class PositiveInt(c.Type[int]):
    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if number < 1:
            raise base.ValidationError(f"Expected a positive number but received: {number}")
        return number


class HubgenConfig(base.Config):  # type: ignore[no-untyped-call]
    partners_dir = c.Type(str, default="partners")
    """Folder of partner profiles (``<slug>.yml`` plus assets in ``<slug>/``), relative to mkdocs.yml."""
    articles_dir = c.Type(str, default="articles")
    """Folder inside ``docs_dir`` whose Markdown files are the hub's articles."""
    tagline = c.Type(str, default="")
    """One line saying what the network does, shown on the home page and in search results."""
    logo = c.Type(str, default="")
    """The hub's own logo: a path inside ``docs_dir`` or an https URL (also set ``theme.logo``)."""
    about = c.Type(str, default="")
    """Markdown for the generated About page; leave empty for no About page."""
    timezone = TimeZone(default="UTC")
    """Time zone for article dates written without an offset."""
    page_size = PositiveInt(default=10)
    """Articles per page on every list (archive, topics, partner pages)."""
    home_articles = PositiveInt(default=6)
    """How many of the latest articles the home page shows."""


def hub_settings(config: MkDocsConfig, options: HubgenConfig) -> HubSettings:
    """The engine-free settings the core works with, from MkDocs' config and the plugin options."""
    root = Path(config.config_file_path or ".").resolve().parent
    language: Any = config.theme.get("language") or "en"
    return HubSettings(
        name=config.site_name,
        root=root,
        docs_dir=Path(config.docs_dir).resolve(),
        partners_dir=(root / options.partners_dir).resolve(),
        site_url=config.site_url or "",
        tagline=options.tagline or (config.site_description or ""),
        logo=options.logo,
        about=options.about,
        timezone=ZoneInfo(options.timezone),
        language=str(language),
        articles_dir=options.articles_dir.strip("/"),
        page_size=options.page_size,
        home_articles=options.home_articles,
    )
