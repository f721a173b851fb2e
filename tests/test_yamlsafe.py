from __future__ import annotations

import random

import pytest

from hubgen import yamlsafe
from hubgen.yamlsafe import Position, YamlDoc, YamlIssue, YamlSyntaxError, parse_yaml


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


# -- simple documents: read without the parser, exactly as the parser reads them ----------------

SIMPLE_PIECES = [
    "title", "date", "topics", "a", "A_b-c", "null", "x" * 70, ": ", ":", " ", "  ", "\n", "\t",
    '"', '"Quoted: text, # too"', '""', '"a\\"b"', "'single'", "plain text", "Tax & you",
    "It's", "50% off", "2025-03-14 09:30", "08:45", "a: b", "a #b", "a#b", "yes", "NULL",
    "Null", "~", "-", "- item", "[", "]", "[]", '["a", "b"]', "[Tax, VAT]", "[a,b]", "[ a ]",
    '["x, y", z]', "[a: b]", "[R&D]", "{a: b}", "&anchor", "*alias", "!tag", "!!str", "|",
    ">", "%", "@", "`", "#", "# comment", "Café", "£3", "\u00a0", "\u2028", "\x85", "\ufeff",
    "end.", "(x)", "why?", "a/b", "+1", "é",
]  # fmt: skip


def _random_document(rng: random.Random) -> str:
    lines = []
    keys = ["title", "date", "topics", "a", "slug", "x_y-z", "null", "N"]
    for key in rng.sample(keys, rng.randrange(1, 5)):
        key = rng.choice(SIMPLE_PIECES) if rng.random() < 0.05 else key
        pieces = 1 if rng.random() < 0.8 else rng.randrange(2, 4)
        value = "".join(rng.choice(SIMPLE_PIECES) for _ in range(pieces))
        lines.append(f"{key}: {value}" if rng.random() < 0.95 else f"{key}:{value}")
    return "\n".join(lines) + ("\n" if rng.random() < 0.95 else "")


def _parsed(text: str, offset: int) -> tuple[YamlDoc, list[YamlIssue]] | str:
    try:
        return yamlsafe._parse_with_loader(text, offset)
    except YamlSyntaxError as error:
        return error.issue.message


@pytest.mark.parametrize("pure_python", [False, True])
@pytest.mark.parametrize("seed", range(10))
def test_simple_documents_read_as_the_parser_reads_them(
    seed: int, pure_python: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if pure_python:
        monkeypatch.setattr(yamlsafe, "_CParser", None)
    rng = random.Random(seed)
    read = 0
    for _ in range(1500):
        text = _random_document(rng)
        offset = rng.choice([0, 1, 5])
        simple = yamlsafe._simple_document(text, offset)
        if simple is None:
            continue
        read += 1
        expected = _parsed(text, offset)
        assert not isinstance(expected, str), (text, expected)
        doc, issues = expected
        assert issues == [], text
        assert (simple.data, simple.values, simple.keys) == (doc.data, doc.values, doc.keys), text
    assert read > 100  # the generator does produce simple documents


def test_typical_front_matter_is_simple() -> None:
    text = (
        'title: "How small firms get VAT under control"\ndate: 2019-01-07 08:45\n'
        'authors: ["acme", acme/jane]\ntopics: [Tax, "Cash flow"]\ndraft: no\nsummary: null\n'
    )
    doc = yamlsafe._simple_document(text, 1)
    assert doc is not None
    assert doc.data == {
        "title": "How small firms get VAT under control",
        "date": "2019-01-07 08:45",
        "authors": ["acme", "acme/jane"],
        "topics": ["Tax", "Cash flow"],
        "draft": "no",
        "summary": None,
    }
    assert doc.value_pos(("topics", 1)) == Position(5, 15)
    assert parse_yaml(text, 1)[0].values == doc.values
