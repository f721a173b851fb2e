"""A seeded synthetic corpus, written twice: as a hubgen hub and as a Material blog project.

Pure standard library and fully deterministic: the same ``(articles, partners, seed)`` always
writes byte-identical files, so two machines (or two runs) benchmark exactly the same content.

    python -m benchmarks.corpus OUT --articles 1000 --partners 50 [--seed 1]

writes ``OUT/hub`` (``mkdocs.yml`` with ``plugins: [search, hubgen]``, ``partners/``,
``content/articles/``), ``OUT/material`` (``docs/blog/posts/``, ``docs/blog/.authors.yml``,
``mkdocs.yml`` with ``plugins: [search, blog, tags, rss]``, author profiles on),
``OUT/material-light`` (the same posts with ``plugins: [search, blog, rss]`` and no author
profiles) and ``OUT/pelican`` (``pelicanconf.py``, ``content/*.md``, Pelican's default theme and
feeds plus tag feeds). All use the same Markdown extensions and the same article bodies; only
the front matter (and Pelican's spelling of links between articles) differs.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

SITE_URL = "https://hub.example/"
PAGE_SIZE = 10
FIRST_DAY = date(2019, 1, 7)
LAST_DAY = date(2025, 12, 19)
"""Articles are spread over these seven years: all in the past, so every one is published."""

# -- vocabularies ---------------------------------------------------------------------------

TOPICS = (
    "Tax", "Cash flow", "Funding", "VAT", "Payroll", "Pensions", "Hiring", "Redundancy",
    "Sickness absence", "Contracts", "Disputes", "Data protection", "Insurance", "Cyber security",
    "Websites", "Search engines", "Social media", "Branding", "Pricing", "Sales", "Leases",
    "Property", "Energy costs", "Exit planning", "Succession", "Investment", "Banking", "Grants",
    "Exporting", "Compliance", "Health and safety", "Training", "Wellbeing", "Remote work",
    "Late payment", "Suppliers", "Customer service", "Leadership", "Growth", "Sustainability",
)  # fmt: skip
CATEGORIES = (
    "Finance", "People", "Legal", "Technology", "Marketing", "Property", "Planning", "Operations",
)  # fmt: skip


@dataclass(frozen=True)
class Trade:
    """A kind of firm: what it is called, what it sells, what it writes about."""

    noun: str
    category: str
    services: tuple[str, ...]
    topics: tuple[str, ...]


TRADES = (
    Trade("Accounting", "Finance", ("Bookkeeping", "Year-end accounts", "VAT returns", "Payroll",
          "Corporation tax", "Management accounts"), ("Tax", "Cash flow", "VAT", "Payroll")),
    Trade("Employment Law", "Legal", ("Employment contracts", "Disciplinary and grievance",
          "Tribunal defence", "Settlement agreements"), ("Contracts", "Disputes", "Redundancy")),
    Trade("HR", "People", ("HR retainer", "Policies and handbooks", "Recruitment support",
          "Absence management"), ("Hiring", "Sickness absence", "Wellbeing", "Training")),
    Trade("Insurance", "Finance", ("Commercial insurance", "Cyber insurance",
          "Key person cover", "Claims handling"), ("Insurance", "Cyber security", "Compliance")),
    Trade("Business Banking", "Finance", ("Business loans", "Asset finance", "Overdrafts",
          "Invoice finance"), ("Funding", "Banking", "Cash flow", "Grants")),
    Trade("Financial Planning", "Planning", ("Pensions advice", "Investment planning",
          "Exit planning", "Protection"), ("Pensions", "Investment", "Exit planning",
          "Succession")),
    Trade("Web Studio", "Technology", ("Website design", "Web development", "Hosting",
          "Accessibility audits"), ("Websites", "Search engines", "Branding")),
    Trade("Marketing", "Marketing", ("Marketing strategy", "Social media management",
          "Copywriting", "Email marketing"), ("Social media", "Branding", "Sales", "Pricing")),
    Trade("IT Support", "Technology", ("Managed IT", "Cyber Essentials", "Cloud migration",
          "Backups"), ("Cyber security", "Data protection", "Remote work")),
    Trade("Property", "Property", ("Lease advice", "Office search", "Rent reviews",
          "Dilapidations"), ("Leases", "Property", "Energy costs")),
    Trade("Commercial Law", "Legal", ("Terms and conditions", "Shareholder agreements",
          "Debt recovery", "Company secretarial"), ("Contracts", "Late payment", "Disputes")),
    Trade("Consulting", "Operations", ("Business coaching", "Process improvement",
          "Supplier reviews", "Export readiness"), ("Growth", "Leadership", "Suppliers",
          "Exporting", "Sustainability")),
)  # fmt: skip

PLACES = (
    "Aire", "Alder", "Ash", "Beck", "Birch", "Bramley", "Briggate", "Calder", "Castlegate",
    "Chapel", "Colne", "Crag", "Dale", "Don", "Elm", "Fell", "Garforth", "Gill", "Hawthorn",
    "Heath", "Holme", "Ilkley", "Kirkgate", "Lark", "Ledger", "Linden", "Marsh", "Mill", "Moor",
    "Nidd", "Oak", "Otley", "Pennine", "Pike", "Quarry", "Ribble", "Rowan", "Saltaire", "Scar",
    "Skell", "Swale", "Tarn", "Thorn", "Ure", "Vale", "Wharfe", "Willow", "Wold", "York", "Yew",
)  # fmt: skip
FIRST_NAMES = (
    "Aisha", "Ben", "Chloe", "Dev", "Ella", "Farid", "Grace", "Harry", "Imran", "Jess", "Kate",
    "Liam", "Maya", "Nina", "Owen", "Priya", "Quinn", "Rosa", "Sam", "Tom", "Uma", "Vik",
    "Wendy", "Yusuf", "Zoe",
)  # fmt: skip
SURNAMES = (
    "Ackroyd", "Bell", "Chen", "Dawson", "Evans", "Fletcher", "Gill", "Hughes", "Iqbal",
    "Jones", "Khan", "Lister", "Moss", "Nowak", "Okafor", "Patel", "Reid", "Shah", "Taylor",
    "Walsh",
)  # fmt: skip
ROLES = (
    "Director", "Founding partner", "Senior associate", "Client manager", "Head of advice",
    "Consultant", "Practice manager",
)  # fmt: skip
COLORS = (
    "#0f766e", "#1d4ed8", "#7c3aed", "#b91c1c", "#c2410c", "#15803d", "#0e7490", "#a21caf",
    "#4338ca", "#be123c", "#065f46", "#92400e",
)  # fmt: skip

AUDIENCES = (
    "owner-managed firms", "small employers", "family businesses", "new directors",
    "growing teams", "sole traders", "retailers", "professional practices", "manufacturers",
    "charities", "start-ups", "hospitality businesses",
)  # fmt: skip
TITLE_FORMS = (
    "{n} things {audience} get wrong about {topic}",
    "A practical guide to {topic} for {audience}",
    "What changes to {topic} mean for {audience}",
    "{Topic}: the questions we hear most from {audience}",
    "How {audience} can get {topic} under control",
    "Before you sign: {topic} checks for {audience}",
    "The {topic} checklist we give {audience}",
    "Why {topic} matters more than {audience} think",
    "Getting {topic} right in your first year",
    "{Topic} without the jargon: a guide for {audience}",
)  # fmt: skip
SUBJECTS = (
    "Most owners", "Many directors", "The firms we work with", "Businesses with twenty staff",
    "Our clients", "Family businesses", "Finance teams", "New managers", "Growing companies",
    "The better-run firms", "Plenty of sole traders", "Smaller employers",
)  # fmt: skip
VERBS = (
    "underestimate", "put off", "only discover", "rarely budget for", "can plan for",
    "should review", "ought to write down", "tend to forget", "often misread", "pay too much for",
    "leave too late", "quietly ignore", "rely on", "argue about",
)  # fmt: skip
OBJECTS = (
    "the quarterly bill", "a clear written agreement", "the renewal date", "the cost of a bad hire",
    "the small print", "their own figures", "the notice period", "the deadline",
    "a second opinion", "the real margin on each job", "the paperwork", "the risk register",
    "the handover", "the monthly report", "a simple forecast", "the terms of the loan",
)  # fmt: skip
TAILS = (
    "until it is too late", "before the year end", "when cash is tight", "in the busy season",
    "because nobody owns the task", "even when the numbers look fine", "after a bad month",
    "when a key person leaves", "once the business has grown", "during a dispute",
    "when the bank asks questions", "on a Friday afternoon",
)  # fmt: skip
IMPERATIVES = (
    "write it down", "set a reminder a month ahead", "ask for the figures in writing",
    "agree who is responsible", "check it every quarter", "keep a copy with the contract",
    "talk to an adviser early", "test it with a real example", "put a date in the diary",
    "compare at least three quotes", "read the termination clause", "keep the evidence",
)  # fmt: skip
CONNECTORS = (
    "That is why", "In practice,", "The good news is that", "As a rule,", "Put simply,",
    "In our experience,", "More often than not,", "Even so,",
)  # fmt: skip
NOUNS = (
    "businesses", "clients", "employers", "firms", "owners", "teams", "contracts", "claims",
)  # fmt: skip
HEADINGS = (
    "Where it goes wrong", "What the rules say", "A worked example", "The numbers",
    "What to do this month", "Common mistakes", "Questions to ask", "When to get help",
    "Who is responsible", "The timetable", "What it costs", "Keeping records",
    "A checklist", "What we recommend", "The exceptions", "Before you start",
)  # fmt: skip
WORD_RE = re.compile(r"\S+")


# -- the plan: who writes what, when --------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    bio: str


@dataclass(frozen=True)
class PartnerPlan:
    slug: str
    name: str
    trade: Trade
    color: str
    joined: date
    place: str
    people: tuple[Person, ...]
    topics: tuple[str, ...]
    disclaimer: str


@dataclass(frozen=True)
class ArticlePlan:
    stem: str
    """File name without ``.md``: ``YYYY-MM-DD-slug``."""
    title: str
    moment: datetime
    authors: tuple[tuple[str, str | None], ...]
    """(partner slug, person id or None), lead author first."""
    topics: tuple[str, ...]
    category: str
    body: str


@dataclass(frozen=True)
class Corpus:
    partners: tuple[PartnerPlan, ...]
    articles: tuple[ArticlePlan, ...]
    seed: int


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _partners(rng: random.Random, count: int) -> list[PartnerPlan]:
    names = [(place, trade) for place in PLACES for trade in TRADES]
    rng.shuffle(names)
    partners: list[PartnerPlan] = []
    for index in range(count):
        place, trade = names[index % len(names)]
        name = f"{place} {trade.noun}"
        if index >= len(names):  # more partners than combinations: number the repeats
            name += f" {index // len(names) + 1}"
        people = []
        for number, first in enumerate(rng.sample(FIRST_NAMES, rng.randint(1, 3))):
            full = f"{first} {rng.choice(SURNAMES)}"
            role = ROLES[0] if number == 0 else rng.choice(ROLES[1:])
            people.append(
                Person(
                    first.lower(),
                    full,
                    role,
                    f"{first} joined {name} in {rng.randint(2005, 2022)} and looks after "
                    f"{rng.choice(AUDIENCES)} across {place} and the surrounding area.",
                )
            )
        topics = tuple(rng.sample(trade.topics, min(len(trade.topics), rng.randint(2, 3))))
        partners.append(
            PartnerPlan(
                slug=slugify(name),
                name=name,
                trade=trade,
                color=rng.choice(COLORS),
                joined=date(2018, 1, 1) + timedelta(days=rng.randint(0, 360)),
                place=place,
                people=tuple(people),
                topics=topics,
                disclaimer=(
                    f"{name} Ltd is registered in England and Wales. This article is general "
                    "information, not advice for your situation."
                    if rng.random() < 0.4
                    else ""
                ),
            )
        )
    return partners


def _title(rng: random.Random, topic: str) -> str:
    form = rng.choice(TITLE_FORMS)
    text = form.format(
        n=rng.randint(3, 12),
        audience=rng.choice(AUDIENCES),
        topic=topic.lower(),
        Topic=topic,
    )
    return text[0].upper() + text[1:]


def _moment(rng: random.Random) -> datetime:
    day = FIRST_DAY + timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
    return datetime(day.year, day.month, day.day, rng.randint(7, 17), rng.choice((0, 15, 30, 45)))


def _plan_articles(
    rng: random.Random, count: int, partners: list[PartnerPlan]
) -> list[tuple[str, str, datetime, tuple[tuple[str, str | None], ...], tuple[str, ...], str]]:
    plans = []
    slugs: set[str] = set()
    for _ in range(count):
        lead = rng.choice(partners)
        authors = [lead]
        if len(partners) > 1 and rng.random() < 0.3:
            authors.append(rng.choice([p for p in partners if p is not lead]))
        refs = tuple(
            (p.slug, rng.choice(p.people).id if rng.random() < 0.6 else None) for p in authors
        )
        pool = list(dict.fromkeys(lead.topics + lead.trade.topics))
        topics = [rng.choice(pool)]
        for _ in range(rng.randint(0, 3)):
            extra = rng.choice(pool) if rng.random() < 0.5 else rng.choice(TOPICS)
            if extra not in topics:
                topics.append(extra)
        category = lead.trade.category if rng.random() < 0.8 else rng.choice(CATEGORIES)
        title = _title(rng, topics[0])
        moment = _moment(rng)
        base = slug = slugify(title)[:60].rstrip("-")
        number = 2
        while slug in slugs:  # the URL drops the date, so a repeated title gets a number
            slug = f"{base}-{number}"
            number += 1
        slugs.add(slug)
        plans.append((f"{moment:%Y-%m-%d}-{slug}", title, moment, refs, tuple(topics), category))
    return plans


# -- prose ----------------------------------------------------------------------------------


def _sentence(rng: random.Random, topic: str) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."
        )
    if kind == 1:
        return f"{rng.choice(CONNECTORS)} the simplest fix is to {rng.choice(IMPERATIVES)}."
    if kind == 2:
        return (
            f"About {rng.randint(2, 9)} in ten of the {rng.choice(NOUNS)} we see "
            f"{rng.choice(VERBS)} {topic.lower()} {rng.choice(TAILS)}."
        )
    if kind == 3:
        return (
            f"When it comes to {topic.lower()}, {rng.choice(SUBJECTS).lower()} "
            f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}, and it costs them "
            f"around £{rng.randint(2, 90) * 100:,} a year."
        )
    if kind == 4:
        return (
            f"If you only do one thing, {rng.choice(IMPERATIVES)} and "
            f"{rng.choice(IMPERATIVES)} {rng.choice(TAILS)}."
        )
    return (
        f"{rng.choice(CONNECTORS)} {rng.choice(SUBJECTS).lower()} that act early "
        f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} far less often."
    )


def _paragraph(rng: random.Random, topic: str) -> str:
    sentences = [_sentence(rng, topic) for _ in range(rng.randint(3, 6))]
    if rng.random() < 0.25:
        index = rng.randrange(len(sentences))
        sentences[index] = "**" + sentences[index] + "**"
    return " ".join(sentences)


def _bullets(rng: random.Random, numbered: bool) -> str:
    items = [
        f"{rng.choice(IMPERATIVES).capitalize()} {rng.choice(TAILS)}."
        for _ in range(rng.randint(3, 6))
    ]
    return "\n".join(
        (f"{n}. " if numbered else "- ") + item for n, item in enumerate(items, start=1)
    )


def _table(rng: random.Random, topic: str) -> str:
    rows = ["| Item | Who | When | Typical cost |", "|---|---|---|---|"]
    for _ in range(rng.randint(3, 6)):
        rows.append(
            f"| {rng.choice(OBJECTS).capitalize()} | {rng.choice(SUBJECTS)} | "
            f"{rng.choice(TAILS).capitalize()} | £{rng.randint(1, 50) * 50:,} |"
        )
    return f"How {topic.lower()} costs usually break down:\n\n" + "\n".join(rows)


def _body(rng: random.Random, topic: str, link_to: list[tuple[str, str]]) -> str:
    """600–1,500 words: intro, 3+ sections with lists, sometimes a table, tip or links."""
    # Sections are added until the target is passed, which overshoots by about one section.
    target = rng.randint(520, 1330)
    intro = _paragraph(rng, topic)
    blocks = [intro]
    words = len(WORD_RE.findall(intro))
    headings = rng.sample(HEADINGS, len(HEADINGS))
    links = list(link_to)
    section = 0
    while words < target:
        heading = headings[section % len(headings)]
        section += 1
        section_blocks = [f"## {heading}", _paragraph(rng, topic)]
        roll = rng.random()
        if roll < 0.3:
            section_blocks.append(_bullets(rng, numbered=rng.random() < 0.4))
        elif roll < 0.38:
            section_blocks.append(_table(rng, topic))
        elif roll < 0.45:
            section_blocks.append(
                f'!!! tip "{rng.choice(CONNECTORS).rstrip(",")}"\n\n    {_sentence(rng, topic)}'
            )
        if links and rng.random() < 0.5:
            stem, title = links.pop()
            section_blocks.append(f"We cover the detail in [{title}]({stem}.md).")
        section_blocks.append(_paragraph(rng, topic))
        for block in section_blocks:
            words += len(WORD_RE.findall(block))
        blocks += section_blocks
    return "\n\n".join(blocks) + "\n"


def plan(articles: int, partners: int, seed: int = 1) -> Corpus:
    """Everything the corpus contains, decided by ``random.Random(seed)`` alone."""
    if partners < 1 or articles < 0:
        raise ValueError(
            f"Expected at least 1 partner and 0 articles but received: {partners}, {articles}"
        )
    rng = random.Random(seed)
    partner_plans = _partners(rng, partners)
    metas = _plan_articles(rng, articles, partner_plans)
    plans = []
    for stem, title, moment, refs, topics, category in metas:
        links: list[tuple[str, str]] = []
        if len(metas) > 1 and rng.random() < 0.35:
            for _ in range(rng.randint(1, 2)):
                other = rng.choice(metas)
                if other[0] != stem:
                    links.append((other[0], other[1]))
        body = _body(rng, topics[0], links)
        plans.append(ArticlePlan(stem, title, moment, refs, topics, category, body))
    return Corpus(tuple(partner_plans), tuple(plans), seed)


# -- writers --------------------------------------------------------------------------------

THEME = """\
theme:
  name: material
  language: en
  font: false
  features:
    - navigation.tabs
    - navigation.top
