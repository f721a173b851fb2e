"""The plugin's options under ``plugins: - hubgen: {...}`` in mkdocs.yml, in MkDocs' config style."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig

from hubgen.cms.settings import DEFAULT_LOCAL_BACKEND, CmsSettings
from hubgen.core.formsettings import BACKENDS, FIELD_NAMES, FormSettings
from hubgen.core.models import FULL_CONTENT_KINDS, FeedKind, FeedSettings, HubSettings
from hubgen.core.referral import ReferralSettings
from hubgen.core.sanitize import ContentPolicy
from hubgen.load.fields import is_url
from hubgen.site.hostlimits import Host
from hubgen.site.searchparts import PAGES_PER_PART


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
    """``utm_source`` of tracked links; ``{code}`` is the partner's referral code."""
    utm_medium = QueryToken("referral", template=True)
    """``utm_medium`` of tracked links (share-kit QR codes say ``qr``): the arrival's channel."""
    utm_campaign = QueryToken("{hub}", template=True)
    """``utm_campaign`` of tracked links; ``{hub}`` is the hub's slug, ``{code}`` the code."""
    short_links = c.Type(bool, default=True)
    """Publish ``/r/<code>/`` short links that attribute and forward."""
    window_days = PositiveInt(default=90)
    """Days the visitor's browser remembers the referral (Safari caps script storage at 7)."""
    model = c.Choice(("last", "first"), default="last")
    """Which touch a lead is credited to when a visitor arrived through several partners."""


class RequiredFields(c.ListOfItems[str]):
    """A subset of the form's ``fields``."""

    def post_validation(self, config: base.Config, key_name: str) -> None:
        missing = [name for name in config[key_name] if name not in config["fields"]]
        if missing:
            raise base.ValidationError(
                f"Expected only fields listed in 'fields' but received: {', '.join(missing)}"
            )


class Endpoint(c.Type[str]):
    """Where forms post: an absolute http(s) URL, or empty."""

    def __init__(self) -> None:
        super().__init__(str, default="")

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        if text and not is_url(text):
            raise base.ValidationError(
                f"Expected an http:// or https:// URL but received: {text!r}"
            )
        return text

    def post_validation(self, config: base.Config, key_name: str) -> None:
        if not config[key_name] and config["backend"] in ("formspree", "url"):
            raise base.ValidationError(f"The '{config['backend']}' backend needs an endpoint URL")


class FormsConfig(base.Config):  # type: ignore[no-untyped-call]
    backend = c.Choice(BACKENDS, default="hubgen")
    """hubgen (the lead receiver, `hubgen leads serve`), netlify, formspree or url."""
    endpoint = Endpoint()
    """The URL forms POST to: the receiver's /leads URL, a Formspree form, any endpoint."""
    fields = c.ListOfItems(c.Choice(FIELD_NAMES), default=list(FormSettings.fields))
    """Visible fields, in order; the contact page always adds 'service'."""
    required = RequiredFields(c.Choice(FIELD_NAMES), default=list(FormSettings.required))
    """Fields a visitor must fill in: a subset of ``fields``."""
    privacy_url = c.Type(str, default="")
    """The privacy policy linked from the consent checkbox."""
    organiser = c.Type(str, default="")
    """The slug of the partner who runs the network: the contact page then offers "Not sure —
    let the network decide", and those enquiries go to this partner. Empty: no such choice."""


NEVER_ALLOWED_TAGS = frozenset(
    {"script", "style", "meta", "base", "form", "object", "embed", "link"}
)


class AllowedTag(c.Type[str]):
    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        tag = super().run_validation(value).lower()
        if tag in NEVER_ALLOWED_TAGS:
            raise base.ValidationError(
                f"Expected a tag that cannot run code or change the page but received: {tag!r}"
            )
        return tag


