"""Checks across files: look-alikes, image sizes, symbolic links, anchors, limits; exact messages."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hubkit import HubDir

from hubgen.cli import main
from hubgen.load import loader, lookalikes
from hubgen.load.checks import heading_ids
from hubgen.load.confusables import foreign_letters, look_alike, skeleton

RESIZE = "(resize it to at most 2000 pixels wide or save it as a compressed JPEG or WebP)"


def add_partner(hub: HubDir, slug: str, name: str, extra: str = "") -> None:
    hub.write(
        f"partners/{slug}.yml",
        f"name: {name}\ntagline: Anything\njoined: 2024-01-01\nlogo: logo.svg\n{extra}"
        "services: [Tax]\nbio: Hello.\n"
        "ideal_client:\n  who_we_help: Owners.\n  how_to_spot_them: They ask.\n",
    )
    hub.write(f"partners/{slug}/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")


# -- look-alikes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Acme Accounting", "Αcme Accounting"),  # Greek capital alpha
        ("Acme Accounting", "Acme Аccounting"),  # Cyrillic capital a
        ("Acme Accounting", "ACME accounting."),  # case and punctuation
        ("Acme Accounting", "Acmé Accounting"),  # accent
        ("Acme Accounting", "Ac\u200bme Accounting"),  # zero-width space
        ("Ideal Law", "ldeal Law"),  # capital I and small L
        ("acme-ref", "acrne-ref"),  # rn reads as m
        ("acme-10", "acme-lo"),  # digits as letters
    ],
)
def test_look_alike_pairs(first: str, second: str) -> None:
    assert look_alike(first, second)
    assert look_alike(second, first)


@pytest.mark.parametrize(
    ("first", "second"),
    [("Acme Accounting", "Acme Accounts"), ("acme", "acne"), ("Brightside", "Brightside")],
)
def test_different_or_equal_texts_are_not_look_alikes(first: str, second: str) -> None:
    assert not look_alike(first, second)


def test_skeleton_and_foreign_letters() -> None:
    assert skeleton("Ρаураl") == skeleton("Paypal") == "paypal"
    assert foreign_letters("Αcme") == ["U+0391 GREEK CAPITAL LETTER ALPHA"]
    assert foreign_letters("Acme") == []


def test_look_alike_partner_names_name_both_partners(minihub: HubDir) -> None:
    add_partner(minihub, "acme-two", "Αcme Accounting")
    assert minihub.problems_text() == [
        "partners/acme-two.yml:1:7: error: name: 'Αcme Accounting' looks like the name of "
        "partners/acme.yml ('Acme Accounting') (it contains U+0391 GREEK CAPITAL LETTER ALPHA; "
        "use a name readers cannot mistake for another partner's)"
    ]


def test_look_alike_is_reported_on_the_impostor_even_when_it_sorts_first(minihub: HubDir) -> None:
    add_partner(minihub, "aaa", "Brightsidе Law")  # Cyrillic small ie
    assert minihub.problems_text() == [
        "partners/aaa.yml:1:7: error: name: 'Brightsidе Law' looks like the name of "
        "partners/brightside.yml ('Brightside Law') (it contains U+0435 CYRILLIC SMALL LETTER IE; "
        "use a name readers cannot mistake for another partner's)"
    ]


def test_look_alike_referral_codes(minihub: HubDir) -> None:
    minihub.edit("partners/brightside.yml", "joined:", "referral_code: acrne-ref\njoined:")
    assert minihub.problems_text() == [
        "partners/brightside.yml:3:16: error: referral_code: referral code 'acrne-ref' looks like "
        "'acme-ref' of partners/acme.yml (choose a code that cannot be mistaken for another "
        "partner's (0/o, 1/l and rn/m read alike))"
    ]


def test_default_referral_code_is_the_slug_and_is_compared_too(minihub: HubDir) -> None:
    add_partner(minihub, "brightsicle", "Someone Else")  # "cl" is not "d": no problem
    add_partner(minihub, "newc0", "Another Firm")
    assert minihub.problems_text() == [
        "partners/newco.yml:1:1: error: referral_code: referral code 'newco' looks like 'newc0' "
        "of partners/newc0.yml (choose a code that cannot be mistaken for another partner's "
        "(0/o, 1/l and rn/m read alike))"
    ]


# -- images ------------------------------------------------------------------------------------


def test_oversized_logo_photo_and_cover(minihub: HubDir) -> None:
    (minihub.root / "partners/brightside/logo.svg").write_bytes(b" " * 5_000_001)
    (minihub.root / "partners/acme/jane.svg").write_bytes(b" " * 6_000_000)
    (minihub.root / "content/articles/images/cover.svg").write_bytes(b" " * 7_340_032)
    assert minihub.problems_text() == [
        "content/articles/2025-01-10-tax-basics.md:8:8: error: cover: cover image file "
        f"'images/cover.svg' is 7,340,032 bytes; the limit is 5,000,000 (5 MB) {RESIZE}",
        "partners/acme.yml:29:12: error: people[0].photo: photo file 'jane.svg' is 6,000,000 "
        f"bytes; the limit is 5,000,000 (5 MB) {RESIZE}",
        "partners/brightside.yml:4:7: error: logo: logo file 'logo.svg' is 5,000,001 bytes; "
        f"the limit is 5,000,000 (5 MB) {RESIZE}",
    ]


def test_an_image_of_exactly_5_mb_is_fine(minihub: HubDir) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    padded = svg[:-6] + b" " * (5_000_000 - len(svg)) + svg[-6:]
    (minihub.root / "partners/brightside/logo.svg").write_bytes(padded)
    assert minihub.problems_text() == []


def test_oversized_and_missing_images_in_the_body(minihub: HubDir) -> None:
    png = b"\x89PNG\r\n\x1a\n"
    (minihub.root / "content/articles/images/big.png").write_bytes(png + b"\0" * 5_099_992)
    minihub.edit(
        "content/articles/2025-07-01-cash.md",
        "Plan ahead.",
        "Plan ahead.\n\n![chart](images/big.png) ![gone](images/gone.png)",
    )
    assert minihub.problems_text() == [
        "content/articles/2025-07-01-cash.md:11:10: error: body: image 'images/big.png' is "
        f"5,100,000 bytes; the limit is 5,000,000 (5 MB) {RESIZE}",
        "content/articles/2025-07-01-cash.md:11:34: error: body: link to 'images/gone.png' points "
        "to articles/images/gone.png, which does not exist (link to another article by its file "
        "name, e.g. [guide](2025-01-20-cash-flow-forecast.md))",
    ]


# -- paths that escape, symbolic links -------------------------------------------------------


def test_absolute_logo_path_is_outside(minihub: HubDir) -> None:
    minihub.edit("partners/brightside.yml", "logo: logo.svg", "logo: /etc/passwd")
    assert minihub.problems_text() == [
        "partners/brightside.yml:4:7: error: logo: '/etc/passwd' points outside partners/"
        " (put the logo next to the file and write just its name)"
    ]


def test_cover_cannot_escape_the_docs_folder(minihub: HubDir) -> None:
    minihub.edit(
        "content/articles/2025-01-10-tax-basics.md",
        "cover: images/cover.svg",
        "cover: ../../partners/acme/logo.svg",
    )
    assert minihub.problems_text() == [
        "content/articles/2025-01-10-tax-basics.md:8:8: error: cover: '../../partners/acme/logo.svg'"
        " points outside content/articles/ (put the cover image next to the file and write just its name)"
    ]


def test_symlinked_logo(minihub: HubDir) -> None:
    logo = minihub.root / "partners/brightside/logo.svg"
    logo.rename(logo.with_name("real.svg"))
    os.symlink("real.svg", logo)
    assert minihub.problems_text() == [
        "partners/brightside.yml:4:7: error: logo: 'logo.svg' is a symbolic link"
        " (commit the image itself)",
        "partners/brightside/logo.svg:1:1: error: is a symbolic link"
        " (commit the file itself, not a link)",
    ]


def test_symlink_to_a_file_outside_the_hub(minihub: HubDir, tmp_path: Path) -> None:
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg/>")
    logo = minihub.root / "partners/brightside/logo.svg"
    logo.unlink()
    os.symlink(secret, logo)
    assert minihub.problems_text() == [
        "partners/brightside.yml:4:7: error: logo: 'logo.svg' points outside its folder"
        " (put the logo inside brightside/)",
        "partners/brightside/logo.svg:1:1: error: is a symbolic link"
        " (commit the file itself, not a link)",
    ]


def test_partner_folder_that_is_a_symlink(minihub: HubDir, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (minihub.root / "partners/brightside").rename(elsewhere)
    os.symlink(elsewhere, minihub.root / "partners/brightside")
    assert minihub.problems_text() == [
        "partners/brightside:1:1: error: is a symbolic link (commit the file itself, not a link)",
        "partners/brightside.yml:4:7: error: logo: 'logo.svg' points outside its folder"
        " (put the logo inside brightside/)",
    ]


def test_any_symlink_in_the_docs_folder(minihub: HubDir) -> None:
    os.symlink("/etc/hostname", minihub.root / "content/hostname.txt")
    os.symlink("/etc", minihub.root / "content/articles/images/etc")
    assert minihub.problems_text() == [
        "content/articles/images/etc:1:1: error: is a symbolic link (commit the file itself, not a link)",
        "content/hostname.txt:1:1: error: is a symbolic link (commit the file itself, not a link)",
    ]


def test_symlinked_profile_and_article_are_reported_once(minihub: HubDir) -> None:
    os.symlink("acme.yml", minihub.root / "partners/acme-copy.yml")
    os.symlink("2025-07-01-cash.md", minihub.root / "content/articles/2025-07-02-cash-copy.md")
    assert minihub.problems_text() == [
        "content/articles/2025-07-02-cash-copy.md:1:1: error: is a symbolic link"
        " (commit the file itself, not a link)",
        "partners/acme-copy.yml:1:1: error: is a symbolic link (commit the file itself, not a link)",
    ]


# -- anchors ----------------------------------------------------------------------------------


def test_heading_ids_follow_python_markdown_toc() -> None:
    body = (
        "## Start here\n\n## Start here\n\n### VAT & PAYE: what's due?\n\n"
        "## Custom {#mine}\n\n```\n# not a heading\n```\n\nText[^1]\n\n[^1]: Note.\n"
    )
    assert heading_ids(body) >= {
        "start-here",
        "start-here_1",
        "vat-paye-whats-due",
        "mine",
        "fn:1",
    }
    assert "not-a-heading" not in heading_ids(body)


def test_broken_anchors_to_other_articles_and_the_same_article(minihub: HubDir) -> None:
    minihub.edit(
        "content/articles/2025-07-01-cash.md",
        "Plan ahead.",
        "Plan ahead.\n\n## Next steps\n\n"
        "[a](2025-01-10-tax-basics.md#start-here) [b](2025-01-10-tax-basics.md#start)\n"
        "[c](#next-steps) [d](#next) [e](../privacy.md#x) [f](2025-03-01-hiring-right.md#top)",
    )
    minihub.write("content/privacy.md", "# Privacy\n\n## Cookies\n")
    assert minihub.problems_text() == [
        "content/articles/2025-07-01-cash.md:13:46: error: body: link to "
        "'2025-01-10-tax-basics.md#start': articles/2025-01-10-tax-basics.md has no heading "
        "'#start' (did you mean '#start-here'?)",
        "content/articles/2025-07-01-cash.md:14:22: error: body: link to '#next': this article "
        "has no heading '#next' (did you mean '#next-steps'?)",
        "content/articles/2025-07-01-cash.md:14:33: error: body: link to '../privacy.md#x': "
        "privacy.md has no heading '#x' (expected one of: #cookies, #privacy)",
        "content/articles/2025-07-01-cash.md:14:54: error: body: link to "
        "'2025-03-01-hiring-right.md#top': articles/2025-03-01-hiring-right.md has no heading "
        "'#top' (it has no headings to link to)",
    ]


def test_anchor_to_a_missing_file_is_only_a_broken_link(minihub: HubDir) -> None:
    minihub.edit("content/articles/2025-07-01-cash.md", "Plan ahead.", "[x](nope.md#top)")
    assert [p.split(": error: ")[1][:30] for p in minihub.problems_text()] == [
        "body: link to 'nope.md#top' po"
    ]


# -- limits and duplicates already enforced by the loader --------------------------------------


def test_oversized_front_matter(minihub: HubDir) -> None:
    minihub.write(
        "content/articles/2025-08-01-long.md",
        "---\ntitle: x\nsummary: " + "a" * 70_000 + "\n---\nBody\n",
    )
    assert minihub.problems_text() == [
        "content/articles/2025-08-01-long.md:1:1: error: front matter is over 64 KiB"
        " (move long text into the article body)"
    ]


def test_explicit_id_that_equals_another_articles_default_id(minihub: HubDir) -> None:
    minihub.edit(
        "content/articles/2025-07-01-cash.md",
        "summary:",
        "id: https://mini.example/articles/tax-basics/\nsummary:",
    )
    assert minihub.problems_text() == [
        "content/articles/2025-07-01-cash.md:1:1: error: id: feed id "
        "'https://mini.example/articles/tax-basics/' is already used by "
        "content/articles/2025-01-10-tax-basics.md (every article needs its own id)"
    ]


def test_control_character_in_a_profile(minihub: HubDir) -> None:
    minihub.edit("partners/brightside.yml", "Brightside Law", "Brightside\x1b Law")
    assert minihub.problems_text() == [
        "partners/brightside.yml:1:17: error: contains the control character U+001B"
        " (delete the invisible character)"
    ]


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        (
            "acmee",
            "mkdocs.yml:18:20: error: forms.organiser: 'acmee' is not a partner of this hub "
            "(name the active partner who runs the network, who receives the contact page's "
            "'Not sure' enquiries; did you mean 'acme'?)",
        ),
        (
            "oldco",
            "mkdocs.yml:18:20: error: forms.organiser: 'oldco' is retired, so the contact page "
            "cannot route to it (name the active partner who runs the network, who receives the "
            "contact page's 'Not sure' enquiries; expected one of: acme, brightside)",
        ),
    ],
)
def test_the_contact_pages_organiser_must_be_an_active_partner(
    minihub: HubDir, slug: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(minihub.root / "mkdocs.yml")
    minihub.edit(
        "mkdocs.yml",
        "      search: false\n",
        f"      search: false\n      forms:\n        organiser: {slug}\n",
    )
    assert main(["check", "-f", config]) == 1
    assert message in capsys.readouterr().out.splitlines()
    minihub.edit("mkdocs.yml", f"organiser: {slug}", "organiser: acme")
    assert main(["check", "-f", config]) == 0
    assert "organiser" not in capsys.readouterr().out


def test_the_look_alike_child_runs_while_the_articles_load_and_ends_with_the_load(
    minihub: HubDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    children: list[subprocess.Popen[str]] = []
    popen = subprocess.Popen

    def started(*args: Any, **kwargs: Any) -> subprocess.Popen[str]:
        child = popen(*args, **kwargs)
        children.append(child)
        return child

    articles_loaded = loader.load_articles
    children_then: list[int] = []

    def load_articles(*args: Any, **kwargs: Any) -> Any:
        children_then.append(len(children))
        return articles_loaded(*args, **kwargs)

    monkeypatch.setattr(lookalikes.subprocess, "Popen", started)
    monkeypatch.setattr(loader, "load_articles", load_articles)
    _hub, problems = minihub.load()
    assert not problems.errors
    assert children_then == [1]  # asked before the articles were loaded
    assert children[0].returncode == 0  # and answered

    def fails(*args: Any, **kwargs: Any) -> Any:
        raise OSError("the disk went away")

    monkeypatch.setattr(loader, "load_articles", fails)
    with pytest.raises(OSError, match="went away"):
        minihub.load()
    assert children[1].returncode is not None  # stopped and reaped, not left running
