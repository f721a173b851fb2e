"""Typed field reading for hand-written YAML mappings, reporting every problem with its position.

A :class:`FieldReader` wraps one mapping of a :class:`~hubgen.load.yamlsafe.YamlDoc`. Each accessor
returns a typed value or ``None`` and records a problem (file, line, column, field, hint) instead
of raising, so one run reports everything that is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from hubgen.core.problems import Problems
from hubgen.core.text import did_you_mean
from hubgen.load.yamlsafe import Key, YamlDoc

_COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


class FieldReader:
    def __init__(
        self, doc: YamlDoc, path: str, problems: Problems, key: Key = (), data: Any = None
    ) -> None:
        self.doc = doc
        self.path = path
        self.problems = problems
        self.key = key
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}

    # -- reporting ---------------------------------------------------------------------------

    def field_name(self, name: str | int) -> str:
        """Dotted name for messages: ``people[0].name``."""
        name_parts: list[str] = []
        for part in (*self.key, name):
            if isinstance(part, int):
                name_parts[-1] += f"[{part}]"
            else:
                name_parts.append(part)
        return ".".join(name_parts)

    def error(self, name: str | int, message: str, hint: str = "", *, at_key: bool = False) -> None:
        key = (*self.key, name)
        pos = self.doc.key_pos(key) if at_key else self.doc.value_pos(key)
        self.problems.add(self.path, pos.line, pos.col, self.field_name(name), message, hint)

    def has(self, name: str) -> bool:
        return self.data.get(name) is not None

    # -- structure ---------------------------------------------------------------------------

    def check_keys(self, allowed: Collection[str], required: Collection[str] = ()) -> None:
        """Unknown keys get a "did you mean" hint; missing required keys are named."""
        for name in self.data:
            if name not in allowed:
                self.error(
                    name, f"unknown field '{name}'", did_you_mean(name, allowed), at_key=True
                )
        for name in required:
            if self.data.get(name) is None:
                where = self.doc.value_pos(self.key)
                field = self.field_name(name)
                message = f"required field '{name}' is missing" + (
                    " or empty" if name in self.data else ""
                )
                self.problems.add(
                    self.path, where.line, where.col, field, message, f"add '{name}: …'"
                )

    def mapping(self, name: str) -> FieldReader | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(name, f"expected a mapping of 'key: value' lines, got {_kind(value)}")
            return None
        return FieldReader(self.doc, self.path, self.problems, (*self.key, name), value)

    def mappings(self, name: str) -> Iterator[FieldReader]:
        """Each mapping in a list field (``people:``)."""
        value = self.data.get(name)
        if value is None:
            return
        if not isinstance(value, list):
            self.error(
                name, f"expected a list of mappings, got {_kind(value)}", "start items with '- '"
            )
            return
        for index, item in enumerate(value):
            key = (*self.key, name, index)
            if not isinstance(item, dict):
                pos = self.doc.value_pos(key)
                self.problems.add(
                    self.path,
                    pos.line,
                    pos.col,
                    self.field_name(name) + f"[{index}]",
                    f"expected a mapping, got {_kind(item)}",
                )
                continue
            yield FieldReader(self.doc, self.path, self.problems, key, item)

    # -- scalars -----------------------------------------------------------------------------

    def text(
        self, name: str, *, max_length: int | None = None, one_line: bool = False
    ) -> str | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(
                name, f"expected text, got {_kind(value)}", "write the value on the same line"
            )
            return None
        value = value.strip()
        if one_line and "\n" in value:
            self.error(name, "must be a single line")
            return None
        if max_length is not None and len(value) > max_length:
            self.error(
                name, f"is {len(value)} characters long; the limit is {max_length}", "shorten it"
            )
            return None
        return value

    def text_list(self, name: str, *, max_length: int = 200) -> list[str] | None:
        """A list of short texts; a single text is accepted as a one-item list."""
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(
                name, f"expected a list, got {_kind(value)}", "write '[a, b]' or '- a' lines"
            )
            return None
        items: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                pos = self.doc.value_pos((*self.key, name, index))
                self.problems.add(
                    self.path,
                    pos.line,
                    pos.col,
                    self.field_name(name) + f"[{index}]",
                    f"expected text, got {_kind(item)}",
                )
                continue
            if len(item) > max_length:
                self.error(name, f"item {index + 1} is longer than {max_length} characters")
                continue
            items.append(item.strip())
        return items

    def choice(self, name: str, options: Collection[str]) -> str | None:
        value = self.text(name)
        if value is None:
            return None
        if value not in options:
            self.error(name, f"'{value}' is not allowed", did_you_mean(value, options))
            return None
        return value

    def boolean(self, name: str) -> bool | None:
        value = self.text(name)
        if value is None:
            return None
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        self.error(name, f"expected true or false, got '{value}'")
        return None

    def day(self, name: str) -> date | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.error(
                name, f"'{value}' is not a valid date", "write it as YYYY-MM-DD, e.g. 2025-03-14"
            )
            return None

    def moment(self, name: str, timezone: ZoneInfo) -> datetime | None:
        """A date or date-time; naive values take the hub's ``timezone``."""
        value = self.text(name)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value.replace(" ", "T", 1) if " " in value else value)
        except ValueError:
            self.error(
                name,
                f"'{value}' is not a valid date",
                "write YYYY-MM-DD or YYYY-MM-DD HH:MM, optionally with an offset like +01:00",
            )
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone)
        return parsed

    def url(self, name: str, *, schemes: Collection[str] = ("https", "http")) -> str | None:
        value = self.text(name, one_line=True)
        if value is None:
            return None
        if not is_url(value, schemes):
            wanted = " or ".join(f"{s}://" for s in schemes)
            self.error(
                name,
                f"'{value}' is not a valid URL",
                f"write a full address starting with {wanted}",
            )
            return None
        return value

    def email(self, name: str) -> str | None:
        value = self.text(name, one_line=True)
        if value is None:
            return None
        if not _EMAIL_RE.match(value):
            self.error(
                name, f"'{value}' is not a valid e-mail address", "write it as name@example.com"
            )
            return None
        return value

    def color(self, name: str) -> str | None:
        value = self.text(name, one_line=True)
        if value is None:
            return None
        if not _COLOR_RE.match(value):
            self.error(
                name, f"'{value}' is not a colour", 'write a hex colour in quotes, e.g. "#0f766e"'
            )
            return None
        if len(value) == 4:
            value = "#" + "".join(c * 2 for c in value[1:])
        return value.lower()


def is_url(value: str, schemes: Collection[str] = ("https", "http")) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in schemes and bool(parts.netloc) and not any(c.isspace() for c in value)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"
