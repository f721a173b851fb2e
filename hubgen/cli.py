"""The ``hubgen`` command: build, serve and check a hub. Exit 0 ok, 1 content problems, 2 usage."""

from __future__ import annotations

import argparse
import logging
import os
import posixpath
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError

from hubgen import __version__
from hubgen.buildrules import check_build_rules
from hubgen.catalog import Catalog, build_time
from hubgen.loader import load_hub
from hubgen.models import Hub, HubSettings
from hubgen.plugin import HubgenPlugin
from hubgen.policycheck import policy_warnings
from hubgen.problems import Problems, format_problems
from hubgen.sitedir import Staging, delete_in_background, stale_staging

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Something wrong with how hubgen was called (exit 2), not with the hub's content."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hubgen",
        description="Build a co-branded blog for a referral network from partner profiles and articles.",
    )
    parser.add_argument("--version", action="version", version=f"hubgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(
            "-f",
            "--config-file",
            default="mkdocs.yml",
            metavar="FILE",
            help="the hub's mkdocs.yml (default: ./mkdocs.yml)",
        )
        return sub

    build = add(
        "build", "Check the hub, then build the site (atomically: a failed build changes nothing)."
    )
    build.add_argument(
        "-d", "--site-dir", metavar="DIR", help="output folder (default: site_dir of mkdocs.yml)"
    )
    build.add_argument("--strict", action="store_true", help="fail on MkDocs warnings too")
    build.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    build.add_argument(
        "-v", "--verbose", action="store_true", help="show MkDocs' progress messages"
    )

    serve = add(
        "serve",
        "Preview the hub with live reload; drafts and scheduled articles are shown, marked.",
    )
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT")

    check = add("check", "Report every problem in the hub's files at once.")
    check.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text (path:line:col: error: …), github (workflow annotations) or json",
    )
    _add_change_options(check)
    _add_scaffold_commands(commands, add)
    _add_leads(commands)
    return parser


