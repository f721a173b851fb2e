"""Reading a Material for MkDocs blog, for ``hubgen import material-blog``.

Material's blog plugin (``material/plugins/blog``) reads authors from ``{blog_dir}/.authors.yml``
(``authors: {id: {name, description, avatar, slug, url}}``) and posts from
``{blog_dir}/posts/**/*.md``, whose front matter it validates as ``PostConfig``: ``date`` (a date,
a date-time, or a mapping with ``created`` and e.g. ``updated``), ``authors``, ``categories``,
``draft``, ``pin``, ``links``, ``readtime`` and ``slug``; ``tags`` (tags plugin) and ``description``
(page meta) are read elsewhere. A post's title is ``title`` or its first ``# heading``, and its
default slug is the title slugified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from hubgen.load.frontmatter import split_front_matter
from hubgen.load.yamlsafe import YamlSyntaxError, parse_yaml
from hubgen.review.gitbase import LenientLoader


class NotABlogError(Exception):
    """The source is not a Material blog (a usage error)."""


@dataclass
class Report:
    """What the import did and what it could not carry over, for the terminal."""

    lost: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)

    def lose(self, where: str, what: str) -> None:
        self.lost.append(f"{where}: {what}")


@dataclass(frozen=True)
class MaterialBlog:
    """Where a Material blog's files are, and the site it belongs to (from its mkdocs.yml)."""

    root: Path
    docs: Path
    blog: Path
    site_name: str
    site_url: str


def find_blog(src: Path) -> MaterialBlog:
    """Where the blog is, from SRC/mkdocs.yml when there is one (docs_dir, blog plugin's blog_dir)."""
    config: dict[str, Any] = {}
    config_file = src / "mkdocs.yml"
    if config_file.is_file():
        loaded = yaml.load(config_file.read_text(encoding="utf-8-sig"), Loader=LenientLoader)
        config = loaded if isinstance(loaded, dict) else {}
    docs = src / _text(config.get("docs_dir"), "docs")
    blog_dir = "blog"
    plugins = config.get("plugins") or []
    for entry in plugins.items() if isinstance(plugins, dict) else plugins:
        name, options = (
            entry
            if isinstance(entry, tuple)
            else next(iter(entry.items()))
            if isinstance(entry, dict) and entry
            else (entry, None)
        )
        if name in ("blog", "material/blog") and isinstance(options, dict):
            blog_dir = _text(options.get("blog_dir"), blog_dir)
    blog = docs / blog_dir.strip("/")
    if not (blog / "posts").is_dir():
        raise NotABlogError(
            f"{blog / 'posts'} does not exist: is {src} a Material for MkDocs blog?"
        )
    return MaterialBlog(
        src,
        docs,
        blog,
        _text(config.get("site_name"), "Our Referral Network"),
        _text(config.get("site_url"), "https://example.com/"),
    )


def _text(value: Any, default: str) -> str:
    return value.strip() if isinstance(value, str) and value.strip() else default


def read_authors(source: MaterialBlog, report: Report) -> dict[str, dict[str, str]]:
    """``.authors.yml``: author key → its text fields (``name``, ``description``, ``avatar``…)."""
    path = source.blog / ".authors.yml"
    where = shown_path(path, source.root)
    if not path.is_file():
        report.lose(where, "missing: posts' authors cannot be imported")
        return {}
    try:
        doc, _ = parse_yaml(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, YamlSyntaxError) as error:
        raise NotABlogError(f"{where} cannot be read: {error}") from None
    data = doc.data if isinstance(doc.data, dict) else {}
    authors = data.get("authors")
    found: dict[str, dict[str, str]] = {}
    for key, info in (authors or {}).items() if isinstance(authors, dict) else []:
        if not isinstance(info, dict):
            report.lose(where, f"author '{key}' is not a mapping; skipped")
            continue
        found[key] = {k: v.strip() for k, v in info.items() if isinstance(v, str)}
        for extra in sorted(set(info) - {"name", "description", "avatar", "url", "slug"}):
            report.lose(where, f"author '{key}': '{extra}' is not carried over")
    return found


@dataclass
class Post:
    """A post as read; title, slug, day and new file name are set as the import names it."""

    path: Path
    meta: dict[str, Any]
    body: str
    title: str = ""
    slug: str = ""
    day: date | None = None
    new_name: str = ""


def read_posts(source: MaterialBlog, report: Report) -> list[Post]:
    """Every post with readable front matter, in path order."""
    posts: list[Post] = []
    for path in sorted((source.blog / "posts").rglob("*.md")):
        where = shown_path(path, source.root)
        try:
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            report.lose(where, "not UTF-8 text; skipped")
            continue
        split = split_front_matter(text)
        if not isinstance(split, tuple):
            report.lose(where, f"front matter {split}; skipped")
            continue
        try:
            doc, _ = parse_yaml(split[0])
        except YamlSyntaxError as error:
            report.lose(where, f"front matter cannot be read ({error.issue.message}); skipped")
            continue
        meta = doc.data if isinstance(doc.data, dict) else {}
        posts.append(Post(path, meta, split[1]))
    return posts


def parse_moment(value: str) -> datetime | date | None:
    """A YAML date or timestamp as Material reads it (``2024-01-31 10:00:00 +01:00`` too)."""
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    text = re.sub(r"\s+(?=[+-]\d\d(:?\d\d)?$|Z$)", "", text).replace(" ", "T", 1)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def string_list(value: Any) -> list[str]:
    """A front matter value that may be one string or a list of them, as a list."""
    if isinstance(value, str):
        value = [value]
    return [v.strip() for v in value or [] if isinstance(v, str) and v.strip()]


def brief_value(value: Any) -> str:
    """A front matter value on one short line, for the report."""
    text = value if isinstance(value, str) else yaml.safe_dump(value, default_flow_style=True)
    text = " ".join(str(text).split())
    return text if len(text) <= 60 else text[:59] + "…"


def shown_path(path: Path, root: Path) -> str:
    """``path`` as the report shows it: relative to the blog's folder when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
