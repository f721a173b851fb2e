"""Checks across files, run after every profile and article has been loaded on its own.

- placeholders ("TODO: …") left in partner profiles by ``hubgen new partner`` or ``import``;
- look-alike partner names and referral codes (:mod:`hubgen.load.confusables`), naming both partners;
- symbolic links anywhere under the partners folder or the docs folder (MkDocs follows links, so a
  link committed in a pull request could publish any file of the machine that builds the site);
- links to ``#anchors`` that no heading (or other ``id``) of the target page defines, using
  Python-Markdown's own ``toc`` slugs by rendering the target;
- images linked from article bodies that are over the size limit;
- files in the contributors' folders that are no allowed image, or not what their name says, and
  what publishing an SVG filters out (:mod:`hubgen.load.contributed`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import date
from itertools import combinations
from pathlib import Path

import markdown

from hubgen.core.markdownprefilter import prefilter
from hubgen.core.models import Article, HubSettings, Partner, PartnerStatus
from hubgen.core.problems import Problems, Severity
from hubgen.core.text import did_you_mean
from hubgen.load.contributed import check_contributed_files
from hubgen.load.frontmatter import MAX_ARTICLE_BYTES, split_front_matter
from hubgen.load.images import IMAGE_SUFFIXES, MAX_IMAGE_BYTES, RESIZE_HINT
from hubgen.load.initplaceholders import check_init_placeholders, config_lines
from hubgen.load.links import local_links
from hubgen.load.lookalikes import TextTraits, TraitsRequest
from hubgen.load.refcodes import check_referral_codes
from hubgen.load.yamlsafe import Position, YamlSyntaxError, dotted_name, parse_yaml, strings_in

# The extensions that decide which ids a page has: toc (heading slugs), attr_list ({#id}),
# footnotes (#fn:1), md_in_html, and fenced code so that "# comment" lines in code are no headings.
_ID_EXTENSIONS = (
    "toc",
    "attr_list",
    "footnotes",
    "md_in_html",
    "fenced_code",
    "admonition",
    "tables",
)
_ID_RE = re.compile(r"<[a-zA-Z][^>]*?\sid=\"([^\"]*)\"")


def run_hub_checks(
    settings: HubSettings,
    partners: dict[str, Partner],
    articles: Iterable[Article],
    problems: Problems,
    traits: TraitsRequest,
    newcomers: frozenset[str] = frozenset(),
) -> None:
    """``traits``: the look-alike facts of ``partners``, asked while the articles loaded
    (:func:`ask_look_alike_traits`); ``newcomers``: slugs of partners whose profile the change
    under review adds."""
    articles = tuple(articles)
    check_placeholders(settings, partners, problems)
    check_init_placeholders(settings, partners, problems)
    check_look_alikes(settings, partners, problems, traits, newcomers)
    check_symlinks(settings, problems)
    check_article_links(settings, articles, problems)
    check_referral_codes(settings, partners, articles, problems)
    check_contributed_files(settings, problems)
    check_forms_organiser(settings, partners, problems)


# -- placeholders ------------------------------------------------------------------------------

PLACEHOLDER = "TODO"
"""Values starting with this were written by `hubgen new partner` or `hubgen import`."""


def check_placeholders(
    settings: HubSettings, partners: dict[str, Partner], problems: Problems
) -> None:
    """Profile values still reading "TODO…": a warning while the partner is pending (it is not
    published), an error once it is active or retired (it would be)."""
    for partner in sorted(partners.values(), key=lambda p: p.slug):
        try:
            text = (settings.root / partner.source).read_text(encoding="utf-8-sig")
            doc, _ = parse_yaml(text)
        except (OSError, UnicodeDecodeError, YamlSyntaxError):
            continue
        pending = partner.status is PartnerStatus.PENDING
        for key, value in strings_in(doc.data, ()):
            if not value.lstrip().startswith(PLACEHOLDER):
                continue
            position = doc.value_pos(key)
            problems.add(
                partner.source,
                position.line,
                position.col,
                dotted_name(key),
                f"is still a placeholder: '{value.strip()}'",
                "write the real text before an organiser sets 'status: active'"
                if pending
                else f"write the real text: this partner is {partner.status}, so it is published",
                Severity.WARNING if pending else Severity.ERROR,
            )


# -- the contact page's organiser -----------------------------------------------------------------

_ORGANISER_LINE = re.compile(r"^\s+organiser:\s*[\"']?([^\"'#\s]*)")


def check_forms_organiser(
    settings: HubSettings, partners: dict[str, Partner], problems: Problems
) -> None:
    """``forms.organiser`` must name an active partner: otherwise the contact page's "Not sure —
    let the network decide" would vanish without a word, and with it the visitors who pick it."""
    slug = settings.forms.organiser
    if not slug:
        return
    partner = partners.get(slug)
    if partner is not None and partner.status is PartnerStatus.ACTIVE:
        return
    config, lines = config_lines(settings) or ("mkdocs.yml", [])
    line, col = 1, 1
    for number, text in enumerate(lines, start=1):
        if (match := _ORGANISER_LINE.match(text)) is not None and match.group(1) == slug:
            line, col = number, match.start(1) + 1
            break
    active = [p.slug for p in partners.values() if p.status is PartnerStatus.ACTIVE]
    problems.add(
        config,
        line,
        col,
        "forms.organiser",
        f"'{slug}' is not a partner of this hub"
        if partner is None
        else f"'{slug}' is {partner.status}, so the contact page cannot route to it",
        "name the active partner who runs the network, who receives the contact page's "
        f"'Not sure' enquiries; {did_you_mean(slug, active)}",
    )


