"""Placeholders ``hubgen init`` writes until the organiser replaces them: warnings, not errors.

``site_url: https://example.com/`` in mkdocs.yml (feed ids, canonical links, tracked links and
social cards are made from it) and ``@your-github-name`` in CODEOWNERS and in profiles'
``maintainers`` (nobody would own the hub, or a partner's files, for the ownership gate). A hub
builds with them, so a first ``hubgen serve`` works; ``hubgen check`` says each one and where.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from hubgen.core.models import HubSettings, Partner
from hubgen.core.problems import Problems, Severity
from hubgen.load.yamlsafe import YamlSyntaxError, dotted_name, parse_yaml, strings_in

SITE_URL = "https://example.com/"
"""``hubgen init --site-url``'s default."""
ORGANISER = "your-github-name"
"""``hubgen init --organiser``'s default."""
CONFIG_FILES = ("mkdocs.yml", "mkdocs.yaml")
CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
"""Where GitHub looks for CODEOWNERS (hubgen.review.ownership's list; load sits below review)."""

_SITE_URL_LINE = re.compile(
    r"^site_url:\s*[\"']?(https?://(?:www\.)?example\.com/?)[\"']?\s*(#.*)?$"
)
_HANDLE = re.compile(rf"@{ORGANISER}\b")


def check_init_placeholders(
    settings: HubSettings, partners: Mapping[str, Partner], problems: Problems
) -> None:
    _site_url(settings, problems)
    _codeowners(settings, problems)
    _maintainers(settings, partners, problems)


def config_lines(settings: HubSettings) -> tuple[str, list[str]] | None:
    """The hub's MkDocs config file name and its lines, for checks that point at a line."""
    for name in CONFIG_FILES:
        try:
            return name, (settings.root / name).read_text("utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
    return None


def _site_url(settings: HubSettings, problems: Problems) -> None:
    if (config := config_lines(settings)) is None:
        return
    name, lines = config
    for number, line in enumerate(lines, start=1):
        if (match := _SITE_URL_LINE.match(line)) is not None:
            problems.add(
                name,
                number,
                line.index(match.group(1)) + 1,
                "site_url",
                f"is still hubgen init's placeholder '{match.group(1)}'",
                "set it to the address the hub is published at, such as "
                "https://<owner>.github.io/<repository>/; feed ids, canonical links, "
                "tracked links and social cards are made from it",
                Severity.WARNING,
            )


def _codeowners(settings: HubSettings, problems: Problems) -> None:
    for name in CODEOWNERS_PATHS:
        path = settings.root / name
        try:
            lines = path.read_text("utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, start=1):
            if line.lstrip().startswith("#") or (match := _HANDLE.search(line)) is None:
                continue
            problems.add(
                name,
                number,
                match.start() + 1,
                "owners",
                f"is still hubgen init's placeholder '@{ORGANISER}'",
                "put the organiser's GitHub name there, or write the file again with "
                "'hubgen codeowners --organiser NAME'; owners approve pull requests",
                Severity.WARNING,
            )


def _maintainers(
    settings: HubSettings, partners: Mapping[str, Partner], problems: Problems
) -> None:
    for partner in sorted(partners.values(), key=lambda p: p.slug):
        if not any(m.lstrip("@") == ORGANISER for m in partner.maintainers):
            continue
        try:
            doc, _ = parse_yaml((settings.root / partner.source).read_text("utf-8-sig"))
        except (OSError, UnicodeDecodeError, YamlSyntaxError):
            continue
        for key, value in strings_in(doc.data, ()):
            if key[:1] != ("maintainers",) or value.strip().lstrip("@") != ORGANISER:
                continue
            position = doc.value_pos(key)
            problems.add(
                partner.source,
                position.line,
                position.col,
                dotted_name(key),
                f"is still hubgen init's placeholder '{value.strip()}'",
                "list the GitHub names of the people at this firm who edit its profile",
                Severity.WARNING,
            )
