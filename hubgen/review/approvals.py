"""Who approved a pull request: the reviews GitHub lists for it, read as the gate needs them.

The gate is given the JSON of GitHub's "list reviews for a pull request" API (``gh api --paginate
--slurp repos/OWNER/REPO/pulls/N/reviews``, fetched by the workflow with its read-only token), so
it stays runnable offline and in tests. A login counts as approving when its latest deciding
review (approve, request changes, dismissed: comments decide nothing, as on GitHub) approves
**the commit under review**: an approval of an earlier push is stale and does not count.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_DECIDING = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})
MAX_BYTES = 16 * 1024 * 1024
"""A pull request's reviews are kilobytes; anything this big is not GitHub's answer."""


class ApprovalsError(Exception):
    """The reviews file cannot be read (a usage error: the workflow passed the wrong file)."""


def read_approvals(path: Path, head: str) -> frozenset[str]:
    """Logins (lowercase) whose latest deciding review in ``path`` approves commit ``head``."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise ApprovalsError(f"cannot read the reviews file {path}: {error.strerror}") from None
    if len(data) > MAX_BYTES:
        raise ApprovalsError(f"{path} is larger than {MAX_BYTES // 1024 // 1024} MB")
    try:
        reviews = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApprovalsError(
            f"{path} is not JSON ({error}); pass GitHub's list of a pull request's reviews"
        ) from None
    if not isinstance(reviews, list):
        raise ApprovalsError(f"{path} is not a JSON list of reviews")
    return approvers(reviews, head)


def approvers(reviews: list[Any], head: str) -> frozenset[str]:
    """See :func:`read_approvals`; ``reviews`` is in GitHub's (chronological) order."""
    latest: dict[str, tuple[str, str]] = {}
    for review in _flatten(reviews):
        user = review.get("user")
        login = user.get("login") if isinstance(user, dict) else None
        state = review.get("state")
        commit = review.get("commit_id")
        if isinstance(login, str) and state in _DECIDING:
            latest[login.lower()] = (state, commit if isinstance(commit, str) else "")
    return frozenset(
        login
        for login, (state, commit) in latest.items()
        if state == "APPROVED" and commit.lower() == head.lower()
    )


def _flatten(reviews: list[Any]) -> Iterator[dict[str, Any]]:
    """Reviews from one page (a list) or from ``--slurp`` (a list of pages)."""
    for item in reviews:
        if isinstance(item, list):
            yield from (r for r in item if isinstance(r, dict))
        elif isinstance(item, dict):
            yield item