# -- look-alike names and codes ------------------------------------------------------------------


def ask_look_alike_traits(partners: dict[str, Partner]) -> TraitsRequest:
    """Start asking for the look-alike facts of the partners' names and referral codes."""
    return TraitsRequest([text for p in partners.values() for text in (p.name, p.referral_code)])


def check_look_alikes(
    settings: HubSettings,
    partners: dict[str, Partner],
    problems: Problems,
    asked: TraitsRequest,
    newcomers: frozenset[str] = frozenset(),
) -> None:
    """One error per pair of partners whose names or referral codes look alike, on the one
    that came second (see :func:`_culprit`), and one per name that mixes scripts. ``asked``:
    the request :func:`ask_look_alike_traits` started for these very partners."""
    ordered = sorted(partners.values(), key=lambda p: p.slug)
    traits = asked.answer()
    copied: set[str] = set()
    for first, second in combinations(ordered, 2):
        if _look_alike(traits, first.name, second.name):
            culprit, other = _culprit(first, second, first.name, second.name, newcomers, traits)
            copied.add(culprit.slug)
            letters = traits[culprit.name].foreign_letters
            problems.add(
                culprit.source,
                *_field_position(settings, culprit, "name"),
                "name",
                f"'{culprit.name}' looks like the name of {other.source} ('{other.name}')",
                (f"it contains {', '.join(letters)}; " if letters else "")
                + "use a name readers cannot mistake for another partner's",
            )
        code_a, code_b = first.referral_code, second.referral_code
        if _look_alike(traits, code_a, code_b):
            culprit, other = _culprit(first, second, code_a, code_b, newcomers, traits)
            problems.add(
                culprit.source,
                *_field_position(settings, culprit, "referral_code"),
                "referral_code",
                f"referral code '{culprit.referral_code}' looks like '{other.referral_code}' "
                f"of {other.source}",
                "choose a code that cannot be mistaken for another partner's "
                "(0/o, 1/l and rn/m read alike)",
            )
    # A name mixing scripts is suspect even before the partner it imitates joins.
    for partner in ordered:
        name = traits[partner.name]
        if partner.slug not in copied and name.mixed_scripts:
            odd = name.odd_characters
            problems.add(
                partner.source,
                *_field_position(settings, partner, "name"),
                "name",
                f"'{partner.name}' mixes scripts"
                + (f": it contains {', '.join(odd)}" if odd else ""),
                "write the name in one script, as readers would type it",
            )


def _look_alike(traits: Mapping[str, TextTraits], first: str, second: str) -> bool:
    """Different texts a reader could mistake for one another."""
    return first != second and traits[first].skeleton == traits[second].skeleton


def _culprit(
    first: Partner,
    second: Partner,
    a: str,
    b: str,
    newcomers: frozenset[str],
    traits: Mapping[str, TextTraits],
) -> tuple[Partner, Partner]:
    """``(impostor, victim)``: the partner whose profile is new in the change under review
    (``newcomers``, by slug), else the one using look-alike letters, else the one who joined
    later, else the later slug. The victim's profile is never the one blamed for being copied."""

    def order(partner: Partner, text: str) -> tuple[bool, bool, date, str]:
        return (partner.slug in newcomers, traits[text].disguised, partner.joined, partner.slug)

    if order(first, a) > order(second, b):
        return first, second
    return second, first


