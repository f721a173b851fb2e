"""CompactTemplates: templates lose their indentation when compiled, and no page a browser
shows changes (browserspace.browser_whitespace is the oracle)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from browserspace import browser_whitespace
from bs4 import BeautifulSoup
from hubkit import Site, build_hub, copy_hub
from jinja2 import DictLoader, Environment

from hubgen.mkdocs_adapter import templatespace
from hubgen.mkdocs_adapter.templatespace import CompactTemplates
from hubgen.mkdocs_adapter.themes import MATERIAL_TEMPLATES


def _env(templates: dict[str, str], *, compact: bool = True) -> Environment:
    return Environment(
        loader=DictLoader(templates), extensions=[CompactTemplates] if compact else []
    )


def _render(source: str, name: str = "t.html", **context: object) -> str:
    return _env({name: source}).get_template(name).render(**context)


def test_indentation_and_runs_of_spaces_in_text_go() -> None:
    source = "<ul>\n    <li>One  two</li>\n\n    <li>\tthree</li>\n</ul>  <p>a \n b</p>"
    assert _render(source) == "<ul>\n<li>One two</li>\n<li>\tthree</li>\n</ul> <p>a\nb</p>"


def test_a_tags_newlines_between_attributes_become_a_space() -> None:
    source = '<img class="a  b" src="{{ src }}"\n     alt="two\n\n  lines">'
    assert _render(source, src="x.png") == '<img class="a  b" src="x.png" alt="two\n\n  lines">'


def test_preformatted_text_scripts_styles_and_comments_are_kept() -> None:
    kept = [
        "<pre><code>def f():\n\n    return  1\n</code></pre>",
        '<textarea rows="4">Hello,\n\n  {{ name }}</textarea>',
        "<p>Run <code>a  &amp;&amp;  b</code> and <kbd>Ctrl  C</kbd></p>",
        '<script>var s = "  two\\n\\n  lines";\n\n  go(s)</script>',
        "<style>\n  a  { color: red }\n</style>",
        "<!--  a comment\n\n  -->",
    ]
    for source in kept:
        assert _render(source) == _render(source, name="not-html.xml"), source


def test_what_a_template_prints_is_not_touched() -> None:
    value = "two  spaces\n\n    and lines"
    assert _render("<p>{{ v }}</p>", v=value) == f"<p>{value}</p>"


def test_the_body_of_a_set_block_is_kept() -> None:
    source = '{% set label %}\n    Two  words\n{% endset %}<meta content="{{ label }}">\n  <p>x</p>'
    assert _render(source) == '<meta content="\n    Two  words\n">\n<p>x</p>'


def test_other_templates_than_html_are_not_touched() -> None:
    source = "<urlset>\n    <url>  {{ u }}  </url>\n</urlset>"
    assert _render(source, name="sitemap.xml", u="a") == "<urlset>\n    <url>  a  </url>\n</urlset>"


def test_lines_holding_only_block_tags_go() -> None:
    source = (
        "<ul>\n  {% for i in items %}\n    {% if i %}\n      <li>{{ i }}</li>\n"
        "    {% endif %}\n  {% endfor %}\n</ul>"
    )
    assert _render(source, items=[1, 0, 2]) == "<ul>\n<li>1</li>\n<li>2</li>\n</ul>"
    assert _render(source, items=[]) == "<ul>\n</ul>"


def test_a_newline_after_printed_text_is_kept() -> None:
    # What precedes the last line is the value printed in the if, with no newline after it.
    source = "<p>a{% if x %}{{ x }}{% endif %}\n<b>c</b></p>"
    assert _render(source, x="1") == "<p>a1\n<b>c</b></p>"
    assert _render(source, x="") == "<p>a\n<b>c</b></p>"


def test_the_start_of_a_macro_or_a_block_is_kept() -> None:
    # Their text follows whatever the caller printed, which the template cannot know.
    source = "{% macro m() %}\n  <i>x</i>{% endmacro %}<b>y</b>{{ m() }}\n{% block b %}\n  z{% endblock %}"
    assert _render(source) == "<b>y</b>\n<i>x</i>\n\nz"


def test_a_recursive_loop_keeps_its_lines() -> None:
    # Its body also follows each loop(…) call, here an <ul> with no newline after it.
    source = (
        "<ul>\n{% for x in xs recursive %}\n  <li>{{ x.n }}"
        "{% if x.c %}<ul>{{ loop(x.c) }}</ul>{% endif %}</li>\n{% endfor %}</ul>"
    )
    tree = [{"n": "a", "c": [{"n": "b", "c": []}]}]
    plain = _env({"t.html": source}, compact=False).get_template("t.html").render(xs=tree)
    assert browser_whitespace(_render(source, xs=tree)) == browser_whitespace(plain)


# -- whatever the template, the page renders the same ---------------------------------------------

_TEXT = [
    *(" ", "  ", "\n", "\n    ", "\t", "\r\n", "a", "b c", "&lt;", "\u00a0"),
    *("<a href=\"x  y\"\n   title='z\n'>", "</a>", '<img alt="{{ v }}"\n  src=x>', "<br/>"),
    *("<script>\n  if (a  <b) {}\n</script>", "<style>\n  a  { }\n</style>", "<!--  x\n -->"),
    *("{{ v }}", "{{ w }}", "{{ m() }}", '<{{ h }} title="a  b\n c"\n  id=x>y  z</{{ h }}>'),
]
_ELEMENTS = ("pre", "code", "textarea", "kbd", "span")
_VALUES = ["", "x", " ", "\n", "<i>y  z</i>", "\n  q\n"]


class _Random:
    """A random, valid template: text, values printed, ``if``, ``for``, ``set`` blocks, macros,
    ``block`` and ``include`` tags, with whitespace and newlines around each tag. Never a macro
    called or a template included inside a preserving element (see templatespace)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.blocks = 0
        self.includes = False

    def space(self) -> str:
        return self.rng.choice(["", "", "\n", "\n  ", "\n    ", " "])

    def tag(self, body: str) -> str:
        return f"{self.space()}{{% {body} %}}{self.space()}"

    def template(self, depth: int = 0, *, preserving: bool = False) -> str:
        parts = []
        more = {"depth": depth + 1, "preserving": preserving}
        for _ in range(self.rng.randrange(6 if depth < 3 else 2)):
            kind = self.rng.random()
            if depth >= 3 or kind < 0.45:
                text = self.rng.choice(_TEXT)
                calls = self.includes and not preserving  # m() is defined with includes on
                parts.append(text if text != "{{ m() }}" or calls else "{{ v }}")
            elif kind < 0.6:
                parts.append(self.tag("if c") + self.template(**more))
                if self.rng.random() < 0.4:
                    parts.append(self.tag("elif d") + self.template(**more))
                if self.rng.random() < 0.5:
                    parts.append(self.tag("else") + self.template(**more))
                parts.append(self.tag("endif"))
            elif kind < 0.72:
                parts.append(self.tag("for i in items") + self.template(**more))
                if self.rng.random() < 0.3:
                    parts.append(self.tag("else") + self.template(**more))
                parts.append(self.tag("endfor"))
            elif kind < 0.8:
                element = self.rng.choice(_ELEMENTS)
                inside = self.template(depth + 1, preserving=preserving or element != "span")
                parts.append(f"<{element}>{inside}</{element}>")
            elif kind < 0.86 and not preserving:
                parts.append(self.tag("set s = 1") if self.rng.random() < 0.5 else "")
                parts.append(self.tag("set t") + self.template(**more) + self.tag("endset"))
                parts.append("{{ t }}")
            elif kind < 0.92:
                self.blocks += 1
                parts.append(self.tag(f"block b{self.blocks}") + self.template(**more))
                parts.append(self.tag("endblock"))
            elif self.includes and not preserving:
                parts.append(self.tag("include 'part.html'"))
        return "".join(parts)


