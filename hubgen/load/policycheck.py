"""`hubgen check` warnings for article content that the safe-content policy would change."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import markdown

from hubgen.core.markdownprefilter import prefilter
from hubgen.core.models import Article
from hubgen.core.problems import Problems, Severity
from hubgen.core.sanitize import ContentPolicy, removed_by_policy

_ITEM_RE = re.compile(r"^(?:<(?P<tag>[\w-]+)>|(?P<attr>[\w:-]+)= on <[\w-]+>)$")


def policy_warnings(
    articles: Iterable[Article],
    policy: ContentPolicy,
    extensions: list[Any],
    extension_configs: Mapping[str, Any],
    problems: Problems,
) -> None:
    """Render each article as the build would and warn about everything the policy strips."""
    renderer = markdown.Markdown(extensions=extensions, extension_configs=dict(extension_configs))
    prefilter(renderer)
    for article in articles:
        html = renderer.reset().convert(article.body)
        for item in removed_by_policy(html, policy):
            line, col = _locate(article, item)
            problems.add(
                article.source, line, col, "body", f"the safe-content policy removes {item}",
                "raw HTML, scripts, frames, forms, styles and event handlers are not published; "
                "write it in plain Markdown", Severity.WARNING,
            )  # fmt: skip


def _locate(article: Article, item: str) -> tuple[int, int]:
    """The first line of the body that mentions the removed tag or attribute."""
    match = _ITEM_RE.match(item)
    needle = ""
    if match and match.group("tag"):
        needle = "<" + match.group("tag")
    elif match and match.group("attr"):
        needle = match.group("attr")
    if needle:
        for offset, text in enumerate(article.body.splitlines()):
            col = text.lower().find(needle.lower())
            if col >= 0:
                return article.body_line + offset, col + 1
    return article.body_line, 1
