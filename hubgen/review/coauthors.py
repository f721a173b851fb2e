"""An article's authors change only with their consent.

A byline carries a partner's name, brand and leads, so a partner may not name another partner as
co-author, re-attribute its article to someone else, or drop a co-author, on its own: each partner
added to or removed from an article's ``authors`` must consent with an approving review of the pull
request by one of its maintainers (as listed at the base ref) or an organiser. Deleting a
co-written article removes its co-authors, and the first author leads (the article's image,
brand and lead form are theirs), so taking the lead or deleting needs their consent too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hubgen.core.problems import Problem
from hubgen.load.frontmatter import split_front_matter
from hubgen.load.yamlsafe import YamlSyntaxError, parse_yaml

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
HEAD_LIMIT = 1024 * 1024
"""Bytes read of a changed file: twice what an article may have (frontmatter.MAX_ARTICLE_BYTES)."""


@dataclass(frozen=True)
class Consent:
    """The logins whose approving reviews the change has, and whose consent each one carries."""

    approvers: frozenset[str]
    """Lowercase logins that approved the commit under review (see hubgen.review.approvals)."""
    maintainers: dict[str, frozenset[str]]
    """Partner slug → its maintainers at the base ref: every partner there is a key."""
    organisers: frozenset[str]

    def given(self, partner: str) -> bool:
        return bool(self.approvers & (self.maintainers.get(partner, frozenset()) | self.organisers))

    def whose(self, partner: str) -> str:
        """``a maintainer of globex (@bob) or an organiser``: who can consent for ``partner``."""
        handles = sorted(self.maintainers.get(partner, ()))
        if not handles:
            return "an organiser"
        listed = ", ".join(f"@{h}" for h in handles)
        return f"a maintainer of {partner} ({listed}) or an organiser"

    def hint(self, partner: str) -> str:
        handles = sorted({*self.maintainers.get(partner, ()), *self.organisers})
        ask = " or ".join(f"@{h}" for h in handles) if handles else "an organiser"
        return (
            f"ask {ask} to approve this pull request; the check passes once they have, and each "
            "new push needs a new approval"
        )


@dataclass(frozen=True)
class HeadFile:
    """A changed file as the change leaves it: its authors, or why they cannot be read."""

    authors: tuple[str, ...] | None
    line: int = 1
    col: int = 1
    problem: str = ""
    hint: str = ""


def read_head(path: Path) -> HeadFile | None:
    """The authors of the article at ``path`` in the working tree; None if there is no file."""
    if not path.exists() and not path.is_symlink():
        return None
    if path.is_symlink() or not path.is_file():
        return HeadFile(None, problem="is not a plain file", hint="replace it with a Markdown file")
    try:
        with path.open("rb") as file:
            data = file.read(HEAD_LIMIT + 1)
    except OSError as error:
        return HeadFile(None, problem=f"cannot be read: {error.strerror}")
    if len(data) > HEAD_LIMIT:
        return HeadFile(None, problem="is larger than 1 MB", hint="shorten the article")
    return head_authors(data)


def head_authors(data: bytes) -> HeadFile:
    """The partner slugs an article's ``authors`` names (``acme/jane`` counts as ``acme``)."""
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return HeadFile(None, problem="is not UTF-8 text", hint="save it as UTF-8")
    split = split_front_matter(text)
    if not isinstance(split, tuple):
        return HeadFile(
            None,
            problem="has no details block at the top (between two '---' lines), so its authors "
            "cannot be read",
            hint="start the file with '---', the details (title, date, authors…), then '---'",
        )
    try:
        doc, _ = parse_yaml(split[0], line_offset=1)  # the details start on line 2
    except YamlSyntaxError as error:
        issue = error.issue
        return HeadFile(
            None,
            issue.position.line,
            issue.position.col,
            f"{issue.message} in the details at the top of the article, so its authors cannot "
            "be read",
            issue.hint,
        )
    data_map = doc.data if isinstance(doc.data, dict) else {}
    position = doc.key_pos(("authors",)) if "authors" in data_map else doc.value_pos(())
    authors = data_map.get("authors")
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list):
        authors = []
    slugs = [a.strip().partition("/")[0] for a in authors if isinstance(a, str)]
    return HeadFile(tuple(dict.fromkeys(s for s in slugs if s)), position.line, position.col)


def authors_problems(
    path: str,
    base: tuple[str, ...] | None,
    head: HeadFile | None,
    mine: frozenset[str],
    consent: Consent,
) -> list[Problem]:
    """The consents missing for the change of ``path``'s authors from ``base`` to ``head``.

    ``base`` is () for a new article; ``mine`` are the partners of the change's author, who
    need no one's consent. Whether the author may touch the article at all is judged before.
    """
    if head is None:  # deleted: every co-author is removed
        return [
            Problem(
                path,
                1,
                1,
                "authors",
                f"deleting this article, which {other} co-wrote, needs an approving review "
                f"from {consent.whose(other)}",
                consent.hint(other),
            )
            for other in base or ()
            if other not in mine and not consent.given(other)
        ]
    if head.authors is None:
        return [Problem(path, head.line, head.col, "", head.problem, head.hint)]
    before, after = set(base or ()), set(head.authors)
    problems = []
    for verb, others in (("adding", after - before), ("removing", before - after)):
        for other in sorted(others - mine):
            if consent.given(other):
                continue
            if verb == "adding" and other not in consent.maintainers:
                message = (
                    f"'{_shown(other)}' is not one of the hub's partners, so it cannot be an author"
                )
                hint = "check the spelling: a partner's slug is the name of its profile file"
            else:
                where = "to" if verb == "adding" else "from"
                message = (
                    f"{verb} {other} {where} the authors needs an approving review from "
                    f"{consent.whose(other)}"
                )
                hint = consent.hint(other)
            problems.append(Problem(path, head.line, head.col, "authors", message, hint))
    # The lead author (listed first) gets the article's image, brand and lead form: taking the
    # lead from a co-author who stays on the byline needs their consent as well.
    lead = base[0] if base else None
    if (
        lead is not None
        and head.authors[:1] != (lead,)
        and lead in after
        and lead not in mine
        and not consent.given(lead)
    ):
        problems.append(
            Problem(
                path,
                head.line,
                head.col,
                "authors",
                f"making {_shown(head.authors[0])} the lead author instead of {lead} needs an "
                f"approving review from {consent.whose(lead)}",
                consent.hint(lead),
            )
        )
    return problems


def _shown(slug: str) -> str:
    """A slug as the change wrote it, which may be anything: one short line in messages."""
    return _CONTROL_RE.sub("?", slug[:60])
