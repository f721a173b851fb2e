"""``hubgen import material-blog SRC DEST``: a Material for MkDocs blog becomes a hub.

Authors become **pending** partners (nothing of theirs is published until an organiser completes
the fields marked TODO and admits them); posts become articles with hubgen's front matter;
images the posts link to are copied. Everything that cannot be carried over is reported.
Reading the blog: :mod:`hubgen.authoring.materialblog`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hubgen.authoring.materialblog import (
    MaterialBlog,
    Post,
    Report,
    brief_value,
    parse_moment,
    read_authors,
    read_posts,
    shown_path,
    string_list,
)
from hubgen.authoring.scaffold import ArticleDraft, PartnerDraft, article_file, partner_files
from hubgen.core.text import slugify
from hubgen.load.fields import is_url
from hubgen.load.images import IMAGE_SUFFIXES
from hubgen.load.links import relative_targets

CARRIED = ("date", "authors", "categories", "tags", "slug", "draft", "description", "title")
WHY_NOT: dict[str, str] = {
    "readtime": "hubgen computes the reading time itself",
    "pin": "hubgen has no pinned articles; newest come first",
    "links": "hubgen has no related-links box; add the links to the body if they matter",
}
_H1_RE = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_MORE_RE = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*\n", re.MULTILINE)


# -- authors → partners ----------------------------------------------------------------------


def partner_for(
    key: str, info: dict[str, str], source: MaterialBlog, partners_dir: Path, report: Report
) -> tuple[str, dict[Path, str | bytes]]:
    slug = slugify(info.get("slug") or key) or "partner"
    where = shown_path(source.blog / ".authors.yml", source.root)
    name = info.get("name") or key
    description = info.get("description", "")
    website = info.get("url", "") if is_url(info.get("url", ""), ("https",)) else ""
    if info.get("url") and not website:
        report.lose(where, f"author '{key}': url '{info['url']}' is not https://; left out")
    avatar = info.get("avatar", "")
    logo, extra = "logo.svg", {}
    if is_url(avatar, ("https",)):
        logo = avatar
    elif avatar:
        found = next((p for p in (source.docs / avatar, source.blog / avatar) if p.is_file()), None)
        if found is not None and found.suffix.lower() in IMAGE_SUFFIXES:
            logo = "avatar" + found.suffix.lower()
            extra[partners_dir / slug / logo] = found.read_bytes()
        else:
            report.lose(
                where, f"author '{key}': avatar '{avatar}' not found; a placeholder logo is used"
            )
    draft = PartnerDraft(
        slug=slug,
        name=name,
        status="pending",
        tagline=description[:120],
        website=website,
        logo=logo,
    )
    files = partner_files(partners_dir, draft)
    files.update(extra)
    todo = [
        f for f, value in (("tagline", description), ("services", ""), ("bio", ""),
                           ("ideal_client", "")) if not value
    ]  # fmt: skip
    report.todo.append(
        f"{shown_path(partners_dir / f'{slug}.yml', partners_dir.parent)}: {', '.join(todo)}"
        + ("; the avatar became the logo" if logo != "logo.svg" else "")
    )
    return slug, files


# -- posts → articles ---------------------------------------------------------------------------


def _hubgen_date(moment: datetime | date) -> str:
    """Material reads naive date-times as UTC: keep that instant by writing the offset."""
    if isinstance(moment, datetime):
        offset = moment.strftime("%z") or "+0000"
        return moment.strftime("%Y-%m-%d %H:%M") + f"{offset[:3]}:{offset[3:]}"
    return moment.isoformat()


def convert_post(
    post: Post,
    source: MaterialBlog,
    author_slugs: dict[str, str],
    renamed: dict[Path, str],
    images: dict[Path, str],
    report: Report,
) -> ArticleDraft | None:
    where = shown_path(post.path, source.root)
    meta = post.meta
    for key in sorted(meta):
        if key in WHY_NOT:
            report.lose(where, f"{key}: {brief_value(meta[key])} ({WHY_NOT[key]})")
        elif key not in CARRIED:
            report.lose(where, f"{key}: {brief_value(meta[key])} (not a hubgen field)")
    dates = _post_dates(meta, where, report)
    if dates is None:
        return None
    created, updated = dates
    authors = []
    for key in string_list(meta.get("authors")):
        if key in author_slugs:
            authors.append(author_slugs[key])
        else:
            report.lose(where, f"author '{key}' is not in .authors.yml; left out")
    if not authors:
        report.lose(where, "no author from .authors.yml; skipped")
        return None
    categories = string_list(meta.get("categories"))
    topics = string_list(meta.get("tags"))
    if len(categories) > 1:
        report.lose(
            where,
            f"categories {', '.join(categories[1:])}: hubgen has one category per article; "
            "kept as topics",
        )
        topics += [c for c in categories[1:] if c not in topics]
    draft = str(meta.get("draft", "")).strip().lower() in ("true", "yes", "on")
    body = _rewrite_links(post, source, renamed, images, report)
    return ArticleDraft(
        title=post.title,
        authors=tuple(dict.fromkeys(authors)),
        date=_hubgen_date(created),
        updated=_hubgen_date(updated) if updated else "",
        topics=tuple(dict.fromkeys(topics)),
        category=categories[0] if categories else "",
        summary=str(meta.get("description") or "").strip(),
        body=body,
        draft=draft,
        file_slug=post.slug,
    )


def _post_dates(
    meta: dict[str, Any], where: str, report: Report
) -> tuple[datetime | date, datetime | date | None] | None:
    """When the post was created and updated (Material's ``date``: one, or ``created``/
    ``updated``); None, reported, when it has no readable creation date."""
    raw = meta.get("date")
    created: datetime | date | None = None
    updated: datetime | date | None = None
    if isinstance(raw, dict):
        created = parse_moment(raw["created"]) if isinstance(raw.get("created"), str) else None
        updated = parse_moment(raw["updated"]) if isinstance(raw.get("updated"), str) else None
        for key in sorted(set(raw) - {"created", "updated"}):
            report.lose(
                where, f"date.{key}: {brief_value(raw[key])} (hubgen keeps created and updated)"
            )
    elif isinstance(raw, str):
        created = parse_moment(raw)
    if created is None:
        report.lose(where, f"date {brief_value(raw)} is missing or not a date; skipped")
        return None
    return created, updated


def _title_and_body(post: Post) -> tuple[str, str]:
    """Material's title: ``title`` in front matter, else the first ``# heading`` (removed here,
    because hubgen prints the title itself)."""
    body = _MORE_RE.sub("", post.body)
    lines = body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    heading = _H1_RE.match(lines[first]) if first is not None else None
    title = post.meta.get("title")
    if (
        heading is not None
        and first is not None
        and (not isinstance(title, str) or title.strip() == heading.group(1).strip())
    ):
        title = heading.group(1).strip()
        body = "\n".join(lines[first + 1 :]).lstrip("\n")
    if not isinstance(title, str) or not title.strip():
        title = post.path.stem.replace("-", " ").capitalize()
    return title.strip(), body


def _rewrite_links(
    post: Post,
    source: MaterialBlog,
    renamed: dict[Path, str],
    images: dict[Path, str],
    report: Report,
) -> str:
    """Links to other posts point at their new file names; linked images are copied."""
    where = shown_path(post.path, source.root)
    body = post.body
    replacements: dict[str, str] = {}
    for target, _, _ in relative_targets(body):
        if "://" in target or target.startswith(("#", "/", "mailto:")):
            continue
        path_part, _, fragment = target.partition("#")
        resolved = (post.path.parent / path_part).resolve()
        if resolved in renamed:
            replacements[target] = renamed[resolved] + (f"#{fragment}" if fragment else "")
        elif resolved.suffix.lower() in IMAGE_SUFFIXES and resolved.is_file():
            images.setdefault(resolved, _image_name(resolved, images))
            replacements[target] = f"images/{images[resolved]}"
        else:
            report.lose(where, f"link to '{target}' is not a post or an image; left as it is")
    for old, new in replacements.items():
        body = body.replace(f"]({old})", f"]({new})").replace(f"]({old} ", f"]({new} ")
    return body


def _image_name(path: Path, taken: dict[Path, str]) -> str:
    name = path.name
    used = set(taken.values())
    stem, suffix, n = path.stem, path.suffix, 2
    while name in used:
        name, n = f"{stem}-{n}{suffix}", n + 1
    return name


# -- the whole import ------------------------------------------------------------------------------


def import_material_blog(
    source: MaterialBlog, partners_dir: Path, articles_dir: Path, timezone: str
) -> tuple[dict[Path, str | bytes], Report, int, int]:
    """Every file to write, the report, and how many partners and articles."""
    report = Report()
    out: dict[Path, str | bytes] = {}
    author_slugs: dict[str, str] = {}
    for key, info in read_authors(source, report).items():
        slug, files = partner_for(key, info, source, partners_dir, report)
        if slug in author_slugs.values():
            report.lose(f"author '{key}'", f"slug '{slug}' is taken by another author; merged")
        else:
            out.update(files)
        author_slugs[key] = slug
    posts = read_posts(source, report)
    renamed = _name_posts(posts, source, report)
    images: dict[Path, str] = {}
    articles = 0
    for post in posts:
        draft = convert_post(post, source, author_slugs, renamed, images, report)
        if draft is None or post.day is None:
            continue
        draft = replace(draft, timezone=timezone)
        out.update(article_file(articles_dir, draft, post.day))
        articles += 1
    for path, name in sorted(images.items()):
        out[articles_dir / "images" / name] = path.read_bytes()
    if posts:
        report.lose(
            shown_path(source.blog, source.root),
            "post URLs change from blog/YYYY/MM/DD/<slug>/ to articles/<slug>/: redirect the "
            "old addresses if they were shared",
        )
    return out, report, len(set(author_slugs.values())), articles


def _name_posts(posts: list[Post], source: MaterialBlog, report: Report) -> dict[Path, str]:
    """Give each post its title, a unique slug, its day and new file name; returns the new file
    names by old path (links between posts are rewritten with them)."""
    renamed: dict[Path, str] = {}
    used: set[str] = set()
    for post in posts:
        post.title, post.body = _title_and_body(post)
        raw_slug = post.meta.get("slug")
        slug = slugify(raw_slug if isinstance(raw_slug, str) else post.title)[:60].strip("-")
        base, n = slug or "article", 2
        slug = base
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        if slug != base:
            report.lose(shown_path(post.path, source.root), f"slug '{base}' is taken; now '{slug}'")
        used.add(slug)
        post.slug = slug
        raw = post.meta.get("date")
        created = raw.get("created") if isinstance(raw, dict) else raw
        moment = parse_moment(created) if isinstance(created, str) else None
        post.day = moment.date() if isinstance(moment, datetime) else moment
        if post.day is not None:
            post.new_name = f"{post.day.isoformat()}-{slug}.md"
            renamed[post.path.resolve()] = post.new_name
    return renamed


def format_report(report: Report, partners: int, articles: int, dest: str) -> Iterable[str]:
    yield (
        f"imported {partners} author{'s' * (partners != 1)} as pending partners and "
        f"{articles} post{'s' * (articles != 1)} as articles into {dest}"
    )
    if report.lost:
        yield "\nnot carried over:"
        yield from (f"  {line}" for line in report.lost)
    if report.todo:
        yield (
            "\nto complete (fields marked TODO; partners stay pending, so unpublished, until an "
            "organiser sets status: active):"
        )
        yield from (f"  {line}" for line in report.todo)
