"""Checking a change against its base branch in a real git repository: feed ids and ownership."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hubkit import FIXTURES, HubDir

from hubgen.cli import main
from hubgen.review.ownership import default_owners

NEW_ARTICLE = "---\ntitle: New\ndate: 2025-08-01\nauthors: [{authors}]\n---\nText.\n"


class Repo(HubDir):
    """The fixture hub committed on ``main``, with a ``change`` branch checked out."""

    def git(self, *args: str) -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        result = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return result.stdout

    def commit(self, message: str = "change") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def check(self, *args: str) -> int:
        return main(["check", "-f", str(self.root / "mkdocs.yml"), *args])


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    root = tmp_path / "hub"
    shutil.copytree(FIXTURES / "minihub", root)
    hub = Repo(root)
    hub.write(".github/CODEOWNERS", "* @claire-organiser\npartners/acme.yml @jane-doe\n")
    hub.git("init", "-q", "-b", "main")
    hub.commit("base")
    hub.git("checkout", "-q", "-b", "change")
    return hub


def out_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().out.splitlines()


# -- feed ids --------------------------------------------------------------------------------


def test_unchanged_hub_passes_against_its_base(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert repo.check("--base", "main") == 0
    assert out_lines(capsys) == []


def test_changed_slug_changes_the_default_feed_id(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.edit("content/articles/2025-07-01-cash.md", "summary:", "slug: summer-cash\nsummary:")
    repo.commit()
    assert repo.check("--base", "main") == 1
    assert out_lines(capsys) == [
        "content/articles/2025-07-01-cash.md:7:7: error: id: feed id changed from "
        "'https://mini.example/articles/cash/' (on main) to "
        "'https://mini.example/articles/summer-cash/' (feed readers would show the article again "
        "as new; add 'id: https://mini.example/articles/cash/')"
    ]


def test_changed_explicit_id_is_an_error_even_uncommitted(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.edit("content/articles/2025-03-01-hiring-right.md", "id: 6f1c", "id: 0000")
    assert repo.check("--base", "main") == 1
    assert out_lines(capsys) == [
        "content/articles/2025-03-01-hiring-right.md:7:5: error: id: feed id changed from "
        "'6f1c9a2e-1d7b-4c59-9a43-5b1f0c2d8e77' (on main) to "
        "'00009a2e-1d7b-4c59-9a43-5b1f0c2d8e77' (feed readers would show the article again as "
        "new; put back 'id: 6f1c9a2e-1d7b-4c59-9a43-5b1f0c2d8e77')"
    ]


def test_changed_site_url_changes_every_default_id(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.edit("mkdocs.yml", "https://mini.example/", "https://mini.example/blog/")
    assert repo.check("--base", "main") == 1
    lines = out_lines(capsys)
    assert len(lines) == 4  # leases, tax-basics, cash, phishing; hiring-right has its own id
    assert lines[0].startswith(
        "content/articles/2024-05-05-leases.md:1:1: error: id: feed id changed from "
        "'https://mini.example/articles/leases/' (on main) to "
        "'https://mini.example/blog/articles/leases/'"
    )


def test_renamed_article_keeps_its_id_or_is_warned_about(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = repo.root / "content/articles"
    (articles / "2025-03-01-hiring-right.md").rename(articles / "2025-03-01-hiring.md")
    repo.edit("content/articles/2025-01-10-tax-basics.md", "hiring-right.md", "hiring.md")
    (articles / "2025-07-01-cash.md").rename(articles / "2025-07-01-summer-cash.md")
    # Drafts and scheduled articles were never published: their ids are free to change.
    (articles / "2025-06-01-draft-idea.md").rename(articles / "2025-06-01-idea.md")
    (articles / "2099-01-01-future.md").rename(articles / "2099-01-01-later.md")
    repo.commit()
    assert repo.check("--base", "main") == 0
    assert out_lines(capsys) == [
        "content/articles/2025-07-01-cash.md:1:1: warning: id: the article published on main with "
        "feed id 'https://mini.example/articles/cash/' was removed or renamed (if you renamed it, "
        "add 'id: https://mini.example/articles/cash/' to the new file so that feed readers do "
        "not show it again as new)"
    ]


def test_base_must_be_a_commit(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert repo.check("--base", "nope") == 2
    assert f"'nope' is not a commit in {repo.root}" in capsys.readouterr().err
    assert repo.check("--base=--upload-pack=x") == 2
    assert "'--upload-pack=x' is not a git ref" in capsys.readouterr().err


def test_base_outside_a_repository_is_a_usage_error(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "-f", str(minihub.root / "mkdocs.yml"), "--base", "main"]) == 2
    assert "not a git repository" in capsys.readouterr().err


# -- ownership --------------------------------------------------------------------------------


def test_a_partner_may_change_its_own_files(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.edit("partners/acme.yml", "Fixed fees.", "Fixed fees, always.")
    repo.write("partners/acme/team.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    repo.edit("content/articles/2025-07-01-cash.md", "Plan ahead.", "Plan well ahead.")
    repo.edit("content/articles/2025-03-01-hiring-right.md", "carefully", "with care")  # co-author
    repo.write("content/articles/2025-08-01-new.md", NEW_ARTICLE.format(authors="acme/jane"))
    repo.write("content/articles/images/new-chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    repo.commit()
    assert repo.check("--author-of-change", "acme", "--base", "main") == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "checked 12 files: 0 errors, 0 warnings" in captured.err


def test_every_file_another_partner_or_the_hub_owns_is_one_error(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.edit("partners/brightside.yml", "We advise employers.", "We advise acme.")
    (repo.root / "partners/oldco/logo.svg").unlink()
    repo.edit("content/articles/2099-01-01-future.md", "Not yet.", "Acme wrote this.")
    repo.edit("content/articles/2024-05-05-leases.md", "authors: [oldco]", "authors: [oldco, acme]")
    repo.write("content/articles/2025-08-01-new.md", NEW_ARTICLE.format(authors="brightside"))
    repo.write("content/privacy.md", "# Privacy\n")
    repo.edit("mkdocs.yml", "page_size: 2", "page_size: 3")
    repo.write(".github/workflows/evil.yml", "on: push\n")
    repo.write("themes/main.html", "{% extends 'base.html' %}\n")
    repo.commit()
    assert repo.check("--author-of-change", "acme", "--base", "main", "--ownership-only") == 1
    by = "this change is by partner 'acme'"
    organisers = "(propose this change to the organisers separately)"
    captured = capsys.readouterr()
    assert "checked 9 changed files: 9 errors, 0 warnings" in captured.err
    assert captured.out.splitlines() == [
        f".github/workflows/evil.yml:1:1: error: ownership: hub-level file; only the hub's "
        f"organisers change it; {by} {organisers}",
        "content/articles/2024-05-05-leases.md:1:1: error: ownership: article by oldco (its "
        f"authors on main); {by} (ask one of its authors or the hub's organisers to make this "
        "change)",
        "content/articles/2025-08-01-new.md:1:1: error: ownership: new article does not list acme "
        f"in 'authors'; {by} (add your firm to 'authors', or ask the partners it names to "
        "propose it)",
        "content/articles/2099-01-01-future.md:1:1: error: ownership: article by brightside (its "
        f"authors on main); {by} (ask one of its authors or the hub's organisers to make this "
        "change)",
        f"content/privacy.md:1:1: error: ownership: hub-level file; only the hub's organisers "
        f"change it; {by} {organisers}",
        f"mkdocs.yml:1:1: error: ownership: hub-level file; only the hub's organisers change it; "
        f"{by} {organisers}",
        f"partners/brightside.yml:1:1: error: ownership: belongs to partner 'brightside'; {by} "
        "(only brightside's maintainers or the hub's organisers can change it)",
        f"partners/oldco/logo.svg:1:1: error: ownership: belongs to partner 'oldco'; {by} "
        "(only oldco's maintainers or the hub's organisers can change it)",
        f"themes/main.html:1:1: error: ownership: hub-level file; only the hub's organisers "
        f"change it; {by} {organisers}",
    ]


def test_moving_another_partners_article_away_touches_it(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = repo.root / "content/articles"
    text = (articles / "2099-01-01-future.md").read_text().replace("[brightside]", "[acme]")
    (articles / "2099-01-01-future.md").unlink()
    (articles / "2099-01-01-mine-now.md").write_text(text)
    repo.commit()
    assert repo.check("--author-of-change", "acme", "--base", "main", "--ownership-only") == 1
    assert out_lines(capsys) == [
        "content/articles/2099-01-01-future.md:1:1: error: ownership: article by brightside (its "
        "authors on main); this change is by partner 'acme' (ask one of its authors or the hub's "
        "organisers to make this change)"
    ]


def test_rules_come_from_the_base_not_from_the_change(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """The change makes jane-doe a maintainer of brightside and an organiser, and moves the
    partners folder: none of it counts, because the base says otherwise."""
    repo.edit("partners/brightside.yml", "joined:", "maintainers: [jane-doe]\njoined:")
    repo.write(".github/CODEOWNERS", "* @jane-doe\n")
    repo.edit("mkdocs.yml", "page_size: 2", "page_size: 2\n      partners_dir: people")
    repo.commit()
    assert repo.check("--author-of-change", "@Jane-Doe", "--base", "main", "--ownership-only") == 1
    by = "this change is by @jane-doe (maintainer of acme)"
    assert out_lines(capsys) == [
        f".github/CODEOWNERS:1:1: error: ownership: hub-level file; only the hub's organisers "
        f"change it; {by} (propose this change to the organisers separately)",
        f"mkdocs.yml:1:1: error: ownership: hub-level file; only the hub's organisers change it; "
        f"{by} (propose this change to the organisers separately)",
        f"partners/brightside.yml:1:1: error: ownership: belongs to partner 'brightside'; {by} "
        "(only brightside's maintainers or the hub's organisers can change it)",
    ]


def test_github_login_of_a_maintainer_and_of_an_organiser(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.edit("partners/acme.yml", "Fixed fees.", "Fixed fees, always.")
    repo.edit("mkdocs.yml", "page_size: 2", "page_size: 3")
    repo.commit()
    assert repo.check("--author-of-change", "@jane-doe", "--base", "main", "--ownership-only") == 1
    assert [line.split(": error: ")[0] for line in out_lines(capsys)] == ["mkdocs.yml:1:1"]
    assert (
        repo.check("--author-of-change", "@claire-organiser", "--base", "main", "--ownership-only")
        == 0
    )
    assert out_lines(capsys) == []
    assert repo.check("--author-of-change", "@stranger", "--base", "main", "--ownership-only") == 1
    assert out_lines(capsys) == [
        "mkdocs.yml:1:1: error: ownership: hub-level file; only the hub's organisers change it; "
        "this change is by @stranger, who maintains no partner on main (propose this change to "
        "the organisers separately)",
        "partners/acme.yml:1:1: error: ownership: belongs to partner 'acme'; this change is by "
        "@stranger, who maintains no partner on main (if you work for the firm, ask an organiser "
        "to add @stranger to 'maintainers' in partners/acme.yml)",
    ]


def test_explicit_files_and_full_check_together(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.edit("partners/brightside.yml", 'color: "#ffeb3b"', "color: nope")
    assert (
        repo.check("--author-of-change", "acme", "--base", "main", "partners/brightside.yml") == 1
    )
    assert out_lines(capsys) == [
        "partners/brightside.yml:1:1: error: ownership: belongs to partner 'brightside'; this "
        "change is by partner 'acme' (only brightside's maintainers or the hub's organisers can "
        "change it)",
        "partners/brightside.yml:5:8: error: color: 'nope' is not a colour "
        '(write a hex colour in quotes, e.g. "#0f766e")',
    ]


def test_github_format_for_ownership(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--author-of-change", "acme", "--base", "main", "--ownership-only", "mkdocs.yml")
    assert repo.check("--format", "github", *args) == 1
    assert out_lines(capsys) == [
        "::error file=mkdocs.yml,line=1,col=1,title=hubgen error::ownership: hub-level file; only "
        "the hub's organisers change it; this change is by partner 'acme' (propose this change "
        "to the organisers separately)"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--author-of-change", "acme"], "--author-of-change needs --base REF"),
        (["--ownership-only"], "--ownership-only needs --author-of-change"),
        (["mkdocs.yml"], "FILE arguments are only used with --author-of-change"),
        (
            ["--author-of-change", "Not A Slug", "--base", "main"],
            "--author-of-change expects a partner slug or @github-login but received: 'Not A Slug'",
        ),
        (
            ["--author-of-change", "acme", "--base", "main", "../outside.txt"],
            "'../outside.txt' is not a path inside the repository",
        ),
    ],
)
def test_change_usage_errors(
    repo: Repo, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert repo.check(*args) == 2
    assert message in capsys.readouterr().err


def test_ownership_only_never_loads_the_changes_mkdocs_yml(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """MkDocs' YAML loader constructs Python objects; the gate must not read the change's config."""
    repo.write("mkdocs.yml", "site_name: !!python/object/apply:os.getpid []\nplugins: [hubgen]\n")
    repo.commit()
    assert repo.check("--author-of-change", "acme", "--base", "main", "--ownership-only") == 1
    assert out_lines(capsys)[0].startswith("mkdocs.yml:1:1: error: ownership: hub-level file")


def test_hub_in_a_subfolder_of_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    top = tmp_path / "repo"
    shutil.copytree(FIXTURES / "minihub", top / "site-src")
    repo = Repo(top)
    repo.git("init", "-q", "-b", "main")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "change")
    repo.edit("site-src/partners/brightside.yml", "We advise employers.", "Hi.")
    repo.write("README.md", "# Repo\n")
    repo.commit()
    config = str(top / "site-src/mkdocs.yml")
    args = ["check", "-f", config, "--author-of-change", "brightside", "--base", "main"]
    assert main(args) == 1
    assert out_lines(capsys) == [
        "README.md:1:1: error: ownership: hub-level file; only the hub's organisers change it; "
        "this change is by partner 'brightside' (propose this change to the organisers separately)"
    ]


def test_default_owners_of_codeowners() -> None:
    text = "# organisers\n*   @Claire  @org/team # comment\n/docs/ @bob\n/* @dan\n"
    assert default_owners(text) == {"claire", "dan"}
