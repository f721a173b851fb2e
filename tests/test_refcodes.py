"""Referral codes in article links: another partner's code or an unknown one is a warning that
`hubgen check` prints with the file, line, column, the code and the partner it belongs to."""

from __future__ import annotations

import pytest
from hubkit import HubDir

from hubgen.cli import main
from hubgen.load.refcodes import coded_links

CASH = "content/articles/2025-07-01-cash.md"  # by acme (code acme-ref); body starts on line 9


def test_check_warns_about_another_partners_code_and_an_unknown_one(
    minihub: HubDir, capsys: pytest.CaptureFixture[str]
) -> None:
    minihub.edit(
        CASH,
        "Plan ahead.",
        "Plan ahead.\n\n"
        "Ask [our friends](/partners/brightside/?ref=brightside) or\n"
        "[someone](https://mini.example/articles/?utm_source=x&ref=Ghost).\n\n"
        "Our own [page](/partners/acme/?ref=acme-ref) is fine, and so is\n"
        "[another site](https://example.org/?ref=brightside).\n\n"
        '<a href="/r/brightside/">A short link</a>\n\n'
        "```\n[in code](/?ref=brightside)\n```\n",
    )
    assert main(["check", "-f", str(minihub.root / "mkdocs.yml")]) == 0  # warnings only
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"{CASH}:11:19: warning: body: link to '/partners/brightside/?ref=brightside' "
        "carries the referral code 'brightside' of Brightside Law (partners/brightside.yml), "
        "who is not an author of this article (readers who follow it are credited to "
        "Brightside Law; remove the code unless that partner asked for it)",
        f"{CASH}:12:11: warning: body: link to "
        "'https://mini.example/articles/?utm_source=x&ref=Ghost' carries the referral code "
        "'ghost', which no partner has (check the spelling, or remove the code: readers who "
        "follow a link inside the hub keep the referral they arrived with)",
        f"{CASH}:17:10: warning: body: link to '/r/brightside/' carries the referral code "
        "'brightside' of Brightside Law (partners/brightside.yml), who is not an author of "
        "this article (readers who follow it are credited to Brightside Law; remove the code "
        "unless that partner asked for it)",
    ]
    assert "3 warnings" in captured.err


def test_a_coauthors_code_is_no_warning(minihub: HubDir) -> None:
    minihub.edit(
        "content/articles/2025-03-01-hiring-right.md",
        "\n---\n",
        "\n---\nSee [Brightside](/partners/brightside/?ref=brightside) and "
        "[Acme](https://mini.example/r/acme-ref/).\n",
    )
    assert [p for p in minihub.problems_text() if "referral code" in p] == []


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ("../?ref=a", "a"),
        ("/?x=1&amp;ref=b", "b"),
        ("https://hub.example/sub/r/c/", "c"),
        ("https://hub.example/sub/r/c/x/", None),  # an article short link is not a code page
        ("https://other.example/?ref=d", None),
        ("mailto:x@hub.example?ref=e", None),
        ("../articles/r/", None),
        ("/?ref=", None),
    ],
)
def test_codes_are_read_from_links_to_the_hub_only(target: str, code: str | None) -> None:
    found = [link.code for link in coded_links(f"[x]({target}) /r/", "ref", "hub.example", "/sub/")]
    assert found == ([code] if code else [])
