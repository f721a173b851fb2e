"""What `hubgen build` refuses beyond the loader's problems, decided here once for the build and
for `hubgen check` alike, so a check that passes is a build that passes (``--strict`` too).

- Markdown extensions that read files from the build machine into a page (``pymdownx.snippets``
  and friends), unless ``content_policy.allow_file_includes`` says every contributor is trusted;
- files in the docs folder at the place of a page hubgen generates;
- relative links in partners' profile text (rendered on their generated page) and in the about
  text that point at no file of the site: MkDocs warns about them, so ``--strict`` fails.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from hubgen.site.catalog import Catalog
from hubgen.load.links import broken_links
from hubgen.load.frontmatter import split_front_matter
from hubgen.core.models import Hub, Image, Partner
from hubgen.site.pagedata import PageKind, PartnerPageData
from hubgen.site.pages import PageSpec, generate_pages
from hubgen.core.problems import Problems
from hubgen.load.yamlsafe import Position, YamlSyntaxError, parse_yaml

FILE_READING_EXTENSIONS = frozenset({"snippets", "include", "mdx_include", "markdown_include"})


def file_reading_extensions(extensions: Iterable[object]) -> list[str]:
    """The configured Markdown extensions (names or instances) that can include files."""
    names = [e if isinstance(e, str) else type(e).__module__ for e in extensions]
    return sorted({n for n in names if n.split(".")[-1] in FILE_READING_EXTENSIONS})


def file_include_message(reading: list[str]) -> str:
    return f"{', '.join(reading)} can read files from the build machine into a partner's article"


FILE_INCLUDE_HINT = (
    "remove it, or set content_policy.allow_file_includes: true if every contributor is fully "
    "trusted"
)


def clash_message(src_uri: str, url: str) -> str:
    return f"{src_uri} clashes with the page hubgen generates at /{url}"


CLASH_HINT = "rename or move that file"


def check_build_rules(
    hub: Hub,
    catalog: Catalog,
    extensions: Iterable[object],
    config_file: Path,
    problems: Problems,
    *,
    allow_file_includes: bool = False,
) -> None:
    """Add a problem for everything the build would refuse (see the module's docstring)."""
    settings = hub.settings
    config_rel = settings.relative(config_file)
    if not allow_file_includes:
        reading = file_reading_extensions(extensions)
        if reading:
            line = _line_of(config_file, reading[0].split(".")[-1])
            problems.add(
                config_rel,
                line,
                1,
                "markdown_extensions",
                file_include_message(reading),
                FILE_INCLUDE_HINT,
            )
    specs = generate_pages(catalog)
    for spec in specs:
        path = settings.docs_dir / spec.src_uri
        if path.is_file():
            problems.add(
                settings.relative(path),
                1,
                1,
                "",
                clash_message(spec.src_uri, spec.url),
                CLASH_HINT,
            )
    _check_page_links(hub, specs, config_rel, problems)


def _check_page_links(hub: Hub, specs: list[PageSpec], config_rel: str, problems: Problems) -> None:
    settings = hub.settings
    generated = {spec.src_uri for spec in specs}
    for partner in hub.partners.values():
        generated.update(image.url for image in _images(partner))
    docs = str(settings.docs_dir)

    def exists(uri: str) -> bool:
        return uri in generated or os.path.isfile(os.path.join(docs, uri))

    for spec in specs:
        if isinstance(spec.data, PartnerPageData) and spec.markdown:
            partner = spec.data.partner
            for field, text in _markdown_fields(partner):
                for link in broken_links(_without_code_spans(text), spec.src_uri, exists):
                    position = _value_position(settings.root / partner.source, field)
                    problems.add(
                        partner.source,
                        position.line,
                        position.col,
                        ".".join(str(part) for part in field),
                        f"link to '{link.target}' points to {link.resolved}, which does not exist",
                        "link to a page of the hub by its full address, e.g. "
                        f"{settings.site_url or 'https://…/'}articles/",
                    )
        elif spec.kind is PageKind.ABOUT and spec.markdown:
            for link in broken_links(_without_code_spans(spec.markdown), spec.src_uri, exists):
                problems.add(
                    config_rel,
                    1,
                    1,
                    "about",
                    f"link to '{link.target}' points to {link.resolved}, which does not exist",
                    "fix the link in the hubgen 'about' setting",
                )
    _check_own_pages(hub, exists, problems)


def _check_own_pages(hub: Hub, exists: Callable[[str], bool], problems: Problems) -> None:
    """Links in the hub's hand-written pages (outside the articles folder), as MkDocs checks
    them: those pages are rendered as they are, so a missing target is a build warning."""
    settings = hub.settings
    docs = settings.docs_dir
    articles = docs / settings.articles_dir
    for top, dirs, files in os.walk(docs):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and Path(top, d) != articles)
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(MARKDOWN_SUFFIXES):
                continue
            path = Path(top, name)
            try:
                text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
            except (OSError, UnicodeDecodeError):
                continue
            split = split_front_matter(text)
            body, first = (split[1], split[2]) if isinstance(split, tuple) else (text, 1)
            src_uri = path.relative_to(docs).as_posix()
            for link in broken_links(_without_code_spans(body), src_uri, exists):
                problems.add(
                    settings.relative(path),
                    first + link.line - 1,
                    link.col,
                    "",
                    f"link to '{link.target}' points to {link.resolved}, which does not exist",
                    "fix or remove the link: `hubgen build --strict` refuses it",
                )


MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
"""What MkDocs renders as a page (``mkdocs.utils.markdown_extensions``)."""


_CODE_SPAN_RE = re.compile(r"``[^`\n]+``|`[^`\n]+`")


def _without_code_spans(markdown: str) -> str:
    """``markdown`` with inline code blanked (same length, so columns stay): MkDocs does not
    follow a link written as an example in backticks."""
    if "`" not in markdown:
        return markdown
    return _CODE_SPAN_RE.sub(lambda span: " " * len(span.group()), markdown)


def _images(partner: Partner) -> Iterator[Image]:
    for image in (partner.logo, *(p.photo for p in partner.people)):
        if image is not None and image.is_local:
            yield image


def _markdown_fields(partner: Partner) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """The profile texts rendered on the partner's page, with where each sits in the profile."""
    yield ("bio",), partner.bio
    yield ("ideal_client", "who_we_help"), partner.ideal_client.who_we_help
    yield ("ideal_client", "how_to_spot_them"), partner.ideal_client.how_to_spot_them
    if partner.what_makes_us_different:
        yield ("what_makes_us_different",), partner.what_makes_us_different
    for index, service in enumerate(partner.services):
        yield ("services", index), service


def _value_position(path: Path, key: tuple[str | int, ...]) -> Position:
    try:
        doc, _ = parse_yaml(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, YamlSyntaxError):
        return Position(1, 1)
    return doc.value_pos(key)


def _line_of(path: Path, word: str) -> int:
    """The first line of ``path`` that mentions ``word`` (1 when none does)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, line in enumerate(lines, start=1) if word in line), 1)
