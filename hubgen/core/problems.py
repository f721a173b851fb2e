"""Problems found in a hub's files, reported all at once with file, line, field and a hint."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file. ``line`` and ``col`` are 1-based; 0 means unknown."""

    path: str
    line: int
    col: int
    field: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def as_text(self) -> str:
        """``path:line:col: error: field: message (hint)`` as editors and CI logs expect."""
        where = f"{self.path}:{max(self.line, 1)}:{max(self.col, 1)}"
        field = f"{self.field}: " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.severity}: {field}{self.message}{hint}"

    def as_github(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request's line."""
        text = (f"{self.field}: " if self.field else "") + self.message
        if self.hint:
            text += f" ({self.hint})"
        return (
            f"::{self.severity} file={_escape_property(self.path)},line={max(self.line, 1)},"
            f"col={max(self.col, 1)},title={_escape_property('hubgen ' + str(self.severity))}"
            f"::{_escape_data(text)}"
        )


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


class Problems:
    """An ordered collection of problems; loading keeps going after each one."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(
        self,
        path: str,
        line: int,
        col: int,
        field: str,
        message: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        self._items.append(Problem(path, line, col, field, message, hint, severity))

    def extend(self, problems: Iterable[Problem]) -> None:
        self._items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self._items))

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.WARNING]


def format_problems(problems: Iterable[Problem], fmt: str) -> str:
    """Render problems as ``text`` (one per line), ``github`` annotations or a ``json`` list."""
    items = list(problems)
    if fmt == "json":
        return json.dumps([asdict(p) for p in items], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(p.as_github() for p in items)
    return "\n".join(p.as_text() for p in items)


class HubError(Exception):
    """Raised when a hub cannot be built because its files have problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        lines = "\n".join(p.as_text() for p in problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the hub's files:\n{lines}")