def _add_leads(commands: Any) -> None:
    """``hubgen leads …`` lives in hubgen.leads.cli; only this hook and the dispatch are here."""
    from hubgen.leads.cli import add_parser

    add_parser(commands)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _setup_logging(verbose=args.command == "serve" or getattr(args, "verbose", False))
    if args.command == "leads":
        from hubgen.leads.cli import run as run_leads

        return run_leads(args)
    try:
        if args.command in _MORE_COMMANDS:
            return _MORE_COMMANDS[args.command](args)
        if args.command == "check":
            return _check(args)
        if args.command == "build":
            return _build(args)
        return _serve(args)
    except UsageError as error:
        print(f"hubgen: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # pragma: no cover - interactive
        return 130


def _setup_logging(*, verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s - %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def _load(config_file: str, **overrides: Any) -> tuple[MkDocsConfig, HubgenPlugin]:
    if not Path(config_file).is_file():
        raise UsageError(
            f"{config_file} not found (run hubgen in the hub's folder or pass -f FILE)"
        )
    try:
        config = load_config(config_file=config_file, **overrides)
    except (Abort, ConfigurationError) as error:
        raise UsageError(f"{config_file} is not valid: {error}") from None
    plugin = config.plugins.get("hubgen")
    if not isinstance(plugin, HubgenPlugin):
        raise UsageError(
            f"{config_file} does not enable the hubgen plugin (add 'plugins: [hubgen]')"
        )
    return config, plugin


def _check(args: argparse.Namespace) -> int:
    change = _change_context(args)
    if change is not None and args.ownership_only:
        return _report(change.ownership(), args.format, f"{change.files_checked} changed")
    config, plugin = _load(args.config_file)
    settings = plugin.settings(config)
    newcomers = change.new_partners(settings) if change is not None else frozenset()
    hub, problems = load_hub(settings, newcomers=newcomers)
    # What the build would refuse besides, decided by the same code (hubgen.buildrules).
    catalog = Catalog(hub, build_time(settings.timezone))
    check_build_rules(
        hub, catalog, config.markdown_extensions, Path(args.config_file).resolve(), problems,
        allow_file_includes=plugin.config.content_policy.allow_file_includes,
    )  # fmt: skip
    policy_warnings(
        hub.articles, hub.settings.content_policy, config.markdown_extensions,
        config.mdx_configs, problems,
    )  # fmt: skip
    if change is not None:
        problems.extend(change.ownership())
        problems.extend(change.feed_ids(hub))
    return _report(problems, args.format, str(hub.files_read))


def _report(problems: Problems, fmt: str, files: str) -> int:
    if len(problems):
        print(format_problems(problems, fmt))
    elif fmt == "json":
        print("[]")
    errors, warnings = len(problems.errors), len(problems.warnings)
    print(
        f"checked {files} files: "
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
        file=sys.stderr,
    )
    return EXIT_PROBLEMS if errors else EXIT_OK


def _build(args: argparse.Namespace) -> int:
    started = time.monotonic()
    overrides: dict[str, Any] = {"strict": True} if args.strict else {}
    if args.site_dir:
        overrides["site_dir"] = os.path.abspath(args.site_dir)
    config, plugin = _load(args.config_file, **overrides)
    hub, problems = load_hub(plugin.settings(config))
    if problems.errors:
        print(format_problems(problems, "text"))
        print(
            f"build stopped: {len(problems.errors)} problems, nothing was written", file=sys.stderr
        )
        return EXIT_PROBLEMS
    if not args.quiet:
        print(f"checked {hub.files_read} files: no problems")
    config.plugins.on_startup(command="build", dirty=False)
    plugin.preloaded = hub
    plugin.announce = False
    target = Path(config.site_dir)
    # Build next to the target and swap it in only on success: a failed build leaves the old site.
    target.parent.mkdir(parents=True, exist_ok=True)
    # Staging folders of builds that were killed (no live build holds their lock) go too.
    if stale := stale_staging(target):
        delete_in_background(stale)
    building = Staging(target)
    staging = building.path
    config.site_dir = str(staging)
    try:
        mkdocs_build(config)
    except Abort as error:
        config.plugins.on_shutdown()
        shutil.rmtree(staging, ignore_errors=True)
        building.release()
        print(f"build failed, {target} left as it was: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        building.release()
        raise
    config.plugins.on_shutdown()
    _swap(staging, target)
    building.release()
    if not args.quiet:
        print(plugin.summary(time.monotonic() - started, _display(target)))
    return EXIT_OK


def _swap(staging: Path, target: Path) -> None:
    staging.chmod(0o755)  # mkdtemp makes it private; a site is meant to be served
    if target.exists():
        target.rename(target.with_name(f".{target.name}.old-{os.getpid()}"))
    staging.rename(target)
    # The old site (and any left by a killed build) is deleted by a process of its own:
    # unlinking thousands of pages takes seconds, and nothing needs to wait for it.
    stale = sorted(target.parent.glob(f".{target.name}.old-*"))
    if stale:
        delete_in_background(stale)


def _display(path: Path) -> str:
    try:
        return f"{path.resolve().relative_to(Path.cwd())}/"
    except ValueError:
        return f"{path}/"


def _serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    config_file = args.config_file
    _load(config_file)  # fail fast with a clear message before starting the server
    serve(config_file=config_file, dev_addr=args.dev_addr, livereload=True)
    return EXIT_OK


# -- checking a change against its base branch (--base, --author-of-change) -------------------


def _add_change_options(check: argparse.ArgumentParser) -> None:
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


class _Change:
    """A change under review: the base it goes into and, optionally, who proposes it."""

    def __init__(self, args: argparse.Namespace) -> None:
        from hubgen.gitbase import GitRepo, read_layout

        hub_dir = Path(args.config_file).resolve().parent
        self.repo = GitRepo(hub_dir)
        self.commit = self.repo.resolve(args.base)
        self.label = _base_label(args.base, args.base_name)
        self.approvals_file: str | None = args.approvals
        self.prefix = self.repo.relative(hub_dir)
        config = posixpath.join(self.prefix, Path(args.config_file).name)
        self.layout = read_layout(self.repo, self.commit, config, self.label)
        self.author_arg: str | None = args.author_of_change
        self.files: list[str] = [_repo_path(f) for f in args.files]
        self.files_checked = 0
        self._ownership = Problems()
        if self.author_arg is not None:
            self._judge_ownership(self.author_arg)

    def _judge_ownership(self, author_arg: str) -> None:
        from hubgen.approvals import read_approvals
        from hubgen.ownership import change_author, ownership_problems, read_rules

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
        from hubgen.feedids import base_articles, check_feed_ids

        problems = Problems()
        settings = hub.settings
        previous = base_articles(
            self.repo, self.commit, self.layout, settings.timezone, datetime.now(UTC)
        )
        check_feed_ids(settings, hub.articles, previous, self.prefix, self.label, problems)
        return problems


def _change_context(args: argparse.Namespace) -> _Change | None:
    from hubgen.approvals import ApprovalsError
    from hubgen.gitbase import GitError
    from hubgen.ownership import OwnershipError

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
        return _Change(args)
    except (GitError, OwnershipError, ApprovalsError) as error:
        raise UsageError(str(error)) from None


def _base_label(ref: str, branch: str | None) -> str:
    """How messages name the base: 'the main branch', never a commit SHA partners cannot act on."""
    if branch:
        return f"the {branch} branch"
    if len(ref) >= 7 and all(c in "0123456789abcdefABCDEF" for c in ref):
        return "the base branch"
    return ref


def _repo_path(value: str) -> str:
    path = posixpath.normpath(value.replace("\\", "/")).removeprefix("./")
    if path.startswith(("../", "/")) or path in ("..", "."):
        raise UsageError(f"'{value}' is not a path inside the repository")
    return path


# -- scaffolding: init, new, codeowners ----------------------------------------------------------


def _add_scaffold_commands(commands: Any, add: Any) -> None:
    init = commands.add_parser(
        "init",
        help="Create a new hub, ready to push to GitHub.",
        description="Create a new hub in DIR: mkdocs.yml, a sample partner and article, the "
        "contributor guide, README, CODEOWNERS and GitHub workflows (pull-request check with the "
        "ownership gate, deploy to GitHub Pages). Existing files are never overwritten.",
    )
    init.add_argument("directory", metavar="DIR")
    init.add_argument("--name", default="Our Referral Network", help="the network's name")
    init.add_argument(
        "--site-url", default="https://example.com/", help="the address the hub will have"
    )
    init.add_argument(
        "--organiser",
        default="your-github-name",
        metavar="GITHUB-NAME",
        help="the GitHub user who organises the hub (owns everything in CODEOWNERS)",
    )
    init.add_argument("--timezone", default="UTC", help="IANA time zone for article dates")

    new = commands.add_parser("new", help="Create a partner profile or an article.")
    kinds = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    partner = kinds.add_parser(
        "partner",
        help="partners/SLUG.yml (status pending, every field explained) and a placeholder logo",
    )
    partner.add_argument("slug", metavar="SLUG")
    partner.add_argument("--name", help="the firm's name (default: from the slug)")
    partner.add_argument(
        "--maintainer",
        action="append",
        default=[],
        metavar="GITHUB-NAME",
        help="a GitHub user allowed to edit it (repeat for more)",
    )
    article = kinds.add_parser(
        "article", help="content/articles/<today>-<title>.md, a draft with every field explained"
    )
    article.add_argument("title", metavar="TITLE")
    article.add_argument(
        "--author",
        action="append",
        required=True,
        metavar="SLUG",
        help="an authoring partner (repeat for co-authors; the first is the lead)",
    )
    article.add_argument("--topic", action="append", default=[], help="a topic (repeatable)")
    for sub in (partner, article):
        sub.add_argument("-f", "--config-file", default="mkdocs.yml", metavar="FILE")

    importer = commands.add_parser(
        "import",
        help="Convert another blog into a hub.",
        description="Convert another blog into a hub, reporting everything not carried over.",
    )
    formats = importer.add_subparsers(dest="source_format", required=True, metavar="FORMAT")
    material = formats.add_parser(
        "material-blog",
        help="a Material for MkDocs blog: .authors.yml and posts/",
        description="Authors become pending partners (fields marked TODO), posts become "
        "articles, linked images are copied. DEST is a new hub (created like init, without "
        "the samples) or an existing one (its mkdocs.yml is used). Nothing is overwritten.",
    )
    material.add_argument("source", metavar="SRC", help="the blog's project (with mkdocs.yml)")
    material.add_argument("dest", metavar="DEST", help="the hub to import into")
    material.add_argument("--organiser", default="your-github-name", metavar="GITHUB-NAME")
    material.add_argument("--timezone", default="UTC", help="for a new hub: IANA time zone")

    owners = add("codeowners", "Write .github/CODEOWNERS from the partners' maintainers.")
    owners.add_argument(
        "--organiser",
        action="append",
        default=[],
        metavar="GITHUB-NAME",
        help="an organiser, owner of everything (default: the owners of * in the current file)",
    )
    owners.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the file is out of date"
    )


def _init(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from hubgen.fields import is_url
    from hubgen.scaffold import hub_files, write_new

    try:
        ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"'{args.timezone}' is not an IANA time zone such as Europe/London"
        ) from None
    if not is_url(args.site_url):
        raise UsageError(f"--site-url '{args.site_url}' is not an http:// or https:// address")
    directory = Path(args.directory)
    today = datetime.now(ZoneInfo(args.timezone)).date()
    created = write_new(
        hub_files(directory, args.name, args.site_url, args.organiser, args.timezone, today)
    )
    _print_created(created)
    print(
        f"\nnext: cd {directory} && python3 -m venv .venv && "
        ".venv/bin/pip install -r requirements.txt && .venv/bin/hubgen serve\n"
        "then push it to GitHub and follow 'For the organisers' in README.md"
    )
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from hubgen.scaffold import (
        ArticleDraft,
        PartnerDraft,
        article_file,
        handle,
        now_in,
        partner_files,
        write_new,
    )

    config, plugin = _load(args.config_file)
    settings = plugin.settings(config)
    if args.kind == "partner":
        name = args.name or args.slug.replace("-", " ").title()
        maintainers = tuple(handle(m) for m in args.maintainer)
        created = write_new(
            partner_files(settings.partners_dir, PartnerDraft(args.slug, name, maintainers))
        )
        _print_created(created)
        print(
            "fill in the fields marked TODO; the partner stays unpublished (status: pending) until "
            "an organiser sets status: active. Then run hubgen codeowners."
        )
        return EXIT_OK
    for author in args.author:
        slug = author.partition("/")[0]
        if not (settings.partners_dir / f"{slug}.yml").is_file():
            known = sorted(p.stem for p in settings.partners_dir.glob("*.yml"))
            raise UsageError(
                f"unknown partner '{slug}' (known partners: {', '.join(known) or 'none yet'})"
            )
    moment = now_in(settings.timezone.key)
    draft = ArticleDraft(
        title=args.title,
        authors=tuple(args.author),
        date=moment.strftime("%Y-%m-%d %H:%M"),
        topics=tuple(args.topic),
        timezone=settings.timezone.key,
    )
    created = write_new(
        article_file(settings.docs_dir / settings.articles_dir, draft, moment.date())
    )
    _print_created(created)
    print("it is a draft: write it, then delete the 'draft: true' line")
    return EXIT_OK


def _codeowners(args: argparse.Namespace) -> int:
    from hubgen.scaffold import codeowners, existing_organisers

    config, plugin = _load(args.config_file)
    settings = plugin.settings(config)
    organisers = args.organiser or existing_organisers(settings.root)
    text = codeowners(settings.partners_dir, settings.root, organisers)
    target = settings.root / ".github" / "CODEOWNERS"
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if args.check:
        if current == text:
            print(f"{_display_file(target)} is up to date")
            return EXIT_OK
        print(f"{_display_file(target)} is out of date: run hubgen codeowners", file=sys.stderr)
        return EXIT_PROBLEMS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {_display_file(target)}")
    return EXIT_OK


def _print_created(paths: list[Path]) -> None:
    for path in paths:
        print(f"created {_display_file(path)}")


def _display_file(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _import(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from hubgen.importer import (
        NotABlogError,
        find_blog,
        format_report,
        import_material_blog,
    )
    from hubgen.scaffold import hub_files, write_new

    try:
        source = find_blog(Path(args.source))
    except NotABlogError as error:
        raise UsageError(str(error)) from None
    dest = Path(args.dest)
    files: dict[Path, str | bytes] = {}
    if (dest / "mkdocs.yml").is_file():
        config, plugin = _load(str(dest / "mkdocs.yml"))
        settings = plugin.settings(config)
        partners_dir, articles_dir = (
            settings.partners_dir,
            settings.docs_dir / settings.articles_dir,
        )
        timezone = settings.timezone.key
    else:
        try:
            ZoneInfo(args.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(f"'{args.timezone}' is not an IANA time zone") from None
        timezone = args.timezone
        today = datetime.now(ZoneInfo(timezone)).date()
        files.update(
            hub_files(
                dest,
                source.site_name,
                source.site_url,
                args.organiser,
                timezone,
                today,
                sample=False,
            )
        )
        partners_dir, articles_dir = dest / "partners", dest / "content" / "articles"
    imported, report, partners, articles = import_material_blog(
        source, partners_dir, articles_dir, timezone
    )
    files.update(imported)
    write_new(files)
    print("\n".join(format_report(report, partners, articles, _display_file(dest))))
    return EXIT_OK


Command = Callable[[argparse.Namespace], int]


def _scaffold_errors_are_usage_errors(command: Command) -> Command:
    def run(args: argparse.Namespace) -> int:
        from hubgen.scaffold import ScaffoldError

        try:
            return command(args)
        except ScaffoldError as error:
            raise UsageError(str(error)) from None

    return run


_MORE_COMMANDS: dict[str, Command] = {
    "init": _scaffold_errors_are_usage_errors(_init),
    "new": _scaffold_errors_are_usage_errors(_new),
    "codeowners": _scaffold_errors_are_usage_errors(_codeowners),
    "import": _scaffold_errors_are_usage_errors(_import),
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