def _field_position(settings: HubSettings, partner: Partner, field: str) -> tuple[int, int]:
    try:
        doc, _ = parse_yaml((settings.root / partner.source).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, YamlSyntaxError):
        return 1, 1
    position = doc.values.get((field,), Position(1, 1))
    return position.line, position.col


# -- symbolic links ------------------------------------------------------------------------------


def check_symlinks(settings: HubSettings, problems: Problems) -> None:
    """Every symbolic link under the partners and docs folders (profiles and articles that are
    links are reported when they are read, so they are skipped here)."""
    articles = settings.docs_dir / settings.articles_dir
    for folder in (settings.partners_dir, settings.docs_dir):
        if not folder.is_dir() or folder.is_symlink():
            continue
        for path in _links_below(folder):
            reported_on_read = (path.parent == settings.partners_dir and path.suffix == ".yml") or (
                path.suffix == ".md" and path.is_relative_to(articles)
            )
            if not reported_on_read:
                problems.add(
                    settings.relative(path),
                    1,
                    1,
                    "",
                    "is a symbolic link",
                    "commit the file itself, not a link",
                )


def _links_below(folder: Path) -> list[Path]:
    """The symbolic links under ``folder``, never followed (so loops are impossible). Each
    entry's type comes from the folder's listing: a stat per file was 3,300 system calls (20 ms)
    at 3,000 articles, every build. Folders that cannot be listed are skipped, as ``os.walk``
    skips them."""
    found: list[Path] = []
    folders = [folder]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        found.append(Path(entry.path))
                    elif entry.is_dir(follow_symlinks=False):
                        folders.append(Path(entry.path))
        except OSError:
            continue
    return sorted(found)


# -- links from article bodies ------------------------------------------------------------------


def check_article_links(
    settings: HubSettings, articles: tuple[Article, ...], problems: Problems
) -> None:
    """Anchors that the target page does not define, and linked images over the size limit."""
    by_uri = {article.src_uri: article for article in articles}
    ids: dict[str, frozenset[str] | None] = {}

    def ids_of(uri: str) -> frozenset[str] | None:
        if uri not in ids:
            ids[uri] = _page_ids(settings, uri, by_uri.get(uri))
        return ids[uri]

    for article in articles:
        for link in local_links(article.body, article.src_uri):
            where = (article.source, article.body_line + link.line - 1, link.col, "body")
            uri, target = link.uri, link.target
            if link.escapes:
                continue  # reported as a broken link
            if not link.same_page and Path(uri).suffix.lower() in IMAGE_SUFFIXES:
                _check_image_size(settings, uri, target, where, problems)
                continue
            if not link.fragment or not uri.endswith(".md"):
                continue
            known = ids_of(uri)
            if known is None:
                continue  # the file itself is missing: reported as a broken link
            fragment = link.fragment
            if fragment in known:
                continue
            page = "this article" if uri == article.src_uri else uri
            hint = did_you_mean(f"#{fragment}", [f"#{i}" for i in known]) if known else ""
            problems.add(
                *where,
                f"link to '{target}': {page} has no heading '#{fragment}'",
                hint or "it has no headings to link to",
            )


def _check_image_size(
    settings: HubSettings,
    uri: str,
    target: str,
    where: tuple[str, int, int, str],
    problems: Problems,
) -> None:
    path = settings.docs_dir / uri
    if path.is_file() and not path.is_symlink():
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            problems.add(
                *where,
                f"image '{target}' is {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,} (5 MB)",
                RESIZE_HINT,
            )


def _page_ids(settings: HubSettings, uri: str, article: Article | None) -> frozenset[str] | None:
    """Every ``id`` the page at ``uri`` (docs-relative) gets when rendered, or None if missing."""
    if article is not None:
        body = article.body
    else:
        path = settings.docs_dir / uri
        if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_ARTICLE_BYTES:
            return None
        try:
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            return None
        split = split_front_matter(text)
        body = split[1] if isinstance(split, tuple) else text
    return heading_ids(body)


def heading_ids(body: str) -> frozenset[str]:
    """The ids Python-Markdown gives a page: heading slugs (deduplicated as ``x_1``), ``{#id}``
    attributes, footnotes and ids written in raw HTML."""
    md = markdown.Markdown(extensions=list(_ID_EXTENSIONS))
    prefilter(md)
    html = md.convert(body)
    return frozenset(_ID_RE.findall(html))