class ContentPolicyConfig(base.Config):  # type: ignore[no-untyped-call]
    extra_tags = c.ListOfItems(AllowedTag(), default=[])
    """Tags to allow beyond the default allow-list, e.g. [iframe] for video embeds."""
    removed_tags = c.ListOfItems(c.Type(str), default=[])
    """Tags to remove from the default allow-list (a stricter hub), e.g. [img]."""
    extra_attributes = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})
    """Attributes to allow per tag, e.g. {iframe: [src, allowfullscreen]}; never on* handlers."""
    style_properties = c.ListOfItems(c.Type(str), default=[])
    """CSS properties allowed in style attributes; empty (default) drops every style attribute."""
    data_images = c.Type(bool, default=True)
    """Allow inline data: images (PNG, JPEG, GIF, WebP)."""
    sponsored_links = c.Type(bool, default=True)
    """Mark links that carry a referral code with rel="sponsored"."""
    allow_file_includes = c.Type(bool, default=False)
    """Allow Markdown extensions that read files from the build machine (pymdownx.snippets…)."""

    def validate(self) -> tuple[list[Any], list[Any]]:
        failed, warnings = super().validate()
        for tag, names in (self.get("extra_attributes") or {}).items():
            handlers = [n for n in names if n.lower().startswith("on")]
            if handlers:
                failed.append(("extra_attributes", base.ValidationError(
                    f"Expected attributes that cannot run code but received {handlers} on <{tag}>"
                )))  # fmt: skip
        return failed, warnings


class FeedKinds(c.ListOfItems[str]):
    """A list of feed kinds; ``true`` means every kind, ``false`` none (the old yes/no option)."""

    def __init__(self, default: frozenset[FeedKind]) -> None:
        choices = [kind.value for kind in FeedKind]
        super().__init__(c.Choice(choices), default=[k for k in choices if k in default])

    def run_validation(self, value: object) -> list[str]:
        if isinstance(value, bool):
            return [kind.value for kind in FeedKind] if value else []
        return super().run_validation(value)


class FeedsConfig(base.Config):  # type: ignore[no-untyped-call]
    enabled = c.Type(bool, default=True)
    """Write RSS, Atom and JSON feeds for the site, each partner, topic and category."""
    full_content = FeedKinds(default=FULL_CONTENT_KINDS)
    """Which kinds of feed put each article's whole HTML in the feeds; the others carry its
    summary. By default the site feed and syndication feeds (partners' newsletters use them);
    ``true`` for every kind (a large hub's feeds then store each article dozens of times),
    ``false`` for none."""
    max_items = PositiveInt(default=20)
    """Latest articles in the site, partner, topic and category feeds."""
    syndication_max_items = PositiveInt(default=FeedSettings.syndication_max_items)
    """Latest articles in each partner's syndication feed (links carry their referral code).
    Newsletter tools send what is new since their last send, so this needs to cover what the
    network publishes between two sends; each feed holds these articles whole, in three
    formats, for every partner."""


class GithubRepo(c.Type[str]):
    """``owner/name`` of a GitHub repository, or empty."""

    def __init__(self) -> None:
        super().__init__(str, default="")

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value).strip()
        if text and not _GITHUB_REPO_RE.match(text):
            raise base.ValidationError(
                f"Expected a GitHub repository as owner/name but received: {text!r}"
            )
        return text


_GITHUB_REPO_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")


class OptionalUrl(c.Type[str]):
    """An absolute http(s) URL, or empty."""

    def __init__(self, default: str = "") -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        if text and not is_url(text):
            raise base.ValidationError(f"Expected an http(s) URL but received: {text!r}")
        return text


