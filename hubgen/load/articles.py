"""Articles (``<docs>/<articles>/**/*.md``: front matter, then a Markdown body) → articles.

An article is read field group by field group (title and dates, authors, topics, slug, cover,
call to action, body); each reports its own problems, and an article with any error is left out.
Authors must name partners loaded first (:mod:`hubgen.load.partners`).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hubgen.core import urls
from hubgen.core.models import (
    Article,
    AuthorRef,
    CallToAction,
    HubSettings,
    Image,
    Partner,
    Topic,
    relative_posix,
)
from hubgen.core.problems import Problems
from hubgen.core.text import did_you_mean, first_paragraph, is_slug, slugify, truncate, word_count
from hubgen.load.bodylimits import BodyLimit, body_limits
from hubgen.load.fields import FieldReader, is_url
from hubgen.load.fieldspecs import ARTICLE, CALL_TO_ACTION
from hubgen.load.frontmatter import (
    MAX_ARTICLE_BYTES,
    MAX_FRONT_MATTER_BYTES,
    FrontMatter,
    NoFrontMatter,
    split_front_matter,
)
from hubgen.load.links import broken_links
from hubgen.load.slugs import RESERVED_SLUGS, default_feed_id, slug_from_name
from hubgen.load.sourcefile import local_image, parse_mapping, read_text
from hubgen.load.textmemo import Kept, TextMemo, kept_plain

SUMMARY_LENGTH = 200

# What is read from a body alone, remembered by body under `serve` (see hubgen.load.textmemo),
# and kept between builds too.
_WORDS = TextMemo(word_count, across_loads=True, kept=kept_plain("words", int))
_FIRST_PARAGRAPH = TextMemo(
    first_paragraph, across_loads=True, kept=kept_plain("first_paragraph", str)
)
_LIMITS = TextMemo(
    lambda body: tuple(body_limits(body)),
    across_loads=True,
    kept=Kept(
        "body_limits",
        lambda limits: tuple((x.line, x.col, x.message, x.hint) for x in limits),
        lambda data: tuple(_body_limit(*item) for item in data),
    ),
)


def _body_limit(line: int, col: int, message: str, hint: str) -> BodyLimit:
    """A kept body limit read back; anything else than it was raises (and is computed again)."""
    if not (type(line) is int and type(col) is int and type(message) is str and type(hint) is str):
        raise TypeError("expected (line, col, message, hint)")
    return BodyLimit(line, col, message, hint)


# Field names, required fields and limits come from the table the CMS form is generated from.
ARTICLE_FIELDS = ARTICLE.names
ARTICLE_REQUIRED = ARTICLE.required
CTA_FIELDS = CALL_TO_ACTION.names

_NO_FRONT_MATTER = {
    NoFrontMatter.MISSING: (
        "an article must start with front matter between '---' lines",
        "add '---', 'title: …', 'date: …', 'authors: […]', '---' at the top",
    ),
    NoFrontMatter.NOT_CLOSED: (
        "front matter is not closed",
        "add a line with just '---' after the last field",
    ),
}
"""Message and hint for an article whose front matter cannot be split off."""

NOT_FIELDS = (
    "front matter must be a mapping of 'field: value' lines",
    "write e.g. 'title: My article'",
)
"""What to say when the file's YAML is not a mapping of fields (message, hint)."""


def load_articles(
    settings: HubSettings, partners: dict[str, Partner], broken: set[str], problems: Problems
) -> tuple[list[Article], int]:
    """Valid articles, newest first, and how many article files were read.

    ``broken``: slugs of partners whose profile has problems (articles naming them are not
    blamed for it).
    """
    folder = settings.docs_dir / settings.articles_dir
    if not folder.is_dir():
        return [], 0
    articles: list[Article] = []
    by_url: dict[str, Article] = {}
    by_id: dict[str, Article] = {}
    topic_names: dict[str, Topic] = {}
    paths = _article_files(folder, settings, problems)
    for path in paths:
        rel = settings.relative(path)
        article = _load_article(path, rel, settings, partners, broken, topic_names, problems)
        if article is None:
            continue
        if (other := by_url.get(article.url)) is not None:
            problems.add(
                rel,
                1,
                1,
                "slug",
                f"the URL /{article.url} is already taken by {other.source}",
                "give one of them another 'slug:' or file name",
            )
            continue
        if (other := by_id.get(article.id)) is not None:
            problems.add(
                rel,
                1,
                1,
                "id",
                f"feed id '{article.id}' is already used by {other.source}",
                "every article needs its own id",
            )
            continue
        by_url[article.url] = by_id[article.id] = article
        articles.append(article)
    articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    return articles, len(paths)


