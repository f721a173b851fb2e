"""Drop the indentation of HTML templates when they are compiled, not from every page.

Material's templates indent their markup and their Jinja tags, and a page holds the indentation
of every line they render (a tenth of its bytes) although a browser collapses it. Shortening
each page's whitespace once written took 0.4 ms a page (2 s of a 3,000-article build);
shortening the templates' own text once per compile costs nothing a page.
:class:`CompactTemplates` rewrites the literal text of each ``.html`` template as Jinja lexes it
(``data`` tokens), after :func:`~hubgen.mkdocs_adapter.htmlfix.fixed_template_text` has fixed
Material's invalid attributes in it:

- in text, a run of whitespace holding a newline becomes one newline, a run of spaces one space;
  between a tag's attributes a run holding a newline becomes one space;
- a line that holds only block tags goes, newline and all, where whatever the template printed
  before it ends with a newline on every path through its ``if`` and ``for`` tags.

What a template prints (``{{ … }}``) is not touched: contributors' strings and article bodies
come through as they are. A template's literal text is read in order as one HTML document, so
the rules keep what whitespace shows: the text of ``pre``, ``textarea``, ``code`` and ``kbd``
(Material styles the last two ``white-space: pre-wrap``), scripts and styles (the
Content-Security-Policy hashes their text), comments and attribute values stay as written; so
does the body of a ``{% set %}`` or ``{% filter %}`` block, whose text may be printed anywhere.
What it cannot see is a macro called or a template included inside one of those elements:
their text is compacted where it is written. Neither Material's templates nor hubgen's do that
(``tests/test_templatespace.py`` checks), and a page renders exactly as it would uncompacted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum, auto

from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream

from hubgen.mkdocs_adapter.htmlfix import fixed_template_text


class _Mode(Enum):
    TEXT = auto()
    TAG = auto()  # inside a tag, outside quotes
    DOUBLE_QUOTED = auto()
    SINGLE_QUOTED = auto()
    RAW_TEXT = auto()  # a script's or style's text
    COMMENT = auto()


_PRESERVING = frozenset({"pre", "textarea", "code", "kbd"})
_RAW_TEXT = frozenset({"script", "style"})

_MARKUP_START_RE = re.compile(r"<(?:!--|/?[A-Za-z])")
_TAG_NAME_RE = re.compile(r"(/?)([A-Za-z][A-Za-z0-9-]*)")
_TAG_STOP_RE = re.compile(r"""["'>]""")
_TEXT_RUN_RE = re.compile(r"[ \t\r\n\f]{2,}")
_TAG_RUN_RE = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")
_CLOSED_BY = {
    _Mode.DOUBLE_QUOTED: ('"', _Mode.TAG),
    _Mode.SINGLE_QUOTED: ("'", _Mode.TAG),
    _Mode.COMMENT: ("-->", _Mode.TEXT),
}
"""The modes whose text is kept as written up to a closing string, and the mode after it."""


def _text_run(match: re.Match[str]) -> str:
    return "\n" if "\n" in match.group() else " "


