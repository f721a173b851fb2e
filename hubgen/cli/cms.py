"""``hubgen cms``: print or write the browser editor's configuration (Decap CMS, Sveltia CMS).

``hubgen build`` publishes the same configuration at ``/admin/config.yml``; this command shows
it without building, for review or for a CMS hosted elsewhere.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from hubgen.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError, display_file, load_plugin


def add_cms_command(add: Any) -> None:
    cms = add(
        "cms",
        "Write the browser editor's configuration (Decap CMS), generated from the hub's field rules.",
    )
    cms.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="FILE",
        help="where to write it (default: print it); hubgen build publishes it at /admin/",
    )


def run(args: argparse.Namespace) -> int:
    from hubgen.cms.decapconfig import cms_config, config_yaml
    from hubgen.core.problems import format_problems
    from hubgen.load.loader import load_hub
    from hubgen.mkdocs_adapter.config import cms_settings

    config, plugin = load_plugin(args.config_file)
    cms = cms_settings(plugin.config)
    if not cms.enabled:
        raise UsageError(
            f"{args.config_file}: set the hub's GitHub repository first, under plugins: "
            "- hubgen: cms: repo: owner/name"
        )
    hub, problems = load_hub(plugin.settings(config))
    if problems.errors:
        # Author choices come from the loaded partners: a broken hub gives no configuration.
        print(format_problems(problems, "text"))
        print("hubgen cms: fix these problems first", file=sys.stderr)
        return EXIT_PROBLEMS
    text = config_yaml(cms_config(hub.settings, hub, cms))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {display_file(path)}")
    return EXIT_OK
