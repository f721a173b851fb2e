"""What a build publishes and how it is grouped: computed once, looked up by dict everywhere."""

from __future__ import annotations

import heapq
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from itertools import chain, combinations, islice
from zoneinfo import ZoneInfo

from hubgen.loader import is_held
from hubgen.models import Article, Hub, HubSettings, Partner, PartnerStatus, Person, Topic
from hubgen.text import slugify

RELATED_COUNT = 3
EXPERT_COUNT = 3


def build_time(timezone: ZoneInfo) -> datetime:
    """ "Now" for publishing decisions; ``SOURCE_DATE_EPOCH`` pins it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone)
    return datetime.now(tz=timezone)


@dataclass(frozen=True)
class Byline:
    """One author of an article as shown to readers."""

    partner: Partner
    person: Person | None

    @property
    def is_active(self) -> bool:
        """Only active partners get a logo, a link and a call to action."""
        return self.partner.is_active

    @property
    def label(self) -> str:
        if self.person:
            return f"{self.person.name}, {self.partner.name}"
        return self.partner.name


@dataclass(frozen=True)
class Service:
    slug: str
    name: str
    partners: tuple[Partner, ...]


class Catalog:
    """The published view of a hub at ``now``; ``preview`` also shows drafts and future articles."""

    def __init__(self, hub: Hub, now: datetime, *, preview: bool = False) -> None:
        self.hub = hub
        self.now = now
        self.preview = preview

    @property
    def settings(self) -> HubSettings:
        return self.hub.settings

    def status(self, article: Article) -> str | None:
        """Why an article is not public: ``draft``, ``scheduled``, ``held`` or None if it is."""
        if article.draft:
            return "draft"
        if is_held(article, self.hub.partners):
            return "held"
        if article.date > self.now:
            return "scheduled"
        return None

    @cached_property
    def articles(self) -> tuple[Article, ...]:
        """Articles on the site, newest first."""
        return tuple(a for a in self.hub.articles if self.preview or self.status(a) is None)

    @cached_property
    def unpublished(self) -> tuple[Article, ...]:
        """Articles a build leaves out, so the summary can say so (nothing is dropped silently)."""
        return tuple(a for a in self.hub.articles if self.status(a) is not None)

    @cached_property
    def partners(self) -> tuple[Partner, ...]:
        """Active partners by name: the ones with pages, cards and calls to action."""
        active = (p for p in self.hub.partners.values() if p.status is PartnerStatus.ACTIVE)
        return tuple(sorted(active, key=lambda p: p.name.casefold()))

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {a.url: i for i, a in enumerate(self.articles)}

    @cached_property
    def by_partner(self) -> dict[str, tuple[Article, ...]]:
        grouped: dict[str, list[Article]] = defaultdict(list)
        for article in self.articles:
            for slug in article.partner_slugs:
                grouped[slug].append(article)
        return {slug: tuple(items) for slug, items in grouped.items()}

    @cached_property
    def topics(self) -> dict[str, tuple[Topic, tuple[Article, ...]]]:
        """Tags in use, by slug, sorted by name."""
        return self._group(lambda a: a.topics)

    @cached_property
    def categories(self) -> dict[str, tuple[Topic, tuple[Article, ...]]]:
        return self._group(lambda a: (a.category,) if a.category else ())

    def _group(
        self, keys: Callable[[Article], Iterable[Topic]]
    ) -> dict[str, tuple[Topic, tuple[Article, ...]]]:
        grouped: dict[Topic, list[Article]] = defaultdict(list)
        for article in self.articles:
            for topic in keys(article):
                grouped[topic].append(article)
        ordered = sorted(grouped, key=lambda t: t.name.casefold())
        return {t.slug: (t, tuple(grouped[t])) for t in ordered}

    @cached_property
    def years(self) -> dict[int, tuple[Article, ...]]:
        grouped: dict[int, list[Article]] = defaultdict(list)
        for article in self.articles:
            grouped[article.year].append(article)
        return {y: tuple(grouped[y]) for y in sorted(grouped, reverse=True)}

    @cached_property
    def services(self) -> dict[str, Service]:
        """Services offered by active partners, merged by slug, sorted by name."""
        names: dict[str, str] = {}
        offered: dict[str, list[Partner]] = defaultdict(list)
        for partner in self.partners:
            for name in partner.services:
                slug = slugify(name)
                names.setdefault(slug, name)
                if partner not in offered[slug]:
                    offered[slug].append(partner)
        ordered = sorted(names, key=lambda s: names[s].casefold())
        return {s: Service(s, names[s], tuple(offered[s])) for s in ordered}

    def service_slugs(self, partner: Partner) -> tuple[str, ...]:
        return tuple(dict.fromkeys(slugify(name) for name in partner.services))

    @cached_property
    def _experts_by_topic(self) -> dict[str, list[Partner]]:
        experts: dict[str, list[Partner]] = defaultdict(list)
        for partner in self.partners:
            for name in partner.topics:
                experts[slugify(name)].append(partner)
        return experts

    def experts_on(self, topic_slug: str) -> tuple[Partner, ...]:
        """Active partners who name this topic as one they are go-to experts for."""
        return tuple(self._experts_by_topic.get(topic_slug, ()))

    def bylines(self, article: Article) -> tuple[Byline, ...]:
        return tuple(
            Byline(
                self.hub.partners[ref.partner],
                self.hub.partners[ref.partner].person(ref.person) if ref.person else None,
            )
            for ref in article.authors
        )

    def active_authors(self, article: Article) -> tuple[Partner, ...]:
        """The article's firms that get an author box and a call to action."""
        partners = (self.hub.partners[s] for s in article.partner_slugs)
        return tuple(p for p in partners if p.is_active)

    def lead_partner(self, article: Article) -> Partner:
        return self.hub.partners[article.authors[0].partner]

    @cached_property
    def _related_index(self) -> RelatedIndex:
        return RelatedIndex(self.articles)

    def related(self, article: Article) -> tuple[Article, ...]:
        """Articles sharing the most topics (then category), newest first among equals."""
        return self._related_index.related(article, RELATED_COUNT)

    def experts(self, article: Article) -> tuple[Partner, ...]:
        """Other active partners who are go-to experts on the article's topics."""
        authors = set(article.partner_slugs)
        counts: dict[str, int] = defaultdict(int)
        for topic in article.topics:
            for partner in self._experts_by_topic.get(topic.slug, ()):
                if partner.slug not in authors:
                    counts[partner.slug] += 1
        ranked = sorted(counts, key=lambda s: (-counts[s], self.hub.partners[s].name.casefold()))
        return tuple(self.hub.partners[s] for s in ranked[:EXPERT_COUNT])

    def neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
        """(older, newer) in publication order."""
        index = self._positions.get(article.url)
        if index is None:
            return None, None
        older = self.articles[index + 1] if index + 1 < len(self.articles) else None
        newer = self.articles[index - 1] if index > 0 else None
        return older, newer

    def expert_topics(self, partner: Partner) -> tuple[Topic, ...]:
        """A partner's expert topics that have articles, linked to their topic pages."""
        found = (self.topics.get(slugify(name)) for name in partner.topics)
        return tuple(entry[0] for entry in found if entry is not None)


