"""Files → typed models, collecting every problem on the way (never stopping at the first)."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from hubgen.core.models import (
    Article,
    AuthorRef,
    CallToAction,
    Hub,
    HubSettings,
    IdealClient,
    Image,
    Partner,
    PartnerStatus,
    Person,
    SocialLink,
    Topic,
    relative_posix,
)
from hubgen.core.problems import Problems
from hubgen.core.text import did_you_mean, first_paragraph, is_slug, slugify, truncate, word_count
from hubgen.load.bodylimits import body_limits
from hubgen.load.checks import dotted_name, run_hub_checks, strings_in
from hubgen.load.confusables import describe, invisible_characters
from hubgen.load.fields import FieldReader, is_url
from hubgen.load.images import ALLOWED_IMAGES, MAX_IMAGE_BYTES, RESIZE_HINT, is_image_name
from hubgen.load.links import broken_links
from hubgen.load.yamlsafe import YamlDoc, YamlSyntaxError, parse_yaml

MAX_ARTICLE_BYTES = 512 * 1024
"""512 KiB: ten times a long article. Python-Markdown renders about 100 KiB of dense Markdown a
second, so a body at the limit still builds and checks in well under ten seconds."""
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_PROFILE_BYTES = 64 * 1024
SUMMARY_LENGTH = 200

PARTNER_FIELDS = (
    "name", "tagline", "status", "joined", "logo", "color", "website", "email", "phone",
    "location", "service_area", "services", "topics", "referral_code", "maintainers", "bio",
    "ideal_client", "what_makes_us_different", "social", "people", "disclaimer",
)  # fmt: skip
PARTNER_REQUIRED = ("name", "tagline", "logo", "services", "bio", "ideal_client", "joined")
PERSON_FIELDS = ("id", "name", "role", "photo", "bio")
SOCIAL_NETWORKS = (
    "linkedin", "x", "facebook", "instagram", "youtube", "mastodon", "github", "bluesky",
)  # fmt: skip
ARTICLE_FIELDS = (
    "title", "date", "updated", "authors", "topics", "category", "summary", "cover",
    "cover_alt", "draft", "slug", "id", "cta",
)  # fmt: skip
ARTICLE_REQUIRED = ("title", "date", "authors")
CTA_FIELDS = ("heading", "text", "button")

# URL segments hubgen uses for its own pages below /partners/ and /articles/.
RESERVED_SLUGS = frozenset({"page", "index", "feed", "feeds", "assets"})
_DATE_PREFIX_RE = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_GITHUB_HANDLE_RE = re.compile(r"^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
_FRONT_MATTER_END_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


@dataclass(frozen=True)
class Source:
    """A file's text and where its front matter ends."""

    text: str
    path: str


def load_hub(
    settings: HubSettings, *, newcomers: frozenset[str] = frozenset()
) -> tuple[Hub, Problems]:
    """Load every partner profile and article under ``settings``; return the hub and all problems.

    ``newcomers``: slugs of partners whose profile is new in the change under review (a
    look-alike is blamed on them, not on the partner they imitate).
    """
    problems = Problems()
    broken: set[str] = set()
    partners = _load_partners(settings, problems, broken)
    articles, article_files = _load_articles(settings, partners, broken, problems)
    _check_unique_codes(partners, problems)
    run_hub_checks(settings, partners, articles, problems, newcomers)
    files_read = len(partners) + len(broken) + article_files
    return Hub(settings, partners, tuple(articles), files_read), problems


# -- shared ---------------------------------------------------------------------------------


