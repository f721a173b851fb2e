"""Feed ids of published articles must not change: ``hubgen check --base REF``.

Feed readers recognise an entry by its id. An article's id is its ``id:`` field or, by default,
its canonical URL, so renaming the file, changing ``slug:`` or the hub's ``site_url`` silently
changes it, and every subscriber sees the article again as new. For each article that was
published at the base ref, the id it has now must be the one it had there.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from hubgen.core import urls
from hubgen.core.models import Article, HubSettings
from hubgen.core.problems import Problems, Severity
from hubgen.load.frontmatter import split_front_matter
from hubgen.load.slugs import default_feed_id, slug_from_name
from hubgen.load.yamlsafe import Position, YamlDoc, YamlSyntaxError, parse_yaml
from hubgen.review.gitbase import BaseLayout, GitRepo


@dataclass(frozen=True)
class BaseArticle:
    path: str
    """Repository-relative."""
    id: str
    explicit: bool
    """Written as ``id:``, rather than derived from the URL."""


def base_articles(
    repo: GitRepo, commit: str, layout: BaseLayout, timezone: ZoneInfo, now: datetime
) -> list[BaseArticle]:
    """Articles that were published at ``commit``: readable, not drafts, not scheduled."""
    paths = [p for p in repo.files(commit, layout.articles) if p.endswith(".md")]
    found: list[BaseArticle] = []
    for path, data in repo.read(commit, paths).items():
        try:
            split = split_front_matter(data.decode("utf-8-sig").replace("\r\n", "\n"))
            doc = parse_yaml(split[0])[0] if isinstance(split, tuple) else None
        except (UnicodeDecodeError, YamlSyntaxError):
            continue
        meta = doc.data if doc is not None and isinstance(doc.data, dict) else None
        if meta is None or not _published(meta, timezone, now):
            continue
        explicit = meta.get("id")
        if isinstance(explicit, str) and explicit.strip():
            found.append(BaseArticle(path, explicit.strip(), explicit=True))
            continue
        slug = meta.get("slug")
        stem = posixpath.splitext(posixpath.basename(path))[0]
        slug = slug.strip() if isinstance(slug, str) and slug.strip() else slug_from_name(stem)
        url = urls.article(posixpath.relpath(path, layout.docs or "."), slug)
        found.append(BaseArticle(path, default_feed_id(layout.site_url, url), explicit=False))
    return sorted(found, key=lambda a: a.path)


def _published(meta: dict[str, object], timezone: ZoneInfo, now: datetime) -> bool:
    draft = meta.get("draft")
    if isinstance(draft, str) and draft.strip().lower() in ("true", "yes", "on"):
        return False
    value = meta.get("date")
    if not isinstance(value, str):
        return False
    try:
        date = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        return False
    return (date if date.tzinfo else date.replace(tzinfo=timezone)) <= now


def check_feed_ids(
    settings: HubSettings,
    articles: tuple[Article, ...],
    previous: list[BaseArticle],
    repo_prefix: str,
    ref_label: str,
    problems: Problems,
) -> None:
    """Compare the loaded ``articles`` with those published at the base ref."""
    by_path = {
        posixpath.join(repo_prefix, a.source) if repo_prefix else a.source: a for a in articles
    }
    current_ids = {a.id for a in articles}
    for old in previous:
        shown = posixpath.relpath(old.path, repo_prefix) if repo_prefix else old.path
        article = by_path.get(old.path)
        if article is None:
            if old.id not in current_ids and not (settings.root / shown).exists():
                problems.add(
                    shown,
                    1,
                    1,
                    "id",
                    f"the article published on {ref_label} with feed id '{old.id}' was removed "
                    "or renamed",
                    f"if you renamed it, add 'id: {old.id}' to the new file so that feed readers "
                    "do not show it again as new",
                    Severity.WARNING,
                )
            continue
        if article.id == old.id:
            continue
        line, col = _position(settings, article)
        problems.add(
            article.source,
            line,
            col,
            "id",
            f"feed id changed from '{old.id}' (on {ref_label}) to '{article.id}'",
            "feed readers would show the article again as new; "
            + ("put back" if old.explicit else "add")
            + f" 'id: {old.id}'",
        )


def _position(settings: HubSettings, article: Article) -> tuple[int, int]:
    """Where to point: the ``id`` field, else ``slug``, else the top of the file."""
    try:
        text = (settings.root / article.source).read_text(encoding="utf-8-sig")
        split = split_front_matter(text.replace("\r\n", "\n"))
        doc: YamlDoc | None = parse_yaml(split[0], 1)[0] if isinstance(split, tuple) else None
    except (OSError, UnicodeDecodeError, YamlSyntaxError):
        doc = None
    if doc is not None:
        for field in ("id", "slug"):
            if (field,) in doc.values:
                position = doc.values[(field,)]
                return position.line, position.col
    position = Position(1, 1)
    return position.line, position.col
