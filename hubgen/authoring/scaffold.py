"""New hubs, partners and articles from commented templates; CODEOWNERS from the partners.

Every file written here passes ``hubgen check`` as it is and explains each of its fields in
comments, because the people who edit them next are busy partners, not developers. Nothing is
ever overwritten: when a file exists, nothing at all is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from hubgen import __version__
from hubgen.core.text import is_slug, slugify
from hubgen.load.slugs import RESERVED_SLUGS
from hubgen.load.yamlsafe import YamlSyntaxError, parse_yaml
from hubgen.review.ownership import CODEOWNERS_PATHS

_PLACEHOLDER_RE = re.compile(r"@@([a-z_]+)@@")
_HANDLE_RE = re.compile(r"^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
TODO = "TODO"
"""Marks a value someone still has to write; ``hubgen check`` reports it (see checks.py)."""

SAMPLE_SLUG = "example-accounting"
_PALETTE = ("#0f766e", "#1d4ed8", "#7c3aed", "#b45309", "#be123c", "#15803d", "#0369a1")


class ScaffoldError(Exception):
    """A file exists already, or an argument cannot be used (a usage error: exit 2)."""


def template(path: str, /, **values: str) -> str:
    """The packaged template at ``path`` with every ``@@key@@`` replaced; unknown keys are a bug."""
    text = (
        files("hubgen.authoring")
        .joinpath("scaffold_templates", *path.split("/"))
        .read_text("utf-8")
    )

    def replace(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return _PLACEHOLDER_RE.sub(replace, text)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def write_new(files_to_write: dict[Path, str | bytes]) -> list[Path]:
    """Write every file, or none: refuse when any of them exists already."""
    existing = [path for path in files_to_write if path.exists() or path.is_symlink()]
    if existing:
        listed = ", ".join(str(path) for path in existing)
        raise ScaffoldError(
            f"{listed} already exist{'s' if len(existing) == 1 else ''}; "
            "hubgen never overwrites files (move or delete them first)"
        )
    for path, content in files_to_write.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return list(files_to_write)


def handle(value: str) -> str:
    """A GitHub user name without the ``@``; ScaffoldError if it cannot be one."""
    if not _HANDLE_RE.match(value):
        raise ScaffoldError(f"'{value}' is not a GitHub user name")
    return value.removeprefix("@")


# -- partners -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerDraft:
    slug: str
    name: str
    maintainers: tuple[str, ...] = ()
    status: str = "pending"
    joined: date | None = None
    tagline: str = ""
    services: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    bio: str = ""
    who_we_help: str = ""
    how_to_spot_them: str = ""
    different: str = ""
    website: str = ""
    email: str = ""
    logo: str = "logo.svg"
    """A file in the partner's folder or an https:// URL; ``logo.svg`` gets a placeholder."""


def check_partner_slug(slug: str) -> None:
    if not is_slug(slug) or slug in RESERVED_SLUGS:
        suggestion = slugify(slug) or "acme"
        reserved = " (that name is reserved)" if slug in RESERVED_SLUGS else ""
        raise ScaffoldError(
            f"'{slug}' cannot be a partner slug{reserved}: use lowercase letters, digits and "
            f"hyphens, e.g. {suggestion}"
        )


def partner_files(partners_dir: Path, draft: PartnerDraft) -> dict[Path, str | bytes]:
    """The profile (every field explained; blanks marked TODO) and a placeholder logo."""
    check_partner_slug(draft.slug)

    def value(text: str, what: str) -> str:
        return _quoted(text or f"{TODO}: {what}")

    contact = "\n".join(
        f"{key}: {_quoted(text)}" if text else f"# {key}: {example}"
        for key, text, example in (
            ("website", draft.website, "https://your-firm.example"),
            ("email", draft.email, "hello@your-firm.example"),
            ("phone", "", '"+44 113 496 0000"'),
            ("location", "", "Leeds LS1"),
            ("service_area", "", "Leeds and West Yorkshire"),
        )
    )
    services = draft.services or (f"{TODO}: your main service",)
    color = _PALETTE[sum(map(ord, draft.slug)) % len(_PALETTE)]
    bio = (draft.bio or f"{TODO}: two short paragraphs about the firm, written as 'we'.").strip()
    profile = template(
        "partner.yml",
        slug=draft.slug,
        logo=draft.logo,
        name=_quoted(draft.name),
        tagline=value(draft.tagline, "what you do and for whom, in one line"),
        status=draft.status,
        joined=(draft.joined or date.today()).isoformat(),
        color=color,
        contact=contact,
        services="\n".join(f"  - {_quoted(s)}" for s in services),
        topics=", ".join(_quoted(t) for t in draft.topics),
        maintainers=", ".join(draft.maintainers),
        bio=bio.replace("\n", "\n  "),
        who_we_help=value(draft.who_we_help, "the clients you serve best"),
        how_to_spot_them=value(draft.how_to_spot_them, "what partners should listen for"),
        different=(
            f"what_makes_us_different: {_quoted(draft.different)}"
            if draft.different
            else "# what_makes_us_different: Fixed fees agreed up front."
        ),
    )
    out: dict[Path, str | bytes] = {partners_dir / f"{draft.slug}.yml": profile}
    if draft.logo == "logo.svg":
        out[partners_dir / draft.slug / "logo.svg"] = initials_logo(draft.name, color)
    return out


