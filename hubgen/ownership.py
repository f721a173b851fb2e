"""Who may change what: ``hubgen check --author-of-change SLUG --base REF``.

A partner's pull request may touch only that partner's own files:

- ``partners/<slug>.yml`` and ``partners/<slug>/…`` belong to the partner ``<slug>``;
- an article belongs to its authors *as listed at the base ref* (so adding yourself to someone
  else's article in the same change does not make it yours); a new article must list the partner;
- other files in the articles folder (shared images) may be added, not changed or deleted;
- everything else (``mkdocs.yml``, ``themes/``, ``.github/``, pages outside the articles folder…)
  is hub-level and belongs to the hub's organisers.

**The rules come from the base ref, never from the change under review**: the layout (mkdocs.yml),
the partners and their ``maintainers``, the articles' authors and the organisers (the owners of
``*`` in CODEOWNERS) are read with git from the base commit. The change can only be *judged*.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hubgen.gitbase import BaseLayout, GitRepo, is_below
from hubgen.problems import Problem
from hubgen.text import is_slug
from hubgen.yamlsafe import YamlSyntaxError, parse_yaml

CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
"""Where GitHub looks for CODEOWNERS, in the order it looks."""


class OwnershipError(Exception):
    """The author of the change cannot be understood (a usage error)."""


@dataclass(frozen=True)
class BaseRules:
    """Everything ownership depends on, as it is at the base ref."""

    ref: str
    layout: BaseLayout
    maintainers: dict[str, frozenset[str]]
    """Partner slug → GitHub handles (lowercase, without @) allowed to change it."""
    organisers: frozenset[str]
    """Handles (lowercase) that own ``*`` in CODEOWNERS: they may change anything."""
    articles: dict[str, tuple[str, ...] | None]
    """Repository-relative article path → authoring partner slugs (None: unreadable)."""
    article_files: frozenset[str]
    """Every file in the articles folder, Markdown or not."""


@dataclass(frozen=True)
class ChangeAuthor:
    """Who proposes the change: one partner (SLUG), or a GitHub user (@login) and their partners."""

    label: str
    partners: frozenset[str]
    organiser: bool = False


def read_rules(repo: GitRepo, commit: str, layout: BaseLayout, ref: str) -> BaseRules:
    partner_files = [
        p
        for p in repo.files(commit, layout.partners)
        if posixpath.dirname(p) == layout.partners and p.endswith(".yml")
    ]
    article_files = repo.files(commit, layout.articles)
    wanted = partner_files + [p for p in article_files if p.endswith(".md")]
    wanted += list(CODEOWNERS_PATHS)
    contents = repo.read(commit, wanted)
    maintainers: dict[str, frozenset[str]] = {}
    for path in partner_files:
        data = _mapping(contents.get(path, b""))
        handles = data.get("maintainers") if data else None
        if isinstance(handles, str):
            handles = [handles]
        maintainers[posixpath.basename(path)[:-4]] = frozenset(
            h.strip().lstrip("@").lower() for h in handles or [] if isinstance(h, str)
        )
    articles: dict[str, tuple[str, ...] | None] = {}
    for path in article_files:
        if path.endswith(".md"):
            articles[path] = article_authors(contents.get(path, b""))
    codeowners = next((contents[p] for p in CODEOWNERS_PATHS if p in contents), b"")
    return BaseRules(
        ref=ref,
        layout=layout,
        maintainers=maintainers,
        organisers=default_owners(codeowners.decode("utf-8", "replace")),
        articles=articles,
        article_files=frozenset(article_files),
    )


def default_owners(codeowners: str) -> frozenset[str]:
    """Users owning ``*`` in a CODEOWNERS file (teams cannot be resolved here, so they are not)."""
    owners: set[str] = set()
    for line in codeowners.splitlines():
        tokens = line.split("#", 1)[0].split()
        if tokens and tokens[0] in ("*", "/*", "/**"):
            owners.update(t[1:].lower() for t in tokens[1:] if t.startswith("@") and "/" not in t)
    return frozenset(owners)


def article_authors(data: bytes) -> tuple[str, ...] | None:
    """The partner slugs in an article's ``authors`` (``acme/jane`` counts as ``acme``)."""
    from hubgen.loader import split_front_matter

    try:
        split = split_front_matter(data.decode("utf-8-sig").replace("\r\n", "\n"))
    except UnicodeDecodeError:
        return None
    if not isinstance(split, tuple):
        return None
    meta = _mapping(split[0].encode())
    authors = meta.get("authors") if meta else None
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list):
        return None
    slugs = [a.strip().partition("/")[0] for a in authors if isinstance(a, str)]
    return tuple(dict.fromkeys(s for s in slugs if s))