@dataclass
class _Reader:
    """Where one template's literal text has got to, read as HTML across its data tokens."""

    mode: _Mode = _Mode.TEXT
    tag: str = ""  # the name of the tag being read (``/pre`` for an end tag)
    preserving: int = 0  # how many preserving elements the text is inside
    raw_end: str = ""  # ``</script`` while in a script's text

    def compact(self, data: str) -> str:
        out: list[str] = []
        at = 0
        while at < len(data):
            at = self._step(data, at, out)
        return "".join(out)

    def _step(self, data: str, at: int, out: list[str]) -> int:
        """Read from ``at`` to the end of the current mode (or of ``data``); return where."""
        if self.mode is _Mode.TEXT:
            found = _MARKUP_START_RE.search(data, at)
            end = found.start() if found else len(data)
            text = data[at:end]
            out.append(text if self.preserving else _TEXT_RUN_RE.sub(_text_run, text))
            if found is None:
                if text.endswith(("<", "</")):  # ``<{{ heading }} …``: a tag, its name printed
                    self.mode, self.tag = _Mode.TAG, ""
                return end
            if data.startswith("<!--", end):
                out.append("<!--")
                self.mode = _Mode.COMMENT
                return end + 4
            name = _TAG_NAME_RE.match(data, end + 1)
            assert name is not None  # the start pattern saw a letter
            self.tag = name.group(1) + name.group(2).lower()
            self.mode = _Mode.TAG
            out.append(data[end : name.end()])
            return name.end()
        if self.mode is _Mode.TAG:
            found = _TAG_STOP_RE.search(data, at)
            end = found.start() if found else len(data)
            out.append(_TAG_RUN_RE.sub(" ", data[at:end]))
            if found is None:
                return end
            stop = data[end]
            out.append(stop)
            if stop == '"':
                self.mode = _Mode.DOUBLE_QUOTED
            elif stop == "'":
                self.mode = _Mode.SINGLE_QUOTED
            else:
                self._tag_ended(self_closing=data[max(at, end - 1) : end] == "/")
            return end + 1
        if (closed_by := _CLOSED_BY.get(self.mode)) is not None:  # kept as written, end and all
            end_text, after = closed_by
            closed = data.find(end_text, at)
            return self._kept(data, at, closed + len(end_text) if closed >= 0 else -1, after, out)
        # A script's or style's text, kept up to its end tag.
        return self._kept(data, at, data.lower().find(self.raw_end, at), _Mode.TEXT, out)

    def _kept(self, data: str, at: int, end: int, after: _Mode, out: list[str]) -> int:
        """Keep ``data`` from ``at`` up to ``end`` and go on in mode ``after``; all the rest if
        ``end`` is -1 (the mode goes on in the next literal text)."""
        if end < 0:
            out.append(data[at:])
            return len(data)
        out.append(data[at:end])
        self.mode = after
        return end

    def _tag_ended(self, *, self_closing: bool) -> None:
        self.mode = _Mode.TEXT
        closing, name = self.tag.startswith("/"), self.tag.lstrip("/")
        if name in _RAW_TEXT and not closing:
            self.mode = _Mode.RAW_TEXT
            self.raw_end = f"</{name}"
        elif name in _PRESERVING and not self_closing:
            self.preserving = max(0, self.preserving - 1) if closing else self.preserving + 1


class CompactTemplates(Extension):
    """Compacts the literal text of every ``.html`` template as it is compiled."""

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        if not (stream.name or "").endswith(".html"):
            return stream
        tokens = list(stream)
        items = _items(tokens)
        _compact(items)
        _drop_blank_lines(items)
        for item in items:
            if isinstance(item, _Data):
                tokens[item.index] = Token(tokens[item.index].lineno, "data", item.text)
        return tokens


@dataclass
class _Data:
    index: int  # in the template's tokens
    text: str
    blank_start: bool = False  # whether its leading whitespace is text a browser collapses
    ends_with_newline: bool = False  # once compacted, before any whitespace is dropped


@dataclass
class _Block:
    name: str
    assigns: bool  # ``{% set x = … %}``: no body
    recursive: bool = False  # ``{% for … recursive %}``: its body also follows ``loop(…)``


_Item = _Data | _Block | None
"""A template's tokens in order: its literal text, its block tags and (None) what it prints."""


def _items(tokens: list[Token]) -> list[_Item]:
    items: list[_Item] = []
    block: list[Token] | None = None
    for index, token in enumerate(tokens):
        if block is not None:
            if token.type == "block_end":
                name = block[0].value if block and block[0].type == "name" else ""
                assigns = any(t.type == "assign" for t in block)
                recursive = any(t.type == "name" and t.value == "recursive" for t in block)
                items.append(_Block(str(name), assigns, recursive))
                block = None
            else:
                block.append(token)
        elif token.type == "data":
            items.append(_Data(index, str(token.value)))
        elif token.type == "block_begin":
            block = []
        elif token.type == "variable_begin":
            items.append(None)
    return items


def _compact(items: list[_Item]) -> None:
    """Compact each literal text as HTML read in order; leave the bodies of ``{% set %}`` and
    ``{% filter %}`` blocks as they are."""
    reader = _Reader()
    bodies = 0
    for item in items:
        if isinstance(item, _Block):
            if item.name in ("endset", "endfilter"):
                bodies = max(0, bodies - 1)
            elif item.name == "filter" or (item.name == "set" and not item.assigns):
                bodies += 1
        elif isinstance(item, _Data) and not bodies:
            item.blank_start = reader.mode is _Mode.TEXT and not reader.preserving
            item.text = reader.compact(fixed_template_text(item.text))
            item.ends_with_newline = item.text.endswith("\n") and reader.mode is _Mode.TEXT