def _article_files(folder: Path, settings: HubSettings, problems: Problems) -> list[Path]:
    """The ``.md`` files under ``folder`` (hidden ones left out, as MkDocs leaves them out).

    ``x.MD`` is no page to MkDocs (it matches ``.md`` as written): it would be published as a
    raw file, unchecked, so it is an error. Other names (``x.markdown``, no extension) are
    refused with the other files that are not images (:mod:`hubgen.load.contributed`).
    """
    found: list[Path] = []
    for top, dirs, files in os.walk(folder):  # never follows links; they are reported anyway
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in files:
            if name.endswith(".md") and not name.startswith("."):
                found.append(Path(top, name))
            elif name.lower().endswith(".md") and not name.startswith("."):
                problems.add(
                    settings.relative(Path(top, name)),
                    1,
                    1,
                    "",
                    "articles must end in '.md' in lowercase: this one would be published as a "
                    "raw file, unchecked",
                    f"rename it to {name[:-3]}.md",
                )
    # Sorting by parts is how paths compare, without a Python __lt__ call per comparison.
    return sorted(found, key=lambda path: path.parts)


def _load_article(
    path: Path,
    rel: str,
    settings: HubSettings,
    partners: dict[str, Partner],
    broken: set[str],
    topic_names: dict[str, Topic],
    problems: Problems,
) -> Article | None:
    text = read_text(path, rel, MAX_ARTICLE_BYTES, problems)
    if text is None:
        return None
    split = _front_matter(text, rel, problems)
    if split is None:
        return None
    # The front matter starts on the file's line 2.
    doc = parse_mapping(split.front, rel, problems, not_a_mapping=NOT_FIELDS, line_offset=1)
    if doc is None:
        return None
    r = FieldReader(doc, rel, problems, data=doc.data)
    r.check_keys(ARTICLE_FIELDS, ARTICLE_REQUIRED)
    before = len(problems)

    title = r.text("title", max_length=ARTICLE.limit("title"), one_line=True)
    date, updated = _dates(r, settings.timezone)
    authors = _authors(r, partners, broken)
    topics = [
        _topic(name, "topic", topic_names)
        for name in (r.text_list("topics", max_length=ARTICLE.limit("topics")) or [])
    ]
    category_name = r.text("category", max_length=ARTICLE.limit("category"), one_line=True)
    category = _topic(category_name, "category", topic_names) if category_name else None
    summary = r.text("summary", max_length=ARTICLE.limit("summary"))
    draft = r.boolean("draft") or False
    slug = _slug(r, path.stem, rel, problems)
    cover = _cover(r, path, settings)
    cover_alt = _cover_alt(r, cover)
    cta = _call_to_action(r)
    _check_body_limits(split, rel, problems)
    if (
        len(problems) > before
        or not (title and date and authors)
        or len(authors) < len(r.data["authors"] or ())
    ):
        return None
    src_uri = relative_posix(path, settings.docs_dir)
    _check_links(split, src_uri, rel, settings, problems)
    url = urls.article(src_uri, slug)
    article_id = r.text("id", max_length=ARTICLE.limit("id"), one_line=True) or default_feed_id(
        settings.site_url, url
    )
    return Article(
        slug=slug,
        title=title,
        date=date,
        authors=tuple(authors),
        body=split.body,
        source=rel,
        src_uri=src_uri,
        url=url,
        body_line=split.body_line,
        id=article_id,
        excerpt=summary or truncate(_FIRST_PARAGRAPH(split.body), SUMMARY_LENGTH),
        summary=summary or "",
        words=_WORDS(split.body),
        updated=updated,
        topics=tuple(dict.fromkeys(topics)),
        category=category,
        cover=cover,
        cover_alt=cover_alt,
        draft=draft,
        cta=cta,
    )


def _front_matter(text: str, rel: str, problems: Problems) -> FrontMatter | None:
    """The article split at its front matter, if it has front matter of a readable size."""
    split = split_front_matter(text)
    if isinstance(split, NoFrontMatter):
        message, hint = _NO_FRONT_MATTER[split]
        problems.add(rel, 1, 1, "", message, hint)
        return None
    if len(split.front.encode()) > MAX_FRONT_MATTER_BYTES:
        problems.add(
            rel,
            1,
            1,
            "",
            f"front matter is over {MAX_FRONT_MATTER_BYTES // 1024} KiB",
            "move long text into the article body",
        )
        return None
    return split