def _mapping(data: bytes) -> dict[str, Any] | None:
    try:
        doc, _ = parse_yaml(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, YamlSyntaxError):
        return None
    return doc.data if isinstance(doc.data, dict) else None


def change_author(value: str, rules: BaseRules) -> ChangeAuthor:
    """``acme`` (a partner slug) or ``@login`` (every partner whose maintainers list the login)."""
    if value.startswith("@"):
        login = value[1:].lower()
        if not login:
            raise OwnershipError("--author-of-change needs a partner slug or @github-login")
        partners = frozenset(s for s, handles in rules.maintainers.items() if login in handles)
        organiser = login in rules.organisers
        if organiser:
            label = f"@{login} (an organiser)"
        elif partners:
            label = f"@{login} (maintainer of {', '.join(sorted(partners))})"
        else:
            label = f"@{login}, who maintains no partner at {rules.ref}"
        return ChangeAuthor(label, partners, organiser)
    if not is_slug(value):
        raise OwnershipError(
            f"--author-of-change expects a partner slug or @github-login but received: '{value}'"
        )
    return ChangeAuthor(f"partner '{value}'", frozenset({value}))


def ownership_problems(
    files: list[str], author: ChangeAuthor, rules: BaseRules, top: Path
) -> list[Problem]:
    """One error per file in ``files`` (repository-relative) that ``author`` may not change."""
    if author.organiser:
        return []
    problems: list[Problem] = []
    for path in sorted(set(files)):
        message, hint = _judge(path, author, rules, top)
        if message:
            problems.append(Problem(path, 1, 1, "ownership", message, hint))
    return problems


def _judge(path: str, author: ChangeAuthor, rules: BaseRules, top: Path) -> tuple[str, str]:
    """``(message, hint)`` when ``author`` may not change ``path``; empty strings when it may."""
    layout = rules.layout
    by = f"this change is by {author.label}"
    if is_below(path, layout.partners) and path != layout.partners:
        rest = posixpath.relpath(path, layout.partners)
        owner = rest.split("/", 1)[0] if "/" in rest else rest.removesuffix(".yml")
        if "/" in rest or rest.endswith(".yml"):
            if owner in author.partners:
                return "", ""
            return (
                f"belongs to partner '{owner}'; {by}",
                f"only {owner}'s maintainers or the hub's organisers can change it",
            )
    elif is_below(path, layout.articles) and path != layout.articles:
        if path.endswith(".md"):
            if path in rules.articles:
                authors = rules.articles[path]
                if authors is None:
                    return (
                        f"the authors of this article cannot be read at {rules.ref}; {by}",
                        "ask the hub's organisers to make this change",
                    )
                if author.partners & set(authors):
                    return "", ""
                return (
                    f"article by {', '.join(authors)} (its authors at {rules.ref}); {by}",
                    "ask one of its authors or the hub's organisers to make this change",
                )
            new_authors = _current_authors(top / path)
            if new_authors is not None and author.partners & set(new_authors):
                return "", ""
            if new_authors is None and not (top / path).exists():
                return "", ""  # neither at the base nor now: nothing was changed
            mine = " or ".join(sorted(author.partners)) or "your partner"
            return (
                f"new article does not list {mine} in 'authors'; {by}",
                "add your firm to 'authors', or ask the partners it names to propose it",
            )
        if path not in rules.article_files:
            return "", ""  # a new shared image
        return (
            f"changes or deletes a shared file that articles may use; {by}",
            "add a new file with another name instead",
        )
    return (
        f"hub-level file; only the hub's organisers change it; {by}",
        "propose this change to the organisers separately",
    )


def _current_authors(path: Path) -> tuple[str, ...] | None:
    try:
        if path.is_symlink() or not path.is_file():
            return None
        return article_authors(path.read_bytes())
    except OSError:
        return None
