"""MkDocs hook: the reference pages that are generated from hubgen's own code at build time.

- ``reference/options.md``: every plugin option of ``HubgenConfig`` (nested sections too), with
  its type, default and the docstring written under it in the config module;
- ``reference/cli.md``: every ``hubgen`` command and subcommand with every option, from the
  argparse parser the command itself uses;
- ``reference/exit-codes.md``: the exit codes, from the constants the commands return.

Generating them means the reference cannot drift from the code: an option or flag added without
a description still appears (and the docs test notices an option missing from the pages).
"""

from __future__ import annotations

import argparse
import ast
import inspect
import textwrap
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from hubgen.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, build_parser
from hubgen.mkdocs_adapter.config import HubgenConfig

GENERATED = "Generated from hubgen's code when these docs are built; do not edit by hand."


# -- plugin options --------------------------------------------------------------------------------


def attribute_docs(config_class: type) -> dict[str, str]:
    """The docstrings written under each option of a config class (PEP 257 attribute docstrings).

    MkDocs keeps no documentation on its config options, so the class's source is read: a string
    statement right after an assignment documents that assignment.
    """
    source = textwrap.dedent(inspect.getsource(config_class))
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    docs: dict[str, str] = {}
    for stmt, following in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(stmt, ast.Assign)
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[stmt.targets[0].id] = inspect.cleandoc(following.value.value)
    return docs


def _type_name(option: base.BaseConfigOption[Any]) -> str:
    if isinstance(option, c.Choice):
        return " \\| ".join(f"`{choice}`" for choice in option.choices)
    if isinstance(option, c.ListOfItems):
        inner = option.option_type
        if isinstance(inner, c.Choice):
            return "list of " + ", ".join(f"`{choice}`" for choice in inner.choices)
        return "list"
    if isinstance(option, c.DictOfItems):
        return "mapping"
    if isinstance(option, c.SubConfig):
        return "section"
    kind = getattr(option, "_type", None)
    if isinstance(kind, type):
        return {"str": "text", "bool": "true/false", "int": "number"}.get(
            kind.__name__, kind.__name__
        )
    return "text"


def _default(option: base.BaseConfigOption[Any]) -> str:
    if isinstance(option, c.SubConfig):
        return ""
    value = option.default
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value in ("", None):
        return '`""`' if value == "" else ""
    if isinstance(value, list):
        return "`[" + ", ".join(str(v) for v in value) + "]`"
    if isinstance(value, dict) and not value:
        return "`{}`"
    return f"`{value}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def options_rows(config_class: type, prefix: str = "") -> list[tuple[str, str, str, str]]:
    """(dotted name, type, default, description) for every option, sections expanded in place."""
    docs = attribute_docs(config_class)
    rows: list[tuple[str, str, str, str]] = []
    for name, option in config_class._schema:  # type: ignore[attr-defined]
        dotted = f"{prefix}{name}"
        rows.append((dotted, _type_name(option), _default(option), docs.get(name, "")))
        if isinstance(option, c.SubConfig):
            rows.extend(options_rows(option.config_class, f"{dotted}."))
    return rows


def options_page() -> str:
    lines = [
        "# Plugin options",
        "",
        f"<!-- {GENERATED} -->",
        "",
        "hubgen's options go under the plugin in the hub's `mkdocs.yml`; hub-level settings come",
        "from MkDocs' own keys (`site_name` is the hub's name, `site_url` its base URL,",
        "`theme.language` its language, `docs_dir: content` the folder of articles and pages).",
        "A dotted name is an option inside a section:",
        "",
        "```yaml",
        "plugins:",
        "  - search",
        "  - hubgen:",
        "      timezone: Europe/London",
        "      feeds:",
        "        full_content: false   # feeds.full_content",
        "```",
        "",
        "| option | type | default | what it does |",
        "|---|---|---|---|",
    ]
    for name, kind, default, doc in options_rows(HubgenConfig):
        anchor = name.replace(".", "-").replace("_", "-")
        lines.append(f'| <a id="{anchor}"></a>`{name}` | {kind} | {default} | {_cell(doc)} |')
    return "\n".join(lines) + "\n"


