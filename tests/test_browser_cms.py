"""The browser editor, driven in Chromium against Decap's own local backend.

``decap-server`` (tests/quality, from the npm registry) runs in git mode on a copy of the demo
hub (the repository's mkdocs.yml, content/ and partners/) in a real git repository: a save in
the editorial workflow commits to a ``cms/<collection>/<slug>`` branch, as the GitHub backend
opens a pull request from one. The test then reads what was written,
runs ``hubgen check`` and the ownership gate on the branch as the pull-request workflow does,
merges, rebuilds and looks at the site.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from hubkit import REPO, build_hub, static_server

from hubgen.authoring.scaffold import hub_files
from hubgen.cli import main
from hubgen.cms.adminpage import COVER_ALT_MESSAGE

playwright = pytest.importorskip("playwright.sync_api")

DECAP_SERVER = REPO / "tests" / "quality" / "node_modules" / "decap-server" / "dist" / "index.js"
NODE = shutil.which("node")
ARTIFACTS = REPO / "test-artifacts" / "cms"
ORGANISER = "claire-organiser"

pytestmark = pytest.mark.skipif(
    NODE is None or not DECAP_SERVER.is_file(),
    reason="needs node and tests/quality's decap-server (npm ci --prefix tests/quality)",
)

# The editor is a maintainer of Kirkgate HR (partners/kirkgate-hr.yml: maintainers).
EDITOR_LOGIN = "lucyb-kirkgate"
OWN = "kirkgate-hr"
OTHER = "ledgerline"
PROFILE_COMMENT = "# Kirkgate HR's profile: the organisers review every change.\n"
INLINE_COMMENT = (
    "profession: HR consultant\n",
    "profession: HR consultant  # as on our letterhead\n",
)
BETWEEN_COMMENT = (
    "status: active\n",
    "# Lucy updates this page; Amir checks it.\nstatus: active\n",
)


def git(root: Path, *args: str, login: str = ORGANISER) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": login, "GIT_AUTHOR_EMAIL": f"{login}@example.com",
        "GIT_COMMITTER_NAME": login, "GIT_COMMITTER_EMAIL": f"{login}@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }  # fmt: skip
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def png(width: int = 64, height: int = 32) -> bytes:
    """A small valid PNG (a teal rectangle)."""
    raw = b"".join(b"\x00" + b"\x0f\x76\x6e" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


class Editor:
    """A hub in git, decap-server on it, its site built and served, Chromium on /admin/."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.hub = top / "hub"
        self.port = free_port()

    def setup(self) -> None:
        self.hub.mkdir()
        for folder in ("content", "partners"):
            shutil.copytree(REPO / folder, self.hub / folder)
        repo = "        repo: mainstreetcollective/hub\n"
        config = (REPO / "mkdocs.yml").read_text()
        assert repo in config, "the demo hub publishes the editor (mkdocs.yml: cms)"
        backend = f"        local_backend: http://127.0.0.1:{self.port}/api/v1\n"
        (self.hub / "mkdocs.yml").write_text(config.replace(repo, repo + backend))
        own = self.hub / "partners" / f"{OWN}.yml"
        text = own.read_text()
        for old, new in (INLINE_COMMENT, BETWEEN_COMMENT):
            assert old in text
            text = text.replace(old, new, 1)
        own.write_text(PROFILE_COMMENT + text)
        (self.hub / ".github").mkdir()
        (self.hub / ".github" / "CODEOWNERS").write_text(f"* @{ORGANISER}\n")
        (self.hub / ".gitignore").write_text(".hubgen-cache/\n")
        git(self.hub, "init", "-q", "-b", "main")
        git(self.hub, "add", "-A")
        git(self.hub, "commit", "-q", "-m", "base")

    @property
    def server_env(self) -> dict[str, str]:
        return {
            **os.environ, "MODE": "git", "GIT_REPO_DIRECTORY": str(self.hub),
            "PORT": str(self.port), "BIND_HOST": "127.0.0.1", "LOG_LEVEL": "warn",
            "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": EDITOR_LOGIN,
            "GIT_AUTHOR_EMAIL": "lucy@example.com", "GIT_COMMITTER_NAME": EDITOR_LOGIN,
            "GIT_COMMITTER_EMAIL": "lucy@example.com",
        }  # fmt: skip

    def branch_file(self, branch: str, path: str) -> str:
        return git(self.hub, "show", f"{branch}:{path}") + "\n"

    def branches(self) -> list[str]:
        return git(self.hub, "branch", "--format=%(refname:short)").split()

    def pull_request(self, branch: str, folder: Path) -> Path:
        """The branch checked out in a clone, as CI checks a pull request out: never in the
        served repository, whose checkout decap-server switches while it answers the editor."""
        git(folder.parent, "clone", "-q", "--no-checkout", str(self.hub), folder.name)
        git(folder, "checkout", "-q", "-B", "main", "origin/main")  # the base, as CI fetches it
        git(folder, "checkout", "-q", "-b", "change", f"origin/{branch}")
        return folder


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    editor = Editor(tmp_path_factory.mktemp("cms"))
    editor.setup()
    assert NODE is not None
    server = subprocess.Popen(
        [NODE, str(DECAP_SERVER)], env=editor.server_env, cwd=editor.hub,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(200):  # until it listens (a bounded wait, not a timing assertion)
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", editor.port)) == 0:
                    break
            time.sleep(0.05)
        yield editor
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def site(editor: Editor) -> Path:
    build_hub(editor.hub, editor.top / "site")
    return editor.top / "site"


class Session:
    """One page on /admin/, logged in to the local backend, every request recorded."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("request", lambda request: self.requests.append(request.url))
        # "Leave with unsaved changes?": yes (a refused save leaves the entry unsaved).
        self.page.on("dialog", lambda dialog: dialog.accept())
        # A shared machine gzips 6 MB of CMS JavaScript per request: generous, bounded waits.
        self.page.set_default_timeout(90_000)
        self.page.goto(base + "admin/", wait_until="domcontentloaded")
        self.page.get_by_role("button", name="Login").click()

    def open(self, fragment: str) -> Any:
        self.page.goto(self.base + "admin/#/collections/" + fragment)
        first = "Firm name" if fragment.startswith("partners/") else "Title"
        self.page.get_by_label(first, exact=True).wait_for()
        # The entry loads after the form shows (typing before would be lost); the preview pane
        # renders it once loaded.
        self.page.frame_locator("iframe").first.locator("body *").first.wait_for(state="attached")
        return self.page

    def save(self) -> None:
        self.page.get_by_role("button", name="Save", exact=True).click()

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        # Animations finished: a toast sliding in is shown where it comes to rest.
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), animations="disabled")


@pytest.fixture
def session(browser: Any, site: Path) -> Iterator[Session]:
    with static_server(site) as base:
        session = Session(browser, base)
        yield session
        # blob: and data: URLs are the page's own memory (uploaded images), not requests out.
        origins = {urlsplit(u)[:2] for u in session.requests if u.startswith(("http:", "https:"))}
        local = {urlsplit(base)[:2], ("http", f"127.0.0.1:{urlsplit(base).port}")}
        # Nothing but the hub itself and the local backend: no CDN, font or analytics request.
        assert origins - local <= {("http", session_backend(site))}, origins
        session.page.close()


def session_backend(site: Path) -> str:
    config = yaml.safe_load((site / "admin" / "config.yml").read_text())
    netloc: str = urlsplit(config["local_backend"]["url"]).netloc
    return netloc


NEW_TAGLINE = "HR support for small teams across West Yorkshire"


def test_a_partner_edits_its_tagline_and_gets_a_pull_request_branch(
    editor: Editor, session: Session, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = f"partners/{OWN}.yml"
    before = (editor.hub / path).read_text()
    page = session.open(f"partners/entries/{OWN}")
    page.get_by_label("Tagline").fill(NEW_TAGLINE)
    session.shot("partner-form-1280")
    session.save()
    page.get_by_text("Entry saved").wait_for()
    branch = f"cms/partners/{OWN}"
    assert branch in editor.branches()
    written = editor.branch_file(branch, path)
    expected = yaml.safe_load(before)
    expected["tagline"] = NEW_TAGLINE
    # Exactly the fields entered: every other field parses to what it was.
    assert yaml.safe_load(written) == expected
    # The rest of the file is left as it was, its comments included: only the tagline's line
    # differs (hubgen-formats.js rewrites the changed value in place; Decap's own writer would
    # print the whole file afresh without its comments).
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), written.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [
        ('tagline: "Outsourced HR for growing teams: policies, people problems and payroll"',
         f'tagline: "{NEW_TAGLINE}"'),
    ]  # fmt: skip
    assert written == before.replace(changed[0][0], changed[0][1])
    assert written.startswith(PROFILE_COMMENT)
    assert INLINE_COMMENT[1] in written and BETWEEN_COMMENT[1] in written
    assert editor.branch_file("main", path) == before  # main is untouched
    # hubgen check and the gate, as the pull-request workflow runs them, pass the change.
    change = editor.pull_request(branch, tmp_path / "change")
    monkeypatch.chdir(change)  # the gate reads the repository it runs in
    assert main(["check", "-f", str(change / "mkdocs.yml")]) == 0
    gate = ["check", "-f", str(change / "mkdocs.yml"), "--ownership-only"]
    assert main([*gate, "--author-of-change", f"@{EDITOR_LOGIN}", "--base", "main"]) == 0


def gate_step(tmp_path: Path) -> dict[str, Any]:
    """The ownership gate's step of the pull-request workflow ``hubgen init`` writes."""
    files = hub_files(tmp_path / "new", "X", "https://x.example/", ORGANISER, "UTC", date.today())
    flow = yaml.load(files[tmp_path / "new/.github/workflows/check.yml"], Loader=yaml.BaseLoader)
    steps = flow["jobs"]["ownership"]["steps"]
    fetch = next(s for s in steps if "gh api" in s.get("run", ""))
    step: dict[str, Any] = steps[steps.index(fetch) + 1]
    return step


def test_editing_another_partners_profile_is_refused_by_the_gate(
    editor: Editor, session: Session, tmp_path: Path
) -> None:
    page = session.open(f"partners/entries/{OTHER}")
    page.get_by_label("Tagline").fill("Cheap accounts: ask Kirkgate HR")
    session.save()
    page.get_by_text("Entry saved").wait_for()
    # The pull request the GitHub backend would open from this branch, judged as CI judges it.
    step = gate_step(tmp_path)
    runner_temp = tmp_path / "runner"
    (runner_temp / "hubgen/bin").mkdir(parents=True)
    (runner_temp / "hubgen/bin/hubgen").symlink_to(Path(sys.executable).parent / "hubgen")
    (runner_temp / "reviews.json").write_text("[[]]")
    event = {
        "github.event.pull_request.user.login": EDITOR_LOGIN,  # Kirkgate HR's maintainer
        "github.event.pull_request.base.sha": git(editor.hub, "rev-parse", "main"),
        "github.event.pull_request.base.ref": "main",
    }
    env = {
        name: event[re.fullmatch(r"\$\{\{ (.+) \}\}", value)[1]]  # type: ignore[index]
        for name, value in step["env"].items()
    }
    change = editor.pull_request(f"cms/partners/{OTHER}", tmp_path / "change")
    assert git(change, "diff", "--name-only", "main", "HEAD") == f"partners/{OTHER}.yml"
    run = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=change, capture_output=True, text=True,
        env={**os.environ, **env, "RUNNER_TEMP": str(runner_temp)}, check=False,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines() == [
        f"::error file=partners/{OTHER}.yml,line=1,col=1,title=hubgen error::ownership: "
        f"belongs to partner '{OTHER}'; this change is by @{EDITOR_LOGIN} (maintainer of {OWN}) "
        f"(only {OTHER}'s maintainers or the hub's organisers can change it)"
    ]


def select_input(page: Any, label: str) -> Any:
    """The text input of a choice list (react-select) under its label."""
    return page.get_by_label(label, exact=True)


def type_into(select: Any, text: str) -> None:
    """Type ``text`` into a choice list's input, and wait until it holds it: on a busy machine
    keys pressed while react-select re-renders the input were lost (CI, 2026-12-02)."""
    for _ in range(3):
        select.click()
        if select.input_value():  # clearing an empty input would remove the last value picked
            select.fill("")
        select.press_sequentially(text)
        try:
            playwright.expect(select).to_have_value(text, timeout=5_000)
            return
        except AssertionError:
            continue
    playwright.expect(select).to_have_value(text)


def test_invalid_values_are_refused_in_the_form_with_hubgens_message(session: Session) -> None:
    page = session.open("partners/entries/tandem-marketing")
    colour = page.get_by_label("Brand colour")
    colour.fill("red")
    session.save()
    page.get_by_text('write a hex colour in quotes, e.g. "#0f766e"').wait_for()
    session.shot("partner-invalid-colour-1280")
    page = session.open("articles/new")
    authors = select_input(page, "Authors")
    # Only the hub's partners and their people can be picked: an unknown author has no option.
    type_into(authors, "castlegate-cyber/")
    playwright.expect(page.get_by_role("option")).to_have_count(1, timeout=15_000)  # Nadia
    type_into(authors, "nobody")
    playwright.expect(page.get_by_role("option")).to_have_count(0, timeout=15_000)


def test_a_partner_writes_an_article_with_a_cover_and_two_authors(
    editor: Editor, session: Session, site: Path, tmp_path: Path,
) -> None:  # fmt: skip
    page = session.open("articles/new")
    page.get_by_label("Title").fill("Payroll in a week")
    page.get_by_label("Date", exact=True).fill("2025-08-01T09:30")
    authors = select_input(page, "Authors")
    for author in (f"{OWN}/lucy", "pixel-and-pine"):
        type_into(authors, author)
        # Enter picks the first option shown (the firm itself comes before its people).
        page.get_by_role("option").first.wait_for(timeout=15_000)
        authors.press("Enter")
    page.get_by_label("Summary").fill("Run payroll without the stress.")
    cover = tmp_path / "payroll-cover.png"
    cover.write_bytes(png())
    page.get_by_role("button", name="Choose an image").first.click()
    page.locator("input[type=file]").set_input_files(str(cover))
    page.get_by_role("button", name="Choose selected").click()
    body = page.locator("[data-slate-editor]").first
    body.click()
    page.keyboard.type("First, know your pay dates.")
    # Without alt text the save is refused, with hubgen's message.
    session.save()
    page.get_by_text(COVER_ALT_MESSAGE).wait_for()
    session.shot("article-refused-1280")
    page.get_by_label("Cover alt text").fill("A teal payroll calendar")
    session.shot("article-form-1280")
    session.save()
    page.get_by_text("Entry saved").wait_for()
    branch = next(b for b in editor.branches() if b.startswith("cms/articles/"))
    name = branch.removeprefix("cms/articles/")
    assert name == "2025-08-01-payroll-in-a-week"
    text = editor.branch_file(branch, f"content/articles/{name}.md")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {
        "title": "Payroll in a week",
        "date": "2025-08-01 09:30",
        "authors": [f"{OWN}/lucy", "pixel-and-pine"],
        "summary": "Run payroll without the stress.",
        "cover": "payroll-cover.png",
        "cover_alt": "A teal payroll calendar",
        "draft": False,
    } | {k: v for k, v in front.items() if v in ("", [], None)}
    assert text.rstrip().endswith("First, know your pay dates.")
    uploaded = subprocess.run(
        ["git", "show", f"{branch}:content/articles/payroll-cover.png"],
        cwd=editor.hub, capture_output=True, check=True,
    )  # fmt: skip
    assert uploaded.stdout == png()  # next to the article, where the loader looks for it
    # check passes on the branch; merged and rebuilt, the site shows the article and the tagline.
    # The partner's tagline branch of the first test too, when it ran (it does in a full run).
    merged = [b for b in (branch, f"cms/partners/{OWN}") if b in editor.branches()]
    change = editor.pull_request(branch, tmp_path / "change")
    assert main(["check", "-f", str(change / "mkdocs.yml")]) == 0
    git(change, "merge", "-q", "--no-edit", *[f"origin/{b}" for b in merged])
    assert main(["check", "-f", str(change / "mkdocs.yml")]) == 0
    rebuilt = build_hub(change, tmp_path / "site")
    article = rebuilt.page("articles/payroll-in-a-week/")
    assert article.h1 is not None and article.h1.get_text(strip=True) == "Payroll in a week"
    if f"cms/partners/{OWN}" in merged:
        assert NEW_TAGLINE in rebuilt.page(f"partners/{OWN}/").get_text()


def test_public_pages_load_no_cms_code(site: Path, browser: Any) -> None:
    with static_server(site) as base:
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        for url in ("", "articles/cash-flow-forecast/", f"partners/{OWN}/"):
            page.goto(base + url)
        page.close()
    assert requests and not [url for url in requests if "/admin/" in url or "decap" in url]
    for html in site.rglob("*.html"):
        if html.parent.name != "admin":
            assert "decap" not in html.read_text("utf-8").lower(), html
    assert "admin/" not in (site / "sitemap.xml").read_text()
    index = site / "search" / "search_index.json"
    if index.is_file():
        assert '"location":"admin/' not in index.read_text().replace(" ", "")


def test_the_editors_screens_list_the_demos_partners_and_preview_an_article(
    session: Session,
) -> None:
    """The screens the contributor guide shows (test-artifacts/cms/screen-*.png), at 1280 and
    375 px. Decap has no dark theme: the editor is light whatever the system asks."""
    page = session.page
    page.goto(session.base + "admin/#/collections/partners")
    for name in ("Kirkgate HR", "Ledgerline Accounting", "Pixel & Pine"):
        page.get_by_text(name, exact=True).first.wait_for()
    shots = {
        "collection": "partners",
        "partner": f"partners/entries/{OWN}",
        "article": "articles/entries/2025-01-20-cash-flow-forecast",
    }
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, fragment in shots.items():
            # A fresh load per screen: moving between entries by the address's #fragment
            # alone can show the next entry's form before its data arrives.
            page.goto("about:blank")
            if name == "collection":
                page.goto(session.base + "admin/#/collections/" + fragment)
                page.get_by_text("Kirkgate HR", exact=True).first.wait_for()
            else:
                session.open(fragment)
            if name == "article":
                preview = session.page.frame_locator("iframe").first
                title = "A 13-week cash-flow forecast you will actually keep up to date"
                preview.get_by_role("heading", name=title).wait_for()
            session.shot(f"screen-{name}-{width}")
