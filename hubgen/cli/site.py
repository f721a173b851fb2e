"""``hubgen build``, ``serve`` and ``check``: the commands that load a hub and run MkDocs."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import Abort

from hubgen.cache import prerender
from hubgen.cache.sitedir import Staging, delete_in_background, stale_staging
from hubgen.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError, load_plugin
from hubgen.cli.review import change_context
from hubgen.core.problems import Problems, format_problems
from hubgen.load.loader import load_hub
from hubgen.load.policycheck import policy_warnings
from hubgen.site.buildrules import check_build_rules
from hubgen.site.catalog import Catalog, build_time


def _check(args: argparse.Namespace) -> int:
    change = change_context(args)
    if change is not None and args.ownership_only:
        return report(change.ownership(), args.format, f"{change.files_checked} changed")
    config, plugin = load_plugin(args.config_file)
    settings = plugin.settings(config)
    newcomers = change.new_partners(settings) if change is not None else frozenset()
    hub, problems = load_hub(settings, newcomers=newcomers)
    # What the build would refuse besides, decided by the same code (hubgen.site.buildrules).
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
    return report(problems, args.format, str(hub.files_read))


def report(problems: Problems, fmt: str, files: str) -> int:
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
    jobs = _jobs(args)
    config, plugin = load_plugin(args.config_file, **overrides)
    plugin.jobs = jobs
    hub, problems = plugin.load(plugin.settings(config))
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
    jobs = _jobs(args)
    load_plugin(config_file)  # fail fast with a clear message before starting the server
    # MkDocs makes the plugin anew for serve: the number of processes travels by environment.
    before = os.environ.get(prerender.JOBS_ENV)
    os.environ[prerender.JOBS_ENV] = str(jobs)
    # Stopped by SIGTERM (a container stopping, a supervisor) as by Ctrl-C: MkDocs deletes the
    # temporary copy of the site it serves only then; SIGTERM's default left the whole site
    # behind in the temporary folder on every stop.
    stopping = signal.signal(signal.SIGTERM, _interrupt)
    try:
        serve(config_file=config_file, dev_addr=args.dev_addr, livereload=True)
    finally:
        signal.signal(signal.SIGTERM, stopping)
        if before is None:
            os.environ.pop(prerender.JOBS_ENV, None)
        else:
            os.environ[prerender.JOBS_ENV] = before
    return EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _jobs(args: argparse.Namespace) -> int:
    """``--jobs``, else ``HUBGEN_JOBS``, else every CPU: checked before anything is built."""
    try:
        return prerender.resolve_jobs(args.jobs)
    except prerender.JobsError as error:
        raise UsageError(str(error)) from None


COMMANDS = {"build": _build, "serve": _serve, "check": _check}