def _read_text(path: Path, rel: str, limit: int, problems: Problems) -> str | None:
    if path.is_symlink():
        problems.add(rel, 1, 1, "", "is a symbolic link", "commit the file itself, not a link")
        return None
    with open(path, "rb", buffering=0) as file:  # unbuffered: one read, a third faster
        data = file.read()
    if len(data) > limit:
        problems.add(
            rel,
            1,
            1,
            "",
            f"is {len(data):,} bytes; the limit is {limit:,}",
            "split it or move large content out",
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(rel, line, 1, "", "is not valid UTF-8 text", "save the file as UTF-8")
        return None
    bad = _control_character(data, text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        problems.add(
            rel,
            line,
            col,
            "",
            f"contains the control character U+{ord(bad.group()):04X}",
            "delete the invisible character",
        )
        return None
    return text.replace("\r\n", "\n")


def _control_character(data: bytes, text: str) -> re.Match[str] | None:
    """The first control character of ``text`` (decoded from ``data``), if it has one.

    They are single bytes in UTF-8, never part of a longer sequence, so deleting them from the
    bytes (a table look-up in C) says whether the slower regex over the text needs to run.
    """
    if len(data.translate(None, _CONTROL_BYTES)) == len(data):
        return None
    return _CONTROL_RE.search(text)


def _parse(text: str, rel: str, problems: Problems, line_offset: int = 0) -> YamlDoc | None:
    try:
        doc, issues = parse_yaml(text, line_offset)
    except YamlSyntaxError as error:
        issue = error.issue
        field = ".".join(str(k) for k in issue.key)
        problems.add(rel, issue.position.line, issue.position.col, field, issue.message, issue.hint)
        return None
    for issue in issues:
        field = ".".join(str(k) for k in issue.key)
        problems.add(rel, issue.position.line, issue.position.col, field, issue.message, issue.hint)
    if not text.isascii():
        _refuse_invisible(doc, text, rel, problems, line_offset)
    return doc


def _refuse_invisible(
    doc: YamlDoc, text: str, rel: str, problems: Problems, line_offset: int
) -> None:
    """An error per value holding an invisible or direction-changing character (U+200B,
    U+202E…): published in a title or name they disguise what readers see."""
    lines = text.split("\n")
    for key, value in strings_in(doc.data):
        for _, char in invisible_characters(value)[:1]:
            pos = doc.value_pos(key)
            raw = (
                lines[pos.line - 1 - line_offset]
                if 0 < pos.line - line_offset <= len(lines)
                else ""
            )
            col = raw.find(char, max(pos.col - 1, 0)) + 1 or pos.col
            problems.add(
                rel,
                pos.line,
                col,
                dotted_name(key),
                f"contains the invisible character {describe(char)}",
                "delete it: invisible and direction-changing characters disguise what readers see",
            )


def _local_file(
    base: Path, value: str, reader: FieldReader, name: str, what: str, root: Path, hub_root: Path
) -> Path | None:
    """A file named relative to ``base`` that must exist inside ``root`` and not be a link."""
    candidate = PurePosixPath(value)
    if candidate.is_absolute() or ".." in candidate.parts:
        reader.error(
            name,
            f"'{value}' points outside {reader.path.rsplit('/', 1)[0]}/",
            f"put the {what} next to the file and write just its name",
        )
        return None
    path = base / candidate
    try:
        # The folder's parent is resolved but not the folder itself: a partner folder that is a
        # link to somewhere else is outside, even though the file is "inside" the link's target.
        inside = path.resolve().is_relative_to(root.parent.resolve() / root.name)
    except OSError:
        inside = False
    if not inside:
        reader.error(
            name, f"'{value}' points outside its folder", f"put the {what} inside {root.name}/"
        )
        return None
    if path.is_symlink():
        reader.error(name, f"'{value}' is a symbolic link", "commit the image itself")
        return None
    if not path.is_file():
        reader.error(
            name,
            f"{what} file '{value}' does not exist",
            f"add it at {_display(path, hub_root)} or fix the name",
        )
        return None
    if not is_image_name(path):
        reader.error(name, f"'{value}' is not an image", f"use an image file: {ALLOWED_IMAGES}")
        return None
    if (size := path.stat().st_size) > MAX_IMAGE_BYTES:
        reader.error(
            name,
            f"{what} file '{value}' is {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,} (5 MB)",
            RESIZE_HINT,
        )
        return None
    return path


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# -- partners -------------------------------------------------------------------------------


def _load_partners(
    settings: HubSettings, problems: Problems, broken: set[str]
) -> dict[str, Partner]:
    """Valid partners by slug; ``broken`` collects slugs whose profile has problems."""
    partners: dict[str, Partner] = {}
    folder = settings.partners_dir
    if not folder.is_dir():
        problems.add(
            settings.relative(folder),
            1,
            1,
            "",
            "partners folder does not exist",
            "create it and add one <slug>.yml per partner",
        )
        return partners
    for path in sorted(folder.iterdir()):
        rel = settings.relative(path)
        if path.is_dir() or path.name.startswith("."):
            continue
        if path.suffix == ".yaml":
            problems.add(
                rel, 1, 1, "", "partner profiles end in .yml", f"rename it to {path.stem}.yml"
            )
            continue
        if path.suffix != ".yml":
            continue
        partner = _load_partner(path, rel, settings, problems)
        if partner is not None:
            partners[partner.slug] = partner
        else:
            broken.add(path.stem)
    return partners


def _load_partner(
    path: Path, rel: str, settings: HubSettings, problems: Problems
) -> Partner | None:
    slug = path.stem
    if not is_slug(slug) or slug in RESERVED_SLUGS:
        problems.add(
            rel,
            1,
            1,
            "",
            f"'{slug}' cannot be a partner slug",
            f"rename the file to lowercase letters, digits and hyphens, e.g. {slugify(slug) or 'acme'}.yml"
            + (" (that name is reserved)" if slug in RESERVED_SLUGS else ""),
        )
        return None
    text = _read_text(path, rel, MAX_PROFILE_BYTES, problems)
    if text is None:
        return None
    doc = _parse(text, rel, problems)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.add(
            rel,
            1,
            1,
            "",
            "a partner profile must be a mapping of 'field: value' lines",
            "start with 'name: Your Firm'",
        )
        return None
    r = FieldReader(doc, rel, problems, data=doc.data)
    r.check_keys(PARTNER_FIELDS, PARTNER_REQUIRED)
    assets = settings.partners_dir / slug
    before = len(problems)

    name = r.text("name", max_length=80, one_line=True)
    tagline = r.text("tagline", max_length=120, one_line=True)
    status = r.choice("status", [s.value for s in PartnerStatus]) if r.has("status") else "active"
    joined = r.day("joined")
    logo = _image(r, "logo", assets, "logo", settings.root)
    bio = r.text("bio")
    services = r.text_list("services", max_length=60) or []
    if r.has("services") and not services:
        r.error("services", "list at least one service", "e.g. services: [Bookkeeping]")
    ideal = r.mapping("ideal_client")
    ideal_client = None
    if ideal is not None:
        ideal.check_keys(("who_we_help", "how_to_spot_them"), ("who_we_help", "how_to_spot_them"))
        who, spot = ideal.text("who_we_help"), ideal.text("how_to_spot_them")
        if who and spot:
            ideal_client = IdealClient(who, spot)
    code = r.text("referral_code", one_line=True) or slug
    if r.has("referral_code") and not is_slug(code):
        r.error(
            "referral_code",
            f"'{code}' is not URL-safe",
            "use lowercase letters, digits and single hyphens, e.g. " + (slugify(code) or slug),
        )
    maintainers = r.text_list("maintainers", max_length=40) or []
    for handle in maintainers:
        if not _GITHUB_HANDLE_RE.match(handle):
            r.error(
                "maintainers",
                f"'{handle}' is not a GitHub user name",
                "write the handle without spaces",
            )
    social: list[SocialLink] = []
    social_map = r.mapping("social")
    if social_map is not None:
        social_map.check_keys(SOCIAL_NETWORKS)
        for network in SOCIAL_NETWORKS:
            url = social_map.url(network, schemes=("https",))
            if url:
                social.append(SocialLink(network, url))
    people = _people(r, assets, settings.root)
    values = dict(
        color=r.color("color"),
        website=r.url("website"),
        email=r.email("email"),
        phone=r.text("phone", max_length=40, one_line=True),
        location=r.text("location", max_length=120, one_line=True),
        service_area=r.text("service_area", max_length=200, one_line=True),
        what_makes_us_different=r.text("what_makes_us_different"),
        disclaimer=r.text("disclaimer", max_length=1000),
    )
    topics = r.text_list("topics", max_length=60) or []
    # These texts are rendered as Markdown on the partner's page: the article limits apply.
    markdown_fields = [
        (r, "bio", bio),
        (r, "what_makes_us_different", values["what_makes_us_different"]),
    ]
    if ideal is not None and ideal_client is not None:
        markdown_fields += [
            (ideal, "who_we_help", ideal_client.who_we_help),
            (ideal, "how_to_spot_them", ideal_client.how_to_spot_them),
        ]
    for reader, field, markdown in markdown_fields:
        for limit in body_limits(markdown) if isinstance(markdown, str) else ():
            value = doc.value_pos((*reader.key, field))
            line, col = _position_in_value(text, value.line, value.col, limit.line, limit.col)
            problems.add(rel, line, col, reader.field_name(field), limit.message, limit.hint)
    if len(problems) > before or not (
        name and tagline and joined and logo and bio and ideal_client and status and services
    ):
        return None
    return Partner(
        slug=slug,
        name=name,
        tagline=tagline,
        status=PartnerStatus(status),
        joined=joined,
        logo=logo,
        bio=bio,
        ideal_client=ideal_client,
        services=tuple(services),
        source=rel,
        topics=tuple(topics),
        referral_code=code,
        maintainers=tuple(maintainers),
        social=tuple(social),
        people=tuple(people),
        **{k: v for k, v in values.items() if v is not None},
    )


def _position_in_value(
    text: str, line: int, col: int, at_line: int, at_col: int
) -> tuple[int, int]:
    """Where ``(at_line, at_col)`` of a YAML value starting at ``(line, col)`` is in the file:
    a block scalar (``|``, ``>``) starts on the next line, indented; others where they start."""
    lines = text.split("\n")
    if 0 < line <= len(lines) and lines[line - 1][col - 1 : col] in ("|", ">"):
        target = line + at_line
        content = lines[target - 1] if target <= len(lines) else ""
        return target, len(content) - len(content.lstrip(" ")) + at_col
    quoted = 0 < line <= len(lines) and lines[line - 1][col - 1 : col] in ("'", '"')
    if at_line == 1:
        return line, col + quoted + at_col - 1
    return line + at_line - 1, at_col


def _image(reader: FieldReader, name: str, assets: Path, what: str, hub_root: Path) -> Image | None:
    value = reader.text(name, one_line=True)
    if value is None:
        return None
    if "://" in value:
        if not is_url(value, ("https",)):
            reader.error(
                name,
                f"'{value}' is not an https:// URL",
                f"use https:// or a file in {assets.name}/",
            )
            return None
        return Image(value)
    path = _local_file(assets, value, reader, name, what, assets, hub_root)
    if path is None:
        return None
    return Image(f"partners/{assets.name}/{PurePosixPath(value).as_posix()}", path)


def _people(reader: FieldReader, assets: Path, hub_root: Path) -> list[Person]:
    people: list[Person] = []
    seen: set[str] = set()
    for person in reader.mappings("people"):
        person.check_keys(PERSON_FIELDS, ("id", "name"))
        pid = person.text("id", one_line=True)
        name = person.text("name", max_length=80, one_line=True)
        if pid is not None and not is_slug(pid):
            person.error(
                "id",
                f"'{pid}' is not a valid id",
                f"use lowercase letters, digits and hyphens, e.g. {slugify(pid) or 'jane'}",
            )
            pid = None
        if pid is not None and pid in seen:
            person.error("id", f"two people share the id '{pid}'", "give each person their own id")
            pid = None
        photo = _image(person, "photo", assets, "photo", hub_root)
        role = person.text("role", max_length=120, one_line=True) or ""
        bio = person.text("bio", max_length=600) or ""
        if pid and name:
            seen.add(pid)
            people.append(Person(pid, name, role, photo, bio))
    return people


def _check_unique_codes(partners: dict[str, Partner], problems: Problems) -> None:
    owners: dict[str, Partner] = {}
    for partner in partners.values():
        code = partner.referral_code
        clash = owners.get(code) or (partners.get(code) if code != partner.slug else None)
        if clash is not None and clash is not partner:
            problems.add(
                partner.source,
                1,
                1,
                "referral_code",
                f"referral code '{code}' is already used by {clash.source}",
                "choose a code no other partner uses, or leave it out to use your slug",
            )
            continue
        owners[code] = partner


# -- articles -------------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[str, str, int] | str:
    """``(front matter, body, body_line)``, or a message saying why there is none."""
    if not text.startswith("---\n"):
        return "no front matter"
    # Searched from offset 4 rather than in text[4:]: the same match, without copying the file.
    match = _FRONT_MATTER_END_RE.search(text, 4)
    if match is None:
        return "not closed"
    front = text[4 : match.start()]
    body = text[match.end() + text.startswith("\n", match.end()) :]  # one copy, not two
    body_line = text.count("\n", 0, match.end()) + 2
    return front, body, body_line


def _load_articles(
    settings: HubSettings, partners: dict[str, Partner], broken: set[str], problems: Problems
) -> tuple[list[Article], int]:
    """Valid articles, newest first, and how many article files were read."""
    folder = settings.docs_dir / settings.articles_dir
    if not folder.is_dir():
        return [], 0
    articles: list[Article] = []
    by_url: dict[str, Article] = {}
    by_id: dict[str, Article] = {}
    topic_names: dict[str, Topic] = {}
    paths = _article_files(folder, settings, problems)
    for path in paths:
        rel = settings.relative(path)
        article = _load_article(path, rel, settings, partners, broken, topic_names, problems)
        if article is None:
            continue
        if (other := by_url.get(article.url)) is not None:
            problems.add(
                rel,
                1,
                1,
                "slug",
                f"the URL /{article.url} is already taken by {other.source}",
                "give one of them another 'slug:' or file name",
            )
            continue
        if (other := by_id.get(article.id)) is not None:
            problems.add(
                rel,
                1,
                1,
                "id",
                f"feed id '{article.id}' is already used by {other.source}",
                "every article needs its own id",
            )
            continue
        by_url[article.url] = by_id[article.id] = article
        articles.append(article)
    articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    return articles, len(paths)


def _article_files(folder: Path, settings: HubSettings, problems: Problems) -> list[Path]:
    """The ``.md`` files under ``folder`` (hidden ones left out, as MkDocs leaves them out).

    ``x.MD`` is no page to MkDocs (it matches ``.md`` as written): it would be published as a
    raw file, unchecked, so it is an error. Other names (``x.markdown``, no extension) are
    refused with the other files that are not images (:mod:`hubgen.load.contributed`).
    """
    found: list[Path] = []
    for top, dirs, files in os.walk(folder):  # never follows links; they are reported anyway
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in files:
            if name.endswith(".md") and not name.startswith("."):
                found.append(Path(top, name))
            elif name.lower().endswith(".md") and not name.startswith("."):
                problems.add(
                    settings.relative(Path(top, name)),
                    1,
                    1,
                    "",
                    "articles must end in '.md' in lowercase: this one would be published as a "
                    "raw file, unchecked",
                    f"rename it to {name[:-3]}.md",
                )
    # Sorting by parts is how paths compare, without a Python __lt__ call per comparison.
    return sorted(found, key=lambda path: path.parts)


def _load_article(
    path: Path,
    rel: str,
    settings: HubSettings,
    partners: dict[str, Partner],
    broken: set[str],
    topic_names: dict[str, Topic],
    problems: Problems,
) -> Article | None:
    text = _read_text(path, rel, MAX_ARTICLE_BYTES, problems)
    if text is None:
        return None
    split = split_front_matter(text)
    if split == "no front matter":
        problems.add(
            rel,
            1,
            1,
            "",
            "an article must start with front matter between '---' lines",
            "add '---', 'title: …', 'date: …', 'authors: […]', '---' at the top",
        )
        return None
    if split == "not closed":
        problems.add(
            rel,
            1,
            1,
            "",
            "front matter is not closed",
            "add a line with just '---' after the last field",
        )
        return None
    assert isinstance(split, tuple)
    front, body, body_line = split
    if len(front.encode()) > MAX_FRONT_MATTER_BYTES:
        problems.add(
            rel,
            1,
            1,
            "",
            f"front matter is over {MAX_FRONT_MATTER_BYTES // 1024} KiB",
            "move long text into the article body",
        )
        return None
    doc = _parse(front, rel, problems, line_offset=1)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.add(
            rel,
            2,
            1,
            "",
            "front matter must be a mapping of 'field: value' lines",
            "write e.g. 'title: My article'",
        )
        return None
    r = FieldReader(doc, rel, problems, data=doc.data)
    r.check_keys(ARTICLE_FIELDS, ARTICLE_REQUIRED)
    before = len(problems)

    title = r.text("title", max_length=200, one_line=True)
    date = r.moment("date", settings.timezone)
    updated = r.moment("updated", settings.timezone)
    if date and updated and updated < date:
        r.error("updated", "is earlier than 'date'", "use the date of the last real change")
    authors = _authors(r, partners, broken)
    topics = [
        _topic(name, "topic", topic_names) for name in (r.text_list("topics", max_length=60) or [])
    ]
    category_name = r.text("category", max_length=60, one_line=True)
    category = _topic(category_name, "category", topic_names) if category_name else None
    summary = r.text("summary", max_length=500)
    draft = r.boolean("draft") or False
    slug = r.text("slug", one_line=True)
    if slug is not None and (not is_slug(slug) or slug in RESERVED_SLUGS):
        r.error(
            "slug",
            f"'{slug}' cannot be used in a URL",
            f"use lowercase letters, digits and hyphens, e.g. {slugify(slug) or 'my-article'}",
        )
    slug = slug or slug_from_name(path.stem)
    if not is_slug(slug) or slug in RESERVED_SLUGS:
        problems.add(
            rel,
            1,
            1,
            "slug",
            f"the file name gives the URL slug '{slug}', which is not valid",
            f"rename the file to e.g. {slugify(slug) or 'my-article'}.md or set 'slug:'",
        )
    cover = _cover(r, path, settings)
    cover_alt = r.text("cover_alt", max_length=300, one_line=True) or ""
    if cover is not None and not cover_alt:
        r.error(
            "cover",
            "a cover image needs 'cover_alt'",
            "describe the image for people who cannot see it",
        )
    cta = None
    cta_map = r.mapping("cta")
    if cta_map is not None:
        cta_map.check_keys(CTA_FIELDS)
        cta = CallToAction(
            heading=cta_map.text("heading", max_length=120, one_line=True) or "",
            text=cta_map.text("text", max_length=400) or "",
            button=cta_map.text("button", max_length=40, one_line=True) or "",
        )
    for limit in body_limits(body):
        problems.add(rel, body_line + limit.line - 1, limit.col, "body", limit.message, limit.hint)
    if (
        len(problems) > before
        or not (title and date and authors)
        or len(authors) < len(r.data["authors"] or ())
    ):
        return None
    src_uri = relative_posix(path, settings.docs_dir)
    docs = str(settings.docs_dir)
    for link in broken_links(body, src_uri, lambda uri: os.path.isfile(os.path.join(docs, uri))):
        problems.add(
            rel,
            body_line + link.line - 1,
            link.col,
            "body",
            f"link to '{link.target}' points to {link.resolved}, which does not exist",
            "link to another article by its file name, "
            "e.g. [guide](2025-01-20-cash-flow-forecast.md)",
        )
    url = article_url(src_uri, slug)
    article_id = r.text("id", max_length=200, one_line=True) or default_feed_id(
        settings.site_url, url
    )
    return Article(
        slug=slug,
        title=title,
        date=date,
        authors=tuple(authors),
        body=body,
        source=rel,
        src_uri=src_uri,
        url=url,
        body_line=body_line,
        id=article_id,
        excerpt=summary or truncate(first_paragraph(body), SUMMARY_LENGTH),
        summary=summary or "",
        words=word_count(body),
        updated=updated,
        topics=tuple(dict.fromkeys(topics)),
        category=category,
        cover=cover,
        cover_alt=cover_alt,
        draft=draft,
        cta=cta,
    )


def slug_from_name(stem: str) -> str:
    """``2025-03-14-cash-flow`` → ``cash-flow``: a date prefix keeps files sorted, not URLs."""
    return _DATE_PREFIX_RE.sub("", stem)


def article_url(src_uri: str, slug: str) -> str:
    """``articles/2025-x.md`` with slug ``x`` → ``articles/x/``."""
    return posixpath.join(posixpath.dirname(src_uri), slug) + "/"


def default_feed_id(site_url: str, url: str) -> str:
    """The article's canonical URL: stable as long as the slug and site URL are."""
    return (site_url.rstrip("/") + "/" + url) if site_url else url


def _topic(name: str, kind: str, seen: dict[str, Topic]) -> Topic:
    """One spelling per slug: the first file (in path order) that uses a topic names it."""
    slug = slugify(name) or "topic"
    key = f"{kind}:{slug}"
    if key not in seen:
        seen[key] = Topic(slug, name, kind)
    return seen[key]


def _authors(
    reader: FieldReader, partners: dict[str, Partner], broken: set[str]
) -> list[AuthorRef]:
    refs: list[AuthorRef] = []
    values = reader.text_list("authors", max_length=100)
    if values is None:
        return refs
    if not values:
        reader.error("authors", "name at least one partner", "e.g. authors: [acme]")
    for value in values:
        partner_slug, _, person_id = value.partition("/")
        partner = partners.get(partner_slug)
        if partner_slug in broken:
            continue  # its profile's own problems are reported; don't blame every article too
        if partner is None:
            known = ", ".join(sorted(partners)) or "none yet"
            hint = (
                did_you_mean(partner_slug, partners)
                if partners
                else "add partners/<slug>.yml first"
            )
            reader.error(
                "authors", f"unknown partner '{partner_slug}' (known partners: {known})", hint
            )
            continue
        if person_id and partner.person(person_id) is None:
            people = [p.id for p in partner.people]
            hint = (
                did_you_mean(person_id, people)
                if people
                else f"add them under 'people:' in {partner.source}"
            )
            reader.error("authors", f"'{person_id}' is not one of {partner.name}'s people", hint)
            continue
        ref = AuthorRef(partner_slug, person_id or None)
        if ref in refs:
            reader.error("authors", f"'{value}' is listed twice", "list each author once")
            continue
        refs.append(ref)
    return refs


def _cover(reader: FieldReader, path: Path, settings: HubSettings) -> Image | None:
    value = reader.text("cover", one_line=True)
    if value is None:
        return None
    if "://" in value:
        if not is_url(value, ("https",)):
            reader.error(
                "cover",
                f"'{value}' is not an https:// URL",
                "use https:// or a file next to the article",
            )
            return None
        return Image(value)
    found = _local_file(
        path.parent, value, reader, "cover", "cover image", settings.docs_dir, settings.root
    )
    if found is None:
        return None
    return Image(found.relative_to(settings.docs_dir).as_posix(), found)


def is_published(article: Article, partners: dict[str, Partner], now: datetime) -> bool:
    """Live on a built site: not a draft, not in the future, and every author is admitted."""
    return not article.draft and article.date <= now and not is_held(article, partners)


def is_held(article: Article, partners: dict[str, Partner]) -> bool:
    """Held back until every author is admitted: a pending partner must not publish by naming
    an active co-author (its byline, brand and lead form would go live before admission)."""
    return any(partners[s].status is PartnerStatus.PENDING for s in article.partner_slugs)
