"""Strict YAML: safe loading that keeps every scalar as written and remembers where it was.

Partners write YAML by hand, so the loader is deliberately narrow:
- every scalar stays a string (``NO``, ``0123``, ``9:30`` are text until a field says otherwise);
- duplicate keys, anchors/aliases (alias bombs) and explicit tags (object construction) are errors;
- each key and value keeps its line and column so problems point at the exact spot.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Key = tuple[str | int, ...]
"""Where a value sits in a document: ``("people", 0, "name")``."""

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_NULL = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class Position:
    line: int
    col: int


@dataclass
class YamlDoc:
    """A parsed document: plain data (dicts, lists, str, None) plus positions of keys and values."""

    data: Any
    values: dict[Key, Position] = field(default_factory=dict)
    keys: dict[Key, Position] = field(default_factory=dict)

    def value_pos(self, key: Key) -> Position:
        """Position of the value at ``key``, falling back to the nearest enclosing one."""
        while key not in self.values and key:
            key = key[:-1]
        return self.values.get(key, Position(1, 1))

    def key_pos(self, key: Key) -> Position:
        return self.keys.get(key) or self.value_pos(key)


@dataclass(frozen=True)
class YamlIssue:
    message: str
    hint: str
    position: Position
    key: Key = ()


class YamlSyntaxError(Exception):
    def __init__(self, issue: YamlIssue) -> None:
        super().__init__(issue.message)
        self.issue = issue


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that resolves nothing implicitly but null, and refuses anchors and aliases."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _refusal(
                event,
                f"YAML alias '*{event.anchor}' is not allowed",
                "write the value out in full; aliases can expand into huge documents",
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _refusal(
                event, f"YAML anchor '&{anchor}' is not allowed", "remove the '&' anchor"
            )
        return super().compose_node(parent, index)


_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
_StrictLoader.yaml_implicit_resolvers = {}
_StrictLoader.add_implicit_resolver(_NULL, _NULL_RE, ["~", "n", "N", ""])


_CParser = getattr(yaml, "CSafeLoader", None)


def _compose_with_libyaml(text: str) -> Node | None:
    """Compose with libyaml (C, several times faster) when the text is plain and valid.

    Raises :class:`yaml.YAMLError` for anything unusual (invalid YAML, anchors, aliases): the
    pure-Python loader then runs again to report it with its clearer messages.
    """
    assert _CParser is not None
    # Anchors start with '&' and aliases with '*': text with neither cannot hold one, and the
    # extra pass over every parser event costs as much as composing the document itself.
    if "&" in text or "*" in text:
        for event in yaml.parse(text, Loader=_CParser):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise yaml.YAMLError("anchor or alias")
    loader = _FastStrictLoader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


if _CParser is not None:

    class _FastStrictLoader(_CParser):  # type: ignore[misc, valid-type]
        """libyaml's parser with the same null-only implicit resolution as _StrictLoader.

        libyaml calls back into Python to resolve every node; PyYAML's general resolver (table
        look-ups, path resolvers) is a third of the parse time, so these give its answers for
        the one implicit resolver and no path resolvers directly.
        """

        def resolve(self, kind: type[Node], value: str | None, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode:
                return _NULL if implicit[0] and _NULL_RE.match(value or "") else _STR
            return _SEQ if kind is SequenceNode else _MAP

        def descend_resolver(self, current_node: Node | None, current_index: Any) -> None:
            pass  # only path resolvers use it, and there are none

        def ascend_resolver(self) -> None:
            pass

    _FastStrictLoader.yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers


def _refusal(event: yaml.Event, message: str, hint: str) -> YamlSyntaxError:
    mark = event.start_mark
    position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
    return YamlSyntaxError(YamlIssue(message, hint, position))


MAX_DEPTH = 32
"""Lists and mappings nest at most this deep: profiles need three levels, and the parser and the
conversion below recurse once per level (a thousand '[' would otherwise exhaust the stack)."""

# What YAML 1.1 (and so PyYAML's reader) accepts; anything else is refused before parsing.
_NON_PRINTABLE_RE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _unprintable(text: str, line_offset: int) -> YamlSyntaxError | None:
    """A positioned error for the first character YAML does not allow (U+FFFE, C1 controls…)."""
    match = _NON_PRINTABLE_RE.search(text)
    if match is None:
        return None
    at = match.start()
    line = text.count("\n", 0, at) + 1 + line_offset
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    char = match.group()
    name = unicodedata.name(char, "a control or non-character code point")
    field = _FIELD_RE.match(text, at - col + 1)
    return YamlSyntaxError(
        YamlIssue(
            f"contains U+{ord(char):04X} ({name}), which YAML does not allow",
            "delete the character (it is usually invisible: retype the text around it)",
            Position(line, col),
            (field.group(1),) if field and field.end() <= at else (),
        )
    )


_FIELD_RE = re.compile(r"[ \t]*(?:- )?([A-Za-z_][\w-]*)[ \t]*:")


def _too_deep(line_offset: int) -> YamlSyntaxError:
    return YamlSyntaxError(
        YamlIssue(
            f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
            "write each field as 'field: value' with at most a few levels of indentation",
            Position(1 + line_offset, 1),
        )
    )


def parse_yaml(text: str, line_offset: int = 0) -> tuple[YamlDoc, list[YamlIssue]]:
    """Parse ``text``; ``line_offset`` shifts positions when the YAML sits inside another file.

    Raises :class:`YamlSyntaxError` for input that is not YAML at all; returns the document and
    the issues found while converting it (duplicate keys, tags), which do not stop loading.
    """
    if (refusal := _unprintable(text, line_offset)) is not None:
        raise refusal
    try:
        return _parse_yaml(text, line_offset)
    except RecursionError:
        raise _too_deep(line_offset) from None


def _parse_yaml(text: str, line_offset: int) -> tuple[YamlDoc, list[YamlIssue]]:
    if _CParser is not None:
        try:
            node = _compose_with_libyaml(text)
        except yaml.YAMLError:
            pass  # let the pure-Python loader explain it
        else:
            return _document(node, line_offset, text)
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except YamlSyntaxError as error:
        issue = error.issue
        shifted = Position(issue.position.line + line_offset, issue.position.col)
        raise YamlSyntaxError(YamlIssue(issue.message, issue.hint, shifted)) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = (
            Position(mark.line + 1 + line_offset, mark.column + 1) if mark else Position(1, 1)
        )
        message = f"invalid YAML: {error.problem or error.context}"
        raise YamlSyntaxError(
            YamlIssue(message, "check indentation, colons and quotes", position)
        ) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(
            YamlIssue(f"invalid YAML: {error}", "", Position(1 + line_offset, 1))
        ) from None
    finally:
        loader.dispose()
    return _document(node, line_offset, text)


def _document(node: Node | None, line_offset: int, text: str) -> tuple[YamlDoc, list[YamlIssue]]:
    doc = YamlDoc(None)
    issues: list[YamlIssue] = []
    if node is not None:
        doc.data = _convert(node, (), doc, issues, line_offset)
        if "#" in text:
            _comments_as_values(node, (), text.split("\n"), issues, line_offset)
    return doc, issues


_COMMENT_VALUE_RE = re.compile(r"[ \t]*:[ \t]+(#.*?)[ \t]*$")


def _comments_as_values(
    node: Node, key: Key, lines: list[str], issues: list[YamlIssue], offset: int
) -> None:
    """An issue for each ``field: #text``: YAML reads the text as a comment and the field as
    empty, which silently drops a colour written ``color: #1d4ed8`` without quotes."""
    if isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _comments_as_values(item, (*key, index), lines, issues, offset)
    if not isinstance(node, MappingNode):
        return
    for key_node, value_node in node.value:
        child = (*key, str(key_node.value))
        if not isinstance(value_node, ScalarNode):
            _comments_as_values(value_node, child, lines, issues, offset)
            continue
        if value_node.tag != _NULL or value_node.value or value_node.style:
            continue
        end = key_node.end_mark
        line = lines[end.line] if end.line < len(lines) else ""
        match = _COMMENT_VALUE_RE.match(line, end.column)
        if match is None:
            continue
        comment = match.group(1)
        issues.append(
            YamlIssue(
                f"has no value: YAML reads '{comment}' as a comment",
                f'quote the value: {key_node.value}: "{comment}"',
                Position(end.line + 1 + offset, match.start(1) + 1),
                child,
            )
        )