def initials_logo(name: str, color: str) -> str:
    """A square SVG with the firm's initials: a stand-in until the partner uploads their logo."""
    words = [w for w in re.split(r"[^\w]+", name) if w and w[0].isalnum()]
    initials = "".join(w[0] for w in words[:2]).upper() or "?"
    initials = initials.replace("&", "&amp;").replace("<", "&lt;")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img">'
        f'<rect width="64" height="64" rx="12" fill="{color}"/>'
        '<text x="32" y="41" font-family="system-ui, sans-serif" font-size="24" '
        f'font-weight="700" text-anchor="middle" fill="#fff">{initials}</text></svg>\n'
    )


# -- articles -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleDraft:
    title: str
    authors: tuple[str, ...]
    date: str
    topics: tuple[str, ...] = ()
    category: str = ""
    summary: str = ""
    body: str = ""
    draft: bool = True
    timezone: str = "UTC"
    updated: str = ""
    file_slug: str = ""
    """The file name after the date (and so the URL); default: from the title."""


def article_file(articles_dir: Path, article: ArticleDraft, day: date) -> dict[Path, str | bytes]:
    """``content/articles/YYYY-MM-DD-<title-slug>.md`` with every field explained."""
    slug = article.file_slug or slugify(article.title)[:60].rstrip("-") or "article"
    body = article.body or (
        "Start with a paragraph that says who this article is for and what they will get from "
        "it.\n\n## A first subheading\n\nShort paragraphs, lists and tables are all welcome.\n"
    )
    text = template(
        "article.md",
        title=_quoted(article.title),
        timezone=article.timezone,
        date=article.date,
        authors=", ".join(article.authors),
        topics=", ".join(_quoted(t) for t in article.topics),
        category=f"category: {_quoted(article.category)}"
        if article.category
        else "# category: Finance",
        summary=f"summary: {_quoted(article.summary)}"
        if article.summary
        else "# summary: One or two sentences.",
        updated=f"updated: {article.updated}" if article.updated else "# updated: YYYY-MM-DD",
        draft=(
            "# Keeps the article off the site (it is shown, marked, by `hubgen serve`). Delete this\n"
            "# line when the article is ready.\ndraft: true"
            if article.draft
            else "# draft: true keeps an article off the site until the line is deleted."
        ),
        body=body.rstrip("\n"),
    )
    return {articles_dir / f"{day.isoformat()}-{slug}.md": text + "\n"}


def now_in(timezone: str) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(timezone)).replace(second=0, microsecond=0, tzinfo=None)


# -- CODEOWNERS -----------------------------------------------------------------------------------


def codeowners(partners_dir: Path, root: Path, organisers: Iterable[str]) -> str:
    """CODEOWNERS for the hub at ``root`` from the profiles in ``partners_dir``."""
    maintainers = {
        path.stem: _maintainers(path)
        for path in sorted(partners_dir.glob("*.yml"))
        if is_slug(path.stem)
    }
    return codeowners_text(partners_dir.relative_to(root).as_posix(), maintainers, organisers)


def codeowners_text(
    partners_prefix: str, maintainers: dict[str, list[str]], organisers: Iterable[str]
) -> str:
    """Organisers own everything; each partner's maintainers also own its profile and folder."""
    leads = list(dict.fromkeys(handle(o) for o in organisers))
    if not leads:
        raise ScaffoldError(
            "name at least one organiser (hubgen codeowners --organiser GITHUB-NAME)"
        )
    rules = ["* " + " ".join(f"@{o}" for o in leads)]
    for slug, people in sorted(maintainers.items()):
        if not people:
            continue
        owners = " ".join(f"@{o}" for o in dict.fromkeys([*leads, *people]))
        rules.append(f"/{partners_prefix}/{slug}.yml {owners}")
        rules.append(f"/{partners_prefix}/{slug}/ {owners}")
    return template("CODEOWNERS", rules="\n".join(rules))


