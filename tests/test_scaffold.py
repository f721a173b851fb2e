"""hubgen init / new / codeowners, the generated workflows (linted by zizmor), and a new hub end to end."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hubkit import Site

from hubgen import __version__
from hubgen.cli import main

ACTION_PIN_RE = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new hub made by `hubgen init`, as the current directory."""
    root = tmp_path / "network"
    args = ["init", str(root), "--name", "Leeds Firms", "--organiser", "claire-h"]
    assert main([*args, "--timezone", "Europe/London", "--site-url", "https://firms.example/"]) == 0
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> int:
    return main(list(args))


def test_init_creates_a_hub_that_passes_check(
    hub: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = sorted(p.relative_to(hub).as_posix() for p in hub.rglob("*") if p.is_file())
    assert [f for f in files if not f.startswith("content/articles/")] == [
        ".github/CODEOWNERS",
        ".github/dependabot.yml",
        ".github/workflows/check.yml",
        ".github/workflows/deploy.yml",
        ".gitignore",
        "README.md",
        "content/privacy.md",
        "content/write-for-the-network.md",
        "mkdocs.yml",
        "partners/example-accounting.yml",
        "partners/example-accounting/logo.svg",
        "requirements.txt",
    ]
    assert [f for f in files if f.startswith("content/articles/")] == [
        f"content/articles/{p.name}"
        for p in (hub / "content/articles").glob("*-how-this-network-works.md")
    ]
    assert (hub / "requirements.txt").read_text().splitlines()[-1] == f"hubgen=={__version__}"
    config = yaml.safe_load((hub / "mkdocs.yml").read_text())
    assert config["site_name"] == "Leeds Firms"
    assert config["site_url"] == "https://firms.example/"
    # hubgen's own search: Material's `search` plugin is not listed.
    assert config["plugins"] == [{"hubgen": config["plugins"][0]["hubgen"]}]
    assert config["plugins"][0]["hubgen"]["timezone"] == "Europe/London"
    capsys.readouterr()
    assert run("check") == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "checked 2 files: 0 errors, 0 warnings" in captured.err


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "hub").mkdir()
    (tmp_path / "hub/README.md").write_text("mine")
    assert run("init", str(tmp_path / "hub")) == 2
    assert capsys.readouterr().err == (
        f"hubgen: error: {tmp_path / 'hub/README.md'} already exists; hubgen never overwrites "
        "files (move or delete them first)\n"
    )
    assert [p.name for p in (tmp_path / "hub").iterdir()] == ["README.md"]
    assert (tmp_path / "hub/README.md").read_text() == "mine"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timezone", "Mars/Base"], "'Mars/Base' is not an IANA time zone"),
        (["--site-url", "firms.example"], "--site-url 'firms.example' is not an http"),
        (["--organiser", "not a handle"], "'not a handle' is not a GitHub user name"),
    ],
)
def test_init_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert run("init", str(tmp_path / "x"), *args) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_new_partner_and_article_pass_check(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run("new", "partner", "kirkgate-hr", "--name", "Kirkgate HR", "--maintainer", "lucy-k") == 0
    )
    assert (
        run("new", "article", "Fair disciplinary process: 7 steps", "--author", "kirkgate-hr") == 0
    )
    out = capsys.readouterr().out
    assert "created partners/kirkgate-hr.yml\ncreated partners/kirkgate-hr/logo.svg\n" in out
    article = next((hub / "content/articles").glob("*-fair-disciplinary-process-7-steps.md"))
    assert f"created content/articles/{article.name}" in out
    profile = (hub / "partners/kirkgate-hr.yml").read_text()
    # Every field is explained: each key line is preceded by a comment.
    lines = profile.splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^[a-z_]+:", line):
            assert lines[index - 1].startswith("#"), line
    assert "status: pending" in profile
    assert "draft: true" in article.read_text()
    assert run("check") == 0
    todo = "(write the real text before an organiser sets 'status: active')"
    assert capsys.readouterr().out.splitlines() == [
        "partners/kirkgate-hr.yml:10:10: warning: tagline: is still a placeholder: "
        f"'TODO: what you do and for whom, in one line' {todo}",
        "partners/kirkgate-hr.yml:31:5: warning: services[0]: is still a placeholder: "
        f"'TODO: your main service' {todo}",
        "partners/kirkgate-hr.yml:41:6: warning: bio: is still a placeholder: "
        f"'TODO: two short paragraphs about the firm, written as 'we'.' {todo}",
        "partners/kirkgate-hr.yml:46:16: warning: ideal_client.who_we_help: is still a "
        f"placeholder: 'TODO: the clients you serve best' {todo}",
        "partners/kirkgate-hr.yml:47:21: warning: ideal_client.how_to_spot_them: is still a "
        f"placeholder: 'TODO: what partners should listen for' {todo}",
    ]


