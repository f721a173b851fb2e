"""Who may change what: ``hubgen check --author-of-change SLUG --base REF``.

A partner's pull request may touch only that partner's own files:

- ``partners/<slug>.yml`` and ``partners/<slug>/…`` belong to the partner ``<slug>``;
- an article belongs to its authors *as listed at the base ref* (so adding yourself to someone
  else's article in the same change does not make it yours); a new article must list the partner;
  adding or removing *another* partner as author needs that partner's consent: an approving review
  from one of its maintainers or an organiser (hubgen.review.coauthors);
- a partner's ``status``, ``joined`` and published ``referral_code`` are set by the organisers
  (hubgen.review.organiserfields), and only organisers add partners;
- only images may be added to the articles folder and partners' folders; a shared image may be
  replaced or deleted by a partner only if just that partner's articles use it (hubgen.review.sharedfiles);
- everything else (``mkdocs.yml``, ``themes/``, ``.github/``, pages outside the articles folder…)
  is hub-level and belongs to the hub's organisers; a bot's change (``@dependabot[bot]``) is
  hub-level as a whole and passes with an organiser's approving review.

**The rules come from the base ref, never from the change under review**: the layout (mkdocs.yml),
the partners and their ``maintainers``, the articles' authors and the organisers (the owners of
``*`` in CODEOWNERS) are read with git from the base commit. The change can only be *judged*.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hubgen.core.problems import Problem
from hubgen.core.text import is_slug
from hubgen.load.frontmatter import split_front_matter
from hubgen.load.yamlsafe import YamlSyntaxError, parse_yaml
from hubgen.review.coauthors import Consent, authors_problems, read_head
from hubgen.review.gitbase import BaseLayout, GitRepo, is_below
from hubgen.review.organiserfields import Fields, field_problems, fields_of
from hubgen.review.sharedfiles import judge_partner_asset, judge_shared_file, read_image_users

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
    image_users: dict[str, frozenset[str]] = field(default_factory=dict)
    """Image in the articles folder → the articles and hub pages that use it (hubgen.review.sharedfiles)."""
    profiles: dict[str, Fields | None] = field(default_factory=dict)
    """Partner slug → its organiser-owned fields (None: the profile is unreadable)."""


@dataclass(frozen=True)
class ChangeAuthor:
    """Who proposes the change: one partner (SLUG), or a GitHub user (@login) and their partners."""

    label: str
    partners: frozenset[str]
    organiser: bool = False
    bot: bool = False
    """A GitHub App (``dependabot[bot]``): maintains no partner; its change is hub-level."""
    login: str = ""

    @property
    def maintains_none(self) -> bool:
        """A GitHub user who maintains no partner: most likely a colleague missing from a
        profile's ``maintainers``, so the hint says how to be added."""
        return not self.partners and bool(self.login)


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
    profiles: dict[str, Fields | None] = {}
    for path in partner_files:
        data = _mapping(contents.get(path, b""))
        profiles[posixpath.basename(path)[:-4]] = fields_of(data) if data is not None else None
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
    article_texts = {p: contents.get(p, b"") for p in articles}
    image_users = read_image_users(repo, commit, layout, article_files, article_texts)
    return BaseRules(
        ref=ref,
        layout=layout,
        maintainers=maintainers,
        organisers=default_owners(codeowners.decode("utf-8", "replace")),
        articles=articles,
        article_files=frozenset(article_files),
        image_users=image_users,
        profiles=profiles,
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
        if login.endswith("[bot]"):  # GitHub logins cannot contain brackets: only apps have them
            return ChangeAuthor(f"@{login}, a bot", frozenset(), bot=True, login=login)
        partners = frozenset(s for s, handles in rules.maintainers.items() if login in handles)
        organiser = login in rules.organisers
        if organiser:
            label = f"@{login} (an organiser)"
        elif partners:
            label = f"@{login} (maintainer of {', '.join(sorted(partners))})"
        else:
            label = f"@{login}, who maintains no partner on {rules.ref}"
        return ChangeAuthor(label, partners, organiser, login=login)
    if not is_slug(value):
        raise OwnershipError(
            f"--author-of-change expects a partner slug or @github-login but received: '{value}'"
        )
    return ChangeAuthor(f"partner '{value}'", frozenset({value}))


def ownership_problems(
    files: list[str],
    author: ChangeAuthor,
    rules: BaseRules,
    top: Path,
    approvals: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every reason ``author`` may not make the change to ``files`` (repository-relative).

    ``approvals``: the logins (lowercase) whose approving reviews of the change count
    (hubgen.review.approvals); they carry the consent of co-authors and let a bot's change through.
    """
    if author.organiser:
        return []
    if author.bot:
        return _bot_problems(sorted(set(files)), author, rules, approvals)
    consent = Consent(approvals, rules.maintainers, rules.organisers)
    problems: list[Problem] = []
    for path in sorted(set(files)):
        message, hint = _judge(path, author, rules, top)
        if message:
            problems.append(Problem(path, 1, 1, "ownership", message, hint))
        else:
            problems.extend(_content_problems(path, author, rules, top, consent))
    return problems


def _bot_problems(
    files: list[str], author: ChangeAuthor, rules: BaseRules, approvals: frozenset[str]
) -> list[Problem]:
    """A bot maintains no partner: its whole change is hub-level, for an organiser to approve."""
    if approvals & rules.organisers:
        return []
    names = " or ".join(f"@{o}" for o in sorted(rules.organisers))
    who = f"an organiser ({names})" if names else "an organiser (the owners of * in CODEOWNERS)"
    return [
        Problem(
            path,
            1,
            1,
            "ownership",
            f"a bot's change is hub-level and needs an approving review from {who}; "
            f"this change is by {author.label}",
            "an organiser reviews the change and approves the pull request; the check passes "
            "once they have",
        )
        for path in files
    ]


def _content_problems(
    path: str, author: ChangeAuthor, rules: BaseRules, top: Path, consent: Consent
) -> list[Problem]:
    """What a change does inside a file its author may touch: authors, organiser-owned fields."""
    layout = rules.layout
    if _is_article(path, layout):
        head = read_head(top / path)
        if path not in rules.articles and head is None:
            return []  # neither at the base nor now: nothing was changed
        base = rules.articles.get(path) or ()
        return authors_problems(path, base, head, author.partners, consent)
    if posixpath.dirname(path) == layout.partners and path.endswith(".yml"):
        slug = posixpath.basename(path)[:-4]
        return field_problems(path, slug, rules.profiles.get(slug), top / path, rules.ref)
    return []


def _is_article(path: str, layout: BaseLayout) -> bool:
    return is_below(path, layout.articles) and path != layout.articles and path.endswith(".md")


def _colleague_hint(author: ChangeAuthor, rules: BaseRules, slugs: list[str]) -> str:
    """For someone who maintains no partner: most likely a colleague missing from ``maintainers``."""
    partners = rules.layout.partners
    where = " or ".join(f"{posixpath.join(partners, s)}.yml" for s in slugs)
    return (
        f"if you work for the firm, ask an organiser to add @{author.login} to 'maintainers' in "
        f"{where or 'its profile in ' + partners + '/'}"
    )


def _judge(path: str, author: ChangeAuthor, rules: BaseRules, top: Path) -> tuple[str, str]:
    """``(message, hint)`` when ``author`` may not change ``path``; empty strings when it may."""
    layout = rules.layout
    by = f"this change is by {author.label}"
    if is_below(path, layout.partners) and path != layout.partners:
        rest = posixpath.relpath(path, layout.partners)
        if "/" in rest or rest.endswith(".yml"):  # a profile or a file in a partner's folder
            return _judge_partner_file(path, rest, author, rules, top, by)
    elif is_below(path, layout.articles) and path != layout.articles:
        if not path.endswith(".md"):
            return judge_shared_file(path, top, author.partners, rules, by)
        if path in rules.articles:
            return _judge_article(rules.articles[path], author, rules, by)
        return _judge_new_article(path, author, rules, top, by)
    return (
        f"hub-level file; only the hub's organisers change it; {by}",
        "propose this change to the organisers separately",
    )


def _judge_partner_file(
    path: str, rest: str, author: ChangeAuthor, rules: BaseRules, top: Path, by: str
) -> tuple[str, str]:
    """``partners/<owner>.yml`` or ``partners/<owner>/…`` (``rest``: the path below partners/)."""
    owner = rest.split("/", 1)[0] if "/" in rest else rest.removesuffix(".yml")
    if owner not in rules.maintainers:
        return (
            f"'{owner}' is not a partner on {rules.ref}; only the hub's organisers add "
            f"partners; {by}",
            "ask an organiser to add your firm (they run hubgen new partner)",
        )
    if owner in author.partners:
        return judge_partner_asset(path, top, by) if "/" in rest else ("", "")
    message = f"belongs to partner '{owner}'; {by}"
    if author.maintains_none:
        return message, _colleague_hint(author, rules, [owner])
    return message, f"only {owner}'s maintainers or the hub's organisers can change it"


def _judge_article(
    authors: tuple[str, ...] | None, author: ChangeAuthor, rules: BaseRules, by: str
) -> tuple[str, str]:
    """An article that exists at the base ref, by ``authors`` there (None: unreadable)."""
    if authors is None:
        return (
            f"the authors of this article cannot be read on {rules.ref}; {by}",
            "ask the hub's organisers to make this change",
        )
    if author.partners & set(authors):
        return "", ""  # the authors it adds or removes: _content_problems
    message = f"article by {', '.join(authors)} (its authors on {rules.ref}); {by}"
    if author.maintains_none:
        return message, _colleague_hint(author, rules, list(authors))
    return message, "ask one of its authors or the hub's organisers to make this change"


def _judge_new_article(
    path: str, author: ChangeAuthor, rules: BaseRules, top: Path, by: str
) -> tuple[str, str]:
    """An article the change adds: its author must be among its authors."""
    head = read_head(top / path)
    if head is None or head.authors is None or author.partners & set(head.authors):
        return "", ""  # an unreadable file is reported by _content_problems
    if author.maintains_none:
        return (
            f"new article by someone who maintains no partner; {by}",
            _colleague_hint(author, rules, list(head.authors)),
        )
    mine = " or ".join(sorted(author.partners))
    return (
        f"new article does not list {mine} in 'authors'; {by}",
        "add your firm to 'authors', or ask the partners it names to propose it",
    )