_LEADING_SPACE_RE = re.compile(r"\A[ \t\r\n\f]+")

_SILENT = frozenset(
    {"set", "import", "from", "do", "with", "endwith", "autoescape", "endautoescape"}
)
"""Block tags that print nothing themselves (a ``set`` here is one without a body)."""
_UNKNOWN = frozenset({"break", "continue"})
"""Loop controls: what a loop's next round follows is then not the end of its body (nor is it
in a recursive loop, whose body also follows each ``loop(…)`` call)."""


@dataclass
class _Opened:
    """An ``if``, ``for``, ``set`` with a body or ``macro`` being read."""

    name: str
    before: _Item  # what came before its tag
    branches: list[_Item]  # what came before each ``elif`` and ``else``
    ends: list[_Item] | None = None  # for a loop: what ends its body, once known


def _drop_blank_lines(items: list[_Item]) -> None:
    """Drop the whitespace a literal text starts with where whatever the template printed just
    before it, on every path through its ``if`` and ``for`` tags, ends with a newline: the
    newline and indentation of a line that holds only a block tag."""
    if any(
        isinstance(item, _Block) and (item.name in _UNKNOWN or item.recursive) for item in items
    ):
        return
    followed = _what_each_block_follows(items)
    for at, item in enumerate(items):
        if not isinstance(item, _Data) or not item.blank_start or not at:
            continue
        before = items[at - 1]
        if isinstance(before, _Data):
            ends: list[_Item] = [before]  # two texts with a comment between them
        elif isinstance(before, _Block):
            ends = followed.get(at - 1, [])
        else:
            continue
        if ends and all(_ends_with_newline(end) for end in ends):
            item.text = _LEADING_SPACE_RE.sub("", item.text, count=1)


def _ends_with_newline(item: _Item) -> bool:
    return isinstance(item, _Data) and item.ends_with_newline


def _what_each_block_follows(items: list[_Item]) -> dict[int, list[_Item]]:
    """For each block tag (by its place in ``items``) whose own output is empty, the items one
    of which was printed last before the text that follows it, on any path; absent where that
    is not known (a ``block``, a macro's body, an ``include``)."""
    followed: dict[int, list[_Item]] = {}
    opened: list[_Opened] = []
    loops: dict[int, _Opened] = {}
    for at, item in enumerate(items):
        if not isinstance(item, _Block):
            continue
        before = items[at - 1] if at else None
        name = item.name
        top = opened[-1] if opened else None
        if name == "if":
            opened.append(_Opened(name, before, []))
            followed[at] = [before]
        elif name in ("elif", "else") and top is not None and top.name == "if":
            top.branches.append(before)
            followed[at] = [top.before]
        elif name == "endif" and top is not None and top.name == "if":
            opened.pop()
            followed[at] = [top.before, *top.branches, before]
        elif name == "for":
            top = _Opened(name, before, [])
            opened.append(top)
            loops[at] = top  # a round follows the end of the last one: known at its else/endfor
        elif name == "else" and top is not None and top.name == "for":
            top.branches.append(before)
            followed[at] = [top.before]
        elif name == "endfor" and top is not None and top.name == "for":
            opened.pop()
            body_end = top.branches[0] if top.branches else before
            top.ends = [body_end]
            followed[at] = [top.before, body_end, before]
        elif (name == "set" and not item.assigns) or name in ("macro", "filter", "call"):
            opened.append(_Opened(name, before, []))
        elif name in ("endset", "endmacro") and top is not None and top.name == name[3:]:
            opened.pop()
            followed[at] = [top.before]  # a definition prints nothing where it stands
        elif name in ("endfilter", "endcall") and top is not None and top.name == name[3:]:
            opened.pop()
        elif name in _SILENT:
            followed[at] = [before]
    for at, loop in loops.items():
        if loop.ends is not None:
            followed[at] = [loop.before, *loop.ends]
    return followed