def test_placeholders_are_errors_once_the_partner_is_active(
    hub: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("new", "partner", "kirkgate-hr") == 0
    profile = hub / "partners/kirkgate-hr.yml"
    profile.write_text(profile.read_text().replace("status: pending", "status: active"))
    capsys.readouterr()
    assert run("check") == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    assert lines[0] == (
        "partners/kirkgate-hr.yml:10:10: error: tagline: is still a placeholder: 'TODO: what you "
        "do and for whom, in one line' (write the real text: this partner is active, so it is "
        "published)"
    )


def test_new_refuses_to_overwrite_and_bad_arguments(
    hub: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("new", "partner", "example-accounting") == 2
    assert capsys.readouterr().err == (
        f"hubgen: error: {hub / 'partners/example-accounting.yml'}, "
        f"{hub / 'partners/example-accounting/logo.svg'} already exist; hubgen never overwrites "
        "files (move or delete them first)\n"
    )
    assert run("new", "partner", "Big Co") == 2
    assert (
        "'Big Co' cannot be a partner slug: use lowercase letters, digits and hyphens, e.g. big-co"
        in (capsys.readouterr().err)
    )
    assert run("new", "partner", "page") == 2
    assert "'page' cannot be a partner slug (that name is reserved)" in capsys.readouterr().err
    assert run("new", "article", "Hello", "--author", "nobody") == 2
    assert (
        "unknown partner 'nobody' (known partners: example-accounting)" in capsys.readouterr().err
    )
    assert run("new", "article", "Twice", "--author", "example-accounting") == 0
    assert run("new", "article", "Twice", "--author", "example-accounting") == 2
    assert "already exists; hubgen never overwrites files" in capsys.readouterr().err


def test_codeowners_from_maintainers(hub: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("codeowners", "--check") == 0
    assert (
        run("new", "partner", "kirkgate-hr", "--maintainer", "lucy-k", "--maintainer", "@Sam-P")
        == 0
    )
    assert run("codeowners", "--check") == 1
    assert "out of date: run hubgen codeowners" in capsys.readouterr().err
    assert run("codeowners") == 0
    rules = [
        line
        for line in (hub / ".github/CODEOWNERS").read_text().splitlines()
        if not line.startswith("#")
    ]
    assert rules == [
        "* @claire-h",
        "/partners/example-accounting.yml @claire-h",
        "/partners/example-accounting/ @claire-h",
        "/partners/kirkgate-hr.yml @claire-h @lucy-k @Sam-P",
        "/partners/kirkgate-hr/ @claire-h @lucy-k @Sam-P",
    ]
    assert run("codeowners", "--check") == 0
    assert run("codeowners", "--organiser", "ann", "--organiser", "bo") == 0
    assert (hub / ".github/CODEOWNERS").read_text().count("* @ann @bo\n") == 1
    (hub / ".github/CODEOWNERS").unlink()
    capsys.readouterr()
    assert run("codeowners") == 2
    assert "name at least one organiser" in capsys.readouterr().err


# -- the generated workflows ----------------------------------------------------------------


def workflows(hub: Path) -> dict[str, Any]:
    return {
        p.name: yaml.load(p.read_text(), Loader=yaml.BaseLoader)  # "on" stays a string
        for p in sorted((hub / ".github/workflows").glob("*.yml"))
    }


def test_workflows_follow_github_hardening(hub: Path) -> None:
    flows = workflows(hub)
    check, deploy = flows["check.yml"], flows["deploy.yml"]
    # A review can give the consent the gate waits for, so reviews run the checks again.
    assert check["on"] == {
        "pull_request": "",
        "pull_request_review": {"types": ["submitted", "dismissed"]},
    }
    assert set(deploy["on"]) == {"push", "schedule", "workflow_dispatch"}
    for flow in flows.values():
        assert flow["permissions"] == {"contents": "read"}
        for job in flow["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert step.get("with", {}).get("persist-credentials", "false") == "false"
                if "run" in step:
                    assert "${{" not in step["run"], step["run"]
    assert "permissions" not in deploy["jobs"]["build"]
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "permissions" not in check["jobs"]["check"]
    assert check["jobs"]["ownership"]["permissions"] == {
        "contents": "read",
        "pull-requests": "read",
    }
    text = "\n".join(p.read_text() for p in (hub / ".github/workflows").glob("*.yml"))
    assert "pull_request_target" not in text.replace("never `pull_request_target`", "")
    uses = re.findall(r"uses: (.+)$", text, re.MULTILINE)
    assert uses and all(ACTION_PIN_RE.match(u) for u in uses), uses
    gate = check["jobs"]["ownership"]["steps"]
    assert gate[0]["with"] == {
        "ref": "${{ github.event.pull_request.base.sha }}",
        "path": "base",
        "persist-credentials": "false",
    }
    assert "--requirement base/requirements.txt" in gate[3]["run"]
    # The reviews are read with the job's read-only token; the gate step itself gets no token.
    assert gate[4]["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert gate[4]["run"].startswith('gh api --paginate --slurp "repos/$REPOSITORY/pulls/$NUMBER/')
    assert gate[4]["run"].rstrip().endswith('> "$RUNNER_TEMP/reviews.json"')
    assert gate[5]["env"]["AUTHOR"] == "${{ github.event.pull_request.user.login }}"
    assert "GH_TOKEN" not in gate[5]["env"]
    assert '--approvals "$RUNNER_TEMP/reviews.json"' in gate[5]["run"]
    # How the gate step runs is tested by running it: tests/test_gate_attacks.py.


def zizmor(target: Path) -> list[dict[str, Any]]:
    exe = Path(sys.executable).parent / "zizmor"
    command = [str(exe) if exe.exists() else shutil.which("zizmor") or "zizmor"]
    result = subprocess.run(
        [*command, "--offline", "--no-ignores", "--strict-collection", "--persona", "auditor",
         "--format", "json", str(target)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode in (0, 11, 12, 13, 14), result.stderr  # 1x: findings of a severity
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


def test_zizmor_finds_nothing_in_the_generated_workflows(hub: Path) -> None:
    findings = zizmor(hub / ".github")
    assert [(f["ident"], f["desc"]) for f in findings] == []


def test_zizmor_would_catch_a_dangerous_workflow(hub: Path) -> None:
    """The linter really runs: the classic pwn-request pattern is caught."""
    flow = hub / ".github/workflows/check.yml"
    text = flow.read_text().replace("  pull_request:\n", "  pull_request_target:\n")
    text = text.replace(
        'run: |\n          "$RUNNER_TEMP/hubgen/bin/hubgen" check --format github --base "$BASE_SHA"',
        'run: echo "${{ github.event.pull_request.title }}"',
    )
    flow.write_text(text)
    idents = {f["ident"] for f in zizmor(hub / ".github")}
    assert {"dangerous-triggers", "template-injection"} <= idents


# -- end to end -----------------------------------------------------------------------------


def test_new_hub_end_to_end(
    hub: Path, build_site: Callable[[Path], Site], capsys: pytest.CaptureFixture[str]
) -> None:
    """init, a partner and an article with `new`, filled in as a partner would, then a build."""
    assert (
        run("new", "partner", "kirkgate-hr", "--name", "Kirkgate HR", "--maintainer", "lucy-k") == 0
    )
    profile = hub / "partners/kirkgate-hr.yml"
    text = profile.read_text().replace("status: pending", "status: active")
    for todo, real in {
        "TODO: what you do and for whom, in one line": "HR support for small employers",
        "TODO: your main service": "HR advice",
        "TODO: two short paragraphs about the firm, written as 'we'.": "We are HR people.",
        "TODO: the clients you serve best": "Employers with 5 to 50 staff.",
        "TODO: what partners should listen for": "They mention a difficult employee.",
    }.items():
        text = text.replace(todo, real)
    profile.write_text(text)
    assert run("new", "article", "Fair disciplinary process", "--author", "kirkgate-hr",
               "--author", "example-accounting", "--topic", "HR policies") == 0  # fmt: skip
    article = next((hub / "content/articles").glob("*-fair-disciplinary-process.md"))
    article.write_text(
        article.read_text()
        .replace("draft: true", "")
        .replace(
            "## A first subheading",
            "## Investigate first\n\nSee [how we work](#investigate-first).",
        )
    )
    capsys.readouterr()
    assert run("check") == 0
    assert capsys.readouterr().out == ""
    site = build_site(hub / "mkdocs.yml")
    home = site.page("/")
    name = home.select_one(".hg-hero__name")
    assert name is not None and name.get_text(strip=True) == "Leeds Firms"
    assert home.h1 is not None and "independent firms" in home.h1.get_text()
    titles = [a.get_text(strip=True) for a in home.select("a[href*='articles/']")]
    assert "Fair disciplinary process" in titles and "How this network works" in titles
    page = site.page("/articles/fair-disciplinary-process/")
    assert page.h1 is not None and page.h1.get_text(strip=True) == "Fair disciplinary process"
    text = page.get_text(" ", strip=True)
    assert "Kirkgate HR" in text and "Example Accounting" in text
    assert page.find(id="investigate-first") is not None
    partner = site.page("/partners/kirkgate-hr/")
    assert partner.h1 is not None and partner.h1.get_text(strip=True) == "Kirkgate HR"
    assert site.exists("/partners/kirkgate-hr/logo.svg")
    assert site.exists("/write-for-the-network/")
    manifest = json.loads(site.path("/hub.json").read_text())
    assert {p["slug"] for p in manifest["partners"]} == {"example-accounting", "kirkgate-hr"}


def test_readme_lists_the_branch_protection_the_gate_relies_on(hub: Path) -> None:
    """Without these settings an approved pull request could be changed before it is merged."""
    readme = " ".join((hub / "README.md").read_text().split())
    for setting in (
        "requires review from Code Owners",
        "dismisses stale pull request approvals when new commits are pushed",
        "requires approval of the most recent reviewable push",
        'requires the status checks "Ownership gate" and "hubgen check" to pass',
        "has nobody on its bypass list",
    ):
        assert setting in readme, setting
    lines = (hub / ".github/CODEOWNERS").read_text().splitlines()
    codeowners = " ".join(" ".join(line.lstrip("# ") for line in lines).split())
    assert '"Dismiss stale pull request approvals when new commits are pushed"' in codeowners
