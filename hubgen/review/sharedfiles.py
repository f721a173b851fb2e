"""The ownership gate's rules for files beside the Markdown: shared images and partners' assets.

- Only images may be added to the articles folder or a partner's folder; any other file there is
  refused by name (``hubgen check`` refuses it too, whoever adds it).
- A new image in the articles folder may be added by any partner.
- An existing one may be replaced or deleted by a partner only when every page that uses it at
  the base ref is an article of that partner: an image another partner's article (or a hub
  page) shows is not for one partner to change. An image nothing uses is the organisers' to
  change, since a partner's open pull request may be about to use it.

"Uses" is read from the pages' text at the base ref by file name (any Markdown link, HTML
``<img>``, cover, percent- or entity-encoded), so it errs on the side of "used": a page that only
mentions the name counts as a user too.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from hubgen.load.images import ALLOWED_IMAGES, is_image_name
from hubgen.review.gitbase import BaseLayout, GitRepo, is_below

if TYPE_CHECKING:
    from hubgen.review.ownership import BaseRules

_NAME_RE = re.compile(
    r"[^\s/\\\"'()<>\[\]=:|]+\.(?:svg|png|jpe?g|gif|webp|avif)(?![a-z0-9])", re.IGNORECASE
)
"""File names of images in a page's text (the part after the last ``/``)."""


def read_image_users(
    repo: GitRepo,
    commit: str,
    layout: BaseLayout,
    article_files: list[str],
    articles: Mapping[str, bytes],
) -> dict[str, frozenset[str]]:
    """:func:`image_users` at ``commit``: of the articles (``articles``, already read), the hub's
    own pages in the docs folder and mkdocs.yml."""
    hub_pages = [
        p
        for p in repo.files(commit, layout.docs)
        if p.endswith(".md") and not is_below(p, layout.articles)
    ]
    pages = {**repo.read(commit, [*hub_pages, layout.config]), **articles}
    return image_users(pages, (p for p in article_files if not p.endswith(".md")))


def image_users(pages: Mapping[str, bytes], images: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each image (repository-relative) → the pages in ``pages`` whose text names it."""
    by_name: dict[str, list[str]] = {}
    for image in images:
        if is_image_name(image):
            by_name.setdefault(posixpath.basename(image).lower(), []).append(image)
    spaced = [name for name in by_name if any(c.isspace() for c in name)]
    users: dict[str, set[str]] = {}
    for page, data in pages.items():
        text = unquote(html.unescape(data.decode("utf-8", "replace"))).lower()
        names = set(_NAME_RE.findall(text))
        names.update(name for name in spaced if name in text)  # rare: the regex stops at spaces
        for name in names:
            for image in by_name.get(name, ()):
                users.setdefault(image, set()).add(page)
    return {image: frozenset(found) for image, found in users.items()}


def judge_shared_file(
    path: str, top: Path, partners: frozenset[str], rules: BaseRules, by: str
) -> tuple[str, str]:
    """``(message, hint)`` when a partner of ``partners`` may not make this change to ``path``
    (repository-relative, below ``top``), a file in the articles folder that is not Markdown;
    empty strings when they may."""
    if _exists(top / path) and not is_image_name(path):
        return _not_an_image(path, "the articles folder", by)
    if path not in rules.article_files:
        return "", ""  # a new image, or nothing at all (neither at the base nor now)
    users = rules.image_users.get(path, frozenset())
    if not users:
        return (
            f"changes or deletes a shared file that no page uses on {rules.ref}; {by}",
            "ask the hub's organisers to change or delete it, or add a new file with another name",
        )
    others = sorted(page for page in users if not partners & set(rules.articles.get(page) or ()))
    if not others:
        return "", ""  # only this partner's own articles show it
    shown = ", ".join(_page(page, rules) for page in others[:3])
    more = f" and {len(others) - 3} more" if len(others) > 3 else ""
    return (
        f"changes or deletes a shared image that other pages use on {rules.ref}: {shown}{more}; "
        f"{by}",
        "add a new file with another name instead",
    )


def judge_partner_asset(path: str, top: Path, by: str) -> tuple[str, str]:
    """``(message, hint)`` when a file a partner adds to its own folder is no image."""
    if _exists(top / path) and not is_image_name(path) and not path.lower().endswith(".md"):
        return _not_an_image(path, posixpath.dirname(path) + "/", by)
    return "", ""


def _exists(path: Path) -> bool:
    return path.is_symlink() or path.exists()


def _not_an_image(path: str, where: str, by: str) -> tuple[str, str]:
    return (
        f"only images may be added to {where} ({ALLOWED_IMAGES}); {by}",
        f"remove {posixpath.basename(path)}",
    )


def _page(page: str, rules: BaseRules) -> str:
    if page not in rules.articles:
        return f"{page} (a hub page)"
    authors = rules.articles[page]
    return f"{posixpath.basename(page)} (by {', '.join(authors) if authors else 'unknown authors'})"