def _pos(node: Node, line_offset: int) -> Position:
    return Position(node.start_mark.line + 1 + line_offset, node.start_mark.column + 1)


def _convert(node: Node, key: Key, doc: YamlDoc, issues: list[YamlIssue], offset: int) -> Any:
    if len(key) > MAX_DEPTH:
        raise _too_deep(offset)
    doc.values[key] = _pos(node, offset)
    if isinstance(node, ScalarNode):
        if node.tag == _NULL:
            return None
        if node.tag != _STR:
            issues.append(_tag_issue(node, key, offset))
            return None
        return node.value
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ:
            issues.append(_tag_issue(node, key, offset))
        return [_convert(item, (*key, i), doc, issues, offset) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        if node.tag != _MAP:
            issues.append(_tag_issue(node, key, offset))
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (_STR, _NULL):
                issues.append(
                    YamlIssue(
                        "mapping keys must be plain names",
                        "use 'name: value'",
                        _pos(key_node, offset),
                        key,
                    )
                )
                continue
            name = str(key_node.value)
            child = (*key, name)
            if name in result:
                first = doc.keys[child]
                issues.append(
                    YamlIssue(
                        f"duplicate key '{name}' (first defined on line {first.line})",
                        "keep one of them",
                        _pos(key_node, offset),
                        child,
                    )
                )
                continue
            doc.keys[child] = _pos(key_node, offset)
            result[name] = _convert(value_node, child, doc, issues, offset)
        return result
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - composer yields 3 kinds


def _tag_issue(node: Node, key: Key, offset: int) -> YamlIssue:
    return YamlIssue(
        f"YAML tag '{node.tag}' is not allowed",
        "remove the '!' tag; hubgen reads plain text, lists and mappings only",
        _pos(node, offset),
        key,
    )


def strings_in(data: object, key: Key = ()) -> list[tuple[Key, str]]:
    """Every text in YAML ``data`` with where it sits: ``[(("people", 0, "name"), "Jane")]``."""
    if isinstance(data, str):
        return [(key, data)]
    if isinstance(data, dict):
        return [item for name, value in data.items() for item in strings_in(value, (*key, name))]
    if isinstance(data, list):
        return [item for i, value in enumerate(data) for item in strings_in(value, (*key, i))]
    return []


def dotted_name(key: Key) -> str:
    """``("people", 0, "name")`` → ``people[0].name``, as messages name a field."""
    parts: list[str] = []
    for part in key:
        if isinstance(part, int) and parts:
            parts[-1] += f"[{part}]"
        else:
            parts.append(str(part))
    return ".".join(parts)