# -- the hubgen command ----------------------------------------------------------------------------


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """(name, help, parser) of each subcommand, in the order ``--help`` lists them."""
    found: list[tuple[str, str, argparse.ArgumentParser]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                found.append((name, helps.get(name, ""), sub))
    return found


def _argument_row(action: argparse.Action) -> str | None:
    if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
        return None
    if action.option_strings:
        names = ", ".join(f"`{o}`" for o in action.option_strings)
        if action.nargs != 0:
            metavar = action.metavar or (action.dest.upper())
            names += f" `{metavar}`" if isinstance(metavar, str) else ""
    else:
        names = f"`{action.metavar or action.dest}`"
    help_text = action.help if action.help and action.help != argparse.SUPPRESS else ""
    if action.choices and not isinstance(action.choices, dict):
        help_text += (
            (" " if help_text else "") + "(one of: " + ", ".join(map(str, action.choices)) + ")"
        )
    default = action.default
    if default not in (None, False, [], argparse.SUPPRESS) and "default" not in help_text:
        help_text += f" (default: `{default}`)"
    if action.required and action.option_strings:
        help_text += " (required)"
    return f"| {names} | {_cell(help_text)} |"


def _command_section(
    name: str, help_text: str, parser: argparse.ArgumentParser, depth: int
) -> list[str]:
    lines = [f"{'#' * depth} `{parser.prog}`", ""]
    description = parser.description or help_text
    if description:
        lines += [_cell(description), ""]
    usage = parser.format_usage().replace("usage: ", "").strip()
    lines += ["```text", " ".join(usage.split()), "```", ""]
    rows = [row for row in map(_argument_row, parser._actions) if row]
    if rows:
        lines += ["| argument | meaning |", "|---|---|", *rows, ""]
    for sub_name, sub_help, sub in _subcommands(parser):
        lines += _command_section(sub_name, sub_help, sub, min(depth + 1, 4))
    return lines


def cli_page() -> str:
    parser = build_parser()
    lines = [
        "# The `hubgen` command",
        "",
        f"<!-- {GENERATED} -->",
        "",
        _cell(parser.description or ""),
        "`python -m hubgen …` is the same command. Every command answers `--help`;",
        "see [exit codes](exit-codes.md) for what they return.",
        "",
        "| command | what it does |",
        "|---|---|",
    ]
    commands = _subcommands(parser)
    for name, help_text, _ in commands:
        lines.append(f"| [`hubgen {name}`](#hubgen-{name}) | {_cell(help_text)} |")
    lines.append("")
    for name, help_text, sub in commands:
        lines += _command_section(name, help_text, sub, 2)
    return "\n".join(lines) + "\n"


# -- exit codes ------------------------------------------------------------------------------------


EXIT_CODES = (
    (EXIT_OK, "success", "the hub is valid; the site was built; leads were delivered"),
    (
        EXIT_PROBLEMS,
        "problems in the hub's files or data",
        "an error from `hubgen check` or `hubgen build` (the site is left untouched); an ownership "
        "error from the gate; `hubgen codeowners --check` found the file out of date; failed "
        "deliveries or an unreachable database in `hubgen leads …`",
    ),
    (
        EXIT_USAGE,
        "usage errors",
        "bad arguments; a missing or invalid `mkdocs.yml`; `init`, `new` or `import` would "
        "overwrite an existing file (they write nothing); no `hub.json`; an unknown lead or a bad "
        "status in `hubgen leads outcome`",
    ),
)


def exit_codes_page() -> str:
    rows = "\n".join(
        f"| `{code}` | {meaning} | {examples} |" for code, meaning, examples in EXIT_CODES
    )
    return f"""# Exit codes

<!-- {GENERATED} -->

Every `hubgen` command, the `hubgen leads …` commands included, exits with one of three codes,
so scripts and CI can tell a problem in the hub from a mistake in how it was called:

| code | meaning | examples |
|---|---|---|
{rows}

An interrupted command (Ctrl-C) exits with 130. Problems are printed as
`path:line:col: error: field: message (hint)` (see [`hubgen check`](checks.md)).
"""


PAGES = {
    "reference/options.md": options_page,
    "reference/cli.md": cli_page,
    "reference/exit-codes.md": exit_codes_page,
}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for uri, make in PAGES.items():
        files.append(File.generated(config, uri, content=make()))
    return files


if __name__ == "__main__":  # print the pages, to look at them without a build
    for uri, make in PAGES.items():
        print(f"==> {uri}\n{make()}")
