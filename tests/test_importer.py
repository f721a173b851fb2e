"""hubgen import material-blog: a small Material blog (2 authors, 3 posts, both date formats)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hubkit import FIXTURES, Site

from hubgen.cli import main

BLOG = FIXTURES / "material-blog"


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    dest = tmp_path / "hub"
    assert (
        main(["import", "material-blog", str(BLOG), str(dest), "--timezone", "Europe/London"]) == 0
    )
    return dest, capsys.readouterr().out


def front(path: Path) -> list[str]:
    """The front matter's field lines, without the explaining comments."""
    text = path.read_text()
    block = text.split("---\n")[1] if text.startswith("---\n") else text
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def body(path: Path) -> str:
    return path.read_text().split("---\n", 2)[2]


def test_import_reports_everything_it_could_not_carry_over(imported: tuple[Path, str]) -> None:
    dest, out = imported
    assert out.splitlines() == [
        f"imported 2 authors as pending partners and 3 posts as articles into {dest}",
        "",
        "not carried over:",
        "  docs/blog/posts/2024/hiring.md: links: [{Payroll basics: 'https://example.com/payroll'}] "
        "(hubgen has no related-links box; add the links to the body if they matter)",
        "  docs/blog/posts/cash-flow.md: pin: true (hubgen has no pinned articles; newest come first)",
        "  docs/blog/posts/cash-flow.md: readtime: 5 (hubgen computes the reading time itself)",
        "  docs/blog/posts/cash-flow.md: categories Tax: hubgen has one category per article; "
        "kept as topics",
        "  docs/blog/posts/draft-notes.md: comments: true (not a hubgen field)",
        "  docs/blog: post URLs change from blog/YYYY/MM/DD/<slug>/ to articles/<slug>/: redirect "
        "the old addresses if they were shared",
        "",
        "to complete (fields marked TODO; partners stay pending, so unpublished, until an "
        "organiser sets status: active):",
        "  partners/alice.yml: services, bio, ideal_client; the avatar became the logo",
        "  partners/bob-b.yml: services, bio, ideal_client; the avatar became the logo",
    ]


def test_authors_become_pending_partners(imported: tuple[Path, str]) -> None:
    dest, _ = imported
    alice = front(dest / "partners/alice.yml")
    assert 'name: "Alice Adams"' in alice
    assert 'tagline: "Chartered accountant"' in alice
    assert "status: pending" in alice
    assert "logo: avatar.svg" in alice
    assert 'website: "https://alice.example"' in alice
    assert (dest / "partners/alice/avatar.svg").read_bytes() == (
        BLOG / "docs/blog/avatars/alice.svg"
    ).read_bytes()
    bob = front(dest / "partners/bob-b.yml")  # author id bob_b → slug bob-b
    assert "logo: https://avatars.example/bob.png" in bob
    assert '  - "TODO: your main service"' in bob


def test_posts_become_articles(imported: tuple[Path, str]) -> None:
    dest, _ = imported
    articles = dest / "content/articles"
    assert sorted(p.name for p in articles.iterdir()) == [
        "2024-01-15-thirteen-week-forecast.md",  # slug: from the front matter
        "2024-03-02-hiring-your-first-employee.md",  # slug: from the title (the # heading)
        "2024-05-05-notes-on-tribunal-claims.md",  # title: from the front matter
        "images",
    ]
    assert front(articles / "2024-01-15-thirteen-week-forecast.md") == [
        'title: "A 13-week cash-flow forecast"',
        "date: 2024-01-15",
        "authors: [alice]",
        'topics: ["Cash flow", "Tax"]',
        'category: "Finance"',
        'summary: "A forecast you will actually keep up to date."',
    ]
    forecast = body(articles / "2024-01-15-thirteen-week-forecast.md")
    assert forecast.startswith("\nA forecast is only useful if it is current.\n\n")
    assert "# A 13-week" not in forecast and "<!-- more -->" not in forecast
    assert "![A chart](images/chart.svg)" in forecast
    assert "[the hiring post](2024-03-02-hiring-your-first-employee.md#before-you-advertise)" in (
        forecast
    )
    assert front(articles / "2024-03-02-hiring-your-first-employee.md") == [
        'title: "Hiring your first employee"',
        "date: 2024-03-02",  # date: {created, updated}
        "authors: [alice, bob-b]",
        'topics: ["Hiring", "Payroll"]',
        'category: "People"',
        "updated: 2024-04-01 10:30+00:00",  # Material reads naive times as UTC
    ]
    assert front(articles / "2024-05-05-notes-on-tribunal-claims.md") == [
        'title: "Notes on tribunal claims"',
        "date: 2024-05-05 08:30+00:00",
        "authors: [bob-b]",
        "topics: []",
        "draft: true",
    ]
    assert (articles / "images/chart.svg").is_file()


def test_result_passes_check_except_the_reported_todos(
    imported: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    dest, _ = imported
    assert main(["check", "-f", str(dest / "mkdocs.yml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    # The profiles' TODOs, and the CODEOWNERS placeholder every new hub has until the organiser
    # names themselves (the import does not know who that is).
    owners = [line for line in lines if line.startswith(".github/CODEOWNERS:")]
    assert len(owners) == 1 and "warning: owners: is still hubgen init's placeholder" in owners[0]
    profiles = [line for line in lines if line not in owners]
    assert len(profiles) == 8
    assert all(
        re.match(r"partners/(alice|bob-b)\.yml:\d+:\d+: warning: .*placeholder", line)
        for line in profiles
    )


def test_imported_hub_builds_once_partners_are_completed(
    imported: tuple[Path, str], build_site: Callable[[Path], Site]
) -> None:
    dest, _ = imported
    for slug in ("alice", "bob-b"):
        profile = dest / f"partners/{slug}.yml"
        text = re.sub(r'"?TODO: [^"\n]*"?', '"Filled in by the organiser."', profile.read_text())
        profile.write_text(text.replace("status: pending", "status: active"))
    site = build_site(dest / "mkdocs.yml")
    page = site.page("/articles/thirteen-week-forecast/")
    assert page.h1 is not None and page.h1.get_text(strip=True) == "A 13-week cash-flow forecast"
    image = page.find("img", alt="A chart")
    assert image is not None and site.exists("/articles/images/chart.svg")
    link = page.find("a", string="the hiring post")
    assert link is not None and str(link["href"]).endswith(
        "hiring-your-first-employee/#before-you-advertise"
    )
    hiring = site.page("/articles/hiring-your-first-employee/")
    assert hiring.find(id="before-you-advertise") is not None
    assert "Bob Brown" in hiring.get_text(" ")
    assert not site.exists("/articles/notes-on-tribunal-claims/")  # a draft stays a draft
    assert site.page("/partners/alice/").h1 is not None


def test_import_never_overwrites(
    imported: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    dest, _ = imported
    assert main(["import", "material-blog", str(BLOG), str(dest)]) == 2
    err = capsys.readouterr().err
    assert "already exist; hubgen never overwrites files" in err
    assert str(dest / "partners/alice.yml") in err


def test_import_into_an_existing_hub(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "hub"
    assert main(["init", str(dest)]) == 0
    assert main(["import", "material-blog", str(BLOG), str(dest)]) == 0
    assert (dest / "partners/alice.yml").is_file()
    assert (dest / "partners/example-accounting.yml").is_file()
    capsys.readouterr()
    assert main(["check", "-f", str(dest / "mkdocs.yml")]) == 0


def test_not_a_material_blog(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "material-blog", str(tmp_path), str(tmp_path / "out")]) == 2
    assert "does not exist: is" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
