"""The hub's content model: typed, immutable, engine-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from hubgen.core.formsettings import FormSettings
from hubgen.core.referral import ReferralSettings
from hubgen.core.sanitize import ContentPolicy
from hubgen.core.text import reading_minutes, slugify


class PartnerStatus(StrEnum):
    ACTIVE = "active"
    """Published: has a page, bylines link to it, gets calls to action."""
    PENDING = "pending"
    """Applied, not admitted yet: nothing of theirs is published."""
    RETIRED = "retired"
    """Left the network: their articles stay online with a neutral byline."""


@dataclass(frozen=True)
class Image:
    """An image either shipped with the hub (``source`` set, ``url`` site-relative) or remote."""

    url: str
    source: Path | None = None

    @property
    def is_local(self) -> bool:
        return self.source is not None


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str = ""
    photo: Image | None = None
    bio: str = ""


@dataclass(frozen=True)
class IdealClient:
    who_we_help: str
    how_to_spot_them: str


@dataclass(frozen=True)
class Credential:
    """A qualification or registration a visitor can check: what it is, who keeps the register."""

    name: str
    regulator: str = ""
    url: str = ""
    """Where the register entry (or the regulator) can be checked: an https:// address."""


@dataclass(frozen=True)
class Testimonial:
    """A client's words about the firm, with who said them (as the client agreed to be named)."""

    quote: str
    attribution: str


@dataclass(frozen=True)
class SocialLink:
    network: str
    url: str


@dataclass(frozen=True)
class Partner:
    slug: str
    name: str
    tagline: str
    status: PartnerStatus
    joined: date
    logo: Image
    bio: str
    ideal_client: IdealClient
    services: tuple[str, ...]
    source: str
    """The profile's path relative to the hub root, for messages."""
    color: str = "#3f51b5"
    website: str = ""
    email: str = ""
    phone: str = ""
    location: str = ""
    service_area: str = ""
    topics: tuple[str, ...] = ()
    referral_code: str = ""
    maintainers: tuple[str, ...] = ()
    what_makes_us_different: str = ""
    social: tuple[SocialLink, ...] = ()
    people: tuple[Person, ...] = ()
    """The team, shown with photos and roles on the partner's page; bylines can name them."""
    disclaimer: str = ""
    profession: str = ""
    """A short label for what the firm is ("Accountant"): the directory's filter and card line."""
    credentials: tuple[Credential, ...] = ()
    testimonials: tuple[Testimonial, ...] = ()

    @property
    def is_active(self) -> bool:
        return self.status is PartnerStatus.ACTIVE

    @property
    def profession_slug(self) -> str:
        """The profession as a URL-safe token: the directory's filter key."""
        return slugify(self.profession)

    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)


@dataclass(frozen=True)
class AuthorRef:
    """``acme`` or ``acme/jane``: a firm, optionally a named person at that firm."""

    partner: str
    person: str | None = None

    def __str__(self) -> str:
        return f"{self.partner}/{self.person}" if self.person else self.partner


@dataclass(frozen=True)
class CallToAction:
    heading: str = ""
    text: str = ""
    button: str = ""


@dataclass(frozen=True)
class Topic:
    """A tag (``kind="topic"``) or a category (``kind="category"``), keyed by slug."""

    slug: str
    name: str
    kind: str = "topic"


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    date: datetime
    authors: tuple[AuthorRef, ...]
    body: str
    """Markdown without the front matter."""
    source: str
    """Path relative to the hub root, for messages."""
    src_uri: str
    """Path relative to the docs directory, as the site engine knows the file."""
    url: str
    """Site-relative URL with a trailing slash, e.g. ``articles/cash-flow/``."""
    body_line: int
    """Line of the source file where the body starts, so body problems point at the right line."""
    id: str
    excerpt: str
    """The author's ``summary``, or the start of the body: for cards, feeds and descriptions."""
    words: int
    updated: datetime | None = None
    topics: tuple[Topic, ...] = ()
    category: Topic | None = None
    cover: Image | None = None
    cover_alt: str = ""
    draft: bool = False
    cta: CallToAction | None = None
    summary: str = ""
    """The author's own summary, shown as the article's lede; empty when not written."""

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.words)

    @cached_property  # asked for several times by every page and check that shows an article
    def partner_slugs(self) -> tuple[str, ...]:
        """Authoring firms in byline order, each once."""
        return tuple(dict.fromkeys(a.partner for a in self.authors))

    @property
    def year(self) -> int:
        return self.date.year


