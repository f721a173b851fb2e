"""Related articles: the level-by-level index ranks exactly as scoring every article does."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hubgen.core.models import (
    Article,
    AuthorRef,
    Hub,
    HubSettings,
    IdealClient,
    Image,
    Partner,
    PartnerStatus,
    Topic,
)
from hubgen.site.catalog import RELATED_COUNT, Catalog

START = datetime(2024, 1, 1, tzinfo=UTC)


def reference_related(catalog: Catalog, article: Article) -> tuple[Article, ...]:
    """The definition: every other article scored ``2 × shared topics + same category``; the
    best with a score above zero, newest first among equals."""

    def score(other: Article) -> int:
        shared = sum(1 for topic in article.topics for mine in other.topics if topic == mine)
        same = article.category is not None and other.category == article.category
        return 2 * shared + int(same)

    order = {a.url: i for i, a in enumerate(catalog.articles)}
    candidates = [o for o in catalog.articles if o.url != article.url and score(o) > 0]
    candidates.sort(key=lambda o: (-score(o), order[o.url]))
    return tuple(candidates[:RELATED_COUNT])


def random_catalog(rng: random.Random) -> Catalog:
    """A hub whose articles draw from a few topics and categories, as the loader builds them:
    one Topic per slug, each topic once per article."""
    topics = [Topic(f"t{i}", f"T{i}") for i in range(rng.randrange(1, 7))]
    categories = [Topic(f"c{i}", f"C{i}", "category") for i in range(rng.randrange(1, 4))]
    partner = Partner(
        slug="acme",
        name="Acme",
        tagline="Tagline",
        status=PartnerStatus.ACTIVE,
        joined=START.date(),
        logo=Image("logo.svg"),
        bio="Bio.",
        ideal_client=IdealClient("Owners", "Busy"),
        services=("Tax",),
        source="partners/acme.yml",
    )
    articles = [
        Article(
            slug=f"a{i}",
            title=f"A{i}",
            # Several articles on one day: order then comes from the slug, as in the loader.
            date=START + timedelta(days=rng.randrange(0, 40)),
            authors=(AuthorRef("acme"),),
            body="",
            source=f"content/articles/a{i}.md",
            src_uri=f"articles/a{i}.md",
            url=f"articles/a{i}/",
            body_line=5,
            id=f"a{i}",
            excerpt="",
            words=0,
            topics=tuple(rng.sample(topics, rng.randrange(0, min(4, len(topics)) + 1))),
            category=rng.choice([None, *categories]),
        )
        for i in range(rng.randrange(1, 40))
    ]
    articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    root = Path("/nonexistent")
    settings = HubSettings(name="Hub", root=root, docs_dir=root, partners_dir=root)
    return Catalog(Hub(settings, {"acme": partner}, tuple(articles)), START + timedelta(days=99))


@pytest.mark.parametrize("seed", range(40))
def test_related_matches_scoring_every_article(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(10):
        catalog = random_catalog(rng)
        for article in catalog.articles:
            assert catalog.related(article) == reference_related(catalog, article), article.slug


def article_like(
    base: Article, slug: str, days: int, topics: tuple[Topic, ...], category: Topic | None
) -> Article:
    return replace(
        base,
        slug=slug,
        url=f"articles/{slug}/",
        id=slug,
        date=START + timedelta(days=days),
        topics=topics,
        category=category,
    )


def test_related_order_by_topics_then_category_then_date() -> None:
    tax, vat = Topic("tax", "Tax"), Topic("vat", "VAT")
    money = Topic("money", "Money", "category")
    template = random_catalog(random.Random(0))
    base = template.articles[0]
    me = article_like(base, "me", 0, (tax, vat), money)
    articles = [
        me,
        article_like(base, "old-both", 1, (tax, vat), None),  # score 4
        article_like(base, "new-tax-money", 9, (tax,), money),  # score 3
        article_like(base, "new-vat", 8, (vat,), None),  # score 2
        article_like(base, "money-only", 7, (), money),  # score 1
        article_like(base, "both-money", 2, (vat, tax), money),  # score 5
        article_like(base, "nothing", 10, (), None),  # score 0: never related
    ]
    articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    hub = Hub(template.hub.settings, template.hub.partners, tuple(articles))
    catalog = Catalog(hub, START + timedelta(days=99))
    assert [a.slug for a in catalog.related(me)] == ["both-money", "old-both", "new-tax-money"]
    lone = next(a for a in catalog.articles if a.slug == "money-only")
    assert [a.slug for a in catalog.related(lone)] == ["new-tax-money", "both-money", "me"]
