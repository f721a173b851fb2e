"""The hubgen command as users and CI call it: exit codes, output formats, atomic builds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hubkit import HubDir

from hubgen.cli import main


def run(*args: str) -> int:
    return main(list(args))


def test_check_passes_on_a_good_hub(minihub: HubDir, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "-f", str(minihub.root / "mkdocs.yml")) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "checked 11 files: 0 errors, 0 warnings" in captured.err


def test_check_reports_every_problem_and_exits_1(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.edit("partners/brightside.yml", 'color: "#ffeb3b"', "color: nope")
    minihub.edit("content/articles/2025-07-01-cash.md", "authors: [acme]", "authors: [nobody]")
    assert run("check", "-f", str(minihub.root / "mkdocs.yml")) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "content/articles/2025-07-01-cash.md:4:10: error: authors: unknown partner 'nobody' "
        "(known partners: acme, newco, oldco) (expected one of: acme, newco, oldco)",
        "partners/brightside.yml:5:8: error: color: 'nope' is not a colour "
        '(write a hex colour in quotes, e.g. "#0f766e")',
    ]


def test_check_github_and_json_formats(minihub: HubDir, capsys: pytest.CaptureFixture[str]) -> None:
    minihub.edit("partners/brightside.yml", 'color: "#ffeb3b"', "color: nope")
    assert run("check", "--format", "github", "-f", str(minihub.root / "mkdocs.yml")) == 1
    assert capsys.readouterr().out.strip() == (
        "::error file=partners/brightside.yml,line=5,col=8,title=hubgen error::color: 'nope' is not "
        'a colour (write a hex colour in quotes, e.g. "#0f766e")'
    )
    assert run("check", "--format", "json", "-f", str(minihub.root / "mkdocs.yml")) == 1
    (problem,) = json.loads(capsys.readouterr().out)
    assert problem["path"] == "partners/brightside.yml" and problem["field"] == "color"
    assert (problem["line"], problem["col"], problem["severity"]) == (5, 8, "error")


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "-f", str(tmp_path / "missing.yml")) == 2
    assert "missing.yml not found" in capsys.readouterr().err
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert run("check", "-f", str(tmp_path / "mkdocs.yml")) == 2
    assert "does not enable the hubgen plugin" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        run("frobnicate")
    assert exit_info.value.code == 2


def test_bad_plugin_option_is_a_clear_usage_error(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.edit("mkdocs.yml", "timezone: Europe/London", "timezone: Mars/Olympus")
    assert run("check", "-f", str(minihub.root / "mkdocs.yml")) == 2
    assert (
        "Expected an IANA time zone name such as 'Europe/London' but received: 'Mars/Olympus'"
        in (capsys.readouterr().err)
    )


def test_build_prints_a_summary(
    minihub: HubDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("build", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(tmp_path / "out")) == 0
    out = capsys.readouterr().out
    assert "checked 11 files: no problems" in out
    assert "built 4 articles, 2 partners, 4 topics in" in out
    assert "not published: content/articles/2099-01-01-future.md (scheduled)" in out
    assert (tmp_path / "out/index.html").is_file()


def test_failed_build_writes_nothing_and_keeps_the_old_site(
    minihub: HubDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run("build", "-q", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(out)) == 0
    before = (out / "index.html").read_bytes()
    minihub.edit("content/articles/2025-07-01-cash.md", "date: 2025-07-01", "date: tomorrow-ish")
    assert run("build", "-q", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(out)) == 1
    assert "date: 'tomorrow-ish' is not a valid date" in capsys.readouterr().out
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub", "out"]  # no staging left behind


def test_mkdocs_build_uses_the_plugin(minihub: HubDir, tmp_path: Path) -> None:
    """`mkdocs build --strict` works on its own, without the hubgen CLI."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "m")],
        cwd=minihub.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "m/partners/acme/index.html").is_file()


def test_mkdocs_build_refuses_a_broken_hub_before_cleaning(minihub: HubDir, tmp_path: Path) -> None:
    out = tmp_path / "m"
    out.mkdir()
    (out / "keep.txt").write_text("previous site")
    minihub.edit("partners/acme.yml", "status: active", "status: maybe")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)],
        cwd=minihub.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "partners/acme.yml:3:9: error: status: 'maybe' is not allowed" in result.stderr
    assert (out / "keep.txt").read_text() == "previous site"


def test_python_dash_m(minihub: HubDir) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hubgen", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("hubgen ")


def test_referral_options_are_validated(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.edit(
        "mkdocs.yml", "page_size: 2", "page_size: 2\n      referral:\n        param: 'r&f'"
    )
    assert run("check", "-f", str(minihub.root / "mkdocs.yml")) == 2
    assert (
        "Expected letters, digits, '-', '_' or '.' but received: 'r&f'" in capsys.readouterr().err
    )


def test_check_warns_where_the_safety_policy_changes_content(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.edit(
        "content/articles/2025-07-01-cash.md", "Plan ahead.",
        'Plan ahead.\n\n<script>alert(1)</script>\n\nClick [here](https://x.example){ onclick="steal()" }\n',
    )  # fmt: skip
    minihub.write(
        "mkdocs.yml", minihub.read("mkdocs.yml") + "markdown_extensions:\n  - attr_list\n"
    )
    assert run("check", "-f", str(minihub.root / "mkdocs.yml")) == 0  # warnings do not fail
    out = capsys.readouterr().out.splitlines()
    hint = (
        "(raw HTML, scripts, frames, forms, styles and event handlers are not published; "
        "write it in plain Markdown)"
    )
    where = "content/articles/2025-07-01-cash.md"
    assert out == [
        f"{where}:11:1: warning: body: the safe-content policy removes <script> {hint}",
        f"{where}:13:34: warning: body: the safe-content policy removes onclick= on <a> {hint}",
    ]


def test_plugin_defines_each_event_handler_once() -> None:
    """Two `def on_post_page` in one class merge silently and the first is lost."""
    import ast

    import hubgen.mkdocs_adapter.plugin

    tree = ast.parse(Path(hubgen.mkdocs_adapter.plugin.__file__).read_text())
    plugin = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "HubgenPlugin")
    names = [n.name for n in plugin.body if isinstance(n, ast.FunctionDef)]
    assert sorted(names) == sorted(set(names))


def test_two_builds_of_the_same_commit_are_byte_identical(
    minihub: HubDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file, with SOURCE_DATE_EPOCH pinning the only date not taken from content."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    for name in ("a", "b"):
        assert (
            run("build", "-q", "-f", str(minihub.root / "mkdocs.yml"), "-d", str(tmp_path / name))
            == 0
        )

    def tree(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert "feed.xml" in first and "sitemap.xml.gz" in first
