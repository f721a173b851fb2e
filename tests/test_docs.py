"""The documentation: the site builds with --strict, its reference covers every option and command,
hub.json matches its schema, and the root Markdown files stay short and link only inside the repo."""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup, Tag
from hubkit import REPO, Site

from hubgen.cli import build_parser
from hubgen.load.articles import ARTICLE_FIELDS, CTA_FIELDS
from hubgen.load.partners import PARTNER_FIELDS, PERSON_FIELDS, SOCIAL_NETWORKS
from hubgen.mkdocs_adapter.config import HubgenConfig

DOCS_CONFIG = REPO / "docs" / "mkdocs.yml"
SCHEMA = REPO / "docs" / "pages" / "reference" / "hub.schema.json"
FIRST_COMMANDS = [
    "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/hubgen build && .venv/bin/hubgen serve",
    "bash .ci/run",
]
LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Site:
    out = tmp_path_factory.mktemp("docs-site")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(DOCS_CONFIG),
            "-d",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return Site(out)


# -- generated reference ---------------------------------------------------------------------------


def option_names(config_class: Any, prefix: str = "") -> list[str]:
    names = []
    for name, option in config_class._schema:
        names.append(f"{prefix}{name}")
        if hasattr(option, "config_class"):
            names += option_names(option.config_class, f"{prefix}{name}.")
    return names


def test_every_plugin_option_is_documented_with_a_description(docs: Site) -> None:
    rows = {}
    for row in docs.page("reference/options/").select("table tr"):
        cells = row.find_all("td")
        if cells:
            rows[cells[0].get_text(strip=True)] = cells[-1].get_text(" ", strip=True)
    expected = option_names(HubgenConfig)
    assert {"feeds.full_content", "referral.model", "headers_file"} <= set(expected)
    assert [name for name in expected if name not in rows] == []
    # Descriptions come from the docstrings under each option in the config class.
    assert [name for name in expected if not rows[name]] == []
    assert "whole HTML in the feeds" in rows["feeds.full_content"]


def commands(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """The parser's command and every subcommand below it, depth first."""
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += commands(sub)
    return found


def section(page: BeautifulSoup, prog: str) -> str:
    """The text under the heading of one command, up to the next heading."""
    anchor = "-".join(prog.split())
    heading = page.find(id=anchor)
    assert isinstance(heading, Tag), f"no section for {prog}"
    texts = []
    for sibling in heading.find_next_siblings():
        if sibling.name in ("h2", "h3", "h4"):
            break
        texts.append(sibling.get_text(" "))
    return " ".join(texts)


def test_every_command_and_long_option_is_in_the_cli_reference(docs: Site) -> None:
    page = docs.page("reference/cli/")
    programs = commands(build_parser())[1:]
    progs = {p.prog for p in programs}
    assert {"hubgen build", "hubgen check", "hubgen leads serve", "hubgen leads outcome"} <= progs
    missing = []
    for parser in programs:
        text = section(page, parser.prog)
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help" and option not in text:
                    missing.append(f"{parser.prog} {option}")
    assert missing == []
    check = section(page, "hubgen check")
    assert "--author-of-change" in check and "rules are read from --base" in check


def test_exit_codes_are_documented(docs: Site) -> None:
    rows = [r.get_text(" ", strip=True) for r in docs.page("reference/exit-codes/").select("tr")]
    assert any(r.startswith("0 success") for r in rows)
    assert any(r.startswith("1 problems") for r in rows)
    assert any(r.startswith("2 usage") for r in rows)


def test_partner_and_front_matter_references_name_every_field(docs: Site) -> None:
    def code(url: str) -> set[str]:
        return {c.get_text() for c in docs.page(url).select("td code")}

    partner = code("reference/partner-profile/")
    assert [
        f for f in (*PARTNER_FIELDS, *PERSON_FIELDS, *SOCIAL_NETWORKS) if f not in partner
    ] == []
    article = code("reference/front-matter/")
    assert [f for f in (*ARTICLE_FIELDS, *CTA_FIELDS) if f not in article] == []


def test_the_docs_site_makes_no_third_party_requests(docs: Site) -> None:
    for path in docs.root.rglob("*.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
            for element in page.find_all(tag):
                value = str(element.get(attribute) or "")
                if tag == "link" and "stylesheet" not in (element.get("rel") or []):
                    continue
                assert not re.match(r"^(https?:)?//", value), f"{path}: {value}"


# -- hub.json --------------------------------------------------------------------------------------


def closed(schema: Any) -> Any:
    """The schema with additionalProperties false wherever it lists properties, so a field hub.json
    gains without being documented fails the test (consumers keep the open schema)."""
    if isinstance(schema, dict):
        result = {key: closed(value) for key, value in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            result["additionalProperties"] = False
        return result
    if isinstance(schema, list):
        return [closed(item) for item in schema]
    return schema


def test_the_demo_hub_json_matches_the_documented_schema(demo_site: Site) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    manifest = json.loads((demo_site.root / "hub.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(manifest)
    jsonschema.Draft202012Validator(closed(schema)).validate(manifest)


def test_the_schema_refuses_what_hub_json_never_holds(demo_site: Site) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    manifest = json.loads((demo_site.root / "hub.json").read_text(encoding="utf-8"))
    broken = copy.deepcopy(manifest)
    broken["referral"]["model"] = "middle"
    del broken["partners"][0]["referral_code"]
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(broken))
    assert len(errors) == 2


# -- the root Markdown files -----------------------------------------------------------------------


def test_readme_is_short_and_starts_with_the_two_commands() -> None:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 170
    fence = next(i for i, line in enumerate(lines) if line.startswith("```"))
    assert fence <= 3, "the code block with the two commands comes first"
    assert lines[fence + 1 : fence + 3] == FIRST_COMMANDS
    assert lines[fence + 3] == "```"


@pytest.mark.parametrize("name", ["README.md", "CONTRIBUTING.md", "SECURITY.md", "CHANGELOG.md"])
def test_relative_links_resolve_to_files_in_the_repository(name: str) -> None:
    source = REPO / name
    text = source.read_text(encoding="utf-8")
    assert "../shared" not in text
    broken = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        path = (source.parent / target.split("#")[0]).resolve()
        if not path.is_relative_to(REPO) or not path.exists():
            broken.append(target)
    assert broken == []


def test_every_docs_page_is_in_the_nav_or_generated() -> None:
    config = DOCS_CONFIG.read_text(encoding="utf-8")
    pages = Path(REPO / "docs" / "pages")
    listed = [p.relative_to(pages).as_posix() for p in pages.rglob("*.md")]
    assert [page for page in listed if page not in config] == []