def test_every_random_template_renders_as_a_browser_would_show_it_uncompacted() -> None:
    for seed in range(400):
        maker = _Random(seed)
        templates = {"part.html": maker.template(1)}
        macro = f"{{% macro m() %}}{maker.template(2)}{{% endmacro %}}"
        maker.includes = True
        templates["page.html"] = macro + maker.template()
        compacted, plain = _env(templates), _env(templates, compact=False)
        rng = random.Random(seed)
        for _ in range(6):
            context = {
                "c": rng.random() < 0.5,
                "d": rng.random() < 0.5,
                "items": rng.choice([[], [1], [1, 2]]),
                "v": rng.choice(_VALUES),
                "w": rng.choice(_VALUES),
                "h": rng.choice(["h2", "span"]),  # a printed name is never a preserving one's
            }
            new = compacted.get_template("page.html").render(context)
            old = plain.get_template("page.html").render(context)
            assert browser_whitespace(new) == browser_whitespace(old), (templates, context)


# -- the built site ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def uncompacted_site(tmp_path_factory: pytest.TempPathFactory, mini_site: Site) -> Site:
    """The fixture hub built with templates left as written."""
    top = tmp_path_factory.mktemp("uncompacted")
    hub = copy_hub(Path(__file__).parent / "fixtures" / "minihub", top / "minihub")
    with pytest.MonkeyPatch.context() as patch:
        # Material's chrome still fixed: only the whitespace is left as written.
        patch.setattr(templatespace._Reader, "compact", lambda self, text: text)
        patch.setattr(templatespace, "_drop_blank_lines", lambda items: None)
        site = build_hub(hub, top / "site")
    shutil.rmtree(hub)
    return site


