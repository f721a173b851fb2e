"""What every ``hubgen`` command shares: exit codes, usage errors, loading a hub's mkdocs.yml."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from hubgen.mkdocs_adapter.plugin import HubgenPlugin

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Something wrong with how hubgen was called (exit 2), not with the hub's content."""


def load_plugin(config_file: str, **overrides: Any) -> tuple[MkDocsConfig, HubgenPlugin]:
    # MkDocs is imported here, not at the top: `hubgen leads` never loads it.
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from hubgen.mkdocs_adapter.plugin import HubgenPlugin

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


def print_created(paths: list[Path]) -> None:
    for path in paths:
        print(f"created {display_file(path)}")


def display_file(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
