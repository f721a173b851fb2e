"""Hostile input gets a clear, positioned error (or a sanitized page) in bounded time, through
the units and through `hubgen check` and `hubgen build` alike.

No test here is timed: each checks the mechanism instead (the explicit limit is enforced with
its message, and the linear code gives the right answer on the big input).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hubkit import FIXTURES, HubDir
from test_change import Repo

from hubgen.cache.sitedir import Staging
from hubgen.cli import main
from hubgen.core.text import plain_text, word_count
from hubgen.load.bodylimits import MAX_HTML_NESTING, MAX_NESTING, body_limits
from hubgen.load.confusables import look_alike, mixed_scripts, odd_characters, skeleton
from hubgen.load.invisibles import invisible_characters
from hubgen.load.links import relative_targets
from hubgen.load.yamlsafe import MAX_DEPTH, YamlSyntaxError, parse_yaml

HEAD = "---\ntitle: Hostile\ndate: 2025-07-01\nauthors: [acme]\n---\n"
ARTICLE = "content/articles/2025-08-01-hostile.md"


def run(*args: str) -> int:
    return main(list(args))


def check_and_build(minihub: HubDir, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The problem lines `hubgen check` prints, after asserting `hubgen build` stops with the
    same ones (exit 1 each, nothing built, no traceback)."""
    config = str(minihub.root / "mkdocs.yml")
    assert run("check", "-f", config) == 1
    checked = capsys.readouterr()
    assert "Traceback" not in checked.err
    assert run("build", "-q", "-f", config) == 1
    built = capsys.readouterr()
    assert built.out == checked.out
    assert "nothing was written" in built.err
    assert not (minihub.root / "site").exists()
    return checked.out.splitlines()


# -- bodies -------------------------------------------------------------------------------------


def test_unclosed_brackets_are_refused_at_the_first_one() -> None:
    (limit,) = body_limits("Intro.\n\n" + "[" * 200_000 + "]()\n")
    assert (limit.line, limit.col) == (3, 1)
    assert limit.message == (
        "too many '[' are left open or nested in this paragraph "
        "(Markdown re-reads the paragraph for each one)"
    )
    assert limit.hint == "close each '[' with ']', or write '\\[' for a literal one"
    (paren,) = body_limits("[a](" * 50_000)
    assert (paren.line, paren.col) == (1, 4) and "'('" in paren.message


def test_closed_brackets_and_blank_lines_cost_nothing() -> None:
    # A blank line ends a paragraph: brackets left open there cost only their own paragraph.
    assert body_limits(("[" * 100 + "\n\n") * 100) == []
    assert body_limits("[link](a.md) (aside) [x] \\[ \\(\n" * 30_000) == []


def test_nesting_limits() -> None:
    nested = "".join("    " * i + "- x\n" for i in range(300))
    (limit,) = body_limits(nested)
    assert (limit.line, limit.col) == (MAX_NESTING + 1, 4 * MAX_NESTING + 1)
    assert limit.message == (
        f"lists, quotes and admonitions are nested {MAX_NESTING + 1} levels deep here; "
        f"the limit is {MAX_NESTING}"
    )
    assert body_limits("".join("    " * i + "- x\n" for i in range(MAX_NESTING))) == []
    assert body_limits("- " * 300 + "x\n")[0].col == 2 * MAX_NESTING + 1
    assert body_limits("> " * (MAX_NESTING + 1) + "x\n")[0].line == 1
    assert body_limits("> " * MAX_NESTING + "x\n") == []
    # Deep indentation without markers (code) is not nesting.
    assert body_limits("    " * 40 + "code\n") == []


def test_html_nesting_limit() -> None:
    (limit,) = body_limits("Text\n" + "<div>" * 100_000 + "\n")
    assert (limit.line, limit.col) == (2, 5 * MAX_HTML_NESTING + 1)
    assert limit.message == f"HTML elements are nested more than {MAX_HTML_NESTING} deep here"
    closed = "<div>" * MAX_HTML_NESTING + "x" + "</div>" * MAX_HTML_NESTING
    assert body_limits(closed * 100) == []
    # Paragraphs, list items and void elements do not nest; autolinks are no tags.
    assert body_limits("<p>a<br><li>b<img src=x> <https://x.example>\n" * 1_000) == []


