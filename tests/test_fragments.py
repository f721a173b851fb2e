"""Fragments drawn once per build are placed on each page exactly as drawing them there would."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hubkit import HubDir, build_hub
from jinja2 import DictLoader, Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url
from mkdocs.utils.templates import url_filter

from hubgen.mkdocs_adapter import fragments as fragments_module
from hubgen.mkdocs_adapter.fragments import (
    RENDERED,
    Fragments,
    UrlFilter,
    families_overridden,
    nav_key,
    sibling_class,
    within,
)
from hubgen.mkdocs_adapter.themes import MATERIAL_TEMPLATES, theme_dir

CARD = (
    '{% macro card(item) -%}<article class="{{ item.kind }}">'
    '<a href="{{ item.url | url }}">{{ item.title }}</a>'
    '<img src="{{ item.logo | url }}" alt=""><a href="{{ item.url | url }}#top">again</a>'
    "</article>{%- endmacro %}"
)
PAGE = (
    '{% import "macros.html" as m with context %}'
    "{% for item in items %}{{ m.card(item) }}{% endfor %}"
)
PAGE_FRAGMENTS = (
    '{% import "macros.html" as m with context %}'
    "{% for item in items %}{{ hubgen_fragment(('card', item.title), m.card, item) }}{% endfor %}"
)
PAGE_URLS = ("", "articles/", "articles/one/", "topics/tax/page/2/", "articles/two/")


@dataclass
class FakePage:
    url: str


@dataclass
class Item:
    title: str
    url: str
    logo: str
    kind: str = "card"


def environment(*, autoescape: bool, fragments: Fragments | None = None) -> Environment:
    env = Environment(
        loader=DictLoader(
            {"macros.html": CARD, "page.html": PAGE, "fragments.html": PAGE_FRAGMENTS}
        ),
        autoescape=autoescape,
    )
    env.filters["url"] = url_filter
    if fragments is not None:
        env.filters["url"] = fragments.url
        env.globals["hubgen_fragment"] = fragments.fragment
    return env


ITEMS = [
    Item("One & <b>only</b>", "articles/one/", "assets/logos/a.svg"),
    Item("Two", "articles/two/", "assets/logos/b.svg"),
    Item("Elsewhere", "https://example.org/x?a=1&b=2", "/root.svg"),
    Item("Three", "articles/one/", "assets/logos/a.svg"),  # the same URLs as the first
]


def pages(env: Environment, template: str, items: list[Item]) -> list[str]:
    return [
        env.get_template(template).render(page=FakePage(url), base_url="..", items=items)
        for url in PAGE_URLS
    ]


@pytest.mark.parametrize("autoescape", [True, False])
def test_fragments_give_every_page_what_drawing_it_there_gives(autoescape: bool) -> None:
    expected = pages(environment(autoescape=autoescape), "page.html", ITEMS)
    fragments = Fragments(url_filter)
    env = environment(autoescape=autoescape, fragments=fragments)
    assert pages(env, "fragments.html", ITEMS) == expected
    assert pages(env, "fragments.html", ITEMS) == expected  # and again, on pages seen before
    assert '<a href="./">One' in expected[2] and '<a href="../one/">One' in expected[4]
    assert '<a href="../../../../articles/one/">' in expected[3]
    assert ("&amp;b=2" in expected[0]) is autoescape  # escaped exactly as the filter's output


def counting(fragments: Fragments) -> tuple[Environment, list[str]]:
    """An environment with ``fragments`` whose card notes the title of each item it draws."""
    drawn: list[str] = []
    env = environment(autoescape=True, fragments=fragments)

    def count(item: Item) -> Item:
        drawn.append(item.title)
        return item

    env.filters["counted"] = count
    env.loader.mapping["macros.html"] = CARD.replace(
        "{%- endmacro", "{{ (item | counted).kind }}{%- endmacro"
    )  # type: ignore[union-attr]
    return env, drawn


def test_a_fragment_is_drawn_once_per_key_unless_a_url_is_not_plain() -> None:
    env, drawn = counting(Fragments(url_filter))
    pages(env, "fragments.html", ITEMS)
    # Once each; the card linking a URL with "&" in it (not plain: escaping would change it) is
    # drawn on every page as well.
    assert sorted(drawn) == sorted(
        [*(item.title for item in ITEMS), *["Elsewhere"] * len(PAGE_URLS)]
    )


def test_forgotten_fragments_are_drawn_again_the_same() -> None:
    fragments = Fragments(url_filter)
    env, drawn = counting(fragments)
    before = pages(env, "fragments.html", ITEMS)
    once = len(drawn)
    fragments.forget()  # the page loop is over: what it kept goes
    assert pages(env, "fragments.html", ITEMS) == before
    assert len(drawn) == 2 * once  # each drawn again, once


def test_a_url_changed_after_the_filter_is_drawn_on_every_page() -> None:
    changed = CARD.replace("{{ item.logo | url }}", "{{ item.logo | url | upper }}")
    expected_env = environment(autoescape=True)
    expected_env.loader.mapping["macros.html"] = changed  # type: ignore[union-attr]
    env = environment(autoescape=True, fragments=Fragments(url_filter))
    env.loader.mapping["macros.html"] = changed  # type: ignore[union-attr]
    expected = pages(expected_env, "page.html", ITEMS)
    assert pages(env, "fragments.html", ITEMS) == expected
    assert "../ASSETS/LOGOS/A.SVG" in expected[1]


def test_text_that_looks_like_a_recorded_url_stays_text() -> None:
    # The markers carry a secret made per build: no partner-written text can be taken for one.
    hostile = [
        Item("\x00hubgen-url-0\x00 <script>alert(1)</script>", "articles/x/", "a.svg"),
        Item("\x00hubgen-url-\x00\x00", "articles/y/", "\x00hubgen-url-\x00"),
    ]
    expected = pages(environment(autoescape=True), "page.html", hostile)
    env = environment(autoescape=True, fragments=Fragments(url_filter))
    assert pages(env, "fragments.html", hostile) == expected
    assert "&lt;script&gt;" in expected[0] and "<script>" not in expected[0]


def test_a_fragment_inside_a_fragment_is_drawn_as_part_of_it() -> None:
    fragments = Fragments(url_filter)
    env = environment(autoescape=True, fragments=fragments)
    outer = (
        '{% import "macros.html" as m with context %}'
        "{% macro both(item) %}<div>{{ hubgen_fragment(('inner', item.title), m.card, item) }}"
        "</div>{% endmacro %}"
        "{% for item in items %}{{ hubgen_fragment(('outer', item.title), both, item) }}{% endfor %}"
    )
    env.loader.mapping["outer.html"] = outer  # type: ignore[union-attr]
    plain = environment(autoescape=True)
    plain.loader.mapping["outer.html"] = outer.replace(  # type: ignore[union-attr]
        "hubgen_fragment(('inner', item.title), m.card, item)", "m.card(item)"
    ).replace("hubgen_fragment(('outer', item.title), both, item)", "both(item)")
    assert pages(env, "outer.html", ITEMS) == pages(plain, "outer.html", ITEMS)


def _nav() -> tuple[Navigation, list[Page], Page]:
    def page(uri: str) -> Page:
        file = File(uri, "/docs", "/site", use_directory_urls=True)
        return Page(uri, file, {})  # type: ignore[arg-type]

    home, about = page("index.md"), page("about.md")
    section_page = page("guides/start.md")
    guides = Section("Guides", [section_page])
    section_page.parent = guides
    nav = Navigation([home, about, guides], [home, about, section_page])
    return nav, [home, about, section_page], page("articles/one.md")


def test_pages_outside_the_navigation_share_its_key_and_listed_pages_have_their_own() -> None:
    nav, listed, outside = _nav()
    other_outside = Page("Other", File("articles/two.md", "/docs", "/site", True), {})  # type: ignore[arg-type]
    assert nav_key("nav", nav, outside) == nav_key("nav", nav, other_outside)
    assert nav_key("tabs", nav, outside) != nav_key("nav", nav, outside)
    keys = {nav_key("nav", nav, outside)}
    for page in listed:
        page.active = True  # as MkDocs marks the page it renders, and its sections
        keys.add(nav_key("nav", nav, page))
        page.active = False
    assert len(keys) == 1 + len(listed)
    assert nav_key("nav", None, outside) == ("nav", None)


@pytest.mark.parametrize("autoescape", [True, False])
def test_a_url_inside_json_is_placed_as_tojson_gave_it(autoescape: bool) -> None:
    # Material's settings script: {"base": …, "search": "…" | url} | tojson.
    config = (
        "{% macro settings() %}<script>{{ {'base': base_url, 'search': "
        "'assets/search.js' | url, 'home': 'https://x.example/?a=1&b=<2>' | url} | tojson }}"
        "</script>{% endmacro %}"
    )
    plain = environment(autoescape=autoescape)
    plain.loader.mapping["json.html"] = config + "{{ settings() }}"  # type: ignore[union-attr]
    env = environment(autoescape=autoescape, fragments=Fragments(url_filter))
    env.loader.mapping["json.html"] = (  # type: ignore[union-attr]
        config + "{{ hubgen_fragment(('settings', base_url), settings) }}"
    )
    expected = pages(plain, "json.html", ITEMS)
    assert pages(env, "json.html", ITEMS) == expected
    assert '"search": "../../assets/search.js"' in expected[2]
    assert "\\u0026b=\\u003c2\\u003e" in expected[2]  # what tojson made of the query


def test_a_fragment_keeps_the_type_drawing_it_gives() -> None:
    fragments = Fragments(url_filter)
    env = environment(autoescape=False, fragments=fragments)
    context = env.get_template("page.html").new_context({"page": FakePage("a/"), "base_url": ".."})
    markup = fragments.fragment(context, "markup", lambda: Markup("<b>x</b>"))
    text = fragments.fragment(context, "text", lambda: "<b>x</b>")
    assert isinstance(markup, Markup) and not isinstance(text, Markup) and text == "<b>x</b>"


def test_a_family_drawn_every_time_and_a_url_filter_replaced_since_are_never_kept() -> None:
    fragments = Fragments(url_filter, drawn_every_time=frozenset({"card"}))
    env = environment(autoescape=True, fragments=fragments)
    expected = pages(environment(autoescape=True), "page.html", ITEMS)
    drawn: list[str] = []

    def count(item: Item) -> Item:
        drawn.append(item.title)
        return item

    env.filters["counted"] = count
    env.loader.mapping["macros.html"] = CARD.replace(  # type: ignore[union-attr]
        "{%- endmacro", "{{ (item | counted).kind }}{%- endmacro"
    )
    assert pages(env, "fragments.html", ITEMS) == [
        page.replace("</article>", "</article>card") for page in expected
    ]
    assert len(drawn) == len(ITEMS) * len(PAGE_URLS)  # the "card" family: on every page
    # Another plugin's url filter, set after hubgen's: its URLs are not recorded, so nothing
    # drawn with it is kept.
    other = Fragments(url_filter)
    env = environment(autoescape=True, fragments=other)
    env.filters["url"] = lambda value: f"/elsewhere/{value}"
    drawn_pages = pages(env, "fragments.html", ITEMS)
    assert drawn_pages == [pages(env, "page.html", ITEMS)[0]] * len(PAGE_URLS)
    assert '<a href="/elsewhere/articles/one/">' in drawn_pages[0]


def test_a_theme_override_of_a_template_a_family_renders_turns_that_family_off(
    tmp_path: Path,
) -> None:
    assert families_overridden([tmp_path]) == frozenset()
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials/copyright.html").write_text("{{ page.url }}", "utf-8")
    assert families_overridden([tmp_path]) == {"footer"}
    (tmp_path / "partials/logo.html").write_text("{{ base_url }}/logo.svg", "utf-8")
    assert families_overridden([tmp_path]) == {"footer", "header-start", "header-end", "nav"}
    # Every template named is one hubgen's theme or Material has (no typo leaves one out).
    names = {name for rendered in RENDERED.values() for name in rendered}
    assert all((theme_dir() / n).is_file() or (MATERIAL_TEMPLATES / n).is_file() for n in names)


def test_a_footer_override_naming_the_page_shows_each_page_its_own(
    minihub: HubDir, tmp_path: Path
) -> None:
    # A hub's own footer with a share link to the page: drawn on every page, never kept.
    minihub.write("overrides/partials/copyright.html", '<p class="shared">{{ page.url }}</p>')
    minihub.edit("mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    site = build_hub(minihub.root, tmp_path / "site")
    urls = ["", "articles/", "articles/cash/", "partners/acme/", "topics/cash-flow/"]
    for url in urls:
        shared = site.page(url).select_one("footer .shared")
        assert shared is not None and shared.get_text() == url


def test_sibling_pages_resolve_every_simple_path_outside_their_folder_alike() -> None:
    """What lets a fragment's URL be resolved once for every page of a sibling class: checked
    against MkDocs' own filter over random page and target paths."""
    names = ["articles", "a", "b", "topics", "tax", "page", "2", "x.y", "partners", "r", "~n"]
    rnd = random.Random(17)

    def path(slash: float) -> str:
        text = "/".join(rnd.choice(names) for _ in range(rnd.randint(1, 4)))
        return text + "/" if rnd.random() < slash else text

    classes: dict[tuple[str, int], set[str]] = {}
    for page in {path(0.8) for _ in range(2000)}:
        if (found := sibling_class(page)) is not None:
            classes.setdefault(found, set()).add(page)
    assert sibling_class("") is None and sibling_class("404.html") is None
    assert sibling_class("articles/one/") == ("articles", 2)
    targets = {path(0.5) for _ in range(300)}
    shared = 0
    for siblings in classes.values():
        for target in targets:
            resolved = {
                normalize_url(target, FakePage(page), "..")  # type: ignore[arg-type]
                for page in siblings
                if not within(target, page)
            }
            assert len(resolved) <= 1, (siblings, target, resolved)
            shared += len(siblings) > 1 and len(resolved) == 1
    assert shared > 1000  # the property was tested on classes of several pages


