"""The plugin's options under ``plugins: - hubgen: {...}`` in mkdocs.yml, in MkDocs' config style."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig

from hubgen.models import FeedSettings, HubSettings
from hubgen.referral import ReferralSettings


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


class QueryToken(c.Type[str]):
    """A query-string name or value that needs no escaping (letters, digits, ``-``, ``_``, ``.``)."""

    def __init__(self, default: str, *, template: bool = False) -> None:
        super().__init__(str, default=default)
        self.template = template

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        plain = text.replace("{code}", "").replace("{hub}", "") if self.template else text
        if not plain.replace("-", "").replace("_", "").replace(".", "").isalnum() and plain:
            raise base.ValidationError(
                "Expected letters, digits, '-', '_' or '.'"
                + (" (and the placeholders {code} and {hub})" if self.template else "")
                + f" but received: {text!r}"
            )
        if not text:
            raise base.ValidationError("Expected a value but received an empty string")
        return text


class ReferralConfig(base.Config):  # type: ignore[no-untyped-call]
    param = QueryToken("ref")
    """Query parameter that carries the partner's referral code."""
    utm = c.Type(bool, default=True)
    """Add UTM parameters (the channel) to tracked links; the partner always travels in ``param``."""
    utm_source = QueryToken("{code}", template=True)
    utm_medium = QueryToken("referral", template=True)
    utm_campaign = QueryToken("{hub}", template=True)
    """``{code}`` is the partner's referral code, ``{hub}`` the hub's slug."""
    short_links = c.Type(bool, default=True)
    """Publish ``/r/<code>/`` short links that attribute and forward."""
    window_days = PositiveInt(default=90)
    """Days the visitor's browser remembers the referral (Safari caps script storage at 7)."""
    model = c.Choice(("last", "first"), default="last")
    """Which touch a lead is credited to when a visitor arrived through several partners."""


class FeedsConfig(base.Config):  # type: ignore[no-untyped-call]
    enabled = c.Type(bool, default=True)
    """Write RSS, Atom and JSON feeds for the site, each partner, topic and category."""
    full_content = c.Type(bool, default=True)
    """Put each article's whole HTML in the feeds; ``false`` publishes only summaries."""
    max_items = PositiveInt(default=20)
    """Latest articles in the site, partner, topic and category feeds."""
    syndication_max_items = PositiveInt(default=20)
    """Latest articles in each partner's syndication feed (links carry their referral code)."""


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
    feeds = c.SubConfig(FeedsConfig)
    """Site, partner, topic and syndication feeds (see README: Feeds)."""
    referral = c.SubConfig(ReferralConfig)
    """Tracked links and attribution (see README: Referral links)."""


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
        feeds=FeedSettings(
            enabled=options.feeds.enabled,
            full_content=options.feeds.full_content,
            max_items=options.feeds.max_items,
            syndication_max_items=options.feeds.syndication_max_items,
        ),
        referral=ReferralSettings(
            param=options.referral.param,
            utm=options.referral.utm,
            utm_source=options.referral.utm_source,
            utm_medium=options.referral.utm_medium,
            utm_campaign=options.referral.utm_campaign,
            short_links=options.referral.short_links,
            window_days=options.referral.window_days,
            model=options.referral.model,
        ),
    )
