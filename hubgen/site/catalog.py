"""What a build publishes and how it is grouped: computed once, looked up by dict everywhere."""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, reduce
from itertools import combinations, islice
from operator import and_
from zoneinfo import ZoneInfo

from hubgen.core.models import Article, Hub, HubSettings, Partner, PartnerStatus, Person, Topic
from hubgen.core.text import slugify

RELATED_COUNT = 3
EXPERT_COUNT = 3

_POSTCODE_RE = re.compile(r"\b[A-Z]{1,2}[0-9][0-9A-Z]?(?:\s*[0-9][A-Z]{2})?\b")
"""A UK postcode or postcode district (``LS1``, ``LS1 4AP``): not part of a place's name."""


def build_time(timezone: ZoneInfo) -> datetime:
    """ "Now" for publishing decisions; ``SOURCE_DATE_EPOCH`` pins it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone)
    return datetime.now(tz=timezone)


def is_held(article: Article, partners: dict[str, Partner]) -> bool:
    """Held back until every author is admitted: a pending partner must not publish by naming
    an active co-author (its byline, brand and lead form would go live before admission)."""
    return any(partners[s].status is PartnerStatus.PENDING for s in article.partner_slugs)


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


@dataclass(frozen=True)
class Profession:
    """What kind of firm: the directory's main filter (``profession: Accountant``)."""

    slug: str
    name: str
    partners: tuple[Partner, ...]


class Catalog:
    """The published view of a hub at ``now``; ``preview`` also shows drafts and future articles."""

    def __init__(self, hub: Hub, now: datetime, *, preview: bool = False) -> None:
        self.hub = hub
        self.now = now
        self.preview = preview
        self._bylines: dict[str, tuple[Byline, ...]] = {}

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

    @cached_property
    def place(self) -> str:
        """Where the network is: the town most active partners name last in their ``location``
        ("Park Square, Leeds LS1" → Leeds), when at least half of them name it; else ""."""
        towns = Counter(town for partner in self.partners if (town := _town(partner.location)))
        if not towns:
            return ""
        town, count = towns.most_common(1)[0]
        return town if count >= 2 and count * 2 >= len(self.partners) else ""

    @cached_property
    def professions(self) -> dict[str, Profession]:
        """Active partners by profession (merged by slug, named as first spelt), sorted by
        name; partners who name no profession are in none."""
        names: dict[str, str] = {}
        grouped: dict[str, list[Partner]] = defaultdict(list)
        for partner in self.partners:
            if slug := partner.profession_slug:
                names.setdefault(slug, partner.profession)
                grouped[slug].append(partner)
        ordered = sorted(grouped, key=lambda s: names[s].casefold())
        return {s: Profession(s, names[s], tuple(grouped[s])) for s in ordered}

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
        # Kept per article: its page, its JSON-LD, feeds and list pages all show them.
        if (found := self._bylines.get(article.url)) is None:
            found = self._bylines[article.url] = tuple(
                Byline(
                    self.hub.partners[ref.partner],
                    self.hub.partners[ref.partner].person(ref.person) if ref.person else None,
                )
                for ref in article.authors
            )
        return found

    @cached_property
    def _coauthor_counts(self) -> dict[str, Counter[str]]:
        """For each firm, how many published articles it wrote with each other firm."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for article in self.articles:
            for slug in article.partner_slugs:
                counts[slug].update(s for s in article.partner_slugs if s != slug)
        return counts

    def coauthors(self, partner: Partner) -> tuple[Partner, ...]:
        """The active firms ``partner`` writes with, most shared articles first: whom it
        "works closely with"."""
        counts = self._coauthor_counts.get(partner.slug, Counter())
        names = self._folded_names
        ranked = sorted(counts, key=lambda s: (-counts[s], names[s]))
        return tuple(p for s in ranked if (p := self.hub.partners[s]).is_active)

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

    @cached_property
    def _expert_slugs_by_topic(self) -> dict[str, tuple[str, ...]]:
        return {
            slug: tuple(p.slug for p in found) for slug, found in self._experts_by_topic.items()
        }

    @cached_property
    def _folded_names(self) -> dict[str, str]:
        return {slug: partner.name.casefold() for slug, partner in self.hub.partners.items()}

    def experts(self, article: Article) -> tuple[Partner, ...]:
        """Other active partners who are go-to experts on the article's topics."""
        counts: dict[str, int] = {}
        for topic in article.topics:
            for slug in self._expert_slugs_by_topic.get(topic.slug, ()):
                counts[slug] = counts.get(slug, 0) + 1
        for author in article.partner_slugs:
            counts.pop(author, None)
        names = self._folded_names  # casefolded once per partner, not once per article
        ranked = sorted(counts, key=lambda s: (-counts[s], names[s]))
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


def _town(location: str) -> str:
    """The last comma-separated part of a location, without its postcode."""
    last = _POSTCODE_RE.sub("", location.rsplit(",", 1)[-1]).strip()
    return last if last and not any(c.isdigit() for c in last) else ""


class RelatedIndex:
    """The positions of articles (newest first) by topic and by category, as bit masks.

    :meth:`Catalog.related` ranks by ``2 × shared topics + same category``, then position.
    Scoring each of the ~400 articles that share a topic with an article cost 1 ms per article
    at 3,000. But scores come in levels (sharing k topics and the category, then k topics and
    not the category, then k - 1 …), and with one bit per position a level is a few integer
    ANDs and ORs in C, and its newest articles are its lowest bits: levels are produced best
    first and the search stops when enough are found. Topics and categories compare by slug:
    the loader makes one Topic per slug and names each topic once.
    """

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = articles
        self._position = {a.url: i for i, a in enumerate(articles)}
        self._by_topic: dict[str, int] = defaultdict(int)
        self._by_category: dict[str, int] = defaultdict(int)
        for position, article in enumerate(articles):
            if article.category is not None:
                self._by_category[article.category.slug] |= 1 << position
            for topic in article.topics:
                self._by_topic[topic.slug] |= 1 << position

    def related(self, article: Article, count: int) -> tuple[Article, ...]:
        """The ``count`` best-scoring other articles with a score above zero."""
        own = self._position.get(article.url)
        others = ~(1 << own) if own is not None else -1
        chosen: list[int] = []
        for level in self._levels(article):
            chosen += islice(_bits(level & others), count - len(chosen))
            if len(chosen) == count:
                break
        return tuple(self.articles[p] for p in chosen)

    def _levels(self, article: Article) -> Iterator[int]:
        """Masks of the articles with each score above zero, best first (``article`` included)."""
        topics = [self._by_topic.get(topic.slug, 0) for topic in article.topics]
        category = self._by_category.get(article.category.slug, 0) if article.category else 0
        more = 0  # sharing more topics than the level at hand
        for shared in range(len(topics), 0, -1):
            at_least = _in_at_least(topics, shared)
            level = at_least & ~more
            yield level & category
            yield level & ~category
            more = at_least
        yield category & ~more


def _in_at_least(masks: Sequence[int], count: int) -> int:
    """The bits set in at least ``count`` of ``masks``."""
    found = 0
    for group in combinations(masks, count):
        found |= reduce(and_, group)
    return found


def _bits(mask: int) -> Iterator[int]:
    """The positions of the bits set in ``mask``, lowest first."""
    while mask:
        lowest = mask & -mask
        yield lowest.bit_length() - 1
        mask ^= lowest