def counting_filters(
    calls: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> tuple[UrlFilter, UrlFilter]:
    """MkDocs' filter noting each (page URL, value) in ``calls``, standing in for MkDocs' own
    (known to share between siblings), and the same filter as another plugin's (not known to)."""

    @pass_context
    def counted(context: Context, value: Any) -> str:
        calls.append((context["page"].url, str(value)))
        return str(url_filter(context, value))

    @pass_context
    def another(context: Context, value: Any) -> str:  # a plugin's, say: not known to share
        return counted(context, value)  # type: ignore[no-any-return]

    monkeypatch.setattr(fragments_module, "mkdocs_url_filter", counted)
    return counted, another


def test_pages_share_resolved_urls_only_under_mkdocs_own_filter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str, str]] = []
    counted, another = counting_filters(calls, monkeypatch)
    siblings = ("articles/one/", "articles/two/", "articles/three/")
    for resolve, logo_resolved in ((counted, 1), (another, 3)):  # sharing, or not
        calls.clear()
        env = environment(autoescape=True, fragments=Fragments(resolve))
        placed = [
            env.get_template("fragments.html").render(
                page=FakePage(url), base_url="..", items=ITEMS
            )
            for url in siblings
        ]
        logo = [page for page, url in calls if url == "assets/logos/a.svg"]
        assert len(logo) == logo_resolved
        # A URL inside a page's own folder is resolved for that page alone.
        one = [page for page, url in calls if url == "articles/one/"]
        assert one == (["articles/one/", "articles/two/"] if logo_resolved == 1 else list(siblings))
        expected = [
            environment(autoescape=True)
            .get_template("page.html")
            .render(page=FakePage(url), base_url="..", items=ITEMS)
            for url in siblings
        ]
        assert placed == expected