class CmsConfig(base.Config):  # type: ignore[no-untyped-call]
    repo = GithubRepo()
    """The hub's GitHub repository (``owner/name``): set it to publish the browser editor at
    ``/admin/``, whose saves are pull requests to it."""
    branch = c.Type(str, default="main")
    """The branch the editor's pull requests are opened against."""
    auth_url = OptionalUrl()
    """The OAuth server that logs editors in to GitHub (Decap's ``base_url``); empty: Netlify's."""
    auth_endpoint = c.Type(str, default="")
    """The login path on ``auth_url`` (Decap's ``auth_endpoint``); empty: ``auth``."""
    open_authoring = c.Type(bool, default=True)
    """Editors without write access save to their own fork and open a pull request from it."""
    local_backend = OptionalUrl(DEFAULT_LOCAL_BACKEND)
    """Where ``npx decap-server`` listens, used when /admin/ is opened on localhost; empty: off."""


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
    repo_link = c.Type(bool, default=False)
    """Show the hub's repository (``repo_url``) in the site header. Off by default: visitors
    come for the firms, not the source; ``repo_url`` still drives the edit links."""
    search = c.Type(bool, default=True)
    """The header search box, backed by a static chunked index (Pagefind) built with the site:
    nothing loads until a visitor focuses the box. Replaces Material's ``search`` plugin, which
    is switched off if listed."""
    search_pages_per_part = PositiveInt(default=PAGES_PER_PART)
    """The search index is built in parts of at most this many pages, each by a Pagefind
    process of its own, then merged into one index: a build's memory depends on this number,
    not on the hub's size (Pagefind holds about 0.25 MB a page), and an edited page re-indexes
    only its part. Visitors download the same index either way."""
    cache = c.Type(bool, default=True)
    """Keep rendered pages, articles and feeds between builds, so a rebuild renders only what
    can have changed."""
    cache_dir = c.Type(str, default=".hubgen-cache")
    """Where, relative to mkdocs.yml (keep it out of git)."""
    feeds = c.SubConfig(FeedsConfig)
    """Site, partner, topic, category and syndication feeds."""
    referral = c.SubConfig(ReferralConfig)
    """Tracked links, short links and how leads are credited to partners."""
    forms = c.SubConfig(FormsConfig)
    """Lead forms on articles, partner pages and the contact page."""
    content_policy = c.SubConfig(ContentPolicyConfig)
    """How partners' rendered HTML is sanitized (an allow-list; see the security model)."""
    cms = c.SubConfig(CmsConfig)
    """The browser editor at ``/admin/`` (Decap CMS), generated from hubgen's field rules."""
    host = c.Choice([host.value for host in Host], default=Host.GITHUB_PAGES.value)
    """Where the site is deployed: ``github-pages`` (what ``hubgen init`` sets up),
    ``cloudflare-pages``, ``netlify`` or ``other``. The build warns when the site comes within
    80 % of the host's documented limits (GitHub Pages: 1 GB per site; Cloudflare Pages: 20,000
    files per site, 25 MiB per file; Netlify: 54,000 files per folder), and names the parts that
    weigh most (pages, feeds, social cards, search index, images): ``feeds.full_content`` trims
    the feeds, ``search: false`` drops the search index's files."""
    headers_file = c.Type(bool, default=True)
    """Write ``_headers`` into the site: the pages' Content-Security-Policy plus
    ``frame-ancestors``, ``X-Content-Type-Options`` and ``Referrer-Policy``, as Netlify and
    Cloudflare Pages read them. GitHub Pages cannot set headers (it would publish the file
    as is); every page carries the policy in a ``<meta>`` tag either way."""


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
        repo_link=options.repo_link,
        feeds=FeedSettings(
            enabled=options.feeds.enabled,
            full_content=frozenset(FeedKind(kind) for kind in options.feeds.full_content),
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
        forms=FormSettings(
            backend=options.forms.backend,
            endpoint=options.forms.endpoint,
            fields=tuple(options.forms.fields),
            required=tuple(options.forms.required),
            privacy_url=options.forms.privacy_url,
            organiser=options.forms.organiser,
        ),
        content_policy=content_policy(config, options),
    )


def cms_settings(options: HubgenConfig) -> CmsSettings:
    cms = options.cms
    return CmsSettings(
        repo=cms.repo,
        branch=cms.branch,
        auth_url=cms.auth_url,
        auth_endpoint=cms.auth_endpoint,
        open_authoring=cms.open_authoring,
        local_backend=cms.local_backend,
    )


def content_policy(config: MkDocsConfig, options: HubgenConfig) -> ContentPolicy:
    policy = options.content_policy
    return ContentPolicy(
        extra_tags=frozenset(policy.extra_tags),
        removed_tags=frozenset(policy.removed_tags),
        extra_attributes={tag: frozenset(names) for tag, names in policy.extra_attributes.items()},
        style_properties=frozenset(policy.style_properties),
        data_images=policy.data_images,
        sponsored_param=options.referral.param if policy.sponsored_links else None,
        site_host=urlsplit(config.site_url or "").hostname or "",
    )