def _maintainers(profile: Path) -> list[str]:
    try:
        doc, _ = parse_yaml(profile.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, YamlSyntaxError):
        return []
    values = doc.data.get("maintainers") if isinstance(doc.data, dict) else None
    if isinstance(values, str):
        values = [values]
    found = []
    for value in values or []:
        if isinstance(value, str) and _HANDLE_RE.match(value.strip()):
            found.append(value.strip().removeprefix("@"))
    return sorted(dict.fromkeys(found), key=str.lower)


def existing_organisers(root: Path) -> list[str]:
    """The owners of ``*`` in the hub's current CODEOWNERS, as written (case kept)."""
    for name in CODEOWNERS_PATHS:
        path = root / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                tokens = line.split("#", 1)[0].split()
                if tokens and tokens[0] == "*":
                    return [t[1:] for t in tokens[1:] if t.startswith("@") and "/" not in t]
    return []


# -- a new hub ------------------------------------------------------------------------------------


def footer_line(name: str, site_url: str) -> str:
    """Material's footer line (HTML, printed as is): the hub's name and its privacy page, by a
    path from the site's root so it works from every page and under ``mkdocs serve``."""
    root = urlsplit(site_url).path or "/"
    return f'{escape(name)} · <a href="{escape(root.rstrip("/"))}/privacy/">Privacy</a>'


def hub_files(
    directory: Path,
    name: str,
    site_url: str,
    organiser: str,
    timezone: str,
    today: date,
    *,
    sample: bool = True,
    repo: str = "",
) -> dict[Path, str | bytes]:
    """Everything a new hub needs, ready to push to GitHub (``sample``: a partner and article)."""
    tagline = f"Practical advice from the independent firms of {name}."
    organiser = handle(organiser)
    partner = PartnerDraft(
        slug=SAMPLE_SLUG,
        name="Example Accounting",
        maintainers=(organiser,),
        status="active",
        joined=today,
        tagline="Bookkeeping, tax and year-end accounts for owner-managed firms",
        services=("Bookkeeping", "Year-end accounts", "Payroll"),
        topics=("Tax", "Cash flow"),
        bio="We are a sample partner: replace this profile with a real firm's, or delete it.\n\n"
        "A bio is two short paragraphs about the firm, written as 'we'.",
        who_we_help="Owners of businesses with 5 to 50 staff who want a monthly view of the numbers.",
        how_to_spot_them="They mention a tax bill they did not expect.",
        different="Fixed monthly fees and a named accountant who answers the phone.",
        website="https://example.com",
    )
    article = ArticleDraft(
        title="How this network works",
        authors=(SAMPLE_SLUG,),
        date=today.isoformat(),
        topics=("Getting started",),
        category="Network",
        summary="Who we are, what we write about and how to find the right firm.",
        body=(
            "This is a sample article: replace it with your first real one.\n\n"
            "## Who we are\n\nIndependent firms who serve the same kind of client and "
            "refer clients to one another.\n\n## How to find the right firm\n\n"
            "Every article names its authors; the partner directory lists what each firm "
            "does and whom it helps.\n"
        ),
        draft=False,
        timezone=timezone,
    )
    out: dict[Path, str | bytes] = {}
    if sample:
        out.update(partner_files(directory / "partners", partner))
        out.update(article_file(directory / "content" / "articles", article, today))
    values = {
        "name": name,
        "name_yaml": _quoted(name),
        "tagline_yaml": _quoted(tagline),
        "site_url": _quoted(site_url),
        "timezone": timezone,
        "version": __version__,
        "sample_slug": SAMPLE_SLUG,
        "name_html": escape(name),
        "copyright_yaml": _quoted(footer_line(name, site_url)),
        "repo_yaml": _quoted(repo),
    }
    for source, target in (
        ("mkdocs.yml", "mkdocs.yml"),
        ("README.md", "README.md"),
        ("requirements.txt", "requirements.txt"),
        ("gitignore", ".gitignore"),
        ("content/write-for-the-network.md", "content/write-for-the-network.md"),
        ("content/privacy.md", "content/privacy.md"),
        ("github/workflows/check.yml", ".github/workflows/check.yml"),
        ("github/workflows/deploy.yml", ".github/workflows/deploy.yml"),
        ("github/dependabot.yml", ".github/dependabot.yml"),
    ):
        out[directory / target] = template(source, **values)
    out[directory / ".github" / "CODEOWNERS"] = codeowners_text(
        "partners", {SAMPLE_SLUG: [organiser]} if sample else {}, [organiser]
    )
    return out
