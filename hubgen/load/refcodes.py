"""Referral codes in links that partners write into articles: another partner's code, or a code
no partner has, is a warning.

A link to the hub that carries ``?ref=<code>`` (or goes through the short link ``/r/<code>/``)
credits every reader who follows it to that code's partner, so a partner linking with someone
else's code moves leads between partners, and an unknown code is a typo or a code from another
programme. Links to other sites are left alone: what ``ref`` means there is theirs to decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from hubgen.core.models import Article, HubSettings, Partner
from hubgen.core.problems import Problems, Severity
from hubgen.load.links import relative_targets

_SHORT_LINK_RE = re.compile(r"^(?:\.{1,2}/)*/?r/([^/?#]+)/?$")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_RAW_URL_RE = re.compile(r"""href\s*=\s*["']([^"']+)["']|<(https?://[^>\s]+)>""", re.I)
"""Links Markdown's link syntax does not cover: raw HTML ``href`` and ``<https://…>``."""


@dataclass(frozen=True)
class CodedLink:
    target: str
    line: int
    """1-based, in the body."""
    col: int
    code: str


def check_referral_codes(
    settings: HubSettings,
    partners: dict[str, Partner],
    articles: Iterable[Article],
    problems: Problems,
) -> None:
    """A warning for each link to the hub carrying a code that is not one of its authors'."""
    owners = {p.referral_code.lower(): p for p in partners.values() if p.referral_code}
    param = settings.referral.param
    site = urlsplit(settings.site_url)
    host, root = (site.hostname or "").lower(), "/" + site.path.strip("/")
    for article in articles:
        authors = set(article.partner_slugs)
        for link in coded_links(article.body, param, host, root):
            owner = owners.get(link.code)
            if owner is not None and owner.slug in authors:
                continue
            where = (article.source, article.body_line + link.line - 1, link.col, "body")
            if owner is None:
                problems.add(
                    *where,
                    f"link to '{link.target}' carries the referral code '{link.code}', "
                    "which no partner has",
                    "check the spelling, or remove the code: readers who follow a link "
                    "inside the hub keep the referral they arrived with",
                    Severity.WARNING,
                )
            else:
                problems.add(
                    *where,
                    f"link to '{link.target}' carries the referral code '{link.code}' of "
                    f"{owner.name} ({owner.source}), who is not an author of this article",
                    f"readers who follow it are credited to {owner.name}; remove the code "
                    "unless that partner asked for it",
                    Severity.WARNING,
                )


def coded_links(body: str, param: str, site_host: str, site_root: str = "/") -> Iterator[CodedLink]:
    """Links in ``body`` to the hub (relative, site-absolute or on ``site_host``, whose pages
    are below the path ``site_root``) that carry a referral code in ``param`` or as a short
    link ``r/<code>/``."""
    # Most articles hold neither a code parameter nor a short link: nothing to parse.
    if f"{param}=" not in body and "/r/" not in body:
        return
    targets = list(relative_targets(body))
    if "href" in body or "<http" in body:
        targets += _raw_urls(body)
    seen: set[tuple[int, int]] = set()
    for target, line, col in targets:
        if (line, col) in seen:
            continue
        seen.add((line, col))
        code = _code(target.replace("&amp;", "&"), param, site_host, site_root)
        if code:
            yield CodedLink(target, line, col, code)


def _code(target: str, param: str, site_host: str, site_root: str) -> str | None:
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    elsewhere = parts.scheme not in ("http", "https") or (parts.hostname or "") != site_host
    if (parts.scheme or parts.netloc) and elsewhere:
        return None  # another site's link (or mailto:…): its parameters are not ours
    values = parse_qs(parts.query).get(param)
    if values:
        return values[-1].strip().lower() or None
    path = parts.path
    if parts.netloc:  # an absolute URL: its path below the site's root
        path = "/" + path.removeprefix(site_root.rstrip("/")).lstrip("/")
    short = _SHORT_LINK_RE.match(path)
    return short.group(1).lower() if short else None


def _raw_urls(body: str) -> Iterator[tuple[str, int, int]]:
    """``(target, line, col)`` of raw HTML links and autolinks outside fenced code."""
    in_fence = False
    for number, line in enumerate(body.split("\n"), start=1):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or ("href" not in line and "<http" not in line):  # most lines
            continue
        for match in _RAW_URL_RE.finditer(line):
            group = 1 if match.group(1) is not None else 2
            yield match.group(group), number, match.start(group) + 1
