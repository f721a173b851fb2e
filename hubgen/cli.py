"""The ``hubgen`` command: build, serve and check a hub. Exit 0 ok, 1 content problems, 2 usage."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError

from hubgen import __version__
from hubgen.loader import load_hub
from hubgen.plugin import HubgenPlugin
from hubgen.problems import format_problems

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
    config, plugin = _load(args.config_file)
    hub, problems = load_hub(plugin.settings(config))
    if len(problems):
        print(format_problems(problems, args.format))
    elif args.format == "json":
        print("[]")
    errors, warnings = len(problems.errors), len(problems.warnings)
    print(
        f"checked {hub.files_read} files: "
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
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    config.site_dir = str(staging)
    try:
        mkdocs_build(config)
    except Abort as error:
        config.plugins.on_shutdown()
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build failed, {target} left as it was: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    config.plugins.on_shutdown()
    _swap(staging, target)
    if not args.quiet:
        print(plugin.summary(time.monotonic() - started, _display(target)))
    return EXIT_OK


def _swap(staging: Path, target: Path) -> None:
    staging.chmod(0o755)  # mkdtemp makes it private; a site is meant to be served
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