def _dates(r: FieldReader, timezone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
    """When the article was published and last changed (``updated`` may not come first)."""
    date = r.moment("date", timezone)
    updated = r.moment("updated", timezone)
    if date and updated and updated < date:
        r.error("updated", "is earlier than 'date'", "use the date of the last real change")
    return date, updated


def _authors(
    reader: FieldReader, partners: dict[str, Partner], broken: set[str]
) -> list[AuthorRef]:
    """The authors that name a loaded partner (and one of its people), each once."""
    refs: list[AuthorRef] = []
    values = reader.text_list("authors", max_length=ARTICLE.limit("authors"))
    if values is None:
        return refs
    if not values:
        reader.error("authors", "name at least one partner", "e.g. authors: [acme]")
    for value in values:
        ref = _author(reader, value, partners, broken)
        if ref is None:
            continue
        if ref in refs:
            reader.error("authors", f"'{value}' is listed twice", "list each author once")
            continue
        refs.append(ref)
    return refs


def _author(
    reader: FieldReader, value: str, partners: dict[str, Partner], broken: set[str]
) -> AuthorRef | None:
    """``acme`` or ``acme/jane`` as a reference, if it names a partner (and one of its people)."""
    partner_slug, _, person_id = value.partition("/")
    partner = partners.get(partner_slug)
    if partner_slug in broken:
        return None  # its profile's own problems are reported; don't blame every article too
    if partner is None:
        known = ", ".join(sorted(partners)) or "none yet"
        hint = did_you_mean(partner_slug, partners) if partners else "add partners/<slug>.yml first"
        reader.error("authors", f"unknown partner '{partner_slug}' (known partners: {known})", hint)
        return None
    if person_id and partner.person(person_id) is None:
        people = [p.id for p in partner.people]
        hint = (
            did_you_mean(person_id, people)
            if people
            else f"add them under 'people:' in {partner.source}"
        )
        reader.error("authors", f"'{person_id}' is not one of {partner.name}'s people", hint)
        return None
    return AuthorRef(partner_slug, person_id or None)


def _topic(name: str, kind: str, seen: dict[str, Topic]) -> Topic:
    """One spelling per slug: the first file (in path order) that uses a topic names it."""
    slug = slugify(name) or "topic"
    key = f"{kind}:{slug}"
    if key not in seen:
        seen[key] = Topic(slug, name, kind)
    return seen[key]


def _slug(r: FieldReader, stem: str, rel: str, problems: Problems) -> str:
    """The article's URL segment: ``slug:`` if written, else the file name without its date."""
    slug = r.text("slug", one_line=True)
    if slug is not None and (not is_slug(slug) or slug in RESERVED_SLUGS):
        r.error(
            "slug",
            f"'{slug}' cannot be used in a URL",
            f"use lowercase letters, digits and hyphens, e.g. {slugify(slug) or 'my-article'}",
        )
    slug = slug or slug_from_name(stem)
    if not is_slug(slug) or slug in RESERVED_SLUGS:
        problems.add(
            rel,
            1,
            1,
            "slug",
            f"the file name gives the URL slug '{slug}', which is not valid",
            f"rename the file to e.g. {slugify(slug) or 'my-article'}.md or set 'slug:'",
        )
    return slug


def _cover(reader: FieldReader, path: Path, settings: HubSettings) -> Image | None:
    """The cover image: an https:// URL, or a file in the docs folder named from the article."""
    value = reader.text("cover", one_line=True)
    if value is None:
        return None
    if "://" in value:
        if not is_url(value, ("https",)):
            reader.error(
                "cover",
                f"'{value}' is not an https:// URL",
                "use https:// or a file next to the article",
            )
            return None
        return Image(value)
    found = local_image(
        path.parent, value, reader, "cover", "cover image", settings.docs_dir, settings.root
    )
    if found is None:
        return None
    return Image(found.relative_to(settings.docs_dir).as_posix(), found)


def _cover_alt(r: FieldReader, cover: Image | None) -> str:
    """The cover's text alternative, required with a cover."""
    cover_alt = r.text("cover_alt", max_length=ARTICLE.limit("cover_alt"), one_line=True) or ""
    if cover is not None and not cover_alt:
        r.error(
            "cover",
            "a cover image needs 'cover_alt'",
            "describe the image for people who cannot see it",
        )
    return cover_alt


def _call_to_action(r: FieldReader) -> CallToAction | None:
    """The article's own call to action (``cta:``), if it has one."""
    cta_map = r.mapping("cta")
    if cta_map is None:
        return None
    cta_map.check_keys(CTA_FIELDS)
    return CallToAction(
        heading=cta_map.text("heading", max_length=CALL_TO_ACTION.limit("heading"), one_line=True)
        or "",
        text=cta_map.text("text", max_length=CALL_TO_ACTION.limit("text")) or "",
        button=cta_map.text("button", max_length=CALL_TO_ACTION.limit("button"), one_line=True)
        or "",
    )


def _check_body_limits(split: FrontMatter, rel: str, problems: Problems) -> None:
    """An error per structural limit the body goes over (they keep rendering it fast)."""
    for limit in _LIMITS(split.body):
        problems.add(
            rel, split.body_line + limit.line - 1, limit.col, "body", limit.message, limit.hint
        )


def _check_links(
    split: FrontMatter, src_uri: str, rel: str, settings: HubSettings, problems: Problems
) -> None:
    """An error per link in the body to a file of the docs folder that does not exist."""
    docs = str(settings.docs_dir)
    for link in broken_links(
        split.body, src_uri, lambda uri: os.path.isfile(os.path.join(docs, uri))
    ):
        problems.add(
            rel,
            split.body_line + link.line - 1,
            link.col,
            "body",
            f"link to '{link.target}' points to {link.resolved}, which does not exist",
            "link to another article by its file name, "
            "e.g. [guide](2025-01-20-cash-flow-forecast.md)",
        )
