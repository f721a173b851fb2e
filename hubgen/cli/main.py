"""The ``hubgen`` command: build, serve and check a hub. Exit 0 ok, 1 content problems, 2 usage.

Parsing is cheap; each command's module is imported only when it runs (``hubgen leads`` never
imports MkDocs).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from hubgen import __version__
from hubgen.cli.authoring import add_scaffold_commands
from hubgen.cli.cms import add_cms_command
from hubgen.cli.common import EXIT_USAGE, UsageError
from hubgen.cli.review import add_change_options

JOBS_HELP = (
    "processes that render articles' Markdown at once (default: HUBGEN_JOBS, else every CPU; "
    "1 renders on one core)"
)


def build_parser() -> argparse.ArgumentParser:
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
    build.add_argument("-j", "--jobs", type=int, metavar="N", help=JOBS_HELP)

    serve = add(
        "serve",
        "Preview the hub with live reload; drafts and scheduled articles are shown, marked.",
    )
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT")
    serve.add_argument("-j", "--jobs", type=int, metavar="N", help=JOBS_HELP)

    check = add("check", "Report every problem in the hub's files at once.")
    check.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text (path:line:col: error: …), github (workflow annotations) or json",
    )
    add_change_options(check)
    add_scaffold_commands(commands, add)
    add_cms_command(add)
    _add_leads(commands)
    return parser


def _add_leads(commands: Any) -> None:
    """``hubgen leads …`` lives in hubgen.leads.cli; only this hook and the dispatch are here."""
    from hubgen.leads.cli import add_parser

    add_parser(commands)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup_logging(verbose=args.command == "serve" or getattr(args, "verbose", False))
    if args.command == "leads":
        from hubgen.leads.cli import run as run_leads

        return run_leads(args)
    try:
        if args.command == "cms":
            from hubgen.cli import cms

            return cms.run(args)
        if args.command in ("build", "serve", "check"):
            from hubgen.cli import site

            return site.COMMANDS[args.command](args)
        from hubgen.cli.authoring import COMMANDS

        return COMMANDS[args.command](args)
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
