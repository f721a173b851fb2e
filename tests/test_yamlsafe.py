from __future__ import annotations

import pytest

from hubgen.load.yamlsafe import Position, YamlSyntaxError, parse_yaml


def test_scalars_stay_as_written() -> None:
    doc, issues = parse_yaml("a: NO\nb: 0123\nc: 9:30\nd: 2025-01-01\ne: 1e3\nf:\n")
    assert issues == []
    assert doc.data == {
        "a": "NO",
        "b": "0123",
        "c": "9:30",
        "d": "2025-01-01",
        "e": "1e3",
        "f": None,
    }


def test_positions_of_keys_and_values() -> None:
    doc, _ = parse_yaml("name: Acme\npeople:\n  - id: jane\n    name: Jane\n", line_offset=1)
    assert doc.key_pos(("people", 0, "name")) == Position(5, 5)
    assert doc.value_pos(("name",)) == Position(2, 7)


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    _, issues = parse_yaml("name: A\ntagline: x\nname: B\n")
    assert [(i.message, i.position.line) for i in issues] == [
        ("duplicate key 'name' (first defined on line 1)", 3)
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x 1\nb: *x\n", "YAML anchor '&x' is not allowed"),
        ("a: *x\n", "YAML alias '*x' is not allowed"),
    ],
)
def test_anchors_and_aliases_are_refused(text: str, message: str) -> None:
    with pytest.raises(YamlSyntaxError) as error:
        parse_yaml(text)
    assert error.value.issue.message == message


def test_custom_tags_are_refused() -> None:
    _, issues = parse_yaml("a: !!python/object:os.system echo\nb: !custom x\n")
    assert [i.message for i in issues] == [
        "YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed",
        "YAML tag '!custom' is not allowed",
    ]


def test_syntax_error_has_line_and_column() -> None:
    with pytest.raises(YamlSyntaxError) as error:
        parse_yaml("name: Acme\ntagline: [unclosed\n", line_offset=1)
    issue = error.value.issue
    assert issue.message.startswith("invalid YAML:")
    assert issue.position.line == 4 and issue.position.col == 1
