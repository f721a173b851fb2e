"""The kinds of page hubgen makes, and the typed data each kind of generated page carries.

A page's kind says what it is (its JSON-LD, its feeds, whether search engines may index it);
its data is everything :mod:`hubgen.site.pages` chose to show on it, as one frozen dataclass
per shape, so templates, views and signatures read named, typed attributes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from hubgen.core import urls
from hubgen.core.models import Article, Partner, Topic
from hubgen.site.catalog import Profession, Service

PAGE_WINDOW = 2


class PageKind(StrEnum):
    """What a page is; a ``StrEnum``, so templates compare it with plain strings."""

    HOME = "home"
    ARTICLES = "articles"
    """Every article, newest first (paginated)."""
    ARCHIVE = "archive"
    """One year's articles."""
    TOPICS = "topics"
    """The index of topics, categories and years."""
    TOPIC = "topic"
    CATEGORY = "category"
    DIRECTORY = "directory"
    """Every partner."""
    SERVICE = "service"
    """The partners offering one service, or of one profession (the directory, filtered)."""
    PARTNER = "partner"
    """A partner's profile (page 1) and their articles."""
    SHARE = "share"
    """A partner's share kit."""
    CONTACT = "contact"
    THANKS = "thanks"
    ABOUT = "about"
    REFERRAL_GUIDE = "referral-guide"
    """For partners: every firm's ideal client, how to spot them, what makes them different."""
    ARTICLE = "article"
    """An article: the hub's own Markdown, given a view but no spec."""
    PAGE = "page"
    """A hand-written page of the hub (a guide, a privacy policy), given a view but no spec."""


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    base: str

    @property
    def previous_url(self) -> str | None:
        return urls.paginated(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return urls.paginated(self.base, self.number + 1) if self.number < self.count else None

    @property
    def pages(self) -> list[tuple[int, str] | None]:
        """First, last and two either side of the current page; None marks a gap.

        A window keeps list pages small: linking every page from every page grows with the
        square of the page count (306 links per page at 3,000 articles).
        """
        shown = {1, self.count, *range(self.number - PAGE_WINDOW, self.number + PAGE_WINDOW + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.count)
        window: list[tuple[int, str] | None] = []
        for previous, number in zip([0, *numbers], numbers, strict=False):
            if number - previous > 1:
                window.append(None)
            window.append((number, urls.paginated(self.base, number)))
        return window


@dataclass(frozen=True)
class HomeData:
    articles: Sequence[Article]
    """The newest articles."""
    more: bool
    """True when there are more articles than the home page shows."""
    partners: Sequence[Partner]
    topics: Sequence[Topic]
    """The most used topics."""
    statement: str = ""
    """Who the network is, from its data: "8 independent firms in Leeds who know each other…"."""


@dataclass(frozen=True)
class ArticleListData:
    """One page of a paginated list of articles; as is for a year's archive."""

    heading: str
    articles: Sequence[Article]
    pagination: Pagination


@dataclass(frozen=True)
class AllArticlesData(ArticleListData):
    years: Sequence[int]
    """Every year with articles, for the archive links."""


@dataclass(frozen=True)
class TopicPageData(ArticleListData):
    """A page of a topic's or a category's articles (kinds ``topic`` and ``category``)."""

    topic: Topic
    experts: Sequence[Partner]
    """Partners who are go-to experts on the topic (none for categories)."""
    noun: str
    """``Topic`` or ``Category``."""


@dataclass(frozen=True)
class PartnerPageData(ArticleListData):
    """A page of a partner's articles; page 1 is also their profile."""

    partner: Partner
    expert_topics: Sequence[Topic]
    coauthors: Sequence[Partner] = ()
    """The active firms this partner writes with, most shared articles first."""
    has_articles: bool = False
    """Whether the partner has published any article (its feeds are worth offering)."""


@dataclass(frozen=True)
class TopicsIndexData:
    topics: Sequence[tuple[Topic, Sequence[Article]]]
    categories: Sequence[tuple[Topic, Sequence[Article]]]
    years: Mapping[int, Sequence[Article]]


@dataclass(frozen=True)
class DirectoryData:
    """The partner directory (kind ``directory``) or one service's page of it (``service``)."""

    partners: Sequence[Partner]
    services: Sequence[Service]
    active_service: Service | None
    service_slugs: Mapping[str, Sequence[str]]
    """Each partner's service slugs, by partner slug (the filter's data)."""
    professions: Sequence[Profession] = ()
    """The main filter: about one chip per kind of firm."""
    active_profession: Profession | None = None


@dataclass(frozen=True)
class ShareKitData:
    partner: Partner


@dataclass(frozen=True)
class PartnersData:
    """Pages that show every partner beside their own content (kinds ``contact``, ``about`` and
    ``referral-guide``)."""

    partners: Sequence[Partner]


PageData = (
    HomeData
    | ArticleListData
    | TopicsIndexData
    | DirectoryData
    | ShareKitData
    | PartnersData
    | None
)
"""What a generated page shows; ``None`` for pages that show only their title and text."""
