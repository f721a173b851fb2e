"""``hubgen init``, ``new``, ``codeowners`` and ``import``: writing a hub's files."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from hubgen.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    UsageError,
    display_file,
    load_plugin,
    print_created,
)


def add_scaffold_commands(commands: Any, add: Any) -> None:
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
    init.add_argument(
        "--repo",
        default="",
        metavar="OWNER/NAME",
        help="the hub's GitHub repository: publishes the browser editor at /admin/, whose "
        "saves are pull requests to it (asked for when run in a terminal)",
    )

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

    from hubgen.authoring.scaffold import hub_files, write_new
    from hubgen.load.fields import is_url

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
    repo = args.repo
    if not repo and sys.stdin.isatty():
        repo = input("GitHub repository for the browser editor (owner/name, empty: none): ")
    repo = repo.strip()
    if repo and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}", repo):
        raise UsageError(f"--repo '{repo}' is not a GitHub repository as owner/name")
    files = hub_files(
        directory, args.name, args.site_url, args.organiser, args.timezone, today, repo=repo
    )
    created = write_new(files)
    print_created(created)
    print(
        f"\nnext: cd {directory} && python3 -m venv .venv && "
        ".venv/bin/pip install -r requirements.txt && .venv/bin/hubgen serve\n"
        "then push it to GitHub and follow 'For the organisers' in README.md"
    )
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from hubgen.authoring.scaffold import (
        ArticleDraft,
        PartnerDraft,
        article_file,
        handle,
        now_in,
        partner_files,
        write_new,
    )

    config, plugin = load_plugin(args.config_file)
    settings = plugin.settings(config)
    if args.kind == "partner":
        name = args.name or args.slug.replace("-", " ").title()
        maintainers = tuple(handle(m) for m in args.maintainer)
        created = write_new(
            partner_files(settings.partners_dir, PartnerDraft(args.slug, name, maintainers))
        )
        print_created(created)
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
    print_created(created)
    print("it is a draft: write it, then delete the 'draft: true' line")
    return EXIT_OK


def _codeowners(args: argparse.Namespace) -> int:
    from hubgen.authoring.scaffold import codeowners, existing_organisers

    config, plugin = load_plugin(args.config_file)
    settings = plugin.settings(config)
    organisers = args.organiser or existing_organisers(settings.root)
    text = codeowners(settings.partners_dir, settings.root, organisers)
    target = settings.root / ".github" / "CODEOWNERS"
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if args.check:
        if current == text:
            print(f"{display_file(target)} is up to date")
            return EXIT_OK
        print(f"{display_file(target)} is out of date: run hubgen codeowners", file=sys.stderr)
        return EXIT_PROBLEMS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {display_file(target)}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from hubgen.authoring.importer import format_report, import_material_blog
    from hubgen.authoring.materialblog import NotABlogError, find_blog
    from hubgen.authoring.scaffold import hub_files, write_new

    try:
        source = find_blog(Path(args.source))
    except NotABlogError as error:
        raise UsageError(str(error)) from None
    dest = Path(args.dest)
    files: dict[Path, str | bytes] = {}
    if (dest / "mkdocs.yml").is_file():
        config, plugin = load_plugin(str(dest / "mkdocs.yml"))
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
    print("\n".join(format_report(report, partners, articles, display_file(dest))))
    return EXIT_OK


Command = Callable[[argparse.Namespace], int]


def _scaffold_errors_are_usage_errors(command: Command) -> Command:
    def run(args: argparse.Namespace) -> int:
        from hubgen.authoring.scaffold import ScaffoldError

        try:
            return command(args)
        except ScaffoldError as error:
            raise UsageError(str(error)) from None

    return run


COMMANDS: dict[str, Command] = {
    "init": _scaffold_errors_are_usage_errors(_init),
    "new": _scaffold_errors_are_usage_errors(_new),
    "codeowners": _scaffold_errors_are_usage_errors(_codeowners),
    "import": _scaffold_errors_are_usage_errors(_import),
}