"""
MARKDOWN_EXTENSIONS = """\
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
"""


def _q(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _flow(items: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(_q(item) for item in items) + "]"


def logo_svg(partner: PartnerPlan) -> str:
    initials = "".join(word[0] for word in partner.name.split()[:2]).upper()
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
        f'<rect width="64" height="64" rx="12" fill="{partner.color}"/>'
        '<text x="32" y="41" font-family="sans-serif" font-size="24" font-weight="700" '
        f'fill="#fff" text-anchor="middle">{initials}</text></svg>\n'
    )


def partner_yaml(partner: PartnerPlan) -> str:
    trade = partner.trade
    lines = [
        f"name: {_q(partner.name)}",
        f"tagline: {_q(f'{trade.services[0]} and {trade.services[1].lower()} for owner-managed firms')}",
        "status: active",
        f"joined: {partner.joined.isoformat()}",
        "logo: logo.svg",
        f"color: {_q(partner.color)}",
        f"website: https://{partner.slug}.example",
        f"email: hello@{partner.slug}.example",
        f'phone: "+44 113 496 {sum(map(ord, partner.slug)) % 10000:04d}"',
        f"location: {_q(partner.place)}",
        f"service_area: {_q(f'{partner.place} and West Yorkshire')}",
        "services:",
        *(f"  - {_q(s)}" for s in trade.services),
        f"topics: {_flow(partner.topics)}",
        f"maintainers: [{partner.slug[:30]}-team]",
        "bio: |",
        f"  {partner.name} is a {trade.noun.lower()} firm based in {partner.place}. We work with",
        "  owner-managed businesses of five to fifty people and answer the phone.",
        "",
        f"  Our clients come to us for {trade.services[0].lower()}, "
        f"{trade.services[1].lower()} and",
        f"  {trade.services[2].lower()}, and stay because we explain things plainly.",
        "ideal_client:",
        f"  who_we_help: {_q('Owners of firms with 5 to 50 staff who need ' + trade.services[0].lower() + '.')}",
        f"  how_to_spot_them: {_q('They mention ' + partner.topics[0].lower() + ' worries at the end of a meeting.')}",
        f"what_makes_us_different: {_q('Fixed fees agreed up front and a named adviser.')}",
        "social:",
        f"  linkedin: https://www.linkedin.com/company/{partner.slug}",
        "people:",
    ]
    for person in partner.people:
        lines += [
            f"  - id: {person.id}",
            f"    name: {_q(person.name)}",
            f"    role: {_q(person.role)}",
            f"    bio: {_q(person.bio)}",
        ]
    if partner.disclaimer:
        lines.append(f"disclaimer: {_q(partner.disclaimer)}")
    return "\n".join(lines) + "\n"


def hub_article(article: ArticlePlan) -> str:
    authors = [f"{p}/{person}" if person else p for p, person in article.authors]
    return (
        "---\n"
        f"title: {_q(article.title)}\n"
        f"date: {article.moment:%Y-%m-%d %H:%M}\n"
        f"authors: {_flow(authors)}\n"
        f"topics: {_flow(article.topics)}\n"
        f"category: {_q(article.category)}\n"
        "---\n\n" + article.body
    )


def material_author_id(partner: str, person: str | None) -> str:
    return f"{partner}-{person}" if person else partner


def material_post(article: ArticlePlan) -> str:
    authors = [material_author_id(p, person) for p, person in article.authors]
    intro, _, rest = article.body.partition("\n\n")
    # Material's docs put the title in the body and mark the excerpt with <!-- more -->.
    return (
        "---\n"
        f"date: {article.moment:%Y-%m-%d %H:%M:%S}\n"
        f"authors: {_flow(authors)}\n"
        f"categories: {_flow([article.category])}\n"
        f"tags: {_flow(article.topics)}\n"
        "---\n\n"
        f"# {article.title}\n\n{intro}\n\n<!-- more -->\n\n{rest}"
    )


def material_authors(corpus: Corpus) -> str:
    lines = ["authors:"]
    for partner in corpus.partners:
        avatar = f"assets/partners/{partner.slug}.svg"
        entries = [(material_author_id(partner.slug, None), partner.name, partner.name)]
        entries += [
            (material_author_id(partner.slug, p.id), p.name, f"{p.role}, {partner.name}")
            for p in partner.people
        ]
        for key, name, description in entries:
            lines += [
                f"  {key}:",
                f"    name: {_q(name)}",
                f"    description: {_q(description)}",
                f"    avatar: {avatar}",
            ]
    return "\n".join(lines) + "\n"


def hub_config(corpus: Corpus) -> str:
    return (
        f"site_name: Benchmark Hub\nsite_url: {SITE_URL}\n"
        "site_description: A synthetic referral network for hubgen's speed benchmark.\n"
        "docs_dir: content\n"
        f"{THEME}"
        "plugins:\n"
        "  - search\n"
        "  - hubgen:\n"
        "      timezone: UTC\n"
        f"      page_size: {PAGE_SIZE}\n"
        f"{MARKDOWN_EXTENSIONS}"
    )


def material_config(corpus: Corpus, *, light: bool = False) -> str:
    """Material's blog as its blog and RSS set-up guides show it; posts stay out of the nav and
    git dates are off (no repository). The full set-up has author profiles (the hub publishes a
    page per partner too) and the tags plugin; the light one, the fastest reasonable Material
    blog, has neither (tags stay in the front matter, where the rss plugin reads them)."""
    blog = "  - blog:\n" + ("" if light else "      authors_profiles: true\n")
    blog += f"      pagination_per_page: {PAGE_SIZE}\n" + ("" if light else "  - tags\n")
    return (
        f"site_name: Benchmark Blog\nsite_url: {SITE_URL}\n"
        "site_description: A synthetic referral network for hubgen's speed benchmark.\n"
        f"{THEME}"
        "plugins:\n"
        "  - search\n"
        f"{blog}"
        "  - rss:\n"
        "      match_path: blog/posts/.*\n"
        "      use_git: false\n"
        "      date_from_meta:\n"
        "        as_creation: date\n"
        "      categories:\n"
        "        - categories\n"
        "        - tags\n"
        f"{MARKDOWN_EXTENSIONS}"
        "nav:\n"
        "  - Home: index.md\n"
        "  - Blog:\n"
        "    - blog/index.md\n" + ("" if light else "  - Tags: tags.md\n")
    )


PELICAN_CONFIG = f"""\
# Pelican's defaults, with the hub's Markdown extensions, page size and site URL. Its default
# feeds (all articles, per category and per author) plus per-tag feeds, as hubgen has topic
# feeds; RSS items carry summaries and Atom entries whole articles, Pelican's defaults.
AUTHOR = "Benchmark Hub"
SITENAME = "Benchmark Blog"
SITEURL = "{SITE_URL.rstrip("/")}"
FEED_DOMAIN = SITEURL
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
PATH = "content"
DEFAULT_PAGINATION = {PAGE_SIZE}
TAG_FEED_ATOM = "feeds/tag/{{slug}}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{{slug}}.rss.xml"
CATEGORY_FEED_RSS = "feeds/{{slug}}.rss.xml"
MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.admonition": {{}},
        "markdown.extensions.attr_list": {{}},
        "markdown.extensions.tables": {{}},
        "markdown.extensions.toc": {{"permalink": True}},
        "pymdownx.details": {{}},
        "pymdownx.superfences": {{}},
    }},
    "output_format": "html5",
}}
"""


def _people(corpus: Corpus) -> dict[tuple[str, str | None], str]:
    names: dict[tuple[str, str | None], str] = {}
    for partner in corpus.partners:
        names[(partner.slug, None)] = partner.name
        for person in partner.people:
            names[(partner.slug, person.id)] = person.name
    return names


def pelican_article(article: ArticlePlan, people: dict[tuple[str, str | None], str]) -> str:
    authors = ", ".join(people[ref] for ref in article.authors)
    # Links between articles as Pelican spells them; the body is otherwise the hub's.
    body = re.sub(r"\]\(([^)\s]+\.md)\)", r"]({filename}\1)", article.body)
    return (
        f"Title: {article.title}\n"
        f"Date: {article.moment:%Y-%m-%d %H:%M}\n"
        f"Authors: {authors}\n"
        f"Category: {article.category}\n"
        f"Tags: {', '.join(article.topics)}\n"
        f"Slug: {article.stem[11:]}\n\n" + body
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def write_hub(corpus: Corpus, root: Path) -> None:
    _write(root / "mkdocs.yml", hub_config(corpus))
    for partner in corpus.partners:
        _write(root / "partners" / f"{partner.slug}.yml", partner_yaml(partner))
        _write(root / "partners" / partner.slug / "logo.svg", logo_svg(partner))
    for article in corpus.articles:
        _write(root / "content" / "articles" / f"{article.stem}.md", hub_article(article))


def write_material(corpus: Corpus, root: Path) -> None:
    docs = root / "docs"
    _write(root / "mkdocs.yml", material_config(corpus))
    _write(docs / "index.md", "# Benchmark Blog\n\nA synthetic referral network.\n")
    _write(docs / "tags.md", "# Tags\n\n<!-- material/tags -->\n")
    _write(docs / "blog" / "index.md", "# Blog\n")
    _write(docs / "blog" / ".authors.yml", material_authors(corpus))
    for partner in corpus.partners:
        _write(docs / "assets" / "partners" / f"{partner.slug}.svg", logo_svg(partner))
    for article in corpus.articles:
        _write(docs / "blog" / "posts" / f"{article.stem}.md", material_post(article))


def write_material_light(corpus: Corpus, root: Path) -> None:
    write_material(corpus, root)
    _write(root / "mkdocs.yml", material_config(corpus, light=True))
    (root / "docs" / "tags.md").unlink()
    # Without profiles, authors need no avatar files; the .authors.yml stays (bylines use it).


def write_pelican(corpus: Corpus, root: Path) -> None:
    _write(root / "pelicanconf.py", PELICAN_CONFIG)
    people = _people(corpus)
    for article in corpus.articles:
        _write(root / "content" / f"{article.stem}.md", pelican_article(article, people))


WRITERS = {
    "hub": write_hub,
    "material": write_material,
    "material-light": write_material_light,
    "pelican": write_pelican,
}
"""Each project the corpus is written as, by folder name."""


def generate(out: Path, articles: int, partners: int, seed: int = 1) -> Corpus:
    """Write every project of :data:`WRITERS` under ``out`` (replacing them); return the plan."""
    corpus = plan(articles, partners, seed)
    for name, writer in WRITERS.items():
        target = out / name
        if target.exists():
            shutil.rmtree(target)
        writer(corpus, target)
    return corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.corpus", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("out", type=Path, help="folder to write hub/ and material/ into")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--partners", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    corpus = generate(args.out, args.articles, args.partners, args.seed)
    words = sum(len(WORD_RE.findall(a.body)) for a in corpus.articles)
    print(
        f"wrote {len(corpus.articles)} articles ({words:,} words), "
        f"{len(corpus.partners)} partners → {args.out}/{{{','.join(WRITERS)}}}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
