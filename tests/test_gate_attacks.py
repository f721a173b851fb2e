"""The ownership gate against what a semi-trusted partner might try, in real git repositories.

Each change is a branch committed as one partner's maintainer; the gate judges it as the
pull-request workflow does (``--ownership-only``, rules from the base, approvals from GitHub's
list of the pull request's reviews).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hubkit import FIXTURES, HubDir

from hubgen.cli import main

ORGANISER = "claire-organiser"
NEW_ARTICLE = "---\ntitle: New\ndate: 2025-08-01\nauthors: [{authors}]\n---\nText.\n"
NEW = "content/articles/2025-08-01-new.md"
CASH = "content/articles/2025-07-01-cash.md"  # by acme
HIRING = "content/articles/2025-03-01-hiring-right.md"  # by brightside and acme
SHA_RE = re.compile(r"\b[0-9a-f]{40}\b")


class Repo(HubDir):
    """A hub in a git repository: ``main`` as the organisers left it, changes on branches."""

    def git(self, *args: str, login: str = ORGANISER) -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": login,
            "GIT_AUTHOR_EMAIL": f"{login}@example.com",
            "GIT_COMMITTER_NAME": login,
            "GIT_COMMITTER_EMAIL": f"{login}@example.com",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        result = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return result.stdout.strip()

    def commit(self, login: str, message: str = "change") -> str:
        self.git("add", "-A", login=login)
        self.git("commit", "-q", "--allow-empty", "-m", message, login=login)
        return self.git("rev-parse", "HEAD")

    def branch(self, name: str) -> None:
        self.git("checkout", "-q", "-b", name)

    def sha(self, ref: str = "HEAD") -> str:
        return self.git("rev-parse", ref)


def review(login: str, state: str, commit: str) -> dict[str, Any]:
    """One review as GitHub's REST API lists it (the fields the gate reads, and some it does not)."""
    return {
        "id": abs(hash((login, state, commit))) % 10**8,
        "user": {"login": login, "type": "User"},
        "body": "",
        "state": state,
        "commit_id": commit,
        "submitted_at": "2026-12-01T10:00:00Z",
        "author_association": "COLLABORATOR",
    }