class FeedKind(StrEnum):
    """What a feed follows."""

    SITE = "site"
    PARTNER = "partner"
    TOPIC = "topic"
    CATEGORY = "category"
    SYNDICATION = "syndication"
    """Every article of the hub, its links carrying one partner's referral code."""


FULL_CONTENT_KINDS = frozenset({FeedKind.SITE, FeedKind.SYNDICATION})
"""Feeds that carry whole articles by default: the site feed (readers) and syndication feeds
(partners' newsletters); the many partner, topic and category feeds carry summaries, which keeps
a large hub's feeds from storing each article dozens of times."""


@dataclass(frozen=True)
class FeedSettings:
    """Which feeds a build writes and what goes in them (plugin option ``feeds``)."""

    enabled: bool = True
    full_content: frozenset[FeedKind] = FULL_CONTENT_KINDS
    """Kinds of feed whose items carry the article's whole HTML; the others carry its summary."""
    max_items: int = 20
    """Latest articles in the site, partner and topic feeds."""
    syndication_max_items: int = 10
    """Latest articles in each partner's syndication feed: ten whole articles cover a weekly or
    monthly newsletter of most networks, and every partner's three feeds repeat them (at 20, a
    hub of 100 partners published 48 MB of syndication feeds)."""


@dataclass(frozen=True)
class HubSettings:
    """Hub-level settings, read from the MkDocs config but usable without it."""

    name: str
    root: Path
    """Directory holding mkdocs.yml; partner and content paths are relative to it."""
    docs_dir: Path
    partners_dir: Path
    site_url: str = ""
    tagline: str = ""
    logo: str = ""
    about: str = ""
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    language: str = "en"
    articles_dir: str = "articles"
    """Folder inside ``docs_dir`` whose Markdown files are articles."""
    page_size: int = 10
    home_articles: int = 6
    repo_link: bool = False
    """Whether the site header links the hub's repository."""
    feeds: FeedSettings = field(default_factory=FeedSettings)
    referral: ReferralSettings = field(default_factory=ReferralSettings)
    forms: FormSettings = field(default_factory=FormSettings)
    content_policy: ContentPolicy = field(default_factory=ContentPolicy)

    @property
    def slug(self) -> str:
        """The hub's name as a URL-safe token (the default UTM campaign)."""
        return slugify(self.name) or "hub"

    def relative(self, path: Path) -> str:
        """A path for messages: relative to the hub root when possible."""
        try:
            return relative_posix(path, self.root)
        except ValueError:
            return path.as_posix()


def relative_posix(path: Path, base: Path) -> str:
    """``path.relative_to(base).as_posix()``, comparing parts directly in the usual case (a
    path below ``base``): pathlib parses its argument again on every call, and the loader asks
    for three relative paths per article."""
    depth = len(base.parts)
    if depth and len(path.parts) > depth and path.parts[:depth] == base.parts:
        return "/".join(path.parts[depth:])
    return path.relative_to(base).as_posix()


@dataclass(frozen=True)
class Hub:
    settings: HubSettings
    partners: dict[str, Partner]
    """Every partner by slug, whatever their status."""
    articles: tuple[Article, ...]
    """Every article, newest first, drafts and future ones included."""
    files_read: int = 0
    """Profiles and articles looked at, including those that had problems."""