def test_link_scanner_is_right_on_huge_bracket_runs() -> None:
    assert list(relative_targets("[" * 200_000 + "](a.md)")) == [("a.md", 1, 200_003)]
    assert list(relative_targets("[a](" * 50_000)) == []
    assert list(relative_targets('[a](b "' * 50_000)) == []
    assert list(relative_targets("[a](b.md) " * 50_000))[-1] == ("b.md", 1, 499_995)


def test_plain_text_is_right_on_huge_runs() -> None:
    assert plain_text("[" * 200_000 + "]()") == "[" * 199_999
    assert plain_text("<a" * 100_000) == "<a" * 100_000
    assert plain_text("{" * 100_000 + "\n" + "{x}") == "{" * 100_000
    assert word_count("[a]( " * 50_000) == 50_000


def test_hostile_bodies_through_check_and_build(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.write(ARTICLE, HEAD + "[" * 200_000 + "]()\n")
    assert check_and_build(minihub, capsys) == [
        f"{ARTICLE}:6:1: error: body: too many '[' are left open or nested in this paragraph "
        "(Markdown re-reads the paragraph for each one) "
        "(close each '[' with ']', or write '\\[' for a literal one)"
    ]
    minihub.write(ARTICLE, HEAD + "<div>" * 100_000 + "\n")
    assert check_and_build(minihub, capsys) == [
        f"{ARTICLE}:6:{5 * MAX_HTML_NESTING + 1}: error: body: HTML elements are nested more "
        f"than {MAX_HTML_NESTING} deep here (close each element you open, e.g. <div>…</div>, "
        "or write the text in Markdown)"
    ]
    minihub.write(ARTICLE, HEAD + "".join("    " * i + "- x\n" for i in range(300)))
    (line,) = check_and_build(minihub, capsys)
    assert line.startswith(f"{ARTICLE}:{5 + MAX_NESTING + 1}:{4 * MAX_NESTING + 1}: error: body:")


# -- YAML ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\ufffe", "\u0080", "\x9f"])
def test_characters_yaml_refuses_are_positioned_errors(char: str) -> None:
    with pytest.raises(YamlSyntaxError) as raised:
        parse_yaml(f"date: 2025\ntitle: Bad {char}\n", line_offset=1)
    issue = raised.value.issue
    assert (issue.position.line, issue.position.col, issue.key) == (3, 12, ("title",))
    assert issue.message.startswith(f"contains U+{ord(char):04X} (")
    assert issue.message.endswith("which YAML does not allow")


def test_deep_yaml_is_an_error_not_a_recursion_error() -> None:
    for text in ["title: " + "[" * 20_000, "title: " + "[" * 5_000 + "]" * 5_000]:
        with pytest.raises(YamlSyntaxError) as raised:
            parse_yaml(text)
        assert raised.value.issue.message == (
            f"lists and mappings are nested more than {MAX_DEPTH} levels deep"
        )
    assert parse_yaml("a: " + "[" * 10 + "x" + "]" * 10)[0].data is not None


def test_front_matter_reader_errors_through_check_and_build(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.write(ARTICLE, "---\ntitle: Bad \ufffe\ndate: 2025-07-01\nauthors: [acme]\n---\nHi\n")
    assert check_and_build(minihub, capsys) == [
        f"{ARTICLE}:2:12: error: title: contains U+FFFE (a control or non-character code point), "
        "which YAML does not allow "
        "(delete the character (it is usually invisible: retype the text around it))"
    ]


# -- silent green ticks -------------------------------------------------------------------------


def test_a_value_yaml_reads_as_a_comment_is_an_error() -> None:
    text = "color: #1d4ed8\nsocial:\n  x: # https://x.example\nname: Acme # a comment\n"
    doc, issues = parse_yaml(text)
    assert doc.data["name"] == "Acme"
    assert [(i.key, i.position.line, i.position.col, i.message, i.hint) for i in issues] == [
        (
            ("color",),
            1,
            8,
            "has no value: YAML reads '#1d4ed8' as a comment",
            'quote the value: color: "#1d4ed8"',
        ),
        (
            ("social", "x"),
            3,
            6,
            "has no value: YAML reads '# https://x.example' as a comment",
            'quote the value: x: "# https://x.example"',
        ),
    ]


def test_unquoted_colour_through_check_and_build(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.edit("partners/acme.yml", 'color: "#0f766e"', "color: #1d4ed8")
    assert check_and_build(minihub, capsys) == [
        "partners/acme.yml:6:8: error: color: has no value: YAML reads '#1d4ed8' as a comment "
        '(quote the value: color: "#1d4ed8")'
    ]


@pytest.mark.parametrize("name", ["2025-08-01-x.MD", "2025-08-01-x.Md"])
def test_an_article_named_in_capitals_is_an_error(
    minihub: HubDir, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    minihub.write(f"content/articles/{name}", HEAD + "Hi\n")
    assert check_and_build(minihub, capsys) == [
        f"content/articles/{name}:1:1: error: articles must end in '.md' in lowercase: this one "
        "would be published as a raw file, unchecked (rename it to 2025-08-01-x.md)"
    ]


# -- look-alikes and invisible characters --------------------------------------------------------


def add_partner(hub: HubDir, slug: str, name: str, joined: str = "2024-01-01") -> None:
    hub.write(
        f"partners/{slug}.yml",
        f"name: {name}\ntagline: Anything\njoined: {joined}\nlogo: logo.svg\n"
        "services: [Tax]\nbio: Hello.\n"
        "ideal_client:\n  who_we_help: Owners.\n  how_to_spot_them: They ask.\n",
    )
    hub.write(f"partners/{slug}/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")


def test_skeletons_follow_unicode_confusables() -> None:
    # Armenian small oh is a TS #39 confusable of "o" (the old table did not know it).
    assert skeleton("Ledgerline Acc\u0585unting") == skeleton("Ledgerline Accounting")
    assert look_alike("Ledgerline Acc\u0585unting", "Ledgerline Accounting")
    assert look_alike("acme-ref", "acrne-ref") and look_alike("Ideal Law", "ldeal Law")
    assert not look_alike("brightside", "brightsicle")
    # New Tai Lue digit zero has its own prototype: the name is caught as mixing scripts.
    assert mixed_scripts("Ledgerline Acc\u19d0unting")
    assert odd_characters("Ledgerline Acc\u19d0unting") == ["U+19D0 NEW TAI LUE DIGIT ZERO"]
    for name in ["Acme & Sons Ltd.", "Müller GmbH", "Acme 会計", "Смирнов и партнёры", "L’Atelier"]:
        assert not mixed_scripts(name), name


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "Ledgerline Acc\u19d0unting",
            "'Ledgerline Acc\u19d0unting' mixes scripts: it contains U+19D0 NEW TAI LUE DIGIT "
            "ZERO (write the name in one script, as readers would type it)",
        ),
        (
            "Ledgerline Acc\u0585unting",
            "'Ledgerline Acc\u0585unting' looks like the name of partners/ledgerline.yml "
            "('Ledgerline Accounting') (it contains U+0585 ARMENIAN SMALL LETTER OH; use a name "
            "readers cannot mistake for another partner's)",
        ),
    ],
)
def test_look_alike_names_through_check_and_build(
    minihub: HubDir, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    add_partner(minihub, "ledgerline", "Ledgerline Accounting", joined="2023-01-01")
    add_partner(minihub, "ledger", name)
    assert check_and_build(minihub, capsys) == [f"partners/ledger.yml:1:7: error: name: {message}"]


@pytest.mark.parametrize(
    ("char", "label"), [("\u202e", "RIGHT-TO-LEFT OVERRIDE"), ("\u200b", "ZERO WIDTH SPACE")]
)
def test_invisible_characters_in_titles_and_names_are_errors(
    minihub: HubDir, capsys: pytest.CaptureFixture[str], char: str, label: str
) -> None:
    minihub.write(
        ARTICLE, f"---\ntitle: Evil {char}gnp.exe\ndate: 2025-07-01\nauthors: [acme]\n---\nHi\n"
    )
    minihub.edit("partners/acme.yml", "name: Acme Accounting", f"name: Acme{char} Accounting")
    hint = "delete it: invisible and direction-changing characters disguise what readers see"
    code = f"U+{ord(char):04X} {label}"
    assert check_and_build(minihub, capsys) == [
        f"{ARTICLE}:2:13: error: title: contains the invisible character {code} ({hint})",
        f"partners/acme.yml:1:11: error: name: contains the invisible character {code} ({hint})",
    ]
    assert invisible_characters("\U0001f469\u200d\U0001f4bb IT") == []  # an emoji, not a disguise


def test_look_alike_is_blamed_on_the_profile_new_at_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = Repo(tmp_path / "hub")
    shutil.copytree(FIXTURES / "minihub", repo.root, ignore=shutil.ignore_patterns(".hubgen-cache"))
    repo.git("init", "-q", "-b", "main")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "change")
    # The newcomer claims an earlier 'joined' than newco's: only the base tells who came second.
    add_partner(repo, "newc0", "Another Firm", joined="2020-01-01")
    repo.commit()
    config = str(repo.root / "mkdocs.yml")
    assert main(["check", "-f", config]) == 1
    (without_base,) = capsys.readouterr().out.splitlines()
    assert without_base.startswith("partners/newco.yml:")  # joined later, the only clue left
    assert main(["check", "-f", config, "--base", "main"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "partners/newc0.yml:1:1: error: referral_code: referral code 'newc0' looks like 'newco' "
        "of partners/newco.yml (choose a code that cannot be mistaken for another partner's "
        "(0/o, 1/l and rn/m read alike))"
    ]


# -- check and build agree ----------------------------------------------------------------------


def check_then_build(minihub: HubDir, capsys: pytest.CaptureFixture[str]) -> tuple[list[str], str]:
    """`hubgen check`'s problem lines and `hubgen build --strict`'s error output (both exit 1)."""
    config = str(minihub.root / "mkdocs.yml")
    assert run("check", "-f", config) == 1
    checked = capsys.readouterr().out.splitlines()
    assert run("build", "-q", "--strict", "-f", config) == 1
    built = capsys.readouterr()
    assert "Traceback" not in built.err and not (minihub.root / "site").exists()
    return checked, built.err


def test_check_refuses_file_including_extensions_like_the_build(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    config = minihub.read("mkdocs.yml")
    minihub.write("mkdocs.yml", config + "markdown_extensions:\n  - pymdownx.snippets\n")
    checked, built = check_then_build(minihub, capsys)
    message = "pymdownx.snippets can read files from the build machine into a partner's article"
    hint = (
        "remove it, or set content_policy.allow_file_includes: true if every contributor is "
        "fully trusted"
    )
    line = config.count("\n") + 2
    assert checked == [f"mkdocs.yml:{line}:1: error: markdown_extensions: {message} ({hint})"]
    assert f"markdown_extensions: {message}; {hint}" in built


def test_check_refuses_a_page_clashing_with_a_generated_one(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.write("content/topics/index.md", "# Mine\n")
    checked, built = check_then_build(minihub, capsys)
    message = "topics/index.md clashes with the page hubgen generates at /topics/"
    assert checked == [f"content/topics/index.md:1:1: error: {message} (rename or move that file)"]
    assert f"{message}: rename or move that file" in built


def test_check_refuses_links_that_strict_builds_refuse(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.edit("partners/acme.yml", "  Second paragraph.", "  See [the guide](missing.md).")
    minihub.write("content/guide.md", "# Guide\n\nSee [gone](gone.md).\n")
    checked, built = check_then_build(minihub, capsys)
    assert checked == [
        "content/guide.md:3:12: error: link to 'gone.md' points to gone.md, which does not exist "
        "(fix or remove the link: `hubgen build --strict` refuses it)",
        "partners/acme.yml:15:6: error: bio: link to 'missing.md' points to "
        "partners/acme/missing.md, which does not exist (link to a page of the hub by its full "
        "address, e.g. https://mini.example/articles/)",
    ]
    assert "Aborted with 2 warnings in strict mode" in built
    assert "'gone.md'" in built and "'partners/acme/missing.md'" in built


# -- staging folders of killed builds ------------------------------------------------------------


def test_a_later_build_removes_staging_folders_of_killed_builds_only(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    target = minihub.root / "site"
    # A build killed midway: a real process takes a staging folder, then dies by SIGKILL.
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal, sys; from pathlib import Path; from hubgen.cache.sitedir import Staging;"
            "s = Staging(Path(sys.argv[1])); (s.path / 'index.html').write_text('half');"
            "os.kill(os.getpid(), signal.SIGKILL)",
            str(target),
        ],
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    (left,) = [p for p in minihub.root.iterdir() if p.name.startswith(".site.building-")
               and p.is_dir()]  # fmt: skip
    live = Staging(target)  # a build still running in this process
    try:
        assert run("build", "-q", "-f", str(minihub.root / "mkdocs.yml")) == 0
        capsys.readouterr()
        building = sorted(p.name for p in minihub.root.iterdir() if ".building-" in p.name)
        assert building == sorted([live.path.name, live.path.name + ".lock"])
        assert not left.exists() and (target / "index.html").is_file()
    finally:
        live.release()
        shutil.rmtree(live.path)


def test_pages_mkdocs_renders_are_the_suffixes_hubgen_knows() -> None:
    from mkdocs.utils import markdown_extensions

    from hubgen.site.buildrules import MARKDOWN_SUFFIXES

    assert set(MARKDOWN_SUFFIXES) == set(markdown_extensions)


def test_links_shown_as_code_in_hand_written_pages_are_no_problem(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.write("content/guide.md", "# Guide\n\nWrite `![A chart](images/chart.png)`.\n")
    assert run("check", "-f", str(minihub.root / "mkdocs.yml")) == 0
    assert capsys.readouterr().out == ""


def test_profile_texts_rendered_as_markdown_get_the_body_limits(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.edit("partners/acme.yml", "  Second paragraph.", "  Second " + "[" * 30_000)
    minihub.edit("partners/acme.yml", "what_makes_us_different: Fixed fees.",
                 "what_makes_us_different: \"" + "<div>" * 100 + "\"")  # fmt: skip
    assert check_and_build(minihub, capsys) == [
        "partners/acme.yml:18:10: error: bio: too many '[' are left open or nested in this "
        "paragraph (Markdown re-reads the paragraph for each one) "
        "(close each '[' with ']', or write '\\[' for a literal one)",
        f"partners/acme.yml:22:{27 + 5 * MAX_HTML_NESTING}: error: what_makes_us_different: "
        f"HTML elements are nested more than {MAX_HTML_NESTING} deep here "
        "(close each element you open, e.g. <div>…</div>, or write the text in Markdown)",
    ]


def test_article_size_limit(minihub: HubDir, capsys: pytest.CaptureFixture[str]) -> None:
    from hubgen.load.frontmatter import MAX_ARTICLE_BYTES

    minihub.write(ARTICLE, HEAD + "x" * MAX_ARTICLE_BYTES)
    size = len(HEAD) + MAX_ARTICLE_BYTES
    assert check_and_build(minihub, capsys) == [
        f"{ARTICLE}:1:1: error: is {size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,} "
        "(split it or move large content out)"
    ]