def test_the_filter_outside_fragments_shares_urls_between_siblings_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stylesheets, scripts and the navigation's links resolved once per sibling class, to
    what MkDocs' filter gives each page; a path inside the page's folder, not a simple path,
    or a filter not known to share is resolved for every page."""
    calls: list[tuple[str, str]] = []
    counted, another = counting_filters(calls, monkeypatch)
    links = (
        "assets/main.css", "articles/one/", "articles/one/logo.svg", "topics/", "../up/",
        "https://example.org/?a=1&b=2", "#top", "articles/two/#anchor",
    )  # fmt: skip
    template = "".join(f"<a href='{{{{ {link!r} | url }}}}'>" for link in links)
    urls = ("articles/one/", "articles/two/", "articles/three/", "topics/tax/", "", "a/b/c/")
    for resolve, shared in ((counted, True), (another, False)):
        env = Environment(loader=DictLoader({"t.html": template}), autoescape=True)
        env.filters["url"] = Fragments(resolve).url
        calls.clear()
        shown = [env.get_template("t.html").render(page=FakePage(u), base_url="..") for u in urls]
        plain = Environment(loader=DictLoader({"t.html": template}), autoescape=True)
        plain.filters["url"] = url_filter
        assert shown == [
            plain.get_template("t.html").render(page=FakePage(u), base_url="..") for u in urls
        ]
        css = [page for page, url in calls if url == "assets/main.css"]
        # The three articles are siblings: one resolution for them; each other page its own.
        assert len(css) == (4 if shared else len(urls))
        own = [page for page, url in calls if url == "articles/one/logo.svg"]
        assert own[:2] == ["articles/one/", "articles/two/"] if shared else len(own) == len(urls)
        assert len([u for _, u in calls if u == "../up/"]) == len(urls)  # not a simple path