class Gate:
    """Runs ``hubgen check --ownership-only`` on the checked-out branch of ``repo``."""

    def __init__(self, repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.repo, self.tmp_path, self.capsys = repo, tmp_path, capsys

    def __call__(
        self, author: str, *reviews: dict[str, Any], extra: tuple[str, ...] = ()
    ) -> tuple[int, list[str]]:
        self.capsys.readouterr()
        args = ["check", "-f", str(self.repo.root / "mkdocs.yml"), "--ownership-only"]
        args += ["--author-of-change", author, "--base", "main", *extra]
        if reviews:
            file = self.tmp_path / "reviews.json"
            # `gh api --paginate --slurp` writes a list of pages: one page per 30 reviews.
            file.write_text(json.dumps([list(reviews)]))
            args += ["--approvals", str(file)]
        code = main(args)
        return code, self.capsys.readouterr().out.splitlines()


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """The fixture hub with maintainers for every partner and an organiser, committed on main."""
    hub = Repo(tmp_path / "hub")
    shutil.copytree(FIXTURES / "minihub", hub.root, ignore=shutil.ignore_patterns(".hubgen-cache"))
    hub.write(".github/CODEOWNERS", f"* @{ORGANISER}\n")
    hub.edit("partners/brightside.yml", "joined:", "maintainers: [bob-b]\njoined:")
    hub.edit("partners/newco.yml", "joined:", "maintainers: [nina-n]\njoined:")
    hub.git("init", "-q", "-b", "main")
    hub.commit(ORGANISER, "base")
    return hub


@pytest.fixture
def gate(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Gate:
    return Gate(repo, tmp_path, capsys)


ASK_BOB = (
    "ask @bob-b or @claire-organiser to approve this pull request; the check passes once they "
    "have, and each new push needs a new approval"
)


# -- co-authors ---------------------------------------------------------------------------------


def test_naming_a_co_author_needs_their_consent(repo: Repo, gate: Gate) -> None:
    repo.branch("acme-new-article")
    repo.write(NEW, NEW_ARTICLE.format(authors="acme, brightside"))
    head = repo.commit("jane-doe")
    refused = [
        f"{NEW}:4:1: error: authors: adding brightside to the authors needs an approving review "
        f"from a maintainer of brightside (@bob-b) or an organiser ({ASK_BOB})"
    ]
    assert gate("@jane-doe") == (1, refused)
    assert gate("@jane-doe", review("bob-b", "APPROVED", head)) == (0, [])
    assert gate("@jane-doe", review(ORGANISER, "APPROVED", head)) == (0, [])
    # Approvals that do not carry brightside's consent, or no longer stand, change nothing.
    assert gate("@jane-doe", review("mallory", "APPROVED", head)) == (1, refused)
    assert gate("@jane-doe", review("nina-n", "APPROVED", head)) == (1, refused)
    assert gate("@jane-doe", review("bob-b", "COMMENTED", head)) == (1, refused)
    withdrawn = (review("bob-b", "APPROVED", head), review("bob-b", "CHANGES_REQUESTED", head))
    assert gate("@jane-doe", *withdrawn) == (1, refused)
    dismissed = (review("bob-b", "APPROVED", head), review("bob-b", "DISMISSED", head))
    assert gate("@jane-doe", *dismissed) == (1, refused)
    # A comment after an approval does not withdraw it (as on GitHub).
    commented = (review("BOB-B", "APPROVED", head), review("bob-b", "COMMENTED", head))
    assert gate("@jane-doe", *commented) == (0, [])


def test_an_approval_of_an_earlier_push_does_not_count(repo: Repo, gate: Gate) -> None:
    repo.branch("acme-co-author")
    repo.write(NEW, NEW_ARTICLE.format(authors="acme, brightside"))
    first = repo.commit("jane-doe")
    assert gate("@jane-doe", review("bob-b", "APPROVED", first))[0] == 0
    repo.write(NEW, NEW_ARTICLE.format(authors="acme, brightside").replace("Text.", "Changed."))
    repo.commit("jane-doe", "after the approval")
    code, lines = gate("@jane-doe", review("bob-b", "APPROVED", first))
    assert code == 1
    assert [line.split(": error: ")[1].rsplit(" (ask ", 1)[0] for line in lines] == [
        "authors: adding brightside to the authors needs an approving review from a maintainer "
        "of brightside (@bob-b) or an organiser"
    ]


def test_adding_a_co_author_to_an_existing_article(repo: Repo, gate: Gate) -> None:
    repo.branch("acme-cash")
    repo.edit(CASH, "authors: [acme]", "authors: [acme, brightside, newco/nina]")
    head = repo.commit("jane-doe")
    code, lines = gate("@jane-doe")
    assert code == 1
    assert lines == [
        f"{CASH}:4:1: error: authors: adding brightside to the authors needs an approving review "
        f"from a maintainer of brightside (@bob-b) or an organiser ({ASK_BOB})",
        f"{CASH}:4:1: error: authors: adding newco to the authors needs an approving review from "
        "a maintainer of newco (@nina-n) or an organiser (ask @claire-organiser or @nina-n to "
        "approve this pull request; the check passes once they have, and each new push needs a "
        "new approval)",
    ]
    code, lines = gate("@jane-doe", review("bob-b", "APPROVED", head))
    assert code == 1
    assert [line.split(": ")[3].split(" needs ")[0] for line in lines] == [
        "adding newco to the authors"
    ]
    both = (review("bob-b", "APPROVED", head), review("nina-n", "APPROVED", head))
    assert gate("@jane-doe", *both) == (0, [])


def test_re_attributing_an_article_to_another_partner(repo: Repo, gate: Gate) -> None:
    """acme gives its article to brightside: brightside would get the byline and the leads."""
    repo.branch("acme-gives-away")
    repo.edit(CASH, "authors: [acme]", "authors: [brightside]")
    head = repo.commit("jane-doe")
    assert gate("@jane-doe") == (
        1,
        [
            f"{CASH}:4:1: error: authors: adding brightside to the authors needs an approving "
            f"review from a maintainer of brightside (@bob-b) or an organiser ({ASK_BOB})"
        ],
    )
    assert gate("@jane-doe", review("bob-b", "APPROVED", head)) == (0, [])


def test_re_attributing_to_a_partner_without_maintainers(repo: Repo, gate: Gate) -> None:
    repo.branch("acme-to-oldco")
    repo.edit(CASH, "authors: [acme]", "authors: [oldco]")
    head = repo.commit("jane-doe")
    assert gate("@jane-doe") == (
        1,
        [
            f"{CASH}:4:1: error: authors: adding oldco to the authors needs an approving review "
            "from an organiser (ask @claire-organiser to approve this pull request; the check "
            "passes once they have, and each new push needs a new approval)"
        ],
    )
    assert gate("@jane-doe", review(ORGANISER, "APPROVED", head)) == (0, [])


def test_removing_a_co_author_needs_their_consent(repo: Repo, gate: Gate) -> None:
    repo.branch("acme-drops-brightside")
    repo.edit(HIRING, "authors: [brightside, acme]", "authors: [acme]")
    head = repo.commit("jane-doe")
    assert gate("@jane-doe") == (
        1,
        [
            f"{HIRING}:4:1: error: authors: removing brightside from the authors needs an "
            f"approving review from a maintainer of brightside (@bob-b) or an organiser "
            f"({ASK_BOB})"
        ],
    )
    assert gate("@jane-doe", review("bob-b", "APPROVED", head)) == (0, [])


def test_a_co_author_may_remove_itself_and_edit_the_text(repo: Repo, gate: Gate) -> None:
    repo.branch("brightside-leaves")
    repo.edit(HIRING, "authors: [brightside, acme]", "authors: [brightside]")
    repo.commit("jane-doe")
    assert gate("@jane-doe") == (0, [])
    repo.edit(HIRING, "authors: [brightside]", "authors: [brightside, acme/jane]")
    repo.edit(HIRING, "carefully", "with care")
    repo.commit("jane-doe")
    assert gate("@jane-doe") == (0, [])  # back to the authors on main, person-level byline


def test_deleting_a_co_written_article_needs_the_co_authors_consent(repo: Repo, gate: Gate) -> None:
    repo.branch("acme-deletes")
    (repo.root / HIRING).unlink()
    (repo.root / CASH).unlink()  # acme's alone: acme may delete it
    head = repo.commit("jane-doe")
    assert gate("@jane-doe") == (
        1,
        [
            f"{HIRING}:1:1: error: authors: deleting this article, which brightside co-wrote, "
            f"needs an approving review from a maintainer of brightside (@bob-b) or an organiser "
            f"({ASK_BOB})"
        ],
    )
    assert gate("@jane-doe", review("bob-b", "APPROVED", head)) == (0, [])


def test_renaming_an_article_to_steal_it_is_still_refused(repo: Repo, gate: Gate) -> None:
    """Moving brightside's article to a new file naming only acme: the old file is brightside's."""
    future = repo.root / "content/articles/2099-01-01-future.md"
    text = future.read_text().replace("[brightside]", "[acme]")
    repo.branch("acme-renames")
    future.unlink()
    repo.write("content/articles/2099-01-01-mine.md", text)
    repo.commit("jane-doe")
    code, lines = gate("@jane-doe", review("bob-b", "COMMENTED", repo.sha()))
    assert code == 1
    assert lines == [
        "content/articles/2099-01-01-future.md:1:1: error: ownership: article by brightside (its "
        "authors on main); this change is by @jane-doe (maintainer of acme) (ask one of its "
        "authors or the hub's organisers to make this change)"
    ]


# -- organiser-owned fields ---------------------------------------------------------------------


def test_a_pending_partner_cannot_admit_itself(repo: Repo, gate: Gate) -> None:
    repo.branch("newco-activates")
    repo.edit("partners/newco.yml", "status: pending", "status: active")
    repo.commit("nina-n")
    base = ("--base", repo.sha("main"), "--base-name", "main")
    code, lines = gate("@nina-n", extra=base)
    assert code == 1
    assert lines == [
        "partners/newco.yml:3:9: error: status: only the hub's organisers set 'status'; it is "
        "'pending' on the main branch and this change makes it 'active' (put back 'status: "
        "pending'; an organiser changes it when admitting or retiring the firm)"
    ]
    # Deleting the line makes the partner active too (active is the default).
    repo.edit("partners/newco.yml", "status: active\n", "")
    repo.commit("nina-n")
    code, lines = gate("@nina-n", extra=base)
    assert code == 1
    assert lines[0].startswith(
        "partners/newco.yml:1:1: error: status: only the hub's organisers set 'status'; it is "
        "'pending' on the main branch and this change makes it 'active'"
    )


def test_a_pending_partner_cannot_publish_by_naming_an_active_co_author(
    repo: Repo, gate: Gate, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Even with acme's consent the article is held until newco is admitted."""
    repo.branch("newco-with-acme")
    repo.write(NEW, NEW_ARTICLE.format(authors="newco, acme"))
    head = repo.commit("nina-n")
    assert gate("@nina-n")[0] == 1
    assert gate("@nina-n", review("jane-doe", "APPROVED", head)) == (0, [])
    # Merged: the build leaves the article out and says why.
    out = tmp_path / "site"
    capsys.readouterr()
    assert main(["build", "-f", str(repo.root / "mkdocs.yml"), "-d", str(out)]) == 0
    summary = capsys.readouterr().out
    assert f"{NEW} (held)" in summary.split("not published: ", 1)[1]
    assert not (out / "articles/new/index.html").exists()
    assert "articles/new/" not in (out / "partners/acme/index.html").read_text()
    feeds = [p.read_text() for p in out.rglob("*") if p.suffix in (".xml", ".atom", ".json")]
    assert feeds and not any("articles/new/" in feed for feed in feeds)
    # Once an organiser admits newco, the same article is published.
    repo.edit("partners/newco.yml", "status: pending", "status: active")
    assert main(["build", "-q", "-f", str(repo.root / "mkdocs.yml"), "-d", str(out)]) == 0
    assert (out / "articles/new/index.html").is_file()


def test_joined_and_a_published_referral_code_are_the_organisers(repo: Repo, gate: Gate) -> None:
    repo.branch("acme-fields")
    repo.edit("partners/acme.yml", "joined: 2024-01-15", "joined: 2020-01-01")
    repo.edit("partners/acme.yml", "referral_code: acme-ref", "referral_code: brightside")
    repo.edit("partners/acme.yml", "Fixed fees.", "Fixed fees, always.")  # theirs to change
    repo.commit("jane-doe")
    assert gate("@jane-doe") == (
        1,
        [
            "partners/acme.yml:4:9: error: joined: only the hub's organisers set 'joined'; it is "
            "'2024-01-15' on main and this change makes it '2020-01-01' (put back 'joined: "
            "2024-01-15'; ask an organiser if it must change)",
            "partners/acme.yml:13:16: error: referral_code: a published referral code is kept, "
            "because shared referral links use it; it is 'acme-ref' on main and this change makes "
            "it 'brightside' (put back 'referral_code: acme-ref'; ask an organiser if it must "
            "change)",
        ],
    )
    repo.edit("partners/acme.yml", "referral_code: brightside\n", "")
    repo.edit("partners/acme.yml", "joined: 2020-01-01", 'joined: "2024-01-15"')  # same value
    repo.commit("jane-doe")
    code, lines = gate("@jane-doe")
    assert code == 1
    assert [line.split(": error: ")[1][:60] for line in lines] == [
        "referral_code: a published referral code is kept, because sh"
    ]
    assert "and this change makes it not set (put back 'referral_code: acme-ref';" in lines[0]


def test_a_partner_may_set_its_first_referral_code(repo: Repo, gate: Gate) -> None:
    repo.branch("brightside-code")
    repo.edit("partners/brightside.yml", "joined:", "referral_code: bright\njoined:")
    repo.commit("bob-b")
    assert gate("@bob-b") == (0, [])


def test_only_organisers_add_or_remove_partners(repo: Repo, gate: Gate) -> None:
    repo.branch("new-partner")
    repo.write("partners/globex.yml", "name: Globex\nstatus: active\nmaintainers: [jane-doe]\n")
    repo.write("partners/globex/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    repo.commit("jane-doe")
    by_slug = "this change is by partner 'globex'"
    hint = "(ask an organiser to add your firm (they run hubgen new partner))"
    assert gate("globex") == (
        1,
        [
            f"partners/globex.yml:1:1: error: ownership: 'globex' is not a partner on main; only "
            f"the hub's organisers add partners; {by_slug} {hint}",
            f"partners/globex/logo.svg:1:1: error: ownership: 'globex' is not a partner on main; "
            f"only the hub's organisers add partners; {by_slug} {hint}",
        ],
    )
    assert gate("@jane-doe")[0] == 1
    repo.git("checkout", "-q", "main")
    repo.branch("newco-leaves")
    (repo.root / "partners/newco.yml").unlink()
    repo.commit("nina-n")
    assert gate("@nina-n") == (
        1,
        [
            "partners/newco.yml:1:1: error: ownership: deletes the profile of newco; only the "
            "hub's organisers remove partners (put the file back; to leave the network, ask an "
            "organiser to set 'status: retired')"
        ],
    )


def test_organisers_may_change_anything(repo: Repo, gate: Gate) -> None:
    repo.branch("organiser")
    repo.edit("partners/newco.yml", "status: pending", "status: active")
    repo.edit("partners/acme.yml", "referral_code: acme-ref", "referral_code: acme2")
    repo.edit(CASH, "authors: [acme]", "authors: [brightside]")
    repo.write("partners/globex.yml", "name: Globex\n")
    repo.commit(ORGANISER)
    assert gate(f"@{ORGANISER}") == (0, [])


# -- bots ---------------------------------------------------------------------------------------


def test_a_bots_change_passes_with_an_organisers_approval(repo: Repo, gate: Gate) -> None:
    repo.branch("dependabot/pip/hubgen-9.9.9")
    repo.write("requirements.txt", "hubgen==9.9.9\n")
    repo.write(".github/workflows/check.yml", "on: pull_request\n")
    head = repo.commit("dependabot[bot]")
    message = (
        "error: ownership: a bot's change is hub-level and needs an approving review from an "
        "organiser (@claire-organiser); this change is by @dependabot[bot], a bot (an organiser "
        "reviews the change and approves the pull request; the check passes once they have)"
    )
    refused = [f".github/workflows/check.yml:1:1: {message}", f"requirements.txt:1:1: {message}"]
    assert gate("@dependabot[bot]") == (1, refused)
    assert gate("@dependabot[bot]", review("jane-doe", "APPROVED", head)) == (1, refused)
    assert gate("@dependabot[bot]", review(ORGANISER, "APPROVED", repo.sha("main"))) == (
        1,
        refused,
    )
    assert gate("@dependabot[bot]", review(ORGANISER, "APPROVED", head)) == (0, [])
    # Any GitHub App, not only Dependabot: a bot maintains no partner, whatever its files.
    repo.write("partners/acme/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    head = repo.commit("github-actions[bot]")
    code, lines = gate("@github-actions[bot]")
    assert code == 1 and len(lines) == 3
    assert lines[1].startswith("partners/acme/logo.svg:1:1: error: ownership: a bot's change")
    assert gate("@github-actions[bot]", review(ORGANISER, "APPROVED", head)) == (0, [])


# -- messages a partner can act on --------------------------------------------------------------


def test_yaml_errors_are_reported_as_yaml_errors(repo: Repo, gate: Gate) -> None:
    repo.branch("acme-typos")
    repo.edit(CASH, "title: Cash flow in summer", "title: Cash flow: summer")
    repo.write(NEW, "---\ntitle: New\nauthors: [acme\n---\nText.\n")
    repo.edit("partners/acme.yml", "tagline: Tax", "tagline: Tax: and")
    repo.commit("jane-doe")
    assert gate("@jane-doe") == (
        1,
        [
            f"{CASH}:2:17: error: invalid YAML: mapping values are not allowed here in the "
            "details at the top of the article, so its authors cannot be read (check indentation, "
            "colons and quotes)",
            f"{NEW}:4:1: error: invalid YAML: expected ',' or ']', but got '<stream end>' in the "
            "details at the top of the article, so its authors cannot be read (check indentation, "
            "colons and quotes)",
            "partners/acme.yml:2:13: error: invalid YAML: mapping values are not allowed here, so "
            "its organiser-owned fields (status, joined, referral_code) cannot be checked (check "
            "indentation, colons and quotes)",
        ],
    )


def test_a_colleague_missing_from_maintainers_is_told_what_to_do(repo: Repo, gate: Gate) -> None:
    repo.branch("colleague")
    repo.edit("partners/acme.yml", "Fixed fees.", "Fixed fees, always.")
    repo.edit(CASH, "Plan ahead.", "Plan well ahead.")
    repo.write(NEW, NEW_ARTICLE.format(authors="acme"))
    repo.commit("sam-acme")
    by = "this change is by @sam-acme, who maintains no partner on main"
    ask = "if you work for the firm, ask an organiser to add @sam-acme to 'maintainers' in"
    assert gate("@sam-acme") == (
        1,
        [
            f"{CASH}:1:1: error: ownership: article by acme (its authors on main); {by} ({ask} "
            "partners/acme.yml)",
            f"{NEW}:1:1: error: ownership: new article by someone who maintains no partner; {by} "
            f"({ask} partners/acme.yml)",
            f"partners/acme.yml:1:1: error: ownership: belongs to partner 'acme'; {by} ({ask} "
            "partners/acme.yml)",
        ],
    )


def test_messages_never_show_a_commit_sha(repo: Repo, gate: Gate) -> None:
    """The workflow passes the base as a SHA; a partner in the web editor cannot act on one."""
    repo.branch("many-problems")
    repo.edit("mkdocs.yml", "page_size: 2", "page_size: 3")
    repo.edit("partners/newco.yml", "status: pending", "status: active")
    repo.edit("content/articles/2024-05-05-leases.md", "authors: [oldco]", "authors: [newco]")
    repo.commit("nina-n")
    base = repo.sha("main")
    code, lines = gate("@nina-n", extra=("--base", base))
    assert code == 1 and len(lines) == 3
    assert not any(SHA_RE.search(line) for line in lines), lines
    assert "its authors on the base branch" in lines[0]
    code, lines = gate("@nina-n", extra=("--base", base, "--base-name", "main"))
    assert "it is 'pending' on the main branch" in lines[2]
    assert not any(SHA_RE.search(line) for line in lines), lines


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not JSON"),
        ('{"message": "Not Found"}', "is not a JSON list of reviews"),
    ],
)
def test_a_bad_reviews_file_is_a_usage_error(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    file = tmp_path / "reviews.json"
    file.write_text(content)
    args = ["check", "-f", str(repo.root / "mkdocs.yml"), "--ownership-only", "--base", "main"]
    assert main([*args, "--author-of-change", "acme", "--approvals", str(file)]) == 2
    assert message in capsys.readouterr().err
    assert main([*args[:3], "--approvals", str(file)]) == 2
    assert "--approvals is only used with --author-of-change" in capsys.readouterr().err
    assert main([*args, "--author-of-change", "acme", "--approvals", str(tmp_path / "no")]) == 2
    assert "cannot read the reviews file" in capsys.readouterr().err


def test_one_page_of_reviews_as_the_api_returns_it(repo: Repo, tmp_path: Path) -> None:
    repo.branch("acme-co-author")
    repo.write(NEW, NEW_ARTICLE.format(authors="acme, brightside"))
    head = repo.commit("jane-doe")
    file = tmp_path / "page.json"
    file.write_text(json.dumps([review("bob-b", "APPROVED", head)]))
    args = ["check", "-f", str(repo.root / "mkdocs.yml"), "--ownership-only", "--base", "main"]
    assert main([*args, "--author-of-change", "@jane-doe", "--approvals", str(file)]) == 0


# -- the workflow `hubgen init` writes ----------------------------------------------------------


def test_the_generated_gate_step_runs_as_tested(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run the gate step of check.yml with bash, as the runner would, on a real pull request."""
    hub = Repo(tmp_path / "network")
    assert main(["init", str(hub.root), "--organiser", "claire-h", "--name", "Leeds Firms"]) == 0
    monkeypatch.chdir(hub.root)
    assert main(["new", "partner", "kirkgate-hr", "--maintainer", "lucy-k"]) == 0
    hub.git("init", "-q", "-b", "main")
    hub.commit("claire-h", "the hub")
    hub.branch("kirkgate-article")
    hub.write(NEW, NEW_ARTICLE.format(authors="kirkgate-hr, example-accounting"))
    head = hub.commit("lucy-k")

    flow = yaml.load((hub.root / ".github/workflows/check.yml").read_text(), Loader=yaml.BaseLoader)
    steps = flow["jobs"]["ownership"]["steps"]
    fetch = next(s for s in steps if "gh api" in s.get("run", ""))
    step = steps[steps.index(fetch) + 1]
    assert step["working-directory"] == "change"
    runner_temp = tmp_path / "runner"
    (runner_temp / "hubgen/bin").mkdir(parents=True)
    # The runner's venv holds the hubgen pinned on the base branch; here, the one under test.
    (runner_temp / "hubgen/bin/hubgen").symlink_to(Path(sys.executable).parent / "hubgen")
    event = {
        "github.event.pull_request.user.login": "lucy-k",
        "github.event.pull_request.base.sha": hub.sha("main"),
        "github.event.pull_request.base.ref": "main",
    }
    env = {
        name: event[re.fullmatch(r"\$\{\{ (.+) \}\}", value)[1]]  # type: ignore[index]
        for name, value in step["env"].items()
    }

    def run_step(reviews: list[dict[str, Any]]) -> subprocess.CompletedProcess[str]:
        # What the step before writes: `gh api --paginate --slurp …` (a list of pages).
        (runner_temp / "reviews.json").write_text(json.dumps([reviews]))
        return subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=hub.root,  # the pull request's commits, checked out in `change`
            env={**os.environ, **env, "RUNNER_TEMP": str(runner_temp)},
            capture_output=True,
            text=True,
            check=False,
        )

    refused = run_step([])
    assert refused.returncode == 1, refused.stderr
    assert refused.stdout.splitlines() == [
        f"::error file={NEW},line=4,col=1,title=hubgen error::authors: adding example-accounting "
        "to the authors needs an approving review from a maintainer of example-accounting "
        "(@claire-h) or an organiser (ask @claire-h to approve this pull request; the check "
        "passes once they have, and each new push needs a new approval)"
    ]
    approved = run_step([review("claire-h", "APPROVED", head)])
    assert approved.returncode == 0, approved.stdout + approved.stderr
    assert approved.stdout == ""


def test_taking_the_lead_of_a_co_written_article_needs_consent(repo: Repo, gate: Gate) -> None:
    """The first author leads: the article's image, brand and lead form are theirs."""
    repo.branch("acme-takes-the-lead")
    repo.edit(HIRING, "authors: [brightside, acme]", "authors: [acme, brightside]")
    head = repo.commit("jane-doe")
    assert gate("@jane-doe") == (
        1,
        [
            f"{HIRING}:4:1: error: authors: making acme the lead author instead of brightside "
            f"needs an approving review from a maintainer of brightside (@bob-b) or an organiser "
            f"({ASK_BOB})"
        ],
    )
    assert gate("@jane-doe", review("bob-b", "APPROVED", head)) == (0, [])
    repo.git("checkout", "-q", "main")
    repo.branch("brightside-gives-the-lead")
    repo.edit(HIRING, "authors: [brightside, acme]", "authors: [acme, brightside]")
    repo.commit("bob-b")
    assert gate("@bob-b") == (0, [])  # brightside's to give


def test_a_misspelt_co_author_is_named_as_such(repo: Repo, gate: Gate) -> None:
    repo.branch("acme-typo")
    repo.write(NEW, NEW_ARTICLE.format(authors='acme, brightsid, "x\\n::error::forged"'))
    repo.commit("jane-doe")
    hint = "(check the spelling: a partner's slug is the name of its profile file)"
    assert gate("@jane-doe") == (
        1,
        [
            f"{NEW}:4:1: error: authors: 'brightsid' is not one of the hub's partners, so it "
            f"cannot be an author {hint}",
            f"{NEW}:4:1: error: authors: 'x?::error::forged' is not one of the hub's partners, so "
            f"it cannot be an author {hint}",
        ],
    )
