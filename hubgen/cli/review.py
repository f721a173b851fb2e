"""``hubgen check --base REF [--author-of-change …]``: a change judged against its base branch."""

from __future__ import annotations

import argparse
import posixpath
from datetime import UTC, datetime
from pathlib import Path

from hubgen.cli.common import UsageError
from hubgen.core.models import Hub, HubSettings
from hubgen.core.problems import Problems


def add_change_options(check: argparse.ArgumentParser) -> None:
    check.add_argument(
        "--base",
        metavar="REF",
        help="the branch or commit the change goes into: also fail if the feed id of an article "
        "published there changed",
    )
    check.add_argument(
        "--author-of-change",
        metavar="SLUG|@LOGIN",
        help="fail when the change touches files that this partner (or every partner this "
        "GitHub user maintains) does not own; rules are read from --base",
    )
    check.add_argument(
        "--base-name",
        metavar="BRANCH",
        help="the name of the branch --base is on, for messages (the pull-request workflow "
        "passes a commit as --base; messages then say 'on the BRANCH branch')",
    )
    check.add_argument(
        "--approvals",
        metavar="FILE",
        help="with --author-of-change: GitHub's JSON list of the pull request's reviews (gh api "
        "--paginate --slurp repos/OWNER/REPO/pulls/N/reviews); approvals of the checked-out "
        "commit give the consent of co-authors added or removed, and let a bot's change through",
    )
    check.add_argument(
        "--ownership-only",
        action="store_true",
        help="with --author-of-change: judge ownership only, without loading the change's "
        "mkdocs.yml (what the pull-request gate runs)",
    )
    check.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="with --author-of-change: the changed files, relative to the repository's top "
        "(default: git diff --name-only REF...HEAD)",
    )


class Change:
    """A change under review: the base it goes into and, optionally, who proposes it."""

    def __init__(self, args: argparse.Namespace) -> None:
        from hubgen.review.gitbase import GitRepo, read_layout

        hub_dir = Path(args.config_file).resolve().parent
        self.repo = GitRepo(hub_dir)
        self.commit = self.repo.resolve(args.base)
        self.label = base_label(args.base, args.base_name)
        self.approvals_file: str | None = args.approvals
        self.prefix = self.repo.relative(hub_dir)
        config = posixpath.join(self.prefix, Path(args.config_file).name)
        self.layout = read_layout(self.repo, self.commit, config, self.label)
        self.author_arg: str | None = args.author_of_change
        self.files: list[str] = [repo_path(f) for f in args.files]
        self.files_checked = 0
        self._ownership = Problems()
        if self.author_arg is not None:
            self._judge_ownership(self.author_arg)

    def _judge_ownership(self, author_arg: str) -> None:
        from hubgen.review.approvals import read_approvals
        from hubgen.review.ownership import change_author, ownership_problems, read_rules

        rules = read_rules(self.repo, self.commit, self.layout, self.label)
        author = change_author(author_arg, rules)
        approvals: frozenset[str] = frozenset()
        if self.approvals_file is not None:
            # Only approvals of the commit checked out count: an earlier push's are stale.
            approvals = read_approvals(Path(self.approvals_file), self.repo.resolve("HEAD"))
        files = self.files or self.repo.changed_files(self.commit)
        self.files_checked = len(files)
        self._ownership.extend(ownership_problems(files, author, rules, self.repo.top, approvals))

    def ownership(self) -> Problems:
        return self._ownership

    def new_partners(self, settings: HubSettings) -> frozenset[str]:
        """Slugs of the partners whose profile is not at the base: a look-alike is theirs."""
        at_base = {
            posixpath.basename(path).removesuffix(".yml")
            for path in self.repo.files(self.commit, self.layout.partners)
            if posixpath.dirname(path) == self.layout.partners and path.endswith(".yml")
        }
        here = {path.stem for path in settings.partners_dir.glob("*.yml")}
        return frozenset(here - at_base)

    def feed_ids(self, hub: Hub) -> Problems:
        from hubgen.review.feedids import base_articles, check_feed_ids

        problems = Problems()
        settings = hub.settings
        previous = base_articles(
            self.repo, self.commit, self.layout, settings.timezone, datetime.now(UTC)
        )
        check_feed_ids(settings, hub.articles, previous, self.prefix, self.label, problems)
        return problems


def change_context(args: argparse.Namespace) -> Change | None:
    from hubgen.review.approvals import ApprovalsError
    from hubgen.review.gitbase import GitError
    from hubgen.review.ownership import OwnershipError

    if args.files and not args.author_of_change:
        raise UsageError("FILE arguments are only used with --author-of-change")
    if args.approvals and not args.author_of_change:
        raise UsageError("--approvals is only used with --author-of-change")
    if args.base_name and not args.base:
        raise UsageError("--base-name needs --base REF")
    if args.ownership_only and not args.author_of_change:
        raise UsageError("--ownership-only needs --author-of-change SLUG|@LOGIN")
    if args.author_of_change and not args.base:
        raise UsageError("--author-of-change needs --base REF (the branch the change goes into)")
    if not args.base:
        return None
    try:
        return Change(args)
    except (GitError, OwnershipError, ApprovalsError) as error:
        raise UsageError(str(error)) from None


def base_label(ref: str, branch: str | None) -> str:
    """How messages name the base: 'the main branch', never a commit SHA partners cannot act on."""
    if branch:
        return f"the {branch} branch"
    if len(ref) >= 7 and all(c in "0123456789abcdefABCDEF" for c in ref):
        return "the base branch"
    return ref


def repo_path(value: str) -> str:
    path = posixpath.normpath(value.replace("\\", "/")).removeprefix("./")
    if path.startswith(("../", "/")) or path in ("..", "."):
        raise UsageError(f"'{value}' is not a path inside the repository")
    return path