_NO_CATEGORY = object()
"""Equal to no article's category: sharing "no category" earns no points."""


class RelatedIndex:
    """Positions of articles (newest first) by topic, by topic and category, and by category.

    :meth:`Catalog.related` ranks by ``2 × shared topics + same category``, then position.
    Scoring each of the ~400 articles that share a topic with an article cost 1 ms per article
    at 3,000; but scores come in levels, so candidates are produced level by level, best first,
    and the search stops when enough are found: two or more shared topics (few, found by set
    intersection), then one topic and the category, one topic, only the category. Topics and
    categories compare by slug: the loader makes one Topic per slug and names each topic once.
    """

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = articles
        self._position = {a.url: i for i, a in enumerate(articles)}
        self._category = [a.category.slug if a.category else None for a in articles]
        by_topic: dict[str, list[int]] = defaultdict(list)
        by_topic_category: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_category: dict[str, list[int]] = defaultdict(list)
        for position, article in enumerate(articles):
            category = self._category[position]
            if category is not None:
                by_category[category].append(position)
            for topic in article.topics:
                by_topic[topic.slug].append(position)
                if category is not None:
                    by_topic_category[topic.slug, category].append(position)
        self._by_topic = {slug: tuple(found) for slug, found in by_topic.items()}
        self._topic_sets = {slug: frozenset(found) for slug, found in by_topic.items()}
        self._by_topic_category = {key: tuple(found) for key, found in by_topic_category.items()}
        self._by_category = {slug: tuple(found) for slug, found in by_category.items()}

    def related(self, article: Article, count: int) -> tuple[Article, ...]:
        """The ``count`` best-scoring other articles with a score above zero."""
        own = self._position.get(article.url)
        ranked = (p for p in self._ranked(article) if p != own)
        return tuple(self.articles[p] for p in islice(ranked, count))

    def _ranked(self, article: Article) -> Iterator[int]:
        """Positions of every article scoring above zero, best first (``article`` included)."""
        slugs = [topic.slug for topic in article.topics]
        category = article.category.slug if article.category is not None else None
        sets = [self._topic_sets.get(slug, frozenset()) for slug in slugs]
        # Sharing two or more topics: score 4 and up, above anything sharing one. Each is
        # counted in C (set intersections, Counter) and ranked by one integer,
        # ``position - n × score``, which orders by score, then position.
        several = set().union(*(first & second for first, second in combinations(sets, 2)))
        shared = Counter(chain.from_iterable(found & several for found in sets))
        n = len(self.articles)
        mine = category if category is not None else _NO_CATEGORY
        keys = sorted(p - n * (2 * k + (self._category[p] == mine)) for p, k in shared.items())
        yield from (key % n for key in keys)
        if category is not None:
            # One topic and the category: score 3.
            same = heapq.merge(*(self._by_topic_category.get((s, category), ()) for s in slugs))
            yield from (p for p in same if p not in several)
        # One topic, another category (or the article has none): score 2.
        one = heapq.merge(*(self._by_topic.get(slug, ()) for slug in slugs))
        yield from (
            p
            for p in one
            if p not in several and (category is None or self._category[p] != category)
        )
        if category is not None:
            # Only the category: score 1.
            for p in self._by_category.get(category, ()):
                if not any(p in found for found in sets):
                    yield p