def test_built_pages_render_as_the_uncompacted_ones(
    mini_site: Site, uncompacted_site: Site
) -> None:
    pages = sorted(p.relative_to(mini_site.root) for p in mini_site.root.rglob("*.html"))
    assert len(pages) > 20
    new_bytes = old_bytes = 0
    for page in pages:
        new = (mini_site.root / page).read_text("utf-8")
        old = (uncompacted_site.root / page).read_text("utf-8")
        assert browser_whitespace(new) == browser_whitespace(old), page
        assert len(new) <= len(old), page
        new_bytes, old_bytes = new_bytes + len(new), old_bytes + len(old)
    assert new_bytes < 0.95 * old_bytes  # Material's indentation is gone


def test_built_pages_keep_textarea_text_and_lose_indentation(mini_site: Site) -> None:
    kit = mini_site.root / "partners" / "acme" / "share" / "index.html"
    html = kit.read_text("utf-8")
    assert "\n  " not in html.split("<textarea", 1)[0]  # no indentation before the first textarea
    email = BeautifulSoup(html, "html.parser").select_one("textarea[id^=hg-email]")
    assert email is not None and "\n\n" in email.get_text()  # the e-mail keeps its paragraphs


def test_materials_chrome_is_fixed_in_its_templates(mini_site: Site) -> None:
    page = BeautifulSoup((mini_site.root / "index.html").read_text("utf-8"), "html.parser")
    toggles = page.select('input[type="checkbox"]')
    assert {t["id"] for t in toggles} >= {"__drawer", "__search"}
    assert not [t for t in toggles if t.has_attr("autocomplete")]
    assert not page.select("[autocorrect]")
    dialog = page.select_one('[data-md-component="search"][role="dialog"]')
    assert dialog is not None and dialog["aria-label"] == "Search"


def _calls_inside_preserving_elements(source: str, name: str) -> list[int]:
    """Lines where ``source`` includes a template or calls a macro (or any function) inside a
    ``pre``, ``textarea``, ``code`` or ``kbd`` element: text compacted elsewhere would land there."""
    reader = templatespace._Reader()
    lines: list[int] = []
    tag: list[str] = []
    for token in Environment()._tokenize(source, name):
        if token.type == "data":
            reader.compact(token.value)
        elif token.type in ("block_begin", "variable_begin"):
            tag = [token.type]
        elif token.type in ("block_end", "variable_end"):
            calls = (
                "lparen" in tag
                if tag[0] == "variable_begin"
                else tag[1:2] in (["include"], ["call"])
            )
            if calls and reader.preserving:
                lines.append(token.lineno)
        else:
            tag.append(str(token.value) if token.type == "name" else token.type)
    return lines


def test_no_shipped_template_calls_out_inside_a_preserving_element() -> None:
    folders = [MATERIAL_TEMPLATES, Path(__file__).parents[1] / "themes" / "hubgen"]
    found = {}
    checked = 0
    for folder in folders:
        for path in folder.rglob("*.html"):
            checked += 1
            if lines := _calls_inside_preserving_elements(path.read_text("utf-8"), path.name):
                found[str(path)] = lines
    assert checked > 50 and not found
    assert _calls_inside_preserving_elements("<pre>{{ m() }}</pre>{{ n() }}", "t.html") == [1]
    assert _calls_inside_preserving_elements("<code>\n{% include 'x' %}</code>", "t.html") == [2]
