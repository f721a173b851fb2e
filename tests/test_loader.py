"""Loading partners and articles: the happy path and every kind of bad input, with exact messages."""

from __future__ import annotations

import random
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hubkit import HubDir

from hubgen.core.models import AuthorRef, PartnerStatus, relative_posix
from hubgen.load.frontmatter import split_front_matter


def test_fixture_hub_loads_without_problems(minihub: HubDir) -> None:
    hub, problems = minihub.load()
    assert list(problems) == []
    assert set(hub.partners) == {"acme", "brightside", "oldco", "newco"}
    acme = hub.partners["acme"]
    assert acme.referral_code == "acme-ref"
    assert acme.status is PartnerStatus.ACTIVE
    assert acme.logo.url == "partners/acme/logo.svg"
    assert acme.people[0].photo is not None and acme.people[0].photo.url == "partners/acme/jane.svg"
    assert hub.partners["brightside"].referral_code == "brightside"  # defaults to the slug
    assert hub.partners["oldco"].status is PartnerStatus.RETIRED


def test_articles_are_typed_and_sorted_newest_first(minihub: HubDir) -> None:
    hub, _ = minihub.load()
    assert [a.slug for a in hub.articles][:3] == ["future", "phishing", "cash"]
    hiring = next(a for a in hub.articles if a.slug == "hiring-right")
    assert hiring.authors == (AuthorRef("brightside"), AuthorRef("acme"))
    assert hiring.date == datetime(2025, 3, 1, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    assert hiring.url == "articles/hiring-right/"
    assert hiring.id == "6f1c9a2e-1d7b-4c59-9a43-5b1f0c2d8e77"
    assert [t.name for t in hiring.topics] == ["Hiring", "Tax"]
    assert hiring.category is not None and hiring.category.slug == "people"
    assert hiring.excerpt == "Hire carefully; payroll matters."  # derived from the first paragraph
    assert hiring.summary == ""
    tax = next(a for a in hub.articles if a.slug == "tax-basics")
    assert tax.authors == (AuthorRef("acme", "jane"),)
    assert tax.cover is not None and tax.cover.url == "articles/images/cover.svg"
    assert tax.id == "https://mini.example/articles/tax-basics/"  # default id: canonical URL
    assert tax.body.startswith("## Start here")
    assert tax.body_line == 11


def test_text_fields_keep_strings_as_written(minihub: HubDir) -> None:
    minihub.edit("partners/acme.yml", 'phone: "0123 456"', "phone: 0123")
    minihub.edit("partners/acme.yml", "location: Leeds", "location: NO")
    hub, problems = minihub.load()
    assert list(problems) == []
    assert hub.partners["acme"].phone == "0123"
    assert hub.partners["acme"].location == "NO"


def test_broken_yaml_reports_line_and_column(minihub: HubDir) -> None:
    minihub.edit(
        "partners/brightside.yml",
        "tagline: Employment law for employers",
        "tagline: [Employment law",
    )
    assert minihub.problems_text() == [
        "partners/brightside.yml:3:7: error: invalid YAML: expected ',' or ']', but got ':'"
        " (check indentation, colons and quotes)"
    ]


def test_broken_front_matter_yaml_points_into_the_article(minihub: HubDir) -> None:
    minihub.edit(
        "content/articles/2025-07-01-cash.md", "topics: [Cash flow, Tax]", "topics: [Cash flow"
    )
    (problem,) = minihub.load()[1]
    assert problem.path == "content/articles/2025-07-01-cash.md"
    assert problem.message.startswith("invalid YAML")
    assert problem.line == 6


def test_front_matter_must_be_a_mapping(minihub: HubDir) -> None:
    minihub.write("content/articles/2025-08-01-list.md", "---\n- just\n- a list\n---\nBody\n")
    assert minihub.problems_text() == [
        "content/articles/2025-08-01-list.md:2:1: error: front matter must be a mapping of "
        "'field: value' lines (write e.g. 'title: My article')"
    ]


def test_front_matter_missing_or_not_closed(minihub: HubDir) -> None:
    minihub.write("content/articles/a.md", "# No front matter\n")
    minihub.write("content/articles/b.md", "---\ntitle: x\n")
    assert minihub.problems_text() == [
        "content/articles/a.md:1:1: error: an article must start with front matter between '---' lines"
        " (add '---', 'title: …', 'date: …', 'authors: […]', '---' at the top)",
        "content/articles/b.md:1:1: error: front matter is not closed"
        " (add a line with just '---' after the last field)",
    ]


def test_missing_required_field(minihub: HubDir) -> None:
    minihub.edit("partners/brightside.yml", "tagline: Employment law for employers\n", "")
    assert minihub.problems_text() == [
        "partners/brightside.yml:1:1: error: tagline: required field 'tagline' is missing (add 'tagline: …')"
    ]


def test_unknown_field_suggests_the_closest_name(minihub: HubDir) -> None:
    minihub.edit("content/articles/2025-07-01-cash.md", "summary:", "sumary:")
    minihub.edit("partners/acme.yml", "website:", "web_site:")
    assert minihub.problems_text() == [
        "content/articles/2025-07-01-cash.md:7:1: error: sumary: unknown field 'sumary'"
        " (did you mean 'summary'?)",
        "partners/acme.yml:7:1: error: web_site: unknown field 'web_site' (did you mean 'website'?)",
    ]


def test_invalid_date(minihub: HubDir) -> None:
    minihub.edit("content/articles/2025-07-01-cash.md", "date: 2025-07-01", "date: 2025-13-45")
    minihub.edit("partners/oldco.yml", "joined: 2023-01-01", "joined: last year")
    assert minihub.problems_text() == [
        "content/articles/2025-07-01-cash.md:3:7: error: date: '2025-13-45' is not a valid date"
        " (write YYYY-MM-DD or YYYY-MM-DD HH:MM, optionally with an offset like +01:00)",
        "partners/oldco.yml:4:9: error: joined: 'last year' is not a valid date"
        " (write it as YYYY-MM-DD, e.g. 2025-03-14)",
    ]


def test_unknown_author_and_person(minihub: HubDir) -> None:
    minihub.edit(
        "content/articles/2025-07-01-cash.md", "authors: [acme]", "authors: [acmee, acme/bob]"
    )
    assert minihub.problems_text() == [
        "content/articles/2025-07-01-cash.md:4:10: error: authors: 'bob' is not one of Acme "
        "Accounting's people (expected one of: jane)",
        "content/articles/2025-07-01-cash.md:4:10: error: authors: unknown partner 'acmee' (known "
        "partners: acme, brightside, newco, oldco) (did you mean 'acme'?)",
    ]


def test_duplicate_slug_names_both_files(minihub: HubDir) -> None:
    minihub.write(
        "content/articles/2025-09-09-cash.md",
        "---\ntitle: Another\ndate: 2025-09-09\nauthors: [acme]\n---\nText\n",
    )
    assert minihub.problems_text() == [
        "content/articles/2025-09-09-cash.md:1:1: error: slug: the URL /articles/cash/ is already "
        "taken by content/articles/2025-07-01-cash.md (give one of them another 'slug:' or file name)"
    ]


def test_duplicate_feed_id(minihub: HubDir) -> None:
    minihub.edit(
        "content/articles/2025-07-01-cash.md",
        "summary:",
        "id: 6f1c9a2e-1d7b-4c59-9a43-5b1f0c2d8e77\nsummary:",
    )
    assert minihub.problems_text() == [
        "content/articles/2025-07-01-cash.md:1:1: error: id: feed id "
        "'6f1c9a2e-1d7b-4c59-9a43-5b1f0c2d8e77' is already used by "
        "content/articles/2025-03-01-hiring-right.md (every article needs its own id)"
    ]


def test_duplicate_referral_code(minihub: HubDir) -> None:
    minihub.edit("partners/brightside.yml", "joined:", "referral_code: acme-ref\njoined:")
    assert minihub.problems_text() == [
        "partners/brightside.yml:1:1: error: referral_code: referral code 'acme-ref' is already used "
        "by partners/acme.yml (choose a code no other partner uses, or leave it out to use your slug)"
    ]


def test_referral_code_must_be_url_safe(minihub: HubDir) -> None:
    minihub.edit("partners/brightside.yml", "joined:", "referral_code: Bright Side!\njoined:")
    assert minihub.problems_text() == [
        "partners/brightside.yml:3:16: error: referral_code: 'Bright Side!' is not URL-safe"
        " (use lowercase letters, digits and single hyphens, e.g. bright-side)"
    ]


def test_missing_logo_file(minihub: HubDir) -> None:
    (minihub.root / "partners/brightside/logo.svg").unlink()
    assert minihub.problems_text() == [
        "partners/brightside.yml:4:7: error: logo: logo file 'logo.svg' does not exist"
        " (add it at partners/brightside/logo.svg or fix the name)"
    ]


def test_logo_path_cannot_escape_the_partner_folder(minihub: HubDir) -> None:
    minihub.edit("partners/brightside.yml", "logo: logo.svg", "logo: ../acme/logo.svg")
    assert minihub.problems_text() == [
        "partners/brightside.yml:4:7: error: logo: '../acme/logo.svg' points outside partners/"
        " (put the logo next to the file and write just its name)"
    ]


def test_invalid_colour(minihub: HubDir) -> None:
    minihub.edit("partners/brightside.yml", 'color: "#ffeb3b"', "color: yellowish")
    assert minihub.problems_text() == [
        "partners/brightside.yml:5:8: error: color: 'yellowish' is not a colour"
        ' (write a hex colour in quotes, e.g. "#0f766e")'
    ]


def test_invalid_status_url_and_email(minihub: HubDir) -> None:
    minihub.edit("partners/acme.yml", "status: active", "status: activ")
    minihub.edit("partners/acme.yml", "website: https://acme.example", "website: acme.example")
    minihub.edit("partners/acme.yml", "email: hello@acme.example", "email: hello at acme")
    assert minihub.problems_text() == [
        "partners/acme.yml:3:9: error: status: 'activ' is not allowed (did you mean 'active'?)",
        "partners/acme.yml:7:10: error: website: 'acme.example' is not a valid URL"
        " (write a full address starting with https:// or http://)",
        "partners/acme.yml:8:8: error: email: 'hello at acme' is not a valid e-mail address"
        " (write it as name@example.com)",
    ]


def test_cover_needs_alt_text(minihub: HubDir) -> None:
    minihub.edit("content/articles/2025-01-10-tax-basics.md", "cover_alt: A green rectangle\n", "")
    assert minihub.problems_text() == [
        "content/articles/2025-01-10-tax-basics.md:8:8: error: cover: a cover image needs 'cover_alt'"
        " (describe the image for people who cannot see it)"
    ]


def test_every_problem_is_reported_in_one_run(minihub: HubDir) -> None:
    minihub.edit("partners/brightside.yml", 'color: "#ffeb3b"', "color: nope")
    minihub.edit("content/articles/2025-07-01-cash.md", "date: 2025-07-01", "date: soon")
    minihub.write("content/articles/x.md", "no front matter")
    assert len(minihub.load()[1]) == 3


def test_partner_slug_must_be_url_safe(minihub: HubDir) -> None:
    minihub.write("partners/Big Co.yml", minihub.read("partners/brightside.yml"))
    assert minihub.problems_text() == [
        "partners/Big Co.yml:1:1: error: 'Big Co' cannot be a partner slug (rename the file to "
        "lowercase letters, digits and hyphens, e.g. big-co.yml)"
    ]


def test_invalid_utf8_and_control_characters(minihub: HubDir) -> None:
    (minihub.root / "content/articles/bad.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    minihub.write("content/articles/ctl.md", "---\ntitle: a\x07b\n---\n")
    assert minihub.problems_text() == [
        "content/articles/bad.md:2:1: error: is not valid UTF-8 text (save the file as UTF-8)",
        "content/articles/ctl.md:2:9: error: contains the control character U+0007"
        " (delete the invisible character)",
    ]


def test_oversized_article(minihub: HubDir) -> None:
    minihub.write("content/articles/huge.md", "---\ntitle: x\n---\n" + "word " * 220_000)
    assert minihub.problems_text() == [
        "content/articles/huge.md:1:1: error: is 1,100,017 bytes; the limit is 524,288"
        " (split it or move large content out)"
    ]


def test_broken_relative_links_point_at_the_body_line(minihub: HubDir) -> None:
    minihub.edit(
        "content/articles/2025-01-10-tax-basics.md",
        "See [hiring](2025-03-01-hiring-right.md).",
        "See [hiring](2025-03-01-hiring-rite.md) and ![chart](images/nope.png).\n\n"
        "```\n[not a link](nowhere.md)\n```\n[ok](https://example.com) [anchor](#start-here)",
    )
    assert minihub.problems_text() == [
        "content/articles/2025-01-10-tax-basics.md:13:26: error: body: link to "
        "'2025-03-01-hiring-rite.md' points to articles/2025-03-01-hiring-rite.md, which does not "
        "exist (link to another article by its file name, e.g. [guide](2025-01-20-cash-flow-forecast.md))",
        "content/articles/2025-01-10-tax-basics.md:13:66: error: body: link to 'images/nope.png' "
        "points to articles/images/nope.png, which does not exist (link to another article by its "
        "file name, e.g. [guide](2025-01-20-cash-flow-forecast.md))",
    ]


def test_relative_posix_is_relative_to() -> None:
    cases = [
        ("/hub/content/a.md", "/hub"),
        ("/hub/content/a.md", "/hub/content/a.md"),
        ("/hub/content/a.md", "/"),
        ("/hub/content/a.md", ""),
        ("/hub/content/a.md", "hub"),
        ("/hub/content/a.md", "/other"),
        ("content/a.md", "content"),
        ("content/a.md", ""),
        ("/hubx/a.md", "/hub"),
    ]
    for path, base in cases:
        try:
            expected = Path(path).relative_to(base).as_posix()
        except ValueError:
            with pytest.raises(ValueError):
                relative_posix(Path(path), Path(base))
        else:
            assert relative_posix(Path(path), Path(base)) == expected, (path, base)


def test_split_front_matter_matches_searching_a_copy() -> None:
    def reference(text: str) -> tuple[str, str, int] | str:
        if not text.startswith("---\n"):
            return "no front matter"
        match = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
        if match is None:
            return "not closed"
        front, rest = text[4 : 4 + match.start()], text[4 + match.end() :]
        return front, rest.removeprefix("\n"), text[: 4 + match.end()].count("\n") + 2

    rng = random.Random(5)
    pieces = ["---", "...", "\n", " ", "\t", "title: x", "-", ".", "body", "---\n", "--- \n"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12)))
        text = ("---\n" + text) if rng.random() < 0.8 else text
        assert split_front_matter(text) == reference(text), repr(text)
