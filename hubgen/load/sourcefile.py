"""Reading one contributed file, the same way for profiles and articles.

Every check here runs before the file's fields are read: the size limit (so a huge file costs
nothing), UTF-8, no control characters, strict YAML, no invisible characters in any value. And the
one way a field names a file of the hub: inside its folder, no link, an allowed image, not too big.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from hubgen.core.problems import Problems
from hubgen.load.fields import FieldReader
from hubgen.load.images import ALLOWED_IMAGES, MAX_IMAGE_BYTES, RESIZE_HINT, is_image_name
from hubgen.load.invisibles import describe, invisible_characters
from hubgen.load.textmemo import Kept, TextMemo
from hubgen.load.yamlsafe import (
    Position,
    YamlDoc,
    YamlIssue,
    YamlSyntaxError,
    dotted_name,
    parse_yaml,
    strings_in,
)

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def read_text(path: Path, rel: str, limit: int, problems: Problems) -> str | None:
    """The file's text with ``\\n`` line ends, or None after reporting why it cannot be read."""
    if path.is_symlink():
        problems.add(rel, 1, 1, "", "is a symbolic link", "commit the file itself, not a link")
        return None
    with open(path, "rb", buffering=0) as file:  # unbuffered: one read, a third faster
        data = file.read()
    if len(data) > limit:
        problems.add(
            rel,
            1,
            1,
            "",
            f"is {len(data):,} bytes; the limit is {limit:,}",
            "split it or move large content out",
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(rel, line, 1, "", "is not valid UTF-8 text", "save the file as UTF-8")
        return None
    bad = _control_character(data, text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        problems.add(
            rel,
            line,
            col,
            "",
            f"contains the control character U+{ord(bad.group()):04X}",
            "delete the invisible character",
        )
        return None
    return text.replace("\r\n", "\n")


def _control_character(data: bytes, text: str) -> re.Match[str] | None:
    """The first control character of ``text`` (decoded from ``data``), if it has one.

    They are single bytes in UTF-8, never part of a longer sequence, so deleting them from the
    bytes (a table look-up in C) says whether the slower regex over the text needs to run.
    """
    if len(data.translate(None, _CONTROL_BYTES)) == len(data):
        return None
    return _CONTROL_RE.search(text)


def parse_fields(text: str, rel: str, problems: Problems, line_offset: int = 0) -> YamlDoc | None:
    """The YAML ``text`` parsed, with its issues reported; None if it is no YAML at all."""
    parsed = _parsed_memo(line_offset)(text)
    if isinstance(parsed, YamlIssue):
        _report(parsed, rel, problems)
        return None
    doc, issues = parsed
    for issue in issues:
        _report(issue, rel, problems)
    if not text.isascii():
        _refuse_invisible(doc, text, rel, problems, line_offset)
    return doc


def _report(issue: YamlIssue, rel: str, problems: Problems) -> None:
    field = ".".join(str(k) for k in issue.key)
    problems.add(rel, issue.position.line, issue.position.col, field, issue.message, issue.hint)


Parsed = tuple[YamlDoc, list[YamlIssue]] | YamlIssue
"""A file's YAML: the document and what was wrong with it, or what stopped it being read."""

_PARSED: dict[int, TextMemo[Parsed]] = {}
"""Parsed YAML by text, one memo per line offset (articles' front matter starts on line 2)."""


def _parse(text: str, line_offset: int) -> Parsed:
    try:
        return parse_yaml(text, line_offset)
    except YamlSyntaxError as error:
        return error.issue


def _parsed_memo(line_offset: int) -> TextMemo[Parsed]:
    memo = _PARSED.get(line_offset)
    if memo is None:
        parse = partial(_parse, line_offset=line_offset)
        kept = Kept(f"yaml@{line_offset}", _encode_parsed, _decode_parsed)
        memo = _PARSED[line_offset] = TextMemo(parse, across_loads=True, kept=kept)
    return memo


# Parsed YAML as plain data, kept between builds: the data already is (dicts with string keys,
# lists, strings, None); positions become (line, col), issues tuples.


def _encode_issue(issue: YamlIssue) -> tuple[Any, ...]:
    return (issue.message, issue.hint, issue.position.line, issue.position.col, issue.key)


def _decode_issue(data: tuple[Any, ...]) -> YamlIssue:
    message, hint, line, col, key = data
    return YamlIssue(str(message), str(hint), Position(int(line), int(col)), tuple(key))


def _encode_parsed(parsed: Parsed) -> dict[str, Any]:
    if isinstance(parsed, YamlIssue):
        return {"stopped": _encode_issue(parsed)}
    doc, issues = parsed
    return {
        "data": doc.data,
        "values": {key: (p.line, p.col) for key, p in doc.values.items()},
        "keys": {key: (p.line, p.col) for key, p in doc.keys.items()},
        "issues": [_encode_issue(issue) for issue in issues],
    }


def _decode_parsed(data: dict[str, Any]) -> Parsed:
    if "stopped" in data:
        return _decode_issue(data["stopped"])
    values = {tuple(key): Position(line, col) for key, (line, col) in data["values"].items()}
    keys = {tuple(key): Position(line, col) for key, (line, col) in data["keys"].items()}
    return YamlDoc(data["data"], values, keys), [_decode_issue(i) for i in data["issues"]]


def parse_mapping(
    text: str, rel: str, problems: Problems, *, not_a_mapping: tuple[str, str], line_offset: int = 0
) -> YamlDoc | None:
    """The YAML ``text`` if it is a mapping of fields; else None, reported on its first line
    with ``not_a_mapping`` (message, hint)."""
    doc = parse_fields(text, rel, problems, line_offset)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        message, hint = not_a_mapping
        problems.add(rel, line_offset + 1, 1, "", message, hint)
        return None
    return doc


def _refuse_invisible(
    doc: YamlDoc, text: str, rel: str, problems: Problems, line_offset: int
) -> None:
    """An error per value holding an invisible or direction-changing character (U+200B,
    U+202E…): published in a title or name they disguise what readers see."""
    lines = text.split("\n")
    for key, value in strings_in(doc.data):
        for _, char in invisible_characters(value)[:1]:
            pos = doc.value_pos(key)
            raw = (
                lines[pos.line - 1 - line_offset]
                if 0 < pos.line - line_offset <= len(lines)
                else ""
            )
            col = raw.find(char, max(pos.col - 1, 0)) + 1 or pos.col
            problems.add(
                rel,
                pos.line,
                col,
                dotted_name(key),
                f"contains the invisible character {describe(char)}",
                "delete it: invisible and direction-changing characters disguise what readers see",
            )


def local_image(
    base: Path, value: str, reader: FieldReader, name: str, what: str, root: Path, hub_root: Path
) -> Path | None:
    """An image named relative to ``base`` that must exist inside ``root`` and not be a link."""
    candidate = PurePosixPath(value)
    if candidate.is_absolute() or ".." in candidate.parts:
        reader.error(
            name,
            f"'{value}' points outside {reader.path.rsplit('/', 1)[0]}/",
            f"put the {what} next to the file and write just its name",
        )
        return None
    path = base / candidate
    try:
        # The folder's parent is resolved but not the folder itself: a partner folder that is a
        # link to somewhere else is outside, even though the file is "inside" the link's target.
        inside = path.resolve().is_relative_to(root.parent.resolve() / root.name)
    except OSError:
        inside = False
    if not inside:
        reader.error(
            name, f"'{value}' points outside its folder", f"put the {what} inside {root.name}/"
        )
        return None
    if path.is_symlink():
        reader.error(name, f"'{value}' is a symbolic link", "commit the image itself")
        return None
    return path if _is_usable_image(path, value, reader, name, what, hub_root) else None


def _is_usable_image(
    path: Path, value: str, reader: FieldReader, name: str, what: str, hub_root: Path
) -> bool:
    """Whether the file inside its folder exists, is an image and is small enough to publish."""
    if not path.is_file():
        reader.error(
            name,
            f"{what} file '{value}' does not exist",
            f"add it at {_display(path, hub_root)} or fix the name",
        )
        return False
    if not is_image_name(path):
        reader.error(name, f"'{value}' is not an image", f"use an image file: {ALLOWED_IMAGES}")
        return False
    if (size := path.stat().st_size) > MAX_IMAGE_BYTES:
        reader.error(
            name,
            f"{what} file '{value}' is {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,} (5 MB)",
            RESIZE_HINT,
        )
        return False
    return True


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
